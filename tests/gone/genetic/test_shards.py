"""Shards: a vectorized fitness evaluated as sub-populations, here, on a process pool or on a Dask
cluster over loopback, gives every strategy the run of one call on the whole population, bit for
bit, individual draws included."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import gone
from gone.genetic import (
    GaussianMutation,
    OpenAIES,
    Population,
    SubPopulation,
    evolve,
    individual_indices,
)
from gone.genetic.shards import Shard, evaluate_in_shards, split

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,)
LAYERS = [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())]


def noisy_xor_fitness(population: Population) -> np.ndarray:
    """Minus the MSE on XOR inputs jittered per individual: each individual draws from its own
    Generator, seeded by (generation, its index in the whole generation)."""
    jitter = np.stack(
        [
            np.random.default_rng((population.generation, i)).normal(0, 0.05, X.shape)
            for i in individual_indices(population)
        ]
    )  # (P, 4, 2)
    outputs = population.predict(X + jitter)[:, :, 0]  # (P, 4)
    return -np.mean((outputs - Y) ** 2, axis=1)


def wrong_shape_fitness(population: Population) -> np.ndarray:
    return np.zeros(population.size + 1)


def strategies():
    """Fresh strategies of every kind, by name (the same seed each time)."""
    made = {
        "population": lambda: Population(LAYERS, 11, seed=1),
        "openai_es": lambda: OpenAIES(LAYERS, 12, sigma=0.3, learning_rate=0.05, seed=1),
    }
    try:
        import cma  # noqa: F401
    except ImportError:
        pass
    else:
        made["cmaes"] = lambda: gone.CMAES(LAYERS, 11, sigma=0.5, seed=1)
    return made


BREEDING = dict(selection="rank", crossover="uniform", mutation=GaussianMutation(0.2, 0.4))


def run(make, generations=6, **evaluation):
    strategy = make()
    options = BREEDING if isinstance(strategy, Population) else {}
    history = evolve(
        noisy_xor_fitness, strategy, generations, vectorized=True, **evaluation, **options
    )
    population = strategy if isinstance(strategy, Population) else strategy.population
    return population, history


def assert_same_run(a, b):
    (population_a, history_a), (population_b, history_b) = a, b
    assert population_a.generation == population_b.generation
    np.testing.assert_array_equal(population_a.genes, population_b.genes)
    np.testing.assert_array_equal(population_a.fitness, population_b.fitness)
    assert history_a.as_dict() == history_b.as_dict()


# ---- blocks ------------------------------------------------------------------------------------


def test_a_population_splits_into_contiguous_blocks_of_arrays():
    population = Population(LAYERS, 10, seed=0)
    blocks = split(population, 3)
    assert [b.size for b in blocks] == [4, 3, 3] and [b.offset for b in blocks] == [0, 4, 7]
    assert all(isinstance(b, Shard) and b.generation == population.generation for b in blocks)
    np.testing.assert_array_equal(np.concatenate([b.genes for b in blocks]), population.genes)
    # Blocks of one are refused: numpy's batched products take another path for a stack of one.
    with pytest.raises(
        gone.ConfigError, match=r"blocks of 2 individuals or more\): expected an int in \[1, 5\]"
    ):
        split(population, 6)


def test_a_sub_population_is_its_individuals_of_the_whole_generation():
    whole = OpenAIES(LAYERS, 10, seed=0).ask()
    sub = split(whole, 3)[1].population()  # individuals 4, 5, 6
    assert isinstance(sub, SubPopulation) and (sub.size, sub.offset) == (3, 4)
    assert sub.generation == whole.generation
    np.testing.assert_array_equal(individual_indices(sub), [4, 5, 6])
    np.testing.assert_array_equal(individual_indices(whole), np.arange(10))
    for i in range(3):
        np.testing.assert_array_equal(sub[i].predict(X), whole[4 + i].predict(X))
        assert sub[i].rng.random() == whole[4 + i].rng.random()  # seeded (generation, 4 + i)
    np.testing.assert_array_equal(sub.predict(X[None]), whole.predict(X[None])[4:7])
    assert "offset=4" in repr(sub)


def test_evaluating_in_shards_joins_the_whole_populations_fitness():
    population = Population(LAYERS, 9, seed=2)
    whole = noisy_xor_fitness(population)
    for shards in (1, 2, 4):  # blocks of 9; 5 and 4; 3, 2, 2 and 2
        np.testing.assert_array_equal(
            evaluate_in_shards(noisy_xor_fitness, population, shards), whole
        )


# ---- whole runs, bit for bit -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(strategies()))
def test_sharded_runs_in_this_process_are_the_single_call_run(kind):
    make = strategies()[kind]
    assert_same_run(run(make, shards=3), run(make))


def test_a_process_pool_gives_the_single_call_run_bit_for_bit():
    with ProcessPoolExecutor(max_workers=2) as executor:
        on_processes = {
            kind: run(make, executor=executor, shards=2) for kind, make in strategies().items()
        }
    for kind, make in strategies().items():
        assert_same_run(on_processes[kind], run(make))


def test_a_two_worker_dask_cluster_gives_the_single_call_run_bit_for_bit(loopback_dask):
    with loopback_dask(n_workers=2, threads_per_worker=1) as client:
        executor = client.get_executor()
        on_dask = {
            kind: run(make, executor=executor, shards=2) for kind, make in strategies().items()
        }
        assert len(client.nthreads()) == 2
    for kind, make in strategies().items():
        assert_same_run(on_dask[kind], run(make))


# ---- what is refused ----------------------------------------------------------------------------------


def test_shards_need_a_vectorized_fitness_and_fit_the_population():
    population = Population(LAYERS, 4, seed=0)
    with pytest.raises(gone.ConfigError, match="shards: expected vectorized=True"):
        evolve(lambda net: 0.0, population, 1, shards=2)
    with pytest.raises(gone.ConfigError, match=r"shards \(blocks of 2 individuals or more\)"):
        evolve(noisy_xor_fitness, population, 1, vectorized=True, shards=3)
    with pytest.raises(gone.ConfigError, match="executor: expected a concurrent.futures.Executor"):
        evolve(noisy_xor_fitness, population, 1, vectorized=True, executor=object(), shards=2)
    with (
        ProcessPoolExecutor(max_workers=1) as executor,
        pytest.raises(gone.ConfigError, match="or shards=k to evaluate each generation"),
    ):
        evolve(noisy_xor_fitness, population, 1, vectorized=True, executor=executor)
    assert population.fitness is None  # all refused before the first evaluation


def test_a_wrong_fitness_is_reported_by_the_shard_that_made_it():
    with (
        ProcessPoolExecutor(max_workers=2) as executor,
        pytest.raises(gone.ShapeError, match=r"fitness: expected shape \(2,\)"),
    ):
        population = Population(LAYERS, 4, seed=0)
        evolve(wrong_shape_fitness, population, 1, vectorized=True, executor=executor, shards=2)
