"""Markdown tables of computed values, as the notebooks show them.

Every number in a notebook's tables is computed in the cell that shows it, none copied;
:func:`md_table` only lays the cells out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["md_table"]


def md_table(header: Sequence[str], rows: Iterable[Sequence[object]]):
    """An ``IPython.display.Markdown`` table: one header row, then ``str()`` of each cell.

    >>> md_table(["p", "-log p"], [(0.5, "0.6931")]).data
    '| p | -log p |\\n|---|---|\\n| 0.5 | 0.6931 |'
    """
    from IPython.display import Markdown

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return Markdown("\n".join(lines))
