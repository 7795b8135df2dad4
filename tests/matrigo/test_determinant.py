"""Tests of matrigo.determinant: Bareiss exactness against fractions, and the LU path."""

import doctest
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matrigo.determinant
from matrigo.determinant import EXACT_MAX_SIZE, bareiss_determinant, determinant

FAST = settings(max_examples=60, deadline=None)


def fraction_determinant(rows):
    """Reference: Gaussian elimination on exact fractions, written independently of Bareiss."""
    a = [[Fraction(v) for v in row] for row in rows]
    result = Fraction(1)
    for k in range(len(a)):
        pivot_row = next((i for i in range(k, len(a)) if a[i][k] != 0), None)
        if pivot_row is None:
            return Fraction(0)
        if pivot_row != k:
            a[k], a[pivot_row] = a[pivot_row], a[k]
            result = -result
        result *= a[k][k]
        for i in range(k + 1, len(a)):
            factor = a[i][k] / a[k][k]
            a[i] = [x - factor * y for x, y in zip(a[i], a[k], strict=True)]
    return result


def int_matrices(max_size=6, bound=20):
    """Square lists of ints, sized 0..max_size, with many zeros so pivots need swapping."""
    entries = st.one_of(st.just(0), st.integers(-bound, bound))
    return st.integers(0, max_size).flatmap(
        lambda n: st.lists(st.lists(entries, min_size=n, max_size=n), min_size=n, max_size=n)
    )


@FAST
@given(int_matrices())
def test_bareiss_equals_exact_fraction_elimination(rows):
    assert bareiss_determinant(rows) == fraction_determinant(rows)


@FAST
@given(int_matrices())
def test_bareiss_leaves_its_input_alone(rows):
    before = [list(row) for row in rows]
    bareiss_determinant(rows)
    assert rows == before


@FAST
@given(int_matrices(max_size=5, bound=10))
def test_determinant_of_integer_arrays_is_the_exact_value(rows):
    n = len(rows)
    array = np.array(rows, dtype=np.float64).reshape(n, n)
    assert determinant(array) == float(fraction_determinant(rows))


def test_go_examples_and_pivot_swaps():
    assert bareiss_determinant([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == 0
    assert bareiss_determinant([[2, 3, 4, 5], [3, 4, 4, 6], [3, 5, 7, 5], [2, 4, 6, 4]]) == 4
    assert bareiss_determinant([[0, 1], [1, 0]]) == -1  # a zero pivot: swap, flip the sign
    assert bareiss_determinant([[0, 1, 2], [0, 3, 4], [5, 6, 7]]) == 5 * (1 * 4 - 2 * 3)
    assert bareiss_determinant([[0, 1], [0, 2]]) == 0  # a zero column
    assert bareiss_determinant([[7]]) == 7
    assert bareiss_determinant([]) == 1


def test_exact_path_handles_big_whole_numbers_and_overflow():
    assert determinant(np.array([[2.0**60, 1.0], [1.0, 2.0**60]])) == float(2**120 - 1)
    assert determinant(np.diag([1e200, 1e200])) == math.inf
    assert determinant(np.diag([-1e200, 1e200])) == -math.inf


def test_beyond_the_exact_size_lu_takes_over():
    size = EXACT_MAX_SIZE + 1
    doubled = 2.0 * np.eye(size)
    assert determinant(doubled) == pytest.approx(2.0**size, rel=1e-12)
    assert determinant(doubled[:-1, :-1]) == 2.0 ** (size - 1)  # exact path: exactly


def test_non_integers_use_lu():
    array = np.array([[0.5, 1.5], [2.0, 0.25]])
    assert determinant(array) == pytest.approx(0.5 * 0.25 - 1.5 * 2.0, rel=1e-14)
    assert determinant(np.array([[0.1]], dtype=np.float32)) == pytest.approx(0.1, rel=1e-7)
    assert isinstance(determinant(array), float)


def test_documented_examples_run():
    results = doctest.testmod(matrigo.determinant)
    assert results.attempted >= 1 and results.failed == 0
