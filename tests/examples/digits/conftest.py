"""Small MNIST and CIFAR-10 files written on the spot, so no test needs the real data or a network."""

import tarfile
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


CIFAR_CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
CIFAR_TRAIN_NAMES = tuple(f"data_batch_{number}.bin" for number in range(1, 6))


def synthetic_cifar(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(count, 3, 32, 32) uint8 colour images whose class is a bright 8x8 square, plus noise.

    The square's colour plane and place depend on the class, so a network can learn them.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(count, dtype=np.uint8) % 10  # every class present
    rng.shuffle(labels)
    images = rng.integers(0, 60, size=(count, 3, 32, 32), dtype=np.uint8)  # (n, 3, 32, 32) noise
    for i, label in enumerate(labels):
        top, left = 4 + (label // 5) * 16, (label % 5) * 6
        images[i, label % 3, top : top + 8, left : left + 8] = 255
    return images, labels


def cifar_record(label: int, image: np.ndarray) -> bytes:
    """One record as the format describes it: the label byte, then the red, green, blue planes."""
    red, green, blue = image  # each (32, 32), written row by row
    return bytes([label]) + red.tobytes() + green.tobytes() + blue.tobytes()


def write_cifar_batch(path: Path, images: np.ndarray, labels: np.ndarray) -> Path:
    """Write a batch file record by record (independent of the reader's reshape)."""
    path.write_bytes(b"".join(cifar_record(int(y), x) for x, y in zip(images, labels)))
    return path


def write_cifar10(folder: Path, records: int = 20, test_records: int | None = None) -> dict:
    """The six batch files and batches.meta.txt in `folder`; returns the arrays written.

    Returns:
        {"train": (images (5 * records, 3, 32, 32), labels), "test": (images, labels)}.
    """
    folder.mkdir(parents=True, exist_ok=True)
    train = [synthetic_cifar(records, seed=10 + i) for i in range(5)]
    for name, (images, labels) in zip(CIFAR_TRAIN_NAMES, train):
        write_cifar_batch(folder / name, images, labels)
    test = synthetic_cifar(records if test_records is None else test_records, seed=20)
    write_cifar_batch(folder / "test_batch.bin", *test)
    # The official file ends with a blank line after the ten names.
    (folder / "batches.meta.txt").write_text("\n".join(CIFAR_CLASS_NAMES) + "\n\n")
    return {
        "train": (np.concatenate([x for x, _ in train]), np.concatenate([y for _, y in train])),
        "test": test,
    }


def write_cifar_archive(archive: Path, records: int = 20) -> Path:
    """cifar-10-binary.tar.gz as published: one cifar-10-batches-bin/ folder of seven files."""
    staging = archive.parent / f"{archive.name}.files" / "cifar-10-batches-bin"
    write_cifar10(staging, records)
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging, arcname="cifar-10-batches-bin")
    return archive


@pytest.fixture(name="write_cifar10")
def write_cifar10_fixture():
    """The `write_cifar10(folder, records=20, test_records=None)` helper, for tests."""
    return write_cifar10


@pytest.fixture(name="write_cifar_archive")
def write_cifar_archive_fixture():
    """The `write_cifar_archive(archive, records=20)` helper, for tests."""
    return write_cifar_archive


@pytest.fixture(name="synthetic_cifar")
def synthetic_cifar_fixture():
    """The `synthetic_cifar(count, seed)` helper: learnable colour images and their labels."""
    return synthetic_cifar


@pytest.fixture(name="write_cifar_batch")
def write_cifar_batch_fixture():
    """The `write_cifar_batch(path, images, labels)` helper, record by record."""
    return write_cifar_batch
