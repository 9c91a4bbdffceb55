"""README.zh-TW.md → its catalog table filled in, and README.zh-CN.md generated from it.

    python -m tools.readme          # write both
    python -m tools.readme --check  # exit 1 when either is stale

Only README.zh-TW.md is edited by hand; the zh-CN README is the project's converter
(OpenCC tw2sp + the glossary) applied to it, never hand-edited.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tools.convert import to_zh_cn

ROOT = Path(__file__).resolve().parent.parent
TW = ROOT / "README.zh-TW.md"
CN = ROOT / "README.zh-CN.md"
START, END = "<!-- catalog:start -->", "<!-- catalog:end -->"
SWITCH = {
    "zh-TW": "[简体中文](README.zh-CN.md) · [English](README.md)",
    "zh-CN": "[繁體中文](README.zh-TW.md) · [English](README.md)",
}


def catalog_table() -> str:
    import lossviz
    from lossviz._catalog import FAMILY_NAMES

    rows = ["| id | 名稱 | English | 家族 | PyTorch 對照 | 閉式梯度 |",
            "| --- | --- | --- | --- | --- | --- |"]
    for e in lossviz.catalog().values():
        ref = "✓" if e.reference is not None else "—"
        grad = "✓" if e.grad is not None else "—（見 docstring）"
        family = FAMILY_NAMES[e.family]
        rows.append(f"| `{e.id}` | {e.names['zh-TW']} | {e.names['en']} | {family} | {ref} | {grad} |")
    return "\n".join(rows)


def render() -> tuple[str, str]:
    tw = TW.read_text(encoding="utf-8")
    if START not in tw or END not in tw:
        raise SystemExit(f"{TW.name} must contain {START} and {END}")
    block = f"{START}\n### 損失函數一覽（由 `lossviz.catalog()` 產生）\n\n{catalog_table()}\n{END}"
    tw = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, tw, flags=re.S)
    cn = to_zh_cn(tw).replace(SWITCH["zh-TW"], SWITCH["zh-CN"])
    return tw, cn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.readme", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, exit 1 when stale")
    args = parser.parse_args(argv)
    tw, cn = render()
    stale = [p.name for p, text in ((TW, tw), (CN, cn))
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{name} is stale: run python -m tools.readme", file=sys.stderr)
        return 1 if stale else 0
    TW.write_text(tw, encoding="utf-8")
    CN.write_text(cn, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
