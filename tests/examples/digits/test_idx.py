"""IDX files: valid ones round-trip (gzip or raw), every kind of damage is reported by file name."""

import gzip
import struct

import numpy as np
import pytest

from examples.digits.idx import (
    IMAGES_MAGIC,
    LABELS_MAGIC,
    IdxError,
    encode_idx,
    read_idx,
    read_images,
    read_labels,
    read_pair,
    write_idx,
)


def images(count=3, rows=4, columns=5):
    return np.arange(count * rows * columns, dtype=np.uint8).reshape(count, rows, columns)


def test_hand_built_mnist_bytes_decode_as_the_spec_says(tmp_path):
    # Built with struct from the format description, not with our writer: magic 2051,
    # then count, rows, columns as big-endian uint32, then row-major pixels.
    pixels = bytes(range(2 * 2 * 3))
    path = tmp_path / "images"
    path.write_bytes(struct.pack(">IIII", 2051, 2, 2, 3) + pixels)
    decoded = read_images(path)
    assert decoded.dtype == np.uint8
    assert decoded.shape == (2, 2, 3)
    assert decoded[1, 0].tolist() == [6, 7, 8]
    labels_path = tmp_path / "labels"
    labels_path.write_bytes(struct.pack(">II", 2049, 2) + bytes([7, 3]))
    assert read_labels(labels_path).tolist() == [7, 3]


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_round_trip_raw_and_gzip(tmp_path, name):
    array = images()
    path = write_idx(tmp_path / name, array)
    assert path.read_bytes().startswith(b"\x1f\x8b") == name.endswith(".gz")
    np.testing.assert_array_equal(read_images(path), array)


def test_gzip_is_detected_by_content_not_by_name(tmp_path):
    gz_named_raw = write_idx(tmp_path / "a.gz", images(), compress=False)
    raw_named_gz = write_idx(tmp_path / "b", images(), compress=True)
    np.testing.assert_array_equal(read_images(gz_named_raw), images())
    np.testing.assert_array_equal(read_images(raw_named_gz), images())


def test_gzip_output_is_reproducible(tmp_path):
    first = write_idx(tmp_path / "1.gz", images()).read_bytes()
    second = write_idx(tmp_path / "2.gz", images()).read_bytes()
    assert first == second


@pytest.mark.parametrize(
    "array",
    [
        np.array([1.5, -2.0], dtype=np.float32),
        np.arange(6, dtype=np.int32).reshape(2, 3) - 3,
        np.arange(4, dtype=np.int16),
        np.arange(4, dtype=np.int8) - 2,
        np.linspace(0, 1, 5),
    ],
)
def test_other_element_types_round_trip(tmp_path, array):
    decoded = read_idx(write_idx(tmp_path / "x", array))
    assert decoded.dtype == array.dtype.newbyteorder("=")
    np.testing.assert_array_equal(decoded, array)


def test_unsupported_dtype_is_refused():
    with pytest.raises(ValueError, match="IDX element type"):
        encode_idx(np.array([True, False]))


def test_bad_magic_names_the_file(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(b"PK\x03\x04" + bytes(40))  # a zip file, say
    with pytest.raises(IdxError) as caught:
        read_images(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "bad magic number" in str(caught.value)
    assert "2051" in str(caught.value)


def test_swapped_files_say_which_magic_came(tmp_path):
    labels = write_idx(tmp_path / "labels.gz", np.array([1, 2], dtype=np.uint8))
    with pytest.raises(IdxError, match=r"expected 2051 .*got 2049 \(unsigned bytes, 1 dimension\)"):
        read_images(labels)


def test_wrong_number_of_dimensions_is_a_bad_magic(tmp_path):
    flat = write_idx(tmp_path / "flat", np.zeros((3, 784), dtype=np.uint8))  # magic 2050
    with pytest.raises(IdxError, match=r"expected 2051.*got 2050 \(unsigned bytes, 2 dimensions\)"):
        read_images(flat)


def test_wrong_image_size_is_reported(tmp_path):
    path = write_idx(tmp_path / "small.gz", np.zeros((2, 8, 8), dtype=np.uint8))
    with pytest.raises(IdxError, match="wrong image size: expected 28x28, got 8x8"):
        read_images(path, image_shape=(28, 28))


def test_zero_sized_images_are_refused(tmp_path):
    path = tmp_path / "empty-rows"
    path.write_bytes(struct.pack(">IIII", IMAGES_MAGIC, 3, 0, 28))
    with pytest.raises(IdxError, match="wrong image size"):
        read_images(path)


def test_truncated_data_is_reported_before_any_reshape(tmp_path):
    whole = encode_idx(images())
    path = tmp_path / "cut"
    path.write_bytes(whole[:-7])
    with pytest.raises(
        IdxError, match=r"truncated data: expected 60 bytes for shape \(3, 4, 5\), got 53"
    ):
        read_images(path)


def test_trailing_bytes_are_reported(tmp_path):
    path = tmp_path / "long"
    path.write_bytes(encode_idx(images()) + b"\x00\x00")
    with pytest.raises(IdxError, match=r"trailing bytes: .* got 62 \(2 extra\)"):
        read_images(path)


@pytest.mark.parametrize("size", [0, 3, 10])
def test_truncated_header_is_reported(tmp_path, size):
    path = tmp_path / "stub"
    path.write_bytes(struct.pack(">IIII", IMAGES_MAGIC, 1, 1, 1)[:size])
    with pytest.raises(IdxError, match="truncated header"):
        read_images(path)


def test_damaged_gzip_is_reported_with_the_file_name(tmp_path):
    whole = gzip.compress(encode_idx(images()))
    path = tmp_path / "broken.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(IdxError, match="damaged gzip data") as caught:
        read_images(path)
    assert caught.value.path == path


def test_corrupted_gzip_checksum_is_reported(tmp_path):
    whole = bytearray(gzip.compress(encode_idx(images())))
    whole[-8] ^= 0xFF  # the CRC-32 of the uncompressed data
    path = tmp_path / "crc.gz"
    path.write_bytes(bytes(whole))
    with pytest.raises(IdxError, match="damaged gzip data"):
        read_images(path)


def test_missing_file_is_an_idx_error_naming_it(tmp_path):
    with pytest.raises(IdxError, match="file not found") as caught:
        read_labels(tmp_path / "nope")
    assert caught.value.path == tmp_path / "nope"


def test_idx_error_is_a_value_error():
    assert issubclass(IdxError, ValueError)


def test_pair_with_matching_counts(tmp_path):
    image_path = write_idx(tmp_path / "i.gz", images())
    label_path = write_idx(tmp_path / "l.gz", np.array([0, 1, 2], dtype=np.uint8))
    pixels, labels = read_pair(image_path, label_path, image_shape=(4, 5), classes=10)
    assert pixels.shape == (3, 4, 5)
    assert labels.tolist() == [0, 1, 2]


def test_pair_count_mismatch_names_both_files(tmp_path):
    image_path = write_idx(tmp_path / "train-images.gz", images(count=3))
    label_path = write_idx(tmp_path / "train-labels.gz", np.array([0, 1], dtype=np.uint8))
    with pytest.raises(IdxError) as caught:
        read_pair(image_path, label_path)
    message = str(caught.value)
    assert caught.value.path == label_path
    assert "train-images.gz" in message
    assert "expected 3 labels, got 2" in message


def test_label_out_of_range_is_reported(tmp_path):
    path = write_idx(tmp_path / "labels", np.array([3, 12, 1], dtype=np.uint8))
    with pytest.raises(IdxError, match="label out of range: expected 0..9, got 12 at index 1"):
        read_labels(path, classes=10)


def test_labels_magic_constant():
    assert LABELS_MAGIC == 0x0801
    assert IMAGES_MAGIC == 0x0803
