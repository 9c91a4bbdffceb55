"""Classification losses (and sequence_ce): hand values, PyTorch agreement beyond the catalog
examples, errors, invariants (hypothesis), stability, and cross-checks with scikit-learn."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from _util import autograd_of, t
from hypothesis import given, settings
from hypothesis import strategies as st

import lossviz as L
from lossviz._catalog.classification import _focal_reference
from lossviz._catalog.sequence import _sequence_ce_reference

D = torch.float64
REDUCTIONS = ("none", "mean", "sum")


def close(a, b, **kw):
    torch.testing.assert_close(a, b, **kw)


def check_grad(fn, grad, first, *rest, **kwargs):
    """closed-form gradient == autograd of the forward, for every reduction."""
    for r in REDUCTIONS:
        close(grad(first, *rest, **kwargs, reduction=r), autograd_of(fn, first, *rest, **kwargs, reduction=r),
              rtol=1e-7, atol=1e-10)


def logits_and_targets(seed, n=6, c=4, extra=(), dtype=D):
    g = torch.Generator().manual_seed(seed)
    x = (torch.randn(n, c, *extra, generator=g, dtype=torch.float64) * 2).to(dtype)
    y = torch.randint(c, (n, *extra), generator=g)
    return x, y


# ============================ hand-computed values ====================================
def test_bce_hand_values():
    # -ln 0.8 = 0.2231435513142097 (math.log)
    close(L.bce(t([0.8]), t([1.0])), t([-math.log(0.8)]).squeeze())
    close(L.bce(t([0.8]), t([1.0])), torch.tensor(0.22314355131420976, dtype=D))
    # soft target 0.3 at p = 0.6: -(0.3 ln 0.6 + 0.7 ln 0.4)
    close(L.bce(t([0.6]), t([0.3])), torch.tensor(-(0.3 * math.log(0.6) + 0.7 * math.log(0.4)), dtype=D))


def test_bce_clamps_each_log_at_minus_100_like_pytorch():
    # a certain wrong answer costs 100 (PyTorch's clamp), not infinity
    p, y = t([0.0, 1.0, 0.0, 1.0]), t([1.0, 0.0, 0.0, 1.0])
    close(L.bce(p, y, reduction="none"), t([100.0, 100.0, 0.0, 0.0]))
    close(L.bce(p, y, reduction="none"), F.binary_cross_entropy(p, y, reduction="none"))


def test_bce_with_logits_hand_values():
    # x = 0: -log sigmoid(0) = ln 2; x = 2, y = 0: softplus(2) = ln(1 + e^2)
    close(L.bce_with_logits(t([0.0]), t([1.0])), torch.tensor(math.log(2), dtype=D))
    close(L.bce_with_logits(t([2.0]), t([0.0])), torch.tensor(math.log1p(math.exp(2)), dtype=D))
    # pos_weight 3 multiplies the positive term only: 3 ln 2
    close(L.bce_with_logits(t([0.0]), t([1.0]), pos_weight=t([3.0])), torch.tensor(3 * math.log(2), dtype=D))
    close(L.bce_with_logits(t([0.0]), t([1.0]), pos_weight=3.0), torch.tensor(3 * math.log(2), dtype=D))


def test_cross_entropy_hand_values():
    # logits [2, 1, 0], class 0: log(e^2 + e + 1) - 2 = 0.40760596444437
    want = math.log(math.exp(2) + math.e + 1) - 2
    assert abs(want - 0.40760596) < 1e-8
    close(L.cross_entropy(t([2.0, 1.0, 0.0]), torch.tensor(0)), torch.tensor(want, dtype=D))
    # label smoothing 0.1 over 3 classes: q = [0.9 + 0.1/3, 0.1/3, 0.1/3], loss = -sum q_c log p_c
    lse = math.log(math.exp(2) + math.e + 1)
    logp = [2 - lse, 1 - lse, 0 - lse]
    q = [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3]
    close(L.cross_entropy(t([2.0, 1.0, 0.0]), torch.tensor(0), label_smoothing=0.1),
          torch.tensor(-sum(a * b for a, b in zip(q, logp, strict=True)), dtype=D))


def test_cross_entropy_weighted_mean_divides_by_target_weights():
    # two samples, losses l0 (class 0) and l1 (class 1); weight [2, 1]:
    # 'mean' = (2 l0 + 1 l1) / (2 + 1), not (2 l0 + l1) / 2
    x = t([[2.0, 0.0], [0.0, 1.0]])
    l0 = math.log(math.exp(2) + 1) - 2
    l1 = math.log(1 + math.e) - 1
    w = t([2.0, 1.0])
    close(L.cross_entropy(x, torch.tensor([0, 1]), w), torch.tensor((2 * l0 + l1) / 3, dtype=D))
    close(L.cross_entropy(x, torch.tensor([0, 1]), w, reduction="none"), t([2 * l0, l1]))
    # ignoring sample 1 leaves 2 l0 / 2 = l0
    close(L.cross_entropy(x, torch.tensor([0, -100]), w), torch.tensor(l0, dtype=D))


def test_focal_hand_value():
    # x = 0, y = 1: p_t = 0.5, CE = ln 2, alpha_t = 0.25 -> 0.25 * 0.5^2 * ln 2
    close(L.focal(t([0.0]), t([1.0])), torch.tensor(0.25 * 0.25 * math.log(2), dtype=D))
    # y = 0, x = 1: p_t = 1 - sigmoid(1), CE = softplus(1), alpha_t = 0.75
    s = 1 / (1 + math.exp(-1))
    close(L.focal(t([1.0]), t([0.0])), torch.tensor(0.75 * s ** 2 * math.log1p(math.e), dtype=D))


def test_softmax_focal_hand_value():
    # logits [2, 1, 0], class 0: p_t = e^2 / (e^2 + e + 1); loss = (1 - p_t)^2 * (-log p_t)
    pt = math.exp(2) / (math.exp(2) + math.e + 1)
    want = (1 - pt) ** 2 * -math.log(pt)
    close(L.softmax_focal(t([2.0, 1.0, 0.0]), torch.tensor(0)), torch.tensor(want, dtype=D))
    close(L.softmax_focal(t([2.0, 1.0, 0.0]), torch.tensor(0), alpha=0.5), torch.tensor(0.5 * want, dtype=D))


def test_hinge_hand_values():
    # max(0, 1 - y x): 1 - 0.3 = 0.7; 1 - (-1)(-0.5) = 0.5; 1 - 2 < 0 -> 0; margin 2: 2 - 0.3 = 1.7
    x, y = t([0.3, -0.5, 2.0]), t([1.0, -1.0, 1.0])
    close(L.hinge(x, y, reduction="none"), t([0.7, 0.5, 0.0]))
    close(L.hinge(x, y, margin=2.0, reduction="none"), t([1.7, 1.5, 0.0]))
    close(L.hinge(x, torch.tensor([1, -1, 1]), reduction="none"), t([0.7, 0.5, 0.0]))  # integer labels


def test_multiclass_hinge_hand_value():
    # PyTorch docs example: x = [0.1, 0.2, 0.4, 0.8], y = 3:
    # ((1 - 0.8 + 0.1) + (1 - 0.8 + 0.2) + (1 - 0.8 + 0.4)) / 4 = 1.3 / 4 = 0.325
    x = t([[0.1, 0.2, 0.4, 0.8]])
    close(L.multiclass_hinge(x, torch.tensor([3])), torch.tensor(0.325, dtype=D))
    # squared: (0.09 + 0.16 + 0.36) / 4 = 0.1525
    close(L.multiclass_hinge(x, torch.tensor([3]), p=2), torch.tensor(0.1525, dtype=D))


def test_nce_hand_value():
    # all scores 0: each of the 1 + K terms is ln 2
    close(L.nce(t([0.0]), t([[0.0, 0.0]])), torch.tensor(3 * math.log(2), dtype=D))


# ============================ PyTorch agreement beyond the catalog =====================
CE_CASES = [
    dict(),
    dict(label_smoothing=0.2),
    dict(weight=True),
    dict(weight=True, label_smoothing=0.15),
    dict(ignore=True),
    dict(ignore=True, weight=True, label_smoothing=0.1),
]


def _ce_case(case, extra=()):
    x, y = logits_and_targets(3, extra=extra)
    kw = {}
    if case.get("weight"):
        kw["weight"] = t([0.5, 2.0, 1.0, 3.0])
    if case.get("ignore"):
        y = y.clone()
        y.view(-1)[::3] = -1
        kw["ignore_index"] = -1
    if "label_smoothing" in case:
        kw["label_smoothing"] = case["label_smoothing"]
    return x, y, kw


@pytest.mark.parametrize("extra", [(), (3,), (2, 3)], ids=["NC", "NCd", "NCdd"])
@pytest.mark.parametrize("case", CE_CASES, ids=[str(c) for c in CE_CASES])
def test_cross_entropy_matches_pytorch(case, extra):
    x, y, kw = _ce_case(case, extra)
    for r in REDUCTIONS:
        close(L.cross_entropy(x, y, **kw, reduction=r), F.cross_entropy(x, y, **kw, reduction=r),
              rtol=1e-10, atol=1e-12)
        close(L.cross_entropy_grad(x, y, **kw, reduction=r),
              autograd_of(F.cross_entropy, x, y, **kw, reduction=r), rtol=1e-9, atol=1e-12)
    check_grad(L.cross_entropy, L.cross_entropy_grad, x, y, **kw)


def test_cross_entropy_mean_is_not_mean_of_none_with_weight_or_ignore():
    x, y, kw = _ce_case(dict(weight=True))
    none = L.cross_entropy(x, y, **kw, reduction="none")
    assert not torch.allclose(L.cross_entropy(x, y, **kw), none.mean())
    close(L.cross_entropy(x, y, **kw), none.sum() / kw["weight"][y].sum())


@pytest.mark.parametrize("extra", [(), (3,)], ids=["NC", "NCd"])
@pytest.mark.parametrize("kw", [dict(), dict(label_smoothing=0.2), dict(weight=True)], ids=str)
def test_cross_entropy_probability_targets_match_pytorch(kw, extra):
    x, _ = logits_and_targets(4, extra=extra)
    g = torch.Generator().manual_seed(5)
    q = torch.softmax(torch.randn(x.shape, generator=g, dtype=D), dim=1)
    kw = dict(kw)
    if kw.pop("weight", False):
        kw["weight"] = t([0.5, 2.0, 1.0, 3.0])
    for r in REDUCTIONS:
        close(L.cross_entropy(x, q, **kw, reduction=r), F.cross_entropy(x, q, **kw, reduction=r))
    check_grad(L.cross_entropy, L.cross_entropy_grad, x, q, **kw)
    # 'mean' divides by N (elements without the class dim), even with weights
    n = x.numel() // x.shape[1]
    close(L.cross_entropy(x, q, **kw), L.cross_entropy(x, q, **kw, reduction="sum") / n)


def test_cross_entropy_unbatched_input():
    x = t([0.3, -1.2, 2.0])
    for r in REDUCTIONS:
        y = torch.tensor(2)
        close(L.cross_entropy(x, y, reduction=r), F.cross_entropy(x, y, reduction=r))
    q = t([0.2, 0.3, 0.5])
    close(L.cross_entropy(x, q, label_smoothing=0.1), F.cross_entropy(x, q, label_smoothing=0.1))
    check_grad(L.cross_entropy, L.cross_entropy_grad, x, torch.tensor(2), label_smoothing=0.1)


def test_bce_weight_broadcasts_and_matches_pytorch():
    g = torch.Generator().manual_seed(6)
    p = torch.rand(4, 3, generator=g, dtype=D) * 0.9 + 0.05
    y = torch.rand(4, 3, generator=g, dtype=D)                     # soft targets
    for w in (t([0.5, 1.0, 2.0]), torch.rand(4, 1, generator=g, dtype=D), torch.tensor(1.5, dtype=D)):
        for r in REDUCTIONS:
            close(L.bce(p, y, w, reduction=r), F.binary_cross_entropy(p, y, w.expand_as(p), reduction=r))
        check_grad(L.bce, L.bce_grad, p, y, w)
    # away from the clamp the closed form is w (p - y) / (p (1 - p))
    close(L.bce_grad(p, y, reduction="sum"), (p - y) / (p * (1 - p)))


def test_bce_with_logits_weights_match_pytorch():
    g = torch.Generator().manual_seed(7)
    x = torch.randn(5, 3, generator=g, dtype=D) * 3
    y = torch.rand(5, 3, generator=g, dtype=D)
    w, pw = t([0.5, 1.0, 2.0]), t([0.2, 1.0, 4.0])
    for kw in (dict(), dict(weight=w), dict(pos_weight=pw), dict(weight=w, pos_weight=pw)):
        for r in REDUCTIONS:
            close(L.bce_with_logits(x, y, **kw, reduction=r),
                  F.binary_cross_entropy_with_logits(x, y, **kw, reduction=r))
        check_grad(L.bce_with_logits, L.bce_with_logits_grad, x, y, **kw)
        close(L.bce_with_logits_grad(x, y, **kw), autograd_of(F.binary_cross_entropy_with_logits, x, y, **kw))


def test_multiclass_hinge_matches_pytorch():
    g = torch.Generator().manual_seed(8)
    x = torch.randn(6, 4, generator=g, dtype=D)
    y = torch.randint(4, (6,), generator=g)
    w = t([0.5, 2.0, 1.0, 3.0])
    for kw in (dict(p=2), dict(weight=w), dict(p=2, margin=0.5, weight=w), dict(margin=0.0)):
        for r in REDUCTIONS:
            close(L.multiclass_hinge(x, y, **kw, reduction=r), F.multi_margin_loss(x, y, **kw, reduction=r))
        check_grad(L.multiclass_hinge, L.multiclass_hinge_grad, x, y, **kw)
    # positional order of F.multi_margin_loss: (input, target, p, margin, weight)
    close(L.multiclass_hinge(x, y, 2, 0.5, w), F.multi_margin_loss(x, y, 2, 0.5, w))
    # unbatched
    close(L.multiclass_hinge(x[0], y[0]), F.multi_margin_loss(x[0], y[0]))


def test_softmax_focal_gradients_in_every_configuration():
    x, y = logits_and_targets(9, extra=(3,))
    y = y.clone()
    y[0, 0] = -100
    for kw in (dict(), dict(gamma=0.0), dict(gamma=0.5), dict(alpha=0.25), dict(alpha=t([0.1, 0.2, 0.3, 0.4])),
               dict(gamma=3.0, alpha=t([1.0, 2.0, 0.5, 0.0]))):
        check_grad(L.softmax_focal, L.softmax_focal_grad, x, y, **kw)


def test_focal_gradients_in_every_configuration():
    g = torch.Generator().manual_seed(10)
    x = torch.randn(4, 5, generator=g, dtype=D) * 3
    y = (torch.rand(4, 5, generator=g, dtype=D) > 0.5).to(D)
    soft = torch.rand(4, 5, generator=g, dtype=D)
    for yy in (y, soft):
        for alpha, gamma in ((0.25, 2.0), (-1.0, 2.0), (0.5, 0.0), (0.9, 0.5), (0.0, 5.0)):
            check_grad(L.focal, L.focal_grad, x, yy, alpha, gamma)
            for r in REDUCTIONS:
                close(L.focal(x, yy, alpha, gamma, r), _focal_reference(x, yy, alpha, gamma, r))


def test_hinge_and_nce_gradients():
    g = torch.Generator().manual_seed(11)
    x = torch.randn(7, generator=g, dtype=D) * 2
    y = torch.where(torch.rand(7, generator=g) > 0.5, 1.0, -1.0).to(D)
    check_grad(L.hinge, L.hinge_grad, x, y, margin=0.5)
    neg = torch.randn(7, 3, generator=g, dtype=D)
    check_grad(L.nce, L.nce_grad, x, neg)
    close(L.nce_grad(x, neg, reduction="sum"), -torch.sigmoid(-x))


def test_nce_equals_bce_with_logits_summed_per_row():
    g = torch.Generator().manual_seed(12)
    pos, neg = torch.randn(5, generator=g, dtype=D) * 3, torch.randn(5, 4, generator=g, dtype=D) * 3
    scores = torch.cat([pos[:, None], neg], dim=1)
    labels = torch.cat([torch.ones(5, 1, dtype=D), torch.zeros(5, 4, dtype=D)], dim=1)
    want = F.binary_cross_entropy_with_logits(scores, labels, reduction="none").sum(1)
    close(L.nce(pos, neg, reduction="none"), want)
    close(L.nce(pos, neg), want.mean())


# ============================ sequence_ce =============================================
def _padded_batch(seed=13, dtype=D):
    g = torch.Generator().manual_seed(seed)
    x = (torch.randn(3, 5, 6, generator=g, dtype=torch.float64) * 2).to(dtype)
    y = torch.randint(6, (3, 5), generator=g)
    pad = torch.arange(5)[None, :] >= torch.tensor([5, 3, 1])[:, None]
    return x, y.masked_fill(pad, -100), pad


@pytest.mark.parametrize("kw", [dict(), dict(label_smoothing=0.1), dict(weight=True),
                                dict(weight=True, label_smoothing=0.2)], ids=str)
def test_sequence_ce_equals_flattened_cross_entropy(kw):
    x, y, pad = _padded_batch()
    kw = dict(kw)
    if kw.pop("weight", False):
        kw["weight"] = torch.linspace(0.5, 2.0, 6, dtype=D)
    for r in REDUCTIONS:
        close(L.sequence_ce(x, y, **kw, reduction=r), _sequence_ce_reference(x, y, **kw, reduction=r))
    check_grad(L.sequence_ce, L.sequence_ce_grad, x, y, **kw)
    none = L.sequence_ce(x, y, **kw, reduction="none")
    assert none.shape == (3, 5) and (none[pad] == 0).all()
    assert (L.sequence_ce_grad(x, y, **kw)[pad] == 0).all()


def test_sequence_ce_mean_is_over_non_padded_tokens():
    x, y, pad = _padded_batch()
    none = L.sequence_ce(x, y, reduction="none")
    close(L.sequence_ce(x, y), none.sum() / (~pad).sum())
    assert not torch.allclose(L.sequence_ce(x, y), none.mean())


# ============================ invariants (hypothesis) ==================================
finite = st.floats(-30, 30, allow_nan=False, width=64)


@settings(max_examples=30, deadline=None)
@given(st.lists(finite, min_size=1, max_size=8), st.data())
def test_focal_with_gamma_0_and_no_alpha_is_bce_with_logits(xs, data):
    x = torch.tensor(xs, dtype=D)
    y = torch.tensor(data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(xs), max_size=len(xs))),
                     dtype=D)
    close(L.focal(x, y, alpha=-1.0, gamma=0.0, reduction="none"), L.bce_with_logits(x, y, reduction="none"))
    close(L.focal_grad(x, y, alpha=-1.0, gamma=0.0), L.bce_with_logits_grad(x, y))


@settings(max_examples=30, deadline=None)
@given(st.lists(finite, min_size=1, max_size=8), st.data(), st.floats(0, 1), st.floats(0, 5))
def test_focal_is_nonnegative_and_never_above_bce(xs, data, alpha, gamma):
    x = torch.tensor(xs, dtype=D)
    y = torch.tensor(data.draw(st.lists(st.floats(0, 1), min_size=len(xs), max_size=len(xs))), dtype=D)
    fl = L.focal(x, y, alpha, gamma, reduction="none")
    ce = L.bce_with_logits(x, y, reduction="none")
    assert (fl >= 0).all() and (fl <= ce + 1e-12).all()


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(2, 6), st.integers(0, 2**31 - 1))
def test_cross_entropy_with_zero_smoothing_is_plain_cross_entropy(n, c, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, generator=g, dtype=D) * 5
    y = torch.randint(c, (n,), generator=g)
    plain = torch.logsumexp(x, 1) - x[torch.arange(n), y]          # -log softmax(x)_y
    close(L.cross_entropy(x, y, label_smoothing=0.0, reduction="none"), plain)
    assert (L.cross_entropy(x, y, label_smoothing=0.3, reduction="none") >= 0).all()


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(2, 6), st.integers(0, 2**31 - 1), st.floats(0, 1))
def test_cross_entropy_gradient_is_softmax_minus_target_and_sums_to_zero(n, c, seed, eps):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, generator=g, dtype=D) * 5
    y = torch.randint(c, (n,), generator=g)
    onehot = F.one_hot(y, c).to(D)
    close(L.cross_entropy_grad(x, y, reduction="sum"), torch.softmax(x, 1) - onehot)
    # with smoothing the target is q = (1 - eps) onehot + eps / C
    close(L.cross_entropy_grad(x, y, label_smoothing=eps, reduction="sum"),
          torch.softmax(x, 1) - ((1 - eps) * onehot + eps / c))
    # the softmax Jacobian kills constant shifts, so every gradient row sums to 0 (weights too)
    w = torch.rand(c, generator=g, dtype=D)
    for grad in (L.cross_entropy_grad(x, y, w, label_smoothing=eps), L.softmax_focal_grad(x, y, gamma=1.5)):
        close(grad.sum(1), torch.zeros(n, dtype=D), atol=1e-12, rtol=0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=8), st.data())
def test_bce_is_nonnegative(ps, data):
    p = torch.tensor(ps, dtype=D)
    y = torch.tensor(data.draw(st.lists(st.floats(0, 1), min_size=len(ps), max_size=len(ps))), dtype=D)
    assert (L.bce(p, y, reduction="none") >= -1e-12).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 5), st.integers(2, 6), st.integers(0, 2**31 - 1))
def test_softmax_focal_with_gamma_0_is_cross_entropy(n, c, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, generator=g, dtype=D) * 4
    y = torch.randint(c, (n,), generator=g)
    y[0] = -100
    for r in REDUCTIONS:
        close(L.softmax_focal(x, y, gamma=0.0, reduction=r), F.cross_entropy(x, y, reduction=r))
    close(L.softmax_focal_grad(x, y, gamma=0.0), L.cross_entropy_grad(x, y))


def test_cross_entropy_is_zero_at_a_perfect_prediction():
    x = t([[50.0, 0.0, 0.0], [0.0, 0.0, 50.0]])
    assert L.cross_entropy(x, torch.tensor([0, 2])).item() < 1e-20


def test_study_note_004_focalloss_class_is_softmax_focal_with_scalar_alpha():
    # note 004's FocalLoss: ce = F.cross_entropy(.., 'none'); p_t = exp(-ce); alpha * (1 - p_t)**gamma * ce
    x, y = logits_and_targets(14)
    ce = F.cross_entropy(x, y, reduction="none")
    note = (0.25 * (1 - torch.exp(-ce)) ** 2.0 * ce).mean()
    close(L.softmax_focal(x, y, alpha=0.25, gamma=2.0), note)


# ============================ stability ===============================================
def test_cross_entropy_at_logits_1e4_float32():
    x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [1e4, 1e4, -1e4]], dtype=torch.float32)
    y = torch.tensor([1, 1, 0])
    for kw in (dict(), dict(label_smoothing=0.1)):
        out = L.cross_entropy(x, y, **kw)
        assert torch.isfinite(out)
        close(out, F.cross_entropy(x, y, **kw))
        g = L.cross_entropy_grad(x, y, **kw)
        assert torch.isfinite(g).all()
        close(g, autograd_of(F.cross_entropy, x, y, **kw))


def test_bce_at_the_ends_of_the_unit_interval():
    p = torch.tensor([0.0, 1.0, 0.0, 1.0, 1e-30, 1 - 1e-7], dtype=torch.float32)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 0.3], dtype=torch.float32)
    out = L.bce(p, y, reduction="none")
    close(out, F.binary_cross_entropy(p, y, reduction="none"))
    g = L.bce_grad(p, y, reduction="none")
    assert torch.isfinite(g).all()
    close(g, autograd_of(L.bce, p, y, reduction="none"))
    # where a log is clamped the gradient of that term is 0: p = 0, y = 1 gets no gradient
    assert g[0] == 0 and g[1] == 0


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_logit_losses_at_plus_minus_100(dtype):
    x = torch.tensor([100.0, -100.0, 100.0, -100.0], dtype=dtype)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=dtype)
    close(L.bce_with_logits(x, y, reduction="none"),
          F.binary_cross_entropy_with_logits(x, y, reduction="none"))
    close(L.bce_with_logits_grad(x, y), autograd_of(F.binary_cross_entropy_with_logits, x, y))
    for gamma in (2.0, 0.5, 0.0):
        out = L.focal(x, y, 0.25, gamma, "none")
        assert torch.isfinite(out).all()
        close(out, _focal_reference(x, y, 0.25, gamma, "none"))
        g = L.focal_grad(x, y, 0.25, gamma)
        assert torch.isfinite(g).all()
        close(g, autograd_of(L.focal, x, y, 0.25, gamma))
    close(L.focal_grad(x, y, 0.25, 2.0), autograd_of(_focal_reference, x, y, 0.25, 2.0))
    neg = torch.stack([x, -x], dim=1)
    assert torch.isfinite(L.nce(x, neg)) and torch.isfinite(L.nce_grad(x, neg)).all()


def test_focal_gradient_where_one_minus_p_t_is_exactly_zero():
    # float64 sigmoid(-1000) == 0, so m = 1 - p_t = 0 exactly; gamma < 1 would give 0 * inf
    x, y = t([1000.0, -1000.0]), t([1.0, 0.0])
    for gamma in (0.5, 2.0):
        g = L.focal_grad(x, y, 0.25, gamma)
        assert torch.isfinite(g).all()
        close(g, autograd_of(L.focal, x, y, 0.25, gamma))


def test_softmax_focal_saturated_float32():
    x = torch.tensor([[1e4, 0.0, 0.0], [-1e4, 1e4, 0.0], [0.0, 0.0, 0.0]], dtype=torch.float32)
    y = torch.tensor([0, 0, 2])                                    # p_t = 1 exactly, p_t = e^-2e4, 1/3
    for gamma in (0.5, 2.0):
        out = L.softmax_focal(x, y, gamma=gamma)
        g = L.softmax_focal_grad(x, y, gamma=gamma)
        assert torch.isfinite(out) and torch.isfinite(g).all()
        close(g, autograd_of(L.softmax_focal, x, y, gamma=gamma))


# ============================ second library: scikit-learn =============================
def test_hinge_matches_sklearn():
    metrics = pytest.importorskip("sklearn.metrics")
    g = torch.Generator().manual_seed(15)
    x = torch.randn(20, generator=g, dtype=D) * 2
    y = torch.where(torch.rand(20, generator=g) > 0.5, 1, -1)
    want = metrics.hinge_loss(y.numpy(), x.numpy())
    assert abs(L.hinge(x, y).item() - want) < 1e-12


def test_bce_matches_sklearn_log_loss():
    metrics = pytest.importorskip("sklearn.metrics")
    g = torch.Generator().manual_seed(16)
    p = torch.rand(20, generator=g, dtype=D) * 0.98 + 0.01
    y = (torch.rand(20, generator=g) > 0.5).to(D)
    assert abs(L.bce(p, y).item() - metrics.log_loss(y.numpy(), p.numpy(), labels=[0, 1])) < 1e-12


# ============================ errors ==================================================
def raises(exc, pattern):
    return pytest.raises(exc, match=pattern)


def test_bce_errors():
    p, y = t([0.2, 0.7]), t([0.0, 1.0])
    with raises(TypeError, r"input must be a floating-point tensor"):
        L.bce(torch.tensor([0, 1]), y)
    with raises(ValueError, r"target must have the same shape as input \(2,\) \(no broadcasting\), "
                            r"got \(3,\)"):
        L.bce(p, t([0.0, 1.0, 1.0]))
    with raises(ValueError, r"input must hold probabilities in \[0, 1\], got a value 1.5"):
        L.bce(t([0.2, 1.5]), y)
    with raises(ValueError, r"target must hold probabilities in \[0, 1\], got a value -0.1"):
        L.bce(p, t([-0.1, 1.0]))
    with raises(ValueError, r"weight must broadcast to the shape of input \(2,\), got \(2, 2\)"):
        L.bce(p, y, torch.ones(2, 2, dtype=D))
    with raises(ValueError, r"weight must hold values >= 0, got a value -1.0"):
        L.bce(p, y, t([-1.0, 1.0]))
    with raises(TypeError, r"target must have the dtype of input \(torch.float64\), got torch.float32"):
        L.bce(p, y.float())
    with raises(ValueError, r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
        L.bce_grad(p, y, reduction="avg")


def test_bce_with_logits_errors():
    x, y = t([0.2, -3.0]), t([0.0, 1.0])
    with raises(ValueError, r"target must hold probabilities in \[0, 1\], got a value 2.0"):
        L.bce_with_logits(x, t([0.0, 2.0]))
    with raises(ValueError, r"pos_weight must be >= 0, got -1.0"):
        L.bce_with_logits(x, y, pos_weight=-1.0)
    with raises(ValueError, r"pos_weight must hold values >= 0, got a value -2.0"):
        L.bce_with_logits(x, y, pos_weight=t([1.0, -2.0]))
    with raises(ValueError, r"pos_weight must broadcast to the shape of input \(2,\), got \(3,\)"):
        L.bce_with_logits(x, y, pos_weight=t([1.0, 1.0, 1.0]))
    with raises(TypeError, r"target must be a floating-point tensor"):
        L.bce_with_logits(x, torch.tensor([0, 1]))


def test_cross_entropy_errors():
    x = t([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = torch.tensor([0, 2])
    with raises(TypeError, r"input must be a floating-point tensor"):
        L.cross_entropy(torch.tensor([[1, 2]]), y)
    with raises(ValueError, r"input must have at least 1 dimensions"):
        L.cross_entropy(torch.tensor(1.0, dtype=D), torch.tensor(0))
    with raises(ValueError, r"target must hold class indices in \[0, 2\] \(or ignore_index=-100\), got 3"):
        L.cross_entropy(x, torch.tensor([0, 3]))
    with raises(ValueError, r"target must hold class indices in \[0, 2\] \(or ignore_index=-100\), got -1"):
        L.cross_entropy(x, torch.tensor([0, -1]))
    with raises(ValueError, r"target must have the same shape as input without its class dimension \(2,\)"):
        L.cross_entropy(x, torch.tensor([0, 1, 2]))
    with raises(TypeError, r"target must be an integer tensor \(e.g. torch.long\), got dtype torch.bool"):
        L.cross_entropy(x, torch.tensor([True, False]))
    with raises(ValueError, r"weight must be a 1-D tensor with one value per class \(shape \(3,\)\), "
                            r"got shape \(2,\)"):
        L.cross_entropy(x, y, t([1.0, 1.0]))
    with raises(ValueError, r"weight must hold values >= 0, got a value -1.0"):
        L.cross_entropy(x, y, t([1.0, -1.0, 1.0]))
    with raises(ValueError, r"label_smoothing must be <= 1, got 1.5"):
        L.cross_entropy(x, y, label_smoothing=1.5)
    with raises(ValueError, r"label_smoothing must be >= 0, got -0.1"):
        L.cross_entropy_grad(x, y, label_smoothing=-0.1)
    with raises(TypeError, r"ignore_index must be an integer, got 1.5"):
        L.cross_entropy(x, y, ignore_index=1.5)
    with raises(ValueError, r"target must sum to 1 along dim 1, got a sum of 0.5"):
        L.cross_entropy(x, t([[0.25, 0.25, 0.0], [1.0, 0.0, 0.0]]))
    with raises(ValueError, r"target must hold probabilities in \[0, 1\], got a value -0.5"):
        L.cross_entropy(x, t([[0.5, -0.5, 1.0], [1.0, 0.0, 0.0]]))
    with raises(ValueError, r"target must have the same shape as input \(2, 3\)"):
        L.cross_entropy(x, t([[1.0, 0.0], [1.0, 0.0]]))


def test_focal_errors():
    x, y = t([0.5, -1.0]), t([1.0, 0.0])
    with raises(ValueError, r"alpha must be <= 1, got 1.5"):
        L.focal(x, y, alpha=1.5)
    with raises(ValueError, r"gamma must be >= 0, got -1.0"):
        L.focal(x, y, gamma=-1.0)
    with raises(TypeError, r"inputs must be a floating-point tensor"):
        L.focal(torch.tensor([1, 0]), y)
    with raises(ValueError, r"targets must hold probabilities in \[0, 1\], got a value 2.0"):
        L.focal(x, t([2.0, 0.0]))
    with raises(ValueError, r"targets must have the same shape as inputs \(2,\)"):
        L.focal_grad(x, t([1.0]))


def test_softmax_focal_errors():
    x, y = t([[1.0, 2.0, 3.0]]), torch.tensor([1])
    with raises(ValueError, r"gamma must be >= 0, got -0.5"):
        L.softmax_focal(x, y, gamma=-0.5)
    with raises(ValueError, r"alpha must be >= 0, got -0.25"):
        L.softmax_focal(x, y, alpha=-0.25)
    with raises(ValueError, r"alpha must be a 1-D tensor with one value per class \(shape \(3,\)\), "
                            r"got shape \(2,\)"):
        L.softmax_focal(x, y, alpha=t([1.0, 1.0]))
    with raises(ValueError, r"target must hold class indices in \[0, 2\] \(or ignore_index=-100\), got 7"):
        L.softmax_focal(x, torch.tensor([7]))
    with raises(TypeError, r"target must be an integer tensor"):
        L.softmax_focal(x, t([1.0]))


def test_hinge_errors():
    x = t([0.5, -1.0])
    with raises(ValueError, r"target must hold labels in \{-1, \+1\}, got a value 0.0"):
        L.hinge(x, t([1.0, 0.0]))
    with raises(ValueError, r"margin must be >= 0, got -1.0"):
        L.hinge(x, t([1.0, -1.0]), margin=-1.0)
    with raises(ValueError, r"target must have the same shape as input \(2,\)"):
        L.hinge(x, t([1.0]))
    with raises(TypeError, r"input must be a floating-point tensor"):
        L.hinge_grad(torch.tensor([1, 2]), t([1.0, -1.0]))


def test_multiclass_hinge_errors():
    x, y = t([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([3])
    with raises(ValueError, r"p must be one of 1, 2, got 3"):
        L.multiclass_hinge(x, y, p=3)
    with raises(ValueError, r"margin must be >= 0, got -0.5"):
        L.multiclass_hinge(x, y, margin=-0.5)
    with raises(ValueError, r"target must hold class indices in \[0, 3\], got 4"):
        L.multiclass_hinge(x, torch.tensor([4]))
    with raises(ValueError, r"input must have 1 or 2 dimensions, got shape \(1, 4, 1\)"):
        L.multiclass_hinge(x[..., None], y)
    with raises(ValueError, r"weight must be a 1-D tensor with one value per class \(shape \(4,\)\)"):
        L.multiclass_hinge(x, y, weight=t([1.0]))


def test_nce_errors():
    with raises(ValueError, r"neg_scores without its last dimension \(K negatives\) must have the same shape "
                            r"as pos_scores \(3,\) \(no broadcasting\), got \(2,\)"):
        L.nce(t([0.0, 1.0, 2.0]), torch.zeros(2, 4, dtype=D))
    with raises(ValueError, r"neg_scores must have at least 1 dimensions"):
        L.nce(torch.tensor(0.0, dtype=D), torch.tensor(0.0, dtype=D))
    with raises(TypeError, r"pos_scores must be a floating-point tensor"):
        L.nce(torch.tensor([1]), torch.zeros(1, 2, dtype=D))
    with raises(TypeError, r"neg_scores must have the dtype of pos_scores"):
        L.nce(t([0.0]), torch.zeros(1, 2))


def test_sequence_ce_errors():
    x, y, _ = _padded_batch()
    with raises(ValueError, r"input must have 3 dimensions, got shape \(15, 6\)"):
        L.sequence_ce(x.reshape(15, 6), y.reshape(15))
    with raises(ValueError, r"target must have the same shape as input without its class dimension \(N, T\) "
                            r"\(3, 5\) \(no broadcasting\), got \(3, 4\)"):
        L.sequence_ce(x, y[:, :4])
    with raises(TypeError, r"target must be an integer tensor"):
        L.sequence_ce(x, y.to(D))
    with raises(ValueError, r"target must hold class indices in \[0, 5\] \(or ignore_index=0\), got -100"):
        L.sequence_ce(x, y, ignore_index=0)
