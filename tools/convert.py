"""zh-TW -> zh-CN text conversion: OpenCC ``tw2sp`` plus the project's ML glossary.

The notebooks are written once, in zh-TW.  Their zh-CN twins come from :func:`to_zh_cn`, which is
the official OpenCC ``tw2sp`` configuration (Taiwan phrases -> mainland simplified) with the
glossary ``notebooks/glossary.tsv`` added to it.  Nothing is ever converted back: the build has
no ``s2t`` step.

How the glossary is applied: as an OpenCC dictionary, not as a pre-pass
---------------------------------------------------------------------
:class:`Converter` loads the ``tw2sp.json`` shipped inside the ``opencc`` package, makes its
dictionary paths absolute, and wraps the first conversion step (Taiwan phrases -> OpenCC
traditional) in a ``union`` group::

    union[ glossary (text dictionary: zh-TW -> zh-CN),  tw2sp's own short-circuit group ]

A ``union`` group (OpenCC >= 1.4.2) takes, at each position, the *longest* key any member
matches, and breaks ties by member order.  So

* a glossary term beats tw2sp's entry for the same key: 預設 -> 默认 (tw2sp: 预设);
* a longer tw2sp phrase still beats a shorter glossary term inside it: 介面卡 -> 适配器 although
  介面 -> 接口, and 序列埠 -> 串口 although 序列 stays 序列.

tw2sp's second step (OpenCC traditional -> simplified characters) also sees the glossary's
output; it leaves it alone because every zh-CN form is simplified already (the tests check
``t2s(zh-CN) == zh-CN`` for every row).  The segmentation stays tw2sp's own (TSPhrases):
adding the glossary to the segmenter would cut tw2sp phrases that overlap a glossary term
(序列埠 came out as 序列端口), while tw2sp's small segmentation dictionary practically never
cuts a glossary term (the tests convert every term inside sentences).

A placeholder pre-pass (protect glossary phrases, run tw2sp, restore) would also work, but it
cannot let tw2sp's longer phrases win over a glossary term inside them, and it breaks tw2sp's
context across each placeholder; the OpenCC dictionary has neither problem.

Quotation marks
---------------
Taiwan quotes with corner brackets 「」 (nested 『』); mainland text uses curly quotes “” (nested
‘’).  :meth:`Converter.convert` swaps them after OpenCC (OpenCC leaves punctuation alone), so
this is the one place where quotes are converted.  :func:`mask_cjk` counts the four curly quotes
as CJK punctuation, so a zh-CN code cell still masks to the same text as its zh-TW source.

Script purity (used by the tests, never by the conversion)
-----------------------------------------------------------
:func:`traditional_chars` / :func:`simplified_chars` find characters that belong to one script
only.  Both read OpenCC's own character tables (dumped with the ``opencc_dict`` tool that ships
with the package).  A character ``c`` is *traditional-only* when it is a key of the
Traditional -> Simplified table (TSCharacters + TSCharactersExt) and ``c`` is not among its own
candidates, and it is not listed as its own candidate in the Simplified -> Traditional table
(STCharacters).  This is the round trip ``t2s(c) != c`` with an allow-list taken from the data
instead of from memory: 乾 -> 干/乾, 於 -> 于/於, 著, 藉, 瞭 stay legal in zh-CN.  Symmetrically,
``c`` is *simplified-only* when it is an STCharacters key that is not its own candidate, is not
its own candidate in TSCharacters, and is not a Taiwan standard form (a value of TWVariants):
后, 于, 只, 台, 里, 面, 系, 制, 干, 范 (their own candidates) and 峰, 為, 裡, 才, 吃 (Taiwan
forms) stay legal in zh-TW, while 这, 发, 说, 温 are flagged.  Characters shared by both
scripts can therefore never raise a false alarm; the price is that a shared character used in
the wrong region (然后 in a zh-TW text) is not caught either.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import opencc

__all__ = [
    "GLOSSARY_TSV",
    "GLOSSARY_MD",
    "Term",
    "GlossaryError",
    "read_glossary",
    "glossary_markdown",
    "Converter",
    "converter",
    "to_zh_cn",
    "tw2sp",
    "t2s",
    "traditional_chars",
    "simplified_chars",
    "HAN",
    "mask_cjk",
    "QUOTES",
    "DENYLIST_CN",
    "DENYLIST_TW",
    "Deny",
    "read_denylist",
    "denied",
]

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY_TSV = ROOT / "notebooks" / "glossary.tsv"
GLOSSARY_MD = ROOT / "notebooks" / "GLOSSARY.md"
DENYLIST_CN = ROOT / "notebooks" / "denylist-zh-CN.tsv"  # Taiwan usage a zh-CN text must not have
DENYLIST_TW = ROOT / "notebooks" / "denylist-zh-TW.tsv"  # mainland usage a zh-TW text must not have
HEADER = ("zh-TW", "zh-CN", "en", "note")

_OPENCC_DIR = Path(opencc.__file__).resolve().parent / "clib"
_SHARE = _OPENCC_DIR / "share" / "opencc"

# Every Han character, the CJK compatibility ideographs included.  tw2sp changes nothing else:
# a test runs it over every other code point up to U+2FFFF.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# zh-TW corner-bracket quotes -> the mainland's curly quotes (applied after OpenCC).
QUOTES = {"「": "\u201c", "」": "\u201d", "『": "\u2018", "』": "\u2019"}
_QUOTE_TABLE = str.maketrans(QUOTES)
# Han runs plus the CJK punctuation and full-width forms that surround them.
_CJK_RUN = re.compile(
    "[\u2018\u2019\u201c\u201d\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f]+"
)
_SPACE = re.compile(r"\s")
# A note that records what plain tw2sp makes of the zh-TW term: "tw2sp: 预设" or "tw2sp: 预设; ...".
_TW2SP_NOTE = re.compile(r"^tw2sp: ([^;\s]+)")


# ---------------------------------------------------------------------------------------------
# The glossary
# ---------------------------------------------------------------------------------------------


class GlossaryError(ValueError):
    """notebooks/glossary.tsv breaks its format; the message names the file and the line."""


@dataclass(frozen=True)
class Term:
    """One glossary row: the zh-TW term, its zh-CN term, English, a note and its section."""

    zh_tw: str
    zh_cn: str
    en: str
    note: str
    section: str
    line: int

    @property
    def tw2sp_claim(self) -> str | None:
        """What the note says plain tw2sp outputs ("tw2sp: 预设" -> "预设"), or None."""
        match = _TW2SP_NOTE.match(self.note)
        return match.group(1) if match else None


def read_glossary(path: Path | str = GLOSSARY_TSV) -> tuple[Term, ...]:
    """The rows of the glossary TSV, in file order.

    Format (UTF-8, tab-separated): the first line is the header ``zh-TW  zh-CN  en  note``;
    a line ``# Title`` starts a section (one table in GLOSSARY.md); blank lines are ignored;
    every other line is a row of 3 or 4 fields (the note may be left out).  zh-TW and zh-CN
    contain no whitespace (OpenCC splits dictionary values on spaces); zh-TW keys are unique.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise GlossaryError(f"{path}:1: the header must be {'<TAB>'.join(HEADER)!r}, "
                            f"got {lines[0] if lines else ''!r}")
    terms: list[Term] = []
    seen: dict[str, int] = {}
    section = ""
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if line.startswith("#"):
            section = line.lstrip("#").strip()
            continue
        fields = line.split("\t")
        if len(fields) not in (3, 4):
            raise GlossaryError(f"{path}:{number}: a row has 3 or 4 tab-separated fields "
                                f"(zh-TW, zh-CN, en, note), got {len(fields)}: {line!r}")
        zh_tw, zh_cn, en = (field.strip() for field in fields[:3])
        note = fields[3].strip() if len(fields) == 4 else ""
        for name, value in (("zh-TW", zh_tw), ("zh-CN", zh_cn)):
            if not value or _SPACE.search(value):
                raise GlossaryError(f"{path}:{number}: {name} must be non-empty without "
                                    f"whitespace, got {value!r}")
        if not en:
            raise GlossaryError(f"{path}:{number}: every row needs its English, got an empty en")
        if zh_tw in seen:
            raise GlossaryError(f"{path}:{number}: zh-TW {zh_tw!r} is already defined on line "
                                f"{seen[zh_tw]}")
        seen[zh_tw] = number
        terms.append(Term(zh_tw, zh_cn, en, note, section, number))
    return tuple(terms)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def glossary_markdown(terms: Sequence[Term], source: str = "notebooks/glossary.tsv") -> str:
    """GLOSSARY.md: one table per section, zh-TW | zh-CN | English | note."""
    out = [
        f"<!-- Generated from {source} by `python -m tools.build_notebooks`; do not edit. -->",
        "",
        "# 詞彙表 · 词汇表 · Glossary",
        "",
        "The notebooks are written once in zh-TW. Their zh-CN versions are made by OpenCC `tw2sp` "
        "together with this glossary, which wins wherever the two disagree. A note "
        "`tw2sp: …` shows what OpenCC alone would have written.",
    ]
    current = None
    for term in terms:
        if term.section != current or current is None:
            current = term.section
            out += ["", f"## {current}" if current else "## Terms", "",
                    "| zh-TW | zh-CN | English | note |", "|---|---|---|---|"]
        out.append(f"| {_cell(term.zh_tw)} | {_cell(term.zh_cn)} | {_cell(term.en)} | "
                   f"{_cell(term.note)} |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# The converter
# ---------------------------------------------------------------------------------------------


def _absolute_files(node: object) -> object:
    """A copy of an OpenCC config tree whose dictionary files are absolute paths."""
    if isinstance(node, dict):
        out = {key: _absolute_files(value) for key, value in node.items()}
        if "file" in out and isinstance(out["file"], str):
            out["file"] = str(_SHARE / out["file"])
        return out
    if isinstance(node, list):
        return [_absolute_files(item) for item in node]
    return node


def _tw2sp_config(dictionary: Path) -> dict:
    """tw2sp.json with the glossary ``dictionary`` put in front of its first conversion step."""
    config = _absolute_files(json.loads((_SHARE / "tw2sp.json").read_text(encoding="utf-8")))
    first = config["conversion_chain"][0]
    first["dict"] = {
        "type": "group",
        "match_policy": "union",
        "dicts": [{"type": "text", "file": str(dictionary)}, first["dict"]],
    }
    config["name"] = "lossviz: tw2sp + notebooks/glossary.tsv"
    return config


class Converter:
    """tw2sp with the glossary ``terms`` as its highest-priority phrases (see the module doc)."""

    def __init__(self, terms: Iterable[Term]):
        self.terms = tuple(terms)
        pairs = sorted((term.zh_tw, term.zh_cn) for term in self.terms)
        if not pairs:
            self._opencc = opencc.OpenCC("tw2sp")
            return
        with tempfile.TemporaryDirectory(prefix="lossviz-opencc-") as tmp:
            dictionary = Path(tmp) / "glossary.txt"
            dictionary.write_text("".join(f"{tw}\t{cn}\n" for tw, cn in pairs), encoding="utf-8")
            config = Path(tmp) / "tw2sp_glossary.json"
            config.write_text(json.dumps(_tw2sp_config(dictionary), ensure_ascii=False, indent=1),
                              encoding="utf-8")
            try:  # OpenCC reads every dictionary here, so the folder can go afterwards
                self._opencc = opencc.OpenCC(str(config))
            except Exception as exc:  # the C++ error types are not exported
                raise RuntimeError(
                    f"OpenCC {opencc.__version__} could not load tw2sp + glossary; the glossary "
                    f"needs the 'union' match policy of OpenCC >= 1.4.2 ({exc})"
                ) from exc

    def convert(self, text: str) -> str:
        """``text`` (zh-TW) in zh-CN."""
        return self._opencc.convert(text).translate(_QUOTE_TABLE) if text else text


@functools.cache
def converter() -> Converter:
    """The project's converter, built once from notebooks/glossary.tsv."""
    return Converter(read_glossary(GLOSSARY_TSV))


def to_zh_cn(text: str) -> str:
    """zh-TW text in zh-CN: OpenCC tw2sp plus the glossary."""
    return converter().convert(text)


@functools.cache
def _plain(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def tw2sp(text: str) -> str:
    """Plain OpenCC tw2sp, without the glossary (to document what the glossary fixes)."""
    return _plain("tw2sp").convert(text) if text else text


def t2s(text: str) -> str:
    """Plain OpenCC t2s (characters only, no regional phrases)."""
    return _plain("t2s").convert(text) if text else text


def mask_cjk(text: str, mask: str = "\u2588") -> str:
    """``text`` with every run of CJK characters and CJK punctuation replaced by ``mask``.

    The curly quotes “”‘’ count as CJK punctuation here: they are what 「」『』 become in zh-CN.
    """
    return _CJK_RUN.sub(mask, text)


# ---------------------------------------------------------------------------------------------
# Deny-lists: regional usage the other script's readers would misread (tests only)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deny:
    """One deny-list row: a regular expression, what to write instead, and why."""

    pattern: re.Pattern
    instead: str
    why: str
    line: int


def read_denylist(path: Path | str) -> tuple[Deny, ...]:
    """The rows of a deny-list TSV (header ``pattern  instead  why``; ``#`` lines are comments)."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != ("pattern", "instead", "why"):
        raise GlossaryError(f"{path}:1: the header must be 'pattern<TAB>instead<TAB>why'")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise GlossaryError(f"{path}:{number}: a row has 3 non-empty tab-separated fields, got {line!r}")
        try:
            pattern = re.compile(fields[0])
        except re.error as exc:
            raise GlossaryError(f"{path}:{number}: bad pattern {fields[0]!r}: {exc}") from exc
        rows.append(Deny(pattern, fields[1].strip(), fields[2].strip(), number))
    return tuple(rows)


def denied(text: str, rows: Iterable[Deny], context: int = 12) -> list[str]:
    """Every deny-list hit in ``text``, as 'match … in context (instead: …)'."""
    hits = []
    for row in rows:
        for m in row.pattern.finditer(text):
            around = text[max(0, m.start() - context):m.end() + context].replace("\n", " ")
            hits.append(f"{m.group(0)!r} in {around!r} (line {row.line}: write {row.instead})")
    return hits


# ---------------------------------------------------------------------------------------------
# Script purity (tests only; see the module doc for the method)
# ---------------------------------------------------------------------------------------------


def _opencc_dict_tool() -> str:
    for name in ("opencc_dict", "opencc_dict.exe"):
        candidate = _OPENCC_DIR / "bin" / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("opencc_dict")
    if found:
        return found
    raise RuntimeError(f"the opencc_dict tool was found neither in {_OPENCC_DIR / 'bin'} nor on "
                       f"PATH; it is needed to read OpenCC's character tables")


@functools.cache
def _table(name: str) -> dict[str, tuple[str, ...]]:
    """OpenCC's dictionary ``name`` (e.g. "TSCharacters") as {key: candidates}."""
    with tempfile.TemporaryDirectory(prefix="lossviz-opencc-") as tmp:
        text = Path(tmp) / f"{name}.txt"
        subprocess.run([_opencc_dict_tool(), "-i", str(_SHARE / f"{name}.ocd2"), "-o", str(text),
                        "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        table: dict[str, tuple[str, ...]] = {}
        for line in text.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            table[key] = tuple(values.split(" "))
    return table


@functools.cache
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    ts = {**_table("TSCharactersExt"), **_table("TSCharacters")}
    st = _table("STCharacters")
    taiwan_forms = {form for forms in _table("TWVariants").values() for form in forms}
    ts_self = {c for c, candidates in ts.items() if c in candidates}
    st_self = {c for c, candidates in st.items() if c in candidates}
    traditional = frozenset(c for c, candidates in ts.items() if c not in candidates) - st_self
    simplified = (frozenset(c for c, candidates in st.items() if c not in candidates)
                  - ts_self - taiwan_forms)
    return traditional, simplified


def traditional_chars(text: str) -> list[str]:
    """The characters of ``text`` that exist only in Traditional Chinese, sorted."""
    traditional, _ = _script_sets()
    return sorted({c for c in HAN.findall(text) if c in traditional})


def simplified_chars(text: str) -> list[str]:
    """The characters of ``text`` that exist only in Simplified Chinese, sorted."""
    _, simplified = _script_sets()
    return sorted({c for c in HAN.findall(text) if c in simplified})
