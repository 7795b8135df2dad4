"""Matrix: a chainable 2-D matrix of floats over a numpy array, after Go's fr3fou/matrigo.

Every operation returns a new Matrix (the receiver is never changed), so calls chain:

    w.multiply(x).add_matrix(b).map(f)    # f(W·x + b)

The Go functions and their counterparts here:

    New(r, c, data)        Matrix(r, c, data)           zeros when data is None
    NewFromArray(d)        Matrix.from_array(d)         a len(d) x 1 column
    Unflatten(r, c, d)     Matrix.unflatten(r, c, d)    row-major
    Randomize(low, high)   m.randomize(low, high, seed=)  new matrix, uniform on [low, high)
    Zero()                 m.zero()                     new matrix of zeros
    Copy, Map, Fold        m.copy(), m.map(f), m.fold(f, accumulator)
    Transpose, Scale, Divide, Add, Subtract              same names, lower case
    AddMatrix, SubtractMatrix, HadamardProduct            add_matrix, subtract_matrix, ...
    Multiply(m, n)         m.multiply(n)                matrix product, also m @ n
    Sum, Flatten, Det      m.sum(), m.flatten(), m.det()  a float, a 1-D array, a float
    String()               str(m), repr(m)              " %f " per value, a newline per row

Where Go changes its receiver (Randomize, Zero) this returns a new matrix instead, and Go's
Randomize draws from [low, low + high) (it computes ``rand.Float64()*max + min``); this one
draws from [low, high) as its name promises. Wrong shapes raise ShapeError instead of panicking.

A Matrix holds float64 by default, or float32 (``dtype=np.float32``); every result keeps the
receiver's dtype, the other operand being cast to it.
"""

from collections.abc import Iterable

import numpy as np

from matrigo.checks import (
    FLOAT_DTYPES,
    as_float_dtype,
    as_generator,
    as_real,
    as_real_array,
    as_size,
    is_scalar,
    shape_text,
    type_name,
)
from matrigo.determinant import determinant
from matrigo.errors import ShapeError
from matrigo.mapping import Folder, Mapper, fold_elements, map_elements


class Matrix:
    """A rows x columns matrix of float64 (or float32) values; every method returns a new one.

    The values live in ``.data``, a 2-D numpy array: read it, hand it to numpy, but treat a
    Matrix as a value — methods never change it, they build the result in a new array.

    Parameters:
        rows, columns: the shape, non-negative ints.
        data: None for zeros, or the rows as nested sequences / a 2-D array of real numbers,
            copied. Its shape must be exactly (rows, columns).
        dtype: np.float64 (default, as in Go) or np.float32.

    Raises:
        ShapeError: data of another shape, or ragged rows.
        TypeError: non-numeric data (strings, complex, bools, objects) or another dtype.

    Example:
        >>> print(Matrix(2, 3, [[1, 2, 3], [4, 5, 6]]))  # doctest: +NORMALIZE_WHITESPACE
         1.000000  2.000000  3.000000
         4.000000  5.000000  6.000000
        >>> Matrix(2, 2).data
        array([[0., 0.],
               [0., 0.]])
    """

    __slots__ = ("data",)
    __hash__ = None  # equal matrices can be changed through .data, so they cannot be keys
    # numpy defers to the operators below (2.0 * m, ndarray + m), instead of turning m into an
    # array first and answering with a bare ndarray.
    __array_ufunc__ = None

    data: np.ndarray

    def __init__(
        self,
        rows: int,
        columns: int,
        data: object = None,
        *,
        dtype: object = np.float64,
    ):
        rows = as_size(rows, "Matrix", "rows")
        columns = as_size(columns, "Matrix", "columns")
        dtype = as_float_dtype(dtype, "Matrix")
        if data is None:
            self.data = np.zeros((rows, columns), dtype)  # (rows, columns)
            return
        array = as_real_array(data, "Matrix")
        if array.shape != (rows, columns):
            if array.size != 0 or rows * columns != 0:
                raise ShapeError(
                    f"Matrix: expected data of shape {rows}x{columns}, "
                    f"got {shape_text(array.shape)}"
                )
            array = array.reshape(rows, columns)  # [] for a matrix with no rows or columns
        self.data = array.astype(dtype)  # (rows, columns), always a copy: the Matrix owns it

    @classmethod
    def _wrap(cls, array: np.ndarray) -> "Matrix":
        """Make a Matrix around `array` as is: no checks, no copy (for arrays made here)."""
        matrix = object.__new__(cls)
        matrix.data = array
        return matrix

    # ----- making matrices -------------------------------------------------------------

    @classmethod
    def from_array(cls, values: Iterable, *, dtype: object = np.float64) -> "Matrix":
        """Make a column vector (len(values) x 1) from a flat sequence, like Go's NewFromArray.

        Example:
            >>> Matrix.from_array([1.0, 2.0, 3.0]).shape
            (3, 1)
        """
        dtype = as_float_dtype(dtype, "from_array")
        array = as_real_array(values, "from_array")
        if array.ndim != 1:
            raise ShapeError(f"from_array: expected a 1-D sequence, got {shape_text(array.shape)}")
        return cls._wrap(array.astype(dtype).reshape(-1, 1))  # (n, 1)

    @classmethod
    def unflatten(
        cls, rows: int, columns: int, values: Iterable, *, dtype: object = np.float64
    ) -> "Matrix":
        """Make a rows x columns matrix from rows * columns values in row-major order.

        The inverse of `flatten`: ``Matrix.unflatten(m.rows, m.columns, m.flatten()) == m``.

        Example:
            >>> Matrix.unflatten(2, 3, range(6)).data
            array([[0., 1., 2.],
                   [3., 4., 5.]])
        """
        rows = as_size(rows, "unflatten", "rows")
        columns = as_size(columns, "unflatten", "columns")
        dtype = as_float_dtype(dtype, "unflatten")
        array = as_real_array(values, "unflatten")
        count = rows * columns
        if array.ndim != 1:
            raise ShapeError(
                f"unflatten: expected a 1-D sequence of {count} values, "
                f"got {shape_text(array.shape)}"
            )
        if array.size != count:
            raise ShapeError(
                f"unflatten: expected {count} values for a {rows}x{columns} matrix, "
                f"got {array.size}"
            )
        return cls._wrap(array.astype(dtype).reshape(rows, columns))  # (rows, columns)

    @classmethod
    def from_numpy(cls, array: np.ndarray) -> "Matrix":
        """Wrap an existing 2-D float64/float32 numpy array without copying it.

        The Matrix and the array share memory: writing into one shows in the other. This is
        how gone, which keeps its weights as numpy arrays, looks at them as matrices.

        Raises:
            TypeError: not a numpy array, a numpy.matrix, or not float64/float32.
            ShapeError: not 2-D.

        Example:
            >>> weights = np.ones((2, 3))
            >>> m = Matrix.from_numpy(weights)
            >>> weights[0, 0] = 7.0
            >>> m.data[0, 0]
            np.float64(7.0)
        """
        if not isinstance(array, np.ndarray) or isinstance(array, np.matrix):
            raise TypeError(f"from_numpy: expected a numpy ndarray, got {type_name(array)}")
        if array.ndim != 2:
            raise ShapeError(f"from_numpy: expected a 2-D array, got {shape_text(array.shape)}")
        if array.dtype not in FLOAT_DTYPES:
            raise TypeError(f"from_numpy: expected a float64 or float32 array, got {array.dtype}")
        return cls._wrap(array)

    # ----- what it is ------------------------------------------------------------------

    @property
    def rows(self) -> int:
        """Number of rows."""
        return self.data.shape[0]

    @property
    def columns(self) -> int:
        """Number of columns."""
        return self.data.shape[1]

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the values: float64 or float32."""
        return self.data.dtype

    # ----- new matrices of the same shape ---------------------------------------------

    def copy(self) -> "Matrix":
        """Return a copy with its own array.

        Example:
            >>> m = Matrix(1, 2, [[1, 2]])
            >>> m.copy() == m
            True
        """
        return self._wrap(self.data.copy())

    def zero(self) -> "Matrix":
        """Return a matrix of zeros of the same shape and dtype (Go's Zero, without mutation).

        Example:
            >>> Matrix(1, 2, [[1, 2]]).zero().data
            array([[0., 0.]])
        """
        return self._wrap(np.zeros(self.shape, self.dtype))

    def randomize(self, low: float, high: float, *, seed: object = None) -> "Matrix":
        """Return a matrix of the same shape and dtype, uniformly random on [low, high).

        Parameters:
            low, high: finite bounds with low < high; every value v has low <= v < high,
                also after rounding to float32.
            seed: an int or a numpy Generator (same seed, same values); None for fresh entropy.

        Example:
            >>> m = Matrix(2, 2).randomize(-1.0, 1.0, seed=1)
            >>> bool(((m.data >= -1.0) & (m.data < 1.0)).all())
            True
        """
        low = as_real(low, "randomize", "low as a real number")
        high = as_real(high, "randomize", "high as a real number")
        if not low < high:
            raise ValueError(f"randomize: expected low < high, got low={low}, high={high}")
        if high - low == float("inf"):
            raise ValueError(
                f"randomize: expected high - low within float64 range, got low={low}, high={high}"
            )
        rng = as_generator(seed, "randomize")
        floor, ceiling = _bounds_within(low, high, self.dtype)
        values = rng.uniform(low, high, size=self.shape).astype(self.dtype, copy=False)
        # uniform can round up to `high`, and float32 rounding can step past either bound.
        return self._wrap(np.clip(values, floor, ceiling, out=values))

    # ----- element by element ----------------------------------------------------------

    def map(self, f: Mapper) -> "Matrix":
        """Return the matrix of f(value, row, col) over every element (Go's Map).

        f is first called once with whole arrays — the values, a column of row indices and a
        row of column indices — so a numpy-written f costs one pass. If that fails, or does
        not give real numbers that broadcast to the shape, f is called per element with
        scalars, so ``lambda v, i, j: math.exp(v)`` and ``if v > 0:`` work too (slower): the
        value is a Python float (a numpy float32 in a float32 matrix, to round as the array
        call would), the indices are ints. A constant result fills the matrix. f should treat
        elements independently, and may be called once on arrays before the per-element calls.

        Example:
            >>> m = Matrix(2, 2, [[1, -2], [-3, 4]])
            >>> m.map(lambda v, i, j: np.maximum(v, 0)).data  # one call on arrays
            array([[1., 0.],
                   [0., 4.]])
            >>> m.map(lambda v, i, j: v if v > 0 else 0.0).data  # per element
            array([[1., 0.],
                   [0., 4.]])
            >>> m.map(lambda v, i, j: 10 * i + j).data  # the indices
            array([[ 0.,  1.],
                   [10., 11.]])
        """
        return self._wrap(map_elements(self.data, f))

    def fold(self, f: Folder, accumulator: object) -> object:
        """Run ``accumulator = f(accumulator, value, row, col)`` over every element (Go's Fold).

        Elements go in row-major order as Python floats; the result is the last accumulator
        (a float when f adds up floats, as in Go). Each step needs the one before, so this is
        one Python call per element; for a plain total `sum` is one numpy call.

        Example:
            >>> Matrix(2, 2, [[1, 2], [3, 4]]).fold(lambda acc, v, i, j: acc + v * v, 0.0)
            30.0
        """
        return fold_elements(self.data, f, accumulator)

    def transpose(self) -> "Matrix":
        """Return the transpose: rows become columns.

        Example:
            >>> Matrix(2, 3).transpose().shape
            (3, 2)
        """
        return self._wrap(self.data.T.copy())  # (columns, rows), its own C-ordered array

    # ----- with a scalar -------------------------------------------------------------

    def scale(self, factor: float) -> "Matrix":
        """Return every value times `factor`, a finite real number.

        Example:
            >>> Matrix(1, 2, [[1, 2]]).scale(0.5).data
            array([[0.5, 1. ]])
        """
        factor = as_real(factor, "scale")
        return self._wrap(np.multiply(self.data, factor, dtype=self.dtype))

    def divide(self, divisor: float) -> "Matrix":
        """Return every value divided by `divisor`, a finite non-zero real number.

        Example:
            >>> Matrix(1, 2, [[10, 5]]).divide(5).data
            array([[2., 1.]])
        """
        divisor = as_real(divisor, "divide")
        if divisor == 0:
            raise ValueError(f"divide: expected a non-zero divisor, got {divisor}")
        return self._wrap(np.divide(self.data, divisor, dtype=self.dtype))

    def add(self, number: float) -> "Matrix":
        """Return every value plus `number`, a finite real number (add_matrix adds a matrix).

        Example:
            >>> Matrix(1, 2, [[1, 2]]).add(5).data
            array([[6., 7.]])
        """
        number = as_real(number, "add", _scalar_hint("add_matrix", number))
        return self._wrap(np.add(self.data, number, dtype=self.dtype))

    def subtract(self, number: float) -> "Matrix":
        """Return every value minus `number`, a finite real number (subtract_matrix for a matrix).

        Example:
            >>> Matrix(1, 2, [[10, 10]]).subtract(10).data
            array([[0., 0.]])
        """
        number = as_real(number, "subtract", _scalar_hint("subtract_matrix", number))
        return self._wrap(np.subtract(self.data, number, dtype=self.dtype))

    # ----- with another matrix ------------------------------------------------------

    def add_matrix(self, other: "Matrix") -> "Matrix":
        """Return the elementwise sum with a matrix of the same shape.

        Example:
            >>> Matrix(1, 2, [[1, 2]]).add_matrix(Matrix(1, 2, [[9, 8]])).data
            array([[10., 10.]])
        """
        other_data = self._same_shape(other, "add_matrix")
        return self._wrap(np.add(self.data, other_data, dtype=self.dtype))

    def subtract_matrix(self, other: "Matrix") -> "Matrix":
        """Return the elementwise difference with a matrix of the same shape.

        Example:
            >>> Matrix(1, 2, [[1, 2]]).subtract_matrix(Matrix(1, 2, [[1, 2]])).data
            array([[0., 0.]])
        """
        other_data = self._same_shape(other, "subtract_matrix")
        return self._wrap(np.subtract(self.data, other_data, dtype=self.dtype))

    def hadamard_product(self, other: "Matrix") -> "Matrix":
        """Return the elementwise product with a matrix of the same shape.

        Example:
            >>> Matrix(2, 1, [[1], [2]]).hadamard_product(Matrix(2, 1, [[3], [4]])).data
            array([[3.],
                   [8.]])
        """
        other_data = self._same_shape(other, "hadamard_product")
        return self._wrap(np.multiply(self.data, other_data, dtype=self.dtype))

    def multiply(self, other: "Matrix") -> "Matrix":
        """Return the matrix product self · other (r x n by n x c); also ``self @ other``.

        Example:
            >>> a = Matrix(2, 2, [[1, 2], [3, 4]])
            >>> a.multiply(Matrix.from_array([1, 1])).data
            array([[3.],
                   [7.]])
        """
        other_data = _matrix_data(other, "multiply")
        if self.columns != other.rows:
            raise ShapeError(
                f"multiply: expected a matrix with {self.columns} rows to multiply "
                f"{shape_text(self.shape)} by, got {shape_text(other.shape)}"
            )
        other_data = other_data.astype(self.dtype, copy=False)  # matmul stays on BLAS
        return self._wrap(np.matmul(self.data, other_data))  # (rows, other.columns)

    def _same_shape(self, other: "Matrix", what: str) -> np.ndarray:
        """Return other's array after checking it is a Matrix of exactly this shape."""
        other_data = _matrix_data(other, what)
        if other_data.shape != self.shape:
            raise ShapeError(
                f"{what}: expected a {shape_text(self.shape)} matrix, "
                f"got {shape_text(other_data.shape)}"
            )
        return other_data

    # ----- down to numbers ----------------------------------------------------------

    def sum(self) -> float:
        """Return the sum of all values, as a Python float (Go's Sum; 0.0 when empty).

        Example:
            >>> Matrix.from_array(range(1, 10)).sum()
            45.0
        """
        return float(self.data.sum())

    def flatten(self) -> np.ndarray:
        """Return the values in row-major order as a new 1-D array (Go's Flatten, a []float64).

        Example:
            >>> Matrix(2, 2, [[1, 2], [3, 4]]).flatten()
            array([1., 2., 3., 4.])
        """
        return self.data.flatten()  # (rows * columns,), a copy in C order

    def det(self) -> float:
        """Return the determinant of a square matrix, as a Python float.

        Exact when every value is a whole number and the matrix is at most 16x16 (Bareiss
        elimination on Python ints); otherwise ``np.linalg.det`` (LU), accurate to rounding.
        The 0x0 matrix has determinant 1.

        Raises:
            ShapeError: the matrix is not square.
            ValueError: it holds NaN or inf.

        Example:
            >>> Matrix(2, 2, [[1, 2], [3, 4]]).det()
            -2.0
        """
        if self.rows != self.columns:
            raise ShapeError(f"det: expected a square matrix, got {shape_text(self.shape)}")
        finite = np.isfinite(self.data)
        if not finite.all():
            row, column = np.argwhere(~finite)[0]
            raise ValueError(
                f"det: expected finite values, got {self.data[row, column]} "
                f"at row {row}, column {column}"
            )
        return determinant(self.data)

    # ----- comparing, printing, numpy ---------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Tell whether `other` is a Matrix of the same shape and values (any dtype; NaN != NaN)."""
        if not isinstance(other, Matrix):
            return NotImplemented
        return other.shape == self.shape and bool(np.array_equal(self.data, other.data))

    def allclose(self, other: "Matrix", *, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
        """Tell whether `other` has the same shape and values within ``atol + rtol * |other|``.

        Example:
            >>> Matrix(1, 1, [[1.0]]).allclose(Matrix(1, 1, [[1.0 + 1e-9]]))
            True
        """
        other_data = _matrix_data(other, "allclose")
        if other_data.shape != self.shape:
            return False
        return bool(np.allclose(self.data, other_data, rtol=rtol, atol=atol))

    def __str__(self) -> str:
        """Format like Go's String: each value as ``" %f "``, each row ended by a newline."""
        return "".join(
            "".join(f" {_go_float(value)} " for value in row) + "\n" for row in self.data.tolist()
        )

    __repr__ = __str__

    def __array__(self, dtype: object = None, copy: bool | None = None) -> np.ndarray:
        """Give numpy the values: ``np.asarray(m)`` shares memory, ``np.array(m)`` copies."""
        if dtype is None or np.dtype(dtype) == self.dtype:
            return self.data.copy() if copy else self.data
        if copy is False:
            raise ValueError(
                f"Matrix.__array__: expected a request numpy can serve without copying, "
                f"got copy=False with a change of dtype from {self.dtype} to {np.dtype(dtype)}"
            )
        return self.data.astype(dtype)

    # ----- operators: sugar over the named methods ----------------------------------

    def __matmul__(self, other: object) -> "Matrix":
        """``a @ b`` is a.multiply(b)."""
        if isinstance(other, Matrix):
            return self.multiply(other)
        return _unsupported("@", other, "a Matrix")

    def __rmatmul__(self, other: object) -> "Matrix":
        """``array @ m`` is refused with a clear message: only a Matrix multiplies a Matrix."""
        return _unsupported("@", other, "a Matrix")

    def __add__(self, other: object) -> "Matrix":
        """``m + n`` is add_matrix for a Matrix n, add for a number."""
        if isinstance(other, Matrix):
            return self.add_matrix(other)
        if is_scalar(other):
            return self.add(other)
        return _unsupported("+", other, "a Matrix or a real number")

    def __radd__(self, other: object) -> "Matrix":
        """``2 + m`` is m.add(2)."""
        if is_scalar(other):
            return self.add(other)
        return _unsupported("+", other, "a real number")

    def __sub__(self, other: object) -> "Matrix":
        """``m - n`` is subtract_matrix for a Matrix n, subtract for a number."""
        if isinstance(other, Matrix):
            return self.subtract_matrix(other)
        if is_scalar(other):
            return self.subtract(other)
        return _unsupported("-", other, "a Matrix or a real number")

    def __rsub__(self, other: object) -> "Matrix":
        """``2 - m`` is every value subtracted from 2."""
        if is_scalar(other):
            number = as_real(other, "subtract")
            return self._wrap(np.subtract(number, self.data, dtype=self.dtype))
        return _unsupported("-", other, "a real number")

    def __mul__(self, other: object) -> "Matrix":
        """``m * n`` is hadamard_product for a Matrix n, scale for a number."""
        if isinstance(other, Matrix):
            return self.hadamard_product(other)
        if is_scalar(other):
            return self.scale(other)
        return _unsupported("*", other, "a Matrix or a real number")

    def __rmul__(self, other: object) -> "Matrix":
        """``2 * m`` is m.scale(2)."""
        if is_scalar(other):
            return self.scale(other)
        return _unsupported("*", other, "a real number")

    def __truediv__(self, other: object) -> "Matrix":
        """``m / 2`` is m.divide(2)."""
        if is_scalar(other):
            return self.divide(other)
        return _unsupported("/", other, "a real number")

    def __neg__(self) -> "Matrix":
        """``-m`` is m.scale(-1)."""
        return self._wrap(np.negative(self.data))


def _matrix_data(other: object, what: str) -> np.ndarray:
    """Return other's array, or raise TypeError if `other` is not a Matrix."""
    if not isinstance(other, Matrix):
        raise TypeError(f"{what}: expected a Matrix, got {type_name(other)}")
    return other.data


def _unsupported(symbol: str, other: object, expected: str) -> object:
    """Refuse a numpy array operand with a clear TypeError; anything else gets Python's turn."""
    if isinstance(other, np.ndarray):
        raise TypeError(
            f"{symbol}: expected {expected}, got a numpy array of shape {other.shape} "
            f"(wrap it with Matrix.from_numpy)"
        )
    return NotImplemented


def _scalar_hint(matrix_method: str, value: object) -> str:
    """Say what add/subtract expected, pointing to the matrix method when a Matrix came."""
    if isinstance(value, Matrix):
        return f"a real number (use {matrix_method} for a Matrix)"
    return "a real number"


def _bounds_within(low: float, high: float, dtype: np.dtype) -> tuple[np.floating, np.floating]:
    """Return the smallest and largest values of `dtype` in [low, high), to clip random draws to."""
    largest = float(np.finfo(dtype).max)
    if max(abs(low), abs(high)) > largest:
        raise ValueError(
            f"randomize: expected bounds within {dtype} range (±{largest:g}), "
            f"got low={low}, high={high}"
        )
    kind = dtype.type
    floor = kind(low)
    if floor < low:  # low rounded down on the way into float32
        floor = np.nextafter(floor, kind(np.inf))
    ceiling = kind(high)
    if ceiling >= high:
        ceiling = np.nextafter(ceiling, kind(-np.inf))
    if floor > ceiling:
        raise ValueError(
            f"randomize: expected an interval holding {dtype} values, got [{low}, {high}) with none"
        )
    return floor, ceiling


def _go_float(value: float) -> str:
    """Format one value as Go's ``%f`` does: six decimals, and NaN, +Inf, -Inf spelt Go's way."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:f}"
