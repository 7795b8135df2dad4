"""Small MNIST-like IDX files written on the spot, so no test needs the real data or a network."""

from pathlib import Path

import numpy as np
import pytest

from examples.digits.idx import write_idx

MNIST_NAMES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


def synthetic_digits(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """28x28 uint8 images whose class is a bright 6x6 square at a class-specific place, plus noise.

    Easy to learn (a network should get them nearly all right), yet every byte is IDX-real.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(count, dtype=np.uint8) % 10  # every class present
    rng.shuffle(labels)
    images = rng.integers(0, 40, size=(count, 28, 28), dtype=np.uint8)  # (n, 28, 28) noise
    tops = 3 + (labels // 5) * 12  # two rows of squares
    lefts = 1 + (labels % 5) * 5  # five columns
    for i, (top, left) in enumerate(zip(tops, lefts, strict=True)):
        images[i, top : top + 6, left : left + 6] = 255
    return images, labels


def write_mnist(folder: Path, train: int = 100, test: int = 40, compress: bool = True) -> dict:
    """Write the four MNIST files (synthetic digits) into `folder`; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    train_images, train_labels = synthetic_digits(train, seed=1)
    test_images, test_labels = synthetic_digits(test, seed=2)
    arrays = {
        "train_images": train_images,
        "train_labels": train_labels,
        "test_images": test_images,
        "test_labels": test_labels,
    }
    paths = {}
    for key, array in arrays.items():
        name = MNIST_NAMES[key] if compress else MNIST_NAMES[key].removesuffix(".gz")
        paths[MNIST_NAMES[key]] = write_idx(folder / name, array)
    return paths


@pytest.fixture(name="write_mnist")
def write_mnist_fixture():
    """The `write_mnist(folder, train=100, test=40, compress=True)` helper, for tests."""
    return write_mnist


@pytest.fixture
def mnist_folder(tmp_path) -> Path:
    """A folder holding four small, valid, gzip MNIST files."""
    folder = tmp_path / "mnist"
    write_mnist(folder)
    return folder
