"""The loss explorer (notebook 11): every catalog loss along one input axis, at any parameters.

A **sweep** moves one element of a loss's first argument (the one ``entry.grad`` differentiates)
along an axis while everything else stays at ``entry.example()``'s values:

* the example's first sample is repeated ``n`` times along the batch axis (every argument with
  that batch size is repeated with it), and in sample ``k`` the chosen element is set to
  ``x[k]`` — so one call of the loss with ``reduction='none'`` gives the whole curve;
* the loss curve is the chosen element's own loss when the loss is element-wise, else the
  sample's loss (its row, image, sequence, set);
* the closed-form gradient is ``entry.grad(..., reduction='none')`` (the gradient of the sum)
  read at the chosen element of each sample: d(loss of sample k)/d(x[k]);
* autograd's gradient is computed the same way on a few marker points, independently;
* the PyTorch reference (``entry.reference``), where there is one, on the same batch.

``AXES`` says, per loss, which element moves and over which range (the "natural" axis: the
prediction for regression, the logit of the true class for multi-class losses, ...).

Figures: ``explorer`` (one loss, its parameters as sliders; ``explorer_figure``), the static
grid of all losses at their defaults (``catalog_grid``), and :func:`explorer_widget`, the
ipywidgets front end (family and loss dropdowns, the formula, the sliders).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import _checks
from .._catalog import FAMILIES, FAMILY_NAMES, Entry, catalog
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "ax_prob": {"zh-TW": "機率 p（一個元素）", "zh-CN": "概率 p（一个元素）",
                "en": "probability p (one element)"},
    "ax_pred": {"zh-TW": "預測 x（中央是目標 y）", "zh-CN": "预测 x（中央是目标 y）",
                "en": "prediction x (target y in the middle)"},
    "ax_logit": {"zh-TW": "logit x", "zh-CN": "logit x", "en": "logit x"},
    "ax_true_logit": {"zh-TW": "正確類別的 logit", "zh-CN": "正确类别的 logit",
                      "en": "logit of the true class"},
    "ax_coord": {"zh-TW": "第一個向量的一個座標", "zh-CN": "第一个向量的一个坐标",
                 "en": "one coordinate of the first vector"},
    "ax_score": {"zh-TW": "分數（logit）", "zh-CN": "分数（logit）", "en": "score (logit)"},
    "ax_pixel": {"zh-TW": "一個像素的預測值", "zh-CN": "一个像素的预测值",
                 "en": "one pixel of the prediction"},
    "ax_logprob": {"zh-TW": "log 機率（t = 0，目標的第一個字母）",
                   "zh-CN": "log 概率（t = 0，目标的第一个字母）",
                   "en": "log probability (t = 0, first target label)"},
    "ax_weight": {"zh-TW": "權重 w", "zh-CN": "权重 w", "en": "weight w"},
    "ax_task_loss": {"zh-TW": "第一個任務的損失 L", "zh-CN": "第一个任务的损失 L",
                     "en": "loss L of the first task"},
    "closed_form": {"zh-TW": "閉式梯度", "zh-CN": "闭式梯度", "en": "closed form"},
    "autograd": {"zh-TW": "autograd", "zh-CN": "autograd", "en": "autograd"},
    "autograd_only": {"zh-TW": "autograd（沒有閉式）", "zh-CN": "autograd（没有闭式）",
                      "en": "autograd (no closed form)"},
    "reference": {"zh-TW": "PyTorch 參考", "zh-CN": "PyTorch 参考", "en": "PyTorch reference"},
    "grid_title": {"zh-TW": "目錄裡的每個損失（預設參數）：實線 = 損失，虛線 = 梯度",
                   "zh-CN": "目录里的每个损失（默认参数）：实线 = 损失，虚线 = 梯度",
                   "en": "every catalog loss at its defaults: solid = loss, dashed = gradient"},
})


@dataclass(frozen=True)
class Axis:
    """Which element of the first argument's sample moves, and over which range.

    ``index``: a tuple, or ``"true_class"`` (the sample's target class; for sequences, of its
    first token).  ``center``: ``None`` (``low``/``high`` are absolute), ``"self"`` (around the
    element's example value) or ``"target"`` (around the second argument at the same index).
    """

    label: str
    low: float
    high: float
    index: tuple | str = ()
    center: str | None = None
    simplex: bool = False  # the sample is a distribution: the other entries shrink to keep the sum 1


_PROB = Axis("ax_prob", 0.01, 0.99, (0,))
_SIMPLEX = Axis("ax_prob", 0.01, 0.99, (0,), simplex=True)
_PRED = Axis("ax_pred", -3.0, 3.0, (0,), "target")
_LOGIT = Axis("ax_logit", -6.0, 6.0, (0,))
_TRUE = Axis("ax_true_logit", -6.0, 6.0, "true_class")
_COORD = Axis("ax_coord", -2.5, 2.5, (0,), "self")
_PIXEL = Axis("ax_pixel", 0.01, 0.99, (0, 2, 2))
AXES: dict[str, Axis] = {
    "self_information": _PROB, "entropy": _SIMPLEX, "kl_div": _SIMPLEX,
    "mse": _PRED, "rmse": _PRED, "mae": _PRED, "huber": _PRED, "log_cosh": _PRED, "quantile": _PRED,
    "bce": _PROB, "bce_with_logits": _LOGIT, "focal": _LOGIT, "hinge": Axis("ax_score", -3.0, 3.0, (0,)),
    "cross_entropy": _TRUE, "softmax_focal": _TRUE, "multiclass_hinge": Axis("ax_true_logit", -3.0, 3.0,
                                                                             "true_class"),
    "nce": Axis("ax_score", -6.0, 6.0, ()),
    "contrastive": _COORD, "triplet": _COORD, "infonce": _COORD, "bpr": Axis("ax_score", -6.0, 6.0, (0,)),
    "gan_discriminator": Axis("ax_score", -6.0, 6.0, (0,)),
    "gan_generator": Axis("ax_score", -6.0, 6.0, (0,)),
    "wasserstein_critic": Axis("ax_score", -3.0, 3.0, (0,)),
    "wasserstein_generator": Axis("ax_score", -3.0, 3.0, (0,)),
    "elbo": Axis("ax_pixel", 0.0, 1.0, (0, 0)), "mmd": Axis("ax_coord", -2.5, 2.5, (0, 0), "self"),
    "perceptual": Axis("ax_pixel", -1.0, 2.0, (0, 4, 4)),
    "ctc": Axis("ax_logprob", -6.0, 0.0, (0, 1)), "sequence_ce": _TRUE,
    "dice": _PIXEL, "iou": _PIXEL, "ssim": Axis("ax_pixel", 0.0, 1.0, (0, 7, 7)),
    "l1_penalty": Axis("ax_weight", -3.0, 3.0, (0,)), "l2_penalty": Axis("ax_weight", -3.0, 3.0, (0,)),
    "uncertainty_weighting": Axis("ax_task_loss", 0.0, 5.0, ()),
}
BATCH_AXIS = {"ctc": 1}  # where the first argument keeps its samples (ctc: (T, N, C)); else 0
EXTRA_KWARGS = {"rmse": {"dim": -1}}  # rmse per sample (its default is one RMSE over everything)
N_SWEEP = 200
N_MARKERS = 15


def _entry(loss_id: object) -> Entry:
    entries = catalog()
    if loss_id not in entries:
        raise ValueError(f"loss_id must be a catalog id ({len(entries)} of them, e.g. 'huber'), "
                         f"got {loss_id!r}")
    return entries[loss_id]


def _kwargs(entry: Entry, params: dict) -> dict:
    """The example's kwargs with the slider values put in (checked against the entry's params)."""
    known = {p.name: p for p in entry.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValueError(f"params must name parameters of {entry.id!r} {sorted(known)}, got {unknown}")
    _, kwargs = entry.example()
    kwargs = {**kwargs, **EXTRA_KWARGS.get(entry.id, {})}
    for name, value in params.items():
        p = known[name]
        value = _checks.number(f"params[{name!r}]", value, low=p.low, high=p.high)
        if isinstance(p.default, int):
            value = int(round(value))
        if isinstance(kwargs.get(name), torch.Tensor):  # e.g. pos_weight: one value for every class
            value = torch.full_like(kwargs[name], value)
        kwargs[name] = value
    return kwargs


def _index(entry: Entry, axis: Axis, args: tuple) -> tuple:
    if axis.index != "true_class":
        return axis.index
    target = args[1].reshape(args[1].shape[0], -1)[0, 0]  # class of the first sample (first token)
    return (int(target),) if args[0].dim() == 2 else (0, int(target))


def _batch(entry: Entry, values: torch.Tensor, kwargs: dict) -> tuple[tuple, dict, tuple]:
    """The example's first sample repeated len(values) times, the chosen element set to values."""
    args, _ = entry.example()
    ax = BATCH_AXIS.get(entry.id, 0)
    n_samples, m = args[0].shape[ax] if args[0].dim() else 1, len(values)

    def repeat(a, axis):
        if not isinstance(a, torch.Tensor) or a.dim() <= axis or a.shape[axis] != n_samples:
            return a
        return a.narrow(axis, 0, 1).repeat_interleave(m, dim=axis).clone()

    index = _index(entry, AXES[entry.id], args)
    first = repeat(args[0], ax)
    view = first.movedim(ax, 0)
    if AXES[entry.id].simplex:  # rescale the rest of the (1-D) sample so it still sums to 1
        rest_sum = view.sum(1, keepdim=True) - view[:, index]
        view.mul_((1 - values.to(first.dtype))[:, None] / rest_sum)
    view[(slice(None), *index)] = values.to(first.dtype)
    rest = tuple(repeat(a, 0) for a in args[1:])
    kw = {k: repeat(v, 0) for k, v in kwargs.items()}
    return (first, *rest), kw, index


def _curve(out: torch.Tensor, entry: Entry, swept: torch.Tensor, index: tuple) -> torch.Tensor:
    """Per sample: the chosen element's loss if ``out`` is element-wise, else the sample's loss."""
    sample = swept.movedim(BATCH_AXIS.get(entry.id, 0), 0).shape[1:]
    if out.dim() > 1 and tuple(out.shape[1:]) == tuple(sample[: out.dim() - 1]):
        return out[(slice(None), *index[: out.dim() - 1])]
    return out.reshape(out.shape[0], -1).sum(1)


def _at(g: torch.Tensor, entry: Entry, index: tuple) -> torch.Tensor:
    return g.movedim(BATCH_AXIS.get(entry.id, 0), 0)[(slice(None), *index)]


def _autograd(entry: Entry, values: torch.Tensor, kwargs: dict) -> torch.Tensor:
    args, kw, index = _batch(entry, values, kwargs)
    first = args[0].detach().requires_grad_(True)
    out = entry.fn(first, *args[1:], **kw, reduction="none")
    _curve(out, entry, first, index).sum().backward()
    return _at(first.grad, entry, index).detach()


def axis_range(loss_id: str) -> tuple[float, float]:
    """The (low, high) of the swept element for ``loss_id`` (absolute values)."""
    entry = _entry(loss_id)
    axis = AXES[entry.id]
    if axis.center is None:
        return axis.low, axis.high
    args, _ = entry.example()
    source = args[0] if axis.center == "self" else args[1]
    ax = BATCH_AXIS.get(entry.id, 0) if axis.center == "self" else 0
    c = float(source.movedim(ax, 0)[(0, *_index(entry, axis, args))])
    return c + axis.low, c + axis.high


def sweep(loss_id: str, n: int = N_SWEEP, markers: int = N_MARKERS, **params: float) -> dict:
    """Loss, closed-form gradient, autograd gradient and reference along the loss's axis.

    Returns float64 NumPy arrays: ``x`` (n,), ``loss`` (n,), ``grad`` (n,) (closed form, or
    autograd where the entry has none: ``grad_is_autograd``), ``x_marks`` (markers,),
    ``loss_marks``, ``grad_marks`` (closed form; ``None`` without one), ``autograd`` and
    ``reference`` (or ``None``), each (markers,) at ``x_marks``; ``label``: the axis's text key.
    """
    entry = _entry(loss_id)
    n = int(_checks.number("n", n, low=2, integer=True))
    markers = int(_checks.number("markers", markers, low=2, integer=True))
    kwargs = _kwargs(entry, params)
    lo, hi = axis_range(loss_id)
    x = torch.linspace(lo, hi, n, dtype=torch.float64)
    args, kw, index = _batch(entry, x, kwargs)
    with torch.no_grad():
        loss = _curve(entry.fn(*args, **kw, reduction="none"), entry, args[0], index)
        if entry.grad is not None:
            grad = _at(entry.grad(*args, **kw, reduction="none"), entry, index)
    if entry.grad is None:
        grad = _autograd(entry, x, kwargs)
    # markers: an odd count between grid points, so they rarely sit exactly on a kink
    x_marks = torch.linspace(lo, hi, 2 * markers + 1, dtype=torch.float64)[1::2]
    ref = None
    margs, mkw, _ = _batch(entry, x_marks, kwargs)
    with torch.no_grad():
        loss_marks = _curve(entry.fn(*margs, **mkw, reduction="none"), entry, margs[0], index)
        grad_marks = (None if entry.grad is None
                      else _at(entry.grad(*margs, **mkw, reduction="none"), entry, index).numpy())
    if entry.reference is not None:
        with torch.no_grad():
            if "dim" in mkw:  # rmse: the reference covers one RMSE over everything only
                mkw = {k: v for k, v in mkw.items() if k != "dim"}
                ref = torch.stack([entry.reference(*(a[k:k + 1] for a in margs), **mkw)
                                   for k in range(markers)])
            else:
                ref = _curve(entry.reference(*margs, **mkw, reduction="none"), entry, margs[0], index)
    return dict(x=x.numpy(), loss=loss.numpy(), grad=grad.numpy(), grad_is_autograd=entry.grad is None,
                x_marks=x_marks.numpy(), loss_marks=loss_marks.numpy(), grad_marks=grad_marks,
                autograd=_autograd(entry, x_marks, kwargs).numpy(),
                reference=None if ref is None else ref.numpy(), label=AXES[entry.id].label)


def _limits(values: list[np.ndarray]) -> tuple[float, float]:
    """Fixed y-limits holding most of the curves (extreme tails, like -log p at 0, are clipped)."""
    v = np.concatenate([a[np.isfinite(a)] for a in values])
    lo, hi = np.percentile(v, [1, 99]) if v.size else (0.0, 1.0)
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    pad = 0.08 * (hi - lo or 1.0)
    return float(lo - pad), float(hi + pad)


def _settings(entry: Entry) -> list[dict]:
    """Parameter corners (low/default/high of each) used to fix the axes' limits once."""
    out = [{}]
    for p in entry.params:
        out = [{**s, p.name: v} for s in out for v in (p.low, p.default, p.high)]
    return out


@register("explorer")
def explorer_figure(lang: str = "zh-TW", *, loss_id: str = "focal", dpi: int = 80,
                    **params: float) -> LiveFigure:
    """One loss: loss (and reference markers) left, closed form + autograd markers right."""
    entry = _entry(loss_id)
    sliders = tuple(Slider(p.name, p.name, p.low, p.high, p.step, params.get(p.name, p.default))
                    for p in entry.params)
    corners = [sweep(loss_id, **s) for s in _settings(entry)]
    first = corners[0]
    fig = Figure(figsize=(8.0, 3.4), dpi=dpi, layout="constrained")
    ax_l, ax_g = fig.subplots(1, 2)
    (loss_line,) = ax_l.plot([], [], color="C0", lw=2, label=t("loss", lang))
    (ref_marks,) = ax_l.plot([], [], "o", mfc="none", color="k", ms=6, label=t("reference", lang))
    grad_label = t("autograd_only" if first["grad_is_autograd"] else "closed_form", lang)
    (grad_line,) = ax_g.plot([], [], color="C1", lw=2, label=grad_label)
    (ad_marks,) = ax_g.plot([], [], "x", color="k", ms=6, label=t("autograd", lang))
    xlim = (float(first["x"][0]), float(first["x"][-1]))
    ax_l.set(xlim=xlim, ylim=_limits([c["loss"] for c in corners]), xlabel=t(first["label"], lang),
             title=f"{entry.names[lang if lang in entry.names else 'en']} ({entry.id})")
    ax_g.set(xlim=xlim, ylim=_limits([c["grad"] for c in corners]), xlabel=t(first["label"], lang),
             title=t("gradient", lang))
    for ax in (ax_l, ax_g):
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    if entry.reference is None:
        ref_marks.set_label("_nolegend_")
    ax_l.legend(loc="upper right", fontsize=8)
    ax_g.legend(loc="upper right", fontsize=8)
    readout = ax_l.text(0.02, 0.96, "", transform=ax_l.transAxes, va="top", fontsize=8, family="monospace")

    def update(**values: float) -> None:
        s = sweep(loss_id, **values)
        loss_line.set_data(s["x"], s["loss"])
        grad_line.set_data(s["x"], s["grad"])
        ad_marks.set_data(s["x_marks"], s["autograd"])
        if s["reference"] is not None:
            ref_marks.set_data(s["x_marks"], s["reference"])
        readout.set_text("  ".join(f"{k} = {v:.2f}" for k, v in values.items()))

    return LiveFigure(fig, sliders, update, [loss_line, ref_marks, grad_line, ad_marks, readout], dpi=dpi)


def catalog_grid(lang: str = "zh-TW", *, columns: int = 6, dpi: int = 60) -> Figure:
    """The static companion: every catalog loss once, at its default parameters, by family."""
    entries = catalog()
    rows = -(-len(entries) // columns)
    fig = Figure(figsize=(2.1 * columns, 1.65 * rows + 0.4), dpi=dpi)
    axes = fig.subplots(rows, columns).ravel()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.03, top=0.93, wspace=0.08, hspace=0.42)
    colours = {fam: f"C{i}" for i, fam in enumerate(FAMILIES)}
    for ax, (loss_id, entry) in zip(axes, entries.items(), strict=False):
        s = sweep(loss_id, n=120, **{p.name: p.default for p in entry.params})
        ax.plot(s["x"], s["loss"], color=colours[entry.family], lw=1.6)
        ax.plot(s["x"], s["grad"], color=colours[entry.family], lw=1.2, ls="--")
        ax.set_ylim(*_limits([s["loss"], s["grad"]]))
        ax.axhline(0, color="0.85", lw=0.6, zorder=0)
        ax.set_title(f"{loss_id} · {FAMILY_NAMES[entry.family]}" if lang == "zh-TW" else loss_id,
                     fontsize=8, color=colours[entry.family])
        ax.set_yticks([])  # shapes only: the numbers are in the explorer
        ax.set_xticks(np.linspace(s["x"][0], s["x"][-1], 3))
        ax.xaxis.set_major_formatter("{x:.1f}")
        ax.tick_params(labelsize=6, length=2, pad=1)
    for ax in axes[len(entries):]:
        ax.set_axis_off()
    fig.suptitle(t("grid_title", lang), fontsize=10)
    return fig


def explorer_widget(loss_id: str = "huber", lang: str = "zh-TW"):
    """Family and loss dropdowns, the formula, the loss's parameters as sliders, the figure.

    Uses only what ipywidgets 7.7.1 (Colab) and 8.x share: Dropdown, FloatSlider, HBox/VBox,
    Output, observe, interactive_output.
    """
    import ipywidgets as W
    from IPython.display import Image, Math, clear_output, display

    entries = catalog()
    start = _entry(loss_id)
    name = lang if lang in start.names else "en"

    def loss_options(family):
        return [(f"{e.names[name]} ({i})", i) for i, e in entries.items() if e.family == family]

    family_dd = W.Dropdown(options=[(f"{FAMILY_NAMES[f]} ({f})", f) for f in FAMILIES], value=start.family,
                           description="family")
    loss_dd = W.Dropdown(options=loss_options(start.family), value=loss_id, description="loss",
                         layout=W.Layout(width="420px"))
    formula = W.Output()
    box = W.VBox()

    def build(chosen: str) -> None:
        entry = entries[chosen]
        live = explorer_figure(lang, loss_id=chosen)
        controls = {s.name: W.FloatSlider(value=s.value, min=s.low, max=s.high, step=s.step,
                                          description=s.label, continuous_update=True,
                                          style={"description_width": "initial"})
                    for s in live.sliders}

        def show(**values):
            live.update(**values)
            display(Image(data=live.render_png()))

        plot = W.interactive_output(show, controls)
        plot.layout = W.Layout(height=f"{int(live.fig.get_figheight() * live.dpi) + 20}px", overflow="hidden")
        with formula:
            clear_output(wait=True)
            display(Math(entry.formula))
        box.children = [W.HBox([family_dd, loss_dd]), formula, W.HBox(list(controls.values())), plot]

    def on_family(change) -> None:
        loss_dd.options = loss_options(change["new"])
        loss_dd.value = loss_dd.options[0][1]

    def on_loss(change) -> None:
        if change["new"] is not None:
            build(change["new"])

    family_dd.observe(on_family, names="value")
    loss_dd.observe(on_loss, names="value")
    build(loss_id)
    return box
