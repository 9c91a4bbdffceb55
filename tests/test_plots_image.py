"""Figures of the image notebook (08): the equal-MSE distortions and the SSIM slider."""

from __future__ import annotations

import pytest
import torch

from lossviz.image import ssim
from lossviz.plots import FIGURES
from lossviz.plots import image as P


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


def test_sample_image_is_fixed_and_in_range():
    x = P.sample_image()
    assert x.shape == (1, 1, P.SIZE, P.SIZE) and x.dtype == torch.float64
    assert torch.equal(x, P.sample_image())  # no random draw
    assert 0.2 <= x.min().item() and x.max().item() <= 0.8
    with pytest.raises(ValueError, match="size must"):
        P.sample_image(4)


def test_distortions_have_equal_mse():
    x = P.sample_image()
    dist = P.equal_mse_distortions(x)
    assert list(dist) == list(P.DISTORTIONS)
    mse = {k: (v - x).square().mean().item() for k, v in dist.items()}
    for value in mse.values():
        assert value == pytest.approx(mse["blur"], rel=1e-12)
    # brightness: a constant shift; contrast: the mean is kept
    assert torch.allclose(dist["brightness"] - x, torch.full_like(x, mse["blur"] ** 0.5), rtol=1e-12)
    assert dist["contrast"].mean().item() == pytest.approx(x.mean().item(), rel=1e-12)


def test_gaussian_blur_keeps_constants_and_mean_of_symmetric_images():
    c = torch.full((1, 2, 10, 12), 0.3, dtype=torch.float64)
    torch.testing.assert_close(P.gaussian_blur(c, 1.0), c, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="sigma must"):
        P.gaussian_blur(c, 0.0)


def test_ssim_losses_match_single_calls_and_rank_the_distortions():
    x = P.sample_image()
    dist = P.equal_mse_distortions(x)
    got = P.ssim_losses(x, dist, window_size=7, sigma=1.0)
    for name, d in dist.items():
        assert got[name] == pytest.approx(ssim(d, x, window_size=7, sigma=1.0).item(), rel=1e-12)
    # the notebook's claim: at equal MSE, noise > blur > contrast > brightness for the default window
    base = P.ssim_losses(x, dist)
    assert base["noise"] > base["blur"] > base["contrast"] > base["brightness"]


@pytest.mark.parametrize(("value", "want"), [(3.0, 3), (4.2, 5), (10.9, 11), (1.0, 1)])
def test_odd_window(value, want):
    assert P.odd_window(value) == want


def test_slider_changes_pixels():
    live = FIGURES["ssim_equal_mse"]()
    live.update(window_size=3.0)
    a = live.render_png()
    live.update(window_size=21.0, sigma=3.0)
    b = live.render_png()
    live.update(window_size=3.0, sigma=1.5)
    assert a != b and a == live.render_png()
    texts = [x.get_text() for x in live.dynamic if hasattr(x, "get_text")]
    assert any("window 3×3" in x for x in texts)
