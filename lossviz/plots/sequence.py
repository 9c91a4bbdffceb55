"""Figures and numbers for the sequence notebook (09): the CTC collapse rule and lattice.

Figures (ids in ``lossviz.plots.FIGURES``):

* ``ctc_lattice`` — the CTC lattice of a toy example (T = 5 frames, classes blank/a/b, target
  "ab"): rows are the extended labels l' = (-, a, -, b, -), columns the frames; each node is
  coloured by its posterior occupancy γ_t(s) (the share of p(l | x) carried by the paths that
  sit in l'_s at frame t) and the most probable single path is drawn on top in red.  Slider:
  the sharpness β that multiplies the fixed frame logits before log_softmax
  (β = 0: every class equally likely).

The lattice numbers come from the α/β recursions of :mod:`lossviz.sequence` (the same code as
:func:`lossviz.ctc` and :func:`lossviz.ctc_grad`); nothing here re-implements them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import _checks
from .. import sequence as Q
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "ctc_frame": {"zh-TW": "時間步 t", "zh-CN": "时间步 t", "en": "time step t"},
    "ctc_ext": {"zh-TW": "擴充標籤 l′", "zh-CN": "扩充标签 l′", "en": "extended label l′"},
    "ctc_lattice_title": {"zh-TW": "CTC 網格：顏色 = 經過該點的機率佔比 γ_t(s)",
                          "zh-CN": "CTC 网格：颜色 = 经过该点的概率占比 γ_t(s)",
                          "en": "CTC lattice: colour = posterior occupancy γ_t(s)"},
})

BLANK_SYMBOL = "-"
SYMBOLS = (BLANK_SYMBOL, "a", "b")  # class 0 is the blank
# Fixed frame logits (T = 5, classes -, a, b): frames 0-1 lean to a, frame 2 to blank, 3-4 to b.
TOY_LOGITS = np.array([
    [0.0, 1.5, -0.5],
    [0.5, 1.0, 0.0],
    [1.0, 0.0, 0.0],
    [0.0, -0.5, 1.2],
    [0.8, 0.0, 1.0],
])
TOY_TARGET = (1, 2)  # "ab"


def collapse(path: Sequence[int], blank: int = 0) -> tuple[int, ...]:
    """The CTC collapse B(π): merge runs of the same class, then drop the blanks.

    ``collapse([1, 1, 0, 1, 2])`` is ``(1, 1, 2)``: the blank between the two 1s keeps them apart.
    """
    path = [int(_checks.number("path[i]", c, low=0, integer=True)) for c in path]
    return tuple(c for c, _run in itertools.groupby(path) if c != blank)


def spell(labels: Sequence[int], symbols: Sequence[str] = SYMBOLS) -> str:
    """Classes as text: ``spell((1, 0, 2))`` is ``"a-b"``; the empty sequence is ``"∅"``."""
    return "".join(symbols[int(c)] for c in labels) or "∅"


def min_frames(target: Sequence[int]) -> int:
    """The fewest frames a CTC alignment of ``target`` needs: U plus the adjacent repeats.

    Each label takes a frame, and two equal neighbours need a blank frame between them.
    """
    target = [int(c) for c in target]
    return len(target) + sum(a == b for a, b in zip(target[:-1], target[1:], strict=True))


def toy_log_probs(sharpness: float) -> torch.Tensor:
    """(T, C) float64 log-probabilities log_softmax(β · TOY_LOGITS)."""
    beta = _checks.number("sharpness", sharpness, low=0.0)
    return torch.log_softmax(beta * torch.as_tensor(TOY_LOGITS, dtype=torch.float64), dim=-1)


def lattice(log_probs: torch.Tensor, target: Sequence[int], blank: int = 0) -> dict:
    """The CTC lattice of one sample: ``log_probs`` (T, C), ``target`` a sequence of labels.

    Returns ``ext`` (the 2U + 1 extended labels), ``alpha`` (T, 2U + 1) forward probabilities
    (the emission at t included), ``occupancy`` (T, 2U + 1) posterior γ_t(s) (each frame's row
    sums to 1 when p > 0), ``p`` = p(l | x), and ``best`` — the state index of the most
    probable single path at each frame (Viterbi over the same lattice).
    """
    _checks.tensor("log_probs", log_probs)
    _checks.ndim("log_probs", log_probs, (2,))
    lp = log_probs.to(torch.float64)
    tgt = torch.as_tensor(list(target), dtype=torch.long)
    prep = Q._ctc_inputs(lp.unsqueeze(1), tgt.unsqueeze(0), (lp.shape[0],), (len(tgt),), blank)
    logp, alpha = Q._ctc_forward(prep, keep_all=True)
    beta = Q._ctc_backward(prep)
    a, b = alpha[:, 0], beta[:, 0]
    occ = torch.exp(a + b - logp[0]) if torch.isfinite(logp[0]) else torch.zeros_like(a)
    return dict(ext=prep["ext"][0].tolist(), alpha=a.exp().numpy(), occupancy=occ.numpy(),
                p=float(logp[0].exp()), best=_viterbi(prep["e"][:, 0].numpy(), prep["skip"][0].numpy()))


def _viterbi(e: np.ndarray, skip: np.ndarray) -> list[int]:
    """The most probable lattice path (state per frame) by max-product over the α moves.

    ``e`` (T, L) log emissions of the extended labels, ``skip`` (L,) where the s-2 -> s move is allowed.
    """
    T, L = e.shape
    score = np.full(L, -np.inf)
    score[: min(2, L)] = e[0, : min(2, L)]
    back = []
    for step in range(1, T):
        cand = np.full((3, L), -np.inf)
        cand[0] = score
        cand[1, 1:] = score[:-1]
        cand[2, 2:] = np.where(skip[2:], score[:-2], -np.inf)
        arg = cand.argmax(0)
        back.append(arg)
        score = cand[arg, np.arange(L)] + e[step]
    s = L - 1 if L == 1 or score[L - 1] >= score[L - 2] else L - 2
    path = [s]
    for arg in reversed(back):
        s -= int(arg[s])
        path.append(s)
    return path[::-1]


@register("ctc_lattice")
def ctc_lattice_figure(lang: str = "zh-TW", *, sharpness: float = 1.0, dpi: int = 80) -> LiveFigure:
    """The toy lattice: nodes coloured by γ_t(s), allowed moves grey, the best path on top."""
    T = TOY_LOGITS.shape[0]
    base = lattice(toy_log_probs(1.0), TOY_TARGET)
    ext = base["ext"]
    L = len(ext)
    reach = base["occupancy"] > 0  # nodes on at least one complete path (same for every β)
    fig = Figure(figsize=(7.0, 3.8), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    skip = [s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2] for s in range(L)]
    for tt in range(T - 1):
        for s in range(L):
            for k in (0, 1, 2):
                if s - k >= 0 and (k < 2 or skip[s]) and reach[tt, s - k] and reach[tt + 1, s]:
                    ax.plot([tt, tt + 1], [s - k, s], "-", color="0.8", lw=1, zorder=1)
    tt, ss = np.nonzero(np.ones((T, L)))
    nodes = ax.scatter(tt, ss, c=np.zeros(T * L), s=420, cmap="Blues", vmin=0, vmax=1,
                       edgecolors=np.where(reach.ravel(), "0.3", "0.85"), zorder=2)
    (best,) = ax.plot([], [], "-", color="C3", lw=2.5, zorder=3)
    ax.set(xlim=(-0.5, T - 0.5), ylim=(L - 0.5, -0.5), xticks=range(T),
           yticks=range(L), yticklabels=[SYMBOLS[c] for c in ext],
           xlabel=t("ctc_frame", lang), ylabel=t("ctc_ext", lang), title=t("ctc_lattice_title", lang))
    fig.colorbar(nodes, ax=ax, shrink=0.8)
    readout = ax.text(1.02, -0.16, "", transform=ax.transAxes, va="top", ha="right", fontsize=9,
                      family="monospace")

    def update(*, sharpness: float) -> None:
        lat = lattice(toy_log_probs(sharpness), TOY_TARGET)
        nodes.set_array(lat["occupancy"].ravel())
        best.set_data(range(T), lat["best"])
        path = [ext[s] for s in lat["best"]]
        readout.set_text(f"β = {sharpness:.2f}   p(ab|x) = {lat['p']:.4f}   loss = {-np.log(lat['p']):.3f}   "
                         f"best path {spell(path)} → {spell(collapse(path))}")

    sliders = (Slider("sharpness", "β", 0.0, 5.0, 0.1, sharpness),)
    return LiveFigure(fig, sliders, update, [nodes, best, readout], dpi=dpi)
