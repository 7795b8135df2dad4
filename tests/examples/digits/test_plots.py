"""The PNG report is written, is a real PNG, and shows what it should."""

import matplotlib.image
import numpy as np

from examples.digits.plots import GRID_COLUMNS, GRID_ROWS, as_picture, save_report_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def sample_digits(count=60, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.random((count, 64)).astype(np.float32)
    labels = rng.integers(0, 10, count)
    predictions = labels.copy()
    predictions[[1, 3]] = (labels[[1, 3]] + 1) % 10
    return images, labels, predictions


def test_png_is_written_and_loadable(tmp_path):
    images, labels, predictions = sample_digits()
    path = save_report_png(
        tmp_path / "out" / "report.png",
        loss=[1.0, 0.5, 0.3],
        val_loss=[1.1, 0.6, 0.4],
        val_accuracy=[0.7, 0.8, 0.9],
        images=images,
        labels=labels,
        predictions=predictions,
        image_shape=(8, 8),
        title="8x8 digits",
    )
    assert path == tmp_path / "out" / "report.png"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    pixels = matplotlib.image.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 300 and pixels.shape[1] > 300
    # Wrong predictions are framed and titled in red: some strongly red pixels exist.
    red = (pixels[..., 0] > 0.75) & (pixels[..., 1] < 0.3) & (pixels[..., 2] < 0.3)
    assert red.sum() > 50


def test_all_right_predictions_draw_no_red(tmp_path):
    images, labels, _ = sample_digits()
    path = save_report_png(
        tmp_path / "right.png", [1.0], [None], [None], images, labels, labels, (8, 8)
    )
    pixels = matplotlib.image.imread(path)
    red = (pixels[..., 0] > 0.75) & (pixels[..., 1] < 0.3) & (pixels[..., 2] < 0.3)
    assert red.sum() == 0


def test_fewer_digits_than_the_grid_and_no_validation(tmp_path):
    images, labels, predictions = sample_digits(count=5)
    assert GRID_ROWS * GRID_COLUMNS > 5
    path = save_report_png(
        tmp_path / "small.png", [0.9, 0.4], [], [], images, labels, predictions, (8, 8)
    )
    assert path.read_bytes()[:8] == PNG_SIGNATURE


def test_a_colour_row_is_drawn_with_its_channels_last():
    image = np.zeros((3, 4, 5), dtype=np.float32)
    image[0, 1, 2] = 1.0  # red at row 1, column 2
    image[2, 3, 4] = 0.5  # half blue at row 3, column 4
    picture = as_picture(image.reshape(-1), (3, 4, 5))
    assert picture.shape == (4, 5, 3)
    assert tuple(picture[1, 2]) == (1.0, 0.0, 0.0) and tuple(picture[3, 4]) == (0.0, 0.0, 0.5)
    assert as_picture(np.ones(64), (8, 8)).shape == (8, 8)
    assert as_picture(np.ones(64), (1, 8, 8)).shape == (8, 8)  # one channel is grey


def test_colour_images_with_class_names(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.random((30, 3 * 32 * 32)).astype(np.float32)
    labels = rng.integers(0, 10, 30)
    predictions = labels.copy()
    predictions[0] = (labels[0] + 1) % 10
    names = tuple(f"class {label}" for label in range(10))  # longer than a digit
    path = save_report_png(
        tmp_path / "cifar.png", [2.0, 1.5], [2.1, 1.7], [0.3, 0.4], images, labels, predictions,
        (3, 32, 32), title="CIFAR-10", class_names=names,
    )  # fmt: skip
    pixels = matplotlib.image.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 300
    # The photos are drawn in colour: pixels whose channels differ a lot exist.
    assert (np.ptp(pixels[..., :3], axis=2) > 0.5).sum() > 10_000  # grey ones: 2,300
