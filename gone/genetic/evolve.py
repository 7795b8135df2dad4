"""evolve: the generational loop of every strategy. Ask, evaluate, tell, report, repeat; the
library never prints."""

import time
from collections.abc import Callable, Sequence

import numpy as np

from gone._checks import check_bool, check_callable, check_int, check_number, shown
from gone._random import Seed, make_rng
from gone.errors import ConfigError
from gone.genetic.breeding import DEFAULT_CROSSOVER, DEFAULT_MUTATION, DEFAULT_SELECTION
from gone.genetic.evaluation import evaluation_settings
from gone.genetic.history import EvolutionHistory, GenerationRecord
from gone.genetic.mutation import Mutation
from gone.genetic.population import Population
from gone.genetic.reporting import EvolutionProgress, GenerationTable
from gone.genetic.shards import check_shards, evaluate_in_shards
from gone.genetic.strategy import GeneticAlgorithm, Strategy
from gone.progress import as_callbacks


def evolve(
    fitness: Callable,
    population: Population | Strategy,
    generations: int,
    *,
    vectorized: bool = False,
    executor=None,
    chunksize: int = 1,
    shards: int | None = None,
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
    """Evolve a Population (in place) or a strategy for `generations` generations; return this
    call's history.

    `population` is either a Population, which a GeneticAlgorithm breeds in place with
    `selection`, `crossover`, `mutation` and `elite` (see `Population.next_generation`), or a
    strategy (gone.GeneticAlgorithm, gone.OpenAIES, gone.CMAES), which carries its own settings.

    The loop, one shape for every strategy:
    1. ask the strategy for a generation and evaluate it, unless it was told the fitness of its
       current population already (a resumed checkpoint);
    2. tell the strategy that fitness, and report a GenerationRecord: appended to the
       strategy's `history` (a Population's own), passed to `on_generation`;
    3. stop if `generations` new generations have been made, or the best fitness >= `target`;
       else go to 1. A fresh start is evaluated and reported once more than it breeds
       (generation 0).

    The fitness (higher is better) comes in one of two kinds, and `vectorized` says which:
    - `vectorized=False` (default): `fitness(network) -> float` for one NeuralNetwork, called
      once per individual in this process, or on `executor` (any concurrent.futures.Executor:
      a ProcessPoolExecutor, a Dask `client.get_executor()`, ...) in tasks of `chunksize`
      networks; with processes, `fitness` must be picklable (a module-level function).
    - `vectorized=True`: `fitness(population) -> (P,)` for the whole Population at once, the
      fast path (e.g. a simulation that calls `population.predict` once per frame). With
      `shards=k` each generation is evaluated as k sub-populations, one call each, on
      `executor` (or one after another here without one), and their fitness joined: the same
      numbers as one call when an individual's fitness depends only on itself (see
      `gone.genetic.shards`).

    Afterwards `population` is the last generation, evaluated, and `population.best()` (or
    `strategy.best()`) its champion. All draws come from the strategy's Generator (a
    Population's `rng`), replaced by `seed` when given, so the same seed gives the same run bit
    for bit, serial, on an executor or in shards. A checkpoint saved in `on_generation`,
    `record.population.save(path)` for a Population or `record.strategy.save(path)` for a
    strategy, and loaded later (`Population.load`, `gone.load_strategy`) continues exactly as
    the uninterrupted run.

    `progress=True` draws a progress bar on stderr; `verbose=n` writes a table row every n
    generations to stdout.

    >>> population = gone.Population(layers, 100, seed=1)
    >>> history = gone.evolve(fitness, population, 50, target=-0.01)
    >>> population.best().save("best.gone")
    >>> strategy = gone.OpenAIES(layers, 256, sigma=0.1, learning_rate=0.01, seed=0)
    >>> gone.evolve(fitness, strategy, 100, vectorized=True, executor=ex, shards=2)
    """
    # Every setting is checked now rather than after the first, possibly long, evaluation.
    strategy = _as_strategy(population, selection, crossover, mutation, elite)
    check_callable(fitness, "fitness")
    generations = check_int(generations, "generations", 0)
    if target is not None:
        target = check_number(target, "target")
    progress = check_bool(progress, "progress")
    verbose = check_int(verbose, "verbose", 0)
    chunksize = _evaluation_settings(
        vectorized, executor, chunksize, shards, strategy.population_size
    )
    if seed is not None:
        strategy.rng = make_rng(seed)

    already_reported = strategy.evaluated and len(strategy.history) > strategy.generation
    callbacks = as_callbacks(on_generation, "on_generation")
    if progress:
        callbacks.append(EvolutionProgress(generations + (not already_reported)))
    if verbose:
        callbacks.append(GenerationTable(every=verbose))

    history = EvolutionHistory()
    started = time.perf_counter()
    for step in range(generations + 1):
        if step or not strategy.evaluated:
            asked = strategy.ask()
            if shards is None:
                values = asked.evaluate(
                    fitness, vectorized=vectorized, executor=executor, chunksize=chunksize
                )
            else:
                values = evaluate_in_shards(fitness, asked, shards, executor)
            strategy.tell(values)
        record = _record(strategy, time.perf_counter() - started)
        if not (step == 0 and already_reported):
            history.append(record)
            strategy.history.append(record)
            for callback in callbacks:
                callback(record)
        if target is not None and record.best >= target:
            break
    for callback in callbacks:
        getattr(callback, "close", lambda: None)()
    return history


def _as_strategy(population, selection, crossover, mutation, elite) -> Strategy:
    """Return the strategy `evolve` runs: the one given, or a GeneticAlgorithm on a Population."""
    if isinstance(population, Population):
        return GeneticAlgorithm.from_population(
            population, selection=selection, crossover=crossover, mutation=mutation, elite=elite
        )
    if not isinstance(population, Strategy):
        raise ConfigError(
            f"population: expected a gone.Population, got {shown(population)} (a strategy "
            "such as gone.OpenAIES or gone.GeneticAlgorithm will do too)"
        )
    breeding = (selection, crossover, mutation)
    if breeding != (DEFAULT_SELECTION, DEFAULT_CROSSOVER, DEFAULT_MUTATION) or elite != 1:
        raise ConfigError(
            f"selection, crossover, mutation, elite: expected them only with a Population, "
            f"got them with a {type(population).__name__}, which carries its own settings "
            "(give them to gone.GeneticAlgorithm(...))"
        )
    return population


def _evaluation_settings(vectorized, executor, chunksize, shards, size: int) -> int:
    """Check how the fitness is to be evaluated; return `chunksize` as an int."""
    vectorized = check_bool(vectorized, "vectorized")
    if shards is None:
        if vectorized and executor is not None:
            raise ConfigError(
                "executor: a vectorized fitness takes the whole population in one call; "
                "expected executor=None, or shards=k to evaluate each generation as k "
                "sub-populations on the executor, got an executor"
            )
        return evaluation_settings(vectorized, executor, chunksize)
    check_shards(shards, size)
    if not vectorized:
        raise ConfigError(
            "shards: expected vectorized=True (a per-network fitness goes to the executor in "
            "tasks of chunksize networks), got vectorized=False"
        )
    return evaluation_settings(False, executor, chunksize)


def _record(strategy: Strategy, seconds: float) -> GenerationRecord:
    population = strategy.population
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
        strategy=strategy,
    )
