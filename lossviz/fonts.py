"""Chinese in every matplotlib figure: Noto Sans CJK TC for zh-TW, SC for zh-CN, offline.

``use_cjk("zh-TW")`` makes matplotlib draw Chinese with Taiwan glyph shapes (``"zh-CN"``:
mainland shapes) and keeps Latin, digits, the minus sign, Greek and math text on DejaVu Sans
through matplotlib's per-glyph fallback (matplotlib >= 3.6).

Where the font comes from.  The dependency ``noto-cjk-sans-otc`` ships one OpenType
collection, ``NotoSansCJK-Regular.ttc``, holding ten faces (JP, KR, SC, TC, HK and their
Mono twins).  matplotlib <= 3.10 (Google Colab) registers only the *first* face of a
collection, the Japanese one, whose shapes are wrong for both of our languages.  So the face
whose name table says ``"Noto Sans CJK TC"`` (or ``SC``) is copied once, table by table and
without decompiling a single glyph (~0.5 s, ~16 MB), into a standalone ``.otf`` in the
per-user cache ``$XDG_CACHE_HOME/lossviz/fonts`` (default ``~/.cache/lossviz/fonts``) and
handed to matplotlib.  The face is taken from the PyPI package's collection first (the same
glyphs on every machine, so committed figures stay comparable); a system copy of the same
collection (Debian/Ubuntu ``fonts-noto-cjk``, Fedora, Arch: ``SYSTEM_COLLECTIONS``) serves
only when the package is missing.  ``use_cjk`` registers the extracted face *ahead* of every
other entry in matplotlib's font list, so it wins over a same-named system face (see
:func:`_register_first`).  Nothing is downloaded, nothing is written into matplotlib's folders,
and matplotlib's "Glyph ... missing from font(s)" warnings are left alone so that a missing
character shows up in the tests.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager

from . import _checks
from ._meta import LANGS

__all__ = ["use_cjk", "font_path", "missing_glyphs"]

FONT_FAMILY = {"zh-TW": "Noto Sans CJK TC", "zh-CN": "Noto Sans CJK SC"}  # the CJK face per language
FALLBACK = "DejaVu Sans"  # ships with matplotlib: Latin, digits, U+2212 minus, Greek
COLLECTION = "NotoSansCJK-Regular.ttc"
# System copies of the same collection, tried before the PyPI one.
SYSTEM_COLLECTIONS = (
    Path("/usr/share/fonts/opentype/noto") / COLLECTION,  # Debian, Ubuntu (fonts-noto-cjk)
    Path("/usr/share/fonts/google-noto-cjk") / COLLECTION,  # Fedora
    Path("/usr/share/fonts/noto-cjk") / COLLECTION,  # Arch
)

_ready: dict[Path, Path] = {}  # cache path -> extracted face, checked once per process
_registered: set[str] = set()  # paths already handed to matplotlib's fontManager


def _family(lang: object) -> str:
    return FONT_FAMILY[_checks.choice("lang", lang, LANGS)]


def _family_name(font: TTFont) -> str | None:
    # nameID 16 (typographic family) when present, else nameID 1: what matplotlib calls it
    name = font["name"]
    return name.getDebugName(16) or name.getDebugName(1)


def _collections() -> list[Path]:
    # The PyPI collection first: the same glyphs on every machine (committed figures stay
    # comparable); a system copy only serves when the package is missing.
    found = []
    try:
        bundled = resources.files("noto_cjk_sans_otc") / COLLECTION
    except ModuleNotFoundError:
        bundled = None
    if bundled is not None and bundled.is_file():
        found.append(Path(os.fspath(bundled)))
    return found + [p for p in SYSTEM_COLLECTIONS if p.is_file()]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    # the XDG spec says a relative value is to be ignored
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "lossviz" / "fonts"


def _valid(path: Path, family: str) -> bool:
    """A cheap check of a cached face: an OpenType file with that family, no table cut short."""
    try:
        size = path.stat().st_size
        with TTFont(path, lazy=True) as font:
            entries = font.reader.tables.values()
            return (
                font.sfntVersion == "OTTO"
                and _family_name(font) == family
                and all(e.offset + e.length <= size for e in entries)
            )
    except Exception:  # whatever a damaged file raises while parsed, it is not usable
        return False


def _extract(family: str, target: Path) -> Path | None:
    """Copy the face called ``family`` out of the first collection that holds one."""
    for collection in _collections():
        with TTCollection(collection, lazy=True) as ttc:
            face = next((f for f in ttc.fonts if _family_name(f) == family), None)
            if face is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # a temp file in the same folder + os.replace: two kernels extracting at once
            # each write their own file and the last rename wins; nobody sees half a font
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    # lazy: the shared CFF table (all glyphs) is copied as raw bytes
                    face.save(out)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return target
    return None


def font_path(lang: str) -> Path:
    """The standalone ``.otf`` of the CJK face for ``lang``, extracted on first use.

    ``lang`` is ``"zh-TW"`` (Noto Sans CJK TC) or ``"zh-CN"`` (Noto Sans CJK SC).  The file
    lives in ``$XDG_CACHE_HOME/lossviz/fonts`` (default ``~/.cache/lossviz/fonts``) and is
    reused while it is valid; a damaged one is extracted again.
    """
    family = _family(lang)
    wanted = target = _cache_dir() / f"{family.replace(' ', '')}-Regular.otf"
    if wanted in _ready:
        return _ready[wanted]
    if not _valid(target, family):
        replaced = target.exists()
        try:
            done = _extract(family, target)
        except OSError:
            # cache not writable (read-only home): a private folder for this process
            target = Path(tempfile.mkdtemp(prefix="lossviz-fonts-")) / target.name
            done = _extract(family, target)
        if done is None:
            looked = ", ".join(str(p) for p in SYSTEM_COLLECTIONS)
            raise FileNotFoundError(
                f"lang {lang!r} must find {family!r} in a {COLLECTION}, got none in {looked} "
                f"or the package noto_cjk_sans_otc: `pip install noto-cjk-sans-otc` "
                f"(a lossviz dependency) or install the system package fonts-noto-cjk"
            )
    else:
        replaced = False
    if replaced:
        _forget_open_fonts()  # matplotlib may hold the damaged file open under the same path
    _ready[wanted] = target
    return target


def use_cjk(lang: str) -> str:
    """Make matplotlib draw Chinese for ``lang``; return the CJK family name now in use.

    Sets ``font.family`` to sans-serif with ``font.sans-serif = [<CJK family>, "DejaVu Sans"]``:
    each glyph comes from the first font that has it.  Idempotent; after the first call per
    language only the rcParams are set again.
    """
    family = _family(lang)
    path = os.fspath(font_path(lang))
    if path not in _registered:
        _register_first(path)
        _registered.add(path)
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = [family, FALLBACK]
    matplotlib.rcParams["axes.unicode_minus"] = True  # U+2212, in both fonts
    if "text.language" in matplotlib.rcParams:  # matplotlib >= 3.11 shapes text per language
        matplotlib.rcParams["text.language"] = lang
    return family


def _register_first(path: str) -> None:
    """Hand ``path`` to matplotlib so that it wins over any other face of the same family.

    matplotlib >= 3.11 lists every face of a system collection (Debian's ``fonts-noto-cjk``
    gives its own "Noto Sans CJK TC" at index 3 of a ``.ttc``); among entries with equal names
    ``findfont`` keeps the first one.  Putting the extracted face first makes every machine
    draw with the same file, whatever fonts it has and however old its matplotlib cache is.
    """
    manager = font_manager.fontManager
    manager.addfont(path)
    ours = [entry for entry in manager.ttflist if entry.fname == path]
    manager.ttflist = ours + [entry for entry in manager.ttflist if entry.fname != path]
    _forget_open_fonts()  # a font looked up before must be looked up again


def _forget_open_fonts() -> None:
    """Drop matplotlib's caches of opened font files and font lookups.

    Needed after a cached face was rewritten on disk (a damaged file replaced): matplotlib
    keeps one open FT2Font per path and would go on reading the old bytes ("failed to load
    glyph").  Both caches are private, so each is cleared only when it exists.
    """
    for owner, name in ((font_manager, "_get_font"), (font_manager, "get_font"),
                        (font_manager.fontManager, "_findfont_cached")):
        cached = getattr(owner, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


@cache
def _cmap(path: str) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _dejavu_path() -> str:
    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")


def missing_glyphs(text: str, lang: str) -> list[str]:
    """Characters of ``text`` that neither the CJK face for ``lang`` nor DejaVu Sans can draw.

    Control characters (``"\\n"``, ``"\\t"``) are not drawn as glyphs and never reported;
    each missing character is listed once, in order of first appearance.

    matplotlib (3.10 and 3.11 alike) draws a character that only DejaVu Sans has, yet still
    warns "Glyph ... missing from font(s) Noto Sans CJK TC" while measuring the text; the
    Chinese, Latin, digits, U+2212 and Greek that figures use are all in the CJK face.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__} {text!r}")
    cmaps = (_cmap(os.fspath(font_path(lang))), _cmap(_dejavu_path()))
    missing = (
        ch for ch in text
        if unicodedata.category(ch) != "Cc" and all(ord(ch) not in c for c in cmaps)
    )
    return list(dict.fromkeys(missing))
