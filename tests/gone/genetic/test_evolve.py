"""evolve: XOR is learnt, runs are reproducible serial or on executors, checkpoints resume exactly."""

import io
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import gone
from gone.genetic import GaussianMutation, GenerationRecord, Population, evolve
from gone.persistence import load

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,)
# Go-compatible activations, so the champion is a .gone file the Go library can read too.
LAYERS = [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())]


def xor_fitness(net: gone.NeuralNetwork) -> float:
    """Minus the mean squared error of one network on XOR (module level: picklable)."""
    return -float(np.mean((net.predict(X)[:, 0] - Y) ** 2))


def xor_fitness_of_population(population: Population) -> np.ndarray:
    """Minus the MSE of every individual at once: one batched forward pass."""
    outputs = population.predict(X[None])[:, :, 0]  # (P, 4)
    return -np.mean((outputs - Y) ** 2, axis=1)


def solves_xor(net) -> bool:
    return bool(np.all((net.predict(X)[:, 0] > 0.5) == (Y > 0.5)))


def test_xor_is_solved_within_200_generations_for_most_seeds():
    solved = 0
    for seed in range(10):
        population = Population(LAYERS, 30, seed=seed)
        # Minus MSE above -1/16 puts every output within 0.5 of its target.
        evolve(xor_fitness_of_population, population, 200, vectorized=True, target=-1 / 16)
        solved += solves_xor(population.best())
    assert solved >= 8


def test_per_network_and_vectorized_fitness_agree():
    population = Population(LAYERS, 10, seed=0)
    one_by_one = population.evaluate(xor_fitness).copy()
    at_once = population.evaluate(xor_fitness_of_population, vectorized=True)
    np.testing.assert_allclose(one_by_one, at_once, rtol=0, atol=1e-12)


def evolved(executor=None, generations=6, **options):
    population = Population(LAYERS, 16, seed=42)
    history = evolve(xor_fitness, population, generations, executor=executor, **options)
    return population, history


def assert_same_run(a, b):
    (pop_a, hist_a), (pop_b, hist_b) = a, b
    np.testing.assert_array_equal(pop_a.genes, pop_b.genes)
    np.testing.assert_array_equal(pop_a.fitness, pop_b.fitness)
    assert hist_a.as_dict() == hist_b.as_dict()
    assert pop_a.rng.bit_generator.state == pop_b.rng.bit_generator.state


def test_seeded_runs_are_reproducible_bit_for_bit():
    assert_same_run(evolved(), evolved())
    other, _ = evolved(seed=7)
    assert not np.array_equal(other.genes, evolved()[0].genes)


def test_a_process_pool_gives_the_serial_run_bit_for_bit():
    with ProcessPoolExecutor(max_workers=2) as executor:
        on_processes = evolved(executor, chunksize=3)
    assert_same_run(on_processes, evolved())


def test_a_dask_cluster_gives_the_serial_run_bit_for_bit(loopback_dask):
    with loopback_dask(n_workers=1, threads_per_worker=2) as client:
        on_dask = evolved(client.get_executor(), chunksize=4)
    assert_same_run(on_dask, evolved())


def test_vectorized_fitness_cannot_go_to_an_executor():
    with (
        ProcessPoolExecutor(max_workers=1) as executor,
        pytest.raises(gone.ConfigError, match="vectorized fitness takes the whole population"),
    ):
        evolve(
            xor_fitness_of_population,
            Population(LAYERS, 4, seed=0),
            1,
            vectorized=True,
            executor=executor,
        )


# ---- checkpoints -----------------------------------------------------------------------------

BREEDING = dict(
    selection="rank",
    crossover="single_point",
    mutation=GaussianMutation(0.2, 0.4),
    elite=2,
    vectorized=True,
)


def test_a_run_resumed_from_a_saved_population_continues_exactly(tmp_path):
    uninterrupted = Population(LAYERS, 20, seed=1)
    evolve(xor_fitness_of_population, uninterrupted, 12, **BREEDING)

    first_part = Population(LAYERS, 20, seed=1)
    evolve(xor_fitness_of_population, first_part, 5, **BREEDING)
    first_part.save(tmp_path / "run.gone")
    resumed = Population.load(tmp_path / "run.gone")
    assert resumed.generation == 5 and len(resumed.history) == 6
    evolve(xor_fitness_of_population, resumed, 7, **BREEDING)

    assert resumed.generation == uninterrupted.generation == 12
    np.testing.assert_array_equal(resumed.genes, uninterrupted.genes)
    np.testing.assert_array_equal(resumed.fitness, uninterrupted.fitness)
    assert resumed.history.as_dict() == uninterrupted.history.as_dict()
    assert resumed.rng.bit_generator.state == uninterrupted.rng.bit_generator.state


def test_a_checkpoint_written_by_on_generation_resumes_exactly(tmp_path):
    path = tmp_path / "checkpoint.gone"

    def checkpoint(record: GenerationRecord):
        if record.generation == 4:
            record.population.save(path)

    uninterrupted = Population(LAYERS, 20, seed=2)
    evolve(xor_fitness_of_population, uninterrupted, 9, on_generation=checkpoint, **BREEDING)
    resumed = Population.load(path)
    seen = []
    evolve(xor_fitness_of_population, resumed, 5, on_generation=seen.append, **BREEDING)
    assert [r.generation for r in seen] == [5, 6, 7, 8, 9]  # generation 4 is not reported twice
    np.testing.assert_array_equal(resumed.genes, uninterrupted.genes)
    assert resumed.history.as_dict() == uninterrupted.history.as_dict()


def test_the_champion_saves_as_an_ordinary_gone_file(tmp_path):
    population = Population(LAYERS, 20, seed=3)
    evolve(xor_fitness_of_population, population, 30, vectorized=True)
    champion = population.best()
    champion.save(tmp_path / "best.gone")
    loaded = load(tmp_path / "best.gone")
    np.testing.assert_array_equal(loaded.predict(X), champion.predict(X))


# ---- what evolve reports ---------------------------------------------------------------------


def test_history_and_records_cover_every_generation():
    population = Population(LAYERS, 12, seed=0)
    records = []
    history = evolve(
        xor_fitness_of_population, population, 8, vectorized=True, on_generation=[records.append]
    )
    assert len(history) == len(population.history) == 9  # generation 0 and 8 bred ones
    assert [r.generation for r in records] == list(range(9)) and population.generation == 8
    for r, best, mean, worst in zip(
        records, history.best, history.mean, history.worst, strict=True
    ):
        assert (r.best, r.mean, r.worst) == (best, mean, worst)
        assert r.worst <= r.mean <= r.best == r.fitness[r.best_index]
    # Elitism: the best never gets worse with a deterministic fitness.
    assert all(b >= a for a, b in zip(history.best, history.best[1:], strict=False))
    np.testing.assert_array_equal(records[-1].fitness, population.fitness)


def test_evolution_stops_at_the_target():
    population = Population(LAYERS, 30, seed=0)
    history = evolve(xor_fitness_of_population, population, 500, vectorized=True, target=-0.05)
    assert history.best[-1] >= -0.05 and max(history.best[:-1]) < -0.05
    assert len(history) < 500 and population.best_index == int(np.argmax(population.fitness))


def test_progress_and_table_write_to_their_streams_and_nothing_else(capsys):
    evolve(xor_fitness_of_population, Population(LAYERS, 8, seed=0), 4, vectorized=True)
    assert capsys.readouterr() == ("", "")
    evolve(
        xor_fitness_of_population,
        Population(LAYERS, 8, seed=0),
        4,
        vectorized=True,
        progress=True,
        verbose=2,
    )
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == ["generation", "elapsed", "best", "mean", "worst"]
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["0", "2", "4"]
    assert "5/5 generation 4" in err and err.endswith("\n")


def test_a_table_can_go_to_any_stream():
    stream = io.StringIO()
    evolve(
        xor_fitness_of_population,
        Population(LAYERS, 8, seed=0),
        3,
        vectorized=True,
        on_generation=gone.genetic.GenerationTable(every=1, stream=stream),
    )
    assert len(stream.getvalue().splitlines()) == 1 + 4


def test_bad_arguments_are_refused():
    population = Population(LAYERS, 4, seed=0)
    with pytest.raises(gone.ConfigError, match="generations: expected an int >= 0"):
        evolve(xor_fitness, population, -1)
    with pytest.raises(gone.ConfigError, match="population: expected a gone.Population"):
        evolve(xor_fitness, [population[0]], 1)
    with pytest.raises(gone.ConfigError, match="on_generation: expected callables"):
        evolve(xor_fitness, population, 1, on_generation=[print, 3])
    with pytest.raises(gone.ConfigError, match="crossover: expected one of"):
        evolve(xor_fitness, population, 1, crossover="two_point")
    with pytest.raises(gone.DataError, match="NaN for individual 0"):
        evolve(lambda net: float("nan"), population, 1)
