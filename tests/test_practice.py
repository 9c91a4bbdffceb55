"""Practice family: L1 / L2 weight penalties and uncertainty weighting of task losses."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from _util import t
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz import practice as P

D64 = torch.float64
REDUCTIONS = ("none", "mean", "sum")
SEEDS = st.integers(0, 2**31 - 1)


# =====================================================================================
# L1 / L2 penalties
# =====================================================================================
class TestPenalties:
    W = [-2.0, 0.5, 0.0, 3.0]

    def test_hand_values(self):
        w = t(self.W)
        # by hand: |w| = (2, 0.5, 0, 3): sum 5.5 = ||w||_1, mean 5.5 / 4 = 1.375
        torch.testing.assert_close(P.l1_penalty(w, reduction="none"), t([2.0, 0.5, 0.0, 3.0]))
        assert P.l1_penalty(w, reduction="sum").item() == 5.5
        assert P.l1_penalty(w).item() == 1.375
        # by hand: w^2 = (4, 0.25, 0, 9): sum 13.25 = ||w||_2^2, mean 13.25 / 4 = 3.3125
        torch.testing.assert_close(P.l2_penalty(w, reduction="none"), t([4.0, 0.25, 0.0, 9.0]))
        assert P.l2_penalty(w, reduction="sum").item() == 13.25
        assert P.l2_penalty(w).item() == 3.3125

    def test_hand_gradients(self):
        w = t(self.W)
        # sign(w) = (-1, 1, 0, 1) and 2w = (-4, 1, 0, 6); 'mean' divides by 4
        torch.testing.assert_close(P.l1_penalty_grad(w, reduction="sum"), t([-1.0, 1.0, 0.0, 1.0]))
        torch.testing.assert_close(P.l1_penalty_grad(w), t([-0.25, 0.25, 0.0, 0.25]))
        torch.testing.assert_close(P.l2_penalty_grad(w, reduction="sum"), t([-4.0, 1.0, 0.0, 6.0]))
        torch.testing.assert_close(P.l2_penalty_grad(w), t([-1.0, 0.25, 0.0, 1.5]))

    @settings(max_examples=30, deadline=None)
    @given(seed=SEEDS, shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
           reduction=st.sampled_from(REDUCTIONS))
    def test_norms_references_and_nonnegativity(self, seed, shape, reduction):
        w = torch.randn(tuple(shape), generator=torch.Generator().manual_seed(seed), dtype=D64)
        l1, l2 = P.l1_penalty(w, reduction=reduction), P.l2_penalty(w, reduction=reduction)
        assert (l1 >= 0).all() and (l2 >= 0).all()
        zeros = torch.zeros_like(w)
        torch.testing.assert_close(l1, F.l1_loss(w, zeros, reduction=reduction))
        torch.testing.assert_close(l2, F.mse_loss(w, zeros, reduction=reduction))
        torch.testing.assert_close(P.l1_penalty(w, reduction="sum"), torch.linalg.vector_norm(w, ord=1))
        torch.testing.assert_close(P.l2_penalty(w, reduction="sum"), torch.linalg.vector_norm(w).square())
        # both vanish at w = 0, where their (sub)gradients are 0 too
        for fn, grad in ((P.l1_penalty, P.l1_penalty_grad), (P.l2_penalty, P.l2_penalty_grad)):
            assert (fn(zeros, reduction="none") == 0).all() and (grad(zeros, reduction=reduction) == 0).all()

    def test_sgd_weight_decay_is_half_lambda_l2(self):
        # torch.optim.SGD(weight_decay=lam) adds lam * w to the gradient = d/dw of lam/2 ||w||^2
        lam, lr = 0.3, 0.1
        w0 = t([1.0, -2.0, 0.5])
        target = t([0.2, 0.1, -0.3])
        a = w0.clone().requires_grad_(True)
        b = w0.clone().requires_grad_(True)
        opt_a = torch.optim.SGD([a], lr=lr, weight_decay=lam)
        opt_b = torch.optim.SGD([b], lr=lr)
        for _ in range(3):
            opt_a.zero_grad()
            F.mse_loss(a, target, reduction="sum").backward()
            opt_a.step()
            opt_b.zero_grad()
            (F.mse_loss(b, target, reduction="sum") + 0.5 * lam * P.l2_penalty(b, reduction="sum")).backward()
            opt_b.step()
        torch.testing.assert_close(a.detach(), b.detach(), rtol=1e-14, atol=1e-15)

    def test_extreme_weights(self):
        w = torch.tensor([100.0, -100.0, 1e4, -1e4, 1e-30])
        for fn, grad, ref in ((P.l1_penalty, P.l1_penalty_grad, F.l1_loss),
                              (P.l2_penalty, P.l2_penalty_grad, F.mse_loss)):
            x = w.clone().requires_grad_(True)
            out = fn(x)
            (auto,) = torch.autograd.grad(out, x)
            assert torch.isfinite(out) and torch.isfinite(auto).all()
            torch.testing.assert_close(out.detach(), ref(w, torch.zeros_like(w)))
            torch.testing.assert_close(grad(w), auto)

    @pytest.mark.parametrize("fn", [P.l1_penalty, P.l1_penalty_grad, P.l2_penalty, P.l2_penalty_grad])
    def test_errors(self, fn):
        with pytest.raises(TypeError, match=r"input must be a floating-point tensor \(float32 or float64\),"
                                            r" got dtype torch.int64"):
            fn(torch.tensor([1, 2]))
        with pytest.raises(TypeError, match=r"input must be a torch.Tensor, got list \[1.0\]"):
            fn([1.0])
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'total'"):
            fn(t([1.0]), reduction="total")


# =====================================================================================
# uncertainty weighting
# =====================================================================================
class TestUncertaintyWeighting:
    def test_hand_values(self):
        losses, log_vars = t([1.0, 4.0]), t([0.0, math.log(4.0)])
        # by hand: 1/2 e^0 * 1 + 0 = 0.5 ;  1/2 * (1/4) * 4 + 1/2 log 4 = 0.5 + log 2
        want = [0.5, 0.5 + math.log(2.0)]
        torch.testing.assert_close(P.uncertainty_weighting(losses, log_vars, reduction="none"), t(want))
        assert P.uncertainty_weighting(losses, log_vars, reduction="sum").item() == pytest.approx(
            1 + math.log(2.0), rel=1e-15)
        assert P.uncertainty_weighting(losses, log_vars).item() == pytest.approx(
            (1 + math.log(2.0)) / 2, rel=1e-15)
        # gradient w.r.t. the losses: 1/2 e^{-s} = (0.5, 0.125)
        torch.testing.assert_close(P.uncertainty_weighting_grad(losses, log_vars, reduction="sum"),
                                   t([0.5, 0.125]))

    @settings(max_examples=30, deadline=None)
    @given(seed=SEEDS, n=st.integers(1, 6))
    def test_equals_kendall_in_sigma_form(self, seed, n):
        # the notes' sum_i L_i / (2 sigma_i^2) + log sigma_i with sigma = exp(s/2), by math.*
        g = torch.Generator().manual_seed(seed)
        losses = torch.rand(n, generator=g, dtype=D64) * 5
        log_vars = torch.randn(n, generator=g, dtype=D64) * 2
        want = sum(li / (2 * math.exp(si / 2) ** 2) + math.log(math.exp(si / 2))
                   for li, si in zip(losses.tolist(), log_vars.tolist(), strict=True))
        got = P.uncertainty_weighting(losses, log_vars, reduction="sum")
        assert got.item() == pytest.approx(want, rel=1e-12)

    @settings(max_examples=30, deadline=None)
    @given(seed=SEEDS, reduction=st.sampled_from(REDUCTIONS))
    def test_gradient_wrt_log_vars_is_half_minus_half_exp_minus_s_times_loss(self, seed, reduction):
        g = torch.Generator().manual_seed(seed)
        losses = torch.rand(2, 3, generator=g, dtype=D64) * 5  # any same shape works
        s = (torch.randn(2, 3, generator=g, dtype=D64) * 2).requires_grad_(True)
        out = P.uncertainty_weighting(losses, s, reduction=reduction)
        (auto,) = torch.autograd.grad(out.sum(), s)
        per = 0.5 - 0.5 * torch.exp(-s.detach()) * losses
        torch.testing.assert_close(auto, per / 6 if reduction == "mean" else per)

    def test_optimum_is_log_of_the_loss(self):
        losses = t([0.05, 1.0, 7.5])
        # the derivative 1/2 - 1/2 e^{-s} L vanishes at s* = log L (and the second derivative
        # 1/2 e^{-s} L > 0 makes it the minimum); the term there is 1/2 + 1/2 log L
        s_star = torch.log(losses).requires_grad_(True)
        out = P.uncertainty_weighting(losses, s_star, reduction="sum")
        (g,) = torch.autograd.grad(out, s_star)
        torch.testing.assert_close(g, torch.zeros(3, dtype=D64), rtol=0, atol=1e-15)
        torch.testing.assert_close(P.uncertainty_weighting(losses, s_star.detach(), reduction="none"),
                                   0.5 + 0.5 * torch.log(losses))
        # and learning s from 0 (L-BFGS on the same objective) finds it
        s = torch.zeros(3, dtype=D64, requires_grad=True)
        opt = torch.optim.LBFGS([s], lr=1, max_iter=200, tolerance_grad=1e-12, tolerance_change=0.0,
                              line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            value = P.uncertainty_weighting(losses, s, reduction="sum")
            value.backward()
            return value

        opt.step(closure)
        torch.testing.assert_close(s.detach(), torch.log(losses), rtol=1e-7, atol=1e-7)

    def test_terms_can_be_negative(self):
        # by hand: 1/2 e^{1} * 0.1 - 1/2 = 0.1359... - 0.5 < 0 (confident task, small loss)
        got = P.uncertainty_weighting(t([0.1]), t([-1.0]), reduction="none")
        assert got.item() == pytest.approx(0.5 * math.e * 0.1 - 0.5, rel=1e-15) and got.item() < 0

    def test_extreme_log_vars(self):
        losses = torch.tensor([1e3, 1e-3, 0.0, 5.0])
        log_vars = torch.tensor([-50.0, 50.0, 0.0, 80.0])
        x = losses.clone().requires_grad_(True)
        out = P.uncertainty_weighting(x, log_vars)
        (auto,) = torch.autograd.grad(out, x)
        assert torch.isfinite(out) and torch.isfinite(auto).all()
        # float64 by math.*: (1/2 e^50 * 1e3 - 25 + 1/2 e^-50 * 1e-3 + 25 + 0 + 1/2 e^-80 * 5 + 40) / 4
        want = (0.5 * math.exp(50) * 1e3 - 25 + 0.5 * math.exp(-50) * 1e-3 + 25
                + 0.5 * math.exp(-80) * 5 + 40) / 4
        assert out.item() == pytest.approx(want, rel=1e-6)
        torch.testing.assert_close(P.uncertainty_weighting_grad(losses, log_vars), auto)

    @pytest.mark.parametrize("fn", [P.uncertainty_weighting, P.uncertainty_weighting_grad])
    def test_errors(self, fn):
        losses, log_vars = t([1.0, 2.0]), t([0.0, 0.0])
        with pytest.raises(TypeError, match=r"losses must be a floating-point tensor"):
            fn(torch.tensor([1, 2]), log_vars)
        with pytest.raises(TypeError, match=r"log_vars must be a floating-point tensor"):
            fn(losses, torch.tensor([0, 0]))
        with pytest.raises(TypeError, match=r"log_vars must be a torch.Tensor, got float 0.0"):
            fn(losses, 0.0)
        with pytest.raises(ValueError, match=r"log_vars must have the same shape as losses \(2,\) \(no"
                                             r" broadcasting\), got \(\)"):
            fn(losses, t(0.0))
        with pytest.raises(TypeError, match=r"log_vars must have the dtype of losses \(torch.float64\), got"
                                            r" torch.float32"):
            fn(losses, log_vars.float())
        with pytest.raises(ValueError, match=r"losses must hold values >= 0, got a value -1.0"):
            fn(t([1.0, -1.0]), log_vars)
        with pytest.raises(ValueError, match=r"losses must hold values >= 0, got a value nan"):
            fn(t([1.0, math.nan]), log_vars)
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
            fn(losses, log_vars, reduction="avg")
