"""Fitness: evaluating a population's individuals one network at a time, and checking numbers.

A vectorized fitness takes the whole Population and needs nothing from here but the check of what
it returns (`check_fitness`); a fitness of one network is called for each individual, in this
process or on an executor (`evaluate_each`).
"""

from collections.abc import Callable

import numpy as np

from gone._checks import check_bool, check_int, real_array, shown
from gone.errors import ConfigError, DataError, ShapeError


def evaluate_each(fitness: Callable, population, executor, chunksize: int) -> list:
    """Return `fitness(network)` of every individual of `population`, in order: here, or on
    `executor` (any concurrent.futures.Executor) in tasks of `chunksize` networks."""
    if executor is None:
        return [fitness(population[i]) for i in range(population.size)]
    networks = list(population)
    futures = [
        executor.submit(_evaluate_chunk, fitness, networks[s : s + chunksize])
        for s in range(0, len(networks), chunksize)
    ]
    return [value for future in futures for value in future.result()]


def evaluation_settings(vectorized: bool, executor, chunksize) -> int:
    """Check how a fitness is to be evaluated; return `chunksize` as an int."""
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise ConfigError(
            f"executor: expected a concurrent.futures.Executor (with submit) or None, "
            f"got {shown(executor)}"
        )
    if check_bool(vectorized, "vectorized") and executor is not None:
        raise ConfigError(
            "executor: a vectorized fitness takes the whole population in one call; "
            "expected executor=None, got an executor"
        )
    return check_int(chunksize, "chunksize", 1)


def check_fitness(values, size: int) -> np.ndarray:
    """Return `values` as a new float64 array (size,) or raise a clear error; -inf and inf are
    allowed, NaN and complex numbers are not (numpy would drop the imaginary part)."""
    fitness = np.array(real_array(values, "fitness"), dtype=np.float64)  # a copy, always
    if fitness.shape != (size,):
        raise ShapeError(
            f"fitness: expected shape ({size},), one number per individual, got {fitness.shape}"
        )
    nan = np.flatnonzero(np.isnan(fitness))
    if nan.size:
        raise DataError(f"fitness: expected numbers, got NaN for individual {int(nan[0])}")
    return fitness


def _evaluate_chunk(fitness: Callable, networks: list) -> list:
    """Evaluate a few networks in one task: what an executor runs."""
    return [fitness(net) for net in networks]
