"""Checkers for the notebooks' exercises: a learner's loss, or a value answer, on hidden inputs.

``check_loss(fn, loss_id, grad=None)`` runs a learner's loss function (and, when given, their
own gradient function) against the catalog entry ``loss_id`` on inputs drawn inside the package
with fixed seeds: values in float64 and float32, the entry's extreme inputs (a naive formula
that overflows fails *for that reason*), every ``reduction`` the function accepts, each
hyperparameter it accepts at a second value, the autograd gradient of the learner's function
against the closed form, and the learner's own gradient.  ``check_answer(answer, exercise_id)``
checks a value answer (or runs a code exercise) whose expected value is computed here and never
shown.  ``registry()`` lists every exercise.

A learner's mistake never raises: it becomes a sentence in ``Result.problems`` (zh-TW or zh-CN).
Only a wrong call of the checkers themselves (unknown id, a non-callable) raises
``TypeError``/``ValueError`` in the project's "<argument> must <rule>, got <what>" form.
Reports state verdicts with fixed tolerances, never raw residuals, so they read the same on
every machine.

This module is the public face and the exercises themselves (:func:`check_answer`, the
registry); the report type lives in ``lossviz._exercise_result`` and the ``check_loss``
machinery in ``lossviz._check_loss``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from . import _checks
from ._check_loss import _call, _close, _describe, _output_problem, _Raised, _raised, check_loss
from ._exercise_result import TOL, Result, _m
from ._exercise_text import EXERCISE_TEXT
from ._meta import LANGS

__all__ = ["Result", "Exercise", "check_loss", "check_answer", "registry"]


# ---------------------------------------------------------------------------------------------
# Value answers and the registry
# ---------------------------------------------------------------------------------------------

Check = Callable[[Any, str], Result]


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``id`` ("04-2"), its notebook, ``kind`` ("value" | "code"), the catalog id it
    concerns (``loss``, or None), its progressive ``hints`` ({lang: (hint, ...)}) and, for a value,
    the form of the ``answer`` ("number", "integer" or "numbers:N")."""

    id: str
    notebook: str
    kind: str
    loss: str | None
    hints: dict[str, tuple[str, ...]]
    answer: str = ""
    expected: Callable[[], Any] | None = field(default=None, repr=False, compare=False)
    mistakes: tuple[tuple[str, Callable[[np.ndarray], bool]], ...] = field(default=(), repr=False,
                                                                         compare=False)
    check: Check | None = field(default=None, repr=False, compare=False)


def _as_numbers(answer: object, form: str, lang: str) -> tuple[np.ndarray | None, str | None]:
    """The answer as a float64 array of the expected size, or a problem sentence."""
    got = _describe(answer)
    if form in ("number", "integer"):
        if isinstance(answer, (torch.Tensor, np.ndarray)) and answer.ndim == 0:
            answer = answer.item()
        if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.generic)):
            return None, _m("answer_number" if form == "number" else "answer_integer", lang, got=got)
        if form == "integer" and not float(answer).is_integer():
            return None, _m("answer_integer", lang, got=got)
        values = np.array([float(answer)])
    else:
        n = int(form.split(":")[1])
        example = ", ".join(["…"] * n)
        if isinstance(answer, torch.Tensor):
            answer = answer.detach().cpu().numpy()
        if isinstance(answer, np.ndarray):
            answer = answer.tolist() if answer.ndim == 1 else None
        if (not isinstance(answer, (list, tuple)) or len(answer) != n
                or any(isinstance(a, bool) or not isinstance(a, (numbers.Real, np.generic)) for a in answer)):
            return None, _m("answer_numbers", lang, n=n, example=example, got=got)
        values = np.array([float(a) for a in answer])
    if not np.isfinite(values).all():
        return None, _m("answer_finite", lang, got=got)
    return values, None


def _near(a: np.ndarray, b: object, tol: float = 1e-4) -> bool:
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol * np.maximum(np.abs(b), 1.0)))


def check_answer(answer: object, exercise_id: str, *, lang: str = "zh-TW") -> Result:
    """Check a learner's answer to exercise ``exercise_id`` (see :func:`registry`).

    A value answer is compared with a value computed here (never printed); ``None`` or ``...``
    means "not answered yet".  A code exercise runs the learner's function on hidden data.
    """
    _checks.choice("lang", lang, LANGS)
    exercises = registry()
    if not isinstance(exercise_id, str) or exercise_id not in exercises:
        raise ValueError(f"exercise_id must be one of {sorted(exercises)}, got {exercise_id!r}")
    ex = exercises[exercise_id]
    title = _m("title_exercise", lang, id=ex.id)
    if answer is None or answer is Ellipsis:
        return Result(title, False, False, [_m("todo_value" if ex.kind == "value" else "todo_fn", lang)],
                      lang=lang)
    if ex.kind == "code":
        if not callable(answer):
            return Result(title, False, True, [_m("answer_function", lang, got=_describe(answer))], lang=lang)
        if ex.check is not None:
            return ex.check(answer, lang)
        return check_loss(answer, ex.loss, lang=lang)
    values, problem = _as_numbers(answer, ex.answer, lang)
    if problem:
        return Result(title, False, True, [problem], lang=lang)
    expected = np.atleast_1d(np.asarray(ex.expected(), dtype=np.float64))
    if (ex.answer == "integer" and values[0] == expected[0]) or (ex.answer != "integer"
                                                               and _near(values, expected)):
        return Result(title, True, True, lang=lang)
    text = EXERCISE_TEXT[ex.id]
    for name, matches in ex.mistakes:
        if matches(values):
            return Result(title, False, True, [text["mistakes"][name][lang]], lang=lang)
    if ex.answer != "integer" and _near(values, expected, 2e-2):
        return Result(title, False, True, [_m("answer_close", lang, digits=5)], lang=lang)
    return Result(title, False, True, [_m("answer_wrong", lang, hint=text["wrong"][lang])], lang=lang)


# --- code exercise 06-4: BPR with real negatives ---------------------------------------------


def _check_bpr_loop(fn: Callable, lang: str) -> Result:
    """Run the learner's ``fixed_bpr_loss(score, users, pos_items, seen, generator)`` on hidden data.

    Every liked item of user u scores a[u], every other item b[u], so the right loss is the
    mean of softplus(b[u] - a[u]) over the pairs whatever unseen negatives were drawn.
    """
    title = _m("title_exercise", lang, id="06-4")
    subject, where = _m("subj_fn", lang), _m("where_f64", lang)
    g = torch.Generator().manual_seed(604)
    n_users, n_items, n_liked = 6, 10, 3
    seen = torch.zeros(n_users, n_items, dtype=torch.bool)
    liked = torch.argsort(torch.rand(n_users, n_items, generator=g), dim=1)[:, :n_liked]
    seen[torch.arange(n_users)[:, None], liked] = True
    a = torch.rand(n_users, generator=g, dtype=torch.float64) * 2 - 1
    b = torch.rand(n_users, generator=g, dtype=torch.float64) * 2 - 1
    table = torch.where(seen, a[:, None], b[:, None]).requires_grad_(True)
    users = torch.arange(n_users).repeat_interleave(n_liked)
    pos_items = liked.reshape(-1)

    def score(u: torch.Tensor, i: torch.Tensor) -> torch.Tensor:
        return table[u, i]

    def fail(what: str) -> Result:
        return Result(title, False, True, [_m("problem", lang, where=where, subject=subject, what=what)],
                      lang=lang)

    got = _call(fn, (score, users, pos_items, seen, torch.Generator().manual_seed(1)), {})
    if got is None:
        return Result(title, False, False, [_m("todo_fn", lang)], lang=lang)
    if isinstance(got, _Raised):
        return fail(_raised(got.exc, lang))
    if not isinstance(got, torch.Tensor):
        return fail(_output_problem(got, torch.zeros(()), None, lang))
    if got.dim() != 0:
        return fail(_m("bpr_not_scalar", lang, got=_describe(got)))
    if not got.requires_grad:
        return fail(_m("detached", lang))
    try:
        (grad,) = torch.autograd.grad(got, table, allow_unused=True)
    except Exception as exc:
        return fail(_raised(exc, lang, "backward_raised"))
    if grad is None or not bool(grad.abs().max() > 1e-12):
        return fail(_m("bpr_cancel", lang))
    if grad[seen].sum().item() > 0:
        return fail(_m("bpr_pos_sign", lang))
    if bool((grad[seen] > 1e-12).any()):
        return fail(_m("bpr_seen_negative", lang))
    want = F.softplus(b[users] - a[users])
    if _near(np.array([got.item()]), want.sum().item()):
        return fail(_m("bpr_sum", lang))
    if not _near(np.array([got.item()]), want.mean().item(), 1e-6):
        return fail(_m("bpr_value", lang))
    return Result(title, True, True, checked=[_m("item_hidden", lang)], lang=lang)


# --- code exercises 10-4 and 10-5: soft-thresholding, inverse-frequency weights -------------


def _tensor_problem(got: object, want: torch.Tensor, lang: str) -> str | None:
    """The kind, shape and dtype of a learner's tensor result (None when they fit)."""
    if isinstance(got, _Raised):
        return _raised(got.exc, lang)
    return _output_problem(got, want, None, lang)


def _check_soft_threshold(fn: Callable, lang: str) -> Result:
    """Run the learner's ``soft_threshold(v, lam)`` on hidden vectors (float64 and float32)."""
    title = _m("title_exercise", lang, id="10-4")
    subject = _m("subj_fn", lang)
    g = torch.Generator().manual_seed(1004)
    cases = []
    for dtype, lam in ((torch.float64, 0.75), (torch.float32, 0.5), (torch.float64, 0.0)):
        v = (torch.rand(12, generator=g, dtype=torch.float64) * 4 - 2).to(dtype)
        v[:4] = torch.tensor([lam, -lam, 0.0, lam / 2], dtype=dtype)  # on and inside the threshold
        cases.append((v, lam))
    for i, (v, lam) in enumerate(cases):
        where = _m("where_f64" if v.dtype == torch.float64 else "where_f32", lang)
        if i == 2:
            where = _m("where_param", lang, where=where, name="lam", value=lam)
        before = v.clone()
        try:
            got = fn(v, lam)
        except Exception as exc:  # the learner's code: reported, never re-raised
            got = _Raised(exc)
        if got is None:
            return Result(title, False, False, [_m("todo_fn", lang)], lang=lang)
        want = torch.sign(v) * torch.clamp(v.abs() - lam, min=0.0)
        problem = _tensor_problem(got, want, lang)
        if problem is None and not torch.equal(v, before):
            problem = _m("soft_inplace", lang)
        if problem is None:
            got = got.detach()
            inside = v.abs() <= lam
            if not bool(torch.isfinite(got).all()):
                problem = _m("nan", lang)
            elif _close(got[~inside], -want[~inside], 1e-5) and bool((~inside).any()):
                problem = _m("sign", lang)
            elif not bool((got[inside] == 0).all()):
                problem = _m("soft_not_zero", lang)
            elif not _close(got, want, TOL[v.dtype]):
                problem = _m("soft_shrink", lang)
        if problem:
            sentence = _m("problem", lang, where=where, subject=subject, what=problem)
            return Result(title, False, True, [sentence], lang=lang)
    return Result(title, True, True, checked=[_m("item_f64", lang), _m("item_f32", lang),
                                              _m("item_param", lang, name="lam")], lang=lang)


def _check_inverse_frequency(fn: Callable, lang: str) -> Result:
    """Run the learner's ``inverse_frequency_weights(labels, num_classes)`` on hidden label sets."""
    title = _m("title_exercise", lang, id="10-5")
    subject, where = _m("subj_fn", lang), _m("item_hidden", lang)
    g = torch.Generator().manual_seed(1005)
    cases = [(torch.tensor([0] * 50 + [1] * 30 + [2] * 15 + [3] * 5), 4),
             (torch.randint(0, 3, (37,), generator=g), 3),
             (torch.tensor([1, 1, 1, 0, 2, 2, 1, 1]), 5)]  # classes 3 and 4 have no sample: weight 0
    for labels, k in cases:
        counts = torch.bincount(labels, minlength=k).to(torch.float64)
        want = torch.where(counts > 0, len(labels) / (k * counts.clamp_min(1)), torch.zeros_like(counts))
        try:
            got = fn(labels.clone(), k)
        except Exception as exc:  # the learner's code: reported, never re-raised
            got = _Raised(exc)
        if got is None:
            return Result(title, False, False, [_m("todo_fn", lang)], lang=lang)
        problem = _tensor_problem(got, want.to(got.dtype) if isinstance(got, torch.Tensor) else want, lang)
        if problem is None and got.dtype != torch.float64:
            problem = _m("freq_dtype", lang, got=got.dtype)
        if problem is None:
            got = got.detach()
            present = counts > 0
            if not bool(torch.isfinite(got).all()):
                problem = _m("freq_absent", lang)
            elif _close(got, counts / len(labels), 1e-6):
                problem = _m("freq_frequency", lang)
            elif _close(got[present], 1.0 / counts[present], 1e-6):
                problem = _m("freq_no_scale", lang)
            elif not bool((got[~present] == 0).all()):
                problem = _m("freq_absent", lang)
            elif not _close(got, want, 1e-6):
                problem = _m("freq_value", lang)
        if problem:
            sentence = _m("problem", lang, where=where, subject=subject, what=problem)
            return Result(title, False, True, [sentence], lang=lang)
    return Result(title, True, True, checked=[_m("item_hidden", lang)], lang=lang)


def _kink_grads() -> list[float]:
    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    (g_clamp,) = torch.autograd.grad(torch.clamp(1 - x, min=0.0), x)
    (g_relu,) = torch.autograd.grad(F.relu(1 - x), x)
    return [g_clamp.item(), g_relu.item()]


def _adam_l2_fixed_point(a: float = 0.5, lam: float = 0.1) -> float:
    """Adam with weight_decay=λ on ½a(w − 1)²: the gradient a(w − 1) + λw vanishes at a/(a + λ)."""
    return a / (a + lam)


def _kendall_fixed_point(task_loss: float = 0.25) -> list[float]:
    """½e^{-s}L + ½s is smallest at s* = log L, where the task's weight ½e^{-s*} is 1/(2L)."""
    return [math.log(task_loss), 0.5 / task_loss]


# --- the exercises ---------------------------------------------------------------------------


def _near_to(value_fn: Callable[[], Any]) -> Callable[[np.ndarray], bool]:
    return lambda a: _near(a, value_fn())


def _t(*values: float) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def _kl_bits(p, q) -> float:
    from . import kl_div
    return kl_div(_t(*p), _t(*q), base=2).item()


def _entropy(p, base=math.e) -> float:
    from . import entropy
    return entropy(_t(*p), base=base).item()


def _median_exercise() -> tuple[float, float]:
    data = torch.randn(20, generator=torch.Generator().manual_seed(203), dtype=torch.float64)
    moved = data.clone()
    moved[moved.argmax()] += 100.0
    return ((moved.mean() - data.mean()).item(), (moved.median() - data.median()).item())


def _ce_grad() -> list[float]:
    from . import cross_entropy_grad
    return cross_entropy_grad(_t(2.0, 1.0, 0.0)[None], torch.tensor([0]))[0].tolist()


def _weights() -> list[float]:
    labels = torch.tensor([0] * 90 + [1] * 10)
    counts = torch.bincount(labels).double()
    return (len(labels) / (2 * counts)).tolist()


def _focal_ratio() -> float:
    from . import bce_with_logits, focal
    z, y = torch.logit(_t(0.8)), _t(1.0)
    return (focal(z, y, alpha=-1, gamma=2.0) / bce_with_logits(z, y)).item()


def _focal_grad() -> float:
    from . import focal_grad
    return focal_grad(_t(0.0), _t(1.0), alpha=-1, gamma=2.0).item()


def _note_grad() -> float:
    from .plots.focal import note_grad
    return float(note_grad([0.5], 2.0)[0])


def _weight_sum(gamma: int, count: int = 990) -> float:
    lo, hi = 0.01, 0.1  # u = 1 - p_t ~ U(0.01, 0.1)
    return count * (hi ** (gamma + 1) - lo ** (gamma + 1)) / ((gamma + 1) * (hi - lo))


def _infonce(tau: float) -> float:
    sims = _t(0.5, 0.4, 0.0) / tau
    return F.cross_entropy(sims[None], torch.tensor([0])).item()


def _accumulated() -> float:
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    loss = (w * _t(1.0, 2.0) - _t(0.5, 1.5)).pow(2).mean()
    loss.backward(retain_graph=True)
    once = w.grad.clone()
    loss.backward(retain_graph=True)
    loss.backward()
    return (w.grad / once).item()


def _curvature() -> float:
    from .plots.autograd import gd_curvature
    return gd_curvature()


def _bpr_equal() -> float:
    from . import bpr
    same = _t(0.3, -1.2, 2.0, 0.0)
    return bpr(same, same).item()


def _quantile(q: float) -> float:
    from .plots.regression import SKEWED
    return float(np.quantile(SKEWED, q, method="inverted_cdf"))


def _skewed(stat: Callable) -> float:
    from .plots.regression import SKEWED
    return float(stat(SKEWED))


def _value(id: str, notebook: str, answer: str, expected: Callable[[], Any],
           **mistakes: Callable[[np.ndarray], bool]) -> Exercise:
    return Exercise(id, notebook, "value", None, EXERCISE_TEXT[id]["hints"], answer, expected,
                    tuple(mistakes.items()))


def _code(id: str, notebook: str, loss: str | None, check: Check | None = None) -> Exercise:
    return Exercise(id, notebook, "code", loss, EXERCISE_TEXT[id]["hints"], check=check)


def _build() -> dict[str, Exercise]:
    n = _near_to
    log2_6 = math.log2(6)
    P, Q = (0.5, 0.5), (0.9, 0.1)
    K, eps = 10, 0.1
    ppl_probs = (0.5, 0.25, 0.125)
    items = [
        _value("01-1", "01_surprise", "number", lambda: log2_6,
               nats=n(lambda: math.log(6)), sign=n(lambda: -log2_6), probability=n(lambda: 1 / 6)),
        _value("01-2", "01_surprise", "integer",
               lambda: int(np.argmax(np.cumprod(np.full(1200, 0.5)) == 0)) + 1,
               smallest=lambda a: a[0] == 1074, normal=lambda a: a[0] in (1021, 1022, 1023, 1024)),
        _value("01-3", "01_surprise", "numbers:2", lambda: (_kl_bits(P, Q), _kl_bits(Q, P)),
               swapped=n(lambda: (_kl_bits(Q, P), _kl_bits(P, Q))),
               nats=n(lambda: (_kl_bits(P, Q) * math.log(2), _kl_bits(Q, P) * math.log(2))),
               symmetric=lambda a: bool(abs(a[0] - a[1]) < 1e-9)),
        _value("01-4", "01_surprise", "number", lambda: _entropy((0.1, 0.9)),
               bits=n(lambda: _entropy((0.1, 0.9), base=2)), old=n(lambda: _entropy((0.2, 0.8))),
               zero=n(lambda: 0.0)),
        _code("01-5", "01_surprise", "entropy"),
        _code("01-6", "01_surprise", "kl_div"),
        _value("02-1", "02_regression", "number", lambda: _huber_value(),
               quadratic=n(lambda: 4.5), linear=n(lambda: 3.0), squared=n(lambda: 9.0)),
        _value("02-2", "02_regression", "number", lambda: _quantile(0.9),
               mean=n(lambda: _skewed(np.mean)), median=n(lambda: _skewed(np.median)),
               low=n(lambda: _quantile(0.1))),
        _value("02-3", "02_regression", "numbers:2", _median_exercise,
               both=lambda a: _near(a[:1], _median_exercise()[0]) and _near(a[1:], _median_exercise()[0]),
               total=lambda a: _near(a[:1], 100.0),
               swapped=n(lambda: _median_exercise()[::-1])),
        _code("02-4", "02_regression", "huber"),
        _code("02-5", "02_regression", "log_cosh"),
        _value("03-1", "03_cross_entropy", "numbers:3", _ce_grad,
               sign=n(lambda: [-v for v in _ce_grad()]),
               softmax=n(lambda: torch.softmax(_t(2.0, 1.0, 0.0), 0).tolist())),
        _value("03-2", "03_cross_entropy", "number",
               lambda: math.log((1 - eps + eps / K) / (eps / K)),
               k_minus_1=n(lambda: math.log((1 - eps) / (eps / (K - 1)))),
               no_share=n(lambda: math.log((1 - eps) / (eps / K))),
               no_log=n(lambda: (1 - eps + eps / K) / (eps / K))),
        _value("03-3", "03_cross_entropy", "numbers:2", _weights,
               swapped=n(lambda: _weights()[::-1]), frequency=n(lambda: (0.9, 0.1)),
               no_scale=n(lambda: (1 / 90, 1 / 10))),
        _code("03-4", "03_cross_entropy", "bce_with_logits"),
        _code("03-5", "03_cross_entropy", "cross_entropy"),
        _value("04-1", "04_focal_loss", "number", _focal_ratio,
               no_power=n(lambda: 0.2), pt=n(lambda: 0.64)),
        _value("04-2", "04_focal_loss", "number", _focal_grad,
               sign=n(lambda: -_focal_grad()), no_modulator=n(lambda: -0.25 * 0.5), note=n(_note_grad)),
        _value("04-3", "04_focal_loss", "number", lambda: _weight_sum(3),
               gamma2=n(lambda: _weight_sum(2)), one=n(lambda: _weight_sum(3, 1))),
        _code("04-4", "04_focal_loss", "focal"),
        _code("04-5", "04_focal_loss", "softmax_focal"),
        _value("05-1", "05_infonce", "number", lambda: _infonce(0.1),
               no_tau=n(lambda: _infonce(1.0)), sign=n(lambda: -_infonce(0.1))),
        _value("05-2", "05_infonce", "number", lambda: math.exp((0.9 - 0.5) / 0.05),
               no_tau=n(lambda: math.exp(0.4)), ratio=n(lambda: 0.9 / 0.5),
               inverse=n(lambda: math.exp(-8.0))),
        _value("05-3", "05_infonce", "number", lambda: math.log(255 + 1),
               k=n(lambda: math.log(255)), bits=n(lambda: 8.0)),
        _code("05-4", "05_infonce", "infonce"),
        _code("05-5", "05_infonce", "nce"),
        _value("06-1", "06_autograd", "number", _accumulated, once=n(lambda: 1.0)),
        _value("06-2", "06_autograd", "number", lambda: 2 / _curvature(),
               one_step=n(lambda: 1 / _curvature()), curvature=n(_curvature)),
        _value("06-3", "06_autograd", "number", _bpr_equal,
               zero=n(lambda: 0.0), sign=n(lambda: -_bpr_equal())),
        _code("06-4", "06_autograd", "bpr", check=_check_bpr_loop),
        _code("06-5", "06_autograd", "bpr"),
        _value("09-1", "09_sequence", "integer", lambda: _ctc_min_frames("aabbb"),
               no_repeat=n(lambda: 5), extended=n(lambda: 2 * 5 + 1)),
        _value("09-2", "09_sequence", "number", lambda: _ctc_mean((3.0, 8.0), (1, 4)),
               plain_mean=n(lambda: 5.5), token_mean=n(lambda: 11.0 / 5), total=n(lambda: 11.0)),
        _value("09-3", "09_sequence", "number", lambda: _perplexity(ppl_probs),
               no_exp=n(lambda: math.log(_perplexity(ppl_probs))),
               arithmetic=n(lambda: (2 + 4 + 8) / 3), bits=n(lambda: math.log2(_perplexity(ppl_probs)))),
        _value("07-1", "07_generative", "number", lambda: 0.01 / (1 - 0.01),
               inverse=n(lambda: (1 - 0.01) / 0.01), minimax=n(lambda: 0.01)),
        _value("07-2", "07_generative", "number", lambda: 0.5,
               no_half=n(lambda: 1.0), with_var=n(lambda: 1.0 + 0.5)),
        _code("07-3", "07_generative", "gan_discriminator"),
        _code("07-4", "07_generative", "elbo"),
        _code("09-4", "09_sequence", "ctc"),
        _code("09-5", "09_sequence", "sequence_ce"),
        _value("08-1", "08_image", "number", lambda: 1 - 2 * 3 / (4 + 4),
               dice_score=n(lambda: 2 * 3 / (4 + 4)), iou=n(lambda: 1 - 3 / 5)),
        _value("08-2", "08_image", "number", lambda: 1 - 1 / (9 + 1),
               no_smooth=n(lambda: 1.0), both_empty=n(lambda: 0.0)),
        _value("08-3", "08_image", "number", lambda: 1 - (0 - (3 - 2) / 3),
               iou_loss=n(lambda: 1.0), giou=n(lambda: -1 / 3)),
        _code("08-4", "08_image", "dice"),
        _code("08-5", "08_image", "iou"),
        _value("10-1", "10_practice", "numbers:2", _kink_grads,
               swapped=n(lambda: _kink_grads()[::-1]), both_zero=n(lambda: (0.0, 0.0)),
               both_minus_one=n(lambda: (-1.0, -1.0)), half=n(lambda: (-0.5, -0.5))),
        _value("10-2", "10_practice", "number", _adam_l2_fixed_point,
               decoupled=n(lambda: 1.0), double=n(lambda: 0.5 / (0.5 + 0.2))),
        _value("10-3", "10_practice", "numbers:2", _kendall_fixed_point,
               no_half=n(lambda: (math.log(0.25), 4.0)), sigma=n(lambda: (math.log(0.5), 2.0)),
               inverse=n(lambda: (math.log(0.25), 0.125))),
        _code("10-4", "10_practice", None, check=_check_soft_threshold),
        _code("10-5", "10_practice", None, check=_check_inverse_frequency),
        _code("10-6", "10_practice", "uncertainty_weighting"),
        _value("11-1", "11_choosing", "number", lambda: 990 / 10,
               inverse=n(lambda: 10 / 990), total=n(lambda: 1000 / 10), share=n(lambda: 0.01)),
        _value("11-2", "11_choosing", "number", lambda: max(0.0, 1.0 - 1.3 + 0.5),
               zero=n(lambda: 0.0), sign=n(lambda: 1.3 - 1.0 + 0.5), no_margin=n(lambda: 1.0 - 1.3)),
        _value("11-3", "11_choosing", "integer", lambda: _semi_hard_count(0.6, 0.5, (0.4, 0.9, 1.3, 0.7)),
               violating=lambda a: a[0] == 3, hard=lambda a: a[0] == 1),
        _code("11-4", "11_choosing", "triplet"),
        _code("11-5", "11_choosing", "contrastive"),
    ]
    return {ex.id: ex for ex in items}


def _semi_hard_count(d_ap: float, margin: float, d_an: tuple[float, ...]) -> int:
    """Negatives with d(a, p) < d(a, n) < d(a, p) + margin (the notes' semi-hard band)."""
    return sum(d_ap < d < d_ap + margin for d in d_an)


def _ctc_min_frames(word: str) -> int:
    from .plots.sequence import min_frames
    return min_frames([ord(ch) for ch in word])


def _ctc_mean(losses: tuple[float, ...], target_lengths: tuple[int, ...]) -> float:
    """PyTorch's CTC 'mean' from per-sample losses: each divided by its target length, then averaged."""
    return float(np.mean(np.asarray(losses) / np.asarray(target_lengths)))


def _perplexity(probs: tuple[float, ...]) -> float:
    return math.exp(-float(np.mean(np.log(probs))))


def _huber_value() -> float:
    from . import huber
    return huber(_t(3.0), _t(0.0), delta=1.0).item()


_REGISTRY: dict[str, Exercise] | None = None


def registry() -> dict[str, Exercise]:
    """Every exercise by id ("04-2"): notebook, kind ("value" | "code"), loss id and hints."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _build()
    return dict(_REGISTRY)

