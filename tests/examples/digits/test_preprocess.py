"""Drawing -> network input: framed and centred the way each data set's digits are."""

import numpy as np
import pytest

from examples.digits.canvas import Canvas
from examples.digits.preprocess import (
    INPUT_SHAPES,
    area_weights,
    bounding_box,
    center_of_mass,
    digits_input,
    mnist_input,
    preprocessor,
    resize_area,
    to_mnist_image,
    to_optdigits_image,
)

# Pasting moves by whole pixels, so a centre of mass lands within half a pixel of the target.
HALF_PIXEL = 0.5 + 1e-9


def blob(centre, size=280, radius=40.0):
    canvas = Canvas(size, radius)
    canvas.stroke(centre, centre)
    return canvas.pixels


def vertical_bar(x, top, bottom, size=280, radius=11.0):
    canvas = Canvas(size, radius)
    canvas.stroke((x, top), (x, bottom))
    return canvas.pixels


def test_area_weights_average_and_conserve():
    weights = area_weights(10, 4)
    assert weights.shape == (4, 10)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(weights.sum(axis=0), 0.4)  # each source pixel spread over targets
    up = area_weights(3, 6)
    np.testing.assert_allclose(up.sum(axis=1), 1.0)


def test_resize_keeps_a_constant_image_constant():
    image = np.full((37, 23), 0.25)
    np.testing.assert_allclose(resize_area(image, 20, 11), 0.25)


def test_resize_by_an_integer_factor_is_block_averaging():
    image = np.arange(16.0).reshape(4, 4)
    expected = image.reshape(2, 2, 2, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(resize_area(image, 2, 2), expected)


def test_bounding_box_and_centre_of_mass():
    image = np.zeros((10, 10))
    image[2:5, 6:8] = 1.0
    assert bounding_box(image) == (2, 5, 6, 8)
    assert center_of_mass(image) == pytest.approx((3.0, 6.5))
    with pytest.raises(ValueError, match="expected some ink"):
        bounding_box(np.zeros((3, 3)))


@pytest.mark.parametrize("make_input, size", [(mnist_input, 784), (digits_input, 64)])
def test_output_shape_dtype_and_range(make_input, size):
    x = make_input(vertical_bar(140, 40, 240))
    assert x.shape == (size,)
    assert x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert x.max() > 0.5


@pytest.mark.parametrize("make_input, size", [(mnist_input, 784), (digits_input, 64)])
def test_an_empty_canvas_gives_zeros(make_input, size):
    x = make_input(np.zeros((280, 280)))
    assert x.shape == (size,) and not x.any()


def test_mnist_centred_blob_stays_centred():
    image = to_mnist_image(blob((140, 140)))
    row, column = center_of_mass(image)
    assert row == pytest.approx(14.0, abs=HALF_PIXEL)
    assert column == pytest.approx(14.0, abs=HALF_PIXEL)


@pytest.mark.parametrize("where", [(50, 60), (230, 70), (60, 225), (220, 220)])
def test_mnist_off_centre_drawing_gets_centred(where):
    image = to_mnist_image(blob(where))
    row, column = center_of_mass(image)
    assert row == pytest.approx(14.0, abs=HALF_PIXEL)
    assert column == pytest.approx(14.0, abs=HALF_PIXEL)
    np.testing.assert_allclose(image, to_mnist_image(blob((140, 140))), atol=1e-9)


def test_mnist_digit_fits_a_20_pixel_box_keeping_its_aspect():
    image = to_mnist_image(vertical_bar(60, 30, 250))  # tall and thin, far left
    top, bottom, left, right = bounding_box(image, threshold=0.0)
    assert bottom - top == 20
    assert right - left < 6
    assert center_of_mass(image)[1] == pytest.approx(14.0, abs=HALF_PIXEL)


def test_mnist_small_drawing_is_scaled_up():
    image = to_mnist_image(blob((40, 40), radius=6))
    top, bottom, left, right = bounding_box(image, threshold=0.0)
    assert bottom - top == 20 and right - left == 20


def test_digits_image_has_levels_0_to_16():
    image = to_optdigits_image(vertical_bar(200, 20, 260))
    assert image.shape == (8, 8)
    np.testing.assert_array_equal(image, np.round(image))
    assert image.min() == 0 and image.max() == 16


def test_digits_drawing_fills_the_height_and_is_centred_across():
    # Every scikit-learn digit touches the top and bottom rows and is centred left-right.
    image = to_optdigits_image(vertical_bar(230, 60, 180))
    assert image[0].any() and image[-1].any()
    _, column = center_of_mass(image)
    assert column == pytest.approx(3.5, abs=HALF_PIXEL)


def test_digits_centred_blob_stays_centred_and_off_centre_one_moves():
    centred = to_optdigits_image(blob((140, 140)))
    assert center_of_mass(centred) == pytest.approx((3.5, 3.5), abs=0.3)
    np.testing.assert_array_equal(to_optdigits_image(blob((60, 200))), centred)


def test_digits_thin_strokes_are_thickened_like_the_data():
    thin = to_optdigits_image(vertical_bar(140, 20, 260, radius=2))
    bold = to_optdigits_image(vertical_bar(140, 20, 260, radius=14))
    # A 4-pixel-wide bar would fill about a column; thickening brings both to similar ink.
    assert thin.sum() / 16 / 64 >= 0.2
    assert abs(thin.sum() - bold.sum()) / bold.sum() < 0.35


def test_preprocessor_registry():
    assert preprocessor("digits") is digits_input
    assert preprocessor("mnist") is mnist_input
    assert INPUT_SHAPES == {"digits": (8, 8), "mnist": (28, 28)}
    with pytest.raises(ValueError, match="expected one of digits, mnist, got 'emnist'"):
        preprocessor("emnist")


def test_a_canvas_must_be_two_dimensional():
    with pytest.raises(ValueError, match="expected a 2-D array"):
        mnist_input(np.zeros((28, 28, 3)))
