"""lossviz — every loss of the course, its closed-form gradient, and the figures.

Each loss is ``lossviz.<id>(...)`` (torch tensors in, a tensor out) with its gradient
``lossviz.<id>_grad(...)`` beside it; ``lossviz.catalog()`` describes them all.
"""

from __future__ import annotations

from importlib import import_module

from .catalog import FAMILIES, catalog

__version__ = "0.1.0"

__all__ = ["catalog", "FAMILIES", "__version__"]

for _family in FAMILIES:
    try:
        _module = import_module(f"{__name__}.{_family}")
    except ModuleNotFoundError as _exc:  # during development a family may be absent
        if _exc.name != f"{__name__}.{_family}":
            raise
        continue
    for _name in getattr(_module, "__all__", ()):
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
