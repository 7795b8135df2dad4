"""Checking what comes into a Matrix (sizes, scalars, data, dtypes, seeds); naming shapes.

Every check raises with the house form ``"<what>: expected <expected>, got <actual>"``:
ShapeError for shapes, TypeError for the wrong kind of thing, ValueError for a bad value.
"""

import math
import numbers
from collections.abc import Iterable, Sequence, Sized

import numpy as np

from matrigo.errors import ShapeError

FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))

# numpy dtype kinds that hold real numbers: signed/unsigned integers and floats.
_REAL_KINDS = "iuf"
_KIND_NAMES = {"b": "bool", "c": "complex", "U": "str", "S": "bytes", "M": "datetime64"}


def shape_text(shape: tuple) -> str:
    """Name a shape the way messages do: ``2x3`` for a matrix, ``1-D shape (6,)`` otherwise."""
    if len(shape) == 2:
        return f"{shape[0]}x{shape[1]}"
    return f"{len(shape)}-D shape {tuple(shape)}"


def type_name(value: object) -> str:
    """Name the type of `value` for an error message."""
    return type(value).__name__


def as_size(value: object, what: str, name: str) -> int:
    """Return `value` as a non-negative int (a number of rows or columns)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what}: expected {name} as a non-negative int, got {type_name(value)}")
    if value < 0:
        raise ValueError(f"{what}: expected {name} >= 0, got {value}")
    return int(value)


def as_float_dtype(dtype: object, what: str) -> np.dtype:
    """Return `dtype` as numpy's float64 or float32 dtype, the two a Matrix can hold."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{what}: expected dtype float64 or float32, got {dtype!r}") from None
    if resolved not in FLOAT_DTYPES:
        raise TypeError(f"{what}: expected dtype float64 or float32, got {resolved}")
    return resolved


def is_scalar(value: object) -> bool:
    """Tell whether `value` looks like one number (so an operator should treat it as a scalar)."""
    if isinstance(value, np.ndarray):
        return value.ndim == 0
    return isinstance(value, (numbers.Number, np.generic))


def as_real(value: object, what: str, name: str = "a real number") -> float:
    """Return `value` as a finite Python float; bools, complex, strings and NaN/inf are refused."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what}: expected {name}, got {type_name(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{what}: expected a finite number, got {value}") from None
    if not math.isfinite(number):
        raise ValueError(f"{what}: expected a finite number, got {number}")
    return number


def as_real_array(data: object, what: str) -> np.ndarray:
    """Return `data` (nested sequences or an array) as a numpy array of real numbers, any shape.

    Ragged rows raise ShapeError; strings, complex numbers, bools and other objects raise
    TypeError naming what came. NaN and inf pass: whether they are allowed is the caller's call.
    """
    if isinstance(data, Iterable) and not isinstance(data, (np.ndarray, Sequence, str, bytes)):
        data = list(data)  # generators, dict views: numpy would wrap them in a 0-d object array
    try:
        array = np.asarray(data)
    except ValueError:
        raise ShapeError(_ragged_message(data, what)) from None
    kind = array.dtype.kind
    if kind in _REAL_KINDS:
        return array
    if kind == "O":
        return _real_objects(array, what)
    name = _KIND_NAMES.get(kind, str(array.dtype))
    raise TypeError(f"{what}: expected real numbers, got {name}")


def _real_objects(array: np.ndarray, what: str) -> np.ndarray:
    """Convert an object array of real numbers (Fraction, huge int) to float; refuse the rest."""
    for item in array.flat:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
            raise TypeError(f"{what}: expected real numbers, got {type_name(item)}")
    try:
        return array.astype(np.float64)
    except OverflowError:
        raise ValueError(f"{what}: expected numbers within float64 range, got larger") from None


def _ragged_message(data: object, what: str) -> str:
    """Say how nested data fails to be a grid: rows of different lengths, or a sequence in a row."""
    lengths = [len(row) if isinstance(row, Sized) else "scalar" for row in data]
    if len(set(lengths)) == 1:
        return f"{what}: expected rows of numbers, got a row holding a sequence"
    shown = ", ".join(str(length) for length in lengths[:10])
    more = ", ..." if len(lengths) > 10 else ""
    return f"{what}: expected rows of equal length, got row lengths [{shown}{more}]"


def as_generator(seed: object, what: str) -> np.random.Generator:
    """Turn `seed` (an int, a numpy Generator or None for fresh entropy) into a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            f"{what}: expected seed as an int, a numpy Generator or None, got {type_name(seed)}"
        )
    if seed < 0:
        raise ValueError(f"{what}: expected seed >= 0, got {seed}")
    return np.random.default_rng(int(seed))
