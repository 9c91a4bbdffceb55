"""The shape of one catalog entry (kept apart so family files can import it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import torch

Example = Callable[..., tuple[tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class Param:
    """A hyperparameter: its default and a sensible slider range."""

    name: str
    default: float
    low: float
    high: float
    step: float
    doc: str = ""


@dataclass(frozen=True)
class Entry:
    """Everything the notebooks, tests and docs need to know about one loss.

    ``example(dtype=torch.float64, device="cpu")`` returns ``(args, kwargs)`` of small
    inputs, away from kinks, whose first argument is the one ``grad`` differentiates.
    ``extreme(dtype=torch.float32, device="cpu")``, when given, returns inputs at the
    edge of the float range (logits of +-100, ...) on which the loss must stay finite.
    ``grad`` has the signature of ``fn`` and returns d(reduced loss)/d(first argument);
    with ``reduction='none'`` that is the gradient of ``loss.sum()``.
    """

    id: str
    family: str
    fn: Callable[..., torch.Tensor]
    grad: Callable[..., torch.Tensor] | None
    reference: Callable[..., torch.Tensor] | None
    example: Example
    names: dict[str, str]
    formula: str
    params: tuple[Param, ...] = ()
    grad_note: str = ""
    reference_note: str = ""
    extreme: Example | None = None
    nonnegative: bool = True
    mean_is_mean_of_none: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)


# Added to every sampler seed inside ``other_draws``: the same kind of inputs, other numbers.
_SEED_SHIFT: ContextVar[int] = ContextVar("seed_shift", default=0)


@contextmanager
def other_draws(shift: int) -> Iterator[None]:
    """Inside this block every ``example()`` / ``extreme()`` draws with its seed + ``shift``.

    The exercise checker uses it, so the inputs it tests a learner's function on are not the
    ones ``catalog()[id].example()`` shows (same shapes, same constraints, other numbers).
    """
    token = _SEED_SHIFT.set(shift)
    try:
        yield
    finally:
        _SEED_SHIFT.reset(token)


def sampler(seed: int):
    """A seeded CPU generator; examples draw on the CPU, then move (same numbers everywhere)."""
    seed = seed + _SEED_SHIFT.get()
    g = torch.Generator().manual_seed(seed)

    def draw(*shape: int, low: float = -1.0, high: float = 1.0, dtype=torch.float64, device="cpu"):
        x = torch.rand(*shape, generator=g, dtype=torch.float64) * (high - low) + low
        return x.to(dtype=dtype, device=device)

    def normal(*shape: int, dtype=torch.float64, device="cpu"):
        return torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype=dtype, device=device)

    def integers(high: int, *shape: int, device="cpu"):
        return torch.randint(high, shape, generator=g).to(device=device)

    draw.normal = normal  # type: ignore[attr-defined]
    draw.integers = integers  # type: ignore[attr-defined]
    return draw
