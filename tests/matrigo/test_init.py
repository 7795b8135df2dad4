"""Tests of the matrigo package surface (tests/test_layering.py checks its imports)."""

import doctest

import matrigo


def test_exports_matrix_and_shape_error():
    assert sorted(matrigo.__all__) == ["Matrix", "ShapeError"]
    assert matrigo.Matrix.__module__ == "matrigo.matrix"


def test_documented_examples_run():
    results = doctest.testmod(matrigo)
    assert results.attempted >= 1 and results.failed == 0
