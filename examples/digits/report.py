"""Numbers for the terminal: a confusion matrix and the per-epoch progress line."""

from __future__ import annotations

import numpy as np

CLASSES = 10


def confusion_matrix(
    labels: np.ndarray, predictions: np.ndarray, classes: int = CLASSES
) -> np.ndarray:
    """(classes, classes) counts: row = true label, column = predicted label.

    Example:
        >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), classes=2)
        array([[1, 0],
               [1, 1]])
    """
    labels = np.asarray(labels, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    if labels.shape != predictions.shape:
        raise ValueError(
            f"confusion matrix: expected labels and predictions of one shape, "
            f"got {labels.shape} and {predictions.shape}"
        )
    # Each (true, predicted) pair is one cell index true * classes + predicted.
    counts = np.bincount(labels * classes + predictions, minlength=classes * classes)
    return counts.reshape(classes, classes)


def format_confusion(matrix: np.ndarray) -> str:
    """The matrix as a text table with row and column headers and per-class recall."""
    classes = len(matrix)
    width = max(4, len(str(int(matrix.max()))) + 1)
    header = "true\\pred" + "".join(f"{c:>{width}}" for c in range(classes)) + "  recall"
    lines = [header]
    for true in range(classes):
        total = int(matrix[true].sum())
        recall = f"{matrix[true, true] / total:7.3f}" if total else "      -"
        cells = "".join(f"{int(n):>{width}}" for n in matrix[true])
        lines.append(f"{true:>9}{cells} {recall}")
    return "\n".join(lines)


def format_epoch(
    epoch: int,
    epochs: int,
    loss: float,
    val_loss: float | None,
    val_accuracy: float | None,
    seconds: float,
) -> str:
    """One progress line: epoch, train loss, validation loss and accuracy, time."""
    digits = len(str(epochs))
    parts = [f"epoch {epoch:>{digits}}/{epochs}", f"loss {loss:.4f}"]
    if val_loss is not None:
        parts.append(f"val_loss {val_loss:.4f}")
    if val_accuracy is not None:
        parts.append(f"val_acc {val_accuracy:.4f}")
    parts.append(f"{seconds:.2f}s")
    return "  ".join(parts)
