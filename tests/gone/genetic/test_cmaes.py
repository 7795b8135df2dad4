"""CMAES: pycma behind the ask/tell shape solves XOR and a regression from a seed, bit for bit
reproducibly, quietly (no output, no files, numpy's global state untouched), and says clearly
that it cannot be saved and what to install when pycma is missing."""

import subprocess
import sys

import numpy as np
import pytest

import gone
from gone.genetic import CMAES, Population, evolve

cma = pytest.importorskip("cma", reason='CMAES needs pycma: pip install "gone[cma]"')

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,)
LAYERS = [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())]
X_REG = np.linspace(-1, 1, 16)[:, None]  # (16, 1)
Y_REG = np.sin(np.pi * X_REG[:, 0])  # (16,)
REG_LAYERS = [gone.Layer(1), gone.Layer(8, gone.Tanh()), gone.Layer(1)]


def xor_fitness(population: Population) -> np.ndarray:
    outputs = population.predict(X[None])[:, :, 0]  # (P, 4)
    return -np.mean((outputs - Y) ** 2, axis=1)


def regression_fitness(population: Population) -> np.ndarray:
    outputs = population.predict(X_REG[None])[:, :, 0]  # (P, 16)
    return -np.mean((outputs - Y_REG) ** 2, axis=1)


def test_asked_populations_are_pycmas_solutions():
    strategy = CMAES(LAYERS, 8, sigma=0.5, seed=0)
    assert strategy.population_size == strategy.es.popsize == 8
    population = strategy.ask()
    np.testing.assert_array_equal(population.genes, np.array(strategy._solutions))
    strategy.tell(xor_fitness(population))
    assert strategy.es.countiter == 1 and strategy.evaluated
    # pycma's default population size for G genes: 4 + floor(3 ln G).
    G = population.layout.size
    assert CMAES(LAYERS, seed=0).population_size == 4 + int(3 * np.log(G))


def test_pycma_minimises_minus_the_fitness():
    strategy = CMAES(LAYERS, 10, sigma=0.5, seed=0)
    direction = np.random.default_rng(1).normal(size=17)  # F = direction . genes, to climb
    start = np.array(strategy.es.mean)
    for _ in range(5):
        population = strategy.ask()
        strategy.tell(population.genes @ direction)
    assert (np.array(strategy.es.mean) - start) @ direction > 0


def test_xor_is_solved_from_a_seed():
    strategy = CMAES(LAYERS, sigma=0.5, seed=1)
    evolve(xor_fitness, strategy, 300, vectorized=True, target=-1 / 16)
    assert strategy.generation < 300
    assert np.all((strategy.best().predict(X)[:, 0] > 0.5) == (Y > 0.5))


def test_a_small_regression_is_fitted_from_a_seed():
    strategy = CMAES(REG_LAYERS, 20, sigma=0.5, seed=0)
    history = evolve(regression_fitness, strategy, 400, vectorized=True, target=-0.02)
    assert history.best[-1] >= -0.02 and strategy.generation < 400
    fitted = regression_fitness(Population.from_networks([strategy.mean_network()]))[0]
    assert fitted > -0.1 > history.mean[0]


def test_the_same_seed_gives_the_same_run_bit_for_bit():
    def run(seed):
        strategy = CMAES(LAYERS, 12, sigma=0.5, seed=seed)
        history = evolve(xor_fitness, strategy, 15, vectorized=True)
        return strategy, history

    (a, history_a), (b, history_b) = run(3), run(3)
    np.testing.assert_array_equal(a.population.genes, b.population.genes)
    np.testing.assert_array_equal(a.population.fitness, b.population.fitness)
    np.testing.assert_array_equal(np.array(a.es.mean), np.array(b.es.mean))
    assert a.es.sigma == b.es.sigma and history_a.as_dict() == history_b.as_dict()
    assert a.rng.bit_generator.state == b.rng.bit_generator.state
    other, _ = run(4)
    assert not np.array_equal(other.population.genes, a.population.genes)


def test_pycma_prints_nothing_writes_nothing_and_leaves_numpys_global_state(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)  # pycma would write outcmaes/ here
    # numpy's legacy global state, which pycma seeds and draws from unless told otherwise.
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    strategy = CMAES(LAYERS, sigma=0.5, seed=0)
    evolve(xor_fitness, strategy, 30, vectorized=True)
    assert capsys.readouterr() == ("", "")
    assert list(tmp_path.iterdir()) == []
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_options_go_to_pycma():
    strategy = CMAES(LAYERS, 6, sigma=0.5, options={"CMA_diagonal": True}, seed=0)
    assert strategy.es.opts["CMA_diagonal"] is True
    with pytest.raises(gone.ConfigError, match="options: expected a dict of pycma options"):
        CMAES(LAYERS, options=[("CMA_diagonal", True)])
    with pytest.raises(gone.ConfigError, match="sigma: expected a finite number > 0"):
        CMAES(LAYERS, sigma=-1)


def test_cmaes_cannot_be_saved_and_says_why(tmp_path):
    strategy = CMAES(LAYERS, sigma=0.5, seed=0)
    strategy.tell(xor_fitness(strategy.ask()))
    with pytest.raises(gone.ConfigError, match="pycma saves only by pickling"):
        strategy.save(tmp_path / "cma.gone")
    assert not (tmp_path / "cma.gone").exists()


def test_without_pycma_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "cma", None)  # `import cma` raises ImportError
    with pytest.raises(gone.GoneError, match=r'pip install "gone\[cma\]"') as raised:
        CMAES(LAYERS, seed=0)
    assert isinstance(raised.value, ImportError)


def test_importing_gone_does_not_import_pycma():
    code = "import sys, gone; gone.CMAES; print('cma' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
