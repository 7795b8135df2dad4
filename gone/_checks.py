"""The checks the public API makes of its arguments: one helper per kind of value.

Each helper returns the value as the library computes with it (an int, a float, a dtype) or
raises a GoneError in the house form "<what>: expected <expected>, got <actual>", so a string
where a number belongs is refused at the call that took it, not by numpy deep inside.
Settings raise ConfigError; arrays of data or parameters that hold NaN or infinity, DataError.
"""

import math
import numbers
from collections.abc import Callable

import numpy as np

from gone.errors import ConfigError, DataError, ShapeError

#: The float dtypes gone computes in (float64 as Go does; float32 for speed).
FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def shown(value) -> str:
    """Return `value` as an error message shows what came: its repr, numpy scalars as plain
    numbers, and anything long cut short (an array's repr could fill the terminal)."""
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({type(value).__name__})"


def _is_integer(value) -> bool:
    # Bools are refused: True is an int to Python but never a meant count or size.
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_int(value, what: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return `value` as an int in [minimum, maximum] (a missing bound is no bound); else ConfigError.

    Python and numpy ints are accepted; bools and whole floats (5.0) are not.
    """
    ok = _is_integer(value)
    ok = ok and (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
    if not ok:
        bounds = _interval(minimum, "[", maximum, "]")
        raise ConfigError(f"{what}: expected an int{bounds}, got {shown(value)}")
    return int(value)


def check_number(
    value,
    what: str,
    *,
    minimum: float | None = None,
    above: float | None = None,
    maximum: float | None = None,
    below: float | None = None,
) -> float:
    """Return `value` as a finite float within the bounds given; else ConfigError.

    `minimum` / `maximum` are inclusive bounds, `above` / `below` exclusive ones. Ints, floats
    and numpy numbers are accepted; bools, strings, None, NaN and infinity are not.

    >>> check_number(0.9, "momentum", minimum=0, below=1)
    0.9
    """
    low, low_bracket = (minimum, "[") if above is None else (above, "(")
    high, high_bracket = (maximum, "]") if below is None else (below, ")")
    number = _as_float(value)
    ok = math.isfinite(number)
    ok = ok and (low is None or (number > low if above is not None else number >= low))
    ok = ok and (high is None or (number < high if below is not None else number <= high))
    if not ok:
        bounds = _interval(low, low_bracket, high, high_bracket)
        raise ConfigError(f"{what}: expected a finite number{bounds}, got {shown(value)}")
    return number


def _as_float(value) -> float:
    """Return `value` as a float, or NaN (refused by the caller) when it is no real number."""
    if not _is_real(value):
        return math.nan
    try:
        return float(value)
    except OverflowError:  # an int beyond float range, such as 10**400
        return math.nan


def _interval(low, low_bracket: str, high, high_bracket: str) -> str:
    """Say a range as the messages do: ' in [0, 1)', ' >= 1', ' < 5', or '' for none."""
    if low is not None and high is not None:
        return f" in {low_bracket}{_bound(low)}, {_bound(high)}{high_bracket}"
    if low is not None:
        return f" {'>=' if low_bracket == '[' else '>'} {_bound(low)}"
    if high is not None:
        return f" {'<=' if high_bracket == ']' else '<'} {_bound(high)}"
    return ""


def _bound(number) -> str:
    # Whole bounds in full (16777216, not 1.67772e+07); others as short as they go (1e-08).
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def check_bool(value, what: str) -> bool:
    """Return `value` as a bool; anything but True, False (or numpy's) raises ConfigError.

    A string such as "no" would be truthy: a switch takes True or False only.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{what}: expected True or False, got {shown(value)}")
    return bool(value)


def check_callable(value, what: str) -> Callable:
    """Return `value` if it can be called; else ConfigError."""
    if not callable(value):
        raise ConfigError(f"{what}: expected a callable, got {shown(value)}")
    return value


def check_instance(value, cls: type, what: str, example: str):
    """Return `value` if it is a `cls`; else ConfigError naming an `example` of what fits."""
    if not isinstance(value, cls):
        raise ConfigError(f"{what}: expected {example}, got {shown(value)}")
    return value


def check_float_dtype(dtype, what: str = "dtype") -> np.dtype:
    """Return `dtype` as numpy's float64 or float32 dtype; anything else raises ConfigError."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:  # np.dtype("bogus")
        resolved = None
    # `is None` first: numpy compares None equal to float64 (np.dtype(None) is float64).
    if resolved is None or resolved not in FLOAT_DTYPES:
        got = shown(dtype) if resolved is None else str(resolved)
        raise ConfigError(f"{what}: expected float64 or float32, got {got}")
    return resolved


def check_finite_array(array: np.ndarray, what: str) -> np.ndarray:
    """Return `array` if every entry is finite; else DataError naming the first bad entry."""
    finite = np.isfinite(array)
    if not finite.all():
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise DataError(f"{what}: expected finite numbers, got {array[index]} at index {index}")
    return array


def real_array(values, what: str) -> np.ndarray:
    """Return `values` as a numpy array of real numbers (bools, ints or floats), not yet converted;
    else ShapeError (ragged rows) or DataError (strings, objects, complex numbers).

    Converting first to float would silently drop the imaginary part of complex numbers (with a
    warning) and turn strings of digits into numbers; this refuses both."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ShapeError(
            f"{what}: expected a rectangular array, got ragged rows ({error})"
        ) from None
    if array.dtype.kind not in "biuf":  # object, str, complex, datetime...
        raise DataError(f"{what}: expected real numbers, got values of dtype {array.dtype}")
    return array
