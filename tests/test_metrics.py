"""lossviz.metrics against scikit-learn (a test-only dependency), plus hand cases and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, precision_score, recall_score

from lossviz.metrics import average_precision, precision_recall


def test_hand_case():
    # ranked: 1 (pos), 0.8 (neg), 0.6 (pos), 0.2 (neg): AP = 1/2*1 + 1/2*(2/3) = 0.8333...
    scores, labels = [1.0, 0.8, 0.6, 0.2], [1, 0, 1, 0]
    assert average_precision(scores, labels) == pytest.approx(5 / 6)
    # threshold 0.5: predicted positive 1.0, 0.8, 0.6 -> precision 2/3, recall 1
    assert precision_recall(scores, labels) == (pytest.approx(2 / 3), 1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 1.0]), st.booleans()),
                min_size=2, max_size=40))
def test_matches_sklearn_with_ties(pairs):
    scores = np.array([p[0] for p in pairs])
    labels = np.array([int(p[1]) for p in pairs])
    if labels.sum() == 0:
        return
    assert average_precision(scores, labels) == pytest.approx(average_precision_score(labels, scores))
    p, r = precision_recall(scores, labels, threshold=0.5)
    pred = scores >= 0.5
    assert p == pytest.approx(precision_score(labels, pred, zero_division=0))
    assert r == pytest.approx(recall_score(labels, pred, zero_division=0))


def test_errors():
    with pytest.raises(ValueError, match=r"labels must contain at least one positive \(1\), got none"):
        average_precision([0.1, 0.2], [0, 0])
    with pytest.raises(ValueError, match=r"labels must hold labels in \{0, 1\}, got a value 2"):
        average_precision([0.1, 0.2], [0, 2])
    with pytest.raises(ValueError, match=r"labels must have the shape of scores \(2,\), got \(3,\)"):
        precision_recall([0.1, 0.2], [0, 1, 1])
