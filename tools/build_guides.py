"""Teacher's guides: one zh-TW source per notebook -> notebooks/guides/zh-TW/ and zh-CN/ (converted).

    python -m tools.build_guides            # check every guide, write both scripts
    python -m tools.build_guides --check    # write nothing; exit 1 if a guide is stale or malformed

A guide ``notebooks/guides/src/NN_name.md`` (same stem as ``notebooks/src/NN_name.md``) is plain
Markdown in the format of the guide spec (headings verbatim, in this order: :data:`SECTIONS`):
4-6 learning goals ("能夠..."), prerequisites, a 45- and a 90-minute plan as tables
``時間 | 活動 | 筆記本段落`` whose minutes add up, the live demo, 3-5 numbered discussion questions,
misconceptions ("迷思：... → 筆記本第 N 節 ..."), and where the solutions are (the solutions
notebook's path and every exercise id of the notebook).  Every decimal number in a guide must be
one the notebook shows (its source or its printed output).  zh-CN is :func:`tools.convert.to_zh_cn`
of the zh-TW text, with ``zh-TW`` paths pointed at ``zh-CN``; neither output is edited by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from lossviz._meta import LANGS

from .convert import to_zh_cn

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GUIDES = NOTEBOOKS / "guides"
SOURCES = GUIDES / "src"
SECTIONS = ("學習目標", "先備知識", "課程計畫（45 分鐘）", "課程計畫（90 分鐘）", "現場示範", "討論問題",
            "常見迷思", "解答在哪裡")
PLAN_MINUTES = {"課程計畫（45 分鐘）": 45, "課程計畫（90 分鐘）": 90}
PLAN_HEADER = ("時間", "活動", "筆記本段落")
EXERCISE_ID = re.compile(r"^\*\*練習 ([0-9]{2}-[0-9]+)\.\*\*", re.M)
NOTE = "\n<!-- 由 notebooks/guides/src/{stem}.md 以 python -m tools.build_guides 產生，請勿手動修改。 -->\n"

__all__ = ["SECTIONS", "sections", "problems", "render", "main"]


def sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(the ``#`` title line's text, [(``##`` heading, body), ...]) of a guide."""
    lines = text.split("\n")
    title = lines[0][2:].strip() if lines and lines[0].startswith("# ") else ""
    found: list[tuple[str, list[str]]] = []
    for line in lines[1:]:
        if line.startswith("## "):
            found.append((line[3:].strip(), []))
        elif found:
            found[-1][1].append(line)
    return title, [(head, "\n".join(body).strip()) for head, body in found]


def _plan_minutes(body: str) -> tuple[list[int], list[str]]:
    rows = [line for line in body.split("\n") if line.strip().startswith("|")]
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    errors = []
    if len(cells) < 3 or tuple(cells[0]) != PLAN_HEADER or not set("".join(cells[1])) <= set("-: "):
        return [], [f"a table with the header | {' | '.join(PLAN_HEADER)} | and at least one row"]
    minutes = []
    for row in cells[2:]:
        match = re.fullmatch(r"([0-9]+) 分鐘", row[0]) if len(row) == 3 else None
        if not match or not row[1] or not row[2]:
            errors.append(f"row {row}: three filled cells, the first one like '10 分鐘'")
        else:
            minutes.append(int(match.group(1)))
    return minutes, errors


def notebook_text(stem: str, notebooks: Path = NOTEBOOKS) -> str:
    """The zh-TW learner notebook's sources and text outputs (what a guide may quote)."""
    nb = json.loads((notebooks / "zh-TW" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            parts += ["".join(v) if isinstance(v, list) else v for k, v in out.get("data", {}).items()
                      if k.startswith("text/")]
    return "\n".join(parts)


_DECIMAL = re.compile(r"(?<![\w.])[0-9]+\.[0-9]+(?![\w.])")


def problems(text: str, stem: str, source: str, shown: str | None = None) -> list[str]:
    """What is wrong with the guide ``text`` of notebook ``stem`` (its source text ``source``, and
    ``shown``: the notebook's sources and outputs, to check the numbers against)."""
    out = []
    title, found = sections(text)
    if not re.fullmatch(rf"{stem[:2]} .+ — 教師手冊", title):
        out.append(f"the first line must be '# {stem[:2]} <標題> — 教師手冊', got {title!r}")
    heads = [head for head, _ in found]
    if tuple(heads) != SECTIONS:
        out.append(f"sections must be exactly {list(SECTIONS)} in this order, got {heads}")
    body = dict(found)
    goals = [line for line in body.get("學習目標", "").split("\n") if line.startswith("- ")]
    if not 4 <= len(goals) <= 6 or not all(g.startswith("- 能夠") for g in goals):
        out.append(f"學習目標: 4-6 bullets each starting with '能夠', got {len(goals)}")
    if not re.search(r"- .*", body.get("先備知識", "")):
        out.append("先備知識: at least one bullet")
    for head, total in PLAN_MINUTES.items():
        minutes, errors = _plan_minutes(body.get(head, ""))
        out += [f"{head}: {e}" for e in errors]
        if minutes and sum(minutes) != total:
            out.append(f"{head}: the minutes add up to {sum(minutes)}, not {total}")
    if not body.get("現場示範"):
        out.append("現場示範 is empty")
    questions = re.findall(r"^[0-9]+\. ", body.get("討論問題", ""), re.M)
    if not 3 <= len(questions) <= 5:
        out.append(f"討論問題: 3-5 numbered questions, got {len(questions)}")
    myths = [line for line in body.get("常見迷思", "").split("\n") if line.startswith("- ")]
    if not myths or not all(re.match(r"- 迷思：.+ → 筆記本第 .+ 節", m) for m in myths):
        out.append("常見迷思: bullets '- 迷思：…… → 筆記本第 N 節 ……'")
    answers = body.get("解答在哪裡", "")
    if f"notebooks/solutions/zh-TW/{stem}.ipynb" not in answers:
        out.append(f"解答在哪裡 must name notebooks/solutions/zh-TW/{stem}.ipynb")
    ids = EXERCISE_ID.findall(source)
    missing = [i for i in ids if i not in answers]
    unknown = sorted(set(re.findall(r"\b[0-9]{2}-[0-9]+\b", answers)) - set(ids))
    if missing or unknown or not ids:
        out.append(f"解答在哪裡 must list the exercises {ids}: missing {missing}, "
                   f"not in the notebook {unknown}")
    if shown is not None:
        numbers = set(_DECIMAL.findall(shown))
        foreign = sorted({n for n in _DECIMAL.findall(text) if n not in numbers})
        if foreign:
            out.append(f"numbers the notebook does not show: {foreign}")
    return out


def render(text: str, stem: str, lang: str) -> str:
    """The guide as written to notebooks/guides/<lang>/<stem>.md."""
    note = NOTE.format(stem=stem)
    if lang == LANGS[0]:
        return text.rstrip("\n") + "\n" + note
    converted = to_zh_cn(text.rstrip("\n") + "\n" + note)
    return converted.replace(f"/{LANGS[0]}/", f"/{LANGS[1]}/")


def guide_paths(folder: Path = SOURCES) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.md"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_guides", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale or malformed")
    args = parser.parse_args(argv)
    errors, written = [], 0
    guides = {p.stem: p for p in guide_paths()}
    sources = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.md"))
    errors += [f"notebooks/src/{p.name} has no guide notebooks/guides/src/{p.name}"
               for p in sources if p.stem not in guides]
    errors += [f"notebooks/guides/src/{stem}.md has no notebook notebooks/src/{stem}.md"
               for stem in guides if not (NOTEBOOKS / "src" / f"{stem}.md").is_file()]
    for stem, path in guides.items():
        text = path.read_text(encoding="utf-8")
        source = NOTEBOOKS / "src" / f"{stem}.md"
        if source.is_file():
            shown = notebook_text(stem) if (NOTEBOOKS / "zh-TW" / f"{stem}.ipynb").is_file() else None
            errors += [f"{path.relative_to(ROOT)}: {e}"
                       for e in problems(text, stem, source.read_text(encoding="utf-8"), shown)]
        for lang in LANGS:
            target = GUIDES / lang / f"{stem}.md"
            expected = render(text, stem, lang)
            if target.is_file() and target.read_text(encoding="utf-8") == expected:
                continue
            if args.check:
                errors.append(f"{target.relative_to(ROOT)} is stale; run python -m tools.build_guides")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(expected, encoding="utf-8")
                written += 1
    for lang in LANGS:
        errors += [f"{p.relative_to(ROOT)} has no source in notebooks/guides/src/"
                   for p in sorted((GUIDES / lang).glob("*.md")) if p.stem not in guides]
    for error in errors:
        print(error, file=sys.stderr)
    print(f"checked {len(guides)} guide(s)" + ("" if args.check else f", wrote {written} file(s)")
          + (f"; {len(errors)} problem(s)" if errors else ": up to date"))
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
