"""The building blocks of .gone messages: matrices, parameter lists and random generator states.

Each `*_message` / `add_*` function turns Python values into protobuf fields; each `*_from_*`
function turns fields back and raises FormatError (without a path: the caller adds it) on
anything that does not describe a valid value. Nothing here allocates more than the message
already holds, so a flipped bit in a size field cannot ask for gigabytes.
"""

import json
import math

import numpy as np

from gone._described import from_registry
from gone.errors import ConfigError, DataError, FormatError

#: The version gone writes. 0 (the field absent) is a file written by Go gone. Version 1 adds
#: fields 8-14 of NeuralNetwork; a reader refuses versions newer than its own.
FORMAT_VERSION = 1

# ---- matrices ------------------------------------------------------------------------------


def add_matrix(repeated, array: np.ndarray) -> None:
    """Append a 2-D array to a repeated Matrix field, row-major as Go stores it."""
    rows, columns = array.shape
    # tolist() then one constructor call is the fastest way into a repeated double (~0.2 us/value).
    repeated.add(Rows=rows, Columns=columns, Data=array.ravel().tolist())


def check_finite(array: np.ndarray, what: str) -> None:
    """Raise DataError if `array` holds NaN or infinity: such a file would not load again."""
    if not np.isfinite(array).all():
        raise DataError(f"{what}: expected finite numbers to save, got NaN or infinity")


def array_from_matrix(matrix, shape: tuple[int, int], dtype, what: str) -> np.ndarray:
    """Return the Matrix message as a (rows, columns) array of `dtype`, checked against `shape`."""
    if (matrix.Rows, matrix.Columns) != shape:
        raise FormatError(
            f"{what}: expected shape {shape[0]}x{shape[1]}, got {matrix.Rows}x{matrix.Columns}"
        )
    return array_from_values(matrix.Data, shape, dtype, what)


def array_from_values(values, shape: tuple[int, ...], dtype, what: str) -> np.ndarray:
    """Return a repeated double field as a finite array of `shape` and `dtype`."""
    count = math.prod(shape)
    if len(values) != count:
        shown = "x".join(str(n) for n in shape)
        raise FormatError(f"{what}: expected {count} values ({shown}), got {len(values)}")
    array = np.array(values, dtype=np.float64)
    # A double beyond float32's range becomes inf, a NaN stays NaN: both are refused just below.
    with np.errstate(over="ignore", invalid="ignore"):
        array = array.astype(dtype, copy=False).reshape(shape)
    if not np.isfinite(array).all():
        raise FormatError(f"{what}: expected finite numbers, got NaN or infinity (corrupt file?)")
    return array


# ---- named parameters ----------------------------------------------------------------------


def add_parameters(repeated, params: dict, what: str) -> None:
    """Append the constructor arguments `params` to a repeated Parameter field."""
    for name, value in params.items():
        # bool before int: True is an int in Python, and the type must come back as it went.
        if isinstance(value, (bool, np.bool_)):
            repeated.add(Name=name, Flag=bool(value))
        elif isinstance(value, (int, np.integer)):
            repeated.add(Name=name, Integer=int(value))
        elif isinstance(value, (float, np.floating)):
            repeated.add(Name=name, Number=float(value))
        elif value is None:
            repeated.add(Name=name, Nothing=True)
        else:
            raise ConfigError(
                f"{what} parameter {name!r}: expected a bool, int, float or None to store, "
                f"got {type(value).__name__}"
            )


def parameters_from(repeated, what: str) -> dict:
    """Return a repeated Parameter field as a {name: value} dict."""
    params = {}
    for parameter in repeated:
        kind = parameter.WhichOneof("Value")
        if kind is None:
            raise FormatError(f"{what} parameter {parameter.Name!r}: expected a value, got none")
        if parameter.Name in params:
            raise FormatError(f"{what} parameter {parameter.Name!r}: expected once, got twice")
        params[parameter.Name] = None if kind == "Nothing" else getattr(parameter, kind)
    return params


def build(registry: dict, name: str, params: dict, what: str):
    """Return registry[name](**params) (gone's `from_registry`), turning any failure into a
    FormatError: an unknown name (listing the valid ones) or arguments the class refuses."""
    try:
        return from_registry(registry, name, what, **params)
    except (TypeError, ValueError) as error:  # ConfigError is a ValueError
        said = f"{what} {name!r} with {params}: " if name in registry else ""
        raise FormatError(f"{said}{error}") from None


def check_version(version: int) -> None:
    """Refuse a file whose format version is newer than the one this gone writes."""
    if version > FORMAT_VERSION:
        raise FormatError(
            f"format version: expected at most {FORMAT_VERSION}, got {version} "
            "(saved by a newer gone?)"
        )


# ---- random generator states -----------------------------------------------------------------

#: The numpy bit generators whose state a file may restore.
BIT_GENERATORS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")
_ARRAY_DTYPES = ("uint32", "uint64")


def random_state_json(state: dict) -> str:
    """Return numpy's `bit_generator.state` dict as JSON text (arrays tagged with their dtype)."""
    if not isinstance(state, dict) or state.get("bit_generator") not in BIT_GENERATORS:
        name = state.get("bit_generator") if isinstance(state, dict) else type(state).__name__
        raise ConfigError(
            f"random state: expected a numpy bit_generator.state of {', '.join(BIT_GENERATORS)}, "
            f"got {name!r}"
        )
    return json.dumps(_jsonable(state), sort_keys=True, separators=(",", ":"))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return {"ndarray": value.dtype.name, "values": value.tolist()}
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return value
    raise ConfigError(
        f"random state: expected ints, strings and arrays, got {type(value).__name__}"
    )


def random_state_from_json(text: str) -> dict:
    """Return the state dict `random_state_json` wrote, checked by loading it into a generator."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise FormatError(f"random state: expected JSON text, got {error}") from None
    try:
        state = _from_jsonable(value)
    except (ValueError, RecursionError) as error:
        raise FormatError(f"random state: {error}") from None
    generator_from_state(state)  # proves the state is one numpy accepts
    return state


def _from_jsonable(value):
    if isinstance(value, dict):
        if set(value) == {"ndarray", "values"}:
            return _array_from_jsonable(value)
        return {key: _from_jsonable(item) for key, item in value.items()}
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"expected counters >= 0, got {value}")
        return value
    if isinstance(value, str):
        return value
    raise ValueError(f"expected ints, strings, arrays and objects, got {type(value).__name__}")


def _array_from_jsonable(value: dict) -> np.ndarray:
    dtype, values = value["ndarray"], value["values"]
    if dtype not in _ARRAY_DTYPES or not isinstance(values, list):
        raise ValueError(f"expected a list of {' or '.join(_ARRAY_DTYPES)}, got {dtype!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise ValueError("expected a flat list of ints in an array")
    try:
        return np.array(values, dtype=dtype)
    except OverflowError:
        raise ValueError(f"expected values that fit {dtype}") from None


def generator_from_state(state: dict) -> np.random.Generator:
    """Return a new numpy Generator whose next draws are those of the generator `state` came from.

    >>> rng = np.random.default_rng(5); state = rng.bit_generator.state
    >>> generator_from_state(state).random() == rng.random()
    True
    """
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in BIT_GENERATORS:
        raise FormatError(
            f"random state: expected a bit_generator of {', '.join(BIT_GENERATORS)}, got {name!r}"
        )
    # numpy's C code indexes its buffers with these positions without checking them.
    if name == "MT19937":
        _check_position(state.get("state"), "pos", 624)
    elif name == "Philox":
        _check_position(state, "buffer_pos", 4)
    bit_generator = getattr(np.random, name)()
    try:
        bit_generator.state = state
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError) as error:
        raise FormatError(
            f"random state: expected a valid {name} state, got {type(error).__name__}: {error}"
        ) from None
    return np.random.Generator(bit_generator)


def _check_position(container, key: str, limit: int) -> None:
    position = container.get(key) if isinstance(container, dict) else None
    if not (isinstance(position, int) and 0 <= position <= limit):
        raise FormatError(f"random state: expected {key} in [0, {limit}], got {position!r}")
