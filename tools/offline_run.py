"""Execute every notebook with the network unavailable (a classroom without Wi-Fi, a train).

Usage (from the repository root, with the project's ``.venv``)::

    python -m tools.offline_run                      # every notebook, both scripts
    python -m tools.offline_run 02 zh-CN/03          # only these (number, stem, lang/stem, path)
    python -m tools.offline_run --mode sitecustomize # force the fallback sandbox
    python -m tools.offline_run --out DIR            # keep the executed notebooks for a look

Exit status: 0 when every check passed, 1 when one failed (each failure is printed), 2 when no
sandbox can be made on this machine.

The sandbox, in order of preference (``--mode auto``):

``netns``
    ``unshare --net``: a network namespace of its own with only the loopback interface, brought
    up with ``ip link set lo up`` (the kernel and nbclient talk over loopback ZMQ).  Blocks every
    process inside, pip, git and C libraries included.  Needs root (or unprivileged user
    namespaces) and iproute2.
``sitecustomize``
    A ``sitecustomize.py`` on ``PYTHONPATH`` that makes ``socket.getaddrinfo``, ``connect`` and
    ``sendto`` refuse every address but loopback and Unix sockets, in the driver, the kernel
    and every Python process they start.  Programs that are not Python are not blocked.

The notebooks run in this interpreter's environment (the project's ``.venv``, lossviz
installed) with a fresh, empty ``XDG_CACHE_HOME`` for each notebook, so the CJK face is
extracted from the noto-cjk-sans-otc package and matplotlib's font list is built again, all
offline.  A probe cell before the first cell tries ``socket.create_connection(("pypi.org",
443), timeout=3)``: it must fail, which shows the block holds inside the kernel.  Checks: no
error output in any cell, no output mentions a download or a failed connection, the probe was
blocked, the notebook's CJK face is in its fresh cache afterwards.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.nbrun import (
    CELL_TIMEOUT_S,
    NOTEBOOKS,
    output_texts,
    read_result,
    run_driver,
    select_notebooks,
    tagged,
)
from tools.nbrun import RunError as SimError

ROOT = Path(__file__).resolve().parents[1]
MODES = ("netns", "sitecustomize")
NOTEBOOK_BUDGET_S = 60
NET_TAG = "LOSSVIZ-NET "
FACES = {"zh-TW": "NotoSansCJKTC-Regular.otf", "zh-CN": "NotoSansCJKSC-Regular.otf"}  # lossviz.fonts
# An output that talks about the network: a download, or a connection that failed.
NETWORK_OUTPUT = re.compile(
    r"download|urlopen|HTTPError|URLError|ConnectionError|Connection refused|Network is unreachable"
    r"|Name or service not known|Temporary failure in name resolution|blocked by lossviz",
    re.IGNORECASE,
)

__all__ = ["MODES", "available_modes", "probe_command", "offline_run", "main"]

_PROBE = """\
import json, socket
try:
    socket.create_connection(("pypi.org", 443), timeout=3).close()
    _net = "connected"
except OSError as exc:
    _net = f"blocked: {type(exc).__name__}: {exc}"
print("LOSSVIZ-NET " + json.dumps(_net))
del _net
"""

SITECUSTOMIZE = '''\
"""Refuse every network address but loopback (tools/offline_run.py, fallback sandbox)."""
import ipaddress as _ipaddress
import socket as _socket

_MESSAGE = "blocked by lossviz offline sandbox"
_getaddrinfo = _socket.getaddrinfo


def _loopback_host(host):
    if host is None or host in ("localhost", "localhost.localdomain", "ip6-localhost", ""):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        return _ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _allowed(address):
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    if isinstance(address, tuple) and address:
        return _loopback_host(address[0])
    return False


def getaddrinfo(host, *args, **kwargs):
    if not _loopback_host(host):
        raise _socket.gaierror(_socket.EAI_NONAME, f"{_MESSAGE}: {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


class _Socket(_socket.socket):
    def connect(self, address):
        if not _allowed(address):
            raise OSError(101, f"Network is unreachable ({_MESSAGE}): {address!r}")
        return super().connect(address)

    def connect_ex(self, address):
        if not _allowed(address):
            return 101
        return super().connect_ex(address)

    def sendto(self, data, *args):
        if not _allowed(args[-1]):
            raise OSError(101, f"Network is unreachable ({_MESSAGE}): {args[-1]!r}")
        return super().sendto(data, *args)


_socket.getaddrinfo = getaddrinfo
_socket.socket = _Socket
'''


def _netns_works() -> bool:
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    try:
        out = subprocess.run(["unshare", "--net", "--", "ip", "link", "set", "lo", "up"],
                             capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0


def available_modes() -> list[str]:
    """The sandboxes this machine can make and that block the probe, best first."""
    modes = []
    for mode in MODES:
        if mode == "netns" and not _netns_works():
            continue
        try:
            status, printed = probe_command(mode)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if status == 0 and f'{NET_TAG}"blocked' in printed:
            modes.append(mode)
    return modes


def _sandbox(mode: str, work: Path, env: dict[str, str]) -> list[str]:
    """The command prefix of ``mode``; for sitecustomize, ``env`` gets its PYTHONPATH."""
    if mode == "netns":
        return ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
    if mode == "sitecustomize":
        block = work / "block"
        block.mkdir(exist_ok=True)
        (block / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(block), env.get("PYTHONPATH")]))
        return []
    raise SimError(f"mode must be one of {MODES}, got {mode!r}")


def probe_command(mode: str, python: str = sys.executable, code: str = _PROBE) -> tuple[int, str]:
    """Run ``code`` (the network probe) in ``python`` in the sandbox ``mode``: (status, output)."""
    with tempfile.TemporaryDirectory(prefix="lossviz-offline-") as tmp:
        env = dict(os.environ)
        prefix = _sandbox(mode, Path(tmp), env)
        out = subprocess.run([*prefix, python, "-c", code], capture_output=True, text=True, env=env,
                             timeout=60)
    return out.returncode, out.stdout + out.stderr


@dataclass
class OfflineResult:
    path: Path
    wall_s: float
    problems: list[str] = field(default_factory=list)
    net: str = ""


@dataclass
class OfflineReport:
    mode: str
    notebooks: list[OfflineResult]

    @property
    def ok(self) -> bool:
        return not any(nb.problems for nb in self.notebooks)

    def failures(self) -> list[str]:
        return [f"{nb.path.relative_to(ROOT).as_posix()}: {p}" for nb in self.notebooks for p in nb.problems]


def _check(result: dict, xdg: Path) -> OfflineResult:
    nb, problems = read_result(result)
    res = OfflineResult(Path(result["src"]), result["wall_s"], problems)
    for number, text in output_texts(nb):
        if NET_TAG in text:
            continue
        for line in text.splitlines():
            if NETWORK_OUTPUT.search(line):
                res.problems.append(f"cell {number}: an output mentions the network: {line.strip()}")
    net = tagged(nb, NET_TAG)
    res.net = net[0] if net else ""
    if not res.net.startswith("blocked"):
        res.problems.append(f"the sandbox must block pypi.org:443 inside the kernel, got {res.net!r}")
    font_dir = xdg / "lossviz" / "fonts"
    got = sorted(p.name for p in font_dir.glob("*.otf")) if font_dir.is_dir() else []
    face = FACES.get(res.path.parent.name)
    if face and face not in got:
        res.problems.append(f"the CJK face {face} must be extracted into the fresh {font_dir}, got {got}")
    if result["wall_s"] > NOTEBOOK_BUDGET_S:
        res.problems.append(f"took {result['wall_s']:.0f} s; the budget is {NOTEBOOK_BUDGET_S} s")
    return res


def offline_run(names: Sequence[str] = (), mode: str = "auto", out: Path | None = None,
                log: Callable[[str], None] = print) -> OfflineReport:
    """Execute the notebooks in the sandbox ``mode`` ("auto": the best available); check them."""
    paths = select_notebooks(names)
    if not paths:
        raise SimError(f"no notebooks under {NOTEBOOKS}/<lang>/")
    if mode == "auto":
        modes = available_modes()
        if not modes:
            raise SimError(f"no sandbox works here: neither of {MODES} blocked the probe")
        mode = modes[0]
    with tempfile.TemporaryDirectory(prefix="lossviz-offline-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_"))}
        prefix = _sandbox(mode, work, env)
        log(f"offline-run: {len(paths)} notebook(s), sandbox {mode}, {sys.executable}")
        jobs, caches = [], []
        for path in paths:
            lang = path.parent.name
            xdg = work / "xdg" / f"{lang}-{path.stem}"
            xdg.mkdir(parents=True)
            caches.append(xdg)
            label = path.resolve().relative_to(ROOT).as_posix()
            jobs.append({"src": str(path), "out": str(work / "executed" / lang / path.name),
                         "cwd": str(path.parent), "env": {"XDG_CACHE_HOME": str(xdg)},
                         "pre": [_PROBE], "post": [], "label": label})
        results = run_driver(sys.executable, jobs, work, env, prefix=prefix, timeout=CELL_TIMEOUT_S)
        checked = []
        for path, result, xdg in zip(paths, results, caches, strict=True):
            res = _check(result, xdg)
            res.path = path
            checked.append(res)
        if out is not None:
            shutil.copytree(work / "executed", out, dirs_exist_ok=True)
    return OfflineReport(mode, checked)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.offline_run", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="number, stem, lang/stem or path (default: all)")
    parser.add_argument("--mode", choices=("auto", *MODES), default="auto",
                        help="the sandbox (default: netns where unshare works, else sitecustomize)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="copy the executed notebooks here")
    args = parser.parse_args(argv)
    if args.mode == "netns" and not _netns_works():
        print("offline-run: `unshare --net` + `ip link set lo up` does not work here", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        report = offline_run(args.notebooks, mode=args.mode, out=args.out)
    except SimError as exc:
        print(f"offline-run: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"offline-run: sandbox {report.mode}, total {time.perf_counter() - start:.0f} s")
    if report.ok:
        print(f"offline-run: OK, {len(report.notebooks)} notebook(s); the probe said "
              f"{report.notebooks[0].net!r}")
        return 0
    print("offline-run: FAILED:\n" + "\n".join(f"- {p}" for p in report.failures()), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
