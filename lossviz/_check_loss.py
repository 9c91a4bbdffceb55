"""The machinery of :func:`lossviz.exercises.check_loss`: call a learner's function safely,
compare its output with the catalog entry, run every case (dtypes, extremes, reductions,
hyperparameters, autograd, the learner's own gradient)."""

from __future__ import annotations

import inspect
import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from . import _checks
from ._catalog import Entry, catalog
from ._catalog._entry import other_draws
from ._exercise_result import REDUCTIONS, TOL, TOL_TEXT, Result, _m
from ._meta import LANGS

# ---------------------------------------------------------------------------------------------
# Calling a learner's function safely
# ---------------------------------------------------------------------------------------------


# The checker's inputs: the catalog's examples drawn with every seed shifted by this much.
HIDDEN_SEED_SHIFT = 7919


@dataclass(frozen=True)
class _Raised:
    exc: BaseException


def _clone(x: object) -> object:
    return x.detach().clone() if isinstance(x, torch.Tensor) else x


def _call(f: Callable, args: tuple, kwargs: dict) -> object:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return f(*[_clone(a) for a in args], **{k: _clone(v) for k, v in kwargs.items()})
    except Exception as exc:  # the learner's code: reported, never re-raised
        return _Raised(exc)


def _accepts(f: Callable) -> Callable[[str], bool]:
    """Which keyword names ``f`` takes (everything when it has ``**kwargs`` or no signature)."""
    target = f.forward if isinstance(f, torch.nn.Module) else f
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return lambda name: True
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return lambda name: True
    names = {p.name for p in params if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                   inspect.Parameter.KEYWORD_ONLY)}
    return names.__contains__


def _raised(exc: BaseException, lang: str, key: str = "raised") -> str:
    name, msg = _one_line(exc)
    return _m(key, lang, exc=name, msg=msg)


def _one_line(exc: BaseException) -> tuple[str, str]:
    text = str(exc).strip().splitlines()
    msg = text[0] if text else ""
    return type(exc).__name__, (msg[:160] + "…" if len(msg) > 160 else msg)


# ---------------------------------------------------------------------------------------------
# Comparing a result with the truth; saying what is wrong
# ---------------------------------------------------------------------------------------------


def _close(a: torch.Tensor, b: torch.Tensor, rtol: float) -> bool:
    if a.shape != b.shape:
        return False
    a, b = a.detach().double(), b.detach().double()
    scale = max(b.abs().max().item() if b.numel() else 0.0, 1.0)
    return bool(torch.allclose(a, b, rtol=rtol, atol=rtol * scale))


def _describe(x: object) -> str:
    if isinstance(x, torch.Tensor):
        return f"tensor {tuple(x.shape)}"
    if isinstance(x, (list, tuple)):
        return f"{type(x).__name__} ({len(x)})"
    if isinstance(x, np.ndarray):
        return f"ndarray {x.shape}"
    return type(x).__name__


def _output_problem(got: object, want: torch.Tensor, none_shape: torch.Size | None, lang: str,
                    *, grad: bool = False) -> str | None:
    """What is wrong with the kind, shape or dtype of ``got`` (None when it fits)."""
    if got is None:
        return _m("grad_unwritten" if grad else "returns_none", lang)
    if not isinstance(got, torch.Tensor):
        if isinstance(got, (numbers.Real, np.generic)):
            return _m("returns_float", lang, type=type(got).__name__)
        return _m("returns_type", lang, type=type(got).__name__)
    if got.shape != want.shape:
        if want.dim() == 0 and none_shape is not None and got.shape == none_shape:
            return _m("not_reduced", lang, got=tuple(got.shape))
        if want.dim() > 0 and got.dim() == 0 and not grad:
            return _m("reduced_none", lang, got=tuple(got.shape), want=tuple(want.shape))
        return _m("wrong_shape", lang, got=tuple(got.shape), want=tuple(want.shape))
    if got.dtype != want.dtype:
        return _m("wrong_dtype", lang, got=got.dtype, want=want.dtype)
    return None


def _value_problem(got: torch.Tensor, want: torch.Tensor, alts: dict[str, torch.Tensor],
                   reduction: str, dtype: torch.dtype, extreme: bool, lang: str,
                   *, grad: bool = False, regular_ok: bool = True) -> str | None:
    """What is wrong with the numbers of ``got`` (same shape and dtype as ``want``).

    ``regular_ok``: the ordinary inputs all passed, so a miss on extreme inputs alone is a loss of
    precision there (said so); otherwise the plain "differs" message.
    """
    rtol = TOL[dtype]
    finite_want = bool(torch.isfinite(want).all())
    if finite_want and not bool(torch.isfinite(got).all()):
        if grad:
            return _m("grad_nan" if bool(torch.isnan(got).any()) else "overflow", lang)
        if extreme:
            return _m("unstable", lang, what="NaN" if bool(torch.isnan(got).any()) else "inf")
        return _m("nan" if bool(torch.isnan(got).any()) else "overflow", lang)
    if _close(got, want, rtol):
        return None
    for alt, key in (("sum", "sum_for_mean"), ("mean", "mean_for_sum")):
        if alt != reduction and alt in alts and _close(got, alts[alt], rtol):
            if reduction != "none":
                return _m(key, lang)
    if want.abs().max().item() > 0:
        if _close(got, -want, rtol):
            return _m("sign", lang)
        if _close(got, 2 * want, rtol):
            return _m("factor_2", lang)
        if _close(got, want / 2, rtol):
            return _m("factor_half", lang)
        if grad and not bool(got.detach().abs().max() > 0):
            return _m("grad_zero", lang)
    return _m("off_extreme" if extreme and regular_ok else "off", lang, tol=TOL_TEXT[dtype])


# ---------------------------------------------------------------------------------------------
# check_loss
# ---------------------------------------------------------------------------------------------


def _variant(p) -> float | int:
    """A second value of a hyperparameter, inside its slider range, away from the default."""
    v = (p.low + p.default) / 2 if p.default > p.low else (p.default + p.high) / 2
    v = round(v / p.step) * p.step if p.step else v
    if isinstance(p.default, int) and not isinstance(p.default, bool):
        return int(round(v))
    return float(f"{v:.6g}")


@dataclass
class _Run:
    entry: Entry
    lang: str
    problems: list[str] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, where: str, subject: str, what: str) -> None:
        if what not in self._seen:
            self._seen.add(what)
            self.problems.append(_m("problem", self.lang, where=where, subject=subject, what=what))

    def truth(self, args: tuple, kwargs: dict) -> torch.Tensor:
        return self.entry.fn(*args, **kwargs).detach()

    def truths(self, args: tuple, kwargs: dict) -> dict[str, torch.Tensor]:
        return {r: self.truth(args, {**kwargs, "reduction": r}) for r in REDUCTIONS}

    def closed_grad(self, args: tuple, kwargs: dict) -> torch.Tensor:
        return self.entry.grad(*args, **kwargs).detach()


def _cases(entry: Entry, accepts: Callable[[str], bool], lang: str) -> list[tuple[str, tuple, dict, bool]]:
    """(where, args, kwargs, extreme) for every hidden input set, kwargs limited to ``accepts``."""
    def keep(kwargs: dict) -> dict:
        return {k: v for k, v in kwargs.items() if accepts(k)}

    out = []
    with other_draws(HIDDEN_SEED_SHIFT):  # not the numbers catalog()[id].example() shows
        for dtype, key in ((torch.float64, "where_f64"), (torch.float32, "where_f32")):
            args, kwargs = entry.example(dtype=dtype)
            out.append((_m(key, lang), args, keep(kwargs), False))
        if entry.extreme is not None:
            for dtype in (torch.float32, torch.float64):
                args, kwargs = entry.extreme(dtype=dtype)
                out.append((_m("where_extreme", lang, dtype=str(dtype).removeprefix("torch.")), args,
                            keep(kwargs), True))
    return out


def _dtype_of(args: tuple) -> torch.dtype:
    return args[0].dtype if isinstance(args[0], torch.Tensor) else torch.float64


def check_loss(fn: Callable | None, loss_id: str, *, grad: Callable | None = None,
               lang: str = "zh-TW") -> Result:
    """Check a learner's loss ``fn`` (and their gradient ``grad``) against catalog entry ``loss_id``.

    ``fn`` is called like the catalog's function: the same positional arguments, plus those
    keyword arguments (``reduction``, hyperparameters) that its signature accepts; what it does
    not accept is checked at the catalog's default.  ``grad`` takes the same arguments and
    returns d(loss)/d(first argument) (the gradient of ``loss.sum()`` for ``reduction='none'``).
    """
    _checks.choice("lang", lang, LANGS)
    entries = catalog()
    if not isinstance(loss_id, str) or loss_id not in entries:
        raise ValueError(f"loss_id must be a catalog id (lossviz.catalog()), got {loss_id!r}")
    entry = entries[loss_id]
    title = _m("title_loss", lang, name=entry.names[lang], id=loss_id)
    if fn is None or fn is Ellipsis:
        return Result(title, False, False, [_m("todo_fn", lang)], lang=lang)
    _checks.callable_("fn", fn)
    if grad is not None and grad is not Ellipsis:
        _checks.callable_("grad", grad)
        if entry.grad is None:
            raise ValueError(f"grad must be None for {loss_id!r} (the catalog has no closed-form "
                             f"gradient for it), got {grad!r}")
    else:
        grad = None

    accepts = _accepts(fn)
    grad_accepts = _accepts(grad) if grad is not None else None
    run = _Run(entry, lang)
    subj_fn, subj_auto, subj_grad = (_m(k, lang) for k in ("subj_fn", "subj_auto", "subj_grad"))
    cases = _cases(entry, accepts, lang)

    # an unwritten body (``...``) returns None on the first call: not answered yet
    where0, args0, kwargs0, _ = cases[0]
    first = _call(fn, args0, kwargs0)
    if first is None:
        return Result(title, False, False, [_m("todo_fn", lang)], lang=lang)

    checked = [_m("item_f64", lang), _m("item_f32", lang)]
    if entry.extreme is not None:
        checked.append(_m("item_extreme", lang))
    with_reduction = accepts("reduction")
    if with_reduction:
        checked.append(_m("item_reduction", lang))

    for where, args, kwargs, extreme in cases:  # the ordinary inputs come first, then the extreme ones
        regular_ok = not run.problems
        dtype = _dtype_of(args)
        base = {k: v for k, v in kwargs.items() if k != "reduction"}
        truths = run.truths(args, base)
        none_shape = truths["none"].shape
        # the call without ``reduction`` must give the default (the mean)
        variants = [(_m("where_default", lang, where=where) if with_reduction else where, base, "mean")]
        if with_reduction:
            variants += [(_m("where_reduction", lang, where=where, reduction=r), {**base, "reduction": r}, r)
                         for r in REDUCTIONS]
        for label, kw, reduction in variants:
            got = _call(fn, args, kw)
            want = truths[reduction]
            if isinstance(got, _Raised):
                run.add(label, subj_fn, _raised(got.exc, lang))
                continue
            what = (_output_problem(got, want, none_shape, lang)
                    or _value_problem(got, want, truths, reduction, dtype, extreme, lang,
                                      regular_ok=regular_ok))
            if what:
                run.add(label, subj_fn, what)
                continue
            if dtype == torch.float64 or extreme:
                _check_autograd(run, fn, args, kw, reduction, dtype, extreme, label, subj_auto)
            if grad is not None and (grad_accepts("reduction") or "reduction" not in kw):
                gkw = {k: v for k, v in kw.items() if grad_accepts(k)}
                _check_own_grad(run, grad, args, gkw, reduction, dtype, extreme, label, subj_grad)

    # hyperparameters the function takes: at a second value, float64
    where, args, kwargs, _ = cases[0]
    for p in entry.params:
        if not accepts(p.name):
            continue
        checked.append(_m("item_param", lang, name=p.name))
        value = _variant(p)
        kw = {**{k: v for k, v in kwargs.items() if k != "reduction"}, p.name: value}
        label = _m("where_param", lang, where=where, name=p.name, value=value)
        want = run.truth(args, kw)
        got = _call(fn, args, kw)
        if isinstance(got, _Raised):
            run.add(label, subj_fn, _raised(got.exc, lang))
            continue
        what = _output_problem(got, want, None, lang)
        if what is None and not _close(got, want, TOL[torch.float64]):
            default = run.truth(args, {k: v for k, v in kw.items() if k != p.name})
            what = (_m("param_ignored", lang, name=p.name) if _close(got, default, TOL[torch.float64])
                    else _value_problem(got, want, run.truths(args, kw), "mean", torch.float64, False,
                                        lang))
        if what:
            run.add(label, subj_fn, what)
        elif grad is not None and grad_accepts(p.name):
            _check_own_grad(run, grad, args, kw, "mean", torch.float64, False, label, subj_grad)

    if entry.grad is not None:
        checked.append(_m("item_autograd", lang))
    if grad is not None:
        checked.append(_m("item_grad", lang))
    return Result(title, not run.problems, True, run.problems, checked, lang)


def _off_kinks(x: torch.Tensor, g: torch.Tensor, closed: dict[str, torch.Tensor], extreme: bool):
    """On extreme inputs, leave out the entries where the input is exactly 0: a correct formula
    built from |x| or max(x, 0) has a kink there whose subgradient autograd may pick."""
    if not extreme or not isinstance(x, torch.Tensor) or x.shape != g.shape:
        return g, closed
    keep = x != 0
    return g[keep], {r: c[keep] if c.shape == x.shape else c for r, c in closed.items()}


def _check_autograd(run: _Run, fn: Callable, args: tuple, kw: dict, reduction: str, dtype: torch.dtype,
                    extreme: bool, label: str, subject: str) -> None:
    if run.entry.grad is None or not isinstance(args[0], torch.Tensor):
        return
    x = args[0].detach().clone().requires_grad_(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(x, *[_clone(a) for a in args[1:]], **{k: _clone(v) for k, v in kw.items()})
    except Exception as exc:
        run.add(label, _m("subj_fn", run.lang), _raised(exc, run.lang))
        return
    if not isinstance(out, torch.Tensor) or not out.requires_grad:
        run.add(label, _m("subj_fn", run.lang), _m("detached", run.lang))
        return
    try:
        (g,) = torch.autograd.grad(out.sum(), x, allow_unused=True)
    except Exception as exc:
        run.add(label, subject, _raised(exc, run.lang, "backward_raised"))
        return
    if g is None:
        run.add(label, _m("subj_fn", run.lang), _m("detached", run.lang))
        return
    closed = {r: run.closed_grad(args, {**kw, "reduction": r}) for r in REDUCTIONS}
    g, closed = _off_kinks(args[0], g, closed, extreme)
    what = _value_problem(g, closed[reduction], closed, reduction, dtype, extreme, run.lang, grad=True)
    if what:
        run.add(label, subject, what)


def _check_own_grad(run: _Run, grad: Callable, args: tuple, kw: dict, reduction: str, dtype: torch.dtype,
                    extreme: bool, label: str, subject: str) -> None:
    base = {k: v for k, v in kw.items() if k != "reduction"}
    closed = {r: run.closed_grad(args, {**base, "reduction": r}) for r in REDUCTIONS}
    want = closed[reduction]
    got = _call(grad, args, kw)
    if isinstance(got, _Raised):
        run.add(label, subject, _raised(got.exc, run.lang))
        return
    what = _output_problem(got, want, None, run.lang, grad=True)
    if what is None:
        got, closed = _off_kinks(args[0], got, closed, extreme)
        what = _value_problem(got, closed[reduction], closed, reduction, dtype, extreme, run.lang, grad=True)
    if what:
        run.add(label, subject, what)


