"""The committed notebook outputs do not depend on the CPU's vector unit.

The main test run checks every notebook with strict nbval on this machine's best instruction set.
Here the same check runs again, in a fresh process each, as if on an older CPU: PyTorch's own
kernels (``ATEN_CPU_CAPABILITY``), its BLAS (MKL, ``MKL_ENABLE_INSTRUCTIONS``), oneDNN
(``ONEDNN_MAX_CPU_ISA``) and numpy's dispatched loops (``NPY_DISABLE_CPU_FEATURES``) are held to
AVX2, and then to the plain baseline.  Round-off differs between these (the same row sum prints
1.1e-16, 6.6e-17 or 2.2e-16), so a notebook that prints round-off, or a float32 training result
to more digits than it keeps, fails here even on the machine that wrote it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARGS = ROOT / "tests" / "nbval.args"
# zh-TW only, learner and solution notebooks: a zh-CN notebook's code cells are its zh-TW twin's with
# only the Chinese text and the lang tag converted (tests/test_notebook_build.py checks that), so
# it computes the same numbers; the main run checks every notebook of both scripts.
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("zh-TW/*.ipynb") if ".ipynb_checkpoints" not in p.parts)

# what each level allows; for numpy, which of its dispatch targets stay on (X86_V3 is AVX2 + FMA3)
LEVELS = {
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2",
             "numpy_keep": ("X86_V3", "AVX2", "FMA3", "AVX", "F16C")},
    "default": {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
                "ONEDNN_MAX_CPU_ISA": "SSE41", "numpy_keep": ()},
}
EXPECTED_TORCH = {"avx2": {"AVX2"}, "default": {"DEFAULT", "NO AVX"}}


NUMPY_FEATURES = ("import numpy._core._multiarray_umath as m; print(' '.join(m.__cpu_dispatch__)); "
                  "print(' '.join(k for k, v in m.__cpu_features__.items() if v))")


def _environment(level: str) -> dict[str, str]:
    settings = dict(LEVELS[level])
    keep = set(settings.pop("numpy_keep"))
    # numpy can only switch off the targets it was built to dispatch to and this CPU has
    out = subprocess.run([sys.executable, "-c", NUMPY_FEATURES], capture_output=True, text=True, check=True)
    targets, present = (set(line.split()) for line in out.stdout.splitlines())
    off = sorted((targets & present) - keep)
    return {**os.environ, **settings, "NPY_DISABLE_CPU_FEATURES": " ".join(off)}


def test_there_are_notebooks_to_check():
    assert {p.parent.parent.name for p in NOTEBOOKS} == {"notebooks", "solutions"}, NOTEBOOKS
    assert len(NOTEBOOKS) >= 12, NOTEBOOKS


@pytest.mark.parametrize("level", LEVELS)
def test_switches_take_effect(level):
    env = _environment(level)
    code = "import torch; print(torch.backends.cpu.get_cpu_capability()); " + NUMPY_FEATURES
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    capability, _, numpy_features = out.stdout.splitlines()
    assert capability in EXPECTED_TORCH[level], capability
    still = set(env["NPY_DISABLE_CPU_FEATURES"].split()) & set(numpy_features.split())
    assert not still, f"numpy still dispatches to {sorted(still)}"


@pytest.mark.parametrize("level", LEVELS)
def test_strict_nbval_on_an_older_vector_unit(level, tmp_path):
    env = _environment(level)
    env.update({"MPLCONFIGDIR": str(tmp_path / "mplconfig"), "XDG_CACHE_HOME": str(tmp_path / "cache")})
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
           *map(str, NOTEBOOKS), f"@{ARGS}"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    summary = [line for line in out.stdout.splitlines() if "FAILED" in line or " passed" in line]
    assert out.returncode == 0, (f"strict nbval under {level} ({env['ATEN_CPU_CAPABILITY']}, "
                                 f"MKL {env['MKL_ENABLE_INSTRUCTIONS']}, numpy without "
                                 f"{env['NPY_DISABLE_CPU_FEATURES'] or 'nothing'}):\n"
                                 + "\n".join(summary) + "\n" + out.stdout[-6000:])
