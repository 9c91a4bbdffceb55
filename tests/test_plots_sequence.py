"""Figures of the sequence notebook (09): collapse rule, minimum length, lattice, best path."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossviz.plots import FIGURES
from lossviz.plots import sequence as P


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


def _paths(T, C=3):
    return list(itertools.product(range(C), repeat=T))


def test_collapse_merges_then_drops_blanks():
    assert P.collapse([1, 1, 0, 2, 2]) == (1, 2)
    assert P.collapse([1, 0, 1, 2]) == (1, 1, 2)  # the blank keeps the two a's apart
    assert P.collapse([0, 0, 0]) == ()
    assert P.collapse([2, 2, 1], blank=2) == (1,)
    assert P.spell((1, 0, 2)) == "a-b" and P.spell(()) == "∅"
    with pytest.raises(ValueError, match="must"):
        P.collapse([1, -1])


@pytest.mark.parametrize("target", [(1,), (1, 2), (1, 1), (1, 2, 1), (1, 1, 1), (1, 2, 2, 1), (1, 1, 2, 2)])
def test_min_frames_is_the_shortest_path_that_collapses_to_the_target(target):
    shortest = min(T for T in range(1, 9) if any(P.collapse(p) == target for p in _paths(T)))
    assert P.min_frames(target) == shortest


@pytest.mark.parametrize("beta", [0.0, 1.0, 3.0])
def test_lattice_against_brute_force(beta):
    lp = P.toy_log_probs(beta)
    y = lp.exp().numpy()
    T = y.shape[0]
    probs = {p: math.prod(y[t, c] for t, c in enumerate(p)) for p in _paths(T) if P.collapse(p) == P.TOY_TARGET}
    lat = P.lattice(lp, P.TOY_TARGET)
    assert lat["p"] == pytest.approx(sum(probs.values()), rel=1e-12)
    ref = F.ctc_loss(lp[:, None], torch.tensor([P.TOY_TARGET]), (T,), (2,), reduction="sum").item()
    assert -math.log(lat["p"]) == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(lat["occupancy"].sum(1), 1.0, rtol=1e-12)
    # the best path is the most probable single path (unique when β > 0)
    best = [lat["ext"][s] for s in lat["best"]]
    assert math.prod(y[t, c] for t, c in enumerate(best)) == pytest.approx(max(probs.values()), rel=1e-12)
    assert P.collapse(best) == P.TOY_TARGET


def test_toy_log_probs_rejects_negative_sharpness():
    with pytest.raises(ValueError, match="sharpness must"):
        P.toy_log_probs(-1.0)


def test_slider_changes_pixels():
    live = FIGURES["ctc_lattice"]()
    live.update(sharpness=0.0)
    a = live.render_png()
    live.update(sharpness=5.0)
    b = live.render_png()
    live.update(sharpness=0.0)
    assert a != b and a == live.render_png()
    texts = [x.get_text() for x in live.dynamic if hasattr(x, "get_text")]
    assert any("→ ab" in x for x in texts)
