"""OpenAIES: one generation worked by hand, the gradient it follows, XOR and a regression solved
from a seed, runs reproducible bit for bit, and checkpoints that resume exactly."""

import math

import numpy as np
import pytest

import gone
from gone._random import clone_rng
from gone.genetic import OpenAIES, Population, evolve
from gone.genetic.openai_es import centred_ranks

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,)
LAYERS = [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())]

# A small regression: y = sin(pi x) on 16 points of [-1, 1], by a 1-8-1 tanh network.
X_REG = np.linspace(-1, 1, 16)[:, None]  # (16, 1)
Y_REG = np.sin(np.pi * X_REG[:, 0])  # (16,)
REG_LAYERS = [gone.Layer(1), gone.Layer(8, gone.Tanh()), gone.Layer(1)]


def xor_fitness(population: Population) -> np.ndarray:
    outputs = population.predict(X[None])[:, :, 0]  # (P, 4)
    return -np.mean((outputs - Y) ** 2, axis=1)


def regression_fitness(population: Population) -> np.ndarray:
    outputs = population.predict(X_REG[None])[:, :, 0]  # (P, 16)
    return -np.mean((outputs - Y_REG) ** 2, axis=1)


def solves_xor(net) -> bool:
    return bool(np.all((net.predict(X)[:, 0] > 0.5) == (Y > 0.5)))


# ---- the math ------------------------------------------------------------------------------------


def test_centred_ranks_run_from_minus_to_plus_a_half_and_share_ties():
    np.testing.assert_allclose(
        centred_ranks(np.array([1.0, 4.0, 2.0, 3.0])), [-0.5, 0.5, -1 / 6, 1 / 6]
    )
    # 3.0 twice: ranks 1 and 2 shared as 1.5; -inf is simply the worst.
    u = centred_ranks(np.array([3.0, -np.inf, 10.0, 3.0]))
    np.testing.assert_allclose(u, [0.0, -0.5, 0.5, 0.0])
    u = centred_ranks(np.random.default_rng(0).normal(size=101))
    assert u.min() == -0.5 and u.max() == 0.5 and abs(u.sum()) < 1e-12


def test_one_generation_by_hand():
    strategy = OpenAIES(LAYERS, 4, sigma=0.5, learning_rate=0.1, weight_decay=0.01, seed=3)
    theta = strategy.mean.copy()  # (G,)
    G = theta.size
    eps = clone_rng(strategy.rng).standard_normal((2, G))  # the noise ask will draw

    population = strategy.ask()
    # Mirrored samples: theta + sigma eps for the first half, theta - sigma eps for the second.
    np.testing.assert_allclose(population.genes, theta + 0.5 * np.vstack([eps, -eps]), atol=1e-15)

    strategy.tell([1.0, 4.0, 2.0, 3.0])  # centred ranks -1/2, 1/2, -1/6, 1/6
    u = np.array([-0.5, 0.5, -1 / 6, 1 / 6])
    g = ((u[0] - u[2]) * eps[0] + (u[1] - u[3]) * eps[1]) / (4 * 0.5)  # 1/(P sigma) sum u_i eps_i
    d = 0.01 * theta - g  # the weight decay pulls towards 0, the gradient up
    m, v = 0.1 * d, 0.001 * d**2  # Adam's first moments
    step_size = 0.1 * math.sqrt(1 - 0.999) / (1 - 0.9)
    expected = theta - step_size * m / (np.sqrt(v) + 1e-8)
    np.testing.assert_allclose(strategy.mean, expected, rtol=1e-12)
    np.testing.assert_allclose(strategy.m, m, rtol=1e-12)
    np.testing.assert_allclose(strategy.v, v, rtol=1e-12)
    # Adam's first step is the learning rate against the sign of d, for every gene.
    np.testing.assert_allclose(strategy.mean, theta - 0.1 * np.sign(d), atol=1e-6)
    assert strategy.steps == 1 and strategy.generation == 0 and strategy.evaluated


def test_the_step_follows_the_gradient_of_a_linear_fitness():
    strategy = OpenAIES(LAYERS, 2000, sigma=0.1, learning_rate=0.01, seed=0)
    direction = np.random.default_rng(1).normal(size=strategy.mean.size)  # F = direction . genes
    before = strategy.mean.copy()
    population = strategy.ask()
    strategy.tell(population.genes @ direction)
    moved = strategy.mean - before
    assert np.mean(np.sign(moved) == np.sign(direction)) > 0.9


def test_float32_individuals_from_a_float64_mean():
    strategy = OpenAIES(LAYERS, 6, dtype=np.float32, seed=0)
    population = strategy.ask()
    assert population.dtype == np.float32 and strategy.mean.dtype == np.float64
    strategy.tell(xor_fitness(population))
    assert strategy.mean_network().dtype == np.float32


def test_settings_that_cannot_work_are_refused():
    with pytest.raises(gone.ConfigError, match="population_size: expected an even int"):
        OpenAIES(LAYERS, 7)
    with pytest.raises(gone.ConfigError, match="population_size: expected an int >= 2"):
        OpenAIES(LAYERS, 0)
    with pytest.raises(gone.ConfigError, match="sigma: expected a finite number > 0"):
        OpenAIES(LAYERS, 4, sigma=0)
    with pytest.raises(gone.ConfigError, match="learning_rate: expected a finite number > 0"):
        OpenAIES(LAYERS, 4, learning_rate=float("nan"))
    with pytest.raises(gone.ConfigError, match="beta1: expected a finite number in"):
        OpenAIES(LAYERS, 4, beta1=1.0)
    with pytest.raises(gone.ConfigError, match="weight_decay: expected a finite number >= 0"):
        OpenAIES(LAYERS, 4, weight_decay=-0.1)


# ---- it learns ------------------------------------------------------------------------------------


def test_xor_is_solved_from_a_seed():
    strategy = OpenAIES(LAYERS, 50, sigma=0.5, learning_rate=0.1, seed=1)
    evolve(xor_fitness, strategy, 300, vectorized=True, target=-1 / 16)
    assert strategy.generation < 300 and solves_xor(strategy.best())


def test_a_small_regression_is_fitted_from_a_seed():
    strategy = OpenAIES(REG_LAYERS, 50, sigma=0.1, learning_rate=0.05, seed=0)
    history = evolve(regression_fitness, strategy, 400, vectorized=True, target=-0.02)
    assert history.best[-1] >= -0.02 and strategy.generation < 400
    # The mean, which the samples surround, has learnt too: it starts far worse than that.
    fitted = regression_fitness(Population.from_networks([strategy.mean_network()]))[0]
    assert fitted > -0.1 > history.mean[0]


def test_the_same_seed_gives_the_same_run_bit_for_bit():
    def run(seed):
        strategy = OpenAIES(LAYERS, 20, sigma=0.3, learning_rate=0.05, seed=seed)
        history = evolve(xor_fitness, strategy, 15, vectorized=True)
        return strategy, history

    (a, history_a), (b, history_b) = run(4), run(4)
    assert_same_strategy(a, b)
    assert history_a.as_dict() == history_b.as_dict()
    other, _ = run(5)
    assert not np.array_equal(other.mean, a.mean)


def assert_same_strategy(a: OpenAIES, b: OpenAIES):
    assert a.generation == b.generation and a.steps == b.steps and a.evaluated == b.evaluated
    for name in ("mean", "m", "v"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.population.genes, b.population.genes)
    np.testing.assert_array_equal(a.population.fitness, b.population.fitness)
    assert a.history.as_dict() == b.history.as_dict()
    assert a.rng.bit_generator.state == b.rng.bit_generator.state


# ---- checkpoints -------------------------------------------------------------------------------------


def test_a_checkpoint_written_by_on_generation_resumes_exactly(tmp_path):
    path = tmp_path / "es.gone"

    def checkpoint(record):
        if record.generation == 4:
            record.strategy.save(path)

    settings = dict(sigma=0.3, learning_rate=0.05, weight_decay=0.005, seed=2)
    uninterrupted = OpenAIES(LAYERS, 20, **settings)
    evolve(xor_fitness, uninterrupted, 10, vectorized=True, on_generation=checkpoint)

    resumed = gone.load_strategy(path)
    assert isinstance(resumed, OpenAIES) and resumed.generation == 4 and resumed.steps == 5
    assert (resumed.sigma, resumed.learning_rate, resumed.weight_decay) == (0.3, 0.05, 0.005)
    seen = []
    evolve(xor_fitness, resumed, 6, vectorized=True, on_generation=seen.append)
    assert [r.generation for r in seen] == [5, 6, 7, 8, 9, 10]  # 4 is not reported twice
    assert_same_strategy(resumed, uninterrupted)


def test_a_strategy_saved_between_ask_and_tell_resumes_exactly(tmp_path):
    uninterrupted = OpenAIES(LAYERS, 10, sigma=0.3, seed=6)
    evolve(xor_fitness, uninterrupted, 5, vectorized=True)

    interrupted = OpenAIES(LAYERS, 10, sigma=0.3, seed=6)
    evolve(xor_fitness, interrupted, 2, vectorized=True)
    waiting = interrupted.ask()  # generation 3, asked for and not told
    interrupted.save(tmp_path / "es.gone")
    resumed = OpenAIES.load(tmp_path / "es.gone")
    assert resumed.generation == 3 and not resumed.evaluated
    np.testing.assert_array_equal(resumed.ask().genes, waiting.genes)  # the same, not a new one
    evolve(xor_fitness, resumed, 2, vectorized=True)  # evaluates generation 3, then 4 and 5
    np.testing.assert_array_equal(resumed.mean, uninterrupted.mean)
    np.testing.assert_array_equal(resumed.population.genes, uninterrupted.population.genes)
    assert resumed.rng.bit_generator.state == uninterrupted.rng.bit_generator.state
    assert resumed.history.as_dict() == uninterrupted.history.as_dict()


def test_a_new_strategy_saves_and_loads_too(tmp_path):
    strategy = OpenAIES(LAYERS, 4, seed=0, initializer=gone.Normal(0, 0.3))
    strategy.save(tmp_path / "new.gone")
    loaded = gone.load_strategy(tmp_path / "new.gone")
    assert loaded.population is None and loaded.generation == 0
    np.testing.assert_array_equal(loaded.mean, strategy.mean)
    np.testing.assert_array_equal(loaded.ask().genes, strategy.ask().genes)
    assert loaded.mean_network().initializer == gone.Normal(0, 0.3)
