"""Confusion matrix and the printed progress lines."""

import numpy as np
import pytest

from examples.digits.report import confusion_matrix, format_confusion, format_epoch


def test_confusion_matrix_counts_true_rows_predicted_columns():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    matrix = confusion_matrix(labels, predicted, classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert matrix.sum() == len(labels)
    assert np.trace(matrix) == np.sum(labels == predicted)


def test_confusion_matrix_shape_mismatch():
    with pytest.raises(ValueError, match=r"got \(3,\) and \(2,\)"):
        confusion_matrix(np.zeros(3, int), np.zeros(2, int))


def test_format_confusion_has_headers_and_recall():
    text = format_confusion(confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), classes=2))
    lines = text.splitlines()
    assert lines[0].split() == ["true\\pred", "0", "1", "recall"]
    assert lines[1].split() == ["0", "1", "0", "1.000"]
    assert lines[2].split() == ["1", "1", "1", "0.500"]


def test_format_epoch():
    line = format_epoch(3, 30, 0.123456, 0.2, 0.95, 1.5)
    assert line == "epoch  3/30  loss 0.1235  val_loss 0.2000  val_acc 0.9500  1.50s"
    assert format_epoch(1, 5, 0.5, None, None, 0.1) == "epoch 1/5  loss 0.5000  0.10s"
