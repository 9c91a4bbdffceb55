"""Build reveal.js slide decks of the executed learner notebooks, in both scripts, viewable offline.

Usage (from the repository root)::

    python -m tools.build_slides              # every notebook -> _slides/
    python -m tools.build_slides 01 07        # only these (stem or NN), both scripts
    python -m tools.build_slides --out DIR    # -> DIR/ (an old deck folder there is replaced)

What it writes::

    zh-TW/NN_name.html  zh-CN/NN_name.html    one deck per committed notebook (notebooks/<lang>/)
    assets/reveal.js/                         reveal.js (dist/reveal.js, reveal.css, the white theme)
    assets/mathjax/                           MathJax 2.7, the static site's copy (build_site.copy_mathjax)
    assets/slides.css, colab-badge.svg        the deck's CSS (tools/site/slides.css), the local badge

Which cell goes on which slide is the notebook's own cell metadata ``slideshow.slide_type``, which
tools/build_notebooks.py writes (rule: ``build_notebooks.slide_types``; a source may override it
per cell), so RISE and this build show the same slides.  The decks are nbconvert's
``SlidesExporter`` with tools/site/slides.html.j2: its remote scripts (jQuery, require.js, mermaid,
widget manager, MathJax and reveal.js from CDNs) are replaced by the deck's local assets.  Nothing is
re-executed; the figures are the PNGs in the notebooks.

Offline: reveal.js is the npm package ``reveal.js@REVEAL_VERSION`` fetched once with ``npm pack``
into ``build/npm/`` (ignored by git), checked against its registry integrity hash, and copied; the
white theme's ``@import`` of the Source Sans Pro web fonts is removed (the decks use the reader's
CJK fonts, like the site).  A deck that would still load anything from another host is refused.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import html
import logging
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from lossviz._meta import LANGS

from . import build_site
from .build_site import COLAB_BADGE_SVG, HTML_LANG, NBCONVERT_ALT, SiteError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "_slides"
CACHE = ROOT / "build" / "npm"  # npm pack's tarball and its unpacked copy (git-ignored)
MARKER = ".lossviz-slides"  # an output folder holding it may be replaced by the next build
REVEAL_VERSION = "4.6.1"
REVEAL_INTEGRITY = ("sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfq"
                    "coGQ74HUHCMw==")  # npm view reveal.js@4.6.1 dist.integrity
REVEAL_PARTS = ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/theme/white.css")
REVEAL_THEME = "white"
_FONT_IMPORT = re.compile(r"^@import url\(\./fonts/[^)]*\);\n", re.M)
SLIDES_TEMPLATE = (build_site.TEMPLATES / "slides.html.j2").read_text(encoding="utf-8")
SLIDES_CSS = (build_site.TEMPLATES / "slides.css").read_text(encoding="utf-8")

__all__ = ["SlidesError", "reveal_package", "write_assets", "render_deck", "build", "main"]


class SlidesError(SiteError):
    """reveal.js cannot be had, or a deck would go online."""


# ---------------------------------------------------------------------------------------------
# reveal.js from the npm registry
# ---------------------------------------------------------------------------------------------


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode("ascii")


def reveal_package(cache: Path = CACHE) -> Path:
    """The unpacked ``reveal.js@REVEAL_VERSION`` package folder; ``npm pack`` fetches it when missing."""
    folder = cache / f"reveal.js-{REVEAL_VERSION}"
    package = folder / "package"
    if all((package / part).is_file() for part in REVEAL_PARTS):
        return package
    tgz = cache / f"reveal.js-{REVEAL_VERSION}.tgz"
    if not tgz.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise SlidesError(f"the slides need reveal.js {REVEAL_VERSION} from the npm registry: npm is not "
                              f"installed (or put {tgz.name} from `npm pack reveal.js@{REVEAL_VERSION}` "
                              f"into {cache})")
        cache.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "pack", f"reveal.js@{REVEAL_VERSION}", "--pack-destination", str(cache)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0 or not tgz.is_file():
            raise SlidesError(f"npm pack reveal.js@{REVEAL_VERSION} failed (exit {done.returncode}): "
                              f"{(done.stderr or done.stdout).strip()[-500:]}")
    if _integrity(tgz) != REVEAL_INTEGRITY:
        raise SlidesError(f"{tgz} is not reveal.js {REVEAL_VERSION} as the registry published it "
                          f"(integrity {_integrity(tgz)}, expected {REVEAL_INTEGRITY}); delete it, rebuild")
    shutil.rmtree(folder, ignore_errors=True)
    with tarfile.open(tgz) as archive:
        archive.extractall(folder, filter="data")
    missing = [part for part in REVEAL_PARTS if not (package / part).is_file()]
    if missing:
        raise SlidesError(f"reveal.js {REVEAL_VERSION} lacks {missing}")
    return package


def write_assets(out: Path, cache: Path = CACHE) -> None:
    """reveal.js (its white theme without the web-font import), MathJax, the CSS and the badge."""
    assets = out / "assets"
    package = reveal_package(cache)
    for part in REVEAL_PARTS:
        dst = assets / "reveal.js" / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(package / part, dst)
    theme = assets / "reveal.js" / "dist" / "theme" / f"{REVEAL_THEME}.css"
    text, n = _FONT_IMPORT.subn("", theme.read_text(encoding="utf-8"))
    if n != 1:
        raise SlidesError(f"reveal.js {REVEAL_VERSION}'s {theme.name} no longer imports one web font file")
    theme.write_text(text, encoding="utf-8")
    (assets / "slides.css").write_text(SLIDES_CSS, encoding="utf-8")
    (assets / "colab-badge.svg").write_text(COLAB_BADGE_SVG, encoding="utf-8")
    build_site.copy_mathjax(assets / "mathjax")


# ---------------------------------------------------------------------------------------------
# Decks
# ---------------------------------------------------------------------------------------------


@functools.cache
def _exporter():
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    quiet = logging.getLogger("tools.build_slides.nbconvert")
    quiet.setLevel(logging.ERROR)
    loader = DictLoader({"lossviz_slides.html.j2": SLIDES_TEMPLATE})
    return SlidesExporter(template_name="reveal", extra_loaders=[loader],
                          template_file="lossviz_slides.html.j2", reveal_url_prefix="../assets/reveal.js",
                          reveal_theme=REVEAL_THEME, language_code="zh", log=quiet)


def render_deck(path: Path, lang: str) -> str:
    """The deck of the executed notebook ``path`` (in ``lang``), as HTML."""
    nb = build_site.prepare(build_site._read(path), lang, "../assets/colab-badge.svg")
    title = build_site.notebook_title(nb, path.stem)
    nb.metadata["title"] = f"{title} · lossviz"
    resources = {"deck": {"prefix": "../", "mathjax": build_site._mathjax("../")}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    body = re.sub(r'^(<!DOCTYPE html>\s*<html) lang="[^"]*"', rf'\1 lang="{HTML_LANG[lang]}"', body, count=1)
    body = body.replace(f"<title>{html.escape(nb.metadata['title'], quote=False)} slides</title>",
                        f"<title>{html.escape(nb.metadata['title'], quote=False)}</title>")
    return body.replace(f'alt="{NBCONVERT_ALT}"', f'alt="{html.escape(build_site.t("figure", lang))}"')


def _chosen(paths: Sequence[Path], names: Sequence[str]) -> list[Path]:
    if not names:
        return list(paths)
    chosen = []
    for name in names:
        found = [p for p in paths if name in (p.stem, p.stem[:2])]
        if len(found) != 1:
            raise SlidesError(f"name {name!r} must match exactly one of {[p.stem for p in paths]}")
        chosen += found
    return chosen


def build(out: Path = DEFAULT_OUT, names: Sequence[str] = (), notebooks: Path = NOTEBOOKS,
          cache: Path = CACHE, log=print) -> list[Path]:
    """Write the decks of ``names`` (all when empty) in both scripts into ``out``; the files written."""
    paths = build_site.notebook_paths(notebooks)
    if not any(paths.values()):
        raise SlidesError(f"no executed notebooks in {notebooks}/{{{','.join(LANGS)}}}/NN_name.ipynb")
    out = Path(out)
    build_site.prepare_out(out, marker=MARKER, what="lossviz deck folder", tool="tools.build_slides",
                           error=SlidesError)
    write_assets(out, cache)
    written = []
    for lang in LANGS:
        for path in _chosen(paths[lang], names):
            t0 = time.perf_counter()
            text = render_deck(path, lang)
            problems = build_site.remote_references(text)
            if problems:
                raise SlidesError(f"{lang}/{path.stem}.html would load from another host: {problems[:5]}")
            target = out / lang / f"{path.stem}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
            log(f"{lang}/{path.stem}.html  {target.stat().st_size / 1e6:.2f} MB  "
                f"({time.perf_counter() - t0:.1f} s)")
    return written


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_slides", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebooks (stem or NN); default: all")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: _slides)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    t0 = time.perf_counter()
    try:
        written = build(args.out, args.names, args.notebooks)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} decks to {args.out}/ ({_size(args.out) / 1e6:.1f} MB with assets "
          f"{_size(args.out / 'assets') / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
