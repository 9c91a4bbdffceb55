"""The one notebook runner: the build, the Colab-like run and the offline run all execute here.

* :func:`execute` runs one notebook in place with a python3 kernel (of this interpreter, or of
  ``kernel_python``), shuts the kernel down whatever happens and returns the wall time;
* :func:`execute_jobs` runs a list of jobs (copies with probe cells before/after, an environment
  each) and reports per notebook instead of raising; :func:`run_driver` runs it in another
  interpreter or behind a sandbox prefix (``unshare``) as ``python tools/nbrun.py SPEC``;
* :func:`select_notebooks` says which committed notebooks a command means;
* :func:`output_texts`, :func:`errors`, :func:`tagged` read an executed notebook.

Standard library and nbclient only: this file also runs as a script, without the project on
``sys.path``, and never imports lossviz (nor torch).  The language list is read from
``lossviz/_meta.py`` as a file, the one place that names it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT_S = 120


def _meta():
    """lossviz/_meta.py loaded as a lone module: its settings without importing the package."""
    spec = spec_from_file_location("lossviz_meta", ROOT / "lossviz" / "_meta.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LANGS = _meta().LANGS


class RunError(RuntimeError):
    """A failure of the project (or of a runner's set-up) that a run must report."""


# ---------------------------------------------------------------------------------------------
# Which notebooks
# ---------------------------------------------------------------------------------------------


def all_notebooks(root: Path = NOTEBOOKS) -> list[Path]:
    """Every committed notebook, zh-TW first, in file-name order."""
    return [p for lang in LANGS for p in sorted((root / lang).glob("*.ipynb"))]


def select_notebooks(names: Sequence[str] = (), root: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks named by ``names``: a path, ``lang/stem``, a stem or its number (both scripts)."""
    every = all_notebooks(root)
    if not names:
        return every
    chosen: list[Path] = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            found = [path.resolve()]
        else:
            key = name.removesuffix(".ipynb").strip("/")
            found = [p for p in every
                     if key in (p.stem, p.stem.split("_", 1)[0], f"{p.parent.name}/{p.stem}")
                     or key == f"{p.parent.name}/{p.stem.split('_', 1)[0]}"]
        if not found:
            raise RunError(f"notebook {name!r} must match one of {[short_path(p) for p in every]}, got none")
        chosen += [p for p in found if p not in chosen]
    return chosen


def short_path(path: Path) -> str:
    """``path`` relative to the repository when inside it, for messages."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def execute(nb, cwd: Path, timeout: int = CELL_TIMEOUT_S, *, kernel_python: str | None = None,
            **client_options) -> float:
    """Run ``nb`` in place with a python3 kernel; the wall time in seconds.

    The kernel is this interpreter's ipykernel (``kernel_python=None``) or ``kernel_python -m
    ipykernel_launcher``; it is shut down even when a cell fails, and the failure propagates.
    ``client_options`` go to ``nbclient.NotebookClient`` (``record_timing``, hooks, ...).
    """
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    class Kernel(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_python is None:
                return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                              **ipykernel.kernelspec.get_kernel_dict())
            argv = [str(kernel_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
            return KernelSpec(argv=argv, display_name="Python 3", language="python")

    km = KernelManager(kernel_name="python3", kernel_spec_manager=Kernel())
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}, **client_options)
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        if km.has_kernel:  # a km handed in is not shut down by nbclient
            km.shutdown_kernel(now=True)
    return time.perf_counter() - start


def _stamp(key: str):
    """An nbclient hook that records the driver's clock in the cell (next to the kernel's)."""
    from datetime import UTC, datetime

    def hook(cell, cell_index, **kwargs):
        cell.metadata.setdefault("lossviz_sim", {})[key] = datetime.now(UTC).isoformat()

    return hook


def execute_jobs(jobs: Sequence[dict], timeout: int = CELL_TIMEOUT_S,
                 kernel_python: str | None = None) -> list[dict]:
    """Execute each job's notebook with a kernel of ``kernel_python`` (default: this interpreter).

    A job is ``{"src", "out", "cwd", "env": {...}, "pre": [code], "post": [code]}``: ``env`` is
    set before the kernel starts, ``pre`` cells go before the first cell, ``post`` cells after
    the last.  The first error stops a notebook (its error output is kept); outputs go to
    ``out``.  Returns, per job, ``{"src", "out", "wall_s", "error"}``.
    """
    import nbformat

    results = []
    for job in jobs:
        nb = nbformat.read(job["src"], as_version=4)
        nb.cells = ([nbformat.v4.new_code_cell(code) for code in job.get("pre", [])] + nb.cells
                    + [nbformat.v4.new_code_cell(code) for code in job.get("post", [])])
        for i, cell in enumerate(nb.cells):
            cell.id = f"sim-{i:03d}"
        os.environ.update(job.get("env", {}))
        error = None
        start = time.perf_counter()
        try:
            execute(nb, Path(job["cwd"]), timeout, kernel_python=kernel_python, record_timing=True,
                    on_cell_execute=_stamp("sent"), on_cell_executed=_stamp("done"))
        except Exception as exc:  # a cell error, a timeout, a dead kernel: reported, next notebook
            error = f"{type(exc).__name__}: {str(exc)[-3000:]}"
        wall = time.perf_counter() - start
        Path(job["out"]).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, job["out"])
        results.append({"src": job["src"], "out": job["out"], "wall_s": round(wall, 2), "error": error})
        print(f"  {wall:5.1f} s  {job['label']}" + ("  FAILED" if error else ""), flush=True)
    return results


def run_driver(python: Path | str, jobs: Sequence[dict], work: Path, env: dict[str, str],
               prefix: Sequence[str] = (), timeout: int = CELL_TIMEOUT_S,
               kernel_python: Path | str | None = None) -> list[dict]:
    """Run :func:`execute_jobs` in ``python`` (optionally behind ``prefix``, e.g. unshare)."""
    spec = work / "jobs.json"
    result = work / "results.json"
    spec.write_text(json.dumps({"jobs": list(jobs), "timeout": timeout, "result": str(result),
                                "kernel_python": str(kernel_python) if kernel_python else None}),
                    encoding="utf-8")
    cmd = [*prefix, str(python), str(Path(__file__).resolve()), str(spec)]
    out = subprocess.run(cmd, cwd=work, env=env)
    if out.returncode != 0 or not result.is_file():
        raise RunError(f"the notebook driver failed (exit {out.returncode}): {' '.join(cmd)}")
    return json.loads(result.read_text(encoding="utf-8"))


def _drive(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    results = execute_jobs(spec["jobs"], spec["timeout"], spec.get("kernel_python"))
    Path(spec["result"]).write_text(json.dumps(results), encoding="utf-8")
    return 0


# ---------------------------------------------------------------------------------------------
# Reading the executed notebooks
# ---------------------------------------------------------------------------------------------


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_texts(nb: dict) -> list[tuple[int, str]]:
    """(cell number, text) of every output: streams, errors, text/plain of results and displays."""
    texts = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                texts.append((number, _text(out.get("text", ""))))
            elif kind == "error":
                texts.append((number, f"{out.get('ename')}: {out.get('evalue')}\n"
                              + "\n".join(out.get("traceback", []))))
            elif kind in ("display_data", "execute_result"):
                texts.append((number, _text(out.get("data", {}).get("text/plain", ""))))
    return texts


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def errors(nb: dict) -> list[str]:
    """One line per error output: the cell number, the exception and the last traceback lines."""
    found = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                tb = _ANSI.sub("", "\n".join(out.get("traceback", [])))
                found.append(f"cell {number}: {out.get('ename')}: {out.get('evalue')}\n"
                             + "\n".join(tb.splitlines()[-8:]))
    return found


def read_result(result: dict) -> tuple[dict, list[str]]:
    """One job's executed notebook (read from ``result["out"]``) and its problems so far: every
    error output, or the driver's own error when the notebook shows none (a cell that timed out)."""
    nb = json.loads(Path(result["out"]).read_text(encoding="utf-8"))
    problems = errors(nb)
    if result["error"] and not problems:
        problems.append(result["error"])
    return nb, problems


def tagged(nb: dict, tag: str) -> list[dict]:
    """The JSON objects printed after ``tag`` by probe cells."""
    return [json.loads(line[len(tag):]) for _, text in output_texts(nb) for line in text.splitlines()
            if line.startswith(tag)]


if __name__ == "__main__":  # the driver behind run_driver
    sys.exit(_drive(sys.argv[1]))
