"""Regression family: hand-computed values, limits, second-library checks and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import mean_pinball_loss, root_mean_squared_error

import lossviz

T = lambda *v: torch.tensor(v, dtype=torch.float64)  # noqa: E731


def test_hand_values():
    x, y = T(1.0, 3.0, -2.0), T(0.0, 0.0, 0.0)
    # squares 1, 9, 4 -> mean 14/3; abs 1, 3, 2 -> mean 2
    assert lossviz.mse(x, y).item() == pytest.approx(14 / 3)
    assert lossviz.mae(x, y).item() == pytest.approx(2.0)
    assert lossviz.rmse(x, y).item() == pytest.approx(math.sqrt(14 / 3))
    # Huber delta=1: 0.5*1, 1*(3-0.5), 1*(2-0.5) -> 0.5 + 2.5 + 1.5 = 4.5
    assert lossviz.huber(x, y, reduction="sum").item() == pytest.approx(4.5)
    # quantile q=0.9 on residual e = y - x = (-1, -3, 2): (q-1)e, (q-1)e, q e -> 0.1+0.3+1.8
    assert lossviz.quantile(x, y, q=0.9, reduction="sum").item() == pytest.approx(2.2)


def test_log_cosh_float32_at_100_does_not_overflow():
    # log cosh(100) = 100 - ln 2 + log1p(e^-200) = 99.30685...; torch.cosh(100.) is inf in float32
    x = torch.tensor([100.0], dtype=torch.float32)
    assert torch.isinf(torch.cosh(x)).all()
    got = lossviz.log_cosh(x, torch.zeros_like(x)).item()
    assert got == pytest.approx(99.3069, abs=1e-4)


def test_log_cosh_matches_naive_where_naive_is_safe():
    d = torch.linspace(-20, 20, 81, dtype=torch.float64)
    torch.testing.assert_close(lossviz.log_cosh(d, torch.zeros_like(d), reduction="none"),
                               torch.log(torch.cosh(d)))


def test_rmse_per_row_and_sklearn():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(5, 3, generator=g, dtype=torch.float64), torch.randn(5, 3, generator=g, dtype=torch.float64)
    want = root_mean_squared_error(y.numpy().ravel(), x.numpy().ravel())
    assert lossviz.rmse(x, y).item() == pytest.approx(want)
    rows = lossviz.rmse(x, y, dim=-1, reduction="none")
    torch.testing.assert_close(rows, ((x - y) ** 2).mean(-1).sqrt())


def test_quantile_matches_sklearn_pinball():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(50, generator=g, dtype=torch.float64), torch.randn(50, generator=g, dtype=torch.float64)
    for q in (0.1, 0.5, 0.9):
        want = mean_pinball_loss(y.numpy(), x.numpy(), alpha=q)
        assert lossviz.quantile(x, y, q=q).item() == pytest.approx(want)


def test_constant_minimisers_are_mean_median_quantile():
    y = T(0.0, 1.0, 2.0, 10.0, 3.0)
    c = torch.linspace(-1, 11, 12001, dtype=torch.float64)
    grid = lambda f: c[torch.stack([f(ci.expand(5), y) for ci in c]).argmin()].item()  # noqa: E731
    assert grid(lossviz.mse) == pytest.approx(y.mean().item(), abs=1e-3)
    assert grid(lossviz.mae) == pytest.approx(y.median().item(), abs=1e-3)
    # q = 0.7: 3 of 5 targets lie below 3 (F = 0.6 < q) and 4 of 5 at or below it (F = 0.8 >= q)
    q_min = grid(lambda a, b: lossviz.quantile(a, b, q=0.7))
    assert q_min == pytest.approx(np.quantile(y.numpy(), 0.7, method="inverted_cdf"), abs=1e-3) and q_min == 3.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8))
def test_huber_limits(values):
    d = T(*values)
    z = torch.zeros_like(d)
    # small delta: huber/delta -> |d|  (error at most delta/2 per element)
    small = 1e-6
    assert (lossviz.huber(d, z, delta=small, reduction="none") / small - d.abs()).abs().max() <= small
    # delta beyond every |d|: exactly d^2 / 2, i.e. half the MSE
    torch.testing.assert_close(lossviz.huber(d, z, delta=1e3), lossviz.mse(d, z) / 2)
    # and huber never exceeds MSE/2 nor delta*|d|
    h = lossviz.huber(d, z, delta=1.0, reduction="none")
    assert (h <= d.square() / 2 + 1e-12).all() and (h <= d.abs() + 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8))
def test_regression_losses_are_zero_at_perfect_prediction_and_nonnegative(values):
    y = T(*values)
    for f in (lossviz.mse, lossviz.rmse, lossviz.mae, lossviz.huber, lossviz.log_cosh, lossviz.quantile):
        assert f(y, y.clone()).item() == 0.0
        assert f(y + 0.5, y).item() >= 0.0


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: lossviz.mse(T(1, 2), T(1, 2).reshape(2, 1)), ValueError,
         r"target must have the same shape as input \(2,\) \(no broadcasting\), got \(2, 1\)"),
        (lambda: lossviz.mse(torch.tensor([1, 2]), torch.tensor([1, 2])), TypeError,
         r"input must be a floating-point tensor \(float32 or float64\), got dtype torch.int64"),
        (lambda: lossviz.mae(T(1.0), 1.0), TypeError, r"target must be a torch.Tensor, got float 1.0"),
        (lambda: lossviz.huber(T(1.0), T(1.0), delta=0.0), ValueError, r"delta must be > 0, got 0.0"),
        (lambda: lossviz.huber(T(1.0), T(1.0), delta="1"), TypeError, r"delta must be a real number, got str '1'"),
        (lambda: lossviz.quantile(T(1.0), T(1.0), q=1.0), ValueError, r"q must be < 1, got 1.0"),
        (lambda: lossviz.quantile(T(1.0), T(1.0), q=0), ValueError, r"q must be > 0, got 0"),
        (lambda: lossviz.rmse(T(1.0), T(1.0), dim=2), ValueError, r"dim must be in \[-1, 0\]"),
        (lambda: lossviz.mse(T(1.0), T(1.0), reduction="Mean"), ValueError,
         r"reduction must be one of 'none', 'mean', 'sum', got 'Mean'"),
        (lambda: lossviz.mse(T(1.0), T(1.0).float()), TypeError, r"target must have the dtype of input"),
    ],
)
def test_errors_name_argument_rule_and_value(call, error, match):
    with pytest.raises(error, match=match):
        call()
