"""Information family: hand-computed values, invariants and error messages."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import lossviz

T = lambda *v: torch.tensor(v, dtype=torch.float64)  # noqa: E731


def test_surprise_in_bits_hand_values():
    # -log2(1/2) = 1 bit, -log2(1/8) = 3 bits, -log2(1) = 0 (by definition of log2)
    got = lossviz.self_information(T(0.5, 0.125, 1.0), base=2, reduction="none")
    torch.testing.assert_close(got, T(1.0, 3.0, 0.0))


def test_surprise_nats_vs_bits():
    # 1 bit = ln 2 nats = 0.693147...
    nats = lossviz.self_information(T(0.5), reduction="sum")
    assert nats.item() == pytest.approx(math.log(2))


def test_surprise_at_zero_is_infinite():
    assert math.isinf(lossviz.self_information(T(0.0), reduction="sum").item())


@settings(max_examples=50, deadline=None)
@given(st.floats(1e-6, 1.0), st.floats(1e-6, 1.0))
def test_surprise_of_independent_events_adds(p, q):
    both = lossviz.self_information(T(p * q), reduction="sum")
    apart = lossviz.self_information(T(p, q), reduction="sum")
    assert both.item() == pytest.approx(apart.item(), rel=1e-9, abs=1e-12)


def test_entropy_hand_values():
    # fair coin: 1 bit; uniform over 4: 2 bits; one-hot: 0
    p = T(0.5, 0.5, 0, 0), T(0.25, 0.25, 0.25, 0.25), T(1, 0, 0, 0)
    got = lossviz.entropy(torch.stack(p), base=2, reduction="none")
    torch.testing.assert_close(got, T(1.0, 2.0, 0.0))


def test_entropy_along_another_dim():
    p = torch.softmax(torch.randn(4, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0)), 0)
    torch.testing.assert_close(lossviz.entropy(p, dim=0, reduction="none"),
                               lossviz.entropy(p.T, dim=-1, reduction="none"))


def test_kl_hand_value_and_cross_entropy_identity():
    # D(p||q) for p = (1/2, 1/2), q = (1/4, 3/4): 1/2 ln 2 + 1/2 ln(2/3) = 0.5*ln(4/3)
    p, q = T(0.5, 0.5), T(0.25, 0.75)
    assert lossviz.kl_div(p, q).item() == pytest.approx(0.5 * math.log(4 / 3))
    # H(p, q) = H(p) + D(p||q), with H(p, q) = -sum p log q
    h_pq = -(p * q.log()).sum()
    torch.testing.assert_close(h_pq, lossviz.entropy(p) + lossviz.kl_div(p, q))


def test_kl_matches_batchmean_of_torch():
    g = torch.Generator().manual_seed(1)
    p = torch.softmax(torch.randn(5, 4, generator=g, dtype=torch.float64), -1)
    q = torch.softmax(torch.randn(5, 4, generator=g, dtype=torch.float64), -1)
    want = torch.nn.functional.kl_div(q.log(), p, reduction="batchmean")
    torch.testing.assert_close(lossviz.kl_div(p, q), want)


def test_kl_is_infinite_where_q_is_zero_but_p_is_not():
    assert math.isinf(lossviz.kl_div(T(0.5, 0.5), T(1.0, 0.0)).item())
    # ... and zero-probability outcomes of p cost nothing (0 log 0 = 0)
    assert lossviz.kl_div(T(1.0, 0.0), T(1.0, 0.0)).item() == 0.0


probs = st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6)


@settings(max_examples=60, deadline=None)
@given(probs, probs)
def test_kl_invariants(a, b):
    n = min(len(a), len(b))
    p = T(*a[:n]); p = p / p.sum()  # noqa: E702
    q = T(*b[:n]); q = q / q.sum()  # noqa: E702
    assert lossviz.kl_div(p, p).item() == pytest.approx(0.0, abs=1e-12)   # KL(p, p) = 0
    assert lossviz.kl_div(p, q).item() >= -1e-12                          # Gibbs' inequality
    h = lossviz.entropy(p).item()
    assert -1e-12 <= h <= math.log(n) + 1e-12                             # 0 <= H <= log K


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: lossviz.self_information(T(1.5)), ValueError, r"p must hold probabilities in \[0, 1\], got a value 1.5"),
        (lambda: lossviz.self_information(T(0.5), base=1), ValueError, r"base must be > 0 and != 1, got 1"),
        (lambda: lossviz.self_information(T(0.5), base=-2), ValueError, r"base must be > 0, got -2"),
        (lambda: lossviz.self_information([0.5]), TypeError, r"p must be a torch.Tensor, got list"),
        (lambda: lossviz.entropy(T(0.5, 0.6)), ValueError, r"p must sum to 1 along dim 0, got a sum of 1.1"),
        (lambda: lossviz.entropy(T(0.5, 0.5), dim=3), ValueError, r"dim must be in \[-1, 0\]"),
        (lambda: lossviz.kl_div(T(0.5, 0.5), T(0.2, 0.3, 0.5)), ValueError,
         r"q must have the same shape as p \(2,\) \(no broadcasting\), got \(3,\)"),
        (lambda: lossviz.kl_div(T(0.5, 0.5), T(0.5, 0.5).float()), TypeError, r"q must have the dtype of p"),
        (lambda: lossviz.entropy(torch.tensor([1, 0])), TypeError, r"p must be a floating-point tensor"),
        (lambda: lossviz.entropy(T()), ValueError, r"p must not be empty"),
    ],
)
def test_errors_name_argument_rule_and_value(call, error, match):
    with pytest.raises(error, match=match):
        call()
