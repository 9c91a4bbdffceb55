"""The first cell of every notebook: setup(), the Colab install command, fmt()."""

import dataclasses
import importlib.machinery
import random
import sys
import types

import matplotlib
import numpy as np
import pytest
import torch

import lossviz
from lossviz import notebook
from lossviz._meta import REPOSITORY_URL


@pytest.fixture(autouse=True)
def rc():
    with matplotlib.rc_context():
        yield


def _draws():
    return random.random(), float(np.random.rand()), torch.rand(3)


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN"])
def test_setup_seeds_everything_the_same_way_twice(lang):
    notebook.setup(lang, seed=7)
    a = _draws()
    notebook.setup(lang, seed=7)
    b = _draws()
    assert a[:2] == b[:2] and torch.equal(a[2], b[2])
    notebook.setup(lang, seed=8)
    assert not torch.equal(torch.rand(3), a[2])


def test_setup_text_never_names_the_device():
    s = notebook.setup("zh-TW")
    assert str(s) == f"lossviz {lossviz.__version__} · zh-TW · seed 0"  # hand-written expectation
    assert repr(s) == "Setup(lang='zh-TW', seed=0)"
    assert s.device == ("cuda" if torch.cuda.is_available() else "cpu")
    for text in (str(s), repr(s), str(dataclasses.replace(s, device="cuda"))):
        assert "cpu" not in text and "cuda" not in text
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.seed = 1


def test_setup_sets_fonts_and_figure_defaults():
    notebook.setup("zh-CN", dpi=80)
    rc = matplotlib.rcParams
    assert rc["font.sans-serif"][:2] == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert rc["figure.dpi"] == 80 and rc["savefig.dpi"] == 80
    assert tuple(rc["figure.figsize"]) == notebook.FIGSIZE
    assert rc["svg.hashsalt"] == notebook.SVG_HASHSALT


def test_setup_leaves_deterministic_algorithms_alone():
    before = torch.are_deterministic_algorithms_enabled()
    try:
        torch.use_deterministic_algorithms(not before)
        notebook.setup("zh-TW")
        assert torch.are_deterministic_algorithms_enabled() is (not before)
    finally:
        torch.use_deterministic_algorithms(before)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "en"}, r"^lang must be one of 'zh-TW', 'zh-CN', got 'en'$"),
        ({"lang": "zh-TW", "seed": -1}, r"^seed must be >= 0, got -1$"),
        ({"lang": "zh-TW", "dpi": 0}, r"^dpi must be >= 1, got 0$"),
    ],
)
def test_setup_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        notebook.setup(**kwargs)


def test_colab_install_never_upgrades():
    cmd = notebook.colab_install_command()
    assert cmd[:4] == [sys.executable, "-m", "pip", "install"]
    assert cmd[-1] == f"git+{REPOSITORY_URL}"
    for flag in ("-U", "--upgrade", "--force-reinstall", "--upgrade-strategy", "--no-deps"):
        assert not any(arg == flag or arg.startswith(flag + "=") for arg in cmd)
    assert notebook.colab_install_command("https://example.org/fork")[-1] == "git+https://example.org/fork"
    with pytest.raises(ValueError, match="^url must"):
        notebook.colab_install_command("")


def test_in_colab(monkeypatch):
    if "google.colab" not in sys.modules:
        try:
            import google.colab  # noqa: F401
        except ImportError:
            assert notebook.in_colab() is False
    google = types.ModuleType("google")
    google.__path__ = []
    colab = types.ModuleType("google.colab")
    colab.__spec__ = importlib.machinery.ModuleSpec("google.colab", None)
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    assert notebook.in_colab() is True


@pytest.mark.parametrize(
    ("x", "spec", "expected"),
    [
        (torch.tensor(0.5, requires_grad=True) * 2, ".4f", "1.0000"),  # no grad_fn in the text
        (torch.tensor(1 / 3, dtype=torch.float64), ".4f", "0.3333"),
        (np.float32(0.25), ".2f", "0.25"),
        (2, ".1f", "2.0"),
        (-1e-9, ".4f", "0.0000"),  # no "-0.0000": same text whatever the sign of the rounding
        (-0.0, ".2e", "0.00e+00"),
        (-1e-9, ".2e", "-1.00e-09"),
        (-0.25, ".2f", "-0.25"),
        (float("-inf"), ".4f", "-inf"),
        (float("nan"), ".4f", "nan"),
    ],
)
def test_fmt(x, spec, expected):
    assert notebook.fmt(x, spec) == expected


def test_fmt_refuses_what_is_not_one_number():
    with pytest.raises(ValueError, match=r"^x must be a number or a 0-d tensor, got tensor of shape \(2,\)"):
        notebook.fmt(torch.ones(2))
    with pytest.raises(TypeError, match="^x must be a real number"):
        notebook.fmt("0.5")
    with pytest.raises(TypeError, match="^x must be a real number"):
        notebook.fmt(True)


def test_within_prints_a_verdict_never_the_residual():
    from lossviz.notebook import within

    assert within(torch.tensor([1e-16, -3e-17], dtype=torch.float64), 1e-12) == "< 1e-12 ✓"
    assert within(2.4e-7, 1e-6) == "< 1e-06 ✓"
    assert within(np.array([0.0, -2e-3]), 1e-3) == "≥ 0.001 ✗"
    assert within(float("nan"), 1.0).endswith("✗")  # NaN never passes


@pytest.mark.parametrize("diff, tol, error, match", [
    (torch.zeros(0), 1e-12, ValueError, r"^diff must hold at least one number, got "),
    ("0.1", 1e-12, TypeError, r"^diff must be a real number, a tensor or an array, got str '0.1'"),
    (True, 1e-12, TypeError, r"^diff must be a real number"),
    (0.0, 0.0, ValueError, r"^tol must be > 0, got 0.0"),
    (0.0, "1e-12", TypeError, r"^tol must be a real number"),
])
def test_within_refuses_bad_input(diff, tol, error, match):
    from lossviz.notebook import within

    with pytest.raises(error, match=match):
        within(diff, tol)
