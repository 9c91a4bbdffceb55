"""Figure factories for the notebooks: pure data functions and figures that return artists.

``FIGURES`` maps a figure id to a zero-argument factory returning a fresh
:class:`lossviz.widgets.LiveFigure` (zh-TW texts); the slider benchmark and the tests walk it.
Each topic module registers its figures with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module

FIGURES: dict[str, Callable] = {}
TOPICS = ("regression", "information", "classification", "focal", "contrastive", "autograd", "sequence",
          "generative", "image", "practice", "explorer")


def register(fig_id: str):
    """Decorator: add ``factory(lang="zh-TW", ...)`` to FIGURES under ``fig_id``."""
    def deco(factory):
        if fig_id in FIGURES:
            raise RuntimeError(f"duplicate figure id {fig_id!r}")
        FIGURES[fig_id] = partial(factory, lang="zh-TW")
        return factory
    return deco


for _topic in TOPICS:
    import_module(f"{__name__}.{_topic}")
