"""Random shifts: every image moves by its own offset within the limit, nothing else changes."""

import numpy as np
import pytest

from examples.digits.augment import random_shifts
from examples.digits.preprocess import center_of_mass


def dots(count, size=12):
    """Images each holding one bright pixel in the middle, with a class-specific second pixel."""
    images = np.zeros((count, size, size), dtype=np.float32)
    images[:, size // 2, size // 2] = 1.0
    images[np.arange(count), 3, np.arange(count) % size] = 0.5
    return images.reshape(count, -1)


def test_shifts_stay_within_the_limit_and_keep_the_ink():
    x = dots(200)
    moved = random_shifts(x, (12, 12), 2, np.random.default_rng(0))
    assert moved.shape == x.shape and moved.dtype == x.dtype
    images = moved.reshape(-1, 12, 12)
    rows, columns = np.nonzero(images == 1.0)[1:]
    assert rows.min() >= 4 and rows.max() <= 8
    assert columns.min() >= 4 and columns.max() <= 8
    assert len(rows) == 200  # the bright pixel is never lost with a 2-pixel margin


def test_every_offset_is_used():
    moved = random_shifts(dots(500), (12, 12), 1, np.random.default_rng(1)).reshape(-1, 12, 12)
    offsets = {(r - 6, c - 6) for r, c in zip(*np.nonzero(moved == 1.0)[1:], strict=True)}
    assert offsets == {(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}


def test_each_image_moves_rigidly():
    rng = np.random.default_rng(2)
    x = np.zeros((50, 10, 10))
    x[:, 3:7, 4:6] = rng.random((50, 4, 2))  # content away from the edges
    moved = random_shifts(x.reshape(50, -1), (10, 10), 2, np.random.default_rng(3))
    for before, after in zip(x, moved.reshape(50, 10, 10), strict=True):
        np.testing.assert_allclose(after.sum(), before.sum())
        shift = np.subtract(center_of_mass(after), center_of_mass(before))
        np.testing.assert_allclose(shift, np.round(shift), atol=1e-9)


def test_zero_shift_is_the_identity_and_negative_is_refused():
    x = dots(3)
    assert random_shifts(x, (12, 12), 0, np.random.default_rng(0)) is x
    with pytest.raises(ValueError, match="max_shift"):
        random_shifts(x, (12, 12), -1, np.random.default_rng(0))


def test_same_seed_same_shifts():
    x = dots(20)
    first = random_shifts(x, (12, 12), 2, np.random.default_rng(5))
    second = random_shifts(x, (12, 12), 2, np.random.default_rng(5))
    np.testing.assert_array_equal(first, second)
