"""Random shifts and flips: every image moves (or mirrors) on its own, nothing else changes."""

import numpy as np
import pytest

from examples.digits import augment
from examples.digits.augment import random_flips, random_shifts
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


def test_images_of_one_channel_move_as_their_rows_do():
    x = dots(40)  # (40, 144) rows
    rows = random_shifts(x, (12, 12), 2, np.random.default_rng(4))
    images = random_shifts(x.reshape(40, 1, 12, 12), (12, 12), 2, np.random.default_rng(4))
    assert images.shape == (40, 1, 12, 12)
    np.testing.assert_array_equal(images.reshape(40, -1), rows)


def colour(count, size=10, seed=0):
    """(count, 3, size, size) images: a random patch away from the edges, other in every plane."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 3, size, size), dtype=np.float32)
    images[:, :, 3:7, 2:5] = rng.random((count, 3, 4, 3))
    return images


@pytest.mark.parametrize("as_rows", [False, True])
def test_the_channels_of_a_colour_image_move_together(as_rows):
    images = colour(30)
    x = images.reshape(30, -1) if as_rows else images
    moved = random_shifts(x, (3, 10, 10), 2, np.random.default_rng(6))
    assert moved.shape == x.shape and moved.dtype == x.dtype
    moved = moved.reshape(30, 3, 10, 10)
    for before, after in zip(images, moved, strict=True):
        # One (dy, dx) for the image: find it from the red plane, check it on all three.
        offsets = [
            (dy, dx)
            for dy in range(-2, 3)
            for dx in range(-2, 3)
            if np.array_equal(np.roll(before[0], (dy, dx), axis=(0, 1)), after[0])
        ]
        assert len(offsets) == 1
        np.testing.assert_array_equal(np.roll(before, offsets[0], axis=(1, 2)), after)


def test_shifting_in_chunks_is_shifting_at_once(monkeypatch):
    x = colour(25, seed=1)
    whole = random_shifts(x, (3, 10, 10), 1, np.random.default_rng(8))
    monkeypatch.setattr(augment, "CHUNK_SAMPLES", 4)  # 7 chunks, the last one short
    np.testing.assert_array_equal(random_shifts(x, (3, 10, 10), 1, np.random.default_rng(8)), whole)


def test_images_of_another_size_are_refused():
    with pytest.raises(ValueError, match=r"images: expected samples of shape \(3, 10, 10\)"):
        random_shifts(dots(3), (3, 10, 10), 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"300 values each, got \(144,\)"):
        random_flips(dots(3), (3, 10, 10), np.random.default_rng(0))


@pytest.mark.parametrize("as_rows", [False, True])
def test_flips_mirror_about_half_the_images_whole_and_leave_the_rest(as_rows):
    images = colour(400, seed=2)
    x = images.reshape(400, -1) if as_rows else images
    flipped = random_flips(x, (3, 10, 10), np.random.default_rng(9))
    assert flipped.shape == x.shape and flipped.dtype == x.dtype
    flipped = flipped.reshape(400, 3, 10, 10)
    mirrored = np.array([np.array_equal(a, b[:, :, ::-1]) for a, b in zip(flipped, images)])
    kept = np.array([np.array_equal(a, b) for a, b in zip(flipped, images)])
    assert np.all(mirrored ^ kept)  # each image either mirrored whole (all planes) or as it was
    assert 150 < mirrored.sum() < 250
    np.testing.assert_array_equal(images, colour(400, seed=2))  # the input is not touched
    again = random_flips(x, (3, 10, 10), np.random.default_rng(9))
    np.testing.assert_array_equal(again.reshape(400, 3, 10, 10), flipped)


def test_flips_without_a_copy_mirror_the_array_itself_the_same_way(monkeypatch):
    monkeypatch.setattr("examples.digits.augment.CHUNK_SAMPLES", 7)  # several chunks
    x = colour(50, seed=3)
    expected = random_flips(x, (3, 10, 10), np.random.default_rng(4))
    result = random_flips(x, (3, 10, 10), np.random.default_rng(4), copy=False)
    assert np.shares_memory(result, x)
    np.testing.assert_array_equal(x, expected)
