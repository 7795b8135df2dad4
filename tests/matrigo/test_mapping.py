"""Tests of matrigo.mapping: Go's Map (one array call, or per element) and Fold."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from matrigo import Matrix
from matrigo.mapping import fold_elements, map_each, map_elements

FAST = settings(max_examples=40, deadline=None)


def grids(min_side=1, max_side=5, dtype=np.float64):
    """2-D arrays of moderate finite values."""
    shapes = st.tuples(st.integers(min_side, max_side), st.integers(min_side, max_side))
    width = 32 if dtype == np.float32 else 64
    elements = st.floats(-50, 50, allow_nan=False, width=width)
    return shapes.flatmap(lambda shape: hnp.arrays(dtype, shape, elements=elements))


class Recorder:
    """Wrap a mapper and keep what each call received: arrays or Python scalars."""

    def __init__(self, f):
        self.f = f
        self.calls = []

    def __call__(self, value, row, col):
        self.calls.append((type(value), type(row), type(col)))
        return self.f(value, row, col)

    @property
    def array_calls(self):
        return sum(1 for kinds in self.calls if np.ndarray in kinds)


# Functions written for Python scalars only, each with the numpy expression that means the same.
SCALAR_ONLY = {
    "math.exp": (lambda v, i, j: math.exp(v / 10), lambda v, r, c: np.exp(v / 10)),
    "if v > 0": (
        lambda v, i, j: v if v > 0 else 0.01 * v,
        lambda v, r, c: np.where(v > 0, v, 0.01 * v),
    ),
    "float(v)": (lambda v, i, j: float(v) * 2, lambda v, r, c: v * 2),
    "max()": (lambda v, i, j: max(v, 1.0), lambda v, r, c: np.maximum(v, 1.0)),
    "if i == j": (lambda v, i, j: v if i == j else 0.0, lambda v, r, c: np.where(r == c, v, 0.0)),
    "int(i)": (lambda v, i, j: int(i) * 10 + int(j), lambda v, r, c: r * 10.0 + c),
}


@pytest.mark.parametrize("name", SCALAR_ONLY)
@FAST
@given(array=grids())
def test_scalar_only_functions_fall_back_and_are_right(name, array):
    scalar_f, numpy_f = SCALAR_ONLY[name]
    rows, columns = np.indices(array.shape)
    expected = np.broadcast_to(numpy_f(array, rows, columns), array.shape)
    recorder = Recorder(scalar_f)
    result = map_elements(array, recorder)
    np.testing.assert_allclose(result, expected, rtol=1e-15, atol=0)
    assert result.dtype == array.dtype
    scalar_calls = [kinds for kinds in recorder.calls if np.ndarray not in kinds]
    assert len(scalar_calls) == array.size  # one Go-style call per element
    assert all(kinds == (float, int, int) for kinds in scalar_calls)
    assert recorder.array_calls <= 1  # at most the one failed try on arrays


NUMPY_WRITTEN = {
    "tanh": lambda v, i, j: np.tanh(v),
    "affine with indices": lambda v, i, j: v * 2 + i - 0.5 * j,
    "comparison gives bools": lambda v, i, j: v > 0,
    "integer result": lambda v, i, j: i * 0 + 3,
    "where": lambda v, i, j: np.where(v > 0, v, 0.0),
}


@pytest.mark.parametrize("name", NUMPY_WRITTEN)
@FAST
@given(array=grids(min_side=2))
def test_numpy_functions_take_one_call_and_match_the_per_element_loop(name, array):
    f = NUMPY_WRITTEN[name]
    recorder = Recorder(f)
    fast = map_elements(array, recorder)
    assert recorder.calls and len(recorder.calls) == 1  # vectorised: called once in all
    slow = map_each(array, f)  # the fallback, forced
    np.testing.assert_array_equal(fast, slow)
    assert fast.dtype == slow.dtype == array.dtype


@FAST
@given(data=st.data())
def test_fallback_gives_identical_results_to_the_array_call(data):
    array = data.draw(grids())
    k = data.draw(st.floats(-3, 3))

    def f(v, i, j):
        return np.sin(v) * k + i - j / 3  # works on scalars and on arrays alike

    np.testing.assert_array_equal(map_elements(array, f), map_each(array, f))


@FAST
@given(data=st.data())
def test_fallback_rounds_like_the_array_call_in_float32(data):
    array = data.draw(grids(dtype=np.float32))
    k = data.draw(st.floats(-3, 3))

    def f(v, i, j):
        return v * k - k / 3 + v * v  # float32 steps both ways (indices left out, see below)

    np.testing.assert_array_equal(map_elements(array, f), map_each(array, f))


def test_float32_with_index_arithmetic_may_differ_in_the_last_bit():
    # int64 index arrays lift float32 arithmetic to float64, while int scalars do not:
    # the documented limit of "same numbers both ways".
    array = np.array([[0.0, 1e-8]], dtype=np.float32).reshape(2, 1)

    def f(v, i, j):
        return v + i - i

    assert map_each(array, f)[1, 0] == 0.0  # float32: 1e-8 + 1 rounds to 1
    assert map_elements(array, f)[1, 0] == np.float32(1e-8)  # float64 keeps it
    assert map_elements(array, f).dtype == np.float32


def test_constant_functions_fill_the_matrix():
    array = np.arange(6.0).reshape(2, 3)
    assert map_elements(array, lambda v, i, j: 7).tolist() == [[7.0] * 3] * 2
    assert map_elements(array, lambda v, i, j: np.float32(0.5)).tolist() == [[0.5] * 3] * 2
    assert Matrix(3, 1).map(lambda v, i, j: -1.0) == Matrix.from_array([-1, -1, -1])
    assert Matrix(1, 1).map(lambda v, i, j: 2) == Matrix(1, 1, [[2]])


def test_indices_come_as_row_and_column():
    assert Matrix(2, 3).map(lambda v, i, j: 10 * i + j).data.tolist() == [
        [0, 1, 2],
        [10, 11, 12],
    ]
    # A single row or column: the index of that axis comes as a plain 0.
    assert Matrix(1, 3).map(lambda v, i, j: float(i) + j).data.tolist() == [[0, 1, 2]]
    assert Matrix(3, 1).map(lambda v, i, j: float(j) + i).data.tolist() == [[0], [1], [2]]


@pytest.mark.parametrize("shape", [(1, 1), (1, 4), (4, 1), (3, 3)])
def test_index_branching_is_right_on_every_shape(shape):
    identity_like = Matrix(*shape).add(1).map(lambda v, i, j: v if i == j else 0.0)
    np.testing.assert_array_equal(identity_like.data, np.eye(*shape))


def test_one_by_one_goes_straight_to_one_scalar_call():
    recorder = Recorder(lambda v, i, j: v + 1)
    assert map_elements(np.array([[2.0]]), recorder).tolist() == [[3.0]]
    assert recorder.calls == [(float, int, int)]


def test_empty_arrays_call_nothing():
    recorder = Recorder(lambda v, i, j: 1 / 0)
    assert map_elements(np.zeros((0, 3)), recorder).shape == (0, 3)
    assert recorder.calls == []


def test_results_of_the_wrong_shape_fall_back():
    recorder = Recorder(lambda v, i, j: np.zeros(4) if isinstance(v, np.ndarray) else v + 1)
    assert map_elements(np.zeros((2, 2)), recorder).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert recorder.array_calls == 1 and len(recorder.calls) == 5


def test_the_array_argument_is_read_only():
    array = np.ones((2, 2))
    seen = []

    def f(v, i, j):
        if isinstance(v, np.ndarray):
            seen.append(v.flags.writeable)
            v[0, 0] = 100.0  # refused, so map falls back to scalars
        return v * 3

    assert map_elements(array, f).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert seen == [False]
    assert array.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_the_result_never_shares_memory_with_the_input():
    array = np.ones((3, 3))
    out = map_elements(array, lambda v, i, j: v)
    assert not np.shares_memory(out, array)


def test_real_errors_in_f_surface_from_the_loop():
    with pytest.raises(ZeroDivisionError):
        map_elements(np.zeros((2, 2)), lambda v, i, j: 1 / v if v == 0 else v)
    with pytest.raises(AttributeError):
        map_elements(np.zeros((2, 2)), lambda v, i, j: v.missing)


@pytest.mark.parametrize(
    ("f", "got"),
    [
        (lambda v, i, j: v + 1j, "complex"),
        (lambda v, i, j: "1.5", "str"),
        (lambda v, i, j: None, "NoneType"),
        (lambda v, i, j: [v], "list"),
    ],
)
def test_non_real_results_raise_type_error_naming_the_element(f, got):
    with pytest.raises(TypeError) as caught:
        map_elements(np.zeros((2, 2)), f)
    message = str(caught.value)
    assert f"expected f(value, row, col) to return a real number, got {got}" in message
    assert "row 0, column 0" in message


def test_fold_is_row_major_and_threads_the_accumulator():
    array = np.arange(6.0).reshape(2, 3)
    order = fold_elements(array, lambda acc, v, i, j: [*acc, (i, j)], [])
    assert order == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    # A step that depends on the previous one: the running value of a*10 + v.
    assert fold_elements(array, lambda acc, v, i, j: acc * 10 + v, 0.0) == 12345.0
    assert fold_elements(np.zeros((0, 2)), lambda acc, v, i, j: acc + 1, 5.0) == 5.0


def test_the_result_is_a_new_array_even_when_f_returns_one_held_elsewhere():
    array = np.arange(6.0).reshape(2, 3)
    held = np.ones((2, 3))
    keeper = {"table": np.full((2, 3), 2.0)}
    made = []

    def fresh(v, i, j):
        made.append(np.tanh(v))  # f keeps what it returns
        return made[-1]

    for f in (
        fresh,
        lambda v, i, j: held,  # a name outside f
        lambda v, i, j: keeper["table"],  # a container outside f
        lambda v, i, j: v,  # the input itself (a view)
        lambda v, i, j: np.tanh(v).T.T,  # a view of a temporary
    ):
        out = map_elements(array, f)
        assert out.flags.owndata and out.flags.writeable
        for other in (held, keeper["table"], array, *made):
            assert not np.shares_memory(out, other)
    out[0, 0] = -5.0
    assert held[0, 0] == 1.0 and keeper["table"][0, 0] == 2.0
    np.testing.assert_array_equal(map_elements(array, fresh), np.tanh(array))
