"""lossviz.exercises: the checkers accept right answers and name the typical mistakes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

import lossviz
from lossviz import exercises as X
from lossviz._exercise_text import EXERCISE_TEXT, MESSAGES
from tools.convert import simplified_chars, to_zh_cn, traditional_chars

ROOT = Path(__file__).resolve().parents[1]
CATALOG = lossviz.catalog()
IDS = list(CATALOG)
WITH_REF = [k for k, e in CATALOG.items() if e.reference is not None]
WITH_GRAD = [k for k, e in CATALOG.items() if e.grad is not None]


def msg(key: str, lang: str = "zh-TW") -> str:
    """The fixed part of a message (up to its first placeholder)."""
    return MESSAGES[key][lang].split("{")[0]


def has(result, key: str, lang: str = "zh-TW") -> bool:
    return any(msg(key, lang) in p for p in result.problems)


def _with(entry, **forced):
    def fn(*args, **kwargs):
        return entry.fn(*args, **{**kwargs, **forced})
    return fn


# --- check_loss over the catalog ---------------------------------------------------------


@pytest.mark.parametrize("loss_id", IDS)
def test_the_catalog_function_passes(loss_id):
    r = X.check_loss(CATALOG[loss_id].fn, loss_id, grad=CATALOG[loss_id].grad)
    assert r.ok and r.answered and r.problems == [], r


@pytest.mark.parametrize("loss_id", IDS)
def test_the_checker_does_not_test_on_the_visible_example(loss_id):
    """A function that answers for catalog()[id].example() whatever it is given must fail."""
    entry = CATALOG[loss_id]

    def memorised(*args, **kwargs):
        dtype = args[0].dtype if isinstance(args[0], torch.Tensor) else torch.float64
        shown_args, shown_kwargs = entry.example(dtype=dtype)
        settings = {k: v for k, v in kwargs.items() if not isinstance(v, torch.Tensor)}
        return entry.fn(*shown_args, **{**shown_kwargs, **settings})

    assert not X.check_loss(memorised, loss_id).ok


@pytest.mark.parametrize("loss_id", IDS)
def test_sum_where_mean_is_asked(loss_id):
    entry = CATALOG[loss_id]
    args, kwargs = entry.example()
    if torch.allclose(entry.fn(*args, **kwargs, reduction="sum"), entry.fn(*args, **kwargs)):
        pytest.skip("sum and mean coincide on the example (one value per batch)")
    r = X.check_loss(_with(entry, reduction="sum"), loss_id)
    assert not r.ok and has(r, "sum_for_mean"), r


@pytest.mark.parametrize("loss_id", IDS)
def test_ignoring_reduction_is_caught(loss_id):
    entry = CATALOG[loss_id]

    def fn(*args, reduction="mean", **kwargs):  # accepts reduction, always returns the mean
        return entry.fn(*args, **kwargs)
    args, kwargs = entry.example()
    if torch.allclose(entry.fn(*args, **kwargs, reduction="sum"), entry.fn(*args, **kwargs)):
        pytest.skip("sum and mean coincide on the example (one value per batch)")
    r = X.check_loss(fn, loss_id)
    assert not r.ok and has(r, "mean_for_sum"), r


@pytest.mark.parametrize("loss_id", IDS)
@pytest.mark.parametrize("factor, key", [(-1.0, "sign"), (2.0, "factor_2"), (0.5, "factor_half")])
def test_scaled_values(loss_id, factor, key):
    entry = CATALOG[loss_id]
    r = X.check_loss(lambda *a, **kw: factor * entry.fn(*a, **kw), loss_id)
    assert not r.ok and has(r, key), r


@pytest.mark.parametrize("loss_id", IDS)
def test_a_function_that_raises(loss_id):
    def fn(*args, **kwargs):
        raise RuntimeError("boom")
    r = X.check_loss(fn, loss_id)
    assert not r.ok and r.answered and has(r, "raised") and "RuntimeError" in r.problems[0], r


@pytest.mark.parametrize("loss_id", IDS)
def test_wrong_kinds_of_result(loss_id):
    entry = CATALOG[loss_id]
    r = X.check_loss(lambda *a, **kw: entry.fn(*a, **kw).item(), loss_id)
    assert not r.ok and has(r, "returns_float"), r
    args, kwargs = entry.example()
    if entry.fn(*args, **kwargs, reduction="none").dim() > 0:
        r = X.check_loss(_with(entry, reduction="none"), loss_id)
        assert not r.ok and has(r, "not_reduced"), r
    r = X.check_loss(lambda *a, **kw: entry.fn(*a, **kw).double(), loss_id)
    assert not r.ok and has(r, "wrong_dtype"), r
    r = X.check_loss(lambda *a, **kw: entry.fn(*a, **kw).detach(), loss_id)
    assert not r.ok and has(r, "detached") if entry.grad is not None else r.ok, r


@pytest.mark.parametrize("loss_id", WITH_GRAD)
def test_own_gradient_mistakes(loss_id):
    entry = CATALOG[loss_id]
    r = X.check_loss(entry.fn, loss_id, grad=lambda *a, **kw: -entry.grad(*a, **kw))
    assert not r.ok and has(r, "sign") and msg("subj_grad") in r.problems[0], r
    r = X.check_loss(entry.fn, loss_id, grad=lambda *a, **kw: entry.grad(*a, **kw)[..., :1])
    assert not r.ok and has(r, "wrong_shape"), r
    r = X.check_loss(entry.fn, loss_id, grad=lambda *a, **kw: None)
    assert not r.ok and r.answered and has(r, "grad_unwritten"), r


# --- the typical hand-written mistakes ------------------------------------------------------


def naive_bce_with_logits(x, t):
    p = torch.sigmoid(x)
    return (-(t * torch.log(p) + (1 - t) * torch.log(1 - p))).mean()


def clamped_bce_with_logits(x, t):
    p = torch.sigmoid(x)
    return (-(t * torch.log(p).clamp(min=-100) + (1 - t) * torch.log(1 - p).clamp(min=-100))).mean()


def stable_bce_with_logits(x, t):
    return (x.clamp(min=0) - x * t + torch.log1p(torch.exp(-x.abs()))).mean()


def naive_cross_entropy(x, t, reduction="mean"):
    e = torch.exp(x)
    loss = -torch.log(e.gather(1, t[:, None])[:, 0] / e.sum(1))
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def stable_cross_entropy(x, t, reduction="mean"):
    loss = torch.logsumexp(x, 1) - x.gather(1, t[:, None])[:, 0]
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def naive_focal(x, t, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(x)
    p_t = p * t + (1 - p) * (1 - t)
    a_t = alpha * t + (1 - alpha) * (1 - t)
    return (-a_t * (1 - p_t) ** gamma * torch.log(p_t)).mean()


def naive_log_cosh(x, y):
    return torch.log(torch.cosh(x - y)).mean()


def naive_bpr(pos, neg):
    return -torch.log(torch.sigmoid(pos - neg)).mean()


def where_huber(x, y, delta=1.0):  # torch.where(... , 0.5 d², ...) is fine; this one is the sum
    d = x - y
    return torch.where(d.abs() <= delta, 0.5 * d**2, delta * (d.abs() - 0.5 * delta)).sum()


@pytest.mark.parametrize("fn, loss_id", [
    (naive_bce_with_logits, "bce_with_logits"), (naive_cross_entropy, "cross_entropy"),
    (naive_focal, "focal"), (naive_log_cosh, "log_cosh"), (naive_bpr, "bpr"),
])
def test_overflow_fails_with_that_reason(fn, loss_id):
    r = X.check_loss(fn, loss_id)
    assert not r.ok and has(r, "unstable"), r
    assert all(msg("where_extreme").split("（")[0] in p for p in r.problems), r


def test_precision_lost_at_the_extremes_is_named():
    r = X.check_loss(clamped_bce_with_logits, "bce_with_logits")
    assert not r.ok and has(r, "off_extreme"), r


def test_a_formula_wrong_everywhere_is_not_called_a_precision_loss():
    # squared distances instead of distances: wrong on ordinary inputs too
    def triplet_squared(anchor, positive, negative, margin=1.0, reduction="mean"):
        per = torch.clamp(((anchor - positive) ** 2).sum(-1) - ((anchor - negative) ** 2).sum(-1) + margin, min=0)
        return {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]

    r = X.check_loss(triplet_squared, "triplet")
    only_extremes = MESSAGES["off_extreme"]["zh-TW"].split("；", 1)[1]
    assert not r.ok and r.problems, r
    assert not any(only_extremes in p for p in r.problems), r.problems


@pytest.mark.parametrize("fn, loss_id", [
    (stable_bce_with_logits, "bce_with_logits"), (stable_cross_entropy, "cross_entropy"),
])
def test_stable_hand_written_losses_pass(fn, loss_id):
    r = X.check_loss(fn, loss_id)
    assert r.ok, r


def test_sum_where_mean_is_asked_without_a_reduction_argument():
    r = X.check_loss(where_huber, "huber")
    assert not r.ok and has(r, "sum_for_mean"), r


def test_an_ignored_hyperparameter():
    r = X.check_loss(lambda x, y, delta=1.0: F.huber_loss(x, y, delta=1.0), "huber")
    assert not r.ok and has(r, "param_ignored") and "delta" in r.problems[0], r


def test_huber_gradient_of_the_sum_and_wrong_sign():
    def huber(x, y, delta=1.0):
        return F.huber_loss(x, y, delta=delta)
    def grad_sum(x, y, delta=1.0):
        return torch.clamp(x - y, -delta, delta)
    def grad_ok(x, y, delta=1.0):
        return torch.clamp(x - y, -delta, delta) / x.numel()
    assert X.check_loss(huber, "huber", grad=grad_ok).ok
    assert has(X.check_loss(huber, "huber", grad=grad_sum), "sum_for_mean")
    assert has(X.check_loss(huber, "huber", grad=lambda *a, **k: -grad_ok(*a, **k)), "sign")


def test_nan_gradient_from_where():
    def log_cosh(x, y):  # right values, but the unused branch overflows: NaN gradient
        d = x - y
        return torch.where(d.abs() < 20, torch.log(torch.cosh(d)), d.abs() - math.log(2)).mean()
    r = X.check_loss(log_cosh, "log_cosh")
    assert not r.ok and has(r, "grad_nan"), r


def test_unanswered_function_and_none():
    def blank(x, y): ...
    for fn in (blank, None, ...):
        r = X.check_loss(fn, "mse")
        assert not r.ok and not r.answered and r.problems == [MESSAGES["todo_fn"]["zh-TW"]]
        assert str(r).startswith(msg("unanswered")) and msg("ok") not in str(r)


def test_report_is_plain_and_in_the_language():
    r = X.check_loss(naive_bce_with_logits, "bce_with_logits", lang="zh-CN")
    text, md = str(r), r._repr_markdown_()
    assert text == repr(r) and text.startswith(msg("wrong", "zh-CN")) and not traditional_chars(text)
    assert md.startswith("❌") and "1e-" not in text.replace("1e-4", "").replace("1e-6", "")
    ok = X.check_loss(lossviz.mse, "mse")
    assert str(ok).startswith(msg("ok")) and ok._repr_markdown_().startswith("✅")
    # verdicts only: no residual, so the same report on every machine
    assert not re.search(r"\d\.\d{5,}", text + str(ok))


def test_same_verdicts_every_time():
    assert X.check_loss(naive_focal, "focal") == X.check_loss(naive_focal, "focal")


def test_checker_argument_errors():
    with pytest.raises(ValueError, match=r"loss_id must be a catalog id .*got 'hubber'"):
        X.check_loss(lossviz.mse, "hubber")
    with pytest.raises(TypeError, match=r"fn must be callable .*got int 3"):
        X.check_loss(3, "mse")
    with pytest.raises(TypeError, match=r"grad must be callable .*got str 'g'"):
        X.check_loss(lossviz.mse, "mse", grad="g")
    with pytest.raises(ValueError, match=r"lang must be one of 'zh-TW', 'zh-CN', got 'en'"):
        X.check_loss(lossviz.mse, "mse", lang="en")
    with pytest.raises(ValueError, match=r"exercise_id must be one of .*got '9-9'"):
        X.check_answer(1.0, "9-9")
    with pytest.raises(ValueError, match=r"lang must be one of"):
        X.check_answer(1.0, "01-1", lang="zh")
    with pytest.raises(ValueError, match=r"grad must be None for 'perceptual'"):
        X.check_loss(lossviz.perceptual, "perceptual", grad=lambda *a: a[0])


# --- check_answer --------------------------------------------------------------------------

EXERCISES = X.registry()
VALUES = [k for k, e in EXERCISES.items() if e.kind == "value"]


@pytest.mark.parametrize("ex_id", VALUES)
def test_value_exercises(ex_id):
    ex = EXERCISES[ex_id]
    expected = ex.expected()
    assert X.check_answer(expected if ex.answer != "integer" else int(expected), ex_id).ok
    blank = X.check_answer(None, ex_id)
    assert not blank.ok and not blank.answered and msg("ok") not in str(blank)
    wrong_type = X.check_answer("0.5", ex_id)
    assert not wrong_type.ok and wrong_type.answered and len(wrong_type.problems) == 1
    far = {"number": 12345.0, "integer": 12345, "numbers:2": (123.0, 456.0), "numbers:3": (1.0, 2.0, 3.0)}
    wrong = X.check_answer(far[ex.answer], ex_id)
    assert not wrong.ok and wrong.problems == [MESSAGES["answer_wrong"]["zh-TW"].format(
        hint=EXERCISE_TEXT[ex_id]["wrong"]["zh-TW"])], wrong


@pytest.mark.parametrize("ex_id, answer, mistake", [
    ("01-1", math.log(6), "nats"), ("01-1", -math.log2(6), "sign"),
    ("01-2", 1074, "smallest"),
    ("01-3", (0.531, 0.737), "swapped"),
    ("02-1", 4.5, "quadratic"), ("02-1", 3.0, "linear"),
    ("02-3", (5.0, 5.0), "both"), ("02-3", (0.0, 5.0), "swapped"),
    ("03-1", (0.3348, -0.2447, -0.0900), "sign"),
    ("03-2", math.log(81), "k_minus_1"), ("03-2", math.log(90), "no_share"),
    ("03-3", (0.9, 0.1), "frequency"),
    ("04-2", 0.2983, "sign"), ("04-2", -0.125, "no_modulator"),
    ("05-3", math.log(255), "k"),
    ("06-2", 0.4, "one_step"),
    ("06-3", 0.0, "zero"),
])
def test_the_usual_mistakes_get_their_hint(ex_id, answer, mistake):
    r = X.check_answer(answer, ex_id)
    assert not r.ok and r.problems == [EXERCISE_TEXT[ex_id]["mistakes"][mistake]["zh-TW"]], r


def test_01_3_takes_a_pair_and_says_so():
    r = X.check_answer(0.737, "01-3")
    assert not r.ok and r.answered and r.problems[0].startswith(msg("answer_numbers").split("{")[0]), r
    assert "(…, …)" in r.problems[0]


def test_02_3_checks_the_median_too():
    mean_shift, median_shift = EXERCISES["02-3"].expected()
    assert X.check_answer((mean_shift, median_shift), "02-3").ok
    assert not X.check_answer((mean_shift, median_shift + 1.0), "02-3").ok


def test_nearly_right_is_told_to_give_more_digits():
    r = X.check_answer(2.58, "01-1")
    assert r.problems == [MESSAGES["answer_close"]["zh-TW"].format(digits=5)]


def test_answers_accept_tensors_and_arrays():
    import numpy as np
    assert X.check_answer(torch.tensor(math.log2(6)), "01-1").ok
    assert X.check_answer(np.array(EXERCISES["03-1"].expected()), "03-1").ok
    assert not X.check_answer(float("nan"), "01-1").ok
    assert not X.check_answer(True, "01-2").ok


# --- 06-4: the BPR loop ---------------------------------------------------------------------


def bpr_fixed(score, users, pos_items, seen, generator):
    negs = torch.multinomial((~seen[users]).float(), 1, generator=generator).squeeze(1)
    return lossviz.bpr(score(users, pos_items), score(users, negs))


def bpr_same_inputs(score, users, pos_items, seen, generator):
    return lossviz.bpr(score(users, pos_items), score(users, pos_items))


def bpr_flipped(score, users, pos_items, seen, generator):
    negs = torch.multinomial((~seen[users]).float(), 1, generator=generator).squeeze(1)
    return lossviz.bpr(score(users, negs), score(users, pos_items))


def bpr_any_negative(score, users, pos_items, seen, generator):
    negs = torch.randint(seen.shape[1], users.shape, generator=generator)
    return lossviz.bpr(score(users, pos_items), score(users, negs))


def bpr_sum(score, users, pos_items, seen, generator):
    negs = torch.multinomial((~seen[users]).float(), 1, generator=generator).squeeze(1)
    return lossviz.bpr(score(users, pos_items), score(users, negs), reduction="sum")


@pytest.mark.parametrize("fn, key", [
    (bpr_fixed, None), (bpr_same_inputs, "bpr_cancel"), (bpr_flipped, "bpr_pos_sign"),
    (bpr_any_negative, "bpr_seen_negative"), (bpr_sum, "bpr_sum"),
])
def test_bpr_loop_checker(fn, key):
    r = X.check_answer(fn, "06-4")
    assert r.ok if key is None else (not r.ok and has(r, key)), r


def test_code_exercise_answers():
    def blank(score, users, pos_items, seen, generator): ...
    assert not X.check_answer(blank, "06-4").answered
    assert has(X.check_answer(3.0, "06-4"), "answer_function")
    assert X.check_answer(lossviz.huber, "02-4").ok  # a loss exercise runs check_loss


# --- registry, texts and notebooks ---------------------------------------------------------


def test_registry_covers_every_notebook():
    notebooks = sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.md"))
    for stem in notebooks:
        mine = [e for e in EXERCISES.values() if e.notebook == stem]
        assert len(mine) >= 4 and sum(e.kind == "code" for e in mine) >= 2, stem
    for ex in EXERCISES.values():
        assert re.fullmatch(r"\d\d-\d+", ex.id) and ex.notebook[:2] == ex.id[:2]
        assert ex.kind in ("value", "code") and (ex.loss is None or ex.loss in CATALOG)
        assert len(ex.hints["zh-TW"]) >= 2 and set(ex.hints) == {"zh-TW", "zh-CN"}


def test_texts_zh_cn_are_the_converted_zh_tw():
    pairs = list(MESSAGES.values())
    for t in EXERCISE_TEXT.values():
        pairs += [dict(zip(t["hints"], h, strict=True)) for h in zip(*t["hints"].values(), strict=True)]
        pairs += [t["wrong"]] if "wrong" in t else []
        pairs += list(t.get("mistakes", {}).values())
    for forms in pairs:
        assert forms["zh-CN"] == to_zh_cn(forms["zh-TW"]), forms
        assert not traditional_chars(forms["zh-CN"]) and not simplified_chars(forms["zh-TW"]), forms


def test_every_hint_is_in_its_notebook_and_no_answer_is_printed():
    for ex in EXERCISES.values():
        source = (ROOT / "notebooks" / "src" / f"{ex.notebook}.md").read_text(encoding="utf-8")
        exercises = source.split("\n## 練習", 1)[1]
        assert f"練習 {ex.id}" in exercises, ex.id
        for hint in ex.hints["zh-TW"]:
            assert hint in exercises, (ex.id, hint)


# --- 10-4 and 10-5: soft-thresholding and inverse-frequency weights -------------------------


def soft_right(v, lam):
    return torch.sign(v) * torch.clamp(v.abs() - lam, min=0.0)


def soft_no_clamp(v, lam):
    return torch.sign(v) * (v.abs() - lam)


def soft_inplace(v, lam):
    v.copy_(torch.sign(v) * torch.clamp(v.abs() - lam, min=0.0))
    return v


def soft_wrong_shrink(v, lam):
    return torch.sign(v) * torch.clamp(v.abs() - 2 * lam, min=0.0)


def soft_flipped(v, lam):
    return -torch.sign(v) * torch.clamp(v.abs() - lam, min=0.0)


def soft_raises(v, lam):
    raise RuntimeError("boom")


def freq_right(labels, k):
    counts = torch.bincount(labels, minlength=k).double()
    return torch.where(counts > 0, len(labels) / (k * counts.clamp_min(1)), torch.zeros_like(counts))


def freq_inf(labels, k):
    return len(labels) / (k * torch.bincount(labels, minlength=k).double())


def freq_share(labels, k):
    return torch.bincount(labels, minlength=k).double() / len(labels)


def freq_no_scale(labels, k):
    counts = torch.bincount(labels, minlength=k).double()
    return torch.where(counts > 0, 1 / counts.clamp_min(1), torch.zeros_like(counts))


def freq_float32(labels, k):
    return freq_right(labels, k).float()


@pytest.mark.parametrize("fn, ex_id, key", [
    (soft_right, "10-4", None), (soft_no_clamp, "10-4", "soft_not_zero"), (soft_inplace, "10-4", "soft_inplace"),
    (soft_wrong_shrink, "10-4", "soft_shrink"), (soft_flipped, "10-4", "sign"), (soft_raises, "10-4", "raised"),
    (freq_right, "10-5", None), (freq_inf, "10-5", "freq_absent"), (freq_share, "10-5", "freq_frequency"),
    (freq_no_scale, "10-5", "freq_no_scale"), (freq_float32, "10-5", "freq_dtype"),
])
def test_soft_threshold_and_inverse_frequency_checkers(fn, ex_id, key):
    r = X.check_answer(fn, ex_id)
    assert r.ok if key is None else (not r.ok and has(r, key)), r


def test_soft_threshold_checker_catches_a_wrong_shrink_outside_the_threshold():
    def shrink_half(v, lam):  # exact zeros inside, but moves by λ/2 outside
        return torch.where(v.abs() <= lam, torch.zeros_like(v), v - 0.5 * lam * torch.sign(v))
    r = X.check_answer(shrink_half, "10-4")
    assert not r.ok and has(r, "soft_shrink"), r
    unanswered = X.check_answer(lambda v, lam: None, "10-4")
    assert not unanswered.answered
