"""lossviz — every loss of the course, its closed-form gradient, and the figures.

Each loss is ``lossviz.<id>(...)`` (torch tensors in, a tensor out) with its gradient
``lossviz.<id>_grad(...)`` beside it; ``lossviz.catalog()`` describes them all.
"""

from __future__ import annotations

from ._catalog import FAMILIES, Entry, Param, catalog
from .classification import *  # noqa: F403
from .classification import __all__ as _classification
from .embedding import *  # noqa: F403
from .embedding import __all__ as _embedding
from .generative import *  # noqa: F403
from .generative import __all__ as _generative
from .image import *  # noqa: F403
from .image import __all__ as _image
from .information import *  # noqa: F403
from .information import __all__ as _information
from .practice import *  # noqa: F403
from .practice import __all__ as _practice
from .regression import *  # noqa: F403
from .regression import __all__ as _regression
from .sequence import *  # noqa: F403
from .sequence import __all__ as _sequence

__version__ = "0.1.0"

__all__ = ["catalog", "Entry", "Param", "FAMILIES", "__version__",
           *_information, *_regression, *_classification, *_embedding,
           *_generative, *_sequence, *_image, *_practice]
