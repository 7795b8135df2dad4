"""Go's Map and Fold over a 2-D array: f(value, row, col) for every element, in row-major order.

`map_elements` first calls f once with whole arrays (values, a column of row indices, a row of
column indices), which costs one numpy pass when f is written with numpy operations. A function
that only works on Python scalars (``math.exp(v)``, ``if v > 0:``, ``float(v)``) fails that call
or answers with something that is not a real array of the right shape; then f is called once
per element with scalars, as Go does. The scalars are Python floats for a float64 array and
numpy float32 scalars for a float32 one, so arithmetic rounds exactly as it does on the arrays
and a function that works both ways gives the same numbers both ways. (One limit: in a float32
matrix, arithmetic mixing values with the int64 index arrays runs in float64 on the arrays,
in float32 on scalars, so it may differ in the last bit.)
"""

import numbers
from collections.abc import Callable

import numpy as np

Mapper = Callable[[float, int, int], float]
Folder = Callable[[object, float, int, int], object]


def map_elements(values: np.ndarray, f: Mapper) -> np.ndarray:
    """Return a new array out (same shape and dtype) with out[i, j] = f(values[i, j], i, j)."""
    if values.size == 0:
        return np.empty(values.shape, values.dtype)  # Go calls f zero times here, so do we
    if values.size > 1:
        result = _map_vectorised(values, f)
        if result is not None:
            return result
    # A 1x1 matrix goes straight here: one scalar call costs the same as one array call.
    return map_each(values, f)


def _map_vectorised(values: np.ndarray, f: Mapper) -> np.ndarray | None:
    """Call f once on whole arrays; return the filled result, or None if f needs scalars."""
    rows, columns = values.shape
    # An axis of length 1 has one index for every element, so it goes in as a plain int:
    # `float(row)` or `if row == 0:` then mean the same as in the per-element call.
    row_index = np.arange(rows).reshape(rows, 1) if rows > 1 else 0  # (rows, 1)
    column_index = np.arange(columns).reshape(1, columns) if columns > 1 else 0  # (1, columns)
    readonly = values.view()
    readonly.flags.writeable = False  # f writing into its argument must not change the matrix
    try:
        result = np.asarray(f(readonly, row_index, column_index))
    except Exception:  # any failure on arrays means f wants scalars; the loop re-raises real bugs
        return None
    if result.dtype.kind not in "biuf" or not _broadcasts_to(result.shape, values.shape):
        return None
    # Always a new array: f's result may be held elsewhere (a global, a closure, a view of the
    # input), and telling when it is not would cost more thought than the one copy costs time.
    out = np.empty(values.shape, values.dtype)  # (rows, columns)
    out[...] = result  # one broadcast and cast: a constant fills all, a row or column repeats
    return out


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    """Tell whether an f result of `shape` (a scalar, or 2-D with axes 1 or full) fills `target`."""
    if len(shape) == 0:
        return True
    return len(shape) == 2 and all(n in (1, m) for n, m in zip(shape, target, strict=True))


def map_each(values: np.ndarray, f: Mapper) -> np.ndarray:
    """Return f(value, row, col) for every element, called once per element with Python scalars.

    This is Go's Map: row-major order, `row` and `col` Python ints, `value` a Python float
    (float64 arrays) or a numpy float32 (float32 arrays: Python floats would compute in double
    precision and round differently from the one array call).
    Raises TypeError naming the element if f returns anything but a real number.
    """
    rows = values.tolist() if values.dtype == np.float64 else [list(row) for row in values]
    out = [
        [_real_result(f(value, i, j), i, j) for j, value in enumerate(row)]
        for i, row in enumerate(rows)
    ]
    return np.array(out, dtype=values.dtype).reshape(values.shape)


def _real_result(result: object, row: int, col: int) -> float:
    """Check one mapper result: a real number (bools count as 0 and 1), else TypeError."""
    if isinstance(result, np.ndarray) and result.ndim == 0:
        result = result[()]
    if not isinstance(result, (numbers.Real, np.bool_)):
        raise TypeError(
            f"map: expected f(value, row, col) to return a real number, "
            f"got {type(result).__name__} at row {row}, column {col}"
        )
    return float(result)


def fold_elements(values: np.ndarray, f: Folder, accumulator: object) -> object:
    """Return the last ``accumulator = f(accumulator, value, row, col)``, in row-major order.

    Like Go's Fold, one call per element: each step may depend on the one before, so there is
    nothing to vectorise. For sums and products use `Matrix.sum` or numpy on `Matrix.data`.
    """
    for i, row in enumerate(values.tolist()):
        for j, value in enumerate(row):
            accumulator = f(accumulator, value, i, j)
    return accumulator
