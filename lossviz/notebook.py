"""What the first code cell of every notebook calls.

``setup("zh-TW")`` draws Chinese in figures (``lossviz.fonts``), seeds ``random``, numpy and
torch, sets matplotlib defaults that keep committed outputs small and stable, and picks the
device.  It returns a ``Setup`` whose text never names the device, so that a notebook executed
on a GPU machine shows the same outputs as one executed on a CPU.
"""

from __future__ import annotations

import importlib.util
import numbers
import random
import sys
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import torch

from . import __version__, _checks
from ._meta import LANGS, REPOSITORY_URL
from .fonts import use_cjk

__all__ = ["Setup", "setup", "in_colab", "colab_install_command", "fmt", "within"]

# Small figures at a fixed resolution: 640 x 400 px at dpi=100.
FIGSIZE = (6.4, 4.0)
# Any fixed string: SVG element ids are derived from it instead of from a random salt.
SVG_HASHSALT = "lossviz"


@dataclass(frozen=True)
class Setup:
    """The language, device and seed a notebook runs with.

    ``str`` and ``repr`` leave the device out: committed outputs must not depend on it.
    """

    lang: str
    device: str = field(repr=False)
    seed: int

    def __str__(self) -> str:
        return f"lossviz {__version__} · {self.lang} · seed {self.seed}"


def _device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def setup(lang: str, *, seed: int = 0, dpi: int = 100, threads: int | None = 1) -> Setup:
    """Fonts, seeds, figure defaults and device for a notebook in ``lang`` ("zh-TW" or "zh-CN").

    ``threads`` (default 1) sets ``torch.set_num_threads``: the notebooks' tensors are small,
    and on shared 2-core machines (CI, Colab) a second intra-op thread makes each op wait for
    a busy core — measured 28 ms instead of 0.04 ms per op under load — and one thread also
    keeps floating-point reductions in the same order everywhere.  ``None`` leaves it alone.
    ``torch.use_deterministic_algorithms`` is left as it is.  Calling it again resets the
    seeds, so a cell re-run from the top gives the same numbers.
    """
    _checks.choice("lang", lang, LANGS)
    seed = int(_checks.number("seed", seed, low=0, high=2**32 - 1, integer=True))
    dpi = int(_checks.number("dpi", dpi, low=1, integer=True))
    if threads is not None:
        torch.set_num_threads(int(_checks.number("threads", threads, low=1, integer=True)))
    use_cjk(lang)
    matplotlib.rcParams.update({
        "figure.dpi": dpi,
        "savefig.dpi": dpi,
        "figure.figsize": FIGSIZE,
        "svg.hashsalt": SVG_HASHSALT,
    })
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # every device, CUDA included
    return Setup(lang=lang, device=_device(), seed=seed)


def in_colab() -> bool:
    """True inside Google Colab (``google.colab`` can be imported)."""
    try:
        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):  # no ``google`` package at all
        return False


def colab_install_command(url: str = REPOSITORY_URL) -> list[str]:
    """The pip command (an argv list) that installs lossviz from ``git+<url>``.

    Plain ``pip install``: no ``-U``/``--upgrade`` and no ``--force-reinstall``.  pip's default
    strategy then installs only what is missing and keeps every requirement that is already
    satisfied; lossviz's lower bounds are loose (torch>=2.1, numpy>=1.24, matplotlib>=3.8,
    ipywidgets>=7.6), so Colab's own torch, numpy, matplotlib and ipywidgets stay exactly as
    they are and only lossviz (plus the small font package) is added.
    """
    if not isinstance(url, str) or not url:
        raise ValueError(f"url must be a non-empty str, got {type(url).__name__} {url!r}")
    return [sys.executable, "-m", "pip", "install", "--quiet", f"git+{url}"]


def fmt(x: float | torch.Tensor, spec: str = ".4f") -> str:
    """``x`` (a real number or a 0-d tensor) as text, e.g. ``fmt(loss)`` -> ``"0.6931"``.

    Never a tensor repr (no ``grad_fn``, no device); a value that rounds to zero prints without
    a minus sign, so ``-1e-9`` on one machine and ``+1e-9`` on another both give ``"0.0000"``.
    """
    if isinstance(x, torch.Tensor):
        if x.dim() != 0:
            raise ValueError(f"x must be a number or a 0-d tensor, got {_checks._describe(x)}")
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"x must be a real number or a 0-d tensor, got {type(x).__name__} {x!r}")
    text = format(float(x), spec)
    mantissa = text.lower().split("e")[0]
    if text.startswith("-") and set(mantissa[1:]) <= set("0.,_%"):  # "-0.0000", not "-inf"
        text = text[1:]
    return text


def within(diff: float | torch.Tensor | np.ndarray, tol: float) -> str:
    """A residual as a verdict: ``"< 1e-12 ✓"`` when ``max |diff| < tol``, else ``"≥ 1e-12 ✗"``.

    Round-off (``1.1e-16`` on one CPU, ``2.2e-16`` on another) is never printed: a notebook
    states the tolerance it checks and whether the check passed, which every machine prints
    alike.  ``diff`` is a number, a tensor or an array (its largest absolute entry is used);
    NaN never passes.  E.g. ``print("autograd vs closed form:", within(auto - closed, 1e-12))``.
    """
    tol = _checks.number("tol", tol, low=0.0, low_open=True)
    if isinstance(diff, torch.Tensor):
        if diff.numel() == 0:
            raise ValueError(f"diff must hold at least one number, got {_checks._describe(diff)}")
        worst = diff.detach().abs().max().item()
    elif isinstance(diff, np.ndarray):
        if diff.size == 0:
            raise ValueError(f"diff must hold at least one number, got an empty array of shape {diff.shape}")
        worst = float(np.abs(diff).max())
    elif isinstance(diff, numbers.Real) and not isinstance(diff, bool):
        worst = abs(float(diff))
    else:
        raise TypeError(f"diff must be a real number, a tensor or an array, "
                        f"got {type(diff).__name__} {diff!r}")
    return f"< {tol:g} ✓" if worst < tol else f"≥ {tol:g} ✗"

