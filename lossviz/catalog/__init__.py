"""One entry per loss: the single source that notebooks, tests and docs are driven from.

>>> import lossviz
>>> e = lossviz.catalog()["huber"]
>>> e.fn, e.grad, e.reference, e.names["zh-TW"], e.params[0].default
"""

from __future__ import annotations

from importlib import import_module

from ._entry import Entry, Param

FAMILIES = ("information", "regression", "classification", "embedding",
            "generative", "sequence", "image", "practice")

__all__ = ["Entry", "Param", "FAMILIES", "catalog"]

_CACHE: dict[str, Entry] | None = None


def catalog() -> dict[str, Entry]:
    """Return ``{id: Entry}`` for every loss, grouped by family in ``FAMILIES`` order."""
    global _CACHE
    if _CACHE is None:
        entries: dict[str, Entry] = {}
        for family in FAMILIES:
            try:
                module = import_module(f"{__name__}.{family}")
            except ModuleNotFoundError as exc:  # a family not written yet must not hide others
                if exc.name != f"{__name__}.{family}":
                    raise
                continue
            for entry in module.ENTRIES:
                if entry.id in entries:
                    raise RuntimeError(f"duplicate catalog id {entry.id!r}")
                entries[entry.id] = entry
        _CACHE = entries
    return dict(_CACHE)
