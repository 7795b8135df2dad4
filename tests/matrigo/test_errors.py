"""Tests of matrigo.errors: ShapeError is a ValueError that others can extend."""

import doctest

import pytest

import matrigo
import matrigo.errors
from matrigo import Matrix, ShapeError


def test_shape_error_is_a_value_error_exported_by_the_package():
    assert issubclass(ShapeError, ValueError)
    assert matrigo.ShapeError is matrigo.errors.ShapeError


def test_a_library_can_mix_it_into_its_own_error_tree():
    class LibraryError(Exception):
        pass

    class LibraryShapeError(LibraryError, ShapeError):
        pass

    error = LibraryShapeError("layer: expected 3 inputs, got 4")
    assert isinstance(error, ShapeError) and isinstance(error, ValueError)
    assert str(error) == "layer: expected 3 inputs, got 4"


def test_operations_raise_it_for_shapes():
    with pytest.raises(ShapeError, match="add_matrix: expected a 2x3 matrix, got 3x2"):
        Matrix(2, 3).add_matrix(Matrix(3, 2))


def test_documented_examples_run():
    results = doctest.testmod(matrigo.errors)
    assert results.attempted >= 1 and results.failed == 0
