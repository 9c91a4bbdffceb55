"""Chinese renders in matplotlib with the right regional shapes, offline, without warnings."""

import ast
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont

from lossviz import fonts
from tools import colab_sim

ROOT = Path(__file__).resolve().parents[1]
FAMILY = {"zh-TW": "Noto Sans CJK TC", "zh-CN": "Noto Sans CJK SC"}
# words every notebook uses, in both scripts (the tw2sp conversion of the first line is the second)
SAMPLE = {
    "zh-TW": "損失函數 交叉熵 機率 梯度 反向傳播 最小化 權重 參數 訓練 資料 樣本 模型 預測 標籤 "
             "誤差 均方 平滑 邊界 對數 正則化 「一」，。：；！？（）、…—",
    "zh-CN": "损失函数 交叉熵 概率 梯度 反向传播 最小化 权重 参数 训练 数据 样本 模型 预测 标签 "
             "误差 均方 平滑 边界 对数 正则化 「一」，。：；！？（）、…—",
}
# what a figure shows besides Chinese: Latin, digits, U+2212 minus, Greek, math text
LATIN = "Loss vs. step 0123456789 \u22121.5 α γ δ τ ε θ σ λ μ ∞ ± × ≤ ≥ ° ′ ·"
MATH = r"$\mathcal{L}(\theta) = -\sum_i y_i \log p_i + \lambda\,\|\theta\|^2,\ \alpha,\gamma,\delta,\tau$"


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF)


def _literals(path: Path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = (n.value for n in ast.walk(tree) if isinstance(n, ast.Constant))
    return "".join(s for s in strings if isinstance(s, str))


def _project_text() -> str:
    """String literals of the package plus the notebook sources (those that exist so far)."""
    parts = [_literals(p) for p in sorted((ROOT / "lossviz").rglob("*.py"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "notebooks" / "src").glob("*.md"))]
    return "".join(parts)


def _cjk_chars(lang: str) -> str:
    text = _project_text()
    if lang == "zh-CN":  # the zh-CN notebooks are converted from the zh-TW sources
        try:
            import opencc
        except ImportError:
            pass
        else:
            text += opencc.OpenCC("tw2sp").convert(text)
    return "".join(sorted({ch for ch in text + SAMPLE[lang] if _is_cjk(ch)}))


@pytest.fixture(scope="module", autouse=True)
def cache_dir(tmp_path_factory):
    """A private font cache for this module: the first extraction is part of what is tested."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("xdg-cache")
        mp.setenv("XDG_CACHE_HOME", str(path))
        yield path / "lossviz" / "fonts"
    # Leave no trace for later test modules: forget the faces extracted into this temporary
    # cache (one of them was deliberately damaged on disk while matplotlib had it open).
    fonts._ready.clear()
    fonts._registered.clear()
    manager = font_manager.fontManager
    manager.ttflist = [f for f in manager.ttflist if not f.fname.startswith(str(path))]
    fonts._forget_open_fonts()


@pytest.fixture(autouse=True)
def rc():
    with matplotlib.rc_context():
        yield


def _draw(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _glyph(ch: str) -> np.ndarray:
    fig = Figure(figsize=(1, 1), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, ch, fontsize=48, ha="center", va="center")
    return _draw(fig)


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN"])
def test_every_character_renders_without_missing_glyph_warnings(lang, caplog):
    chars = _cjk_chars(lang)
    assert len(chars) >= len(set(SAMPLE[lang].replace(" ", ""))) - 5  # the sample alone is many
    assert fonts.use_cjk(lang) == FAMILY[lang]
    # matplotlib really picks the extracted face (a path, not face 0 of some collection)
    resolved = findfont(FontProperties(family=["sans-serif"]))
    assert (os.fspath(resolved), getattr(resolved, "face_index", 0)) == (os.fspath(fonts.font_path(lang)), 0)

    lines = [chars[i:i + 60] for i in range(0, len(chars), 60)]
    fig = Figure(figsize=(8, 0.3 * len(lines) + 2), dpi=40)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([-2, -1, 0, 1], [1.5, -0.5, 0, 2], label=SAMPLE[lang][:4])
    ax.set_title(SAMPLE[lang][:12])
    ax.set_xlabel(LATIN)
    ax.set_ylabel(MATH)
    ax.legend()
    fig.text(0.01, 0.99, "\n".join(lines), va="top", fontsize=8)
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _draw(fig)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert "findfont" not in caplog.text  # the family was found, no fallback to the default
    assert fonts.missing_glyphs(chars + LATIN + SAMPLE[lang], lang) == []


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN"])
def test_extracted_face_is_the_regional_one(lang):
    with TTFont(fonts.font_path(lang), lazy=True) as font:
        family = font["name"].getDebugName(1)
    assert family == FAMILY[lang]
    assert ("TC" if lang == "zh-TW" else "SC") in family


# cmap glyph ids differ between the TC and SC faces for these (TC: comma centred, SC: low left)
@pytest.mark.parametrize("ch", ["骨", "角", "數", "，"])
def test_taiwan_and_mainland_shapes_differ(ch):
    fonts.use_cjk("zh-TW")
    tw = _glyph(ch)
    fonts.use_cjk("zh-CN")
    cn = _glyph(ch)
    assert (tw < 128).any() and (cn < 128).any()  # ink on both
    assert not np.array_equal(tw, cn)


def test_latin_shapes_do_not_depend_on_the_region():
    # the control for the test above: the same pixels when the glyph is shared
    fonts.use_cjk("zh-TW")
    tw = _glyph("A7")
    fonts.use_cjk("zh-CN")
    assert np.array_equal(tw, _glyph("A7"))


def test_cache_is_reused_and_a_corrupt_file_replaced(monkeypatch, cache_dir):
    path = fonts.font_path("zh-TW")
    assert path.parent == cache_dir and path.suffix == ".otf"
    stat = path.stat()
    monkeypatch.setattr(fonts, "_ready", {})  # as in a new kernel
    assert fonts.font_path("zh-TW") == path
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_ino == stat.st_ino

    for damage in (b"not a font", path.read_bytes()[: stat.st_size // 2]):
        path.write_bytes(damage)
        monkeypatch.setattr(fonts, "_ready", {})
        assert fonts.font_path("zh-TW") == path
        assert path.stat().st_size == stat.st_size
        assert fonts._valid(path, FAMILY["zh-TW"])
    assert [p.name for p in cache_dir.iterdir() if p.suffix == ".tmp"] == []  # no temp left over


def test_second_call_neither_checks_nor_extracts(monkeypatch):
    fonts.use_cjk("zh-CN")

    def fail(*args):
        raise AssertionError("use_cjk repeated work it had already done")

    monkeypatch.setattr(fonts, "_valid", fail)
    monkeypatch.setattr(fonts, "_extract", fail)
    assert fonts.use_cjk("zh-CN") == FAMILY["zh-CN"]
    assert matplotlib.rcParams["font.sans-serif"][:2] == [FAMILY["zh-CN"], "DejaVu Sans"]


def test_relative_xdg_cache_home_is_ignored(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert fonts._cache_dir() == Path.home() / ".cache" / "lossviz" / "fonts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert fonts._cache_dir() == Path.home() / ".cache" / "lossviz" / "fonts"


def test_nothing_is_written_into_matplotlib():
    data = Path(matplotlib.get_data_path()).resolve()
    for lang in ("zh-TW", "zh-CN"):
        assert data not in fonts.font_path(lang).resolve().parents
        assert Path(os.environ["XDG_CACHE_HOME"]) in fonts.font_path(lang).parents


def test_missing_glyphs_reports_each_undrawable_character_once():
    pua = "\U000f0000"  # a private-use character no font here has
    assert fonts.missing_glyphs(f"a{pua}\n損{pua}\t", "zh-TW") == [pua]
    assert fonts.missing_glyphs("", "zh-CN") == []


@pytest.mark.parametrize(
    "call", [fonts.use_cjk, fonts.font_path, lambda lang: fonts.missing_glyphs("x", lang)])
@pytest.mark.parametrize("lang", ["zh-HK", "zh_TW", "en", None])
def test_unknown_language_is_refused(call, lang):
    with pytest.raises(ValueError, match=r"^lang must be one of 'zh-TW', 'zh-CN', got "):
        call(lang)


# ---------------------------------------------------------------------------------------------
# The machines a learner may have: each situation in a fresh process (tests/_font_probe.py)
# ---------------------------------------------------------------------------------------------

PROBE = Path(__file__).with_name("_font_probe.py")
IN_CI = os.environ.get("CI", "").lower() == "true"
DIFFERING = "骨角，"  # TC and SC shapes differ (說 is Traditional only, 数 Simplified only)


def _collection() -> str:
    paths = [p for p in fonts._collections() if "noto_cjk_sans_otc" in p.parts]
    assert paths, "the PyPI collection noto-cjk-sans-otc must be installed (a lossviz dependency)"
    return os.fspath(paths[0])


@pytest.fixture(scope="module")
def pythons():
    """{matplotlib line: interpreter}: this one (3.11) and the Colab-like one (3.10), if it can be made."""
    found = {"3.11": sys.executable}
    env = Path(os.environ.get(colab_sim.ENV_VARIABLE) or colab_sim.DEFAULT_ENV).resolve()
    try:
        colab_sim.ensure_env(env, log=print)
    except colab_sim.EnvUnavailable as exc:
        if IN_CI:
            pytest.fail(f"CI must be able to make the Colab-like environment (matplotlib 3.10): {exc}")
        found["3.10"] = None
    else:
        found["3.10"] = os.fspath(colab_sim.env_python(env))
    return found


def _probe(python: str, mplconfig: Path, xdg: Path, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "VIRTUAL_ENV", "MPLBACKEND")}
    env.update({"MPLCONFIGDIR": str(mplconfig), "XDG_CACHE_HOME": str(xdg),
                "PYTHONPATH": str(ROOT), "PYTHONNOUSERSITE": "1"})
    out = subprocess.run([python, str(PROBE), *args], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=300)
    assert out.returncode == 0, f"{python} {PROBE.name} {' '.join(args)} failed:\n{out.stderr[-3000:]}"
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("matplotlib_line", ["3.11", "3.10"])
@pytest.mark.parametrize("situation", ["no system CJK font", "system Noto CJK collection", "stale cache"])
def test_figures_draw_the_regional_shapes_on_any_machine(pythons, matplotlib_line, situation, tmp_path,
                                                          cache_dir):
    python = pythons[matplotlib_line]
    if python is None:
        pytest.skip("the Colab-like environment (matplotlib 3.10) cannot be made on this machine")
    for lang in FAMILY:  # both faces extracted beforehand: the 3.10 interpreter has no collection
        fonts.font_path(lang)
    mplconfig = tmp_path / "mplconfig"
    mplconfig.mkdir()
    if situation == "no system CJK font":
        args = ["--system", "none"]
    elif situation == "system Noto CJK collection":
        args = ["--system", "ttc", "--ttc", _collection()]
    else:  # a font list written before the system fonts arrived, then left on disk
        _probe(python, mplconfig, cache_dir.parents[1], "--write-stale-cache")
        args = ["--system", "as-is"]
    report = _probe(python, mplconfig, cache_dir.parents[1], *args)

    assert report["matplotlib"].startswith(matplotlib_line + ".")
    if situation == "system Noto CJK collection":
        assert report["cjk_listed"], "the collection was not registered as a system font would be"
    for lang, seen in report["langs"].items():
        assert seen["family"] == FAMILY[lang]
        assert (seen["resolved"], seen["resolved_face_index"]) == (seen["own_face"], 0), seen
        assert all(seen["ink"].values()), seen["ink"]
        assert all(seen["same_as_own_face"].values()), seen["same_as_own_face"]
        assert seen["missing"] == []
    assert not any(report["tw_equals_cn"][ch] for ch in DIFFERING), report["tw_equals_cn"]
