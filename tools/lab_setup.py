"""What `make install` sets up for `make lab` in the environment (``sys.prefix``), not the user's home.

    python -m tools.lab_setup              # into this interpreter's prefix (the .venv)
    python -m tools.lab_setup --prefix P   # into P/share/jupyter/...

1. The kernelspec ``python3`` of this interpreter, displayed as the notebooks name it
   (``tools.build_notebooks.KERNEL_DISPLAY_NAME``, the same in both scripts), so JupyterLab shows
   that name and never rewrites the notebooks' ``kernelspec`` on save.  The name stays
   ``python3``: Colab, nbclient and nbval look for it.
2. ``share/jupyter/lab/settings/overrides.json``: JupyterLab 4's default for the notification
   plugin becomes "never fetch news, never check for updates", so the lab opens without the
   "get official Jupyter news?" pop-up and makes no request of its own (a user can still change it
   in Settings; user settings win over overrides).  Other keys of an existing overrides.json stay.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .build_notebooks import KERNELSPEC

NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"
OVERRIDES = {NOTIFICATION_PLUGIN: {"fetchNews": "false", "checkForUpdates": False}}

__all__ = ["OVERRIDES", "overrides_path", "write_overrides", "install_kernelspec", "main"]


def overrides_path(prefix: Path) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_overrides(prefix: Path) -> Path:
    """Merge :data:`OVERRIDES` into ``<prefix>/share/jupyter/lab/settings/overrides.json``."""
    path = overrides_path(prefix)
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if not isinstance(current, dict):
        raise ValueError(f"{path} must hold a JSON object, got {type(current).__name__}")
    for plugin, values in OVERRIDES.items():
        current[plugin] = {**current.get(plugin, {}), **values}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def install_kernelspec(prefix: Path) -> Path:
    """The ``python3`` kernelspec of this interpreter under ``<prefix>/share/jupyter/kernels/``."""
    from ipykernel.kernelspec import install

    return Path(install(kernel_name=KERNELSPEC["name"], display_name=KERNELSPEC["display_name"],
                        prefix=str(prefix)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lab_setup", description=__doc__.split("\n")[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix), help="default: sys.prefix")
    args = parser.parse_args(argv)
    where = install_kernelspec(args.prefix)
    print(f"kernelspec {KERNELSPEC['name']} ({KERNELSPEC['display_name']}): {where}")
    print(f"JupyterLab settings overrides: {write_overrides(args.prefix)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
