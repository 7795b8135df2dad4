"""The dependency direction and house rules, read from the source with `ast`:
matrigo <- gone core <- gone.genetic, gone.persistence <- examples; physics without pygame;
no print in the library; no pickle anywhere.

Every import counts, the ones inside functions too: an import deferred into a method still
makes the module depend on what it imports. The few upward imports that have a reason are in
ALLOWED below, each with it.
"""

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
    """The modules `path` imports, anywhere in it (or at module level only).

    `from gone import backprop` counts as importing gone.backprop when that is a module of the
    package, and as importing the package `gone` (all of it) when it is a name from __init__.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if _is_module(submodule) else node.module)
    return names


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_library_exists():
    assert len(LIBRARY) > 10  # the globs below would pass vacuously on an empty tree


def test_imports_inside_functions_are_seen():
    network = ROOT / "gone" / "network.py"
    assert "gone.persistence" in imports(network)  # inside NeuralNetwork.save
    assert "gone.persistence" not in imports(network, top_level_only=True)


@pytest.mark.parametrize("path", sorted((ROOT / "matrigo").rglob("*.py")), ids=rel)
def test_matrigo_knows_nothing_of_gone(path):
    assert not {m for m in imports(path) if m == "gone" or m.startswith("gone.")}


# The layers of gone, bottom up. A module may import its own layer and those below, never above.
# The front ends (the package's __init__, the command line, the pictures, the scikit-learn
# estimators) sit on top of everything and may import all of it.
FRONT_ENDS = {"__init__", "__main__", "plots", "sklearn"}
CORE_PACKAGES = {"layers"}  # the layer kinds, one module each: part of the core
FRONT_END_PACKAGES = {"gym"}  # Gymnasium: populations playing environments, on top of genetic
UPWARD = {
    "core": ("gone.genetic", "gone.persistence", "examples"),
    "genetic": ("gone.persistence", "examples"),  # genetic and persistence are siblings
    "persistence": ("gone.genetic", "examples"),
}

#: (module, what it imports from a layer above) -> why. Each is imported inside the function that
#: needs it, so importing the module does not import the layer above; the test checks that too.
ALLOWED = {
    ("gone/network.py", "gone.genetic.operators"): (
        "NeuralNetwork.crossover / mutate: Go gone has them as network methods; the operators "
        "themselves live in gone.genetic, which is built on the network"
    ),
    ("gone/network.py", "gone.persistence"): (
        "NeuralNetwork.save / to_bytes: Go gone's net.Save; persistence is built on the network"
    ),
    ("gone/genetic/population.py", "gone.persistence"): (
        "Population.save / load / to_record / from_record: a population saves itself as a "
        "network does; persistence knows the population only through its PopulationRecord"
    ),
    ("gone/genetic/strategy.py", "gone.persistence"): (
        "Strategy.save / load / to_record / from_record and gone.load_strategy: a strategy "
        "saves itself as a population does; persistence knows it only through its StrategyRecord"
    ),
}


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT / "gone").parts
    if len(parts) == 1:
        return None if path.stem in FRONT_ENDS or path in GENERATED else "core"
    if parts[0] in CORE_PACKAGES:
        return "core"
    return None if parts[0] in FRONT_END_PACKAGES else parts[0]


def test_every_package_of_gone_has_a_place_in_the_layers():
    # A new package would otherwise be checked by nothing: give it a layer or call it a front end.
    packages = {p.parent.name for p in (ROOT / "gone").glob("*/__init__.py")}
    placed = set(UPWARD) | FRONT_END_PACKAGES | CORE_PACKAGES
    assert packages <= placed, packages - placed


LAYERED = [p for p in sorted((ROOT / "gone").rglob("*.py")) if layer_of(p)]


@pytest.mark.parametrize("path", LAYERED, ids=rel)
def test_no_module_imports_a_layer_above_its_own(path):
    above = UPWARD[layer_of(path)]
    upward = {m for m in imports(path) if m.startswith(above)}
    unexplained = {m for m in upward if (rel(path), m) not in ALLOWED}
    assert not unexplained, f"{rel(path)} imports {unexplained}, a layer above its own"
    at_module_level = upward & imports(path, top_level_only=True)
    assert not at_module_level, f"{rel(path)} imports {at_module_level} at module level"


@pytest.mark.parametrize("path", [p for p in LAYERED if layer_of(p) == "core"], ids=rel)
def test_the_core_never_imports_the_whole_package(path):
    # `import gone` or `from gone import SGD` would run gone/__init__, which imports genetic and
    # persistence: the core names its modules (from gone import backprop, from gone.data ...).
    assert "gone" not in imports(path)


@pytest.mark.parametrize("entry", sorted(ALLOWED), ids=lambda entry: f"{entry[0]}->{entry[1]}")
def test_every_allowed_import_still_exists(entry):
    # A stale entry would silently allow the import again after someone removed it.
    path, module = entry
    assert module in imports(ROOT / path)


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
