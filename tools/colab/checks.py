"""The checks on one run: each executed notebook (:func:`check_notebook`) and pip's freeze.

The probe cells (``_PRE`` before the first cell of the first notebook, ``_PROBE`` after the
last cell of every notebook) print one tagged JSON line; the checks read it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.colab.env import ALLOWED_NEW
from tools.nbrun import output_texts, read_result, tagged

EXPECTED_IN_KERNEL = {  # what the probe cell must report
    "matplotlib": "3.10.0",
    "numpy": "2.1.3",
    "ipywidgets": "7.7.1",
    "IPython": "7.34.0",
    "torch": "2.13.0+cpu",
}
NOTEBOOK_BUDGET_S = 60  # one notebook, kernel start and (first notebook) the install included
FORBIDDEN_OUTPUT = re.compile(r"missing from font|findfont", re.IGNORECASE)
PROBE_TAG = "LOSSVIZ-PROBE "
PRE_TAG = "LOSSVIZ-PRE "


@dataclass
class NotebookResult:
    path: Path
    wall_s: float
    problems: list[str] = field(default_factory=list)
    probe: dict | None = None


_PRE = """\
import importlib.util, json
print("LOSSVIZ-PRE " + json.dumps({"lossviz": importlib.util.find_spec("lossviz") is not None}))
"""

_PROBE = """\
import importlib.util, json, os, sys
import IPython, ipywidgets, matplotlib, numpy, torch
import lossviz, lossviz.fonts, lossviz.notebook
from matplotlib import font_manager
print("LOSSVIZ-PROBE " + json.dumps({
    "python": sys.version.split()[0],
    "executable": sys.executable,
    "matplotlib": matplotlib.__version__, "numpy": numpy.__version__, "torch": torch.__version__,
    "ipywidgets": ipywidgets.__version__, "IPython": IPython.__version__,
    "lossviz": lossviz.__file__,
    "google": importlib.util.find_spec("google") is not None,
    "google.colab": importlib.util.find_spec("google.colab") is not None,
    "in_colab": lossviz.notebook.in_colab(),
    "sans-serif": list(matplotlib.rcParams["font.sans-serif"][:2]),
    "fonts": [os.fspath(lossviz.fonts.font_path(lang)) for lang in ("zh-TW", "zh-CN")],
    "xdg": os.environ.get("XDG_CACHE_HOME"),
    "cjk_registered": sorted({f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name}),
}))
"""


def check_notebook(result: dict, lang: str, site_packages: Path, first: bool) -> NotebookResult:
    """The per-notebook checks on one executed notebook."""
    nb, problems = read_result(result)
    res = NotebookResult(Path(result["src"]), result["wall_s"], problems)
    for number, text in output_texts(nb):
        for line in text.splitlines():
            if FORBIDDEN_OUTPUT.search(line):
                res.problems.append(f"cell {number}: a glyph or font is missing: {line.strip()}")
    pre = tagged(nb, PRE_TAG)
    if first and (not pre or pre[0]["lossviz"]):
        res.problems.append("lossviz was importable before the first cell ran: the sim must start "
                            "without it" if pre else "the pre-probe did not run")
    probes = tagged(nb, PROBE_TAG)
    if not probes:
        if not res.problems:
            res.problems.append("the probe cell after the last cell did not run")
        return res
    probe = res.probe = probes[-1]
    for name, wanted in EXPECTED_IN_KERNEL.items():
        if probe[name] != wanted:
            res.problems.append(f"the kernel must see {name} {wanted}, got {probe[name]}")
    if not (probe["google"] and probe["google.colab"] and probe["in_colab"]):
        res.problems.append(f"google.colab must look importable (find_spec google / google.colab, "
                            f"in_colab()), got {probe['google']} / {probe['google.colab']} / "
                            f"{probe['in_colab']}")
    if not Path(probe["lossviz"]).is_relative_to(site_packages):
        res.problems.append(f"lossviz must be imported from the pip install in {site_packages}, "
                            f"got {probe['lossviz']}")
    family = {"zh-TW": "Noto Sans CJK TC", "zh-CN": "Noto Sans CJK SC"}[lang]
    if probe["sans-serif"][:1] != [family] or family not in probe["cjk_registered"]:
        res.problems.append(f"matplotlib must draw with {family}, got font.sans-serif "
                            f"{probe['sans-serif']} and CJK fonts {probe['cjk_registered']}")
    if probe["xdg"] and not all(Path(f).is_relative_to(probe["xdg"]) for f in probe["fonts"]):
        res.problems.append(f"the CJK faces must be extracted into the fresh XDG_CACHE_HOME "
                            f"{probe['xdg']}, got {probe['fonts']}")
    if result["wall_s"] > NOTEBOOK_BUDGET_S:
        res.problems.append(f"took {result['wall_s']:.0f} s; the budget is {NOTEBOOK_BUDGET_S} s")
    return res


def freeze_problems(before: dict[str, str], after: dict[str, str], url: str, commit: str) -> list[str]:
    """What the Colab install changed beyond adding lossviz and noto-cjk-sans-otc."""
    problems = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if old is None and name in ALLOWED_NEW:
            continue
        if old is None:
            problems.append(f"pip added {new!r}: only {sorted(ALLOWED_NEW)} may be added")
        elif new is None:
            problems.append(f"pip removed {old!r}")
        else:
            problems.append(f"pip changed {old!r} to {new!r}: Colab's packages must stay as they are")
    line = after.get("lossviz", "")
    if not line:
        problems.append("lossviz was not installed: the first cell did not take the Colab path")
    elif f"git+{url}@{commit}" not in line:
        problems.append(f"lossviz must come from git+{url}@{commit} (the snapshot), got {line!r}")
    return problems
