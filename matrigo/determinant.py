"""The determinant: exact for small integer matrices, LU factorisation (numpy) for the rest.

Go's Det expands along the first row (Laplace), which is exact for small integers but costs n!.
Here an n x n matrix whose entries are all whole numbers, with n <= EXACT_MAX_SIZE, goes through
Bareiss's fraction-free elimination on Python ints: O(n^3) steps, every division exact, so
det([[1, 2], [3, 4]]) is exactly -2.0 and a singular integer matrix gives exactly 0.0.
Anything else uses ``np.linalg.det`` (LU with partial pivoting), accurate to rounding.
"""

import math

import numpy as np

# Bareiss on Python ints is exact but runs in Python: worth it while n^3 stays small.
EXACT_MAX_SIZE = 16


def determinant(values: np.ndarray) -> float:
    """Return det(values) for a square, finite 2-D array, exactly when it holds small integers."""
    size = values.shape[0]
    if size <= EXACT_MAX_SIZE and bool(np.all(values == np.round(values))):
        exact = bareiss_determinant([[int(v) for v in row] for row in values.tolist()])
        return _int_to_float(exact)
    return float(np.linalg.det(values))


def bareiss_determinant(rows: list[list[int]]) -> int:
    """Return the exact determinant of a square matrix of ints by Bareiss elimination (1968).

    Step k replaces every entry below and right of the pivot by
    ``(a[i][j] * a[k][k] - a[i][k] * a[k][j]) // previous_pivot``, a division with no remainder
    (Sylvester's identity), so the numbers stay ints and stay small. A zero pivot swaps in a
    lower row with a non-zero entry in that column and flips the sign; none left means det 0.

    Example:
        >>> bareiss_determinant([[2, 3, 4, 5], [3, 4, 4, 6], [3, 5, 7, 5], [2, 4, 6, 4]])
        4
    """
    a = [list(row) for row in rows]  # work on a copy: the caller's lists stay as they were
    size = len(a)
    if size == 0:
        return 1  # the empty product
    sign = 1
    previous_pivot = 1
    for k in range(size - 1):
        if a[k][k] == 0:
            swap = next((i for i in range(k + 1, size) if a[i][k] != 0), None)
            if swap is None:
                return 0
            a[k], a[swap] = a[swap], a[k]
            sign = -sign
        pivot = a[k][k]
        for i in range(k + 1, size):
            for j in range(k + 1, size):
                a[i][j] = (a[i][j] * pivot - a[i][k] * a[k][j]) // previous_pivot
        previous_pivot = pivot
    return sign * a[-1][-1]


def _int_to_float(value: int) -> float:
    """Round an exact int determinant to the nearest float; beyond float range, an infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
