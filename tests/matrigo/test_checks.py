"""Tests of matrigo.checks: what gets in, and the messages for what does not."""

from fractions import Fraction

import numpy as np
import pytest

from matrigo import ShapeError
from matrigo.checks import (
    as_float_dtype,
    as_generator,
    as_real,
    as_real_array,
    as_size,
    is_scalar,
    shape_text,
)


def test_shape_text_names_matrices_and_other_shapes():
    assert shape_text((2, 3)) == "2x3"
    assert shape_text((6,)) == "1-D shape (6,)"
    assert shape_text(()) == "0-D shape ()"
    assert shape_text((1, 2, 3)) == "3-D shape (1, 2, 3)"


def test_as_size_takes_non_negative_ints():
    assert as_size(3, "w", "rows") == 3
    assert as_size(np.int64(0), "w", "rows") == 0
    assert type(as_size(np.int32(2), "w", "rows")) is int
    with pytest.raises(ValueError, match="w: expected rows >= 0, got -2"):
        as_size(-2, "w", "rows")
    for bad in (2.0, "2", True, None):
        with pytest.raises(TypeError, match="w: expected rows as a non-negative int, got"):
            as_size(bad, "w", "rows")


def test_as_float_dtype_takes_float64_and_float32_only():
    assert as_float_dtype(np.float32, "w") == np.float32
    assert as_float_dtype("float64", "w") == np.float64
    assert as_float_dtype(float, "w") == np.float64
    with pytest.raises(TypeError, match="w: expected dtype float64 or float32, got float16"):
        as_float_dtype(np.float16, "w")
    with pytest.raises(TypeError, match="got 'no such dtype'"):
        as_float_dtype("no such dtype", "w")


def test_is_scalar():
    for yes in (1, 1.5, 1j, True, np.float32(1), np.int8(1), np.array(2.0), Fraction(1, 2)):
        assert is_scalar(yes), yes
    for no in ("1", [1], np.ones(1), np.ones((1, 1)), None):
        assert not is_scalar(no), no


def test_as_real_gives_finite_python_floats():
    for value, expected in [
        (2, 2.0),
        (np.float32(0.5), 0.5),
        (np.array(3), 3.0),
        (Fraction(1, 4), 0.25),
    ]:
        result = as_real(value, "w")
        assert result == expected and type(result) is float


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (True, TypeError, "w: expected a real number, got bool"),
        (np.bool_(False), TypeError, "got bool"),
        (1j, TypeError, "got complex"),
        ("1", TypeError, "got str"),
        (None, TypeError, "got NoneType"),
        (np.ones(2), TypeError, "got ndarray"),
        (float("nan"), ValueError, "w: expected a finite number, got nan"),
        (-np.inf, ValueError, "got -inf"),
        (10**400, ValueError, "expected a finite number"),
    ],
)
def test_as_real_refuses(value, error, message):
    with pytest.raises(error, match=message):
        as_real(value, "w")


def test_as_real_array_takes_numbers_in_any_shape():
    assert as_real_array([[1, 2], [3, 4]], "w").shape == (2, 2)
    assert as_real_array(range(3), "w").tolist() == [0, 1, 2]
    assert as_real_array((x for x in range(3)), "w").tolist() == [0, 1, 2]
    assert as_real_array({1: 0, 2: 0}.keys(), "w").tolist() == [1, 2]
    assert as_real_array([Fraction(1, 2), 2**80], "w").dtype == np.float64
    array = np.ones((2, 2), dtype=np.float32)
    assert as_real_array(array, "w") is array  # no copy here: the caller decides
    assert np.isnan(as_real_array([np.nan], "w")).all()  # the caller decides on NaN too


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ([[1, 2], [3]], ShapeError, "w: expected rows of equal length, got row lengths [2, 1]"),
        ([[1, 2], 3], ShapeError, "got row lengths [2, scalar]"),
        (
            [[1, [2]], [3, 4]],
            ShapeError,
            "w: expected rows of numbers, got a row holding a sequence",
        ),
        ([[1]] * 11 + [[1, 2]], ShapeError, "row lengths [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ...]"),
        ("abc", TypeError, "w: expected real numbers, got str"),
        ([b"a"], TypeError, "got bytes"),
        ([1 + 1j], TypeError, "got complex"),
        ([True, False], TypeError, "got bool"),
        ([1, None], TypeError, "got NoneType"),
        ([1, True, object()], TypeError, "got bool"),
        ([np.datetime64("2020-01-01")], TypeError, "got datetime64"),
        ({"a": 1}, TypeError, "got str"),
    ],
)
def test_as_real_array_refuses(data, error, message):
    with pytest.raises(error) as caught:
        as_real_array(data, "w")
    assert message in str(caught.value)


def test_as_generator_makes_reproducible_generators():
    rng = np.random.default_rng(1)
    assert as_generator(rng, "w") is rng
    assert as_generator(5, "w").random() == as_generator(np.int64(5), "w").random()
    assert isinstance(as_generator(None, "w"), np.random.Generator)
    with pytest.raises(ValueError, match="w: expected seed >= 0, got -1"):
        as_generator(-1, "w")
    for bad in (1.0, True, "1", np.random.RandomState(0)):
        with pytest.raises(TypeError, match="expected seed as an int, a numpy Generator or None"):
            as_generator(bad, "w")
