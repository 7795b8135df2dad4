"""Shards: a vectorized fitness evaluated as k sub-populations on an executor, joined bit for bit.

    gone.evolve(fitness, strategy, 100, vectorized=True, executor=executor, shards=k)

splits each generation's P individuals into k contiguous blocks of P // k or P // k + 1 (two at
least), ships
each block to the executor as plain arrays (its genes (P_k, G), the layers, the generation and
the block's offset: never networks), calls `fitness(sub_population)` once per block there, and
joins the k fitness arrays in order. Any concurrent.futures.Executor will do: a process pool, or
a Dask cluster through `client.get_executor()`.

A SubPopulation is a Population of its P_k individuals that knows where it sits: `generation` is
the whole generation's, `offset` its first individual's index in it, and `sub_population[i]` is
individual offset + i, whose Generator is seeded with (generation, offset + i) exactly as the
whole population's [offset + i] is. So the joined fitness is the whole population's, bit for
bit, whenever an individual's fitness depends only on itself: its parameters, the generation
and its own draws (`individual_indices` gives the seeds of a fitness that draws for all at
once). It is not the same when individuals interact: a Flappy Bird flight that ends for all
when one bird reaches a target score ends at other frames for other blocks of the flock.

On a Dask cluster of your own, start a scheduler (`dask scheduler`) and on each machine worker
processes of one thread (`dask worker tcp://host:8786 --nworkers 4 --nthreads 1` for 4 cores:
a vectorized fitness holds the GIL), and pass the client's executor:

    client = distributed.Client("tcp://host:8786")
    gone.evolve(fitness, strategy, 100, vectorized=True, executor=client.get_executor(),
                shards=len(client.nthreads()))          # one block per worker

The workers need gone, numpy and the module that defines `fitness` (installed, or sent with
`client.upload_file("my_fitness.py")`); a fitness defined in a script or notebook travels by
value. Bit for bit the same holds on machines with the same numpy, BLAS and kind of CPU: another
BLAS or instruction set may round a product differently. Dask's nanny starts workers with
MALLOC_TRIM_THRESHOLD_=65536, which makes glibc map and unmap every temporary array above 128 kB;
a simulation that makes such arrays each frame ran 1.7x slower in a worker, and setting
MALLOC_MMAP_THRESHOLD_=16777216 in the workers' environment (Dask's configuration
`distributed.nanny.pre-spawn-environ`, or the shell that starts `dask worker`) undid it.
Sharding pays when a block's work is well above the round trip (about 1 ms on a process pool,
10 ms on Dask over loopback) and the Python cost per frame: benchmarks/strategies.py measures it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gone._checks import check_int
from gone.errors import ConfigError
from gone.genetic.evaluation import check_fitness
from gone.genetic.population import Population, configuration
from gone.initializers import Initializer
from gone.layers import Layer
from gone.losses import Loss


class SubPopulation(Population):
    """Individuals offset, ..., offset + P_k - 1 of a generation, as a Population of P_k.

    Everything is a Population's, except that individual i is individual `offset + i` of the
    whole generation: `sub_population[i].rng` is seeded with (generation, offset + i).
    """

    offset = 0

    def __getitem__(self, index: int):
        net = super().__getitem__(index)
        net.rng = np.random.default_rng((self.generation, self.offset + int(index) % self.size))
        return net

    def __repr__(self):
        return f"{super().__repr__()[:-1]} offset={self.offset}>"


def individual_indices(population: Population) -> np.ndarray:
    """Return the indices (P,) of the population's individuals in their whole generation:
    0, ..., P - 1 for a Population, offset, ..., offset + P - 1 for a SubPopulation.

    A vectorized fitness that draws random numbers per individual stays the same when sharded
    if it seeds them by these indices, as `population[i]` does:

    >>> rngs = [np.random.default_rng((population.generation, i))
    ...         for i in individual_indices(population)]
    """
    offset = population.offset if isinstance(population, SubPopulation) else 0
    return np.arange(offset, offset + population.size)


@dataclass(frozen=True)
class Shard:
    """One block of a generation as it travels to a worker: arrays and settings, no network.

    `genes` (P_k, G) are individuals offset, ..., offset + P_k - 1 (W0 row-major, b0, W1, b1,
    ...); `layers`, `loss`, `learning_rate`, `dtype` and `initializer` rebuild them.
    """

    layers: tuple[Layer, ...]
    genes: np.ndarray  # (P_k, G)
    generation: int
    offset: int
    loss: Loss
    learning_rate: float
    dtype: np.dtype
    initializer: Initializer

    @property
    def size(self) -> int:
        """P_k, the individuals of the block."""
        return len(self.genes)

    @property
    def weight_shapes(self) -> list[tuple[int, int]]:
        """(next nodes, current nodes) of every weight layer."""
        return [(b.nodes, a.nodes) for a, b in zip(self.layers, self.layers[1:])]

    def population(self) -> SubPopulation:
        """Return the block as a SubPopulation (its arrays copied from `genes`)."""
        sub_population = SubPopulation.from_genes(
            self.genes,
            self,
            # Not the evolution's Generator, which stays with the strategy: a fitness that drew
            # from population.rng would differ sharded anyway.
            seed=np.random.default_rng((self.generation, self.offset)),
            generation=self.generation,
        )
        sub_population.offset = self.offset
        return sub_population


def check_shards(shards, size: int) -> int:
    """Return `shards` as an int in [1, max(1, P // 2)]: blocks of two individuals at least.

    A block of one would not be bit for bit the same: numpy's batched matrix products (matmul,
    einsum) take another path for a stack of one matrix, whose last bits can differ.
    """
    return check_int(shards, "shards (blocks of 2 individuals or more)", 1, max(1, size // 2))


def split(population: Population, shards: int) -> list[Shard]:
    """Return the population as `shards` contiguous blocks, the first P % shards one larger."""
    P = population.size
    shards = check_shards(shards, P)
    genes = population.genes  # (P, G), one copy: each block ships a slice of it
    sizes = [P // shards + (k < P % shards) for k in range(shards)]
    starts = np.cumsum([0, *sizes[:-1]])
    return [
        Shard(
            layers=tuple(population.layers),
            genes=genes[start : start + size],
            generation=population.generation,
            offset=int(start),
            **configuration(population),
        )
        for start, size in zip(starts, sizes)
    ]


def evaluate_in_shards(
    fitness: Callable, population: Population, shards: int, executor=None
) -> np.ndarray:
    """Return the fitness (P,) of `population` evaluated as `shards` sub-populations, each with
    one call of the vectorized `fitness(sub_population) -> (P_k,)`: all at once on `executor`,
    or one after another in this process when it is None (which bounds the memory a fitness
    needs, and checks that a fitness gives the same numbers sharded).

    >>> evaluate_in_shards(fitness, population, 4, client.get_executor())    # (P,)
    """
    blocks = split(population, shards)
    if executor is None:
        parts = [evaluate_shard(fitness, block) for block in blocks]
    else:
        if not callable(getattr(executor, "submit", None)):
            raise ConfigError(
                f"executor: expected a concurrent.futures.Executor (with submit) or None, "
                f"got {type(executor).__name__}"
            )
        futures = [executor.submit(evaluate_shard, fitness, block) for block in blocks]
        parts = [future.result() for future in futures]  # in order, whichever finishes first
    return np.concatenate(parts)  # (P,)


def evaluate_shard(fitness: Callable, shard: Shard) -> np.ndarray:
    """Evaluate one block: what a worker runs. Returns its fitness (P_k,) float64, checked
    there, so that a wrong shape or a NaN is reported by the task that made it."""
    return check_fitness(fitness(shard.population()), shard.size)
