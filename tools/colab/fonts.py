"""No CJK font in the run: find every CJK font the machine shows, hide them in a mount namespace.

:func:`cjk_fonts` lists the CJK fonts fontconfig or matplotlib can see; :func:`hide_fonts`
returns a command prefix (``unshare --mount``) under which each of them is an empty file.  The
machine itself is not changed.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from tools.colab.env import EnvUnavailable
from tools.nbrun import RunError as SimError

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
