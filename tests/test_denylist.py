"""Regional usage: no Taiwan usage in any zh-CN text, no mainland usage in any zh-TW text.

The deny-lists live beside the glossary (notebooks/denylist-zh-CN.tsv, notebooks/denylist-zh-TW.tsv);
each row is a regular expression, what to write instead, and why.  They are applied to every
committed notebook of the script (learner and solution: markdown, code and text outputs) and to
every package string of the script (figure texts, catalog names, exercise messages and hints, the
widget note), and to the teacher's guides (notebooks/guides/<lang>/, and the zh-TW sources).  Figures draw their text from those package strings only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lossviz import _text
from lossviz._exercise_text import EXERCISE_TEXT, MESSAGES
from tools import build_notebooks as bn
from tools.convert import (
    DENYLIST_CN,
    DENYLIST_TW,
    GlossaryError,
    denied,
    read_denylist,
    to_zh_cn,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {lang: sorted((ROOT / "notebooks" / lang).glob("*.ipynb"))
                   + sorted((ROOT / "notebooks" / "solutions" / lang).glob("*.ipynb"))
             for lang in ("zh-TW", "zh-CN")}
LISTS = {"zh-TW": DENYLIST_TW, "zh-CN": DENYLIST_CN}
GUIDES = {lang: sorted((ROOT / "notebooks" / "guides" / lang).glob("*.md"))
          + (sorted((ROOT / "notebooks" / "guides" / "src").glob("*.md")) if lang == "zh-TW" else [])
          for lang in ("zh-TW", "zh-CN")}


def notebook_texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every cell source and every text output of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, cell in enumerate(nb["cells"]):
        out.append((f"cell {i} ({cell['cell_type']})", "".join(cell["source"])))
        for output in cell.get("outputs", []):
            if "text" in output:
                out.append((f"cell {i} output", "".join(output["text"])))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    out.append((f"cell {i} {mime}", "".join(value) if isinstance(value, list) else value))
    return out


def package_texts(lang: str) -> list[tuple[str, str]]:
    """(where, text) for every package string of ``lang``."""
    import lossviz.plots  # noqa: F401  (registers the figure texts)

    out = [(f"figure text {key}", forms[lang]) for key, forms in _text.TEXT.items()]
    out += [(f"catalog {e.id}", e.names[lang]) for e in lossviz.catalog().values()]
    out += [(f"message {key}", forms[lang]) for key, forms in MESSAGES.items()]
    for ex_id, text in EXERCISE_TEXT.items():
        out += [(f"exercise {ex_id} hint", hint) for hint in text["hints"][lang]]
        out += [(f"exercise {ex_id} wrong", text["wrong"][lang])] if "wrong" in text else []
        out += [(f"exercise {ex_id} {k}", f[lang]) for k, f in text.get("mistakes", {}).items()]
    note = bn.WIDGET_NOTE_TW if lang == "zh-TW" else to_zh_cn(bn.WIDGET_NOTE_TW)
    return out + [("widget note", note)]


def hits(texts, rows) -> list[str]:
    return [f"{where}: {hit}" for where, text in texts for hit in denied(text, rows)]


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN"])
def test_denylist_reads_and_is_not_empty(lang):
    rows = read_denylist(LISTS[lang])
    assert len(rows) >= 20 and all(r.instead and r.why for r in rows)


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN"])
def test_package_strings_pass_the_denylist(lang):
    assert hits(package_texts(lang), read_denylist(LISTS[lang])) == []


NB_CASES = [pytest.param(lang, p, id=f"{lang}/{p.parent.parent.name if p.parent.parent.name == 'solutions' else ''}"
                                      f"{p.stem}") for lang in NOTEBOOKS for p in NOTEBOOKS[lang]]


@pytest.mark.parametrize("lang, path", NB_CASES)
def test_notebook_passes_the_denylist(lang, path):
    found = hits(notebook_texts(path), read_denylist(LISTS[lang]))
    assert found == [], f"{path.relative_to(ROOT)}: {len(found)} hits\n" + "\n".join(found[:30])


def test_every_notebook_is_scanned():
    assert len(NOTEBOOKS["zh-CN"]) == len(NOTEBOOKS["zh-TW"]) >= 12


GUIDE_CASES = [pytest.param(lang, p, id=f"{lang}/{p.parent.name}/{p.stem}") for lang in GUIDES for p in GUIDES[lang]]


@pytest.mark.parametrize("lang, path", GUIDE_CASES)
def test_teachers_guide_passes_the_denylist(lang, path):
    found = hits([(path.name, path.read_text(encoding="utf-8"))], read_denylist(LISTS[lang]))
    assert found == [], f"{path.relative_to(ROOT)}: {len(found)} hits\n" + "\n".join(found[:30])


def test_every_guide_is_scanned():
    sources = sorted((ROOT / "notebooks" / "src").glob("*.md"))
    assert len(GUIDES["zh-CN"]) == len(sources) and len(GUIDES["zh-TW"]) == 2 * len(sources)


def test_an_inserted_word_fails_the_guide_scan():
    text = GUIDES["zh-CN"][0].read_text(encoding="utf-8") + "\n共 40 笔数据。\n"
    assert hits([("guide", text)], read_denylist(DENYLIST_CN))


# --- the lists fail on purpose ------------------------------------------------------------------

# A known Taiwan word in zh-CN text (as it would come out of a conversion that missed it) ...
TAIWAN_IN_CN = ["40 笔数据", "「损失」", "每一行求和后加总", "执行这一格", "中央差分", "请看范例",
                "按赞", "资料", "类别（class）", "真实水准"]
# ... and a known mainland word in zh-TW text, plus the ambiguous bare 列 (a row in Taiwan).
MAINLAND_IN_TW = ["點讚", "數據", "默認參數", "調用函式", "單元格", "概率", "最後兩列", "每一列"]


CLEAN = {"zh-CN": "这是一段干净的简体文字：损失函数的梯度。",
         "zh-TW": "這是一段乾淨的繁體文字：損失函數的梯度，序列與陣列、列表、列出、下列、每一橫列。"}
INSERTED = [("zh-CN", w) for w in TAIWAN_IN_CN] + [("zh-TW", w) for w in MAINLAND_IN_TW]


@pytest.mark.parametrize("lang, word", INSERTED, ids=[f"{lang}-{w}" for lang, w in INSERTED])
def test_a_word_of_the_other_region_is_caught(lang, word):
    rows = read_denylist(LISTS[lang])
    assert denied(CLEAN[lang], rows) == []
    assert denied(CLEAN[lang] + word, rows) != [], word


def test_an_inserted_word_fails_the_notebook_scan(tmp_path):
    path = NOTEBOOKS["zh-CN"][0]
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = ["共 40 笔数据。"]
    bad = tmp_path / path.name
    bad.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert hits(notebook_texts(bad), read_denylist(DENYLIST_CN))


def test_the_converter_makes_what_the_zh_cn_list_asks_for():
    tw = "「加總」40 筆資料的每一橫列與每一欄，中央差分的範例，執行這個儲存格，按讚，`A` 類別（class），『筆記』"
    cn = to_zh_cn(tw)
    assert cn == "“求和”40 个数据的每一行与每一列，中心差分的示例，运行这个单元格，点赞，`A` 类（class），‘笔记’"
    assert denied(cn, read_denylist(DENYLIST_CN)) == []


def test_read_denylist_rejects(tmp_path):
    bad = tmp_path / "d.tsv"
    bad.write_text("pattern\tinstead\twhy\n(\tx\ty\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="bad pattern"):
        read_denylist(bad)
    bad.write_text("word\tinstead\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="header"):
        read_denylist(bad)
