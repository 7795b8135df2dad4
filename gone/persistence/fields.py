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

#: The newest version gone reads and writes. 0 (the field absent) is a file written by Go gone.
#: Version 1 adds fields 8-14 of NeuralNetwork; version 2 the layers of other kinds than dense
#: (NeuralNetwork.Modules, with Module, Array, Parameter.Integers and Slot.Arrays). A reader
#: refuses versions newer than its own.
FORMAT_VERSION = 2

#: What a file of dense layers only is written as: a network of Go's layers, a population, a
#: strategy. Such files hold nothing of version 2, so they stay as version 1 wrote them, byte for
#: byte, and a gone that reads version 1 still reads them.
DENSE_VERSION = 1

#: Error messages quote at most this many characters of a file's own text (a name, a parameter,
#: an error about them): a file's strings can be megabytes long.
QUOTE_LIMIT = 100


def quoted(value) -> str:
    """Return repr(value) for an error message, cut after QUOTE_LIMIT characters.

    quoted("swish") is "'swish'"; quoted("x" * 10**7) is the first 100 x's in quotes, then
    "... (10000000 characters)".
    """
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        return f"{value[:QUOTE_LIMIT]!r}... ({len(value)} characters)"
    return cut(repr(value))


def cut(text: str) -> str:
    """Return `text` cut after QUOTE_LIMIT characters, saying how long it was."""
    if len(text) <= QUOTE_LIMIT:
        return text
    return f"{text[:QUOTE_LIMIT]}... ({len(text)} characters)"


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


def nan_at(values) -> int | None:
    """Return the index of the first NaN among `values` (numbers, or None where absent), or None."""
    array = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
    nan = np.flatnonzero(np.isnan(array))
    return int(nan[0]) if nan.size else None


def array_from_matrix(matrix, shape: tuple[int, int], dtype, what: str) -> np.ndarray:
    """Return the Matrix message as a (rows, columns) array of `dtype`, checked against `shape`."""
    if (matrix.Rows, matrix.Columns) != shape:
        raise FormatError(
            f"{what}: expected shape {shape[0]}x{shape[1]}, got {matrix.Rows}x{matrix.Columns}"
        )
    return array_from_values(matrix.Data, shape, dtype, what)


def add_array(repeated, array: np.ndarray, name: str = "") -> None:
    """Append an array of any number of dimensions to a repeated Array field, row-major."""
    repeated.add(Name=name, Shape=array.shape, Data=array.ravel().tolist())


def shape_shown(shape) -> str:
    """(8, 1, 5, 5) -> "8x1x5x5", cut after QUOTE_LIMIT characters (a file's shape may be long)."""
    return cut("x".join(str(n) for n in shape)) or "()"


def array_from_array(array, shape: tuple[int, ...], dtype, what: str) -> np.ndarray:
    """Return the Array message as an array of `shape` and `dtype`, its shape checked first."""
    if len(array.Shape) != len(shape) or tuple(array.Shape) != tuple(shape):
        raise FormatError(
            f"{what}: expected shape {shape_shown(shape)}, got {shape_shown(array.Shape)}"
        )
    return array_from_values(array.Data, tuple(shape), dtype, what)


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


def add_parameters(repeated, params: dict, what: str, integers: bool = False) -> None:
    """Append the constructor arguments `params` to a repeated Parameter field; tuples of ints
    (a layer's kernel size, ...) only where `integers` allows them, as `parameters_from` reads."""
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
        elif integers and isinstance(value, tuple) and all(_is_int(v) for v in value):
            entry = repeated.add(Name=name)
            entry.Integers.SetInParent()  # set even when the tuple is empty
            entry.Integers.Values.extend(int(v) for v in value)
        else:
            raise ConfigError(
                f"{what} parameter {name!r}: expected a bool, int, float or None"
                f"{', or a tuple of ints' if integers else ''} to store, got {type(value).__name__}"
            )


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def parameters_from(repeated, what: str, integers: bool = False) -> dict:
    """Return a repeated Parameter field as a {name: value} dict; tuples of ints only where
    `integers` allows them (a layer's hyperparameters), so nothing else meets a value it never
    expected."""
    params = {}
    for parameter in repeated:
        kind = parameter.WhichOneof("Value")
        if kind is None:
            raise FormatError(
                f"{what} parameter {quoted(parameter.Name)}: expected a value, got none"
            )
        if kind == "Integers" and not integers:
            raise FormatError(
                f"{what} parameter {quoted(parameter.Name)}: expected a bool, int, float or "
                "None, got a tuple of ints"
            )
        if parameter.Name in params:
            raise FormatError(
                f"{what} parameter {quoted(parameter.Name)}: expected once, got twice"
            )
        if kind == "Nothing":
            params[parameter.Name] = None
        elif kind == "Integers":
            params[parameter.Name] = tuple(parameter.Integers.Values)
        else:
            params[parameter.Name] = getattr(parameter, kind)
    return params


def build(registry: dict, name: str, params: dict, what: str):
    """Return registry[name](**params) (gone's `from_registry`), turning any failure into a
    FormatError: an unknown name (listing the valid ones) or arguments the class refuses."""
    if name not in registry:  # said here, to quote at most QUOTE_LIMIT characters of the name
        raise FormatError(
            f"{what}: expected one of {', '.join(sorted(registry))}, got {quoted(name)}"
        )
    try:
        return from_registry(registry, name, what, **params)
    except (TypeError, ValueError) as error:  # ConfigError is a ValueError
        raise FormatError(f"{what} {name!r} with {quoted(params)}: {cut(str(error))}") from None


def check_version(version: int) -> None:
    """Refuse a file whose format version is newer than the one this gone writes."""
    if version > FORMAT_VERSION:
        raise FormatError(
            f"format version: expected at most {FORMAT_VERSION}, got {version} "
            "(saved by a newer gone?)"
        )


# ---- random generator states -----------------------------------------------------------------

_UINT128 = range(2**128)
#: Half of a 64-bit draw that PCG64, Philox and SFC64 keep for the next 32-bit one.
_BUFFERED = {"has_uint32": range(2), "uinteger": range(2**32)}

#: The numpy bit generators whose state a file may restore, and what their `bit_generator.state`
#: holds (besides "bit_generator"): ints with the range they lie in, arrays as (dtype, length).
STATE_LAYOUTS = {
    "MT19937": {"state": {"key": ("uint32", 624), "pos": range(625)}},
    "PCG64": {"state": {"state": _UINT128, "inc": _UINT128}, **_BUFFERED},
    "PCG64DXSM": {"state": {"state": _UINT128, "inc": _UINT128}, **_BUFFERED},
    "Philox": {
        "state": {"counter": ("uint64", 4), "key": ("uint64", 2)},
        "buffer": ("uint64", 4),
        "buffer_pos": range(5),
        **_BUFFERED,
    },
    "SFC64": {"state": {"state": ("uint64", 4)}, **_BUFFERED},
}
BIT_GENERATORS = tuple(STATE_LAYOUTS)
_ARRAY_DTYPES = ("uint32", "uint64")

#: The JSON of the largest state (MT19937's 624 words) is under 7,000 characters.
MAX_STATE_CHARACTERS = 100_000


def random_state_json(state: dict) -> str:
    """Return numpy's `bit_generator.state` dict as JSON text (arrays tagged with their dtype)."""
    try:
        check_random_state(state)
    except FormatError as error:  # what loading would refuse is not saved
        raise ConfigError(f"{error} (a state numpy's generators can restore, to save)") from None
    return json.dumps(_jsonable(state), sort_keys=True, separators=(",", ":"))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return {"ndarray": value.dtype.name, "values": value.tolist()}
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    return value  # a str: check_random_state let nothing else through


def random_state_from_json(text: str) -> dict:
    """Return the state dict `random_state_json` wrote, checked by `check_random_state`."""
    if len(text) > MAX_STATE_CHARACTERS:
        raise FormatError(
            f"random state: expected at most {MAX_STATE_CHARACTERS} characters of JSON, "
            f"got {len(text)}"
        )
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise FormatError(f"random state: expected JSON text, got {cut(str(error))}") from None
    try:
        state = _from_jsonable(value)
    except (ValueError, RecursionError) as error:
        raise FormatError(f"random state: {error}") from None
    check_random_state(state)
    return state


def _from_jsonable(value):
    if isinstance(value, dict):
        if set(value) == {"ndarray", "values"}:
            return _array_from_jsonable(value)
        return {key: _from_jsonable(item) for key, item in value.items()}
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return value
    raise ValueError(f"expected ints, strings, arrays and objects, got {type(value).__name__}")


def _array_from_jsonable(value: dict) -> np.ndarray:
    dtype, values = value["ndarray"], value["values"]
    if dtype not in _ARRAY_DTYPES or not isinstance(values, list):
        raise ValueError(f"expected a list of {' or '.join(_ARRAY_DTYPES)}, got {quoted(dtype)}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise ValueError("expected a flat list of ints in an array")
    try:
        return np.array(values, dtype=dtype)
    except OverflowError:
        raise ValueError(f"expected values that fit {dtype}") from None


def check_random_state(state) -> None:
    """Raise FormatError unless `state` is a `bit_generator.state` of one of BIT_GENERATORS,
    laid out as numpy writes it and one its generator can draw from.

    numpy's state setters check little: a key of the wrong length can be read past its end, and
    some states are accepted from which the generator only ever gives 0 (PCG64 with state 0 and
    increment 0, MT19937 with an all-zero key), so that the first rejection loop (integers,
    normal draws) never ends.
    """
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if not isinstance(name, str) or name not in STATE_LAYOUTS:
        raise FormatError(
            f"random state: expected a bit_generator of {', '.join(BIT_GENERATORS)}, "
            f"got {quoted(name)}"
        )
    rest = {key: value for key, value in state.items() if key != "bit_generator"}
    _check_layout(rest, STATE_LAYOUTS[name], f"random state ({name})")
    if name in ("PCG64", "PCG64DXSM") and state["state"]["inc"] % 2 == 0:
        # PCG's increment is odd (numpy seeds it as 2 * stream + 1): an even one shortens the
        # period, and with state 0 and increment 0 the generator stays at 0.
        raise FormatError(
            f"random state ({name}) state inc: expected an odd increment, "
            f"got {state['state']['inc']}"
        )
    key = state["state"]["key"] if name == "MT19937" else None
    if key is not None and key[0] >> 31 == 0 and not key[1:].any():
        # The recurrence uses only the top bit of key[0]: with it and the rest 0, only 0 follows.
        raise FormatError(
            "random state (MT19937) state key: expected a nonzero state (the top bit of key[0], "
            "key[1:]), got all zeros"
        )


def _check_layout(value, layout, what: str) -> None:
    if isinstance(layout, dict):
        if not isinstance(value, dict) or set(value) != set(layout):
            got = sorted(map(str, value)) if isinstance(value, dict) else type(value).__name__
            raise FormatError(f"{what}: expected the keys {sorted(layout)}, got {quoted(got)}")
        for key, part in layout.items():
            _check_layout(value[key], part, f"{what} {key}")
    elif isinstance(layout, range):
        if isinstance(value, bool) or not isinstance(value, int) or value not in layout:
            raise FormatError(
                f"{what}: expected an int in [0, {layout.stop - 1}], got {quoted(value)}"
            )
    else:
        dtype, length = layout
        if not (
            isinstance(value, np.ndarray) and value.dtype == dtype and value.shape == (length,)
        ):
            got = (
                f"{value.dtype} of shape {value.shape}"
                if isinstance(value, np.ndarray)
                else type(value).__name__
            )
            raise FormatError(f"{what}: expected {length} {dtype} values, got {got}")


def generator_from_state(state: dict) -> np.random.Generator:
    """Return a new numpy Generator whose next draws are those of the generator `state` came from.

    Raises FormatError for a state `check_random_state` refuses.

    >>> rng = np.random.default_rng(5); state = rng.bit_generator.state
    >>> generator_from_state(state).random() == rng.random()
    True
    """
    check_random_state(state)
    name = state["bit_generator"]
    bit_generator = getattr(np.random, name)()
    try:
        bit_generator.state = state
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError) as error:
        raise FormatError(
            f"random state: expected a valid {name} state, got {type(error).__name__}: "
            f"{cut(str(error))}"
        ) from None
    return np.random.Generator(bit_generator)
