"""Dice, IoU and SSIM: hand values, the notes' DiceLoss, sklearn, pytorch_msssim, errors."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from pytorch_msssim import ssim as msssim_ssim
from sklearn.metrics import f1_score, jaccard_score

from lossviz.image import dice, dice_grad, iou, iou_grad, ssim, ssim_grad

D = torch.float64


class DiceLoss(torch.nn.Module):
    """Document 004's class, copied verbatim (inputs (N, C, H, W) probabilities)."""

    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, inputs, targets):
        inputs = inputs.flatten(2)
        targets = targets.flatten(2)
        intersection = (inputs * targets).sum(dim=2)
        union = inputs.sum(dim=2) + targets.sum(dim=2)
        dice = (2. * intersection + self.smooth) / (union + self.smooth)
        return 1 - dice.mean()


def _t(values):
    return torch.tensor(values, dtype=D).reshape(1, 1, 1, -1)


# --- Dice / IoU: hand values ----------------------------------------------------------
def test_dice_and_iou_by_hand():
    p, t = _t([0.5, 1.0]), _t([1.0, 0.0])
    # I = 0.5, Σp = 1.5, Σt = 1.  Dice, s=1: (2*0.5 + 1) / (2.5 + 1) = 4/7 -> loss 3/7
    assert dice(p, t).item() == pytest.approx(3 / 7, rel=1e-15)
    # s = 0: 1 / 2.5 = 0.4 -> loss 0.6
    assert dice(p, t, smooth=0).item() == pytest.approx(0.6, rel=1e-15)
    # IoU, s=1: (0.5 + 1) / (1.5 + 1 - 0.5 + 1) = 0.5 -> loss 0.5; s=0: 0.5 / 2 = 0.25 -> 0.75
    assert iou(p, t).item() == pytest.approx(0.5, rel=1e-15)
    assert iou(p, t, smooth=0).item() == pytest.approx(0.75, rel=1e-15)


def test_dice_and_iou_gradients_by_hand():
    p, t = _t([0.5, 1.0]), _t([1.0, 0.0])
    # Dice: (D - 2t)/S with D = 4/7, S = 3.5 -> (4/7 - 2)/3.5 = -20/49, (4/7)/3.5 = 8/49
    torch.testing.assert_close(dice_grad(p, t), _t([-20 / 49, 8 / 49]))
    # IoU: (J(1-t) - t)/(U + s) with J = 0.5, U + s = 3 -> -1/3, 1/6
    torch.testing.assert_close(iou_grad(p, t), _t([-1 / 3, 1 / 6]))


def test_reductions_shapes():
    g = torch.Generator().manual_seed(0)
    p = torch.rand(3, 2, 5, 5, generator=g, dtype=D)
    t = (torch.rand(3, 2, 5, 5, generator=g, dtype=D) > 0.5).to(D)
    for f in (dice, iou):
        none = f(p, t, reduction="none")
        assert none.shape == (3, 2)
        torch.testing.assert_close(f(p, t), none.mean())
        torch.testing.assert_close(f(p, t, reduction="sum"), none.sum())


def test_other_spatial_ranks_and_gradients():
    g = torch.Generator().manual_seed(1)
    for shape in [(2, 3, 7), (2, 1, 3, 4, 5)]:  # 1-D signals, 3-D volumes
        p = torch.rand(*shape, generator=g, dtype=D)
        t = torch.rand(*shape, generator=g, dtype=D)
        for f, fg in ((dice, dice_grad), (iou, iou_grad)):
            for reduction in ("none", "mean", "sum"):
                x = p.clone().requires_grad_(True)
                (auto,) = torch.autograd.grad(f(x, t, reduction=reduction).sum(), x)
                torch.testing.assert_close(fg(p, t, reduction=reduction), auto, rtol=1e-10, atol=1e-12)


# --- Dice / IoU: the notes' class, sklearn, invariants --------------------------------
@st.composite
def _masks(draw, binary_target=False):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**16)))
    p = torch.rand(n, c, h, w, generator=g, dtype=D)
    t = torch.rand(n, c, h, w, generator=g, dtype=D)
    if binary_target:
        t = (t > 0.5).to(D)
    return p, t


@settings(max_examples=30, deadline=None)
@given(_masks(binary_target=True), st.floats(0.01, 5.0))
def test_dice_equals_the_notes_dice_loss(masks, smooth):
    p, t = masks
    want = DiceLoss(smooth)(p, t)  # 1 - dice.mean(): the mean over all (n, c) pairs
    torch.testing.assert_close(dice(p, t, smooth=smooth), want, rtol=1e-12, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(_masks(), st.floats(0.0, 5.0))
def test_losses_lie_in_unit_interval_and_iou_is_harsher(masks, smooth):
    p, t = masks
    p = p.clamp_min(1e-3)  # no all-zero pair when smooth = 0
    d, j = dice(p, t, smooth=smooth, reduction="none"), iou(p, t, smooth=smooth, reduction="none")
    assert ((d >= 0) & (d <= 1 + 1e-15)).all() and ((j >= 0) & (j <= 1 + 1e-15)).all()
    assert (j >= d - 1e-15).all()  # J <= D: IoU loss >= Dice loss


@settings(max_examples=30, deadline=None)
@given(_masks())
def test_jaccard_from_dice_without_smoothing(masks):
    # J = D / (2 - D): both are ratios of the same I and Σp + Σt (holds for soft masks too)
    p, t = masks
    p = p.clamp_min(1e-3)
    dc = 1 - dice(p, t, smooth=0, reduction="none")
    jc = 1 - iou(p, t, smooth=0, reduction="none")
    torch.testing.assert_close(jc, dc / (2 - dc), rtol=1e-12, atol=1e-14)


def test_binary_masks_match_sklearn():
    g = torch.Generator().manual_seed(3)
    p = (torch.rand(2, 3, 6, 6, generator=g) > 0.5).to(D)
    t = (torch.rand(2, 3, 6, 6, generator=g) > 0.5).to(D)
    d = 1 - dice(p, t, smooth=0, reduction="none")
    j = 1 - iou(p, t, smooth=0, reduction="none")
    for n in range(2):
        for c in range(3):
            yt, yp = t[n, c].flatten().numpy(), p[n, c].flatten().numpy()
            assert d[n, c].item() == pytest.approx(f1_score(yt, yp), rel=1e-12)  # Dice = F1
            assert j[n, c].item() == pytest.approx(jaccard_score(yt, yp), rel=1e-12)


@pytest.mark.parametrize("smooth", [0.0, 1.0, 3.5])
def test_perfect_binary_prediction_is_exactly_zero(smooth):
    g = torch.Generator().manual_seed(4)
    t = (torch.rand(2, 2, 5, 5, generator=g) > 0.5).to(D)
    t[..., 0, 0] = 1  # no empty pair (smooth = 0 would refuse it)
    assert dice(t.clone(), t, smooth=smooth).item() == 0.0
    assert iou(t.clone(), t, smooth=smooth).item() == 0.0


def test_empty_pairs():
    z = torch.zeros(1, 1, 4, 4, dtype=D)
    # smooth s > 0: D = s / s = 1, loss 0 (an empty prediction of an empty mask is right)
    assert dice(z, z).item() == 0.0 and iou(z, z).item() == 0.0
    # an empty target with a non-empty prediction: D = s/(Σp + s)
    p = torch.full_like(z, 0.25)  # Σp = 4
    assert dice(p, z).item() == pytest.approx(1 - 1 / 5, rel=1e-15)
    for f in (dice, dice_grad, iou, iou_grad):
        with pytest.raises(ValueError, match=r"smooth must be > 0 when input and target are both all zeros"
                                             r".*got smooth=0 with an empty pair at \(n=0, c=0\)"):
            f(z, z, smooth=0)


def test_extreme_masks_float32():
    t = torch.zeros(2, 3, 128, 128)
    t[:, 0, 10:100, 20:90] = 1
    p = t.clone()
    p[:, 1] = 1.0  # all ones against an empty target
    p[:, 0, 0, 0] = 1e-30
    for f, fg in ((dice, dice_grad), (iou, iou_grad)):
        x = p.clone().requires_grad_(True)
        out = f(x, t)
        (auto,) = torch.autograd.grad(out, x)
        assert torch.isfinite(out) and torch.isfinite(auto).all()
        torch.testing.assert_close(fg(p, t), auto)
        torch.testing.assert_close(out.double(), f(p.double(), t.double()))


def test_mask_error_messages():
    p = torch.full((2, 2, 3, 3), 0.5, dtype=D)
    t = torch.ones(2, 2, 3, 3, dtype=D)
    for f in (dice, dice_grad, iou, iou_grad):
        with pytest.raises(TypeError, match=r"input must be a floating-point tensor"):
            f(p.long(), t)
        with pytest.raises(TypeError, match=r"target must be a floating-point tensor"):
            f(p, t.long())
        with pytest.raises(ValueError, match=r"input must have at least 3 dimensions \(N, C, \*spatial\), "
                                             r"got shape \(2, 2\)"):
            f(p[:, :, 0, 0], t[:, :, 0, 0])
        with pytest.raises(ValueError, match=r"target must have the same shape as input"):
            f(p, t[:, :1])
        with pytest.raises(TypeError, match=r"target must have the dtype of input"):
            f(p, t.float())
        with pytest.raises(ValueError, match=r"input must hold probabilities in \[0, 1\], got a value 1.5"):
            f(p + 1, t)
        with pytest.raises(ValueError, match=r"target must hold probabilities in \[0, 1\], got a value -1.0"):
            f(p, -t)
        with pytest.raises(ValueError, match=r"input must hold probabilities in \[0, 1\], got a value nan"):
            f(p * math.nan, t)
        with pytest.raises(ValueError, match=r"smooth must be >= 0, got -0.5"):
            f(p, t, smooth=-0.5)
        with pytest.raises(ValueError, match=r"smooth must be a number, got nan"):
            f(p, t, smooth=math.nan)
        with pytest.raises(TypeError, match=r"smooth must be a real number, got str '1'"):
            f(p, t, smooth="1")
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
            f(p, t, reduction="avg")


# --- SSIM -----------------------------------------------------------------------------
def _images(seed, shape=(2, 3, 16, 18), dtype=D, corr=0.6):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(*shape, generator=g, dtype=D)
    y = (corr * x + (1 - corr) * torch.rand(*shape, generator=g, dtype=D)).clamp(0, 1)
    return x.to(dtype), y.to(dtype)


def _window(w, sigma):
    g = [math.exp(-((k - (w - 1) / 2) ** 2) / (2 * sigma**2)) for k in range(w)]
    total = sum(g)
    return [[a * b / total**2 for b in g] for a in g]


def test_ssim_single_window_by_formula():
    # H = W = window_size: the map is one number, computed here with math.* from the formula
    x, y = _images(0, shape=(1, 1, 7, 7))
    w = _window(7, 1.5)
    c1, c2 = (0.01 * 1.0) ** 2, (0.03 * 1.0) ** 2
    xs, ys = x[0, 0].tolist(), y[0, 0].tolist()

    def e(f):
        return sum(w[i][j] * f(xs[i][j], ys[i][j]) for i in range(7) for j in range(7))

    mx, my = e(lambda a, b: a), e(lambda a, b: b)
    vx, vy = e(lambda a, b: a * a) - mx**2, e(lambda a, b: b * b) - my**2
    cxy = e(lambda a, b: a * b) - mx * my
    s = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
    assert ssim(x, y, window_size=7).item() == pytest.approx(1 - s, rel=1e-12)


def test_ssim_window_of_one_pixel_and_constant_images():
    # window_size 1: no variance, SSIM = (2xy + C1)/(x² + y² + C1) per pixel, C1 = 1e-4
    x = torch.full((1, 1, 3, 3), 0.5, dtype=D)
    y = torch.full((1, 1, 3, 3), 0.25, dtype=D)
    want = 1 - (2 * 0.5 * 0.25 + 1e-4) / (0.25 + 0.0625 + 1e-4)
    assert ssim(x, y, window_size=1).item() == pytest.approx(want, rel=1e-12)
    # constant 11x11+ images with the default window: the same luminance-only value
    x = torch.full((1, 2, 12, 12), 0.5, dtype=D)
    y = torch.full((1, 2, 12, 12), 0.25, dtype=D)
    assert ssim(x, y).item() == pytest.approx(want, rel=1e-12)


def test_ssim_identity_and_symmetry():
    x, y = _images(1)
    assert ssim(x, x.clone()).item() == 0.0
    assert torch.equal(ssim_grad(x, x.clone()), torch.zeros_like(x))  # regrouped form: exactly 0
    torch.testing.assert_close(ssim(x, y, reduction="none"), ssim(y, x, reduction="none"),
                               rtol=1e-14, atol=1e-15)
    none = ssim(x, y, reduction="none")
    assert none.shape == (2,) and ((none >= 0) & (none <= 2)).all()
    torch.testing.assert_close(ssim(x, y), none.mean())
    torch.testing.assert_close(ssim(x, y, reduction="sum"), none.sum())


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("window_size,sigma,data_range", [(11, 1.5, 1.0), (7, 1.0, 1.0), (11, 3.0, 255.0),
                                                          (5, 0.5, 1.0)])
def test_ssim_matches_pytorch_msssim(dtype, window_size, sigma, data_range):
    x, y = _images(2, dtype=dtype)
    x, y = x * data_range, y * data_range
    got = ssim(x, y, window_size=window_size, sigma=sigma, data_range=data_range, reduction="none")
    # pytorch_msssim builds its window in float32 whatever the input dtype (up to ~1e-6 apart) ...
    want = 1 - msssim_ssim(x, y, data_range=data_range, size_average=False, win_size=window_size,
                           win_sigma=sigma)
    torch.testing.assert_close(got, want.to(dtype), rtol=1e-5, atol=1e-6)
    # ... given our float64 window, the same K, valid convolution and averaging agree to rounding
    k = torch.arange(window_size, dtype=D) - (window_size - 1) / 2
    g = torch.exp(-k.square() / (2 * sigma**2))
    win = (g / g.sum()).to(dtype).reshape(1, 1, 1, -1).repeat(x.shape[1], 1, 1, 1)
    want = 1 - msssim_ssim(x, y, data_range=data_range, size_average=False, win=win)
    tol = dict(rtol=1e-12, atol=1e-14) if dtype == D else dict(rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(got, want, **tol)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**16), st.sampled_from([1, 3, 5, 7]), st.floats(0.5, 3.0),
       st.sampled_from(["none", "mean", "sum"]), st.floats(0.0, 1.0))
def test_ssim_closed_form_equals_autograd(seed, window_size, sigma, reduction, corr):
    x, y = _images(seed, shape=(2, 2, 9, 10), corr=corr)
    xr = x.clone().requires_grad_(True)
    (auto,) = torch.autograd.grad(ssim(xr, y, window_size=window_size, sigma=sigma,
                                       reduction=reduction).sum(), xr)
    closed = ssim_grad(x, y, window_size=window_size, sigma=sigma, reduction=reduction)
    torch.testing.assert_close(closed, auto, rtol=1e-8, atol=1e-12)


def test_ssim_extreme_float32():
    checker = ((torch.arange(32)[:, None] + torch.arange(32)[None, :]) % 2).float()
    x = torch.stack([torch.zeros(32, 32), checker, checker * 255])[:, None]
    y = torch.stack([torch.ones(32, 32), 1 - checker, torch.full((32, 32), 128.0)])[:, None]
    xr = x.clone().requires_grad_(True)
    out = ssim(xr, y, reduction="none")
    (auto,) = torch.autograd.grad(out.sum(), xr)
    assert torch.isfinite(out).all() and torch.isfinite(auto).all()
    torch.testing.assert_close(ssim_grad(x, y, reduction="none"), auto, rtol=1e-4, atol=1e-7)
    torch.testing.assert_close(out.detach().double(), ssim(x.double(), y.double(), reduction="none"),
                               rtol=1e-5, atol=1e-6)


def test_ssim_error_messages():
    x, y = _images(3)
    for f in (ssim, ssim_grad):
        with pytest.raises(TypeError, match=r"input must be a floating-point tensor"):
            f(x.long(), y)
        with pytest.raises(ValueError, match=r"input must have 4 dimensions, got shape \(3, 16, 18\)"):
            f(x[0], y[0])
        with pytest.raises(ValueError, match=r"target must have the same shape as input"):
            f(x, y[:1])
        with pytest.raises(TypeError, match=r"target must have the dtype of input"):
            f(x, y.float())
        with pytest.raises(ValueError, match=r"window_size must be odd \(a window centred on its pixel\), got 10"):
            f(x, y, window_size=10)
        with pytest.raises(TypeError, match=r"window_size must be an integer, got 10.5"):
            f(x, y, window_size=10.5)
        with pytest.raises(ValueError, match=r"window_size must be >= 1, got 0"):
            f(x, y, window_size=0)
        with pytest.raises(ValueError, match=r"input must have height and width >= window_size=17, "
                                             r"got shape \(2, 3, 16, 18\)"):
            f(x, y, window_size=17)
        with pytest.raises(ValueError, match=r"sigma must be > 0, got 0.0"):
            f(x, y, sigma=0.0)
        with pytest.raises(ValueError, match=r"data_range must be > 0, got -1.0"):
            f(x, y, data_range=-1.0)
        with pytest.raises(ValueError, match=r"K1 must be > 0, got 0"):
            f(x, y, K1=0)
        with pytest.raises(ValueError, match=r"K2 must be > 0, got 0"):
            f(x, y, K2=0)
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
            f(x, y, reduction="avg")
