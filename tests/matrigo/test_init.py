"""Tests of the matrigo package surface: what it exports, and that it stands alone."""

import ast
import doctest
from pathlib import Path

import matrigo

PACKAGE = Path(matrigo.__file__).parent


def test_exports_matrix_and_shape_error():
    assert sorted(matrigo.__all__) == ["Matrix", "ShapeError"]
    assert matrigo.Matrix.__module__ == "matrigo.matrix"


def test_matrigo_imports_nothing_of_gone_and_never_prints():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            assert not any(name.split(".")[0] == "gone" for name in names), path
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", path


def test_documented_examples_run():
    results = doctest.testmod(matrigo)
    assert results.attempted >= 1 and results.failed == 0
