"""Data sets as arrays: the seeded stratified split, the sklearn digits, MNIST from a folder."""

import gzip

import numpy as np
import pytest

from examples.digits.datasets import load_mnist, load_sklearn_digits, stratified_split
from examples.digits.idx import IdxError


def test_split_covers_every_sample_once():
    labels = np.repeat(np.arange(10), 30)
    kept, held = stratified_split(labels, 0.2, seed=3)
    assert len(kept) + len(held) == len(labels)
    np.testing.assert_array_equal(np.sort(np.concatenate([kept, held])), np.arange(len(labels)))


def test_split_keeps_each_class_share():
    labels = np.concatenate([np.full(50, 0), np.full(30, 1), np.full(20, 2)])
    _, held = stratified_split(labels, 0.1, seed=0)
    assert np.bincount(labels[held]).tolist() == [5, 3, 2]


def test_split_is_seeded():
    labels = np.repeat(np.arange(10), 20)
    first = stratified_split(labels, 0.25, seed=7)
    again = stratified_split(labels, 0.25, seed=7)
    other = stratified_split(labels, 0.25, seed=8)
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(np.sort(first[1]), np.sort(other[1]))


def test_split_accepts_a_generator():
    labels = np.repeat(np.arange(4), 5)
    kept, held = stratified_split(labels, 0.4, seed=np.random.default_rng(1))
    assert len(held) == 8 and len(kept) == 12


def test_split_with_fraction_zero_holds_nothing_out():
    kept, held = stratified_split(np.arange(10) % 2, 0.0, seed=0)
    assert len(held) == 0 and len(kept) == 10


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5])
def test_split_rejects_bad_fractions(fraction):
    with pytest.raises(ValueError, match="split fraction"):
        stratified_split(np.arange(10), fraction)


def test_sklearn_digits_are_scaled_and_split():
    data = load_sklearn_digits(test_fraction=0.25, seed=0)
    assert data.name == "digits" and data.image_shape == (8, 8) and data.features == 64
    assert len(data.x_train) + len(data.x_test) == 1797
    assert data.x_test.shape[1] == 64
    assert data.x_train.dtype == np.float32
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0
    # The 0..16 levels divided by 16: every value a multiple of 1/16.
    np.testing.assert_array_equal(data.x_train * 16, np.round(data.x_train * 16))
    assert np.bincount(data.y_test).min() >= 44  # every class about a quarter of its ~180


def test_mnist_from_a_folder_of_raw_files(tmp_path, write_mnist):
    write_mnist(tmp_path, train=30, test=20, compress=False)
    data = load_mnist(tmp_path, download=False)
    assert data.name == "mnist" and data.image_shape == (28, 28)
    assert data.x_train.shape == (30, 784) and data.x_test.shape == (20, 784)
    assert data.y_train.dtype == np.int64
    assert data.x_train.max() == 1.0  # 255 / 255


def test_mnist_with_a_damaged_file_names_it(mnist_folder):
    damaged = mnist_folder / "t10k-images-idx3-ubyte.gz"
    raw = gzip.decompress(damaged.read_bytes())
    damaged.write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(IdxError, match="t10k-images-idx3-ubyte.gz: truncated data"):
        load_mnist(mnist_folder, download=False)


def test_mnist_with_mismatched_counts_is_refused(mnist_folder, write_mnist, tmp_path):
    other = tmp_path / "other"
    write_mnist(other, train=50)
    (mnist_folder / "train-labels-idx1-ubyte.gz").write_bytes(
        (other / "train-labels-idx1-ubyte.gz").read_bytes()
    )
    with pytest.raises(IdxError, match="expected 100 labels, got 50"):
        load_mnist(mnist_folder, download=False)
