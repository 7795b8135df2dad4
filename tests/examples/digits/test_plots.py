"""The PNG report is written, is a real PNG, and shows what it should."""

import matplotlib.image
import numpy as np

from examples.digits.plots import GRID_COLUMNS, GRID_ROWS, save_report_png

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
