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


def pair(name_a: str, a: object, name_b: str, b: object) -> None:
    """The one pair check: both floating-point tensors of the same shape, dtype and device."""
    tensor(name_a, a)
    tensor(name_b, b)
    same_shape(name_a, a, name_b, b)
    same_dtype_device(name_a, a, name_b, b)


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


def nonnegative_values(name: str, x: torch.Tensor) -> None:
    """Every entry >= 0 (NaN refused too)."""
    bad = ~(x >= 0)
    if bool(bad.any()):
        value = x[bad].flatten()[0].item()
        raise ValueError(f"{name} must hold values >= 0, got a value {value!r}")


def sums_to_one(name: str, p: torch.Tensor, dim: int, *, atol: float | None = None) -> None:
    # loose enough for finite-difference checks (gradcheck moves one entry by 1e-6),
    # tight enough to catch an unnormalised vector
    low_precision = p.dtype in (torch.float16, torch.bfloat16, torch.float32)
    tol = atol if atol is not None else (1e-4 if low_precision else 1e-5)
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
        raise ValueError(
            f"{name} must be in [{-x.dim()}, {x.dim() - 1}] for shape {tuple(x.shape)}, got {dim}"
        )
    return dim % max(x.dim(), 1)


def non_empty(name: str, x: torch.Tensor) -> None:
    if x.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {tuple(x.shape)}")


def class_vector(name: str, w: object, num_classes: int, like: torch.Tensor) -> torch.Tensor:
    """A per-class tensor: 1-D, one non-negative value per class, dtype/device of ``like``."""
    tensor(name, w)
    if w.dim() != 1 or w.shape[0] != num_classes:
        raise ValueError(
            f"{name} must be a 1-D tensor with one value per class (shape ({num_classes},)), "
            f"got shape {tuple(w.shape)}"
        )
    same_dtype_device("input", like, name, w)
    nonnegative_values(name, w)
    return w


def same_device(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    if a.device != b.device:
        raise ValueError(f"{name_b} must be on the device of {name_a} ({a.device}), got {b.device}")


def elementwise_weight(name: str, w: object, like: torch.Tensor) -> torch.Tensor:
    """A non-negative float tensor that broadcasts up to ``like`` without enlarging it."""
    tensor(name, w)
    same_dtype_device("input", like, name, w)
    broadcastable_to(name, w, "input", like.shape)
    nonnegative_values(name, w)
    return w


def flag(name: str, value: object) -> bool:
    """``value`` must be a real ``bool`` (1 or "yes" are refused, not guessed)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} {value!r}")
    return value


def size(name: str, x: torch.Tensor, dim: int, size: int, meaning: str) -> None:
    """``x.shape[dim]`` must equal ``size`` (``meaning`` says which size it must match)."""
    if x.shape[dim] != size:
        raise ValueError(f"{name} must have size {size} in dim {dim} ({meaning}), got shape {tuple(x.shape)}")


def same_batch(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    """``b`` must have as many rows (dim 0) as ``a``: one per sample of the batch."""
    if b.dim() == 0 or a.dim() == 0 or b.shape[0] != a.shape[0]:
        n = a.shape[0] if a.dim() else "?"
        raise ValueError(
            f"{name_b} must have the batch size of {name_a} ({n}) in dim 0, got shape {tuple(b.shape)}"
        )


def same_last_dim(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    if b.shape[-1] != a.shape[-1]:
        raise ValueError(
            f"{name_b} must have the feature size of {name_a} ({a.shape[-1]}) in its last dim, "
            f"got shape {tuple(b.shape)}"
        )


def same_ndim(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    if b.dim() != a.dim():
        raise ValueError(
            f"{name_b} must have as many dimensions as {name_a} ({a.dim()}), got shape {tuple(b.shape)}"
        )


def callable_(name: str, f: object) -> None:
    if not callable(f):
        raise TypeError(
            f"{name} must be callable (a torch.nn.Module or a function), got {type(f).__name__} {f!r}"
        )


def lengths(name: str, x: object, count: int, device: torch.device) -> torch.Tensor:
    """``x`` must be an integer tensor with ``count`` entries (0-d allowed for one) or a
    tuple/list of ``count`` ints; returned as a 1-D long tensor on ``device``."""
    if isinstance(x, torch.Tensor):
        integer_tensor(name, x)
        if x.dim() > 1:
            raise ValueError(f"{name} must be a 0-d or 1-d tensor, got shape {tuple(x.shape)}")
        out = x.reshape(-1)
    elif isinstance(x, Sequence) and not isinstance(x, (str, bytes)):
        for v in x:
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise TypeError(f"{name} must hold ints, got {type(v).__name__} {v!r}")
        out = torch.tensor([int(v) for v in x], dtype=torch.long)
    else:
        raise TypeError(
            f"{name} must be an integer tensor or a tuple/list of ints, got {type(x).__name__} {x!r}"
        )
    if out.numel() != count:
        raise ValueError(f"{name} must have {count} entries (one per sample), got {out.numel()}")
    return out.to(device=device, dtype=torch.long)


def length_range(name: str, lengths: torch.Tensor, high: int, what: str) -> None:
    """Every length in [0, high]."""
    bad = (lengths < 0) | (lengths > high)
    if bool(bad.any()):
        value = lengths[bad][0].item()
        raise ValueError(f"{name} must hold values in [0, {high}] ({what}), got {value}")


def no_blank(name: str, labels: torch.Tensor, blank: int) -> None:
    """The blank index may not appear inside a target sequence."""
    if bool((labels == blank).any()):
        raise ValueError(f"{name} must not contain the blank index {blank}, got {blank}")


def not_both_empty(smooth: float, p_sum: torch.Tensor, t_sum: torch.Tensor) -> None:
    """With smooth = 0 a (sample, channel) whose prediction and target are all zeros is 0/0."""
    if smooth == 0:
        empty = (p_sum + t_sum) == 0
        if bool(empty.any()):
            n, c = (int(i) for i in empty.nonzero()[0][:2])
            raise ValueError(
                "smooth must be > 0 when input and target are both all zeros for some (sample, channel) "
                f"(the ratio would be 0/0), got smooth=0 with an empty pair at (n={n}, c={c})"
            )


def odd(name: str, value: int) -> None:
    if value % 2 != 1:
        raise ValueError(f"{name} must be odd (a window centred on its pixel), got {value}")


def image_size(name: str, x: torch.Tensor, window_size: int) -> None:
    if x.shape[-2] < window_size or x.shape[-1] < window_size:
        raise ValueError(
            f"{name} must have height and width >= window_size={window_size}, got shape {tuple(x.shape)}"
        )
