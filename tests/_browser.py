"""Helpers for tests/test_browser.py: headless Chromium through Playwright, a JupyterLab server,
a static HTTP server, and what to do when no browser can run.

Set-up (done by ``make test``'s install step): ``sh tools/install_browser.sh`` installs Debian's
``chromium`` (and the Noto CJK fonts) as root; the ``playwright`` Python package comes with the dev
extra.  Playwright drives that Chromium through ``executable_path``: no browser download.
Without them the browser tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("LOSSVIZ_CHROMIUM", "/usr/bin/chromium"))
# No background traffic: the machine's closed network refuses it, and the tests forbid it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
SETUP_HINT = "run `sh tools/install_browser.sh` (as root) and `pip install playwright`"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str) -> None:
    """Skip (the browser cannot run here) -- or fail when CI=true, where it must run."""
    if in_ci():
        pytest.fail(f"{reason}; CI=true, so the browser tests must run: {SETUP_HINT}", pytrace=False)
    pytest.skip(f"{reason} ({SETUP_HINT})")


def browser_problem() -> str | None:
    """Why no browser can run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed"
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        return f"{CHROMIUM} is missing" + ("" if root else " and we are not root, so it cannot be installed")
    return None


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium (Playwright ``Browser``), or skip / fail as :func:`unavailable` says."""
    problem = browser_problem()
    if problem:
        unavailable(problem)
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"{CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


def cjk_families(lang: str) -> set[str] | None:
    """Font families fontconfig (hence Chromium) has for ``lang`` ("zh-TW"); None without fc-list."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    out = subprocess.run([fc_list, f":lang={lang.lower()}", "family"], capture_output=True, text=True,
                         check=False).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def platform_fonts(page, selector: str) -> list[str]:
    """The font families Chromium really used to draw the text of the first ``selector``."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            return []
        return [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    finally:
        cdp.detach()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def artifact(*parts: str) -> Path:
    path = ARTIFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# A page's console errors and requests
# ---------------------------------------------------------------------------------------------


class PageLog:
    """Console errors, page errors, failed and blocked requests of one Playwright page.

    Every request whose URL does not start with one of ``allowed`` is aborted and recorded.
    """

    def __init__(self, page, allowed: tuple[str, ...]):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.blocked: list[str] = []
        self.allowed = allowed
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on("response", self._response)
        page.route("**/*", self._route)

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"console.error: {msg.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.allowed) or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def assert_clean(self, where: str) -> None:
        """No request to another host, no failed request, no console or page error on ``where``."""
        assert not self.blocked, f"{where}: requests to other hosts: {self.blocked}"
        assert not self.failed, f"{where}: failed requests: {self.failed}"
        assert not self.errors, f"{where}: console errors: {self.errors}"

    def clear(self) -> None:
        self.errors.clear()
        self.failed.clear()
        self.blocked.clear()


# ---------------------------------------------------------------------------------------------
# A static file server on localhost
# ---------------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving ``folder`` from a thread."""
    handler = lambda *a, **kw: _QuietHandler(*a, directory=str(folder), **kw)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------
# JupyterLab
# ---------------------------------------------------------------------------------------------

# User settings for the test server: no autosave (the run must never write a notebook), every cell
# in the DOM (no windowing), and nothing fetched from the network.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}


class JupyterLab:
    """``python -m jupyter lab`` from this environment on a free localhost port, with a token.

    ``root``: the folder it serves.  ``python_path``: PYTHONPATH for the server and its kernels.  Its runtime, config, data, settings and workspace folders
    are fresh ones under ``home``, so nothing of the user's Jupyter set-up (or this run) leaks.
    """

    def __init__(self, root: Path, home: Path, python_path: str | None = None):
        self.root = Path(root)
        self.home = Path(home)
        self.python_path = python_path  # PYTHONPATH of the server and its kernels (default: inherited)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = self.home / "jupyterlab.log"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {name: self.home / name for name in ("runtime", "config", "settings", "workspaces", "ipython")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        for plugin, values in LAB_SETTINGS.items():
            target = dirs["settings"] / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")
        env.update(
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
            IPYTHONDIR=str(dirs["ipython"]),
            PYTHONUNBUFFERED="1",
            # two shared cores: one thread per kernel
            OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
        )
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        if self.python_path is not None:
            env["PYTHONPATH"] = self.python_path
        return env

    def command(self) -> list[str]:
        root_user = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        return [
            sys.executable, "-m", "jupyter", "lab", *root_user, "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False",
            f"--LabApp.user_settings_dir={self.home / 'settings'}",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]

    def start(self, timeout: float = 90.0) -> JupyterLab:
        env = self._env()
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(self.command(), cwd=self.home, env=env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer on {self.base} within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method: str, path: str, timeout: float = 10) -> object:
        request = urllib.request.Request(self.base + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel) the browser started."""
        with contextlib.suppress(OSError, urllib.error.URLError):
            for session in self.api("GET", "/api/sessions") or []:
                with contextlib.suppress(OSError, urllib.error.URLError):
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)

    def url(self, path: str, workspace: str) -> str:
        """The JupyterLab URL that opens ``path`` (relative to root) in a new, empty workspace."""
        return f"{self.base}/lab/workspaces/{workspace}/tree/{path}?token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server (its kernels with it); kill its process group if it does not stop."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(OSError, urllib.error.URLError):
            self.shutdown_kernels()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def copy_notebooks(src: Path, dst: Path) -> Path:
    """A scratch copy of ``notebooks/`` for the server: running cells there never touches the repo."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dst


_COUNT = re.compile(r"^\[\d+\]:$")


def prompts_done(prompts: list[str]) -> bool:
    """Every code cell shows an execution count ``[n]:``."""
    return bool(prompts) and all(_COUNT.match(p.strip()) for p in prompts)
