"""Every catalog loss is taught: some notebook source calls it.

A loss counts as taught by ``notebooks/src/NN_name.md`` when that source calls it (or its
closed-form gradient) as a function: ``lossviz.<id>(`` / ``lossviz.<id>_grad(``, through an alias
(``import lossviz as L`` then ``L.<id>(``), or after ``from lossviz import <id>``.  Showing it in
the loss explorer of notebook 11 (``sweep("<id>")``, a dropdown) does not count, nor does a name
in prose or in a table.
"""

from __future__ import annotations

import re
from pathlib import Path

import lossviz

SRC = Path(__file__).resolve().parents[1] / "notebooks" / "src"


def _aliases(text: str) -> set[str]:
    names = {"lossviz"}
    names |= set(re.findall(r"^\s*import\s+lossviz\s+as\s+(\w+)", text, re.M))
    return names


def _imported(text: str) -> set[str]:
    """Names brought in by ``from lossviz import a, b as c`` (the local name of each)."""
    out = set()
    for group in re.findall(r"^\s*from\s+lossviz\s+import\s+\(?([\w\s,]+)\)?", text, re.M):
        for part in group.split(","):
            words = part.split()
            if words:
                out.add(words[-1] if "as" in words else words[0])
    return out


def calls(text: str, loss_id: str) -> bool:
    """Whether ``text`` (a notebook source) calls the loss ``loss_id`` or its gradient."""
    fn = rf"{loss_id}(?:_grad)?\s*\("
    for alias in _aliases(text):
        if re.search(rf"(?<![\w.]){alias}\.{fn}", text):
            return True
    return loss_id in _imported(text) and re.search(rf"(?<![\w.]){fn}", text) is not None


def taught_by(sources: dict[str, str], ids) -> dict[str, list[str]]:
    """``{id: [notebook stems that call it]}`` for every id."""
    return {i: [stem for stem, text in sorted(sources.items()) if calls(text, i)] for i in ids}


def _sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SRC.glob("*.md"))}


def test_every_catalog_id_is_taught():
    mapping = taught_by(_sources(), lossviz.catalog())
    untaught = sorted(i for i, stems in mapping.items() if not stems)
    assert not untaught, f"catalog ids no notebook source calls: {untaught}"


def test_the_mapping_catches_an_untaught_id():
    sources = _sources()
    ids = list(lossviz.catalog()) + ["made_up_loss"]
    mapping = taught_by(sources, ids)
    assert mapping["made_up_loss"] == []
    assert "09_sequence" in mapping["ctc"]


def test_call_patterns():
    assert calls("x = lossviz.huber(a, b)", "huber")
    assert calls("g = lossviz.huber_grad(a, b)", "huber")
    assert calls("import lossviz as L\nL.mse(a, b)", "mse")
    assert calls("from lossviz import mse, dice as D\nmse(a, b)", "mse")
    assert not calls("from lossviz import dice\nmse(a, b)", "mse")
    assert not calls("lossviz.rmse(a, b)", "mse")  # another loss whose name ends the same
    assert not calls("X.sweep('mse')  # the explorer", "mse")
    assert not calls("MSE（`mse`）是均方誤差", "mse")
