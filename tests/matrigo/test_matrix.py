"""Tests of matrigo.matrix: every Go method's counterpart, checked against numpy and the algebra."""

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import matrigo.matrix
from matrigo import Matrix, ShapeError

FAST = settings(max_examples=40, deadline=None)
DTYPES = [np.float64, np.float32]


def values(dtype=np.float64, bound=1e3):
    """Finite floats that the dtype holds exactly."""
    width = 32 if dtype == np.float32 else 64
    return st.floats(-bound, bound, allow_nan=False, width=width)


@st.composite
def arrays(draw, dtype=np.float64, rows=None, columns=None, elements=None, min_side=1):
    """A 2-D array of 1..5 x 1..5 (or the given sides) of finite values."""
    rows = draw(st.integers(min_side, 5)) if rows is None else rows
    columns = draw(st.integers(min_side, 5)) if columns is None else columns
    elements = values(dtype) if elements is None else elements
    return draw(hnp.arrays(dtype, (rows, columns), elements=elements))


def small_ints():
    """Whole numbers small enough that sums of products stay exact in float64."""
    return st.integers(-9, 9)


@st.composite
def int_squares(draw, count):
    """`count` square integer-valued float64 arrays of one size 1..4."""
    size = draw(st.integers(1, 4))
    return [draw(arrays(rows=size, columns=size, elements=small_ints())) for _ in range(count)]


@st.composite
def chain_of_three(draw, elements):
    """Arrays A (r x n), B and C (n x c), to check products and sums against each other."""
    r, n, c = (draw(st.integers(1, 5)) for _ in range(3))
    return (
        draw(arrays(rows=r, columns=n, elements=elements)),
        draw(arrays(rows=n, columns=c, elements=elements)),
        draw(arrays(rows=n, columns=c, elements=elements)),
    )


GO_SQUARE = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
GO_REVERSED = [[9, 8, 7], [6, 5, 4], [3, 2, 1]]


# ----- making matrices -------------------------------------------------------------------


def test_new_without_data_is_zeros_of_float64():
    m = Matrix(2, 3)
    assert m.data.shape == (2, 3)
    assert m.rows == 2 and m.columns == 3 and m.shape == (2, 3)
    assert m.dtype == np.float64
    assert not m.data.any()


def test_new_from_rows_copies_the_data():
    rows = np.array([[1.0, 2.0], [3.0, 4.0]])
    m = Matrix(2, 2, rows)
    rows[0, 0] = 99.0
    assert m.data.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert not np.shares_memory(m.data, rows)


def test_new_converts_ints_fractions_and_big_ints_to_floats():
    from fractions import Fraction

    m = Matrix(1, 3, [[1, Fraction(1, 4), 2**70]])
    assert m.data.tolist() == [[1.0, 0.25, float(2**70)]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_constructor_takes_the_dtype(dtype):
    assert Matrix(2, 2, dtype=dtype).dtype == dtype
    assert Matrix(1, 2, [[1, 2]], dtype=dtype).dtype == dtype
    assert Matrix.from_array([1, 2], dtype=dtype).dtype == dtype
    assert Matrix.unflatten(1, 2, [1, 2], dtype=dtype).dtype == dtype


def test_from_array_makes_a_column_like_go():
    m = Matrix.from_array([1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert m == Matrix(9, 1, [[v] for v in range(1, 10)])


def test_unflatten_is_row_major_like_go():
    assert Matrix.unflatten(2, 3, [1, 2, 3, 4, 5, 6]) == Matrix(2, 3, [[1, 2, 3], [4, 5, 6]])
    assert Matrix.unflatten(2, 3, range(6)).data.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert Matrix.unflatten(2, 2, (v for v in range(4))).data.tolist() == [[0, 1], [2, 3]]


@FAST
@given(arrays(min_side=0))
def test_flatten_then_unflatten_gives_the_matrix_back(array):
    m = Matrix(*array.shape, array)
    flat = m.flatten()
    assert flat.shape == (array.size,)
    np.testing.assert_array_equal(flat, array.ravel())
    assert Matrix.unflatten(m.rows, m.columns, flat) == m


def test_flatten_like_go():
    assert Matrix(3, 3, GO_SQUARE).flatten().tolist() == list(range(1, 10))
    assert Matrix(3, 1, [[1], [4], [7]]).flatten().tolist() == [1, 4, 7]
    assert Matrix(1, 3, [[1, 2, 3]]).flatten().tolist() == [1, 2, 3]


def test_empty_matrices_are_allowed():
    assert Matrix(0, 3, []).shape == (0, 3)
    assert Matrix(2, 0, [[], []]).shape == (2, 0)
    assert Matrix(0, 0).sum() == 0.0
    assert Matrix(0, 4).transpose().shape == (4, 0)
    assert Matrix(0, 2).multiply(Matrix(2, 3)).shape == (0, 3)
    assert Matrix(3, 0).multiply(Matrix(0, 2)) == Matrix(3, 2)  # a sum of nothing is 0


# ----- from_numpy: a view, not a copy ------------------------------------------------------


def test_from_numpy_shares_memory_both_ways():
    weights = np.zeros((2, 3))
    m = Matrix.from_numpy(weights)
    assert m.data is weights
    weights[1, 2] = 5.0
    assert m.data[1, 2] == 5.0
    m.data[0, 0] = -1.0
    assert weights[0, 0] == -1.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_from_numpy_keeps_views_and_dtype(dtype):
    base = np.arange(12, dtype=dtype).reshape(3, 4)
    view = base.T  # (4, 3), Fortran-ordered, no copy
    m = Matrix.from_numpy(view)
    assert m.dtype == dtype
    assert np.shares_memory(m.data, base)
    assert m.shape == (4, 3)


def test_operations_on_a_wrapped_array_leave_it_alone():
    base = np.arange(6, dtype=np.float64).reshape(2, 3)
    before = base.copy()
    m = Matrix.from_numpy(base.T)  # F-ordered: transposing it back must still copy
    results = [
        m.transpose(),
        m.copy(),
        m.scale(2),
        m.add(1),
        m.map(lambda v, i, j: v * 2),
        m.map(lambda v, i, j: math.sqrt(v)),
        m.map(lambda v, i, j: v),
        m.randomize(0, 1, seed=0),
        m.zero(),
    ]
    for result in results:
        assert not np.shares_memory(result.data, base)
    np.testing.assert_array_equal(base, before)


def test_map_cannot_write_into_the_matrix():
    base = np.ones((2, 2))
    m = Matrix.from_numpy(base)
    with pytest.raises(TypeError):
        # In place on the array call is refused (read-only); per element there is no array.
        m.map(lambda v, i, j: np.add(v, 1, out=v))
    np.testing.assert_array_equal(base, np.ones((2, 2)))


@pytest.mark.parametrize(
    ("bad", "error", "fragment"),
    [
        ([[1.0, 2.0]], TypeError, "expected a numpy ndarray, got list"),
        (np.zeros(3), ShapeError, "expected a 2-D array, got 1-D shape (3,)"),
        (np.zeros((1, 2, 3)), ShapeError, "got 3-D shape (1, 2, 3)"),
        (np.zeros((2, 2), dtype=np.int64), TypeError, "float64 or float32 array, got int64"),
        (np.zeros((2, 2), dtype=np.complex128), TypeError, "got complex128"),
    ],
)
def test_from_numpy_refuses_what_it_cannot_wrap(bad, error, fragment):
    with pytest.raises(error) as caught:
        Matrix.from_numpy(bad)
    assert fragment in str(caught.value)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_from_numpy_refuses_numpy_matrix():
    # np.matrix turns * into a matrix product and keeps 2-D on flatten: not a plain array.
    with pytest.raises(TypeError, match="got matrix"):
        Matrix.from_numpy(np.matrix([[1.0]]))


# ----- the Go tests, translated ------------------------------------------------------------


def test_go_examples():
    m = Matrix(3, 3, GO_SQUARE)
    n = Matrix(3, 3, GO_REVERSED)
    assert m.transpose() == Matrix(3, 3, [[1, 4, 7], [2, 5, 8], [3, 6, 9]])
    assert m.scale(0.5) == Matrix(3, 3, [[v * 0.5 for v in row] for row in GO_SQUARE])
    assert m.add_matrix(n) == Matrix(3, 3, [[10] * 3] * 3)
    assert m.add(5) == Matrix(3, 3, [[6, 7, 8], [9, 10, 11], [12, 13, 14]])
    assert m.subtract_matrix(m) == Matrix(3, 3)
    assert Matrix(3, 3, [[10] * 3] * 3).subtract(10) == Matrix(3, 3)
    assert m.multiply(n) == Matrix(3, 3, [[30, 24, 18], [84, 69, 54], [138, 114, 90]])
    column = Matrix.from_array(range(1, 10))
    assert column.hadamard_product(column) == Matrix.from_array([v * v for v in range(1, 10)])
    pair = Matrix(2, 1, [[1], [2]]).hadamard_product(Matrix(2, 1, [[3], [4]]))
    assert pair.flatten().tolist() == [3, 8]
    assert column.fold(lambda acc, v, i, j: acc + v, 0.0) == 45.0
    assert column.sum() == 45.0
    assert Matrix.from_array([10] * 4).divide(5) == Matrix.from_array([2] * 4)
    assert m.det() == 0.0
    assert Matrix(4, 4, [[2, 3, 4, 5], [3, 4, 4, 6], [3, 5, 7, 5], [2, 4, 6, 4]]).det() == 4.0


# ----- every operation against numpy -------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(data=st.data())
def test_elementwise_matrix_operations_match_numpy(dtype, data):
    a = data.draw(arrays(dtype))
    b = data.draw(arrays(dtype, rows=a.shape[0], columns=a.shape[1]))
    ma, mb = Matrix.from_numpy(a), Matrix.from_numpy(b)
    for result, expected in [
        (ma.add_matrix(mb), a + b),
        (ma.subtract_matrix(mb), a - b),
        (ma.hadamard_product(mb), a * b),
    ]:
        assert result.dtype == dtype
        np.testing.assert_array_equal(result.data, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(data=st.data())
def test_scalar_operations_match_numpy(dtype, data):
    a = data.draw(arrays(dtype))
    number = data.draw(st.floats(-100, 100).filter(lambda x: abs(x) > 1e-3))
    m = Matrix.from_numpy(a)
    for result, expected in [
        (m.scale(number), a * number),
        (m.divide(number), a / number),
        (m.add(number), a + number),
        (m.subtract(number), a - number),
    ]:
        assert result.dtype == dtype
        np.testing.assert_array_equal(result.data, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(data=st.data())
def test_multiply_matches_numpy_matmul(dtype, data):
    a = data.draw(arrays(dtype))
    b = data.draw(arrays(dtype, rows=a.shape[1]))
    product = Matrix.from_numpy(a).multiply(Matrix.from_numpy(b))
    assert product.shape == (a.shape[0], b.shape[1])
    assert product.dtype == dtype
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(product.data, a @ b, rtol=tolerance, atol=tolerance * 1e6)


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(data=st.data())
def test_transpose_sum_flatten_copy_zero_match_numpy(dtype, data):
    a = data.draw(arrays(dtype, min_side=0))
    m = Matrix.from_numpy(a)
    np.testing.assert_array_equal(m.transpose().data, a.T)
    assert m.transpose().transpose() == m
    assert m.sum() == float(a.sum())
    assert isinstance(m.sum(), float)
    np.testing.assert_array_equal(m.flatten(), a.ravel())
    assert m.copy() == m and m.copy().dtype == dtype
    assert m.zero() == Matrix(*a.shape) and m.zero().dtype == dtype


@FAST
@given(arrays(min_side=0))
def test_fold_visits_row_major_with_python_scalars(array):
    m = Matrix.from_numpy(array)
    visits = m.fold(lambda acc, v, i, j: [*acc, (v, i, j)], [])
    expected = [(array[i, j], i, j) for i in range(m.rows) for j in range(m.columns)]
    assert visits == expected
    assert all(type(v) is float and type(i) is int and type(j) is int for v, i, j in visits)
    # Go's Sum as a fold: the same additions in the same order.
    assert m.fold(lambda acc, v, i, j: acc + v, 0.0) == sum(array.ravel().tolist())


@FAST
@given(arrays())
def test_map_with_numpy_function_matches_numpy(array):
    m = Matrix.from_numpy(array)
    result = m.map(lambda v, i, j: np.tanh(v) + 2 * i - j)
    rows, columns = np.indices(array.shape)
    np.testing.assert_array_equal(result.data, np.tanh(array) + 2 * rows - columns)


# ----- randomize -----------------------------------------------------------------------------


@pytest.mark.parametrize(("dtype", "narrowest"), [(np.float64, 1e-9), (np.float32, 1.0)])
@FAST
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_randomize_stays_in_low_high_and_keeps_shape_and_dtype(dtype, narrowest, data, seed):
    low = data.draw(st.floats(-1e6, 1e6))
    high = low + data.draw(st.floats(narrowest, 1e6))  # float32 steps are 1/16 near 1e6
    m = Matrix(3, 4, dtype=dtype).randomize(low, high, seed=seed)
    assert m.shape == (3, 4) and m.dtype == dtype
    assert (m.data >= low).all() and (m.data < high).all()


def test_randomize_is_reproducible_from_an_int_or_a_generator():
    m = Matrix(5, 5)
    assert m.randomize(-1, 1, seed=7) == m.randomize(-1, 1, seed=7)
    assert m.randomize(-1, 1, seed=7) != m.randomize(-1, 1, seed=8)
    first = m.randomize(-1, 1, seed=np.random.default_rng(3))
    assert first == m.randomize(-1, 1, seed=np.random.default_rng(3))
    rng = np.random.default_rng(3)
    assert m.randomize(-1, 1, seed=rng) == first
    assert m.randomize(-1, 1, seed=rng) != first  # the generator moved on
    assert m == Matrix(5, 5)  # the receiver is untouched


def test_randomize_draws_from_low_to_high_not_gos_low_to_low_plus_high():
    draws = Matrix(100, 100).randomize(10, 11, seed=0).data
    assert draws.min() >= 10 and draws.max() < 11
    assert draws.min() < 10.01 and draws.max() > 10.99
    assert abs(draws.mean() - 10.5) < 0.01


def test_randomize_clips_float32_draws_that_round_onto_high():
    # [1 - 2**-23, 1) holds two float32 values; about a quarter of the float64 draws round to 1.0.
    m = Matrix(50, 50, dtype=np.float32).randomize(1 - 2**-23, 1.0, seed=0)
    assert set(m.data.ravel().tolist()) == {1 - 2**-23, 1 - 2**-24}


# ----- algebra -----------------------------------------------------------------------------


@FAST
@given(chain_of_three(small_ints()))
def test_transpose_of_product_exact_on_integers(abc):
    a, b, _ = (Matrix.from_numpy(x) for x in abc)
    assert a.multiply(b).transpose() == b.transpose().multiply(a.transpose())


@FAST
@given(chain_of_three(values(bound=100)))
def test_transpose_of_product_close_on_floats(abc):
    a, b, _ = (Matrix.from_numpy(x) for x in abc)
    assert a.multiply(b).transpose().allclose(b.transpose().multiply(a.transpose()), atol=1e-9)


@FAST
@given(chain_of_three(small_ints()))
def test_product_distributes_over_sum_exact_on_integers(abc):
    a, b, c = (Matrix.from_numpy(x) for x in abc)
    assert a.multiply(b.add_matrix(c)) == a.multiply(b).add_matrix(a.multiply(c))


@FAST
@given(chain_of_three(values(bound=100)))
def test_product_distributes_over_sum_close_on_floats(abc):
    a, b, c = (Matrix.from_numpy(x) for x in abc)
    left = a.multiply(b.add_matrix(c))
    right = a.multiply(b).add_matrix(a.multiply(c))
    assert left.allclose(right, rtol=1e-9, atol=1e-7)


@FAST
@given(int_squares(2))
def test_det_of_product_is_product_of_dets_exactly(pair):
    a, b = (Matrix.from_numpy(x) for x in pair)
    assert a.multiply(b).det() == a.det() * b.det()


@FAST
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*[arrays(rows=n, columns=n)] * 2)))
def test_det_of_product_is_product_of_dets_approximately(pair):
    a, b = (Matrix.from_numpy(x) for x in pair)

    # LU's rounding error is relative to the largest entry, not row by row, so the absolute
    # tolerance is set by (n * largest entry of |A|·|B|)^n, a bound on every det here.
    largest = float((np.abs(a.data) @ np.abs(b.data)).max())
    scale = (a.rows * largest) ** a.rows
    assert math.isclose(a.multiply(b).det(), a.det() * b.det(), rel_tol=1e-9, abs_tol=1e-10 * scale)


@FAST
@given(data=st.data())
def test_addition_commutes_and_scale_distributes(data):
    a = data.draw(arrays())
    b = data.draw(arrays(rows=a.shape[0], columns=a.shape[1]))
    k = data.draw(st.floats(-10, 10))
    ma, mb = Matrix.from_numpy(a), Matrix.from_numpy(b)
    assert ma.add_matrix(mb) == mb.add_matrix(ma)
    assert ma.add_matrix(mb).scale(k).allclose(ma.scale(k).add_matrix(mb.scale(k)), atol=1e-9)
    assert ma.hadamard_product(mb) == mb.hadamard_product(ma)


def test_det_is_exact_where_lu_rounds():
    # OpenBLAS LU gives -254.99999999999991 here; the exact path gives the integer.
    assert Matrix(3, 3, [[7, 3, 0], [-4, -4, -9], [-8, -9, -6]]).det() == -255.0
    assert Matrix(3, 3, GO_SQUARE).det() == 0.0


def test_det_uses_lu_for_non_integers():
    assert Matrix(2, 2, [[0.5, 0.25], [0.0, 0.5]]).det() == pytest.approx(0.25)
    assert Matrix(0, 0).det() == 1.0


# ----- operators ---------------------------------------------------------------------------


def test_operators_are_the_named_methods():
    a = Matrix(2, 2, [[1, 2], [3, 4]])
    b = Matrix(2, 2, [[5, -6], [7, 8]])
    assert a @ b == a.multiply(b)
    assert a + b == a.add_matrix(b)
    assert a - b == a.subtract_matrix(b)
    assert a * b == a.hadamard_product(b)
    assert a + 2 == a.add(2) == 2 + a
    assert a - 2 == a.subtract(2)
    assert 2 - a == a.scale(-1).add(2)
    assert a * 3 == a.scale(3) == 3 * a
    assert a / 4 == a.divide(4)
    assert -a == a.scale(-1)


@pytest.mark.parametrize("number", [np.float64(2.0), np.float32(2.0), np.int64(2), np.array(2.0)])
def test_numpy_scalars_on_either_side_give_matrices(number):
    a = Matrix(1, 2, [[1, 2]])
    for result in (number * a, a * number, number + a, a + number, number - a, a - number):
        assert isinstance(result, Matrix)
    assert number * a == a.scale(2)
    assert number - a == Matrix(1, 2, [[1, 0]])


@pytest.mark.parametrize(
    "operation",
    [
        lambda m, x: m + x,
        lambda m, x: x + m,
        lambda m, x: m - x,
        lambda m, x: x - m,
        lambda m, x: m * x,
        lambda m, x: x * m,
        lambda m, x: m @ x,
        lambda m, x: x @ m,
        lambda m, x: m / x,
    ],
)
def test_operators_refuse_numpy_arrays_clearly(operation):
    with pytest.raises(TypeError) as caught:
        operation(Matrix(2, 2), np.ones((2, 2)))
    assert "expected" in str(caught.value) and "got a numpy array of shape (2, 2)" in str(
        caught.value
    )


def test_operators_refuse_other_things():
    m = Matrix(2, 2)
    with pytest.raises(TypeError):
        m + "1"  # noqa: B018
    with pytest.raises(TypeError):
        m @ 2  # noqa: B018
    with pytest.raises(TypeError, match="expected a real number, got complex"):
        m * 1j  # noqa: B018
    with pytest.raises(TypeError, match="expected a real number, got bool"):
        m * True  # noqa: B018
    with pytest.raises(ShapeError):
        m + Matrix(3, 3)  # noqa: B018


# ----- dtype ---------------------------------------------------------------------------------


def test_results_keep_the_receivers_dtype_when_mixed():
    small = Matrix(2, 2, [[1, 2], [3, 4]], dtype=np.float32)
    wide = Matrix(2, 2, [[1, 1], [1, 1]])
    assert (small + wide).dtype == np.float32
    assert (wide + small).dtype == np.float64
    assert (small @ wide).dtype == np.float32
    assert (wide @ small).dtype == np.float64
    assert (small * np.float64(2.5)).dtype == np.float32
    assert (1.5 - small).dtype == np.float32
    assert small.map(lambda v, i, j: math.exp(v)).dtype == np.float32
    assert small.map(lambda v, i, j: np.exp(v.astype(np.float64))).dtype == np.float32
    assert small.transpose().dtype == np.float32
    assert (small + wide) == Matrix(2, 2, [[2, 3], [4, 5]])


# ----- equality, numpy, printing ---------------------------------------------------------


def test_equality_compares_shape_and_values():
    m = Matrix(1, 2, [[1, 2]])
    assert m == Matrix(1, 2, [[1, 2]], dtype=np.float32)
    assert m != Matrix(1, 2, [[1, 3]])
    assert m != Matrix(2, 1, [[1], [2]])
    assert m != [[1, 2]]
    assert Matrix(1, 1, [[np.nan]]) != Matrix(1, 1, [[np.nan]])
    with pytest.raises(TypeError):
        hash(m)


def test_allclose_uses_tolerances_and_refuses_other_shapes():
    m = Matrix(1, 2, [[1.0, 2.0]])
    assert m.allclose(Matrix(1, 2, [[1.0 + 1e-9, 2.0]]))
    assert not m.allclose(Matrix(1, 2, [[1.1, 2.0]]))
    assert m.allclose(Matrix(1, 2, [[1.1, 2.0]]), atol=0.2)
    assert m.allclose(Matrix(1, 2, [[1.1, 2.2]]), rtol=0.11, atol=0)
    assert not m.allclose(Matrix(2, 1, [[1.0], [2.0]]))
    with pytest.raises(TypeError, match="allclose: expected a Matrix, got ndarray"):
        m.allclose(np.ones((1, 2)))


def test_numpy_sees_the_values():
    m = Matrix(2, 2, [[1, 2], [3, 4]])
    assert np.asarray(m) is m.data
    copied = np.array(m)
    assert copied is not m.data and not np.shares_memory(copied, m.data)
    np.testing.assert_array_equal(copied, m.data)
    assert np.asarray(m, dtype=np.float32).dtype == np.float32
    assert np.array(m, copy=True) is not m.data
    assert np.asarray(m, copy=False) is m.data
    with pytest.raises(ValueError, match="copy=False"):
        np.asarray(m, dtype=np.float32, copy=False)
    np.testing.assert_allclose(m, [[1, 2], [3, 4]])


def test_repr_prints_like_go_string():
    m = Matrix(2, 2, [[1, 2.5], [-3, 1e6]])
    expected = " 1.000000  2.500000 \n -3.000000  1000000.000000 \n"
    assert repr(m) == expected
    assert str(m) == expected
    assert str(Matrix(1, 3, [[np.nan, np.inf, -np.inf]])) == " NaN  +Inf  -Inf \n"
    assert str(Matrix(1, 1, [[1 / 3]], dtype=np.float32)) == " 0.333333 \n"
    assert str(Matrix(0, 3)) == ""
    assert str(Matrix(2, 0)) == "\n\n"


# ----- chaining ----------------------------------------------------------------------------


def test_a_layer_forward_pass_chains_like_the_go_readme():
    rng = np.random.default_rng(0)
    weights, inputs, bias = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(3, 1))
    w = Matrix.from_numpy(weights)
    b = Matrix.from_numpy(bias)
    x = Matrix.from_array(inputs)

    def sigmoid(v, i, j):
        return 1 / (1 + math.exp(-v))

    out = w.multiply(x).add_matrix(b).map(sigmoid)
    expected = 1 / (1 + np.exp(-(weights @ inputs[:, None] + bias)))
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out.data, expected, rtol=1e-14)
    assert (w @ x + b).map(lambda v, i, j: 1 / (1 + np.exp(-v))).allclose(out, rtol=1e-14)
    assert Matrix.from_numpy(weights) == w  # nothing in the chain changed its inputs


def test_long_chain_of_every_matrix_returning_method():
    m = (
        Matrix.unflatten(2, 3, range(6))
        .transpose()  # (3, 2)
        .scale(2)
        .divide(2)
        .add(1)
        .subtract(1)
        .add_matrix(Matrix(3, 2))
        .subtract_matrix(Matrix(3, 2))
        .hadamard_product(Matrix(3, 2, [[1] * 2] * 3))
        .multiply(Matrix.from_array([1, 1]))  # (3, 1)
        .map(lambda v, i, j: v + 0 * i)
        .copy()
    )
    assert m == Matrix.from_array([3, 5, 7])
    assert m.zero().randomize(0, 1, seed=1).shape == (3, 1)


# ----- errors ------------------------------------------------------------------------------

SQUARE = Matrix(2, 2)
WIDE = Matrix(2, 3)


@pytest.mark.parametrize(
    ("make", "error", "fragments"),
    [
        (lambda: Matrix(2, 2, [[1, 2], [3]]), ShapeError, ["rows of equal length", "[2, 1]"]),
        (lambda: Matrix(2, 2, [[1, [2]], [3, 4]]), ShapeError, ["row holding a sequence"]),
        (lambda: Matrix(2, 3, [[1, 2], [3, 4]]), ShapeError, ["shape 2x3", "got 2x2"]),
        (lambda: Matrix(2, 2, [1, 2, 3, 4]), ShapeError, ["2x2", "got 1-D shape (4,)"]),
        (lambda: Matrix(1, 2, [["a", "b"]]), TypeError, ["expected real numbers, got str"]),
        (lambda: Matrix(1, 2, [[1, None]]), TypeError, ["got NoneType"]),
        (lambda: Matrix(1, 1, [[object()]]), TypeError, ["got object"]),
        (lambda: Matrix(1, 1, [[1 + 2j]]), TypeError, ["got complex"]),
        (lambda: Matrix(1, 1, [[True]]), TypeError, ["got bool"]),
        (lambda: Matrix(-1, 2), ValueError, ["rows >= 0, got -1"]),
        (lambda: Matrix(2.0, 2), TypeError, ["rows as a non-negative int, got float"]),
        (lambda: Matrix(1, 1, dtype=np.int32), TypeError, ["float64 or float32, got int32"]),
        (lambda: Matrix.from_array([[1, 2]]), ShapeError, ["1-D sequence, got 1x2"]),
        (lambda: Matrix.unflatten(2, 3, range(5)), ShapeError, ["6 values for a 2x3", "got 5"]),
        (lambda: Matrix.unflatten(2, 2, [[1, 2], [3, 4]]), ShapeError, ["1-D", "got 2x2"]),
        (lambda: SQUARE.add_matrix(WIDE), ShapeError, ["add_matrix", "2x2 matrix, got 2x3"]),
        (lambda: SQUARE.subtract_matrix(WIDE), ShapeError, ["subtract_matrix", "got 2x3"]),
        (lambda: SQUARE.hadamard_product(WIDE.transpose()), ShapeError, ["2x2", "got 3x2"]),
        (lambda: WIDE.multiply(SQUARE), ShapeError, ["3 rows", "2x3", "got 2x2"]),
        (lambda: SQUARE.add_matrix(np.ones((2, 2))), TypeError, ["a Matrix, got ndarray"]),
        (lambda: SQUARE.multiply([[1, 2]]), TypeError, ["a Matrix, got list"]),
        (lambda: WIDE.det(), ShapeError, ["square matrix, got 2x3"]),
        (lambda: Matrix(1, 1, [[np.nan]]).det(), ValueError, ["finite values, got nan"]),
        (lambda: Matrix(2, 2, [[1, 2], [np.inf, 4]]).det(), ValueError, ["row 1, column 0"]),
        (lambda: SQUARE.divide(0), ValueError, ["non-zero divisor, got 0.0"]),
        (lambda: SQUARE.divide(np.nan), ValueError, ["finite number, got nan"]),
        (lambda: SQUARE.scale(np.inf), ValueError, ["finite number, got inf"]),
        (lambda: SQUARE.scale(10**400), ValueError, ["finite number"]),
        (lambda: SQUARE.scale("2"), TypeError, ["real number, got str"]),
        (lambda: SQUARE.add(SQUARE), TypeError, ["use add_matrix", "got Matrix"]),
        (lambda: SQUARE.subtract(SQUARE), TypeError, ["use subtract_matrix", "got Matrix"]),
        (lambda: SQUARE.randomize(0, np.inf), ValueError, ["finite number, got inf"]),
        (lambda: SQUARE.randomize(np.nan, 1), ValueError, ["finite number, got nan"]),
        (lambda: SQUARE.randomize(1, 1), ValueError, ["low < high, got low=1.0, high=1.0"]),
        (lambda: SQUARE.randomize(-1e308, 1e308), ValueError, ["high - low"]),
        (lambda: SQUARE.randomize(0, 1, seed=-3), ValueError, ["seed >= 0, got -3"]),
        (lambda: SQUARE.randomize(0, 1, seed="x"), TypeError, ["numpy Generator", "got str"]),
        (
            lambda: Matrix(1, 1, dtype=np.float32).randomize(0, 1e39),
            ValueError,
            ["float32 range"],
        ),
        (
            lambda: Matrix(1, 1, dtype=np.float32).randomize(1 - 2**-30, 1),
            ValueError,
            ["an interval holding float32 values", "with none"],
        ),
        (lambda: SQUARE.map(lambda v, i, j: "x"), TypeError, ["real number, got str", "row 0"]),
    ],
)
def test_bad_input_raises_clear_errors(make, error, fragments):
    with pytest.raises(error) as caught:
        make()
    message = str(caught.value)
    assert "expected" in message and "got" in message
    for fragment in fragments:
        assert fragment in message


def test_shape_errors_are_value_errors():
    with pytest.raises(ValueError):
        SQUARE.multiply(WIDE.transpose())


def test_documented_examples_run():
    flags = doctest.NORMALIZE_WHITESPACE
    results = doctest.testmod(matrigo.matrix, optionflags=flags)
    assert results.attempted > 20
    assert results.failed == 0
