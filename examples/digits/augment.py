"""Data augmentation: every epoch sees the training digits moved by a pixel or two.

A dense network has no notion that a digit one pixel to the left is the same digit, and
8,000 MNIST samples are too few to learn it from. Fresh random shifts each epoch teach
it: with the MNIST preset, test accuracy on the MNIST sample goes from 0.958 to 0.976.
"""

from __future__ import annotations

import numpy as np


def random_shifts(
    x: np.ndarray, image_shape: tuple[int, int], max_shift: int, rng: np.random.Generator
) -> np.ndarray:
    """Move every image by its own random (dy, dx) in -max_shift..max_shift, zero-filling.

    One gather for the whole batch: pad every image by `max_shift`, then read each one
    through a window whose corner is its shift.

    Parameters:
        x: (samples, rows * columns) flattened images.
        image_shape: (rows, columns).
        max_shift: largest move in pixels along each axis; 0 returns `x` unchanged.
        rng: where the shifts come from.

    Returns:
        (samples, rows * columns), same dtype as `x`.

    Example:
        >>> moved = random_shifts(x_train, (28, 28), 1, np.random.default_rng(0))
    """
    if max_shift < 0:
        raise ValueError(f"max_shift: expected an int >= 0, got {max_shift}")
    if max_shift == 0:
        return x
    samples = len(x)
    rows, columns = image_shape
    images = x.reshape(samples, rows, columns)  # (n, rows, columns)
    padded = np.pad(images, ((0, 0), (max_shift, max_shift), (max_shift, max_shift)))
    corner_rows = rng.integers(0, 2 * max_shift + 1, size=samples)  # (n,)
    corner_columns = rng.integers(0, 2 * max_shift + 1, size=samples)  # (n,)
    row_index = corner_rows[:, None] + np.arange(rows)  # (n, rows)
    column_index = corner_columns[:, None] + np.arange(columns)  # (n, columns)
    sample_index = np.arange(samples)[:, None, None]  # (n, 1, 1)
    shifted = padded[
        sample_index, row_index[:, :, None], column_index[:, None, :]
    ]  # (n, rows, columns)
    return shifted.reshape(samples, rows * columns)
