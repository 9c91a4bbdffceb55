"""The Colab-like environment: create it once, reuse it while its recipe is unchanged.

Python 3.11 with Colab's versions of what lossviz touches (``COLAB_PACKAGES``), lossviz not
installed.  ``STAMP`` inside the environment records the recipe and the baseline ``pip freeze``;
:func:`ensure_env` puts the environment back to that freeze (a previous run's lossviz and
noto-cjk-sans-otc uninstalled) or rebuilds it.  Why 3.11 and these versions: tools/colab_sim.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tools.nbrun import ROOT
from tools.nbrun import RunError as SimError

DEFAULT_ENV = ROOT / ".venv-colab"
ENV_VARIABLE = "LOSSVIZ_COLAB_ENV"

PYTHON_VERSION = (3, 11)  # see tools/colab_sim.py: the CPU torch on disk is cp311 only
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
ALLOWED_NEW = frozenset({"lossviz", "noto-cjk-sans-otc"})  # what the Colab install may add
ENV_BUDGET_S = 180  # creating the environment
STAMP = "lossviz-colab-env.json"  # recipe + baseline freeze, inside the environment
RECIPE_VERSION = 1


class EnvUnavailable(RuntimeError):
    """The environment cannot be made for a reason outside the project (no Python 3.11, no PyPI)."""


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


def _site_packages(env: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    out = subprocess.run([str(env_python(env)), "-c", code], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip()).resolve()


def _clean_env(env: Path) -> dict[str, str]:
    """This process's environment for the Colab-like interpreter: its bin first, no venv leaks."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "MPLBACKEND")
            and not k.startswith(("JPY_", "JUPYTER_"))}
    base["VIRTUAL_ENV"] = str(env)
    base["PATH"] = f"{env / 'bin'}{os.pathsep}{base.get('PATH', '')}"
    base["PYTHONNOUSERSITE"] = "1"
    return base
