"""CTC: hand-worked values, brute-force path sums, F.ctc_loss agreement, errors, stability."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.sequence import ctc, ctc_grad

D = torch.float64


def _collapse(path, blank=0):
    """B(π): merge repeats, then drop blanks."""
    out, prev = [], None
    for c in path:
        if c != prev and c != blank:
            out.append(c)
        prev = c
    return tuple(out)


def _brute_force_p(y, target, blank=0):
    """p(l | x) by enumerating all C^T paths (y: list of T rows of probabilities)."""
    T, C = len(y), len(y[0])
    total = 0.0
    for path in itertools.product(range(C), repeat=T):
        if _collapse(path, blank) == tuple(target):
            total += math.prod(y[t][c] for t, c in enumerate(path))
    return total


def _lp(rows):
    """(T, 1, C) log-probabilities from rows of probabilities."""
    return torch.tensor(rows, dtype=D).log().unsqueeze(1)


Y2 = [[0.4, 0.6], [0.3, 0.7]]  # T = 2, C = 2 (blank 0, label 1)
Y3 = [[0.4, 0.6], [0.3, 0.7], [0.5, 0.5]]


# --- hand-worked values ---------------------------------------------------------------
def test_single_label_two_frames_by_hand():
    # paths collapsing to "1": (1,1), (0,1), (1,0) -> 0.6*0.7 + 0.4*0.7 + 0.6*0.3 = 0.42 + 0.28 + 0.18
    want = -math.log(0.88)
    got = ctc(_lp(Y2), torch.tensor([[1]]), (2,), (1,), reduction="sum")
    assert got.item() == pytest.approx(want, rel=1e-12)


def test_single_label_gradient_by_hand():
    # gamma_t(c) = share of p carried by the paths with pi_t = c (paths as above, p = 0.88):
    # t=0: c=1 in (1,1),(1,0): 0.60; c=0 in (0,1): 0.28.  t=1: c=1 in (1,1),(0,1): 0.70; c=0: 0.18
    want = -torch.tensor([[0.28, 0.60], [0.18, 0.70]], dtype=D).unsqueeze(1) / 0.88
    got = ctc_grad(_lp(Y2), torch.tensor([[1]]), (2,), (1,), reduction="sum")
    torch.testing.assert_close(got, want)


def test_repeated_label_needs_a_blank_between():
    # "1 1" in 3 frames: only the path (1, 0, 1) -> 0.6 * 0.3 * 0.5 = 0.09
    got = ctc(_lp(Y3), torch.tensor([[1, 1]]), (3,), (2,), reduction="sum")
    assert got.item() == pytest.approx(-math.log(0.09), rel=1e-12)


def test_empty_target_is_all_blanks():
    # the only path is (0, 0, 0): 0.4 * 0.3 * 0.5 = 0.06
    got = ctc(_lp(Y3), torch.zeros(1, 0, dtype=torch.long), (3,), (0,), reduction="sum")
    assert got.item() == pytest.approx(-math.log(0.06), rel=1e-12)


def test_impossible_alignment_is_inf_or_zero_with_zero_infinity():
    # "1 1" needs 3 frames (1, blank, 1); with 2 frames no path exists: p = 0
    args = (_lp(Y2), torch.tensor([[1, 1]]), (2,), (2,))
    assert ctc(*args, reduction="sum").item() == math.inf
    assert ctc(*args, reduction="sum", zero_infinity=True).item() == 0.0
    for zi in (False, True):
        x = args[0].clone().requires_grad_(True)
        (g,) = torch.autograd.grad(ctc(x, *args[1:], zero_infinity=zi), x)
        assert torch.equal(g, torch.zeros_like(g))  # PyTorch: NaN unless zero_infinity=True
        assert torch.equal(ctc_grad(*args, zero_infinity=zi), torch.zeros_like(g))


def test_zero_input_length():
    lp = _lp(Y2)
    # no frames: an empty target has the empty alignment (p = 1), a non-empty one none
    assert ctc(lp, torch.zeros(1, 1, dtype=torch.long), (0,), (0,)).item() == 0.0
    assert ctc(lp, torch.ones(1, 1, dtype=torch.long), (0,), (1,)).item() == math.inf


def test_mean_divides_by_target_length_then_averages():
    # sample 0: "1" in Y2 -> -log 0.88, length 1; sample 1: empty target in Y2 -> -log(0.4*0.3),
    # length 0 counted as 1.  'mean' = (-log 0.88 / 1 + -log 0.12 / 1) / 2
    lp = torch.cat([_lp(Y2), _lp(Y2)], dim=1)
    targets = torch.tensor([[1], [0]])
    got = ctc(lp, targets, (2, 2), (1, 0))
    assert got.item() == pytest.approx((-math.log(0.88) - math.log(0.12)) / 2, rel=1e-12)
    # two labels: "1 1" in Y3 (p = 0.09, length 2) and "1" in Y3; mean = (l0 / 2 + l1 / 1) / 2
    lp = torch.cat([_lp(Y3), _lp(Y3)], dim=1)
    p1 = _brute_force_p(Y3, (1,))
    got = ctc(lp, torch.tensor([[1, 1], [1, 0]]), (3, 3), (2, 1))
    assert got.item() == pytest.approx((-math.log(0.09) / 2 - math.log(p1)) / 2, rel=1e-12)


# --- brute force and invariants (hypothesis) -----------------------------------------
@st.composite
def _problem(draw, max_t=5, max_c=4):
    T = draw(st.integers(1, max_t))
    C = draw(st.integers(2, max_c))
    blank = draw(st.integers(0, C - 1))
    U = draw(st.integers(0, T))
    labels = [c for c in range(C) if c != blank]
    target = draw(st.lists(st.sampled_from(labels), min_size=U, max_size=U))
    seed = draw(st.integers(0, 2**16))
    logits = torch.randn(T, C, generator=torch.Generator().manual_seed(seed), dtype=D) * 2
    return logits, target, blank


@settings(max_examples=40, deadline=None)
@given(_problem())
def test_matches_brute_force_enumeration(problem):
    logits, target, blank = problem
    y = logits.softmax(-1).tolist()
    p = _brute_force_p(y, target, blank)
    lp = logits.log_softmax(-1).unsqueeze(1)
    got = ctc(lp, torch.tensor([target + [0]]), (len(y),), (len(target),), blank, reduction="sum")
    if p == 0.0:
        assert got.item() == math.inf
    else:
        assert got.item() == pytest.approx(-math.log(p), rel=1e-9, abs=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 4), st.integers(2, 3), st.integers(0, 2**16))
def test_probabilities_of_all_label_sequences_sum_to_one(T, C, seed):
    # every path collapses to exactly one label sequence (of length <= T), so sum_l p(l|x) = 1
    lp = torch.randn(T, 1, C, generator=torch.Generator().manual_seed(seed), dtype=D).log_softmax(-1)
    total = 0.0
    for U in range(T + 1):
        for target in itertools.product(range(1, C), repeat=U):
            t = torch.tensor([list(target) + [1]])
            total += math.exp(-ctc(lp, t, (T,), (U,), reduction="sum").item())
    assert total == pytest.approx(1.0, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 7), st.integers(1, 3), st.integers(2, 5), st.integers(0, 2**16),
       st.sampled_from(["none", "mean", "sum"]), st.booleans())
def test_closed_form_equals_autograd_and_is_a_posterior(T, N, C, seed, reduction, zero_infinity):
    g = torch.Generator().manual_seed(seed)
    lp = torch.randn(T, N, C, generator=g, dtype=D).log_softmax(-1)
    S = 4
    targets = torch.randint(1, C, (N, S), generator=g)
    input_lengths = torch.randint(0, T + 1, (N,), generator=g)
    target_lengths = torch.randint(0, S + 1, (N,), generator=g)  # some are impossible: p = 0
    args = (targets, input_lengths, target_lengths)
    x = lp.clone().requires_grad_(True)
    (auto,) = torch.autograd.grad(ctc(x, *args, reduction=reduction, zero_infinity=zero_infinity).sum(), x)
    closed = ctc_grad(lp, *args, reduction=reduction, zero_infinity=zero_infinity)
    assert torch.isfinite(auto).all()
    torch.testing.assert_close(closed, auto, rtol=1e-9, atol=1e-12)
    if reduction == "sum":
        # -gamma_t(.) is a probability distribution over classes on every live frame of a
        # possible sample, and 0 past the sample's input length
        possible = torch.isfinite(ctc(lp, *args, reduction="none"))
        live = torch.arange(T)[:, None] < input_lengths[None, :]
        want = -(live & possible[None, :]).to(D)
        torch.testing.assert_close(closed.sum(-1), want, rtol=1e-9, atol=1e-12)


# --- F.ctc_loss ----------------------------------------------------------------------
def _batch(seed, T=9, N=4, C=5, S=4, dtype=D):
    g = torch.Generator().manual_seed(seed)
    lp = torch.randn(T, N, C, generator=g, dtype=D).log_softmax(-1).to(dtype)
    targets = torch.randint(1, C, (N, S), generator=g)
    input_lengths = torch.tensor([T, T - 1, 3, T])[:N]
    target_lengths = torch.tensor([S, 2, S, 0])[:N]  # sample 2: 3 frames for 4 labels may be impossible
    return lp, targets, input_lengths, target_lengths


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_torch(dtype, reduction, zero_infinity, seed):
    lp, targets, il, tl = _batch(seed, dtype=dtype)
    targets[2] = torch.tensor([1, 1, 2, 2])  # "1 1 2 2" needs 6 frames: sample 2 is impossible
    got = ctc(lp, targets, il, tl, reduction=reduction, zero_infinity=zero_infinity)
    want = F.ctc_loss(lp, targets, il, tl, reduction=reduction, zero_infinity=zero_infinity)
    assert got.dtype == dtype
    tol = dict(rtol=1e-9, atol=1e-11) if dtype == D else dict(rtol=2e-5, atol=1e-5)
    torch.testing.assert_close(got, want, **tol)


def test_accepted_input_forms_match_torch():
    lp, targets, il, tl = _batch(3)
    want = F.ctc_loss(lp, targets, il, tl, reduction="none")
    concatenated = torch.cat([targets[n, : tl[n]] for n in range(4)])
    forms = [
        (targets, il, tl),
        (concatenated, il, tl),
        (targets.int(), il.int(), tl.int()),
        (targets, tuple(il.tolist()), list(tl.tolist())),
    ]
    for t, a, b in forms:
        torch.testing.assert_close(ctc(lp, t, a, b, reduction="none"), want)
    # blank other than 0
    lp2 = lp.roll(1, dims=-1)
    torch.testing.assert_close(ctc(lp2, targets - 1, il, tl, 4, reduction="none"),
                               F.ctc_loss(lp2, targets - 1, il, tl, 4, reduction="none"))
    # unbatched (T, C) with 1-D targets: a 0-d result, like PyTorch
    got = ctc(lp[:, 0], targets[0], il[0], tl[0], reduction="none")
    assert got.shape == () and torch.allclose(got, want[0])
    torch.testing.assert_close(ctc(lp[:, 0], targets[0], il[0], tl[0]),
                               F.ctc_loss(lp[:, 0], targets[0], il[0], tl[0]))
    assert ctc_grad(lp[:, 0], targets[0], il[0], tl[0]).shape == lp[:, 0].shape


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_gradients_through_log_softmax_match_torch(reduction):
    # PyTorch's backward returns exp(lp) - gamma (the gradient assuming lp = log_softmax(z));
    # ours is the true partial -gamma.  Through log_softmax both give the same d/dz.
    g = torch.Generator().manual_seed(7)
    z = torch.randn(9, 4, 5, generator=g, dtype=D)
    _, targets, _, tl = _batch(7)
    il = torch.tensor([9, 8, 5, 9])  # every sample possible (PyTorch's gradient is NaN otherwise)
    z1, z2 = z.clone().requires_grad_(True), z.clone().requires_grad_(True)
    (g_ours,) = torch.autograd.grad(ctc(z1.log_softmax(-1), targets, il, tl, reduction=reduction).sum(), z1)
    (g_ref,) = torch.autograd.grad(F.ctc_loss(z2.log_softmax(-1), targets, il, tl,
                                              reduction=reduction).sum(), z2)
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-9, atol=1e-12)
    # and the closed form, chained through log_softmax by hand: dz = g - softmax(z) * sum_c g
    lp = z.log_softmax(-1)
    gl = ctc_grad(lp, targets, il, tl, reduction=reduction)
    torch.testing.assert_close(gl - lp.exp() * gl.sum(-1, keepdim=True), g_ref, rtol=1e-9, atol=1e-12)
    # PyTorch's own gradient w.r.t. log_probs is exactly exp(lp) * (sum_c of ours) + ours
    x = lp.clone().requires_grad_(True)
    (g_torch_lp,) = torch.autograd.grad(F.ctc_loss(x, targets, il, tl, reduction=reduction).sum(), x)
    torch.testing.assert_close(g_torch_lp, gl - lp.exp() * gl.sum(-1, keepdim=True), rtol=1e-9, atol=1e-12)


def test_impossible_sample_gradient_with_zero_infinity_matches_torch():
    lp, targets, il, tl = _batch(4)
    targets[2] = torch.tensor([1, 1, 2, 2])  # impossible in 3 frames
    z = lp.clone()
    z1, z2 = z.clone().requires_grad_(True), z.clone().requires_grad_(True)
    (a,) = torch.autograd.grad(ctc(z1.log_softmax(-1), targets, il, tl, zero_infinity=True), z1)
    (b,) = torch.autograd.grad(F.ctc_loss(z2.log_softmax(-1), targets, il, tl, zero_infinity=True), z2)
    torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-12)


def test_extreme_logits_stay_finite_and_match_torch():
    g = torch.Generator().manual_seed(0)
    z = (100.0 * torch.sign(torch.randn(12, 3, 6, generator=g))).float()  # log-probs 0 or ~ -200
    targets = torch.randint(1, 6, (3, 5), generator=g)
    il, tl = torch.tensor([12, 10, 7]), torch.tensor([5, 3, 5])
    z1, z2 = z.clone().requires_grad_(True), z.clone().requires_grad_(True)
    ours = ctc(z1.log_softmax(-1), targets, il, tl)
    ref = F.ctc_loss(z2.log_softmax(-1), targets, il, tl)
    assert torch.isfinite(ours) and ours.item() > 50  # most paths cost ~200 per wrong frame
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
    (a,) = torch.autograd.grad(ours, z1)
    (b,) = torch.autograd.grad(ref, z2)
    assert torch.isfinite(a).all()
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)
    closed = ctc_grad(z.log_softmax(-1), targets, il, tl)
    assert torch.isfinite(closed).all()


# --- errors --------------------------------------------------------------------------
def _ok():
    return _batch(5)


def test_error_messages():
    lp, targets, il, tl = _ok()
    with pytest.raises(TypeError, match=r"log_probs must be a floating-point tensor"):
        ctc(lp.long(), targets, il, tl)
    with pytest.raises(TypeError, match=r"log_probs must be a torch.Tensor"):
        ctc(lp.tolist(), targets, il, tl)
    with pytest.raises(ValueError, match=r"log_probs must have 2 or 3 dimensions, got shape \(9,\)"):
        ctc(lp[:, 0, 0], targets, il, tl)
    with pytest.raises(TypeError, match=r"targets must be an integer tensor"):
        ctc(lp, targets.double(), il, tl)
    with pytest.raises(ValueError, match=r"targets must have 1 or 2 dimensions"):
        ctc(lp, targets[None], il, tl)
    with pytest.raises(ValueError, match=r"targets must have 4 rows \(one per sample\), got shape \(3, 4\)"):
        ctc(lp, targets[:3], il, tl)
    with pytest.raises(ValueError, match=r"blank must be <= 4, got 5"):
        ctc(lp, targets, il, tl, 5)
    with pytest.raises(ValueError, match=r"blank must be >= 0, got -1"):
        ctc(lp, targets, il, tl, -1)
    with pytest.raises(TypeError, match=r"blank must be an integer, got 0.5"):
        ctc(lp, targets, il, tl, 0.5)
    bad = targets.clone()
    bad[0, 0] = 0
    with pytest.raises(ValueError, match=r"targets must not contain the blank index 0, got 0"):
        ctc(lp, bad, il, tl)
    bad[0, 0] = 7
    with pytest.raises(ValueError, match=r"targets must hold class indices in \[0, 4\], got 7"):
        ctc(lp, bad, il, tl)
    padded = targets.clone()
    padded[1, 3] = -1  # beyond target_lengths[1] = 2: padding is never read
    ctc(lp, padded, il, tl)
    with pytest.raises(ValueError, match=r"input_lengths must hold values in \[0, 9\] .*, got 10"):
        ctc(lp, targets, torch.tensor([10, 9, 9, 9]), tl)
    with pytest.raises(ValueError, match=r"input_lengths must hold values in \[0, 9\] .*, got -1"):
        ctc(lp, targets, (9, -1, 9, 9), tl)
    with pytest.raises(ValueError, match=r"target_lengths must hold values in \[0, 4\] .*, got 5"):
        ctc(lp, targets, il, (5, 1, 1, 1))
    with pytest.raises(ValueError, match=r"input_lengths must have 4 entries \(one per sample\), got 3"):
        ctc(lp, targets, il[:3], tl)
    with pytest.raises(TypeError, match=r"input_lengths must be an integer tensor \(e.g. torch.long\)"):
        ctc(lp, targets, il.double(), tl)
    with pytest.raises(TypeError, match=r"target_lengths must hold ints, got float 1.0"):
        ctc(lp, targets, il, (1.0, 1, 1, 1))
    with pytest.raises(TypeError, match=r"target_lengths must be an integer tensor or a tuple/list of ints"):
        ctc(lp, targets, il, 3)
    with pytest.raises(ValueError, match=r"input_lengths must be a 0-d or 1-d tensor"):
        ctc(lp, targets, il[None], tl)
    with pytest.raises(ValueError, match=r"targets must hold sum\(target_lengths\) = 10 labels .*, got 9"):
        ctc(lp, targets.flatten()[:9], il, tl)
    with pytest.raises(ValueError, match=r"log_probs must not be empty"):
        ctc(lp[:0], targets, il * 0, tl * 0)
    for f in (ctc, ctc_grad):
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
            f(lp, targets, il, tl, reduction="avg")
