"""The CIFAR-10 batch reader on files written in the exact binary format, and every refusal."""

import numpy as np
import pytest

from examples.digits.cifar import (
    RECORD_BYTES,
    CifarError,
    parse_batch,
    read_batch,
    read_class_names,
)

# CIFAR-10's class names, label 0 first, as batches.meta.txt lists them.
NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def test_the_record_layout_is_label_then_red_green_blue_planes_row_major():
    record = bytearray(RECORD_BYTES)
    record[0] = 7  # the label
    record[1 + 0] = 11  # red, row 0, column 0
    record[1 + 1] = 12  # red, row 0, column 1
    record[1 + 32] = 13  # red, row 1, column 0
    record[1 + 1024 + 5 * 32 + 6] = 21  # green, row 5, column 6
    record[1 + 2048 + 31 * 32 + 31] = 31  # blue, row 31, column 31
    images, labels = parse_batch(bytes(record))
    assert images.shape == (1, 3, 32, 32) and images.dtype == np.uint8
    assert labels.tolist() == [7]
    assert images[0, 0, 0, 0] == 11 and images[0, 0, 0, 1] == 12 and images[0, 0, 1, 0] == 13
    assert images[0, 1, 5, 6] == 21
    assert images[0, 2, 31, 31] == 31
    assert int(images.sum()) == 11 + 12 + 13 + 21 + 31  # nothing else set


def test_a_batch_round_trips_pixels_and_labels(tmp_path, synthetic_cifar, write_cifar_batch):
    images, labels = synthetic_cifar(20, seed=3)
    path = write_cifar_batch(tmp_path / "data_batch_1.bin", images, labels)
    assert path.stat().st_size == 20 * 3073
    read_images, read_labels = read_batch(path)
    np.testing.assert_array_equal(read_images, images)
    np.testing.assert_array_equal(read_labels, labels)


def test_the_arrays_are_writable_copies(tmp_path, synthetic_cifar, write_cifar_batch):
    path = write_cifar_batch(tmp_path / "b.bin", *synthetic_cifar(3, seed=0))
    images, labels = read_batch(path)
    assert images.flags.writeable and images.flags.c_contiguous and images.flags.owndata
    assert labels.flags.writeable
    images[0, 0, 0, 0] = 1  # no "read-only" error from a view of the file's bytes


def test_any_whole_number_of_records_is_taken_unless_the_count_is_given(
    tmp_path, synthetic_cifar, write_cifar_batch
):
    path = write_cifar_batch(tmp_path / "b.bin", *synthetic_cifar(20, seed=0))
    assert len(read_batch(path)[1]) == 20
    assert len(read_batch(path, records=20)[1]) == 20
    with pytest.raises(CifarError) as caught:
        read_batch(path, records=10_000)
    assert str(caught.value) == (
        f"{path}: wrong number of images: expected 10000 (30730000 bytes), got 20 (61460 bytes)"
    )


@pytest.mark.parametrize(
    ("cut", "records", "extra"),
    [(-1, 19, 3072), (+1, 20, 1), (-3000, 19, 73)],
)
def test_a_size_that_is_not_whole_records_is_refused(
    tmp_path, synthetic_cifar, write_cifar_batch, cut, records, extra
):
    path = write_cifar_batch(tmp_path / "data_batch_2.bin", *synthetic_cifar(20, seed=0))
    data = path.read_bytes()
    path.write_bytes(data[:cut] if cut < 0 else data + b"\0" * cut)
    with pytest.raises(CifarError) as caught:
        read_batch(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a whole number of records: ")
    assert (
        "expected a multiple of 3073 bytes (1 label byte + 3072 pixel bytes per image)" in message
    )
    assert f"got {len(data) + cut} bytes ({records} records and {extra} bytes more)" in message
    assert caught.value.path == path


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "test_batch.bin"
    path.write_bytes(b"")
    with pytest.raises(CifarError, match="test_batch.bin: empty file: expected records of 3073"):
        read_batch(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CifarError, match="data_batch_3.bin: file not found"):
        read_batch(tmp_path / "data_batch_3.bin")


@pytest.mark.parametrize("label", [10, 255])
def test_a_label_out_of_range_is_refused_with_its_image(
    tmp_path, synthetic_cifar, write_cifar_batch, label
):
    images, labels = synthetic_cifar(5, seed=1)
    labels[3] = label
    path = write_cifar_batch(tmp_path / "data_batch_4.bin", images, labels)
    with pytest.raises(CifarError) as caught:
        read_batch(path)
    assert str(caught.value) == (
        f"{path}: label out of range in image 3 (byte 9219): expected 0..9, got {label}"
    )


def test_the_official_class_names_file_is_read_with_its_trailing_blank_line(tmp_path):
    path = tmp_path / "batches.meta.txt"
    path.write_text("\n".join(NAMES) + "\n\n")
    assert read_class_names(path) == NAMES


def test_class_names_tolerate_windows_line_ends_and_spaces(tmp_path):
    path = tmp_path / "batches.meta.txt"
    path.write_bytes(("\r\n".join(f" {name} " for name in NAMES) + "\r\n").encode())
    assert read_class_names(path) == NAMES


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (NAMES[:9], "wrong number of class names: expected 10, one per line, got 9"),
        (
            (*NAMES, "lorry"),
            "wrong number of class names: expected 10, one per line, got 11",
        ),
        (
            (*NAMES[:3], "", *NAMES[3:]),
            "blank class name on line 4: expected one name per line, got an empty line",
        ),
        (
            (*NAMES[:9], "cat"),
            "class name 'cat' on lines 4 and 10: expected 10 different names",
        ),
        ((), "wrong number of class names: expected 10, one per line, got 0"),
    ],
)
def test_bad_class_names_are_refused(tmp_path, lines, problem):
    path = tmp_path / "batches.meta.txt"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CifarError) as caught:
        read_class_names(path)
    assert str(caught.value) == f"{path}: {problem}"


def test_class_names_that_are_not_text_are_refused(tmp_path):
    path = tmp_path / "batches.meta.txt"
    path.write_bytes(b"airplane\n\xff\xfe\n")
    with pytest.raises(
        CifarError, match=r"not text: expected class names in UTF-8 .* got byte 0xff at offset 9"
    ):
        read_class_names(path)


def test_an_official_size_batch_is_read_with_its_count_checked(tmp_path):
    path = tmp_path / "data_batch_5.bin"
    path.write_bytes(bytes(30_730_000))  # 10,000 records of label 0, black images
    images, labels = read_batch(path, records=10_000)
    assert images.shape == (10_000, 3, 32, 32) and labels.shape == (10_000,)
