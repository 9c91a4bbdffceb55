"""What an exercise checker reports (:class:`Result`) and its message lookup; shared by
lossviz._check_loss and lossviz.exercises."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from . import _checks
from ._exercise_text import MESSAGES

REDUCTIONS = _checks.REDUCTIONS
# relative tolerance by dtype (absolute below magnitude 1), as the reports state it
TOL = {torch.float64: 1e-6, torch.float32: 1e-4}
TOL_TEXT = {torch.float64: "1e-6", torch.float32: "1e-4"}


def _m(key: str, lang: str, **kw: object) -> str:
    return MESSAGES[key][lang].format(**kw)


# ---------------------------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What a checker found: ``ok`` (all right), ``answered`` and ``problems`` (sentences).

    ``str(result)`` and the notebook display are a short report without any number that
    could differ between machines.
    """

    title: str
    ok: bool
    answered: bool
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    lang: str = "zh-TW"

    def _head(self) -> str:
        key = "ok" if self.ok else ("unanswered" if not self.answered else "wrong")
        return _m(key, self.lang, title=self.title)

    def _lines(self) -> list[str]:
        lines = list(self.problems)
        if self.ok and self.checked:
            lines.append(_m("checked", self.lang, items=_m("list_sep", self.lang).join(self.checked)))
        return lines

    def __str__(self) -> str:
        return "\n".join([self._head(), *(f"  - {line}" for line in self._lines())])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        mark = "✅" if self.ok else ("✏️" if not self.answered else "❌")
        return "\n".join([f"{mark} **{self._head()}**", "", *(f"- {line}" for line in self._lines())])


