"""One PNG that tells how training went: learning curves and test images with their guesses.

Figures are built with `matplotlib.figure.Figure` and saved by the Agg canvas directly,
so no window, no display and no pyplot global state is involved.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

RIGHT = "#1f6f3f"
WRONG = "#d62728"
GRID_COLUMNS = 12
GRID_ROWS = 4


def plot_learning_curves(
    axes_loss,
    axes_accuracy,
    loss: Sequence[float],
    val_loss: Sequence[float | None] = (),
    val_accuracy: Sequence[float | None] = (),
) -> None:
    """Draw loss per epoch (train and validation) and validation accuracy per epoch."""
    epochs = np.arange(1, len(loss) + 1)
    axes_loss.plot(epochs, loss, marker=".", label="train loss")
    if _has_values(val_loss):
        axes_loss.plot(epochs[: len(val_loss)], _floats(val_loss), marker=".", label="val loss")
    axes_loss.set(title="loss", xlabel="epoch", ylabel="cross-entropy")
    axes_loss.legend()
    axes_loss.grid(alpha=0.3)
    if _has_values(val_accuracy):
        axes_accuracy.plot(epochs[: len(val_accuracy)], _floats(val_accuracy), marker=".")
        axes_accuracy.set(title="validation accuracy", xlabel="epoch", ylabel="accuracy")
    else:
        axes_accuracy.text(0.5, 0.5, "no validation set", ha="center", va="center")
        axes_accuracy.set(title="validation accuracy")
    axes_accuracy.grid(alpha=0.3)
    for axes in (axes_loss, axes_accuracy):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def as_picture(image: np.ndarray, image_shape: tuple[int, ...]) -> np.ndarray:
    """One image's row as imshow takes it: (rows, columns) grey, or (rows, columns, 3) colour.

    A colour row holds its red, green and blue planes one after the other (channels first,
    as CIFAR-10 stores them); imshow wants the channels last.

    Example:
        >>> as_picture(x_test[0], (3, 32, 32)).shape
        (32, 32, 3)
    """
    picture = np.asarray(image).reshape(image_shape)
    if picture.ndim == 3:
        picture = picture[0] if picture.shape[0] == 1 else picture.transpose(1, 2, 0)
    return np.clip(picture, 0.0, 1.0)  # imshow warns about colours outside [0, 1]


def plot_digit_grid(
    figure: Figure,
    grid_spec,
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray,
    image_shape: tuple[int, ...],
    class_names: Sequence[str] | None = None,
) -> None:
    """Draw test images in a grid, each titled with its predicted class: red where wrong.

    Grey images (rows, columns) are drawn dark on light, as ink on paper; colour ones
    (channels, rows, columns) as they are. `class_names[label]` names a class (default: the
    label itself, right for digits).
    """
    rows, columns = grid_spec.get_geometry()

    def name(label: int) -> str:
        return str(label) if class_names is None else class_names[label]

    for i in range(min(len(images), rows * columns)):
        axes = figure.add_subplot(grid_spec[i // columns, i % columns])
        picture = as_picture(images[i], image_shape)
        if picture.ndim == 3:
            axes.imshow(picture)
        else:
            axes.imshow(picture, cmap="gray_r", vmin=0.0, vmax=1.0)
        right = predictions[i] == labels[i]
        guess = name(int(predictions[i]))
        # A digit fits "3 (is 5)" on one line; a class name needs a second for the truth.
        apart = "\n" if class_names is not None and len(guess) > 2 else " "
        title = guess if right else f"{guess}{apart}(is {name(int(labels[i]))})"
        axes.set_title(title, color=RIGHT if right else WRONG, fontsize=9, pad=2)
        axes.set_xticks([])
        axes.set_yticks([])
        if not right:
            for spine in axes.spines.values():
                spine.set_color(WRONG)
                spine.set_linewidth(2)


def save_report_png(
    path: str | os.PathLike,
    loss: Sequence[float],
    val_loss: Sequence[float | None],
    val_accuracy: Sequence[float | None],
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray,
    image_shape: tuple[int, ...],
    title: str = "",
    class_names: Sequence[str] | None = None,
) -> Path:
    """Write the learning curves above a grid of the first test images; returns the path.

    Parameters:
        loss, val_loss, val_accuracy: one value per epoch (validation ones may be empty).
        images: (samples, features) test inputs in [0, 1]; labels, predictions: (samples,).
        image_shape: (rows, columns) of one grey image, (channels, rows, columns) of colour.
        class_names: the name of each label, for the titles (default: the label, a digit).

    Example:
        >>> save_report_png("out/digits.png", h.loss, h.val_loss, h.val_accuracy,
        ...                 x_test, y_test, predicted, (8, 8), title="8x8 digits")
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure = Figure(figsize=(12, 9), layout="constrained")
    FigureCanvasAgg(figure)
    outer = figure.add_gridspec(2, 1, height_ratios=[1, 1.4])
    curves = outer[0].subgridspec(1, 2)
    plot_learning_curves(
        figure.add_subplot(curves[0]),
        figure.add_subplot(curves[1]),
        loss,
        val_loss,
        val_accuracy,
    )
    digits = outer[1].subgridspec(GRID_ROWS, GRID_COLUMNS)
    plot_digit_grid(figure, digits, images, labels, predictions, image_shape, class_names)
    shown = min(len(images), GRID_ROWS * GRID_COLUMNS)
    wrong = int(np.sum(predictions[:shown] != labels[:shown]))
    what = "digits" if len(image_shape) == 2 else "images"
    figure.suptitle(f"{title}  -  first {shown} test {what}, {wrong} wrong (red)".strip(" -"))
    figure.savefig(path, dpi=80)
    return path


def _has_values(values: Sequence[float | None]) -> bool:
    return any(value is not None for value in values)


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if value is None else value for value in values], dtype=np.float64)
