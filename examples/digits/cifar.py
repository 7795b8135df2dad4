"""Read CIFAR-10's binary version: batches of fixed-size records, and the class names.

Each batch file (`data_batch_1.bin` ... `data_batch_5.bin`, `test_batch.bin`) is a run of
records with nothing before, between or after them (Krizhevsky, "Learning Multiple Layers
of Features from Tiny Images", 2009; https://www.cs.toronto.edu/~kriz/cifar.html)::

    byte  0           the label, 0..9
    bytes 1-1024      the red plane: 32x32, row-major (the first 32 bytes are the top row)
    bytes 1025-2048   the green plane
    bytes 2049-3072   the blue plane

So a file of N images is exactly N * 3,073 bytes, and reading it is one `np.frombuffer`
and a reshape to (N, 3073): column 0 holds the labels, the other 3,072 columns reshape to
(N, 3, 32, 32), channels first, exactly as stored. `batches.meta.txt` names the classes,
one per line: line i names label i.

The official files hold 10,000 images each. The reader refuses any size that is not a whole
number of records (a truncated or foreign file) but takes any whole number unless told the
count (`records=`): a file cut at a record boundary is still a valid, smaller batch, such as
a sample made for a quick run or a test. Every problem raises `CifarError` naming the file
and what is wrong, checked before any reshape.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

IMAGE_SHAPE = (3, 32, 32)  # (channels, rows, columns): red, green, blue planes
PIXEL_BYTES = 3 * 32 * 32  # 3,072
RECORD_BYTES = 1 + PIXEL_BYTES  # 3,073: the label byte, then the pixels
RECORDS_PER_BATCH = 10_000  # in each of the six official files
CLASSES = 10


class CifarError(ValueError):
    """A CIFAR-10 file is missing, damaged or not what was expected; `.path` names it."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def read_file(path: str | os.PathLike) -> bytes:
    """The file's content; a missing or unreadable file is a CifarError naming it."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CifarError(path, "file not found") from None
    except OSError as error:
        raise CifarError(path, f"cannot read: {error.strerror or error}") from None


def parse_batch(
    data: bytes, path: str | os.PathLike = "<bytes>", records: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Decode one batch: images uint8 (N, 3, 32, 32) as stored, labels uint8 (N,).

    The size is checked first (a whole, non-zero number of records; exactly `records` of
    them if given), then every label. The arrays are copies: writable, contiguous, and not
    holding on to `data`.
    """
    size = len(data)
    count, rest = divmod(size, RECORD_BYTES)
    if size == 0:
        raise CifarError(
            path,
            f"empty file: expected records of {RECORD_BYTES} bytes (1 label byte + "
            f"{PIXEL_BYTES} pixel bytes), got 0 bytes",
        )
    if rest:
        raise CifarError(
            path,
            f"not a whole number of records: expected a multiple of {RECORD_BYTES} bytes "
            f"(1 label byte + {PIXEL_BYTES} pixel bytes per image), got {size} bytes "
            f"({count} records and {rest} bytes more): truncated, or not a CIFAR-10 batch",
        )
    if records is not None and count != records:
        raise CifarError(
            path,
            f"wrong number of images: expected {records} ({records * RECORD_BYTES} bytes), "
            f"got {count} ({size} bytes)",
        )
    table = np.frombuffer(data, dtype=np.uint8).reshape(count, RECORD_BYTES)  # (N, 3073)
    labels = table[:, 0]  # (N,)
    if int(labels.max()) >= CLASSES:
        bad = int(np.argmax(labels >= CLASSES))
        raise CifarError(
            path,
            f"label out of range in image {bad} (byte {bad * RECORD_BYTES}): "
            f"expected 0..{CLASSES - 1}, got {int(labels[bad])}",
        )
    images = table[:, 1:].reshape(count, *IMAGE_SHAPE)  # (N, 3, 32, 32), a view of `data`
    return images.copy(), labels.copy()


def read_batch(
    path: str | os.PathLike, records: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Read one batch file: images uint8 (N, 3, 32, 32), labels uint8 (N,).

    `records`, when given, is the number of images the file must hold (10,000 for the
    official files); otherwise any whole number is taken.

    Example:
        >>> images, labels = read_batch("cifar-10-batches-bin/test_batch.bin", records=10_000)
        >>> images.shape, labels[:3]
        ((10000, 3, 32, 32), array([3, 8, 8], dtype=uint8))
    """
    return parse_batch(read_file(path), path, records)


def parse_class_names(
    text: str, path: str | os.PathLike = "<text>", classes: int = CLASSES
) -> tuple[str, ...]:
    """The class names of batches.meta.txt: `classes` non-empty, distinct lines, in label order.

    Blank lines at the end (the official file has some) are ignored; space around a name is
    dropped. Lines are counted from 1 in the messages, as an editor shows them.
    """
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if "" in lines:
        raise CifarError(
            path,
            f"blank class name on line {lines.index('') + 1}: expected one name per line, "
            "got an empty line",
        )
    if len(lines) != classes:
        raise CifarError(
            path,
            f"wrong number of class names: expected {classes}, one per line, got {len(lines)}",
        )
    first_line = {}
    for number, name in enumerate(lines, start=1):
        if name in first_line:
            raise CifarError(
                path,
                f"class name {name!r} on lines {first_line[name]} and {number}: "
                f"expected {classes} different names",
            )
        first_line[name] = number
    return tuple(lines)


def read_class_names(path: str | os.PathLike, classes: int = CLASSES) -> tuple[str, ...]:
    """Read batches.meta.txt: the name of each label, label 0 first.

    Example:
        >>> read_class_names("cifar-10-batches-bin/batches.meta.txt")[:3]
        ('airplane', 'automobile', 'bird')
    """
    data = read_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CifarError(
            path,
            f"not text: expected class names in UTF-8 (ASCII in the official file), got byte "
            f"0x{data[error.start]:02x} at offset {error.start}",
        ) from None
    return parse_class_names(text, path, classes)
