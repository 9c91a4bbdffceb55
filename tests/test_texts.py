"""Package-side Chinese stays in step with the converter; READMEs are generated, not hand-kept."""

from __future__ import annotations

import pytest

import lossviz
from lossviz import _text
from tools import readme
from tools.convert import simplified_chars, to_zh_cn, traditional_chars

NAMES = [(e.id, e.names) for e in lossviz.catalog().values()]


def _all_texts():
    # importing the figure modules registers their texts
    import lossviz.plots  # noqa: F401

    return sorted(_text.TEXT.items())


@pytest.mark.parametrize("key, names", NAMES, ids=[k for k, _ in NAMES])
def test_catalog_zh_cn_names_are_the_converted_zh_tw(key, names):
    assert names["zh-CN"] == to_zh_cn(names["zh-TW"]), key
    assert not traditional_chars(names["zh-CN"]) and not simplified_chars(names["zh-TW"])


def test_figure_texts_zh_cn_are_the_converted_zh_tw():
    texts = _all_texts()
    assert texts, "no figure texts registered"
    for key, forms in texts:
        assert forms["zh-CN"] == to_zh_cn(forms["zh-TW"]), (key, forms["zh-CN"], to_zh_cn(forms["zh-TW"]))
        assert not traditional_chars(forms["zh-CN"]), key
        assert not simplified_chars(forms["zh-TW"]), key


def test_text_lookup_errors():
    with pytest.raises(ValueError, match=r"lang must be one of 'zh-TW', 'zh-CN', 'en', got 'fr'"):
        _text.t("loss", "fr")
    with pytest.raises(ValueError, match=r"key must be one of the figure texts"):
        _text.t("no-such-key", "zh-TW")
    with pytest.raises(ValueError, match=r"texts must not redefine key 'loss'"):
        _text.add({"loss": {"zh-TW": "x", "zh-CN": "x", "en": "x"}})


def test_readmes_are_fresh():
    tw, cn = readme.render()
    assert readme.TW.read_text(encoding="utf-8") == tw, "README.zh-TW.md is stale: python -m tools.readme"
    assert readme.CN.read_text(encoding="utf-8") == cn, "README.zh-CN.md is stale: python -m tools.readme"


def test_readme_scripts_are_pure_apart_from_the_language_switch():
    tw = readme.TW.read_text(encoding="utf-8").replace(readme.SWITCH["zh-TW"], "")
    cn = readme.CN.read_text(encoding="utf-8").replace(readme.SWITCH["zh-CN"], "")
    assert simplified_chars(tw) == []
    assert traditional_chars(cn) == []


def test_readme_lists_every_catalog_id_and_names_the_test_command():
    tw = readme.TW.read_text(encoding="utf-8")
    for key in lossviz.catalog():
        assert f"`{key}`" in tw
    assert "make test" in tw and "make lab" in tw
