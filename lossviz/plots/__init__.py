"""Figure factories for the notebooks: pure data functions and figures that return artists.

``FIGURES`` maps a figure id to a zero-argument factory returning a fresh
:class:`lossviz.widgets.LiveFigure` (zh-TW texts); the slider benchmark and the tests walk it.
Each topic module registers its figures with :func:`register`, which also records on every
LiveFigure the factory made its id and the keyword arguments it was called with (what
``lossviz.widgets.interactive`` passes on, so the static site can draw the same figure).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from functools import partial
from importlib import import_module

FIGURES: dict[str, Callable] = {}
TOPICS = ("regression", "information", "classification", "focal", "contrastive", "autograd", "sequence",
          "generative", "image", "practice", "explorer")


def _plain(value) -> bool:
    """A value JSON writes and reads back unchanged (what a recorded keyword may hold)."""
    return value is None or isinstance(value, (str, bool, int, float))


def register(fig_id: str):
    """Decorator: add ``factory(lang="zh-TW", ...)`` to FIGURES under ``fig_id``.

    The factory is wrapped: the LiveFigure it returns gets ``figure_id = fig_id`` and
    ``figure_kwargs`` = the arguments it was called with, by name (left empty, and the id
    None, when one of them is not a plain str/number/bool/None: then nothing can redraw it).
    """
    def deco(factory):
        if fig_id in FIGURES:
            raise RuntimeError(f"duplicate figure id {fig_id!r}")
        signature = inspect.signature(factory)

        @functools.wraps(factory)
        def make(*args, **kwargs):
            live = factory(*args, **kwargs)
            given = signature.bind(*args, **kwargs).arguments
            if all(_plain(v) for v in given.values()):
                live.figure_id, live.figure_kwargs = fig_id, dict(given)
            return live

        FIGURES[fig_id] = partial(make, lang="zh-TW")
        return make
    return deco


for _topic in TOPICS:
    import_module(f"{__name__}.{_topic}")
