r"""Sequence losses: CTC (connectionist temporal classification) and token-level cross entropy.

``ctc`` scores an unsegmented label sequence against per-frame class log-probabilities by
summing the probability of every frame-level alignment that collapses to it.  ``ctc_grad``
takes the same arguments and returns d(reduced loss)/d(log_probs) in closed form, from the
forward–backward (α, β) recursions.  ``sequence_ce`` is :func:`cross_entropy` over the
tokens of (N, T, C) decoder logits.

Notation used throughout (one sample; ``b`` is the blank index):

* target :math:`l = (l_1, \dots, l_U)`; extended target
  :math:`l' = (b, l_1, b, l_2, \dots, b, l_U, b)` of length :math:`2U + 1`;
* :math:`y_t(c) = \exp(\text{log\_probs}[t, c])`, :math:`t = 0, \dots, T - 1`;
* a path :math:`\pi \in \{0..C-1\}^T` collapses to :math:`l` by merging repeats, then
  dropping blanks; :math:`p(l \mid x) = \sum_{\pi \to l} \prod_t y_t(\pi_t)`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from . import _checks
from ._reduce import reduce, scale
from ._stable import logsumexp
from .classification import cross_entropy, cross_entropy_grad

__all__ = ["ctc", "ctc_grad", "sequence_ce", "sequence_ce_grad"]


# --- shared preparation -------------------------------------------------------------
def _ctc_inputs(log_probs, targets, input_lengths, target_lengths, blank):
    """Validate and return everything the recursions need (batched view)."""
    _checks.tensor("log_probs", log_probs)
    _checks.ndim("log_probs", log_probs, (2, 3))
    _checks.non_empty("log_probs", log_probs)
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    T, N, C = lp.shape
    device = lp.device
    _checks.integer_tensor("targets", targets)
    _checks.ndim("targets", targets, (1, 2) if batched else (1,))
    blank = int(_checks.number("blank", blank, low=0, high=C - 1, integer=True))

    T_n = _checks.lengths("input_lengths", input_lengths, N, device)
    U_n = _checks.lengths("target_lengths", target_lengths, N, device)
    _checks.length_range("input_lengths", T_n, T, "log_probs has T frames")
    targets = targets.to(device=device, dtype=torch.long)
    if targets.dim() == 2:
        if targets.shape[0] != N:
            raise ValueError(f"targets must have {N} rows (one per sample), got shape {tuple(targets.shape)}")
        _checks.length_range("target_lengths", U_n, targets.shape[1], "the padded width of targets")
        S = int(U_n.max().item()) if N else 0
        padded = targets[:, :S]
    else:  # 1-D: all targets concatenated
        _checks.length_range("target_lengths", U_n, targets.numel(), "the length of targets")
        total = int(U_n.sum().item())
        if total != targets.numel():
            raise ValueError(
                f"targets must hold sum(target_lengths) = {total} labels when 1-D (concatenated), "
                f"got {targets.numel()}"
            )
        S = int(U_n.max().item()) if N else 0
        starts = torch.cumsum(U_n, 0) - U_n
        idx = (starts[:, None] + torch.arange(S, device=device)).clamp_max(max(total - 1, 0))
        padded = targets[idx] if total else torch.zeros(N, S, dtype=torch.long, device=device)
    in_seq = torch.arange(S, device=device)[None, :] < U_n[:, None]  # (N, S)
    labels = padded[in_seq]
    _checks.class_indices("targets", labels, C)
    _checks.no_blank("targets", labels, blank)

    # extended labels l' = (b, l1, b, l2, ..., b, lU, b); padding positions hold the blank
    L = 2 * S + 1
    ext = torch.full((N, L), blank, dtype=torch.long, device=device)
    ext[:, 1::2] = torch.where(in_seq, padded, blank)
    s = torch.arange(L, device=device)
    valid = s[None, :] <= 2 * U_n[:, None]  # positions of l' that exist for each sample
    # a skip s-2 -> s is allowed onto a label that differs from the label two places back
    skip = torch.zeros(N, L, dtype=torch.bool, device=device)
    if L > 3:
        skip[:, 3::2] = ext[:, 3::2] != ext[:, 1:-2:2]
    # emissions gathered once, outside the time loop: e[t, n, s] = log y_t(l'_s)
    e = lp.gather(2, ext.unsqueeze(0).expand(T, N, L))
    return dict(lp=lp, batched=batched, T=T, N=N, C=C, L=L, T_n=T_n, U_n=U_n, ext=ext, valid=valid,
                skip=skip, e=e)


def _ctc_forward(p, keep_all: bool):
    """α recursion in log space.  Returns (log p per sample, α of every frame or None).

    α_t(s) = log Σ over path prefixes π_0..π_t that emit l'_1..l'_s and end in l'_s, of
    Π_{τ ≤ t} y_τ(π_τ) — it INCLUDES the emission at t.  For t ≥ T_n, α is held at its value
    at T_n − 1 so the readout below can be taken after the last frame for every sample.
    """
    e, skip, valid, T_n, U_n = p["e"], p["skip"], p["valid"], p["T_n"], p["U_n"]
    T, N, L = e.shape
    ninf = float("-inf")
    s = torch.arange(L, device=e.device)
    # additive mask: 0 where the skip s-2 -> s is allowed, -inf where not
    skip_bias = torch.zeros(N, L, dtype=e.dtype, device=e.device).masked_fill(~skip, ninf)
    # start in l'_0 (blank) or l'_1 (first label); needs at least one frame
    start = (s[None, :] < 2) & valid & (T_n[:, None] > 0)
    a = e[0].masked_fill(~start, ninf)
    alphas = [a] if keep_all else None
    ragged = bool((T_n < T).any())
    live = (torch.arange(T, device=e.device)[:, None] < T_n[None, :]).unsqueeze(-1)  # (T, N, 1)
    for t in range(1, T):
        buf = F.pad(a, (2, 0), value=ninf)  # buf[:, s + 2 - k] = α_{t-1}(s - k)
        new = logsumexp(torch.stack([a, buf[:, 1:-1], buf[:, :-2] + skip_bias])) + e[t]
        a = torch.where(live[t], new, a) if ragged else new
        if keep_all:
            alphas.append(a)
    # readout: end in the last label l'_{2U-1} or in the final blank l'_{2U}
    last = (2 * U_n).unsqueeze(1)
    end_blank = a.gather(1, last).squeeze(1)
    end_label = a.gather(1, (last - 1).clamp_min(0)).squeeze(1).masked_fill(U_n == 0, ninf)
    logp = logsumexp(torch.stack([end_blank, end_label]))
    # no frames: the empty alignment gives p = 1 for an empty target, 0 otherwise
    empty = torch.zeros_like(logp).masked_fill(U_n > 0, ninf)
    logp = torch.where(T_n == 0, empty, logp)
    return logp, (torch.stack(alphas) if keep_all else None)


def _ctc_backward(p) -> torch.Tensor:
    """β recursion in log space, β_t(s) EXCLUDING the emission at t:

    β_t(s) = log Σ over path suffixes π_{t+1}..π_{T_n−1} that continue from l'_s at t and
    finish the target, of Π_{τ > t} y_τ(π_τ).  So β_{T_n−1}(s) = 0 for s ∈ {2U − 1, 2U}
    and −inf elsewhere, and
    β_t(s) = lse(β_{t+1}(s) + e_{t+1}(s), β_{t+1}(s+1) + e_{t+1}(s+1),
                 [skip allowed onto s+2] β_{t+1}(s+2) + e_{t+1}(s+2)).
    For t ≥ T_n, β = −inf (those frames lie past the end of the sample).
    """
    e, skip, valid, T_n, U_n = p["e"], p["skip"], p["valid"], p["T_n"], p["U_n"]
    T, N, L = e.shape
    ninf = float("-inf")
    s = torch.arange(L, device=e.device)
    two_u = (2 * U_n)[:, None]
    ends = ((s[None, :] == two_u) | (s[None, :] == two_u - 1)) & valid
    init = torch.zeros(N, L, dtype=e.dtype, device=e.device).masked_fill(~ends, ninf)
    # skip_bias_next[:, s] = 0 when the skip s -> s+2 is allowed, i.e. skip[:, s + 2]
    skip_next = torch.zeros_like(skip)
    skip_next[:, : max(L - 2, 0)] = skip[:, 2:]
    skip_bias_next = torch.zeros(N, L, dtype=e.dtype, device=e.device).masked_fill(~skip_next, ninf)
    last = (T_n - 1)[:, None]
    b = init.masked_fill(last != T - 1, ninf)
    betas = [b]
    for t in range(T - 2, -1, -1):
        nb = b + e[t + 1]
        buf = F.pad(nb, (0, 2), value=ninf)  # buf[:, s + k] = β_{t+1}(s + k) + e_{t+1}(s + k)
        new = logsumexp(torch.stack([nb, buf[:, 1:-1], buf[:, 2:] + skip_bias_next]))
        b = torch.where(last == t, init, new.masked_fill(last < t, ninf))
        betas.append(b)
    betas.reverse()
    return torch.stack(betas)


def _ctc_weights(p, reduction: str, dtype) -> torch.Tensor:
    """d(reduced loss)/d(per-sample loss), shape (N,)."""
    w = torch.full((p["N"],), float(scale(p["N"], reduction)), dtype=dtype, device=p["e"].device)
    if reduction == "mean":
        w = w / p["U_n"].clamp_min(1).to(dtype)
    return w


# --- CTC ----------------------------------------------------------------------------
def ctc(log_probs: torch.Tensor, targets: torch.Tensor, input_lengths, target_lengths, blank: int = 0, *,
        reduction: str = "mean", zero_infinity: bool = False) -> torch.Tensor:
    r"""Connectionist temporal classification loss, like ``F.ctc_loss`` (same values).

    Per sample: :math:`\ell = -\log p(l \mid x) = -\log \sum_{\pi \in \mathcal B^{-1}(l)}
    \prod_{t=0}^{T_n-1} y_t(\pi_t)`, computed by the forward recursion in log space
    (vectorised over the batch and the :math:`2U + 1` extended positions, looping over time):

    .. math::
        \alpha_t(s) = \operatorname{lse}\big(\alpha_{t-1}(s), \alpha_{t-1}(s-1),
        [l'_s \ne b,\ l'_s \ne l'_{s-2}]\ \alpha_{t-1}(s-2)\big) + \log y_t(l'_s),

    :math:`\log p = \operatorname{lse}(\alpha_{T_n-1}(2U), \alpha_{T_n-1}(2U-1))`.  Sums of
    probabilities become log-sum-exp (:math:`\log(e^a + e^b) = m + \log(e^{a-m} + e^{b-m})`,
    :math:`m = \max(a, b)`), so nothing underflows even at log-probabilities of −200.

    Shapes: ``log_probs`` (T, N, C) (or (T, C) for one unbatched sample); ``targets`` (N, S)
    padded, or 1-D with all targets concatenated (length ``sum(target_lengths)``);
    ``input_lengths`` and ``target_lengths`` integer tensors or tuples/lists of N ints.
    Targets may not contain ``blank``.  ``log_probs`` is used as given (normally the output
    of ``log_softmax``); it is not renormalised.

    ``'none'`` gives the N per-sample losses; ``'sum'`` adds them; ``'mean'`` is PyTorch's:
    each sample's loss is first divided by its target length (at least 1), then those are
    averaged over the batch — so ``'mean'`` is NOT ``'none'``'s mean.  ``reduction`` and
    ``zero_infinity`` are keyword-only here (positional in ``F.ctc_loss``).

    Impossible alignments (e.g. fewer frames than ``U`` plus the number of repeated
    neighbours in the target) have :math:`p = 0` and loss ``+inf``; ``zero_infinity=True``
    replaces those losses by 0.  Their gradient is 0 either way (:math:`p = 0` whatever
    ``log_probs`` holds); PyTorch returns NaN gradients there unless ``zero_infinity=True``.

    Gradient (see :func:`ctc_grad`): the true partial derivative with respect to
    ``log_probs``, :math:`-\gamma_t(c)`, where :math:`\gamma_t(c)` is the posterior
    probability that frame t emits c.
    """
    _checks.reduction(reduction)
    p = _ctc_inputs(log_probs, targets, input_lengths, target_lengths, blank)
    logp, _ = _ctc_forward(p, keep_all=False)
    nll = -logp
    if zero_infinity:
        nll = torch.where(torch.isposinf(nll), torch.zeros_like(nll), nll)
    if not p["batched"]:
        nll = nll.squeeze(0)
    if reduction == "mean":
        return reduce(nll / p["U_n"].clamp_min(1).to(nll.dtype).reshape(nll.shape), "mean")
    return reduce(nll, reduction)


def ctc_grad(log_probs: torch.Tensor, targets: torch.Tensor, input_lengths, target_lengths, blank: int = 0, *,
             reduction: str = "mean", zero_infinity: bool = False) -> torch.Tensor:
    r"""d(reduced CTC loss)/d(log_probs) in closed form, by forward–backward.

    With α including the emission at t and β excluding it (see ``_ctc_forward``/``_ctc_backward``),
    :math:`\alpha_t(s) + \beta_t(s)` is the log of the total probability of the complete paths
    that sit in :math:`l'_s` at frame t, for every t < T_n, and the product contains
    :math:`y_t(l'_s)` exactly once, so

    .. math::
        \frac{\partial(-\log p)}{\partial \log y_t(c)}
        = -\sum_{s:\ l'_s = c} \frac{e^{\alpha_t(s) + \beta_t(s)}}{p} = -\gamma_t(c),

    the posterior occupation of class c at frame t (Σ_c γ_t(c) = 1 for t < T_n; 0 for
    t ≥ T_n).  Each sample is scaled by the reduction (``'mean'``: 1 / (N · max(U_n, 1))).
    Impossible samples (p = 0) get 0.

    This is the TRUE partial derivative.  ``F.ctc_loss``'s backward instead returns
    :math:`y_t(c) - \gamma_t(c)`, the gradient it would have through a preceding
    ``log_softmax``; both give the same gradient with respect to the logits.
    """
    _checks.reduction(reduction)
    p = _ctc_inputs(log_probs, targets, input_lengths, target_lengths, blank)
    with torch.no_grad():
        logp, alpha = _ctc_forward(p, keep_all=True)
        beta = _ctc_backward(p)
        ok = torch.isfinite(logp)
        logp0 = torch.where(ok, logp, torch.zeros_like(logp))
        gamma = torch.exp(alpha + beta - logp0[None, :, None])  # (T, N, L); 0 where impossible
        w = _ctc_weights(p, reduction, gamma.dtype) * ok.to(gamma.dtype)
        T, N, L = gamma.shape
        g = torch.zeros_like(p["lp"])
        g.scatter_add_(2, p["ext"].unsqueeze(0).expand(T, N, L), gamma)
        g = -g * w[None, :, None]
    return g if p["batched"] else g.squeeze(1)


# --- sequence cross entropy (family "sequence") ----------------------------------------
def _sequence_ce_inputs(input, target):
    _checks.tensor("input", input)
    _checks.ndim("input", input, (3,))
    _checks.integer_tensor("target", target)
    _checks.same_shape("input without its class dimension (N, T)", input[..., 0], "target", target)


def sequence_ce(input: torch.Tensor, target: torch.Tensor, *, weight: torch.Tensor | None = None,
                ignore_index: int = -100, label_smoothing: float = 0.0,
                reduction: str = "mean") -> torch.Tensor:
    r"""Token-level cross entropy for sequences (language models, seq2seq decoders).

    ``input`` holds logits of shape (N, T, C) — batch, time, vocabulary, the layout a
    decoder produces — and ``target`` token ids of shape (N, T), padded with
    ``ignore_index``.  Equal to
    ``F.cross_entropy(input.reshape(-1, C), target.reshape(-1), ...)`` (note: F.cross_entropy
    itself wants the classes in dim 1, i.e. (N, C, T)).
    Per token: :math:`\ell_{n,t} = -\sum_c w_c q_c \log\mathrm{softmax}(x_{n,t})_c` as in
    :func:`cross_entropy`, 0 at padding.  ``'none'`` returns the (N, T) matrix with zeros
    at padding; ``'mean'`` averages over the non-padded tokens (weighted by
    :math:`w_{y}` when ``weight`` is given, as PyTorch), so it is not ``l.mean()`` when
    there is padding; ``'sum'`` adds all tokens.
    The per-token mean is what perplexity is built from: ``exp(mean loss)``.

    Gradient: per token as :func:`cross_entropy`,
    :math:`(\sum_c w_c q_c)\,p_j - w_j q_j`, zero at padding.
    """
    _sequence_ce_inputs(input, target)
    N, T, C = input.shape
    out = cross_entropy(input.reshape(-1, C), target.reshape(-1), weight, ignore_index=ignore_index,
                        reduction=reduction, label_smoothing=label_smoothing)
    return out.reshape(N, T) if reduction == "none" else out


def sequence_ce_grad(input: torch.Tensor, target: torch.Tensor, *, weight: torch.Tensor | None = None,
                     ignore_index: int = -100, label_smoothing: float = 0.0,
                     reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`sequence_ce`)/d(input) in closed form:
    per token :math:`(\sum_c w_c q_c)\,p_j - w_j q_j`, 0 at padding.

    ``'mean'`` divides by the (weighted) count of non-padded tokens, as the loss.
    """
    _sequence_ce_inputs(input, target)
    C = input.shape[-1]
    g = cross_entropy_grad(input.reshape(-1, C), target.reshape(-1), weight, ignore_index=ignore_index,
                           reduction=reduction, label_smoothing=label_smoothing)
    return g.reshape(input.shape)
