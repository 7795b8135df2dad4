"""The example's image data sets as plain arrays: scikit-learn's 8x8 digits, MNIST, CIFAR-10.

All come out the same way, as `Digits`: images flattened to rows of floats in [0, 1]
and integer labels 0..9, already split into train and test. Splitting off a validation
set is `stratified_split`, so every class keeps its share in both parts.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from . import cifar
from .download import (
    CIFAR10_META_FILE,
    CIFAR10_MIRRORS,
    CIFAR10_SHA256,
    CIFAR10_TEST_FILE,
    CIFAR10_TRAIN_FILES,
    MNIST_MIRRORS,
    MNIST_SHA256,
    ensure_cifar10,
    ensure_mnist,
)
from .idx import read_pair

CLASSES = 10
MNIST_SHAPE = (28, 28)
DIGITS_SHAPE = (8, 8)
CIFAR10_SHAPE = cifar.IMAGE_SHAPE  # (3, 32, 32): channels first, as the files store them
DIGIT_NAMES = tuple(str(digit) for digit in range(CLASSES))
IMAGE_SHAPES = {"digits": DIGITS_SHAPE, "mnist": MNIST_SHAPE, "cifar10": CIFAR10_SHAPE}


def network_input_shape(image_shape: tuple[int, ...]) -> tuple[int, int, int]:
    """(channels, rows, columns) of an image shape: (28, 28) -> (1, 28, 28), colour kept."""
    return tuple(image_shape) if len(image_shape) == 3 else (1, *image_shape)


@dataclass(frozen=True)
class Digits:
    """An image data set split into train and test; samples are rows.

    Named for the digits it first held; CIFAR-10's photos come the same way.

    Attributes:
        name: "digits" (scikit-learn 8x8), "mnist" (28x28) or "cifar10" (3x32x32 colour).
        x_train: (train samples, features) floats in [0, 1], each row one image flattened
            row-major; a colour image is its red plane, then green, then blue.
        y_train: (train samples,) int labels 0..9.
        x_test, y_test: the same for the test part.
        image_shape: (rows, columns) of a grey image, (channels, rows, columns) of a colour
            one: `x.reshape(-1, *image_shape)` gives the images back.
        class_names: the name of each label, label 0 first: "0".."9" for the digits,
            "airplane".."truck" for CIFAR-10.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, ...]
    class_names: tuple[str, ...] = DIGIT_NAMES

    @property
    def features(self) -> int:
        """Inputs per sample: the product of `image_shape` (64, 784, 3072)."""
        return math.prod(self.image_shape)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(channels, rows, columns), what a convolutional network takes: (1, 28, 28) for MNIST.

        Example:
            >>> images = data.x_train.reshape(-1, *data.input_shape)  # (samples, C, H, W)
        """
        return network_input_shape(self.image_shape)


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Turn an int seed (or an existing Generator) into a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def stratified_split(
    labels: np.ndarray, fraction: float, seed: int | np.random.Generator | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Split sample indices in two, holding out `fraction` of every class.

    Returns:
        (kept, held_out): two shuffled index arrays that together cover every sample once.
        Each class gives round(fraction * its count) samples to `held_out`.

    Example:
        >>> train_idx, val_idx = stratified_split(y, 0.1, seed=1)
    """
    labels = np.asarray(labels)
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"split fraction: expected 0 <= fraction < 1, got {fraction}")
    rng = as_generator(seed)
    order = rng.permutation(len(labels))
    # A stable sort by label keeps the random order within each class.
    by_class = order[np.argsort(labels[order], kind="stable")]  # (samples,)
    classes, starts, counts = np.unique(labels[by_class], return_index=True, return_counts=True)
    held_counts = np.rint(counts * fraction).astype(np.int64)  # (classes,)
    # Rank of each sample within its class; the first held_counts of each class are held out.
    rank = np.arange(len(labels)) - np.repeat(starts, counts)  # (samples,)
    held = rank < np.repeat(held_counts, counts)  # (samples,)
    held_out, kept = by_class[held], by_class[~held]
    return rng.permutation(kept), rng.permutation(held_out)


def load_sklearn_digits(
    test_fraction: float = 0.25, seed: int | np.random.Generator | None = 0
) -> Digits:
    """The 1,797 8x8 digits that scikit-learn ships (no download), split train/test.

    Pixels are 0..16 counts in the original; they are divided by 16 here.

    Example:
        >>> data = load_sklearn_digits(test_fraction=0.25, seed=0)
        >>> data.x_train.shape, data.x_test.shape
        ((1348, 64), (449, 64))
    """
    from sklearn.datasets import load_digits  # imported here: only this data set needs it

    bunch = load_digits()
    x = (bunch.data / 16.0).astype(np.float32)  # (1797, 64)
    y = bunch.target.astype(np.int64)  # (1797,)
    train, test = stratified_split(y, test_fraction, seed)
    return Digits("digits", x[train], y[train], x[test], y[test], DIGITS_SHAPE)


def images_to_rows(images: np.ndarray) -> np.ndarray:
    """uint8 (samples, *image_shape) 0..255 -> float32 (samples, features) in [0, 1].

    Divided in place: CIFAR-10's 50,000 training rows are 614 MB as float32, and an
    out-of-place division would hold a second copy for a moment.
    """
    rows = images.reshape(len(images), -1).astype(np.float32)  # (samples, features)
    rows /= 255.0
    return rows


def load_mnist(
    folder: str | os.PathLike | None = None,
    download: bool = True,
    mirrors: Iterable[str] = MNIST_MIRRORS,
    checksums: Mapping[str, str] = MNIST_SHA256,
    on_fetch: Callable[[str], None] | None = None,
) -> Digits:
    """MNIST from the four standard IDX files in `folder` (gzip or raw), fetching missing ones.

    Parameters:
        folder: holds the files; default the cache folder of `download.default_cache_dir()`.
        download: fetch missing files (verified by SHA-256); if False they must be there.
        mirrors, checksums, on_fetch: passed to `download.ensure_mnist`.

    Raises:
        IdxError: a file is damaged (named, with the problem).
        DownloadError: files are missing and could not be fetched; says where to put them.

    Example:
        >>> data = load_mnist("../shared/data/mnist-sample", download=False)
    """
    paths = ensure_mnist(folder, mirrors if download else (), checksums, on_fetch=on_fetch)
    train_images, train_labels = read_pair(
        paths["train-images-idx3-ubyte.gz"],
        paths["train-labels-idx1-ubyte.gz"],
        MNIST_SHAPE,
        CLASSES,
    )
    test_images, test_labels = read_pair(
        paths["t10k-images-idx3-ubyte.gz"],
        paths["t10k-labels-idx1-ubyte.gz"],
        MNIST_SHAPE,
        CLASSES,
    )
    return Digits(
        "mnist",
        images_to_rows(train_images),
        train_labels.astype(np.int64),
        images_to_rows(test_images),
        test_labels.astype(np.int64),
        MNIST_SHAPE,
    )


def load_cifar10(
    folder: str | os.PathLike | None = None,
    download: bool = True,
    mirrors: Iterable[str] = CIFAR10_MIRRORS,
    checksums: Mapping[str, str] = CIFAR10_SHA256,
    on_fetch: Callable[[str], None] | None = None,
    records_per_batch: int | None = None,
) -> Digits:
    """CIFAR-10's binary version: 50,000 training and 10,000 test colour images, 32x32.

    Parameters:
        folder: holds the six batch files and batches.meta.txt, directly or in
            cifar-10-batches-bin/, or the archive cifar-10-binary.tar.gz; default the cache
            folder `download.default_cache_dir("cifar10")`. See `download.ensure_cifar10`.
        download: fetch the archive if needed (verified by SHA-256); if False, the files or
            the archive must be there.
        mirrors, checksums, on_fetch: passed to `download.ensure_cifar10`.
        records_per_batch: the number of images every batch file must hold (10,000 in the
            official files); None takes any whole number (see cifar.py).

    Returns:
        Digits named "cifar10": x_train (samples, 3072) float32 in [0, 1], each row the red,
        green and blue planes of one image; image_shape (3, 32, 32); class_names from
        batches.meta.txt.

    Raises:
        CifarError: a file is damaged (named, with the problem).
        ArchiveError: the archive is damaged or unsafe to unpack.
        DownloadError: files are missing and could not be fetched; says where to put them.

    Example:
        >>> data = load_cifar10("~/cifar", download=False, records_per_batch=10_000)
        >>> data.x_train.shape, data.input_shape, data.class_names[:2]
        ((50000, 3072), (3, 32, 32), ('airplane', 'automobile'))
    """
    batches = ensure_cifar10(folder, mirrors if download else (), checksums, on_fetch=on_fetch)
    class_names = cifar.read_class_names(batches / CIFAR10_META_FILE, CLASSES)
    train = [cifar.read_batch(batches / name, records_per_batch) for name in CIFAR10_TRAIN_FILES]
    train_images = np.concatenate([images for images, _ in train])  # (samples, 3, 32, 32)
    train_labels = np.concatenate([labels for _, labels in train])  # (samples,)
    del train  # the five batches are in the concatenated copies now
    test_images, test_labels = cifar.read_batch(batches / CIFAR10_TEST_FILE, records_per_batch)
    return Digits(
        "cifar10",
        images_to_rows(train_images),
        train_labels.astype(np.int64),
        images_to_rows(test_images),
        test_labels.astype(np.int64),
        CIFAR10_SHAPE,
        class_names,
    )
