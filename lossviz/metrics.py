"""Evaluation numbers the notebooks report next to a loss: precision, recall, average precision.

Small and dependency-free (torch only) so that a notebook needs no scikit-learn; the tests
check each against ``sklearn.metrics``.
"""

from __future__ import annotations

import torch

from . import _checks

__all__ = ["precision_recall", "average_precision"]


def _scores_labels(scores, labels) -> tuple[torch.Tensor, torch.Tensor]:
    scores = torch.as_tensor(scores)
    labels = torch.as_tensor(labels)
    _checks.tensor("scores", scores)
    _checks.ndim("scores", scores, (1,))
    if labels.shape != scores.shape:
        raise ValueError(
            f"labels must have the shape of scores {tuple(scores.shape)}, got {tuple(labels.shape)}"
        )
    _checks.zero_one_labels("labels", labels)
    return scores.detach().double().cpu(), labels.detach().cpu().bool()


def precision_recall(scores, labels, *, threshold: float = 0.5) -> tuple[float, float]:
    """Precision TP/(TP+FP) and recall TP/(TP+FN) of the rule ``score >= threshold``.

    A precision with no positive prediction is 0 (scikit-learn's ``zero_division=0``); a recall
    with no positive label is 0 as well.
    """
    s, y = _scores_labels(scores, labels)
    threshold = _checks.number("threshold", threshold)
    pred = s >= threshold
    tp = (pred & y).sum().item()
    predicted, actual = pred.sum().item(), y.sum().item()
    return (tp / predicted if predicted else 0.0), (tp / actual if actual else 0.0)


def average_precision(scores, labels) -> float:
    r"""Area under the precision–recall steps: :math:`\mathrm{AP} = \sum_k (R_k - R_{k-1})\,P_k`.

    The thresholds are the distinct scores, from the highest down (tied scores enter together);
    :math:`P_k, R_k` are precision and recall when everything scoring at least the k-th
    threshold is called positive, :math:`R_0 = 0`.  Independent of any single threshold, which
    is why it is the fair number for comparing losses on imbalanced data.  Same definition as
    ``sklearn.metrics.average_precision_score``.
    """
    s, y = _scores_labels(scores, labels)
    n_pos = int(y.sum())
    if n_pos == 0:
        raise ValueError("labels must contain at least one positive (1), got none")
    order = torch.argsort(s, descending=True, stable=True)
    s, y = s[order], y[order].double()
    tp = torch.cumsum(y, 0)
    fp = torch.cumsum(1 - y, 0)
    # the last position of each run of equal scores is where that threshold's counts stand
    last = torch.ones_like(s, dtype=torch.bool)
    last[:-1] = s[1:] != s[:-1]
    tp, fp = tp[last], fp[last]
    precision = tp / (tp + fp)
    recall = tp / n_pos
    steps = torch.diff(recall, prepend=recall.new_zeros(1))
    return float((steps * precision).sum())
