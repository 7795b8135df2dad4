"""Data sets as arrays: the seeded stratified split, the sklearn digits, MNIST and CIFAR-10 from a
folder."""

import gzip

import numpy as np
import pytest

from examples.digits.cifar import CifarError
from examples.digits.datasets import (
    Digits,
    load_cifar10,
    load_mnist,
    load_sklearn_digits,
    stratified_split,
)
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
    assert data.class_names == tuple("0123456789")
    assert data.input_shape == (1, 8, 8)


def test_mnist_from_a_folder_of_raw_files(tmp_path, write_mnist):
    write_mnist(tmp_path, train=30, test=20, compress=False)
    data = load_mnist(tmp_path, download=False)
    assert data.name == "mnist" and data.image_shape == (28, 28) and data.input_shape == (1, 28, 28)
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


def test_cifar10_from_a_folder_round_trips_every_pixel_and_label(tmp_path, write_cifar10):
    written = write_cifar10(tmp_path, records=20, test_records=30)
    data = load_cifar10(tmp_path, download=False)
    assert data.name == "cifar10"
    assert data.image_shape == (3, 32, 32) and data.input_shape == (3, 32, 32)
    assert data.features == 3072
    assert data.x_train.shape == (100, 3072) and data.x_test.shape == (30, 3072)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert data.x_train.min() >= 0.0 and data.x_train.max() == 1.0
    assert (
        data.class_names[:3] == ("airplane", "automobile", "bird") and len(data.class_names) == 10
    )
    for part, x, y in (("train", data.x_train, data.y_train), ("test", data.x_test, data.y_test)):
        images, labels = written[part]
        # Rows are the red, green and blue planes in turn: reshaped, they are the images again.
        back = np.rint(x.reshape(-1, *data.image_shape) * 255).astype(np.uint8)
        np.testing.assert_array_equal(back, images)
        np.testing.assert_array_equal(y, labels)


def test_cifar10_pixels_are_divided_by_255(tmp_path, write_cifar10):
    written = write_cifar10(tmp_path, records=2)
    data = load_cifar10(tmp_path, download=False)
    expected = written["test"][0].reshape(2, -1).astype(np.float32) / np.float32(255)
    np.testing.assert_array_equal(data.x_test, expected)


def test_cifar10_checks_the_count_only_when_told(tmp_path, write_cifar10):
    write_cifar10(tmp_path, records=20)
    assert len(load_cifar10(tmp_path, download=False, records_per_batch=20).y_test) == 20
    with pytest.raises(
        CifarError, match="data_batch_1.bin: wrong number of images: expected 10000"
    ):
        load_cifar10(tmp_path, download=False, records_per_batch=10_000)


def test_cifar10_with_a_damaged_batch_names_it(tmp_path, write_cifar10):
    write_cifar10(tmp_path)
    damaged = tmp_path / "data_batch_3.bin"
    damaged.write_bytes(damaged.read_bytes()[:-1])
    with pytest.raises(CifarError, match="data_batch_3.bin: not a whole number of records"):
        load_cifar10(tmp_path, download=False)


def test_cifar10_with_bad_class_names_names_the_file(tmp_path, write_cifar10):
    write_cifar10(tmp_path)
    (tmp_path / "batches.meta.txt").write_text("cat\ndog\n")
    with pytest.raises(CifarError, match="batches.meta.txt: wrong number of class names"):
        load_cifar10(tmp_path, download=False)


def test_digits_made_by_hand_keep_their_old_shape():
    """Digits built with the six fields it had before class names still work."""
    x, y = np.zeros((4, 6), np.float32), np.arange(4)
    data = Digits("digits", x, y, x, y, (2, 3))
    assert data.features == 6 and data.input_shape == (1, 2, 3)
    assert data.class_names == tuple(str(digit) for digit in range(10))
