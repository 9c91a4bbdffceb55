"""Embedding family: contrastive, triplet, InfoNCE, BPR."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from _util import t
from hypothesis import given, settings
from hypothesis import strategies as st
from pytorch_metric_learning import distances as pml_distances
from pytorch_metric_learning import losses as pml_losses
from pytorch_metric_learning import reducers as pml_reducers

from lossviz import embedding as E

D64 = torch.float64
REDUCTIONS = ("none", "mean", "sum")
SEEDS = st.integers(0, 2**31 - 1)


def _reduced(loss, reduction):
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


# --- the classes of note 004, reimplemented verbatim (as functions) ------------------
def doc004_contrastive(embedding1, embedding2, label, margin=1.0):
    distance = F.pairwise_distance(embedding1, embedding2)
    loss_similar = label * distance.pow(2)
    loss_dissimilar = (1 - label) * F.relu(margin - distance).pow(2)
    return (loss_similar + loss_dissimilar).mean()


def doc004_triplet(anchor, positive, negative, margin=1.0):
    distance_positive = F.pairwise_distance(anchor, positive)
    distance_negative = F.pairwise_distance(anchor, negative)
    return F.relu(distance_positive - distance_negative + margin).mean()


def doc004_infonce(query, positive_key, negative_keys, temperature=0.07):
    query = F.normalize(query, dim=-1)
    positive_key = F.normalize(positive_key, dim=-1)
    positive_logits = torch.sum(query * positive_key, dim=-1) / temperature
    if negative_keys.dim() == 2:
        negative_keys = F.normalize(negative_keys, dim=-1)
        negative_logits = torch.matmul(query, negative_keys.T) / temperature
    else:
        negative_keys = F.normalize(negative_keys, dim=-1)
        negative_logits = torch.sum(query.unsqueeze(1) * negative_keys, dim=-1) / temperature
    logits = torch.cat([positive_logits.unsqueeze(1), negative_logits], dim=1)
    labels = torch.zeros(logits.size(0), dtype=torch.long, device=logits.device)
    return F.cross_entropy(logits, labels)


def _autograd(fn, first, *rest, **kw):
    x = first.detach().clone().requires_grad_(True)
    out = fn(x, *rest, **kw)
    (g,) = torch.autograd.grad(out.sum(), x)
    return out.detach(), g


# =====================================================================================
# contrastive
# =====================================================================================
class TestContrastive:
    def test_hand_values(self):
        x1 = t([[0.0, 0.0], [0.0, 0.0]])
        x2 = t([[3.0, 4.0], [0.3, 0.4]])
        label = torch.tensor([1, 0])
        # by hand, eps = 0: similar pair d = 5 -> 25; dissimilar d = 0.5 -> (1 - 0.5)^2 = 0.25
        got = E.contrastive(x1, x2, label, eps=0.0, reduction="none")
        torch.testing.assert_close(got, t([25.0, 0.25]))
        assert E.contrastive(x1, x2, label, eps=0.0).item() == pytest.approx(12.625, abs=1e-12)
        got = E.contrastive(x1, x2, label, eps=0.0, reduction="sum")
        assert got.item() == pytest.approx(25.25, abs=1e-12)
        # default eps = 1e-6 is added to the difference x1 - x2 (F.pairwise_distance), by math.*
        d0 = math.hypot(-3 + 1e-6, -4 + 1e-6)
        d1 = math.hypot(-0.3 + 1e-6, -0.4 + 1e-6)
        want = (d0**2 + (1 - d1) ** 2) / 2
        assert E.contrastive(x1, x2, label).item() == pytest.approx(want, rel=1e-14)
        # margin 0.4 < d = 0.5: the dissimilar pair costs nothing
        assert E.contrastive(x1, x2, label, margin=0.4, eps=0.0, reduction="none")[1].item() == 0.0

    def test_hand_gradient(self):
        # d/dx1 of 25 = ||x1 - x2||^2 is 2(x1 - x2) = (-6, -8); of (1 - d)^2 at d = 0.5 it is
        # -2(1 - d) u/d = -2 * 0.5 * (-0.3, -0.4) / 0.5 = (0.6, 0.8)
        x1 = t([[0.0, 0.0], [0.0, 0.0]])
        x2 = t([[3.0, 4.0], [0.3, 0.4]])
        g = E.contrastive_grad(x1, x2, torch.tensor([1, 0]), eps=0.0, reduction="sum")
        torch.testing.assert_close(g, t([[-6.0, -8.0], [0.6, 0.8]]))

    @settings(max_examples=25, deadline=None)
    @given(seed=SEEDS, margin=st.floats(0.0, 3.0), n=st.integers(1, 6), d=st.integers(1, 5))
    def test_equals_note_004_class_and_is_nonnegative(self, seed, margin, n, d):
        g = torch.Generator().manual_seed(seed)
        x1 = torch.randn(n, d, generator=g, dtype=D64)
        x2 = torch.randn(n, d, generator=g, dtype=D64)
        label = torch.randint(2, (n,), generator=g)
        got = E.contrastive(x1, x2, label, margin=margin)
        want = doc004_contrastive(x1, x2, label.to(D64), margin=margin)
        torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)
        assert (E.contrastive(x1, x2, label, margin=margin, reduction="none") >= 0).all()
        # the closed-form gradient agrees with autograd of the note's class too
        _, g_ref = _autograd(doc004_contrastive, x1, x2, label.to(D64), margin=margin)
        torch.testing.assert_close(E.contrastive_grad(x1, x2, label, margin=margin), g_ref,
                                   rtol=1e-9, atol=1e-12)

    def test_similar_pairs_cost_the_squared_distance_and_far_dissimilar_pairs_nothing(self):
        g = torch.Generator().manual_seed(3)
        x1, x2 = torch.randn(5, 3, generator=g, dtype=D64), torch.randn(5, 3, generator=g, dtype=D64)
        ones = torch.ones(5, dtype=torch.long)
        d2 = (x1 - x2 + 1e-6).square().sum(-1)
        torch.testing.assert_close(E.contrastive(x1, x2, ones, reduction="none"), d2)
        far = x1 + 10.0  # every dissimilar pair at distance >= 10 > margin 3
        assert (E.contrastive(x1, far, 0 * ones, margin=3.0, reduction="none") == 0).all()

    @pytest.mark.parametrize("reduction", REDUCTIONS)
    def test_cross_check_pytorch_metric_learning(self, reduction):
        # PML's ContrastiveLoss uses distance d itself: pos term relu(d - pos_margin), neg term
        # relu(neg_margin - d), both through distance.margin(x, y) = x - y.  A distance whose
        # margin is the *signed square* (x - y)|x - y| turns them into relu(d)^2 = d^2 and
        # relu(m - d)^2 -- exactly our two terms.  PML has no eps inside the distance, so eps = 0.
        # With ref_emb = x2 and explicit pair indices (i, i) every pair is used exactly once.
        class SignedSquareLp(pml_distances.LpDistance):
            def margin(self, x, y):
                diff = x - y
                return diff * diff.abs()

        g = torch.Generator().manual_seed(11)
        n, margin = 8, 1.3
        x1 = torch.randn(n, 4, generator=g, dtype=D64)
        x2 = x1 + 0.6 * torch.randn(n, 4, generator=g, dtype=D64)
        label = torch.tensor([1, 0, 0, 1, 0, 1, 0, 0])
        idx = torch.arange(n)
        pairs = (idx[label == 1], idx[label == 1], idx[label == 0], idx[label == 0])
        distance = SignedSquareLp(normalize_embeddings=False, p=2, power=1)
        reducer = pml_reducers.SumReducer() if reduction != "none" else pml_reducers.DoNothingReducer()
        pml = pml_losses.ContrastiveLoss(pos_margin=0, neg_margin=margin, distance=distance, reducer=reducer)
        out = pml(x1, indices_tuple=pairs, ref_emb=x2)
        ours = E.contrastive(x1, x2, label, margin=margin, eps=0.0, reduction=reduction)
        if reduction == "none":
            want = torch.empty(n, dtype=D64)
            want[out["pos_loss"]["indices"][0]] = out["pos_loss"]["losses"]
            want[out["neg_loss"]["indices"][0]] = out["neg_loss"]["losses"]
        else:  # PML sums the two sub-losses; our 'mean' is that sum over the N pairs
            want = out if reduction == "sum" else out / n
        torch.testing.assert_close(ours, want, rtol=1e-12, atol=1e-12)

    def test_identical_and_huge_pairs_stay_finite(self):
        for dtype in (torch.float32, D64):
            x1 = torch.tensor([[1e3, -1e3], [0.5, 0.5], [0.5, 0.5], [0.0, 0.0]], dtype=dtype)
            x2 = torch.tensor([[-1e3, 1e3], [0.5, 0.5], [0.5, 0.5], [0.0, 0.0]], dtype=dtype)
            label = torch.tensor([1, 1, 0, 0])
            value, auto = _autograd(E.contrastive, x1, x2, label, eps=0.0)  # d = 0 exactly twice
            assert torch.isfinite(value).all() and torch.isfinite(auto).all()
            closed = E.contrastive_grad(x1, x2, label, eps=0.0)
            torch.testing.assert_close(closed, auto)
            # with the default eps (as F.pairwise_distance in the note's class) d = sqrt(2)*eps
            value, auto = _autograd(E.contrastive, x1, x2, label)
            ref_value, ref_grad = _autograd(doc004_contrastive, x1, x2, label.to(dtype))
            assert torch.isfinite(auto).all()
            torch.testing.assert_close(value, ref_value)
            torch.testing.assert_close(E.contrastive_grad(x1, x2, label), ref_grad)

    def test_errors(self):
        x1, x2, label = torch.zeros(2, 3, dtype=D64), torch.ones(2, 3, dtype=D64), torch.tensor([1, 0])
        with pytest.raises(TypeError, match=r"x1 must be a floating-point tensor"):
            E.contrastive(x1.long(), x2, label)
        with pytest.raises(TypeError, match=r"x2 must be a torch.Tensor, got list"):
            E.contrastive(x1, [[1.0]], label)
        with pytest.raises(ValueError, match=r"x2 must have the same shape as x1 \(2, 3\) \(no"
                                             r" broadcasting\), got \(1, 3\)"):
            E.contrastive(x1, x2[:1], label)
        with pytest.raises(TypeError, match=r"x2 must have the dtype of x1 \(torch.float64\), got"
                                            r" torch.float32"):
            E.contrastive(x1, x2.float(), label)
        with pytest.raises(ValueError, match=r"x1 must have 2 dimensions, got shape \(3,\)"):
            E.contrastive(x1[0], x2[0], label)
        with pytest.raises(ValueError, match=r"label must hold labels in \{0, 1\}, got a value -1"):
            E.contrastive(x1, x2, torch.tensor([1, -1]))
        with pytest.raises(ValueError, match=r"label must hold labels in \{0, 1\}, got a value 0.5"):
            E.contrastive(x1, x2, t([1.0, 0.5]))
        with pytest.raises(ValueError, match=r"label must have size 2 in dim 0 \(one label per row of x1\),"
                                             r" got shape \(3,\)"):
            E.contrastive(x1, x2, torch.tensor([1, 0, 1]))
        with pytest.raises(ValueError, match=r"label must have 1 dimensions, got shape \(2, 1\)"):
            E.contrastive(x1, x2, label[:, None])
        with pytest.raises(TypeError, match=r"label must be a torch.Tensor, got list"):
            E.contrastive(x1, x2, [1, 0])
        with pytest.raises(ValueError, match=r"margin must be >= 0, got -0.5"):
            E.contrastive(x1, x2, label, margin=-0.5)
        with pytest.raises(ValueError, match=r"eps must be >= 0, got -1e-06"):
            E.contrastive(x1, x2, label, eps=-1e-6)
        with pytest.raises(ValueError, match=r"margin must be >= 0, got -0.5"):
            E.contrastive_grad(x1, x2, label, margin=-0.5)
        with pytest.raises(ValueError, match=r"label must hold labels in \{0, 1\}, got a value 2"):
            E.contrastive_grad(x1, x2, torch.tensor([2, 0]))


# =====================================================================================
# triplet
# =====================================================================================
def _triplets(seed, n=5, d=4, dtype=D64):
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(n, d, generator=g, dtype=D64)
    p = a + 0.7 * torch.randn(n, d, generator=g, dtype=D64)
    neg = a + 1.0 * torch.randn(n, d, generator=g, dtype=D64)
    return a.to(dtype), p.to(dtype), neg.to(dtype)


class TestTriplet:
    def test_hand_values(self):
        a = t([[0.0, 0.0], [0.0, 0.0]])
        p = t([[3.0, 4.0], [0.0, 1.0]])
        n = t([[6.0, 8.0], [0.0, 1.5]])
        # by hand, eps = 0: max(0, 5 - 10 + 1) = 0 and max(0, 1 - 1.5 + 1) = 0.5
        torch.testing.assert_close(E.triplet(a, p, n, eps=0.0, reduction="none"), t([0.0, 0.5]))
        # p = 1 (Manhattan): 7 - 14 + 1 < 0 and 1 - 1.5 + 1 = 0.5
        torch.testing.assert_close(E.triplet(a, p, n, p=1, eps=0.0, reduction="none"), t([0.0, 0.5]))
        # swap: a = 0, p = (1, 0), n = (2, 0): d(a,p) = 1, d(a,n) = 2, d(p,n) = 1 -> the swap
        # uses 1, the loss is 1 - 1 + 1 = 1 instead of max(0, 1 - 2 + 1) = 0
        a1, p1, n1 = t([0.0, 0.0]), t([1.0, 0.0]), t([2.0, 0.0])
        assert E.triplet(a1, p1, n1, eps=0.0).item() == 0.0
        assert E.triplet(a1, p1, n1, eps=0.0, swap=True).item() == 1.0

    def test_hand_gradient(self):
        # by hand: a = 0, p = (0, 1), n = (1.5, 0), eps = 0: hinge 1 - 1.5 + 1 = 0.5 > 0 (active);
        # d/da [||a - p|| - ||a - n||] = (a - p)/1 - (a - n)/1.5 = (0, -1) - (-1, 0) = (1, -1)
        a, p, n = t([[0.0, 0.0]]), t([[0.0, 1.0]]), t([[1.5, 0.0]])
        torch.testing.assert_close(E.triplet_grad(a, p, n, eps=0.0), t([[1.0, -1.0]]))

    @settings(max_examples=30, deadline=None)
    @given(seed=SEEDS, p=st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 7.0]), swap=st.booleans(),
           margin=st.floats(0.05, 3.0), eps=st.sampled_from([0.0, 1e-6, 1e-2]),
           reduction=st.sampled_from(REDUCTIONS), one_d=st.booleans())
    def test_matches_torch_and_autograd(self, seed, p, swap, margin, eps, reduction, one_d):
        a, pos, neg = _triplets(seed)
        if one_d:
            a, pos, neg = a[0], pos[0], neg[0]
        kw = dict(margin=margin, p=p, eps=eps, swap=swap, reduction=reduction)
        got = E.triplet(a, pos, neg, **kw)
        torch.testing.assert_close(got, F.triplet_margin_loss(a, pos, neg, **kw), rtol=1e-12, atol=1e-12)
        assert (got >= 0).all()
        _, g_ref = _autograd(F.triplet_margin_loss, a, pos, neg, **kw)
        torch.testing.assert_close(E.triplet_grad(a, pos, neg, **kw), g_ref, rtol=1e-9, atol=1e-12)

    def test_positional_order_is_pytorchs(self):
        a, pos, neg = _triplets(4)
        torch.testing.assert_close(E.triplet(a, pos, neg, 0.5, 1.0, 1e-3, True),
                                   F.triplet_margin_loss(a, pos, neg, 0.5, 1.0, 1e-3, True))

    def test_equals_note_004_class(self):
        a, pos, neg = _triplets(5, n=7)
        torch.testing.assert_close(E.triplet(a, pos, neg, margin=0.8),
                                   doc004_triplet(a, pos, neg, margin=0.8))

    @pytest.mark.parametrize("swap", [False, True])
    @pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
    def test_cross_check_pytorch_metric_learning(self, p, swap):
        # PML mines triplets from labels; explicit indices_tuple (anchor i, positive N + i,
        # negative 2N + i) into the stacked embeddings gives exactly our N triplets.  LpDistance
        # without normalisation is ||x - y||_p (no eps: compare with eps = 0); its swap takes
        # min(d(a,n), d(p,n)) like PyTorch.  MeanReducer averages over the N triplets (the
        # default AvgNonZeroReducer would skip zero losses), DoNothingReducer gives each one.
        a, pos, neg = _triplets(6, n=6)
        emb = torch.cat([a, pos, neg])
        idx = torch.arange(6)
        triplets = (idx, idx + 6, idx + 12)
        dist = pml_distances.LpDistance(normalize_embeddings=False, p=p, power=1)
        for reducer, reduction in ((pml_reducers.MeanReducer(), "mean"),
                                   (pml_reducers.DoNothingReducer(), "none")):
            pml = pml_losses.TripletMarginLoss(margin=0.9, swap=swap, distance=dist, reducer=reducer)
            out = pml(emb, indices_tuple=triplets)
            want = out if reduction == "mean" else out["loss"]["losses"]
            ours = E.triplet(a, pos, neg, margin=0.9, p=p, eps=0.0, swap=swap, reduction=reduction)
            torch.testing.assert_close(ours, want, rtol=1e-12, atol=1e-12)

    def test_extreme_embeddings(self):
        a = torch.tensor([[100.0, -100.0], [-1e3, 1e3], [0.0, 0.0]])
        pos = torch.tensor([[99.0, -98.0], [-700.0, 1e3], [0.5, 0.0]])
        neg = torch.tensor([[-100.0, 100.0], [-1e3, 900.0], [0.0, 0.1]])
        for swap in (False, True):
            value, auto = _autograd(E.triplet, a, pos, neg, swap=swap)
            ref_value, ref_grad = _autograd(F.triplet_margin_loss, a, pos, neg, swap=swap)
            assert torch.isfinite(value).all() and torch.isfinite(auto).all()
            torch.testing.assert_close(value, ref_value)
            torch.testing.assert_close(E.triplet_grad(a, pos, neg, swap=swap), ref_grad)

    def test_errors(self):
        a, pos, neg = _triplets(1, n=2, d=3)
        with pytest.raises(TypeError, match=r"anchor must be a floating-point tensor"):
            E.triplet(a.long(), pos, neg)
        with pytest.raises(ValueError, match=r"negative must have the same shape as anchor \(2, 3\) \(no"
                                             r" broadcasting\), got \(3,\)"):
            E.triplet(a, pos, neg[0])
        with pytest.raises(ValueError, match=r"positive must have the same shape as anchor"):
            E.triplet(a, pos[:, :2], neg)
        with pytest.raises(ValueError, match=r"anchor must have 1 or 2 dimensions, got shape \(1, 2, 3\)"):
            E.triplet(a[None], pos[None], neg[None])
        with pytest.raises(TypeError, match=r"negative must have the dtype of anchor"):
            E.triplet(a, pos, neg.float())
        with pytest.raises(ValueError, match=r"margin must be > 0, got 0.0"):
            E.triplet(a, pos, neg, margin=0.0)
        with pytest.raises(ValueError, match=r"p must be > 0, got 0"):
            E.triplet(a, pos, neg, p=0)
        with pytest.raises(ValueError, match=r"p must be < inf, got inf"):
            E.triplet(a, pos, neg, p=math.inf)
        with pytest.raises(ValueError, match=r"eps must be >= 0, got -1.0"):
            E.triplet(a, pos, neg, eps=-1.0)
        with pytest.raises(TypeError, match=r"swap must be a bool, got int 1"):
            E.triplet(a, pos, neg, swap=1)
        with pytest.raises(ValueError, match=r"margin must be > 0, got -1.0"):
            E.triplet_grad(a, pos, neg, margin=-1.0)
        with pytest.raises(TypeError, match=r"swap must be a bool, got str 'yes'"):
            E.triplet_grad(a, pos, neg, swap="yes")


# =====================================================================================
# InfoNCE
# =====================================================================================
def _infonce_data(seed, n=4, k=5, d=3, mode="per_query"):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(n, d, generator=g, dtype=D64)
    pos = q + 0.5 * torch.randn(n, d, generator=g, dtype=D64)
    if mode == "per_query":
        neg = torch.randn(n, k, d, generator=g, dtype=D64)
    elif mode == "shared":
        neg = torch.randn(k, d, generator=g, dtype=D64)
    else:
        neg = None
    return q, pos, neg


def _logits(q, pos, neg, temperature, normalize=True):
    """The (K+1)-way logits built by hand, positive in column 0 (in-batch: the N x N matrix)."""
    if normalize:
        q, pos = F.normalize(q, dim=-1), F.normalize(pos, dim=-1)
        neg = None if neg is None else F.normalize(neg, dim=-1)
    if neg is None:
        return q @ pos.T / temperature, torch.arange(q.shape[0])
    negs = q @ neg.T if neg.dim() == 2 else (q[:, None, :] * neg).sum(-1)
    logits = torch.cat([(q * pos).sum(-1, keepdim=True), negs], 1) / temperature
    return logits, torch.zeros(q.shape[0], dtype=torch.long)


MODES = ("per_query", "shared", "in_batch")


class TestInfoNCE:
    def test_hand_values(self):
        # by hand: q = k+ = (1, 0), negative (0, 1), tau = 1: logits (1, 0) -> log(1 + e^-1)
        want = math.log1p(math.exp(-1))  # 0.31326168751822286
        q, k, neg = t([[1.0, 0.0]]), t([[1.0, 0.0]]), t([[[0.0, 1.0]]])
        assert E.infonce(q, k, neg, temperature=1.0).item() == pytest.approx(want, rel=1e-15)
        # normalisation: the length of the query does not matter ...
        assert E.infonce(2 * q, k, neg, temperature=1.0).item() == pytest.approx(want, rel=1e-15)
        # ... unless normalize=False: logits (2, 0) -> log(1 + e^-2)
        assert E.infonce(2 * q, k, neg, temperature=1.0, normalize=False).item() == pytest.approx(
            math.log1p(math.exp(-2)), rel=1e-15)
        # shared negatives, tau = 0.5: row 1 logits (2, 0) -> log(1 + e^-2); row 2 logits (2, 2) -> log 2
        q2, k2 = t([[1.0, 0.0], [0.0, 1.0]]), t([[1.0, 0.0], [0.0, 1.0]])
        got = E.infonce(q2, k2, t([[0.0, 1.0]]), temperature=0.5, reduction="none")
        torch.testing.assert_close(got, t([math.log1p(math.exp(-2)), math.log(2)]))
        # in-batch: each query sees its own key (cos 1) and the other (cos 0): log(1 + e^-1) each
        got = E.infonce(q2, k2, temperature=1.0, reduction="none")
        torch.testing.assert_close(got, t([want, want]))

    @settings(max_examples=30, deadline=None)
    @given(seed=SEEDS, mode=st.sampled_from(MODES), temperature=st.floats(0.01, 2.0),
           normalize=st.booleans(), reduction=st.sampled_from(REDUCTIONS))
    def test_is_k_plus_1_way_cross_entropy_and_grad_is_autograd(self, seed, mode, temperature, normalize,
                                                                 reduction):
        q, pos, neg = _infonce_data(seed, mode=mode)
        kw = dict(temperature=temperature, normalize=normalize)
        got = E.infonce(q, pos, neg, **kw, reduction=reduction)
        logits, target = _logits(q, pos, neg, temperature, normalize)
        torch.testing.assert_close(got, F.cross_entropy(logits, target, reduction=reduction),
                                   rtol=1e-10, atol=1e-10)
        assert (E.infonce(q, pos, neg, **kw, reduction="none") >= 0).all()
        _, auto = _autograd(E.infonce, q, pos, neg, **kw, reduction=reduction)
        torch.testing.assert_close(E.infonce_grad(q, pos, neg, **kw, reduction=reduction), auto,
                                   rtol=1e-8, atol=1e-9)

    @settings(max_examples=25, deadline=None)
    @given(seed=SEEDS, k=st.integers(1, 8), temperature=st.floats(0.01, 2.0))
    def test_bounds_when_the_positive_is_most_similar(self, seed, k, temperature):
        # with s_0 >= s_c for every negative: loss = log(1 + sum_c e^{(s_c - s_0)/tau}) and each
        # term is <= 1, so 0 <= loss <= log(K + 1) (equality when all similarities tie)
        g = torch.Generator().manual_seed(seed)
        q = torch.randn(3, 4, generator=g, dtype=D64)
        neg = torch.randn(3, k, 4, generator=g, dtype=D64)
        loss = E.infonce(q, q.clone(), neg, temperature=temperature, reduction="none")  # cos(q, k+) = 1
        assert (loss >= 0).all() and (loss <= math.log(k + 1) + 1e-12).all()
        tie = E.infonce(q, q.clone(), q[:, None, :].expand(3, k, 4).clone(), temperature=temperature)
        assert tie.item() == pytest.approx(math.log(k + 1), rel=1e-12)

    @pytest.mark.parametrize("mode", ["per_query", "shared"])
    def test_equals_note_004_class(self, mode):
        q, pos, neg = _infonce_data(7, n=6, k=9, d=5, mode=mode)
        torch.testing.assert_close(E.infonce(q, pos, neg, temperature=0.07),
                                   doc004_infonce(q, pos, neg, 0.07), rtol=1e-12, atol=1e-12)
        _, g_ref = _autograd(doc004_infonce, q, pos, neg, 0.07)
        torch.testing.assert_close(E.infonce_grad(q, pos, neg, temperature=0.07), g_ref,
                                   rtol=1e-9, atol=1e-12)

    def test_cross_check_ntxent_in_batch(self):
        # PML NTXentLoss(embeddings=q, labels=arange(N), ref_emb=k, ref_labels=arange(N)) uses
        # cosine similarity q_i . k_j / tau, positive pair (i, i), negatives (i, j != i) -- our
        # in-batch mode, one term per query; its default MeanReducer averages over the N queries.
        q, pos, _ = _infonce_data(8, n=6, d=5, mode="in_batch")
        labels = torch.arange(6)
        for tau in (0.07, 0.5):
            pml = pml_losses.NTXentLoss(temperature=tau)
            # ref_labels must be a different object: PML drops the diagonal when `ref_labels is labels`
            want = pml(q, labels, ref_emb=pos, ref_labels=labels.clone())
            torch.testing.assert_close(E.infonce(q, pos, temperature=tau), want, rtol=1e-12, atol=1e-12)

    def test_cross_check_ntxent_simclr(self):
        # SimCLR's NT-Xent: 2N views z, labels (0..N-1, 0..N-1).  For anchor i its positive is the
        # other view of the same sample and its negatives are all 2N - 2 remaining views (both
        # halves: the same-view ones too), so NT-Xent = our InfoNCE with query z_i, positive its
        # partner and per-query negatives (2N, 2N - 2, D); the mean over the 2N anchors matches.
        g = torch.Generator().manual_seed(9)
        n, d, tau = 4, 5, 0.2
        z = torch.randn(2 * n, d, generator=g, dtype=D64)
        labels = torch.arange(n).repeat(2)
        partner = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
        others = torch.stack([torch.tensor([j for j in range(2 * n) if j not in (i, int(partner[i]))])
                              for i in range(2 * n)])
        ours = E.infonce(z, z[partner], z[others], temperature=tau)
        want = pml_losses.NTXentLoss(temperature=tau)(z, labels)
        torch.testing.assert_close(ours, want, rtol=1e-12, atol=1e-12)

    def test_stable_at_small_temperature_with_cosines_of_one(self):
        # tau = 0.01, the positive anti-parallel (cos -1) and a negative parallel (cos +1):
        # logits -100 and +100, loss ~ 200 in float32 where exp(200) overflows
        for dtype in (torch.float32, D64):
            q = torch.tensor([[1.0, 0.0, 0.0], [0.0, 3.0, 4.0]], dtype=dtype)
            pos = -q + torch.tensor([[0.0, 1e-3, 0.0], [0.0, 0.0, 0.0]], dtype=dtype)
            neg = torch.stack([q.clone(), -q, torch.roll(q, 1, dims=1)], dim=1)
            value, auto = _autograd(E.infonce, q, pos, neg, temperature=0.01)
            ref_value, ref_grad = _autograd(doc004_infonce, q, pos, neg, 0.01)
            assert torch.isfinite(value).all() and torch.isfinite(auto).all()
            assert value.item() == pytest.approx(200.0, rel=1e-3)  # log(e^100 + ...) - (-100)
            torch.testing.assert_close(value, ref_value)
            closed = E.infonce_grad(q, pos, neg, temperature=0.01)
            torch.testing.assert_close(closed, ref_grad, rtol=1e-4, atol=1e-4)
            torch.testing.assert_close(closed, auto, rtol=1e-4, atol=1e-4)

    def test_normalisation_jacobian_removes_the_radial_part(self):
        # the loss does not change when q is scaled, so its gradient is orthogonal to q
        q, pos, neg = _infonce_data(10)
        g = E.infonce_grad(q, pos, neg, reduction="sum")
        torch.testing.assert_close((g * q).sum(-1), torch.zeros(4, dtype=D64), rtol=0, atol=1e-12)

    def test_errors(self):
        q, pos, neg = _infonce_data(1, n=2, k=3, d=3)
        with pytest.raises(TypeError, match=r"query must be a floating-point tensor"):
            E.infonce(q.long(), pos, neg)
        with pytest.raises(ValueError, match=r"query must have 2 dimensions, got shape \(3,\)"):
            E.infonce(q[0], pos[0], neg)
        with pytest.raises(ValueError, match=r"positive_key must have the same shape as query \(2, 3\)"):
            E.infonce(q, pos[:1], neg)
        with pytest.raises(ValueError, match=r"negative_keys must have size 3 in dim -1 \(the embedding size"
                                             r" D of query\), got shape \(2, 3, 2\)"):
            E.infonce(q, pos, neg[..., :2])
        with pytest.raises(ValueError, match=r"negative_keys must have size 2 in dim 0 \(one row of K keys"
                                             r" per query\), got shape \(1, 3, 3\)"):
            E.infonce(q, pos, neg[:1])
        with pytest.raises(ValueError, match=r"negative_keys must have 2 or 3 dimensions, got shape \(3,\)"):
            E.infonce(q, pos, neg[0, 0])
        with pytest.raises(ValueError, match=r"negative_keys must not be empty, got shape \(0, 3\)"):
            E.infonce(q, pos, neg[0, :0])
        with pytest.raises(TypeError, match=r"negative_keys must have the dtype of query"):
            E.infonce(q, pos, neg.float())
        with pytest.raises(TypeError, match=r"negative_keys must be a floating-point tensor"):
            E.infonce(q, pos, neg.long())
        with pytest.raises(ValueError, match=r"temperature must be > 0, got 0.0"):
            E.infonce(q, pos, neg, temperature=0.0)
        with pytest.raises(ValueError, match=r"temperature must be > 0, got -0.1"):
            E.infonce_grad(q, pos, neg, temperature=-0.1)
        with pytest.raises(TypeError, match=r"normalize must be a bool, got int 0"):
            E.infonce(q, pos, neg, normalize=0)
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
            E.infonce_grad(q, pos, reduction="avg")


# =====================================================================================
# BPR
# =====================================================================================
class TestBPR:
    def test_hand_values(self):
        # by hand: -log sigmoid(0) = log 2; -log sigmoid(1) = log(1 + e^-1); -log sigmoid(-2) = log(1 + e^2)
        got = E.bpr(t([0.0, 2.0, 1.0]), t([0.0, 1.0, 3.0]), reduction="none")
        torch.testing.assert_close(got, t([math.log(2), math.log1p(math.exp(-1)), math.log1p(math.exp(2))]),
                                   rtol=1e-15, atol=0)
        # gradient -sigmoid(s- - s+): -1/2, -1/(1 + e), -1/(1 + e^-2)
        g = E.bpr_grad(t([0.0, 2.0, 1.0]), t([0.0, 1.0, 3.0]), reduction="sum")
        torch.testing.assert_close(g, t([-0.5, -1 / (1 + math.e), -1 / (1 + math.exp(-2))]))

    @settings(max_examples=40, deadline=None)
    @given(pos=st.floats(-50, 50), neg=st.floats(-50, 50))
    def test_only_the_difference_matters_and_swapping_gives_the_difference(self, pos, neg):
        a, b = t([pos]), t([neg])
        bpr = E.bpr(a, b, reduction="none")
        # softplus(x) - softplus(-x) = x
        torch.testing.assert_close(bpr - E.bpr(b, a, reduction="none"), b - a, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(E.bpr(a + 3.0, b + 3.0, reduction="none"), bpr, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(bpr, -F.logsigmoid(a - b), rtol=1e-12, atol=1e-300)
        assert bpr.item() >= 0

    def test_extreme_scores(self):
        pos = torch.tensor([100.0, -100.0, 0.0, 1e4])
        neg = torch.tensor([-100.0, 100.0, 0.0, -1e4])
        value, auto = _autograd(E.bpr, pos, neg, reduction="none")
        ref_value, ref_grad = _autograd(lambda x, y: -F.logsigmoid(x - y), pos, neg)
        assert torch.isfinite(value).all() and torch.isfinite(auto).all()
        torch.testing.assert_close(value, ref_value)
        torch.testing.assert_close(auto, ref_grad)
        torch.testing.assert_close(E.bpr_grad(pos, neg, reduction="none"), ref_grad)
        assert value[1].item() == 200.0 and auto[1].item() == -1.0  # mis-ranked by 200: full pull

    def test_errors(self):
        a = torch.zeros(3, dtype=D64)
        with pytest.raises(TypeError, match=r"pos_score must be a floating-point tensor"):
            E.bpr(a.long(), a)
        with pytest.raises(TypeError, match=r"neg_score must be a floating-point tensor"):
            E.bpr(a, a.long())
        with pytest.raises(ValueError, match=r"neg_score must have the same shape as pos_score \(3,\) \(no"
                                             r" broadcasting\), got \(1,\)"):
            E.bpr(a, a[:1])
        with pytest.raises(TypeError, match=r"neg_score must have the dtype of pos_score"):
            E.bpr_grad(a, a.float())
