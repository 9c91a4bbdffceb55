"""Every notebook, both scripts, with the network unavailable (tools/offline_run.py).

The session fixture executes every committed notebook in this environment inside a sandbox
without network (``unshare --net`` with only loopback up; else a ``sitecustomize`` that refuses
every non-loopback address), each notebook with a fresh empty ``XDG_CACHE_HOME``.  A machine
where no sandbox works skips these tests with the reason; under ``CI=true`` that is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tools import colab_sim, nbrun, offline_run

IN_CI = os.environ.get("CI", "").lower() == "true"
NOTEBOOKS = nbrun.all_notebooks()
IDS = [f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS]


@pytest.fixture(scope="session")
def modes() -> list[str]:
    found = offline_run.available_modes()
    if not found:
        reason = "no network sandbox works here: neither `unshare --net` nor the sitecustomize block"
        if IN_CI:
            pytest.fail(f"CI must be able to run the notebooks offline: {reason}")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def offline_report(modes) -> offline_run.OfflineReport:
    return offline_run.offline_run(mode=modes[0], log=print)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_offline(offline_report, path):
    found = [nb for nb in offline_report.notebooks if nb.path == path]
    assert len(found) == 1, f"{path} must have been executed once, got {len(found)}"
    res = found[0]
    assert not res.problems, f"{path.name} offline ({offline_report.mode}):\n" + "\n".join(res.problems)
    assert res.net.startswith("blocked"), res.net


def test_unshare_is_used_where_root_can_make_a_namespace(modes):
    if os.geteuid() == 0 and offline_run._netns_works():
        assert modes[0] == "netns"


@pytest.mark.parametrize("mode", offline_run.MODES)
def test_the_probe_fails_inside_each_sandbox(modes, mode):
    if mode not in modes:
        pytest.skip(f"the {mode} sandbox does not work here (available: {modes})")
    status, printed = offline_run.probe_command(mode)
    assert status == 0, printed
    assert f'{offline_run.NET_TAG}"blocked' in printed, printed


def test_the_sitecustomize_block_refuses_an_address_and_keeps_loopback():
    # pypi.org resolved out here (a registry this machine may reach); inside, a bare address
    # must be refused before any packet leaves, while a loopback server still answers.
    try:
        address = socket.getaddrinfo("pypi.org", 443, type=socket.SOCK_STREAM)[0][4][0]
    except OSError:
        address = "127.0.0.2"  # no resolver here: only the loopback half below is meaningful
    code = f"""
import socket, threading
server = socket.create_server(("127.0.0.1", 0))
port = server.getsockname()[1]
threading.Thread(target=lambda: server.accept()[0].sendall(b"ok"), daemon=True).start()
with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
    print("loopback", conn.recv(2).decode())
s = socket.socket()
try:
    s.connect(({address!r}, 443))
    print("outside connected")
except OSError as exc:
    print("outside refused", exc)
print("connect_ex", socket.socket().connect_ex(({address!r}, 443)) != 0)
"""
    status, printed = offline_run.probe_command("sitecustomize", code=code)
    assert status == 0, printed
    assert "loopback ok" in printed, printed
    if address != "127.0.0.2":
        assert "outside refused" in printed and "blocked by lossviz" in printed, printed
        assert "connect_ex True" in printed, printed


def test_the_sitecustomize_block_reaches_child_python_processes():
    code = ("import subprocess, sys; print(subprocess.run([sys.executable, '-c', "
            "'import socket; print(socket.getaddrinfo.__module__)'], capture_output=True, text=True).stdout)")
    status, printed = offline_run.probe_command("sitecustomize", code=code)
    assert status == 0 and "sitecustomize" in printed, printed


def test_cli_refuses_an_unknown_mode():
    out = subprocess.run([sys.executable, "-m", "tools.offline_run", "--mode", "wifi"], capture_output=True,
                         text=True, cwd=colab_sim.ROOT)
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_check_catches_a_download_an_error_and_an_open_network(tmp_path):
    import json

    cells = [
        {"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": offline_run.NET_TAG + json.dumps("connected") + "\n"}]},
        {"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stderr", "text": "Downloading: \"https://example.invalid/w.pth\"\n"}]},
        {"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "error", "ename": "URLError", "evalue": "<urlopen error [Errno -3]>", "traceback": []}]},
    ]
    out = tmp_path / "executed.ipynb"
    out.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    src = colab_sim.ROOT / "notebooks" / "zh-CN" / "01_x.ipynb"
    result = {"src": str(src), "out": str(out), "wall_s": 61.0, "error": None}
    problems = "\n".join(offline_run._check(result, tmp_path / "xdg").problems)
    for expected in ("URLError", "mentions the network: Downloading", "must block pypi.org",
                     "NotoSansCJKSC-Regular.otf", "budget is 60 s"):
        assert expected in problems, (expected, problems)
