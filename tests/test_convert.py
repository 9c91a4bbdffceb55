"""zh-TW -> zh-CN conversion (OpenCC tw2sp + notebooks/glossary.tsv) and the script-purity detector."""

from __future__ import annotations

import re

import pytest

from tools import convert
from tools.convert import (
    HAN,
    Converter,
    GlossaryError,
    Term,
    glossary_markdown,
    mask_cjk,
    read_glossary,
    simplified_chars,
    t2s,
    to_zh_cn,
    traditional_chars,
    tw2sp,
)

TERMS = read_glossary()

# Known tw2sp errors the glossary must fix: zh-TW -> (zh-CN, what plain tw2sp writes).
FIXED = {
    "預設": ("默认", "预设"),
    "向量": ("向量", "矢量"),
    "變異數": ("方差", "变异数"),
    "共變異數": ("协方差", "共变异数"),
    "常態分佈": ("正态分布", "常态分布"),
    "最大概似估計": ("最大似然估计", "最大概似估计"),
    "激勵函數": ("激活函数", "激励函数"),
    "雜訊": ("噪声", "杂讯"),
    "介面": ("接口", "界面"),
    "回傳": ("返回", "回传"),
    "偵測": ("检测", "侦测"),
    "套件": ("包", "套件"),
}
# Pairs tw2sp already gets right and that must stay right.
KEPT = {
    "資訊": "信息",
    "程式碼": "代码",
    "最佳化": "优化",
    "機率": "概率",
    "迴歸": "回归",
    "參數": "参数",
    "資料": "数据",
    "演算法": "算法",
    "損失函數": "损失函数",
}
REQUIRED = {**{tw: cn for tw, (cn, _) in FIXED.items()}, **KEPT}
CONTEXTS = [("我們用", "來說明。"), ("「", "」"), ("在", "中"), ("x 的", "與 y"), ("計算", "時"), ("", "")]


@pytest.mark.parametrize("tw", sorted(REQUIRED))
def test_required_pair(tw):
    cn = REQUIRED[tw]
    for before, after in CONTEXTS:
        converted = to_zh_cn(before + tw + after)
        assert converted == to_zh_cn(before) + cn + to_zh_cn(after), (tw, before)
        if tw in FIXED:
            assert FIXED[tw][1] not in converted  # tw2sp's error (OpenCC 1.4.2) is gone


@pytest.mark.parametrize("tw", sorted(REQUIRED))
def test_required_pair_is_in_the_glossary(tw):
    rows = {term.zh_tw: term.zh_cn for term in TERMS}
    assert rows.get(tw) == REQUIRED[tw]


@pytest.mark.parametrize("term", TERMS, ids=[t.zh_tw for t in TERMS])
def test_glossary_row_converts(term):
    for before, after in CONTEXTS:
        assert term.zh_cn in to_zh_cn(before + term.zh_tw + after), (term.zh_tw, before, after)


@pytest.mark.parametrize("term", TERMS, ids=[t.zh_tw for t in TERMS])
def test_glossary_row_scripts(term):
    assert simplified_chars(term.zh_tw) == [], term
    assert traditional_chars(term.zh_cn) == [], term
    # tw2sp's character step runs over the glossary's output too; it must leave it alone
    assert t2s(term.zh_cn) == term.zh_cn


@pytest.mark.parametrize("term", TERMS, ids=[t.zh_tw for t in TERMS])
def test_glossary_note_tells_what_tw2sp_does(term):
    plain = tw2sp(term.zh_tw)
    if plain == term.zh_cn:
        assert term.tw2sp_claim is None, f"line {term.line}: tw2sp gets {term.zh_tw} right; drop the claim"
    else:
        assert term.tw2sp_claim == plain, f"line {term.line}: the note must start with 'tw2sp: {plain}'"


def test_glossary_has_english_and_unique_keys():
    assert len({t.zh_tw for t in TERMS}) == len(TERMS)
    assert all(t.en for t in TERMS)
    assert len(TERMS) >= len(REQUIRED)


def test_glossary_md_is_regenerated():
    expected = glossary_markdown(TERMS)
    committed = convert.GLOSSARY_MD.read_text(encoding="utf-8") if convert.GLOSSARY_MD.is_file() else ""
    assert committed == expected, "notebooks/GLOSSARY.md is stale: run python -m tools.build_notebooks"


def test_glossary_md_lists_every_row():
    text = glossary_markdown(TERMS)
    for term in TERMS:
        assert f"| {term.zh_tw} | {term.zh_cn} | {term.en} |" in text


@pytest.mark.parametrize("tw, cn", [
    ("介面卡", "适配器"),          # tw2sp's longer phrase beats the glossary's 介面
    ("序列埠", "串口"),            # ... and 序列
    ("使用者介面", "用户界面"),    # a glossary row keeps UI out of 介面 -> 接口
    ("應用程式介面", "应用程序接口"),
    ("支援向量機", "支持向量机"),
    ("預設值與預設參數", "默认值与默认参数"),
    ("負對數概似損失", "负对数似然损失"),
    ("概似函數", "似然函数"),
    ("批次正規化與正規化項", "批量归一化与正则化项"),
])
def test_phrases_around_glossary_terms(tw, cn):
    assert to_zh_cn(tw) == cn


def test_glossary_changes_nothing_else_in_tw2sp_phrases():
    # every Taiwan phrase tw2sp knows: where no glossary term occurs, the output is tw2sp's own
    keys = set(convert._table("TWPhrasesRev")) | set(convert._table("TWVariantsRevPhrases"))
    terms = [t.zh_tw for t in TERMS]
    changed = {k: (tw2sp(k), to_zh_cn(k)) for k in sorted(keys)
               if not any(t in k for t in terms) and tw2sp(k) != to_zh_cn(k)}
    assert changed == {}


def test_only_han_characters_and_corner_quotes_change():
    others = "".join(chr(cp) for cp in range(0x20, 0x30000)
                     if not 0xD800 <= cp < 0xE000 and not HAN.match(chr(cp)) and chr(cp) not in convert.QUOTES)
    assert to_zh_cn(others) == others


def test_corner_quotes_become_curly_quotes():
    assert to_zh_cn("筆記說「損失『不會』是 0」") == "笔记说“损失‘不会’是 0”"
    assert tw2sp("「」") == "「」"  # OpenCC alone keeps them: the converter is the one place
    code = 'print("「預設」", \'『x』\')'
    assert mask_cjk(to_zh_cn(code)) == mask_cjk(code)


def test_code_with_chinese_keeps_every_ascii_character():
    code = ('def mse(x, y):  # 均方誤差：預設回傳純量\n'
            '    """回傳 x 與 y 的變異數"""\n'
            '    return ((x - y) ** 2).mean()  # 介面\n'
            'print(f"{mse(a, b):.3f} 是損失", "zh-TW")\n')
    converted = to_zh_cn(code)
    assert mask_cjk(converted) == mask_cjk(code)
    assert "均方误差：默认返回标量" in converted and '"zh-TW"' in converted  # no language swap here


def test_empty_and_whitespace():
    assert to_zh_cn("") == ""
    assert to_zh_cn("\n\t  \r\n") == "\n\t  \r\n"


def test_converter_is_deterministic_and_reusable():
    text = "最大概似估計與變異數"
    fresh = Converter(TERMS)
    assert fresh.convert(text) == to_zh_cn(text) == to_zh_cn(text) == "最大似然估计与方差"
    assert Converter([]).convert("預設") == tw2sp("預設")


# --- the purity detector -------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "皇后與台灣的面積",           # 后, 台, 面: shared
    "于先生只有一里路，系統製造", # 于, 只, 里, 系, 制 (in 製造 it is 製)
    "干擾、范先生、山峰、為了、裡面、才能、吃飯、著作、乾淨",  # 峰 為 裡 才 吃 著: Taiwan forms
])
def test_shared_characters_are_not_simplified(text):
    assert simplified_chars(text) == []


@pytest.mark.parametrize("text, found", [
    ("这个发现说明温度", ["个", "发", "温", "现", "说", "这"]),
    ("後來发生", ["发"]),
    ("資料与資訊", ["与"]),
])
def test_simplified_characters_are_found(text, found):
    assert simplified_chars(text) == sorted(found)


@pytest.mark.parametrize("text", [
    "乾隆年间的著作，于是后来",  # 乾 and 著 are legal simplified characters
    "慰藉、瞭望、么、正态分布",
    "后面只有一台电脑",
])
def test_shared_characters_are_not_traditional(text):
    assert traditional_chars(text) == []


@pytest.mark.parametrize("text, found", [
    ("資訊與臺灣", ["與", "灣", "臺", "訊", "資"]),
    ("山峯裏的麼", ["峯", "裏", "麼"]),
    ("简体夹着一个說", ["說"]),
])
def test_traditional_characters_are_found(text, found):
    assert traditional_chars(text) == sorted(found)


def test_converted_text_is_pure():
    tw = ("在機器學習裡，我們透過最小化損失函數來訓練模型：預設的最佳化演算法是隨機梯度下降，"
          "向量與矩陣的運算由程式庫完成。常態分佈的變異數、資訊理論的熵、最大概似估計與"
          "交叉熵其實是同一件事。偵測雜訊時，請檢查回傳值與介面的預設參數。")
    cn = to_zh_cn(tw)
    assert simplified_chars(tw) == []
    assert traditional_chars(cn) == []
    assert simplified_chars(cn) != []  # the detector sees the difference at all


def test_detector_ignores_everything_but_han():
    assert traditional_chars("abc 123 αβγ 「」，。") == simplified_chars("abc 123 αβγ 「」，。") == []


# --- the glossary file format ----------------------------------------------------------------


def _write(tmp_path, text):
    path = tmp_path / "glossary.tsv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "zh-TW\tzh-CN\ten\tnote\n"


def test_read_glossary_format(tmp_path):
    path = _write(tmp_path, HEADER + "# Section A\n預設\t默认\tdefault\ttw2sp: 预设\n\n向量\t向量\tvector\n")
    terms = read_glossary(path)
    assert terms == (Term("預設", "默认", "default", "tw2sp: 预设", "Section A", 3),
                     Term("向量", "向量", "vector", "", "Section A", 5))
    assert terms[0].tw2sp_claim == "预设" and terms[1].tw2sp_claim is None


@pytest.mark.parametrize("text, message", [
    ("zh-TW\tzh-CN\n", r":1: the header"),
    (HEADER + "預設\t默认\n", r":2: a row has 3 or 4"),
    (HEADER + "預設\t默 认\tdefault\n", r":2: zh-CN must be non-empty without whitespace"),
    (HEADER + "\t默认\tdefault\n", r":2: zh-TW must be non-empty"),
    (HEADER + "預設\t默认\t\n", r":2: every row needs its English"),
    (HEADER + "預設\t默认\tdefault\n預設\t缺省\tdefault\n", r":3: zh-TW '預設' is already defined on line 2"),
])
def test_read_glossary_rejects(tmp_path, text, message):
    with pytest.raises(GlossaryError, match=re.escape(message) if "'" in message else message):
        read_glossary(_write(tmp_path, text))
