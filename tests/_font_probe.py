"""What one fresh Python process draws after ``lossviz.fonts.use_cjk``: run by tests/test_fonts.py.

    python tests/_font_probe.py --system none|ttc|as-is [--ttc PATH] [--write-stale-cache]

matplotlib's font list is global to a process and cached on disk (``MPLCONFIGDIR``), so each
situation a user's machine can be in is a process of its own:

* ``--system none``: a machine without a system CJK font (every CJK entry is dropped from
  matplotlib's list before lossviz runs);
* ``--system ttc``: a machine with Debian's ``fonts-noto-cjk`` whose matplotlib cache was built
  after it was installed: the collection ``--ttc`` is registered as matplotlib registers system
  fonts (3.11 lists all ten faces, 3.10 only face 0, the Japanese one);
* ``--system as-is``: whatever the font list in ``MPLCONFIGDIR`` says (a stale cache, say);
* ``--write-stale-cache``: write, into ``MPLCONFIGDIR``, a font list without any CJK entry,
  as left by a matplotlib that ran before the system fonts were installed; then exit.

Prints one JSON object: per language, the family and the file matplotlib resolves, whether each
probe character is drawn exactly as by the lossviz face of that language, the "missing from
font" warnings; and for each character whether zh-TW and zh-CN figures draw it alike.  ``XDG_CACHE_HOME`` must already hold
both extracted faces when no collection is available to extract them from (the parent test
extracts them first).
"""

from __future__ import annotations

import argparse
import json
import os
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties, findfont  # noqa: E402

# TC and SC glyphs differ for these (and the Japanese face differs from both for most)
CHARS = "骨角說数，"


def _is_cjk_entry(entry) -> bool:
    return "CJK" in entry.name


def _draw(text: str, fname: str | None = None) -> np.ndarray:
    fig = Figure(figsize=(1, 1), dpi=100)
    FigureCanvasAgg(fig)
    props = FontProperties(fname=fname) if fname else None
    fig.text(0.5, 0.5, text, fontsize=48, ha="center", va="center", fontproperties=props)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--system", choices=["none", "ttc", "as-is"], default="as-is")
    parser.add_argument("--ttc", default=None)
    parser.add_argument("--write-stale-cache", action="store_true")
    args = parser.parse_args()
    manager = font_manager.fontManager

    if args.write_stale_cache:
        manager.ttflist = [e for e in manager.ttflist if not _is_cjk_entry(e)]
        path = os.path.join(matplotlib.get_cachedir(), f"fontlist-v{manager.__version__}.json")
        font_manager.json_dump(manager, path)
        print(json.dumps({"written": path}))
        return
    if args.system == "none":
        manager.ttflist = [e for e in manager.ttflist if not _is_cjk_entry(e)]
    elif args.system == "ttc":
        if not any(os.path.realpath(e.fname) == os.path.realpath(args.ttc) for e in manager.ttflist):
            manager.addfont(args.ttc)

    from lossviz import fonts

    cjk_listed = sorted({e.name for e in manager.ttflist if _is_cjk_entry(e)})
    faces = {lang: os.fspath(fonts.font_path(lang)) for lang in ("zh-TW", "zh-CN")}
    report = {"matplotlib": matplotlib.__version__, "cjk_listed": cjk_listed, "langs": {}}
    drawn = {}
    for lang in ("zh-TW", "zh-CN"):
        family = fonts.use_cjk(lang)
        resolved = findfont(FontProperties(family=["sans-serif"]))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            drawn[lang] = {ch: _draw(ch) for ch in CHARS}
            own = {ch: _draw(ch, faces[lang]) for ch in CHARS}
        report["langs"][lang] = {
            "family": family,
            "resolved": os.fspath(resolved),
            "resolved_face_index": getattr(resolved, "face_index", 0),
            "own_face": faces[lang],
            "ink": {ch: bool((img < 128).any()) for ch, img in drawn[lang].items()},
            "same_as_own_face": {ch: bool(np.array_equal(img, own[ch])) for ch, img in drawn[lang].items()},
            "missing": [str(w.message) for w in caught if "missing from font" in str(w.message)],
        }
    report["tw_equals_cn"] = {ch: bool(np.array_equal(drawn["zh-TW"][ch], drawn["zh-CN"][ch])) for ch in CHARS}
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
