"""evolve: the generational loop. Evaluate, report, breed, repeat; the library never prints."""

import time
from collections.abc import Callable, Sequence

import numpy as np

from gone._checks import check_bool, check_callable, check_instance, check_int, check_number
from gone._random import Seed, make_rng
from gone.genetic.history import EvolutionHistory, GenerationRecord
from gone.genetic.mutation import Mutation
from gone.genetic.population import (
    DEFAULT_CROSSOVER,
    DEFAULT_MUTATION,
    DEFAULT_SELECTION,
    Population,
    breeding_settings,
    evaluation_settings,
)
from gone.genetic.reporting import EvolutionProgress, GenerationTable
from gone.progress import as_callbacks


def evolve(
    fitness: Callable,
    population: Population,
    generations: int,
    *,
    vectorized: bool = False,
    executor=None,
    chunksize: int = 1,
    selection=DEFAULT_SELECTION,
    crossover=DEFAULT_CROSSOVER,
    mutation: Mutation | None = DEFAULT_MUTATION,
    elite: int = 1,
    target: float | None = None,
    on_generation: Callable | Sequence[Callable] | None = None,
    progress: bool = False,
    verbose: int = 0,
    seed: Seed = None,
) -> EvolutionHistory:
    """Evolve `population` in place for `generations` generations; return this call's history.

    The loop:
    1. evaluate the population, unless it already carries its fitness (a resumed checkpoint);
    2. report a GenerationRecord: appended to `population.history`, passed to `on_generation`;
    3. stop if `generations` new generations have been bred, or the best fitness >= `target`;
    4. breed with `population.next_generation(selection=, crossover=, mutation=, elite=)`, go to 1.
    A fresh population is evaluated and reported once more than it breeds (generation 0).

    The fitness (higher is better) comes in one of two kinds, and `vectorized` says which:
    - `vectorized=False` (default): `fitness(network) -> float` for one NeuralNetwork, called
      once per individual in this process, or on `executor` (any concurrent.futures.Executor:
      a ProcessPoolExecutor, a Dask `client.get_executor()`, ...) in tasks of `chunksize`
      networks; with processes, `fitness` must be picklable (a module-level function).
    - `vectorized=True`: `fitness(population) -> (P,)` for the whole Population at once, the
      fast path (e.g. a simulation that calls `population.predict` once per frame).

    Afterwards `population` is the last generation, evaluated: `population.best()` is the champion.
    All draws come from `population.rng` (replaced by `seed` when given), so the same seed gives
    the same run bit for bit, serial or on an executor, and a population saved in `on_generation`
    (`record.population.save(path)`) and loaded later continues exactly as the uninterrupted run.

    `progress=True` draws a progress bar on stderr; `verbose=n` writes a table row every n
    generations to stdout.

    >>> population = gone.Population(layers, 100, seed=1)
    >>> history = gone.evolve(fitness, population, 50, target=-0.01)
    >>> population.best().save("best.gone")
    """
    # Every setting is checked now rather than after the first, possibly long, evaluation.
    check_instance(population, Population, "population", "a gone.Population")
    check_callable(fitness, "fitness")
    generations = check_int(generations, "generations", 0)
    if target is not None:
        target = check_number(target, "target")
    progress = check_bool(progress, "progress")
    verbose = check_int(verbose, "verbose", 0)
    chunksize = evaluation_settings(vectorized, executor, chunksize)
    selection, crossover, mutation, elite = breeding_settings(
        selection, crossover, mutation, elite, population.size
    )
    if seed is not None:
        population.rng = make_rng(seed)

    already_reported = (
        population.fitness is not None and len(population.history) > population.generation
    )
    callbacks = as_callbacks(on_generation, "on_generation")
    if progress:
        callbacks.append(EvolutionProgress(generations + (not already_reported)))
    if verbose:
        callbacks.append(GenerationTable(every=verbose))

    history = EvolutionHistory()
    started = time.perf_counter()
    for step in range(generations + 1):
        if step:
            child = population.next_generation(
                selection=selection, crossover=crossover, mutation=mutation, elite=elite
            )
            population._become(child)
        if population.fitness is None:
            population.evaluate(
                fitness, vectorized=vectorized, executor=executor, chunksize=chunksize
            )
        record = _record(population, time.perf_counter() - started)
        if not (step == 0 and already_reported):
            history.append(record)
            population.history.append(record)
            for callback in callbacks:
                callback(record)
        if target is not None and record.best >= target:
            break
    for callback in callbacks:
        getattr(callback, "close", lambda: None)()
    return history


def _record(population: Population, seconds: float) -> GenerationRecord:
    fitness = population.fitness.copy()  # (P,)
    best_index = int(np.argmax(fitness))
    return GenerationRecord(
        generation=population.generation,
        best=float(fitness[best_index]),
        mean=float(fitness.mean()),
        worst=float(fitness.min()),
        best_index=best_index,
        seconds=seconds,
        fitness=fitness,
        population=population,
    )
