"""Read and write IDX files, the format the MNIST digits are distributed in.

An IDX file is a big-endian header followed by the raw array, row-major::

    bytes 0-1   0x00 0x00
    byte  2     element type (0x08 = unsigned byte, ...)
    byte  3     number of dimensions
    then        one unsigned 32-bit big-endian size per dimension
    then        the data: prod(sizes) elements

So the MNIST magic numbers read as one 32-bit integer are 2051 = 0x0803 (unsigned
bytes, 3 dimensions: images, rows, columns) and 2049 = 0x0801 (unsigned bytes,
1 dimension: labels). Files may be gzip-compressed; we look at the first two bytes
(0x1f 0x8b) rather than trusting the file name.

Every problem raises `IdxError` naming the file and what is wrong, checked before
any reshape, so a damaged download never surfaces as a numpy shape error.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions
LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension

GZIP_MAGIC = b"\x1f\x8b"

# IDX element type code -> big-endian numpy dtype.
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
IDX_TYPE_NAMES = {
    0x08: "unsigned bytes",
    0x09: "signed bytes",
    0x0B: "int16",
    0x0C: "int32",
    0x0D: "float32",
    0x0E: "float64",
}
_TYPE_CODES = {dtype.newbyteorder("="): code for code, dtype in IDX_DTYPES.items()}


class IdxError(ValueError):
    """An IDX file is missing, damaged or not what was expected; `.path` names it."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def describe_magic(magic: int) -> str:
    """Say what a 32-bit magic number means, e.g. 2051 -> "unsigned bytes, 3 dimensions"."""
    zero, type_code, ndim = magic >> 16, (magic >> 8) & 0xFF, magic & 0xFF
    if zero != 0 or type_code not in IDX_DTYPES:
        return "not an IDX header"
    return f"{IDX_TYPE_NAMES[type_code]}, {ndim} dimension{'s' if ndim != 1 else ''}"


def read_bytes(path: str | os.PathLike) -> bytes:
    """Return the file's content, decompressed if it starts with the gzip magic."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise IdxError(path, "file not found") from None
    except OSError as error:
        raise IdxError(path, f"cannot read: {error.strerror or error}") from None
    if not raw.startswith(GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise IdxError(path, f"damaged gzip data ({error})") from None


def parse_idx(data: bytes, path: str | os.PathLike = "<bytes>") -> np.ndarray:
    """Decode one IDX blob into an array of its declared type and shape.

    The magic number is checked, then the header length, then that the data is exactly
    as long as the sizes say: no truncated data, no trailing bytes.
    """
    if len(data) < 4:
        raise IdxError(path, f"truncated header: expected at least 4 bytes, got {len(data)}")
    zero, type_code, ndim = struct.unpack(">HBB", data[:4])
    magic = int.from_bytes(data[:4], "big")
    if zero != 0 or type_code not in IDX_DTYPES or ndim == 0:
        raise IdxError(path, f"bad magic number: expected an IDX header, got {magic}")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IdxError(
            path,
            f"truncated header: expected {header_size} bytes for {ndim} dimensions, "
            f"got {len(data)}",
        )
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    dtype = IDX_DTYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header_size
    if actual < expected:
        raise IdxError(
            path,
            f"truncated data: expected {expected} bytes for shape {shape}, got {actual}",
        )
    if actual > expected:
        raise IdxError(
            path,
            f"trailing bytes: expected {expected} bytes for shape {shape}, "
            f"got {actual} ({actual - expected} extra)",
        )
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike, magic: int | None = None) -> np.ndarray:
    """Read an IDX file (gzip or raw); if `magic` is given the file must carry it.

    Example:
        >>> labels = read_idx("train-labels-idx1-ubyte.gz", magic=LABELS_MAGIC)
    """
    data = read_bytes(path)
    if magic is not None and len(data) >= 4:
        found = int.from_bytes(data[:4], "big")
        if found != magic:
            raise IdxError(
                path,
                f"bad magic number: expected {magic} ({describe_magic(magic)}), "
                f"got {found} ({describe_magic(found)})",
            )
    return parse_idx(data, path)


def read_images(path: str | os.PathLike, image_shape: tuple[int, int] | None = None) -> np.ndarray:
    """Read an IDX image file (magic 2051) as uint8 (images, rows, columns).

    `image_shape`, when given, is the (rows, columns) every image must have, e.g. (28, 28).
    """
    images = read_idx(path, magic=IMAGES_MAGIC)
    rows, columns = images.shape[1:]
    if rows == 0 or columns == 0:
        raise IdxError(path, f"wrong image size: expected rows, columns > 0, got {rows}x{columns}")
    if image_shape is not None and (rows, columns) != tuple(image_shape):
        raise IdxError(
            path,
            f"wrong image size: expected {image_shape[0]}x{image_shape[1]}, got {rows}x{columns}",
        )
    return images


def read_labels(path: str | os.PathLike, classes: int | None = None) -> np.ndarray:
    """Read an IDX label file (magic 2049) as a uint8 vector (labels,).

    `classes`, when given, bounds the values: every label must lie in 0..classes-1.
    """
    labels = read_idx(path, magic=LABELS_MAGIC)
    if classes is not None and labels.size and int(labels.max()) >= classes:
        bad = int(np.argmax(labels >= classes))
        raise IdxError(
            path,
            f"label out of range: expected 0..{classes - 1}, got {int(labels[bad])} at index {bad}",
        )
    return labels


def read_pair(
    images_path: str | os.PathLike,
    labels_path: str | os.PathLike,
    image_shape: tuple[int, int] | None = None,
    classes: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Read matching image and label files; their counts must agree.

    Returns:
        images: uint8 (samples, rows, columns); labels: uint8 (samples,).
    """
    images = read_images(images_path, image_shape)
    labels = read_labels(labels_path, classes)
    if len(images) != len(labels):
        raise IdxError(
            labels_path,
            f"label count does not match {Path(images_path).name}: "
            f"expected {len(images)} labels, got {len(labels)}",
        )
    return images, labels


def encode_idx(array: np.ndarray) -> bytes:
    """Encode an array as IDX bytes (header + big-endian data)."""
    array = np.asarray(array)
    code = _TYPE_CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        names = ", ".join(str(dtype.newbyteorder("=")) for dtype in IDX_DTYPES.values())
        raise ValueError(f"IDX element type: expected one of {names}, got {array.dtype}")
    if array.ndim == 0 or array.ndim > 255:
        raise ValueError(f"IDX dimensions: expected 1..255, got {array.ndim}")
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(IDX_DTYPES[code], copy=False).tobytes()


def write_idx(path: str | os.PathLike, array: np.ndarray, compress: bool | None = None) -> Path:
    """Write an array as an IDX file; gzip it if `compress`, by default when the name ends .gz.

    Example:
        >>> write_idx("t10k-labels-idx1-ubyte.gz", np.array([7, 2, 1], dtype=np.uint8))
    """
    path = Path(path)
    data = encode_idx(array)
    if compress is None:
        compress = path.suffix == ".gz"
    if compress:
        # mtime=0 keeps the bytes (and so their checksum) the same from run to run.
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path
