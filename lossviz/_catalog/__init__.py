"""One entry per loss: the single source that notebooks, tests and docs are driven from.

``lossviz.catalog()`` (the function) returns ``{id: Entry}``; this private package holds the
entries, one module per family, each a list ``ENTRIES``.

>>> import lossviz
>>> e = lossviz.catalog()["huber"]
>>> e.names["zh-TW"], e.params[0].default
('Huber 損失', 1.0)
"""

from __future__ import annotations

from importlib import import_module

from ._entry import Entry, Param

FAMILIES = ("information", "regression", "classification", "embedding",
            "generative", "sequence", "image", "practice")
# Each family's name in zh-TW (the READMEs' table and the site's guide; zh-CN is converted from it).
FAMILY_NAMES = {
    "information": "資訊論", "regression": "迴歸", "classification": "分類", "embedding": "嵌入與對比",
    "generative": "生成模型", "sequence": "序列", "image": "影像", "practice": "實務技巧",
}

__all__ = ["Entry", "Param", "FAMILIES", "FAMILY_NAMES", "catalog"]

_CACHE: dict[str, Entry] | None = None


def catalog() -> dict[str, Entry]:
    """Return ``{id: Entry}`` for every loss, grouped by family in ``FAMILIES`` order."""
    global _CACHE
    if _CACHE is None:
        entries: dict[str, Entry] = {}
        for family in FAMILIES:
            for entry in import_module(f"{__name__}.{family}").ENTRIES:
                if entry.id in entries:
                    raise RuntimeError(f"duplicate catalog id {entry.id!r}")
                entries[entry.id] = entry
        _CACHE = entries
    return dict(_CACHE)
