"""Teacher's guides (notebooks/guides/, tools/build_guides.py): one per notebook, in the guide format,
generated files up to date, the 45- and 90-minute plans adding up, numbers the notebook shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from lossviz._meta import LANGS
from tools import build_guides as bg
from tools.convert import to_zh_cn

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.md"))
GUIDES = bg.guide_paths()


def test_every_notebook_has_a_guide_and_every_guide_a_notebook():
    assert [p.stem for p in GUIDES] == [p.stem for p in SOURCES]


@pytest.mark.parametrize("guide", GUIDES, ids=[p.stem for p in GUIDES])
def test_guide_follows_the_format_and_quotes_only_shown_numbers(guide):
    source = (ROOT / "notebooks" / "src" / guide.name).read_text(encoding="utf-8")
    text = guide.read_text(encoding="utf-8")
    assert bg.problems(text, guide.stem, source, bg.notebook_text(guide.stem)) == []
    assert [head for head, _ in bg.sections(text)[1]] == list(bg.SECTIONS)


@pytest.mark.parametrize("guide", GUIDES, ids=[p.stem for p in GUIDES])
def test_generated_guides_are_up_to_date(guide):
    text = guide.read_text(encoding="utf-8")
    for lang in LANGS:
        out = ROOT / "notebooks" / "guides" / lang / guide.name
        assert out.is_file() and out.read_text(encoding="utf-8") == bg.render(text, guide.stem, lang), (
            f"{out.relative_to(ROOT)} is stale: run python -m tools.build_guides")
    cn = (ROOT / "notebooks" / "guides" / "zh-CN" / guide.name).read_text(encoding="utf-8")
    assert "/zh-TW/" not in cn and to_zh_cn(text.split("\n")[0]) == cn.split("\n")[0]


def test_check_mode_passes_on_the_committed_guides(capsys):
    assert bg.main(["--check"]) == 0


# --- the checks fail on purpose --------------------------------------------------------------------

GOOD = GUIDES[0].read_text(encoding="utf-8")
STEM = GUIDES[0].stem
SOURCE = (ROOT / "notebooks" / "src" / f"{STEM}.md").read_text(encoding="utf-8")


def _problems(text: str) -> list[str]:
    return bg.problems(text, STEM, SOURCE, bg.notebook_text(STEM))


def test_a_plan_that_does_not_add_up_is_caught():
    bad = GOOD.replace("| 5 分鐘 |", "| 6 分鐘 |", 1)
    assert any("add up to 46, not 45" in p for p in _problems(bad))


def test_sections_out_of_order_or_missing_are_caught():
    bad = GOOD.replace("## 討論問題", "## 問題")
    assert any("sections must be" in p for p in _problems(bad))
    head, _, rest = GOOD.partition("## 常見迷思")
    swapped = head.replace("## 現場示範", "## 常見迷思", 1) + "## 現場示範" + rest
    assert any("sections must be" in p for p in _problems(swapped))


def test_a_number_the_notebook_never_shows_is_caught():
    bad = GOOD.replace("## 現場示範\n", "## 現場示範\n\n- 交叉熵是 0.123456789。\n", 1)
    assert _problems(bad) == ["numbers the notebook does not show: ['0.123456789']"]


def test_missing_exercise_ids_and_solution_path_are_caught():
    first_id = bg.EXERCISE_ID.findall(SOURCE)[0]
    bad = GOOD.replace(first_id, "99-9").replace(f"notebooks/solutions/zh-TW/{STEM}.ipynb", "解答版")
    found = _problems(bad)
    assert any("must name notebooks/solutions" in p for p in found)
    assert any(f"missing ['{first_id}']" in p and "'99-9'" in p for p in found)


def test_goals_questions_and_misconceptions_keep_their_form():
    bad = GOOD.replace("- 能夠", "- 會", 1)
    assert any("學習目標" in p for p in _problems(bad))
    bad = GOOD.replace("- 迷思：", "- ", 1)
    assert any("常見迷思" in p for p in _problems(bad))


# --- the guides on the static site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory) -> Path:
    """A site built from the committed notebooks of the first notebook only (quick), with all guides."""
    from tools import build_site

    root = tmp_path_factory.mktemp("nb") / "notebooks"
    first = SOURCES[0].stem
    for lang in LANGS:
        (root / lang).mkdir(parents=True)
        (root / lang / f"{first}.ipynb").write_bytes((ROOT / "notebooks" / lang / f"{first}.ipynb").read_bytes())
        (root / "guides" / lang).mkdir(parents=True)
        for path in (ROOT / "notebooks" / "guides" / lang).glob("*.md"):
            (root / "guides" / lang / path.name).write_bytes(path.read_bytes())
    out = tmp_path_factory.mktemp("site") / "_site"
    build_site.build(out, root, log=lambda *a: None)
    return out


def test_site_has_a_page_per_guide_linked_from_the_map(guide_site: Path):
    from bs4 import BeautifulSoup

    from tools import build_site

    for lang in LANGS:
        index = BeautifulSoup((guide_site / lang / "index.html").read_text(encoding="utf-8"), "html.parser")
        listed = [a["href"] for a in index.select("ul.lossviz-guides a")]
        assert listed == [f"guides/{g.stem}.html" for g in GUIDES]
        for guide in GUIDES:
            page = guide_site / lang / "guides" / f"{guide.stem}.html"
            text = page.read_text(encoding="utf-8")
            assert build_site.remote_references(text) == []
            soup = BeautifulSoup(text, "html.parser")
            assert [h.get_text().rstrip("¶") for h in soup.select("h2")] == [
                h if lang == LANGS[0] else to_zh_cn(h) for h in bg.SECTIONS]
            assert len(soup.select("table")) == 2
            for a in soup.select("nav a"):
                target = (page.parent / a["href"].split("#")[0]).resolve()
                assert target.is_file(), f"{page.relative_to(guide_site)}: {a['href']}"
            for tag in soup.select("link[href], script[src]"):
                ref = (tag.get("href") or tag.get("src")).split("?")[0]
                assert (page.parent / ref).resolve().is_file(), ref
