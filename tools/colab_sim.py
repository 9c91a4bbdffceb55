"""Run every notebook as a learner on Google Colab would: Colab's versions, no lossviz, no CJK font.

Usage (from the repository root, with the project's ``.venv``)::

    python -m tools.colab_sim                          # every notebook, both scripts
    python -m tools.colab_sim 02 zh-CN/03_cross_entropy  # only these (number, stem, lang/stem, path)
    python -m tools.colab_sim --keep-env DIR           # the Colab-like environment lives in DIR
    python -m tools.colab_sim --out DIR                # keep the executed notebooks for a look
    python -m tools.colab_sim --head                   # install the committed HEAD, not the work tree

Exit status: 0 when every check passed, 1 when one failed (each failure is printed), 2 when the
environment could not be made for a reason outside the project (no Python 3.11, PyPI
unreachable, a system-wide CJK font that cannot be hidden).

The Colab-like environment (created once, reused while its recipe is unchanged; default
``.venv-colab`` in the repository root, or ``$LOSSVIZ_COLAB_ENV``):

* Python 3.11, not Colab's 3.12: the only CPU build of torch on this machine's disk is
  ``torch==2.13.0`` for cp311; for cp312/cp313 pip would take PyPI's CUDA build (several GB).
* Colab's versions of what lossviz touches: numpy 2.1.3, matplotlib 3.10.0, ipywidgets 7.7.1,
  ipykernel 6.17.1, IPython 7.34.0, notebook 6.5.7, scikit-learn 1.6.1 (a notebook uses it;
  Colab ships it), nbclient / nbformat (Colab has them too).  lossviz is NOT installed.  Only
  the kernel (and so the pip of the first cell) runs there; nbclient drives it from the
  project's environment (see :func:`simulate` for why).
* No CJK font.  A machine may have one system-wide (Debian's fonts-noto-cjk comes with
  Chromium set-ups): every CJK font that ``fc-list :lang=zh`` or matplotlib's font list shows
  is hidden from the run -- the driver, the kernel and pip run in a private mount namespace
  (``unshare --mount``) where an empty file is bind-mounted over each such font; the machine
  itself is not changed.  Inside, the check is made again and must find none.  Where the
  namespace cannot be made (not root), such a machine cannot run the sim (exit 2).

Each run:

1. puts the environment back to its recorded ``pip freeze`` (a previous run's lossviz and
   noto-cjk-sans-otc are uninstalled);
2. snapshots the code pip will install: the working tree (tracked and untracked, not ignored
   files) committed into a temporary repository, or with ``--head`` the repository itself, whose
   committed HEAD is all pip sees (uncommitted changes are invisible to it);
3. points ``https://github.com/lossviz/lossviz`` (``REPOSITORY_URL``) at that repository with a
   temporary git config (``GIT_CONFIG_GLOBAL``), so the unchanged first cell installs it;
4. makes ``google.colab`` importable with a fake package on the kernel's ``PYTHONPATH``
   (``google`` stays a namespace package, as on Colab), so the first cell takes the Colab path;
5. executes copies of the notebooks (cwd: a temporary folder, not the repository), each with a
   fresh empty ``XDG_CACHE_HOME``, a probe cell before the first cell (lossviz must not be
   importable yet in the first notebook) and one after the last (versions, fonts, in_colab());
6. checks: no CJK font visible before the first cell; no error output in any cell; ``pip
   freeze`` afterwards = before + lossviz + noto-cjk-sans-otc, nothing upgraded, downgraded or
   removed; lossviz came from the snapshot commit; no output says "missing from font" or
   "findfont"; the kernel saw matplotlib 3.10.0 (and the other pinned versions); each notebook
   ran within its budget.

The environment is installed once per run (the first notebook's first cell does it, the others
find it installed), as one Colab runtime would; the first notebook's time includes the install.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.nbrun import (
    LANGS,
    NOTEBOOKS,
    ROOT,
    RunError,
    errors,
    output_texts,
    run_driver,
    select_notebooks,
    short_path,
    tagged,
)

DEFAULT_ENV = ROOT / ".venv-colab"
ENV_VARIABLE = "LOSSVIZ_COLAB_ENV"

PYTHON_VERSION = (3, 11)  # see the module docstring: the CPU torch on disk is cp311 only
# Colab's versions (Google Colab runtime, 2025) of what the notebooks and lossviz touch.
COLAB_PACKAGES = (
    "torch==2.13.0",  # CPU build from local disk (Colab has a CUDA build; the API is the same)
    "numpy==2.1.3",
    "matplotlib==3.10.0",
    "ipywidgets==7.7.1",
    "ipykernel==6.17.1",
    "ipython==7.34.0",
    "notebook==6.5.7",
    "scikit-learn==1.6.1",
    "nbclient",
    "nbformat",
)
EXPECTED_IN_KERNEL = {  # what the probe cell must report
    "matplotlib": "3.10.0",
    "numpy": "2.1.3",
    "ipywidgets": "7.7.1",
    "IPython": "7.34.0",
    "torch": "2.13.0+cpu",
}
ALLOWED_NEW = frozenset({"lossviz", "noto-cjk-sans-otc"})  # what the Colab install may add
ENV_BUDGET_S = 180  # creating the environment
NOTEBOOK_BUDGET_S = 60  # one notebook, kernel start and (first notebook) the install included
STAMP = "lossviz-colab-env.json"  # recipe + baseline freeze, inside the environment
FORBIDDEN_OUTPUT = re.compile(r"missing from font|findfont", re.IGNORECASE)
PROBE_TAG = "LOSSVIZ-PROBE "
PRE_TAG = "LOSSVIZ-PRE "
RECIPE_VERSION = 1

__all__ = [
    "EnvUnavailable",
    "NotebookResult",
    "Report",
    "select_notebooks",
    "repository_url",
    "find_python",
    "ensure_env",
    "snapshot_repository",
    "simulate",
    "main",
]


class EnvUnavailable(RuntimeError):
    """The environment cannot be made for a reason outside the project (no Python 3.11, no PyPI)."""


SimError = RunError  # one error type for every notebook run (tools/nbrun.py)


def repository_url(meta: Path = ROOT / "lossviz" / "_meta.py") -> str:
    """``REPOSITORY_URL`` from lossviz/_meta.py, read without importing lossviz (and torch)."""
    for node in ast.parse(meta.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "REPOSITORY_URL"):
            return ast.literal_eval(node.value)
    raise SimError(f"{meta}: no REPOSITORY_URL = '...' assignment")


# ---------------------------------------------------------------------------------------------
# The Colab-like environment
# ---------------------------------------------------------------------------------------------


def _version_of(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = out.stdout.split()
    return (int(parts[0]), int(parts[1])) if out.returncode == 0 and len(parts) == 2 else None


def find_python() -> str:
    """A base (non-venv) Python 3.11 with venv: this interpreter's own base, python3.11, pyenv's."""
    wanted = "python{}.{}".format(*PYTHON_VERSION)
    candidates = []
    if sys.version_info[:2] == PYTHON_VERSION:
        candidates.append(getattr(sys, "_base_executable", sys.executable))
    candidates += [shutil.which(wanted) or ""]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(p / "bin" / wanted) for p in sorted(pyenv.glob("{}.{}.*".format(*PYTHON_VERSION)),
                                                           reverse=True)]
    for python in filter(None, candidates):
        if Path(python).is_file() and _version_of(python) == PYTHON_VERSION:
            check = subprocess.run([python, "-c", "import venv, ensurepip"], capture_output=True)
            if check.returncode == 0:
                return python
    raise EnvUnavailable(f"no {wanted} with venv and ensurepip found (looked at: {candidates}); "
                         f"the Colab-like environment needs it for the CPU torch 2.13.0 wheel")


def env_python(env: Path) -> Path:
    return env / "bin" / "python"


def _recipe(python: str) -> dict:
    return {"recipe": RECIPE_VERSION, "python": ".".join(map(str, PYTHON_VERSION)),
            "packages": list(COLAB_PACKAGES), "base": python}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    return re.sub(r"[-_.]+", "-", match.group(0)).lower() if match else requirement


def freeze(python: Path) -> dict[str, str]:
    """{normalized name: the freeze line} of every distribution in the environment (pip included)."""
    out = subprocess.run([str(python), "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True)
    return {_name(line): line.strip() for line in out.stdout.splitlines()
            if line.strip() and not line.startswith("#")}


def _pypi_reachable(timeout: float = 5.0) -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def _pip_install(python: Path, args: Sequence[str], log: Callable[[str], None]) -> None:
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", *args]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        tail = "\n".join(line for line in (out.stdout + out.stderr).splitlines()
                         if "is ignored: it is neither a file nor a directory" not in line)[-3000:]
        if not _pypi_reachable():
            raise EnvUnavailable(f"PyPI is unreachable; `{' '.join(cmd)}` failed:\n{tail}")
        raise SimError(f"`{' '.join(cmd)}` failed (exit {out.returncode}):\n{tail}")


def _create(env: Path, python: str, log: Callable[[str], None]) -> dict[str, str]:
    log(f"colab-sim: creating {env} with {python} ({', '.join(COLAB_PACKAGES)})")
    start = time.perf_counter()
    shutil.rmtree(env, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(env)], check=True)
    (env / ".gitignore").write_text("# created by tools/colab_sim.py\n*\n", encoding="utf-8")
    # one pip run: torch==2.13.0 comes from the local wheel (find-links), the rest from PyPI
    _pip_install(env_python(env), COLAB_PACKAGES, log)
    baseline = freeze(env_python(env))
    leaked = sorted(ALLOWED_NEW & set(baseline))
    if leaked:
        raise SimError(f"the Colab-like environment must not hold {leaked}; got them from its recipe")
    elapsed = time.perf_counter() - start
    stamp = {**_recipe(python), "freeze": baseline, "created_s": round(elapsed, 1)}
    (env / STAMP).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log(f"colab-sim: environment ready in {elapsed:.0f} s (budget {ENV_BUDGET_S} s)")
    return baseline


def ensure_env(env: Path, python: str | None = None, log: Callable[[str], None] = print,
               recreate: bool = False) -> tuple[dict[str, str], float]:
    """The environment at ``env`` in its recorded state; (baseline freeze, seconds spent).

    Reused when its recipe is unchanged: a previous run's lossviz and noto-cjk-sans-otc are
    uninstalled; anything else that differs from the recorded freeze makes it be rebuilt.
    """
    start = time.perf_counter()
    python = python or find_python()
    stamp_path = env / STAMP
    stamp = None
    if not recreate and stamp_path.is_file() and env_python(env).is_file():
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        except ValueError:
            stamp = None
    if stamp is not None and {k: stamp.get(k) for k in _recipe(python)} == _recipe(python):
        baseline = stamp["freeze"]
        now = freeze(env_python(env))
        extra = sorted(ALLOWED_NEW & (set(now) - set(baseline)))
        if extra:
            subprocess.run([str(env_python(env)), "-m", "pip", "uninstall", "-y", "--quiet", *extra],
                           capture_output=True, check=True)
            now = freeze(env_python(env))
        if now == baseline:
            return baseline, time.perf_counter() - start
        log(f"colab-sim: {env} differs from its recorded state; rebuilding it")
    baseline = _create(env, python, log)
    return baseline, time.perf_counter() - start


_FONT_PROBE = r"""
import json
from fontTools.ttLib import TTFont
from matplotlib import font_manager
cjk = []
for entry in font_manager.fontManager.ttflist:
    try:
        with TTFont(entry.fname, fontNumber=0, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:
        continue
    if 0x4E2D in cmap and 0x570B in cmap:  # 中 and 國
        cjk.append([entry.name, entry.fname])
print(json.dumps(cjk))
"""


def cjk_fonts(python: Path, mplconfig: Path, prefix: Sequence[str] = ()) -> dict[str, str]:
    """{font file: who lists it} for every CJK font seen by fontconfig or by matplotlib in ``python``.

    ``fc-list :lang=zh`` (files that are not empty regular files are left out: a hidden font
    still shows in fontconfig's cache) and a cmap look (中, 國) at every font in matplotlib's
    list, built afresh in ``mplconfig``.  ``prefix`` runs both in a sandbox (the mount
    namespace of :func:`hide_fonts`).
    """
    found: dict[str, str] = {}
    if shutil.which("fc-list"):
        out = subprocess.run([*prefix, "fc-list", ":lang=zh", "--format=%{file}\\n"],
                             capture_output=True, text=True)
        check = subprocess.run([*prefix, sys.executable, "-c",
                                "import os, sys; print(*(p for p in sys.argv[1:] if os.path.isfile(p) "
                                "and os.path.getsize(p) > 0), sep='\\n')", *out.stdout.split("\n")],
                               capture_output=True, text=True)
        found.update({f: "fc-list :lang=zh" for f in check.stdout.split("\n") if f.strip()})
    env = {**os.environ, "MPLCONFIGDIR": str(mplconfig)}
    env.pop("PYTHONPATH", None)
    out = subprocess.run([*prefix, str(python), "-c", _FONT_PROBE], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SimError(f"the font probe failed in {python}:\n{out.stderr[-2000:]}")
    for name, fname in json.loads(out.stdout.strip().splitlines()[-1]):
        found.setdefault(fname, f"matplotlib ({name})")
    return found


def hide_fonts(files: Iterable[str], work: Path) -> list[str]:
    """A command prefix whose processes see each of ``files`` as an empty file.

    ``unshare --mount``: a private mount namespace in which an empty file is bind-mounted over
    each font; the machine itself is not changed.  Raises EnvUnavailable where that fails.
    """
    empty = work / "empty-font"
    empty.write_bytes(b"")
    mounts = " && ".join(f"mount --bind {shlex.quote(str(empty))} {shlex.quote(f)}" for f in sorted(files))
    prefix = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
              f'{mounts} && exec "$@"', "sh"]
    try:
        out = subprocess.run([*prefix, "true"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        out = subprocess.CompletedProcess([], 1, "", str(exc))
    if out.returncode != 0:
        raise EnvUnavailable(f"a CJK font is installed system-wide ({', '.join(sorted(files))}) and "
                             f"cannot be hidden here (unshare --mount: {out.stderr.strip()[-500:]}); "
                             f"the sim needs a machine without one")
    return prefix


# ---------------------------------------------------------------------------------------------
# What pip installs and how the first cell finds it
# ---------------------------------------------------------------------------------------------


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    out = subprocess.run(["git", "-c", "user.name=colab-sim", "-c", "user.email=colab-sim@localhost",
                          "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                         cwd=cwd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SimError(f"git {' '.join(args)} failed in {cwd}:\n{out.stderr[-2000:]}")
    return out.stdout


def snapshot_repository(dest: Path, head: bool = False, root: Path = ROOT,
                        skip: Iterable[Path] = ()) -> tuple[Path, str]:
    """(repository pip clones, its commit).

    ``head``: the repository itself, whose committed HEAD is what pip sees.  Otherwise the
    working tree -- tracked files as they are now, plus untracked files that git does not
    ignore -- committed into a new repository under ``dest`` (in a fresh clone, as in CI,
    both are the same tree).
    """
    if head:
        return root, _git("rev-parse", "HEAD", cwd=root).strip()
    skip = [Path(p).resolve() for p in skip]
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=root)
    repo = dest / "lossviz"
    repo.mkdir(parents=True)
    for rel in sorted(set(filter(None, listed.split("\0")))):
        src = root / rel
        if not src.is_file() or any(p == src.resolve() or p in src.resolve().parents for p in skip):
            continue  # deleted in the work tree, a submodule, or the environment itself
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, repo / rel, follow_symlinks=False)
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "colab-sim snapshot of the working tree", cwd=repo)
    return repo, _git("rev-parse", "HEAD", cwd=repo).strip()


def _redirect_config(path: Path, url: str, repo: Path) -> Path:
    path.write_text(f'[url "{repo.resolve().as_uri()}"]\n\tinsteadOf = {url}\n', encoding="utf-8")
    return path


def _fake_colab(folder: Path) -> Path:
    """``google/colab/__init__.py`` under ``folder``; ``google`` has no __init__ (a namespace)."""
    package = folder / "google" / "colab"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        '"""A stand-in for Google Colab\'s google.colab, made by tools/colab_sim.py."""\n'
        "LOSSVIZ_FAKE = True\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------------
# Executing notebooks (this part also runs as a script inside other interpreters)
# ---------------------------------------------------------------------------------------------


@dataclass
class NotebookResult:
    path: Path
    wall_s: float
    problems: list[str] = field(default_factory=list)
    probe: dict | None = None


@dataclass
class Report:
    notebooks: list[NotebookResult]
    problems: list[str]  # run-wide: freeze, fonts before the run, environment
    env: Path
    env_s: float
    python: str
    installed: dict[str, str] = field(default_factory=dict)  # what the Colab install added
    hidden_fonts: list[str] = field(default_factory=list)  # system CJK fonts hidden from the run

    @property
    def ok(self) -> bool:
        return not self.problems and not any(nb.problems for nb in self.notebooks)

    def failures(self) -> list[str]:
        return self.problems + [f"{short_path(nb.path)}: {p}" for nb in self.notebooks for p in nb.problems]


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
    nb = json.loads(Path(result["out"]).read_text(encoding="utf-8"))
    res = NotebookResult(Path(result["src"]), result["wall_s"])
    res.problems += errors(nb)
    if result["error"] and not res.problems:
        res.problems.append(result["error"])
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


def _site_packages(env: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    out = subprocess.run([str(env_python(env)), "-c", code], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip()).resolve()


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


# ---------------------------------------------------------------------------------------------
# The whole run
# ---------------------------------------------------------------------------------------------


def _clean_env(env: Path) -> dict[str, str]:
    """This process's environment for the Colab-like interpreter: its bin first, no venv leaks."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "MPLBACKEND")
            and not k.startswith(("JPY_", "JUPYTER_"))}
    base["VIRTUAL_ENV"] = str(env)
    base["PATH"] = f"{env / 'bin'}{os.pathsep}{base.get('PATH', '')}"
    base["PYTHONNOUSERSITE"] = "1"
    return base


def simulate(names: Sequence[str] = (), env: Path | None = None, head: bool = False,
             out: Path | None = None, recreate: bool = False, log: Callable[[str], None] = print) -> Report:
    """Build or reuse the environment, run the notebooks the Colab way, check everything.

    One run at a time per environment (a lock file in the temporary folder): a second run, say a
    second ``pytest tests``, waits instead of uninstalling lossviz under the first one's feet.
    """
    env = Path(env or os.environ.get(ENV_VARIABLE) or DEFAULT_ENV).resolve()
    paths = select_notebooks(names)
    if not paths:
        raise SimError(f"no notebooks under {NOTEBOOKS}/<lang>/")
    python = find_python()
    import fcntl  # POSIX only, like the namespaces the run uses

    key = hashlib.sha256(str(env).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"lossviz-colab-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _simulate(paths, env, python, head, out, recreate, log)


def _simulate(paths: list[Path], env: Path, python: str, head: bool, out: Path | None, recreate: bool,
              log: Callable[[str], None]) -> Report:
    baseline, env_s = ensure_env(env, python, log=log, recreate=recreate)
    problems: list[str] = []
    url = repository_url()
    with tempfile.TemporaryDirectory(prefix="lossviz-colab-") as tmp:
        work = Path(tmp)
        repo, commit = snapshot_repository(work / "snapshot", head=head, skip=[env])
        log(f"colab-sim: {len(paths)} notebook(s); pip will install {url} -> {repo} @ {commit[:12]}"
            + ("" if head else " (a snapshot of the working tree)"))
        # No CJK font: one installed system-wide (e.g. Debian's fonts-noto-cjk) is hidden from
        # the run in a private mount namespace, then the run's own view is checked.
        mplconfig = work / "mplconfig"  # matplotlib's font list, built once for this run
        visible = cjk_fonts(env_python(env), work / "mplconfig-host")
        prefix = hide_fonts(visible, work) if visible else []
        if visible:
            log(f"colab-sim: hiding {len(visible)} system CJK font file(s) from the run: "
                + ", ".join(sorted(visible)))
        still = cjk_fonts(env_python(env), mplconfig, prefix)
        if still:
            problems.append("a CJK font is visible before the run, so a broken font set-up would go "
                            "unnoticed: " + "; ".join(f"{f} ({who})" for f, who in sorted(still.items())))
        gitconfig = _redirect_config(work / "gitconfig", url, repo)
        fake = _fake_colab(work / "fake-colab")
        driver_env = _clean_env(env)
        driver_env.update({"PYTHONPATH": str(fake), "GIT_CONFIG_GLOBAL": str(gitconfig),
                           "MPLCONFIGDIR": str(mplconfig), "GIT_TERMINAL_PROMPT": "0",
                           "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        jobs = []
        for i, path in enumerate(paths):
            lang = path.parent.name
            copy = work / "notebooks" / lang / path.name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            xdg = work / "xdg" / f"{lang}-{path.stem}"
            xdg.mkdir(parents=True)
            jobs.append({"src": str(copy), "out": str(work / "executed" / lang / path.name),
                         "cwd": str(copy.parent), "env": {"XDG_CACHE_HOME": str(xdg)},
                         "pre": [_PRE] if i == 0 else [], "post": [_PROBE], "label": short_path(path)})
        # nbclient runs in this (the project's) environment, only the kernel in the Colab-like
        # one: notebook 6.5.7 holds jupyter_client < 8 there, and nbclient over jupyter_client
        # 7.4.9 sometimes sees a reply only when the cell timeout ends (nbclient issue #312),
        # a stall of the test driver that no Colab user has.
        results = run_driver(sys.executable, jobs, work, driver_env, prefix=prefix,
                             kernel_python=env_python(env))
        site = _site_packages(env)
        checked = []
        for i, (path, result) in enumerate(zip(paths, results, strict=True)):
            res = check_notebook(result, path.parent.name, site, first=i == 0)
            res.path = path
            checked.append(res)
        after = freeze(env_python(env))
        problems += freeze_problems(baseline, after, url, commit)
        if out is not None:
            for lang in LANGS:
                if (work / "executed" / lang).is_dir():
                    shutil.copytree(work / "executed" / lang, out / lang, dirs_exist_ok=True)
    installed = {k: v for k, v in after.items() if k not in baseline}
    return Report(checked, problems, env, env_s, python, installed, sorted(visible))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.colab_sim",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="number, stem, lang/stem or path (default: all)")
    parser.add_argument("--keep-env", type=Path, metavar="DIR",
                        help=f"where the Colab-like environment is made and kept "
                             f"(default: ${ENV_VARIABLE} or {short_path(DEFAULT_ENV)})")
    parser.add_argument("--out", type=Path, metavar="DIR", help="copy the executed notebooks here")
    parser.add_argument("--head", action="store_true",
                        help="install the committed HEAD (uncommitted changes are not seen)")
    parser.add_argument("--recreate", action="store_true", help="rebuild the environment first")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        report = simulate(args.notebooks, env=args.keep_env, head=args.head, out=args.out,
                          recreate=args.recreate)
    except EnvUnavailable as exc:
        print(f"colab-sim: cannot make the Colab-like environment: {exc}", file=sys.stderr)
        return 2
    except SimError as exc:
        print(f"colab-sim: FAILED: {exc}", file=sys.stderr)
        return 1
    total = time.perf_counter() - start
    print(f"colab-sim: environment {short_path(report.env)} ({report.env_s:.0f} s), "
          f"pip added {sorted(report.installed.values())}, total {total:.0f} s")
    if report.ok:
        print(f"colab-sim: OK, {len(report.notebooks)} notebook(s)")
        return 0
    print("colab-sim: FAILED:\n" + "\n".join(f"- {p}" for p in report.failures()), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
