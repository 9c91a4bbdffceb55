"""What pip installs and how the unchanged first cell finds it.

A snapshot repository of the code (:func:`snapshot_repository`), a git config that points
``REPOSITORY_URL`` at it (:func:`_redirect_config`), and a fake ``google.colab`` so the first
cell takes the Colab path (:func:`_fake_colab`).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from tools.nbrun import ROOT
from tools.nbrun import RunError as SimError


def repository_url(meta: Path = ROOT / "lossviz" / "_meta.py") -> str:
    """``REPOSITORY_URL`` from lossviz/_meta.py, read without importing lossviz (and torch)."""
    for node in ast.parse(meta.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "REPOSITORY_URL"):
            return ast.literal_eval(node.value)
    raise SimError(f"{meta}: no REPOSITORY_URL = '...' assignment")


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
