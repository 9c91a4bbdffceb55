"""The loss explorer: a sweep for every catalog id, closed form vs autograd, references, the widget."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lossviz
from lossviz.plots import explorer as X

IDS = list(lossviz.catalog())


def test_every_id_has_an_axis():
    assert set(X.AXES) == set(IDS)


@pytest.mark.parametrize("loss_id", IDS)
def test_sweep_finite_and_gradients_agree(loss_id):
    entry = lossviz.catalog()[loss_id]
    for params in X._settings(entry):  # low / default / high of every parameter
        s = X.sweep(loss_id, **params)
        assert s["x"].shape == s["loss"].shape == s["grad"].shape == (X.N_SWEEP,)
        assert np.isfinite(s["loss"]).all() and np.isfinite(s["grad"]).all()
        # the markers sit between grid points, away from the kinks of |x|, max(0, .), ...
        if s["grad_marks"] is not None:
            np.testing.assert_allclose(s["grad_marks"], s["autograd"], rtol=1e-9, atol=1e-12)
        if s["reference"] is not None:
            np.testing.assert_allclose(s["reference"], s["loss_marks"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("loss_id", ["huber", "cross_entropy", "triplet", "ctc", "dice"])
def test_sweep_equals_a_direct_call(loss_id):
    # an independent computation: rebuild the example by hand, move the element, call the loss
    entry = lossviz.catalog()[loss_id]
    s = X.sweep(loss_id, n=5, markers=3)
    args, kwargs = entry.example()
    index = X._index(entry, X.AXES[loss_id], args)
    ax = X.BATCH_AXIS.get(loss_id, 0)
    for k, x in enumerate(s["x"]):
        first = args[0].clone()
        first.movedim(ax, 0)[(0, *index)] = float(x)
        out = entry.fn(first, *args[1:], **kwargs, reduction="none")
        if out.shape == first.shape:
            want = out[(0, *index)]
        elif out.dim() > 1 and out.shape[1:] == first.shape[1:out.dim()]:
            want = out[(0, *index[: out.dim() - 1])]
        else:
            want = out.reshape(out.shape[0], -1)[0].sum()
        assert float(want) == pytest.approx(float(s["loss"][k]), rel=1e-12, abs=1e-12)


def test_huber_sweep_is_the_huber_curve():
    # hand formula: d = x - y; 0.5 d^2 inside |d| <= delta, delta(|d| - delta/2) outside
    s = X.sweep("huber", delta=0.5)
    lo, hi = X.axis_range("huber")
    y = (lo + hi) / 2
    d = s["x"] - y
    want = np.where(np.abs(d) <= 0.5, 0.5 * d**2, 0.5 * (np.abs(d) - 0.25))
    np.testing.assert_allclose(s["loss"], want, atol=1e-12)
    np.testing.assert_allclose(s["grad"], np.clip(d, -0.5, 0.5), atol=1e-12)


def test_simplex_sweep_keeps_distributions():
    entry = lossviz.catalog()["entropy"]
    values = torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)
    (p,), _, _ = X._batch(entry, values, {})
    torch.testing.assert_close(p.sum(1), torch.ones(3, dtype=torch.float64))
    torch.testing.assert_close(p[:, 0], values)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="loss_id"):
        X.sweep("no_such_loss")
    with pytest.raises(ValueError, match="params"):
        X.sweep("huber", beta=1.0)
    with pytest.raises(ValueError, match="delta"):
        X.sweep("huber", delta=99.0)
    with pytest.raises(ValueError, match="loss_id"):
        X.explorer_figure(loss_id="nope")


def test_figure_updates_in_place():
    live = X.explorer_figure(loss_id="focal")
    line = live.dynamic[0]
    before = np.array(line.get_ydata())
    live.update(gamma=0.0)
    after = np.array(line.get_ydata())
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, X.sweep("focal", alpha=0.25, gamma=0.0)["loss"])
    assert live.render_png()[:4] == b"\x89PNG"


def test_widget_builds_and_switches_loss():
    pytest.importorskip("ipywidgets")
    box = X.explorer_widget("huber")
    family, loss = box.children[0].children
    sliders = box.children[2].children
    assert [s.description for s in sliders] == ["delta"]
    family.value = "classification"
    assert loss.value == "bce"
    loss.value = "focal"
    assert [s.description for s in box.children[2].children] == ["alpha", "gamma"]


def test_grid_has_a_panel_per_loss():
    fig = X.catalog_grid()
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == len(IDS)
