"""Strategies: the ask/tell protocol, the GeneticAlgorithm behind evolve(population), and evolve
running any strategy with the same records, callbacks, targets, seeds and checkpoints."""

import numpy as np
import pytest

import gone
from gone.genetic import GaussianMutation, GeneticAlgorithm, OpenAIES, Population, evolve

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,)
LAYERS = [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())]
BREEDING = dict(selection="rank", crossover="single_point", mutation=GaussianMutation(0.2, 0.4))


def xor_fitness(population: Population) -> np.ndarray:
    """Minus the MSE of every individual on XOR: one batched forward pass."""
    outputs = population.predict(X[None])[:, :, 0]  # (P, 4)
    return -np.mean((outputs - Y) ** 2, axis=1)


def assert_same_population(a: Population, b: Population):
    assert a.generation == b.generation
    np.testing.assert_array_equal(a.genes, b.genes)
    np.testing.assert_array_equal(a.fitness, b.fitness)
    assert a.history.as_dict() == b.history.as_dict()
    assert a.rng.bit_generator.state == b.rng.bit_generator.state


# ---- the protocol --------------------------------------------------------------------------------


def test_ask_gives_the_same_population_until_it_is_told():
    strategy = OpenAIES(LAYERS, 10, seed=0)
    assert strategy.population is None and strategy.generation == 0 and not strategy.evaluated
    first = strategy.ask()
    assert strategy.ask() is first and first.generation == 0 and first.fitness is None
    strategy.tell(xor_fitness(first))
    assert strategy.evaluated and first.fitness is not None
    second = strategy.ask()
    assert second is not first and second.generation == strategy.generation == 1


def test_tell_without_a_population_waiting_is_refused():
    strategy = OpenAIES(LAYERS, 10, seed=0)
    with pytest.raises(gone.ConfigError, match="tell: expected the fitness of a population"):
        strategy.tell(np.zeros(10))
    strategy.tell(xor_fitness(strategy.ask()))
    with pytest.raises(gone.ConfigError, match="generation 0, told already"):
        strategy.tell(np.zeros(10))


def test_tell_checks_the_fitness_as_evaluate_does():
    strategy = OpenAIES(LAYERS, 10, seed=0)
    strategy.ask()
    with pytest.raises(gone.ShapeError, match=r"expected shape \(10,\)"):
        strategy.tell(np.zeros(9))
    with pytest.raises(gone.DataError, match="NaN for individual 3"):
        strategy.tell(np.where(np.arange(10) == 3, np.nan, 0.0))
    assert not strategy.evaluated  # a refused tell changes nothing


def test_best_is_the_fittest_individual_of_the_generation_told():
    strategy = OpenAIES(LAYERS, 10, seed=0)
    with pytest.raises(gone.ConfigError, match="none asked yet"):
        strategy.best()
    population = strategy.ask()
    with pytest.raises(gone.ConfigError, match="generation 0 still waiting for tell"):
        strategy.best()
    fitness = xor_fitness(population)
    strategy.tell(fitness)
    best = strategy.best()
    assert isinstance(best, gone.NeuralNetwork)
    np.testing.assert_array_equal(best.predict(X), population[int(np.argmax(fitness))].predict(X))


# ---- the genetic algorithm is evolve(population) ----------------------------------------------------


def test_evolving_a_population_is_running_a_genetic_algorithm_on_it():
    by_evolve = Population(LAYERS, 20, seed=1)
    evolve(xor_fitness, by_evolve, 8, vectorized=True, elite=2, **BREEDING)

    by_hand = Population(LAYERS, 20, seed=1)
    strategy = GeneticAlgorithm.from_population(by_hand, elite=2, **BREEDING)
    for _ in range(9):  # generation 0 and 8 bred ones
        population = strategy.ask()
        assert population is by_hand  # bred in place
        strategy.tell(xor_fitness(population))
    assert by_hand.generation == by_evolve.generation == 8
    np.testing.assert_array_equal(by_hand.genes, by_evolve.genes)
    np.testing.assert_array_equal(by_hand.fitness, by_evolve.fitness)
    assert by_hand.rng.bit_generator.state == by_evolve.rng.bit_generator.state


def test_a_genetic_algorithm_draws_its_population_as_population_does():
    strategy = GeneticAlgorithm(LAYERS, 20, elite=2, seed=1, **BREEDING)
    evolve(xor_fitness, strategy, 8, vectorized=True)
    population = Population(LAYERS, 20, seed=1)
    evolve(xor_fitness, population, 8, vectorized=True, elite=2, **BREEDING)
    assert_same_population(strategy.population, population)
    # The population is the whole state: its Generator and history are the strategy's.
    assert strategy.history is strategy.population.history
    assert strategy.rng is strategy.population.rng


def test_a_genetic_algorithm_checks_its_settings():
    with pytest.raises(gone.ConfigError, match="elite: expected an int in"):
        GeneticAlgorithm(LAYERS, 5, elite=6)
    with pytest.raises(gone.ConfigError, match="crossover: expected one of"):
        GeneticAlgorithm(LAYERS, 5, crossover="two_point")
    with pytest.raises(gone.ConfigError, match="population: expected a gone.Population"):
        GeneticAlgorithm.from_population([1, 2, 3])


# ---- evolve runs every strategy the same way ----------------------------------------------------------


def test_evolve_reports_a_strategy_as_it_reports_a_population():
    strategy = OpenAIES(LAYERS, 12, sigma=0.5, learning_rate=0.1, seed=0)
    records = []
    history = evolve(xor_fitness, strategy, 6, vectorized=True, on_generation=records.append)
    assert len(history) == len(strategy.history) == 7
    assert [r.generation for r in records] == list(range(7)) and strategy.generation == 6
    for record, best in zip(records, history.best, strict=True):
        assert record.strategy is strategy and record.best == best
        assert record.worst <= record.mean <= record.best == record.fitness[record.best_index]
    np.testing.assert_array_equal(records[-1].fitness, strategy.population.fitness)


def test_evolve_stops_a_strategy_at_the_target():
    strategy = OpenAIES(LAYERS, 50, sigma=0.5, learning_rate=0.1, seed=1)
    history = evolve(xor_fitness, strategy, 500, vectorized=True, target=-1 / 16)
    assert history.best[-1] >= -1 / 16 > max(history.best[:-1])
    assert xor_fitness(Population.from_networks([strategy.best()]))[0] == history.best[-1]


def test_the_seed_of_evolve_replaces_the_strategys_generator():
    def run(seed):
        strategy = OpenAIES(LAYERS, 10, seed=0)
        evolve(xor_fitness, strategy, 3, vectorized=True, seed=seed)
        return strategy.mean

    np.testing.assert_array_equal(run(5), run(5))
    assert not np.array_equal(run(5), run(6))


def test_breeding_settings_go_with_a_population_only():
    strategy = OpenAIES(LAYERS, 10, seed=0)
    for setting in (dict(selection="rank"), dict(crossover=None), dict(elite=3)):
        with pytest.raises(gone.ConfigError, match="expected them only with a Population"):
            evolve(xor_fitness, strategy, 1, vectorized=True, **setting)
    evolve(xor_fitness, strategy, 1, vectorized=True, selection=gone.Tournament(3))  # defaults
    with pytest.raises(gone.ConfigError, match="population: expected a gone.Population, got 3"):
        evolve(xor_fitness, 3, 1)


def test_a_per_network_fitness_works_with_a_strategy_too():
    def per_network(net):
        return -float(np.mean((net.predict(X)[:, 0] - Y) ** 2))

    a, b = OpenAIES(LAYERS, 8, seed=3), OpenAIES(LAYERS, 8, seed=3)
    evolve(per_network, a, 3)
    evolve(xor_fitness, b, 3, vectorized=True)
    np.testing.assert_allclose(a.population.fitness, b.population.fitness, rtol=0, atol=1e-12)


# ---- checkpoints of the genetic algorithm ---------------------------------------------------------------


def test_a_genetic_algorithm_saved_by_on_generation_resumes_exactly(tmp_path):
    path = tmp_path / "ga.gone"

    def checkpoint(record):
        if record.generation == 4:
            record.strategy.save(path)

    uninterrupted = GeneticAlgorithm(LAYERS, 20, elite=2, seed=2, **BREEDING)
    evolve(xor_fitness, uninterrupted, 9, vectorized=True, on_generation=checkpoint)
    resumed = gone.load_strategy(path)
    assert isinstance(resumed, GeneticAlgorithm) and resumed.generation == 4
    assert (resumed.selection, resumed.crossover, resumed.mutation, resumed.elite) == (
        uninterrupted.selection,
        uninterrupted.crossover,
        uninterrupted.mutation,
        2,
    )
    seen = []
    evolve(xor_fitness, resumed, 5, vectorized=True, on_generation=seen.append)
    assert [r.generation for r in seen] == [5, 6, 7, 8, 9]  # generation 4 is not reported twice
    assert_same_population(resumed.population, uninterrupted.population)


def test_a_population_checkpoint_of_evolve_still_resumes_exactly(tmp_path):
    path = tmp_path / "population.gone"

    def checkpoint(record):
        if record.generation == 3:
            record.population.save(path)

    uninterrupted = Population(LAYERS, 16, seed=4)
    evolve(xor_fitness, uninterrupted, 7, vectorized=True, on_generation=checkpoint, **BREEDING)
    resumed = Population.load(path)
    evolve(xor_fitness, resumed, 4, vectorized=True, **BREEDING)
    assert_same_population(resumed, uninterrupted)


def test_a_genetic_algorithm_with_operators_of_its_own_cannot_be_saved(tmp_path):
    class Everyone(gone.Selection):
        name = "everyone"

        def __call__(self, fitness, n, rng):
            return np.arange(n) % len(fitness)

    strategy = GeneticAlgorithm(LAYERS, 6, selection=Everyone(), seed=0)
    with pytest.raises(gone.ConfigError, match="selection: expected one of gone's own"):
        strategy.save(tmp_path / "ga.gone")
    assert not (tmp_path / "ga.gone").exists()


def test_loading_a_strategy_of_another_kind_is_refused(tmp_path):
    GeneticAlgorithm(LAYERS, 6, seed=0).save(tmp_path / "ga.gone")
    with pytest.raises(gone.ConfigError, match="kind 'openai_es', got 'genetic_algorithm'"):
        OpenAIES.load(tmp_path / "ga.gone")
    assert isinstance(gone.Strategy.load(tmp_path / "ga.gone"), GeneticAlgorithm)
