"""Markdown displays for the notebooks: tables of computed values, and package code.

Every number in a notebook's tables is computed in the cell that shows it, none copied;
:func:`md_table` only lays the cells out.  :func:`source` shows code the package owns where a
notebook teaches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["md_table", "source"]


def md_table(header: Sequence[str], rows: Iterable[Sequence[object]]):
    """An ``IPython.display.Markdown`` table: one header row, then ``str()`` of each cell.

    >>> md_table(["p", "-log p"], [(0.5, "0.6931")]).data
    '| p | -log p |\\n|---|---|\\n| 0.5 | 0.6931 |'
    """
    from IPython.display import Markdown

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return Markdown("\n".join(lines))


def source(*objects: object):
    """The source code of ``objects`` (functions, classes) as one Markdown code block.

    For code the package owns and a notebook teaches: the learner reads it where it is used
    (``source(TinyVAE, train_vae)``), and there is still one copy of it.
    """
    import inspect

    from IPython.display import Markdown

    if not objects:
        raise ValueError("objects must name at least one function or class, got none")
    parts = []
    for obj in objects:
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            raise TypeError(f"objects must be functions or classes, got {type(obj).__name__} {obj!r}")
        parts.append(inspect.getsource(obj).rstrip())
    return Markdown("```python\n" + "\n\n\n".join(parts) + "\n```")
