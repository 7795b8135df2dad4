"""The dependency direction and house rules, read from the source with `ast`:
matrigo <- gone core <- gone.genetic, gone.persistence <- examples; physics without pygame;
no print in the library; no pickle anywhere."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted((ROOT / "gone").rglob("*.py")) + sorted((ROOT / "matrigo").rglob("*.py"))
EVERYTHING = sorted(
    p
    for d in ("gone", "matrigo", "examples", "benchmarks", "tests", "scripts")
    for p in (ROOT / d).rglob("*.py")
)
GENERATED = {ROOT / "gone" / "gone_pb2.py"}


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_library_exists():
    assert len(LIBRARY) > 10  # the globs below would pass vacuously on an empty tree


@pytest.mark.parametrize("path", sorted((ROOT / "matrigo").rglob("*.py")), ids=rel)
def test_matrigo_knows_nothing_of_gone(path):
    assert not {m for m in imports(path) if m == "gone" or m.startswith("gone.")}


CORE = [
    p
    for p in (ROOT / "gone").glob("*.py")
    if p.stem not in ("persistence", "__main__", "__init__") and p not in GENERATED
]


@pytest.mark.parametrize("path", CORE, ids=rel)
def test_the_core_does_not_import_its_dependents_at_module_level(path):
    upward = {
        m
        for m in imports(path, top_level_only=True)
        if m.startswith(("gone.genetic", "gone.persistence", "examples"))
    }
    assert not upward, f"{rel(path)} imports {upward} at module level"


@pytest.mark.parametrize("path", LIBRARY, ids=rel)
def test_library_never_imports_examples(path):
    assert not {m for m in imports(path) if m.startswith("examples")}


def test_game_physics_never_imports_pygame():
    physics = ROOT / "examples" / "flappy" / "physics.py"
    assert physics.exists()
    assert not {m for m in imports(physics) if m.startswith("pygame")}


@pytest.mark.parametrize("path", [p for p in LIBRARY if p not in GENERATED], ids=rel)
def test_library_code_never_prints(path):
    tree = ast.parse(path.read_text())
    calls = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print"
    ]
    assert not calls, f"print() at {rel(path)} lines {calls}"


@pytest.mark.parametrize("path", EVERYTHING, ids=rel)
def test_no_pickle_anywhere(path):
    assert not imports(path) & {
        "pickle",
        "cPickle",
        "dill",
        "cloudpickle",
        "shelve",
        "marshal",
        "joblib",
    }
    assert "allow_pickle" + "=True" not in path.read_text()
