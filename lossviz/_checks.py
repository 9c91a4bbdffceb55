"""One validation path for every loss.

Every failure raises ``TypeError`` (wrong kind of object or dtype) or ``ValueError``
(wrong shape, value or option) with a message of the form
``"<argument> must <rule>, got <what arrived>"`` so that a learner sees at once which
argument broke which rule.  Nothing here broadcasts silently or uses ``assert``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import torch

REDUCTIONS = ("none", "mean", "sum")


def _describe(x: object) -> str:
    if isinstance(x, torch.Tensor):
        return f"tensor of shape {tuple(x.shape)} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"


def tensor(name: str, x: object, *, floating: bool = True) -> torch.Tensor:
    """``x`` must be a torch tensor; with ``floating`` a floating-point one."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {_describe(x)}")
    if floating and not x.is_floating_point():
        raise TypeError(
            f"{name} must be a floating-point tensor (float32 or float64), got dtype {x.dtype}"
        )
    return x


def integer_tensor(name: str, x: object) -> torch.Tensor:
    """``x`` must be a tensor of integer dtype (class indices, lengths)."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of integers, got {_describe(x)}")
    if x.is_floating_point() or x.is_complex() or x.dtype == torch.bool:
        raise TypeError(f"{name} must be an integer tensor (e.g. torch.long), got dtype {x.dtype}")
    return x


def same_shape(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    """Refuse to broadcast: ``a`` and ``b`` must have exactly the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b} must have the same shape as {name_a} {tuple(a.shape)} "
            f"(no broadcasting), got {tuple(b.shape)}"
        )


def same_dtype_device(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    if a.dtype != b.dtype:
        raise TypeError(f"{name_b} must have the dtype of {name_a} ({a.dtype}), got {b.dtype}")
    if a.device != b.device:
        raise ValueError(f"{name_b} must be on the device of {name_a} ({a.device}), got {b.device}")


def ndim(name: str, x: torch.Tensor, allowed: Sequence[int] | range) -> None:
    if x.dim() not in allowed:
        rule = " or ".join(str(a) for a in allowed) if len(allowed) < 5 else f"{min(allowed)}..{max(allowed)}"
        raise ValueError(f"{name} must have {rule} dimensions, got shape {tuple(x.shape)}")


def min_ndim(name: str, x: torch.Tensor, at_least: int, meaning: str = "") -> None:
    if x.dim() < at_least:
        extra = f" ({meaning})" if meaning else ""
        raise ValueError(
            f"{name} must have at least {at_least} dimensions{extra}, got shape {tuple(x.shape)}"
        )


def broadcastable_to(name: str, w: torch.Tensor, target_name: str, shape: torch.Size) -> None:
    """``w`` may broadcast up to ``shape`` but never enlarge it."""
    try:
        out = torch.broadcast_shapes(w.shape, shape)
    except RuntimeError:
        out = None
    if out != shape:
        raise ValueError(
            f"{name} must broadcast to the shape of {target_name} {tuple(shape)}, "
            f"got {tuple(w.shape)}"
        )


def in_unit_interval(name: str, x: torch.Tensor) -> None:
    """Probabilities: every entry in [0, 1] (NaN refused too)."""
    if x.numel() == 0:
        return
    lo, hi = torch.aminmax(x.detach())  # one pass; NaN propagates and fails both comparisons
    if bool(lo >= 0) and bool(hi <= 1):
        return
    bad = ~((x >= 0) & (x <= 1))
    value = x[bad].flatten()[0].item()
    raise ValueError(f"{name} must hold probabilities in [0, 1], got a value {value!r}")


def positive_values(name: str, x: torch.Tensor, *, strict: bool = True) -> None:
    bad = ~(x > 0) if strict else ~(x >= 0)
    if bool(bad.any()):
        value = x[bad].flatten()[0].item()
        rule = "> 0" if strict else ">= 0"
        raise ValueError(f"{name} must hold values {rule}, got a value {value!r}")


def sums_to_one(name: str, p: torch.Tensor, dim: int, *, atol: float | None = None) -> None:
    # loose enough for finite-difference checks (gradcheck moves one entry by 1e-6),
    # tight enough to catch an unnormalised vector
    tol = atol if atol is not None else (1e-4 if p.dtype in (torch.float16, torch.bfloat16, torch.float32) else 1e-5)
    total = p.sum(dim)
    bad = (total - 1).abs() > tol * max(1, p.shape[dim] if p.dim() else 1)
    if bool(bad.any()):
        value = total[bad].flatten()[0].item()
        raise ValueError(f"{name} must sum to 1 along dim {dim}, got a sum of {value!r}")


def plus_minus_one(name: str, t: torch.Tensor) -> None:
    bad = ~((t == 1) | (t == -1))
    if bool(bad.any()):
        value = t[bad].flatten()[0].item()
        raise ValueError(f"{name} must hold labels in {{-1, +1}}, got a value {value!r}")


def zero_one_labels(name: str, t: torch.Tensor) -> None:
    bad = ~((t == 0) | (t == 1))
    if bool(bad.any()):
        value = t[bad].flatten()[0].item()
        raise ValueError(f"{name} must hold labels in {{0, 1}}, got a value {value!r}")


def class_indices(name: str, target: torch.Tensor, num_classes: int, ignore_index: int | None = None) -> None:
    """Class indices in [0, num_classes), except entries equal to ``ignore_index``."""
    integer_tensor(name, target)
    valid = (target >= 0) & (target < num_classes)
    if ignore_index is not None:
        valid |= target == ignore_index
    if bool((~valid).any()):
        value = target[~valid].flatten()[0].item()
        extra = f" (or ignore_index={ignore_index})" if ignore_index is not None else ""
        raise ValueError(
            f"{name} must hold class indices in [0, {num_classes - 1}]{extra}, got {value}"
        )


def number(name: str, value: object, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False, integer: bool = False) -> float:
    """A Python (or 0-d tensor) real number within the given bounds.

    ``number("delta", d, low=0, low_open=True)`` enforces ``delta > 0`` and says
    ``"delta must be > 0, got 0.0"`` otherwise.
    """
    if isinstance(value, torch.Tensor) and value.dim() == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {kind}, got {_describe(value)}")
    if integer and not float(value).is_integer():
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, got nan")
    if low is not None:
        if (low_open and not value > low) or (not low_open and not value >= low):
            raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value!r}")
    if high is not None:
        if (high_open and not value < high) or (not high_open and not value <= high):
            raise ValueError(f"{name} must be {'<' if high_open else '<='} {high:g}, got {value!r}")
    return value


def choice(name: str, value: object, options: Sequence[object]) -> object:
    if value not in options:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {shown}, got {value!r}")
    return value


def reduction(value: object) -> str:
    """``reduction`` must be 'none', 'mean' or 'sum' (a typo is an error, never 'none')."""
    return choice("reduction", value, REDUCTIONS)  # type: ignore[return-value]


def dim_index(name: str, dim: object, x: torch.Tensor) -> int:
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{name} must be an int, got {_describe(dim)}")
    if not -max(x.dim(), 1) <= dim < max(x.dim(), 1):
        raise ValueError(f"{name} must be in [{-x.dim()}, {x.dim() - 1}] for shape {tuple(x.shape)}, got {dim}")
    return dim % max(x.dim(), 1)


def non_empty(name: str, x: torch.Tensor) -> None:
    if x.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {tuple(x.shape)}")
