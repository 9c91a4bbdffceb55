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
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.colab.checks import (  # noqa: F401  (re-exported: tests use colab_sim.<name>)
    _PRE,
    _PROBE,
    EXPECTED_IN_KERNEL,
    FORBIDDEN_OUTPUT,
    NOTEBOOK_BUDGET_S,
    PRE_TAG,
    PROBE_TAG,
    NotebookResult,
    check_notebook,
    freeze_problems,
)
from tools.colab.env import (  # noqa: F401
    ALLOWED_NEW,
    COLAB_PACKAGES,
    DEFAULT_ENV,
    ENV_BUDGET_S,
    ENV_VARIABLE,
    PYTHON_VERSION,
    RECIPE_VERSION,
    STAMP,
    EnvUnavailable,
    _clean_env,
    _site_packages,
    ensure_env,
    env_python,
    find_python,
    freeze,
)
from tools.colab.fonts import cjk_fonts, hide_fonts
from tools.colab.snapshot import _fake_colab, _redirect_config, repository_url, snapshot_repository
from tools.nbrun import (  # noqa: F401
    LANGS,
    NOTEBOOKS,
    ROOT,
    RunError,
    run_driver,
    select_notebooks,
    short_path,
)

# The parts live in tools/colab/ (env, fonts, snapshot, checks); their public names stay
# reachable here as colab_sim.<name>, which tests and tools use.
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


SimError = RunError  # one error type for every notebook run (tools/nbrun.py)


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
