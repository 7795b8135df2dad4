"""Population: P networks of one layout, stored as genes in columns and predicted in one pass.

The population keeps one C-contiguous matrix of genes in columns (G, P): individual p's
parameters in column p, W0 row-major, b0, W1, b1, ... (see `layout`). Its W[l] is a contiguous
(n_{l+1}, n_l, P) view, so `predict` is one einsum per layer over runs of P individuals (see
`forward`); the stacks of the public API, W[l] (P, n_{l+1}, n_l) and b[l] (P, n_{l+1}, 1), are
transposed views of the same numbers. Breeding is `breeding`'s, evaluating one network at a time
`evaluation`'s, and files are `gone.persistence`'s.
"""

from collections.abc import Callable, Sequence

import numpy as np

from gone._checks import check_int, real_array, shown
from gone._random import Seed, clone_rng, make_rng
from gone.errors import ConfigError, DataError, ShapeError
from gone.genetic import forward
from gone.genetic.breeding import (
    DEFAULT_CROSSOVER,
    DEFAULT_MUTATION,
    DEFAULT_SELECTION,
    breed,
    breeding_settings,
)
from gone.genetic.evaluation import check_fitness, evaluate_each, evaluation_settings
from gone.genetic.history import EvolutionHistory
from gone.genetic.layout import GenomeLayout, check_stacks
from gone.genetic.mutation import Mutation
from gone.genetic.operators import check_same_layout
from gone.initializers import Initializer
from gone.layers import Layer, Module
from gone.losses import Loss
from gone.network import NeuralNetwork


class Population:
    """P networks of one layout, drawn with the layout's initializer from one seed.

    Parameters: `layers` (Layer list, input first), `size` (P), and as for NeuralNetwork `loss`,
    `learning_rate`, `dtype` (float64 or float32) and `initializer`; `seed` (int or Generator)
    draws the individuals and then drives the evolution (`population.rng`).

    Individual i is the i-th of P networks `NeuralNetwork(layers, ..., seed=rng)` built one after
    another from the same Generator. State: `generation` (0 for a new population), `fitness`
    ((P,) float64 of the current individuals once evaluated, else None), `history` (an
    EvolutionHistory over the lineage, filled by `evolve`).

    >>> population = Population([Layer(2), Layer(4, Tanh()), Layer(1, Sigmoid())], 50, seed=1)
    >>> population.predict(np.zeros((50, 2))).shape
    (50, 1)
    >>> champion = population[0]          # a NeuralNetwork
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        size: int,
        *,
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        dtype=np.float64,
        initializer: Initializer | None = None,
        seed: Seed = None,
    ):
        size = check_int(size, "population size", 1)
        _check_dense(layers)
        rng = make_rng(seed)
        # One network after another from the same Generator: a loop per individual, but only
        # once, and it makes individual i exactly the network the same draws would give.
        networks = [
            NeuralNetwork(
                layers,
                loss=loss,
                learning_rate=learning_rate,
                seed=rng,
                dtype=dtype,
                initializer=initializer,
            )
            for _ in range(size)
        ]
        self._assemble(networks[0], _columns_of(networks), rng)

    @classmethod
    def from_networks(cls, networks: Sequence[NeuralNetwork], seed: Seed = None) -> "Population":
        """Stack networks of one layout (same layers, activations, dtype) into a population.

        The loss, learning rate and initializer are those of the first network. `seed` drives
        the evolution.

        >>> population = Population.from_networks([a, b, c], seed=0)
        """
        networks = _as_list(networks, "networks", "a list of gone.NeuralNetwork")
        if not networks:
            raise ConfigError("networks: expected at least one NeuralNetwork, got none")
        for i, net in enumerate(networks):
            if not isinstance(net, NeuralNetwork):
                raise ConfigError(f"networks[{i}]: expected a gone.NeuralNetwork, got {net!r}")
            _check_dense(net.layers, f"networks[{i}].layers")
            check_same_layout(networks[0], net, f"networks[0] and networks[{i}]")
        population = cls.__new__(cls)
        population._assemble(networks[0], _columns_of(networks), make_rng(seed))
        return population

    @classmethod
    def from_parameters(
        cls,
        layers: Sequence[Layer],
        weights,
        biases,
        *,
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        dtype=np.float64,
        initializer: Initializer | None = None,
        seed: Seed = None,
        generation: int = 0,
    ) -> "Population":
        """Build a population from weight stacks [(P, n_{l+1}, n_l)], biases [(P, n_{l+1}, 1)]."""
        template = _template(layers, loss, learning_rate, dtype, initializer)
        layout = GenomeLayout(template.weight_shapes)
        weights = _as_list(weights, "weights", "a list of stacks (P, n_{l+1}, n_l)")
        biases = _as_list(biases, "biases", "a list of stacks (P, n_{l+1}, 1)")
        sizes = (
            check_stacks(weights, layout.shapes[0::2], "weights"),
            check_stacks(biases, layout.shapes[1::2], "biases"),
        )
        if sizes[0] != sizes[1]:
            raise ShapeError(
                f"weights and biases: expected the same population size P, "
                f"got {sizes[0]} and {sizes[1]}"
            )
        stacks = [p for pair in zip(weights, biases, strict=True) for p in pair]
        columns = np.empty((layout.size, sizes[0]), dtype=template.dtype)  # (G, P)
        for view, stack in zip(layout.stack_views(columns), stacks, strict=True):
            view[...] = stack  # copied in, converted to the dtype
        population = cls.__new__(cls)
        generation = check_int(generation, "generation", 0)
        population._assemble(template, columns, make_rng(seed), generation=generation)
        return population

    @classmethod
    def from_genes(cls, genes, like, *, seed: Seed = None, generation: int = 0) -> "Population":
        """Build a population from genes (P, G), one genome row per individual (W0 row-major,
        b0, W1, b1, ..., as `layout` orders them), configured as `like` (see `configuration`).

        >>> twin = Population.from_genes(population.genes, population, seed=0)
        """
        stacks = GenomeLayout(like.weight_shapes).unflatten(genes)  # [W0 (P, n_1, n_0), b0, ...]
        return cls.from_parameters(
            like.layers,
            stacks[0::2],
            stacks[1::2],
            **configuration(like),
            seed=seed,
            generation=generation,
        )

    def _assemble(
        self,
        template: NeuralNetwork,
        columns: np.ndarray,
        rng: np.random.Generator,
        generation: int = 0,
        fitness=None,
        history: EvolutionHistory | None = None,
    ):
        self.layers = template.layers
        self.loss = template.loss
        self.learning_rate = template.learning_rate
        self.dtype = template.dtype
        self.initializer = template.initializer
        self.rng = rng
        self.generation = generation
        self.fitness = fitness
        self.history = EvolutionHistory() if history is None else history
        self._layout = GenomeLayout(template.weight_shapes)
        self._activations = [layer.activation for layer in self.layers[1:]]
        self._set_columns(columns)

    def _set_columns(self, columns: np.ndarray) -> None:
        self._columns = columns  # (G, P), C-contiguous: the population's own genes
        views = self._layout.column_views(columns)  # [W0 (n_1, n_0, P), b0 (n_1, P), ...]
        self._W, self._b = views[0::2], views[1::2]

    def _become(self, other: "Population") -> None:
        """Take over `other`'s individuals, generation, fitness and Generator; keep this history."""
        self._set_columns(other._columns)
        self.rng, self.generation, self.fitness = other.rng, other.generation, other.fitness

    def _offspring(self, columns: np.ndarray, rng: np.random.Generator) -> "Population":
        child = Population.__new__(Population)
        child._assemble(self, columns, rng, self.generation + 1, None, self.history.copy())
        return child

    # ---- what the population is -----------------------------------------------------------

    @property
    def size(self) -> int:
        """P, the number of individuals."""
        return self._columns.shape[1]

    def __len__(self) -> int:
        return self.size

    @property
    def weight_shapes(self) -> list[tuple[int, int]]:
        """(next nodes, current nodes) of every weight layer."""
        return list(self._layout.weight_shapes)

    @property
    def n_inputs(self) -> int:
        return self.layers[0].nodes

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].nodes

    @property
    def genes(self) -> np.ndarray:
        """All parameters as one genome row per individual (P, G): W0 row-major, b0, W1, b1, ...

        A copy; `layout.unflatten` turns it into stacks."""
        return np.ascontiguousarray(self._columns.T)  # (P, G)

    @property
    def layout(self) -> GenomeLayout:
        """The shapes of the parameter arrays every individual has."""
        return self._layout

    @property
    def weights(self) -> list[np.ndarray]:
        """The weight stacks W[l] (P, n_{l+1}, n_l): views of the population's own genes.

        Writing into them changes the population (they are not C-contiguous: the individuals
        are the last axis in memory)."""
        return self._layout.stack_views(self._columns)[0::2]

    @property
    def biases(self) -> list[np.ndarray]:
        """The bias stacks b[l] (P, n_{l+1}, 1): views of the population's own genes."""
        return self._layout.stack_views(self._columns)[1::2]

    def __getitem__(self, index: int) -> NeuralNetwork:
        """Return individual `index` as an independent NeuralNetwork (its parameters copied).

        Its Generator is seeded with (generation, index), so a fitness function that draws from
        `net.rng` gets the same numbers in every run, serial or on an executor."""
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise ConfigError(f"population index: expected an int, got {index!r}")
        if not -self.size <= index < self.size:
            raise IndexError(
                f"population index: expected -{self.size} <= index < {self.size}, got {index}"
            )
        index = int(index) % self.size
        # From the views of its column, not through network_from_genome: twice as fast, and
        # `evaluate` calls this once per individual.
        return NeuralNetwork.from_parameters(
            self.layers,
            [W[:, :, index] for W in self._W],  # (n_{l+1}, n_l)
            [b[:, index, None] for b in self._b],  # (n_{l+1}, 1)
            **configuration(self),
            seed=np.random.default_rng((self.generation, index)),
        )

    def __iter__(self):
        return (self[i] for i in range(self.size))

    def take(self, indices) -> "Population":
        """Return the individuals at `indices`, in that order, as a new population (copied).

        One gather of their genes. It has this population's configuration and generation, the
        individuals' fitness if there is one, a fresh history and a copy of the Generator; its
        individual k is this one's `indices[k]`, so predicting with it gives their outputs bit
        for bit (e.g. to fly only the birds that are still alive).

        >>> flying = population.take(np.flatnonzero(alive))
        """
        indices = np.asarray(indices)
        if indices.ndim != 1 or indices.size == 0 or indices.dtype.kind not in "iu":
            raise ConfigError(
                f"indices: expected a 1-D array of at least one int, got {shown(indices)}"
            )
        if indices.min() < -self.size or indices.max() >= self.size:
            raise IndexError(
                f"indices: expected -{self.size} <= index < {self.size}, "
                f"got {indices.min()} to {indices.max()}"
            )
        subset = Population.__new__(Population)
        fitness = None if self.fitness is None else self.fitness[indices]
        columns = np.take(self._columns, indices, axis=1)  # (G, len(indices))
        subset._assemble(self, columns, clone_rng(self.rng), self.generation, fitness)
        return subset

    def __repr__(self):
        sizes = "-".join(str(layer.nodes) for layer in self.layers)
        return f"<Population {self.size} x {sizes} generation={self.generation} dtype={self.dtype}>"

    def copy(self) -> "Population":
        """Return an independent twin: same genes, generation, fitness, history and random state."""
        twin = Population.__new__(Population)
        fitness = None if self.fitness is None else self.fitness.copy()
        twin._assemble(
            self,
            self._columns.copy(),
            clone_rng(self.rng),
            self.generation,
            fitness,
            self.history.copy(),
        )
        return twin

    # ---- using it ------------------------------------------------------------------------

    def predict(self, inputs) -> np.ndarray:
        """Return every individual's outputs, one numpy call per layer for the whole population.

        `inputs` (P, n_in): one observation per individual -> (P, n_out);
        (P, B, n_in): a batch per individual -> (P, B, n_out);
        (1, B, n_in): the same batch for everyone (e.g. `X[None]`) -> (P, B, n_out).
        The outputs are views of one new array; how they are computed is `gone.genetic.forward`.

        >>> population.predict(observations)          # (P, 5) -> (P, 1)
        >>> population.predict(X[None])               # (1, 4, 2) -> (P, 4, 1)
        """
        # Called once per frame of a simulation: every check here is paid thousands of times.
        X = real_array(inputs, "inputs")
        P, n_in = self._columns.shape[1], self.layers[0].nodes
        if X.shape != (P, n_in) and not (
            X.ndim == 3 and X.shape[0] in (P, 1) and X.shape[2] == n_in
        ):
            raise ShapeError(
                f"inputs: expected shape ({P}, {n_in}), ({P}, batch, {n_in}) or "
                f"(1, batch, {n_in}), got {X.shape}"
            )
        if not np.isfinite(X).all():
            raise DataError("inputs: expected finite numbers, got NaN or infinity")
        return forward.predict(self._W, self._b, self._activations, X, self.dtype)

    def evaluate(
        self, fitness: Callable, *, vectorized: bool = False, executor=None, chunksize: int = 1
    ) -> np.ndarray:
        """Compute, store in `self.fitness` and return the fitness (P,) of every individual.

        With `vectorized=True`, `fitness(population)` is called once and returns P numbers (the
        fast path). Otherwise `fitness(network)` is called for each individual, returning one
        number: in this process, or on `executor` (any concurrent.futures.Executor, e.g. a
        ProcessPoolExecutor or a Dask `client.get_executor()`) in tasks of `chunksize` networks.
        Higher is better.

        >>> population.evaluate(lambda net: -net.evaluate(data).loss)
        """
        chunksize = evaluation_settings(vectorized, executor, chunksize)
        values = fitness(self) if vectorized else evaluate_each(fitness, self, executor, chunksize)
        self.fitness = check_fitness(values, self.size)
        return self.fitness

    @property
    def best_index(self) -> int:
        """The index of the individual with the highest fitness (the first one on ties)."""
        return int(np.argmax(self._evaluated_fitness()))

    def best(self) -> NeuralNetwork:
        """Return the individual with the highest fitness as a NeuralNetwork."""
        return self[self.best_index]

    def _evaluated_fitness(self) -> np.ndarray:
        if self.fitness is None:
            raise ConfigError(
                "population fitness: expected an evaluated population, got "
                "fitness=None; call population.evaluate(fitness) or gone.evolve"
            )
        return self.fitness

    def next_generation(
        self,
        fitness=None,
        *,
        selection=DEFAULT_SELECTION,
        crossover=DEFAULT_CROSSOVER,
        mutation: Mutation | None = DEFAULT_MUTATION,
        elite: int = 1,
        seed: Seed = None,
    ) -> "Population":
        """Return the next generation bred from this one, which stays unchanged.

        Steps, each one array operation over the whole population (`gone.genetic.breeding`):
        1. elitism: the `elite` fittest individuals are carried over unchanged, best first;
        2. selection (a Selection or "tournament", "roulette", "rank", "truncation") draws two
           parent index arrays of P - elite each;
        3. crossover (a Crossover or "single_point", "uniform", "arithmetic"; None: children
           are copies of the first parents) builds the children from the gathered parents;
        4. mutation (a Mutation; None: no mutation) changes the children in place.

        `fitness` (P,) defaults to `self.fitness`. Draws come from `seed` (int or Generator), by
        default `self.rng`; the child population keeps that Generator, generation + 1, a copy of
        the history, and fitness None.

        >>> children = population.next_generation(fitness, selection="rank", elite=2)
        """
        P = self.size
        fitness = self._evaluated_fitness() if fitness is None else check_fitness(fitness, P)
        settings = breeding_settings(selection, crossover, mutation, elite, P)
        rng = self.rng if seed is None else make_rng(seed)
        return self._offspring(breed(self._columns, fitness, self._layout, *settings, rng), rng)

    # ---- files: the record and its file format are gone.persistence's ---------------------

    def save(self, path) -> None:
        """Write the whole population to one file: genes, configuration, generation, fitness,
        history and the state of the random generator, so a resumed evolution continues exactly.
        Save the champion alone as an ordinary .gone with `population.best().save(path)`."""
        from gone.persistence import save_population

        save_population(path, self.to_record())

    @classmethod
    def load(cls, path) -> "Population":
        """Read a population written by `save`."""
        from gone.persistence import load_population

        return cls.from_record(load_population(path))

    def to_record(self):
        """Return the population as a gone.persistence.PopulationRecord (arrays copied)."""
        from gone.persistence import PopulationRecord

        return PopulationRecord.of(self)

    @classmethod
    def from_record(cls, record) -> "Population":
        """Rebuild a population from a PopulationRecord (the inverse of `to_record`)."""
        network = record.network
        population = cls.from_parameters(
            network.layers, record.weights, record.biases, **record.population_settings()
        )
        if record.fitness is not None:
            population.fitness = check_fitness(record.fitness, population.size)
        population.history = EvolutionHistory.from_dict(record.history or {})
        return population


def _as_list(values, what: str, expected: str) -> list:
    """Return `values` as a list; ConfigError when it is not a sequence at all (None, a number)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ConfigError(f"{what}: expected {expected}, got {type(values).__name__}")
    return list(values)


def _columns_of(networks: list[NeuralNetwork]) -> np.ndarray:
    """Return the genes in columns (G, P) of networks of one layout: network p in column p."""
    genomes = [np.concatenate([p.ravel() for p in net.parameters()]) for net in networks]
    return np.stack(genomes, axis=1)  # (G, P)


def configuration(like) -> dict:
    """The keyword arguments that configure a network or population as `like` (a NeuralNetwork,
    Population or Shard) is: loss, learning rate, dtype and initializer; the layers go first.

    >>> NeuralNetwork.from_parameters(net.layers, weights, biases, **configuration(net))
    """
    return {
        "loss": like.loss,
        "learning_rate": like.learning_rate,
        "dtype": like.dtype,
        "initializer": like.initializer,
    }


def network_from_genome(genome, like, *, seed: Seed = None) -> NeuralNetwork:
    """Return one genome (G,) (W0 row-major, b0, W1, b1, ...) as a NeuralNetwork configured as
    `like` (see `configuration`), its parameters copied.

    >>> centre = network_from_genome(strategy.mean, strategy.population, seed=0)
    """
    stacks = GenomeLayout(like.weight_shapes).unflatten(np.asarray(genome)[None])  # [(1, *shape)]
    return NeuralNetwork.from_parameters(
        like.layers,
        [W[0] for W in stacks[0::2]],
        [b[0] for b in stacks[1::2]],
        **configuration(like),
        seed=seed,
    )


def _template(layers, loss, learning_rate, dtype, initializer) -> NeuralNetwork:
    """One network of the configuration, which NeuralNetwork checks; its weights go unused."""
    _check_dense(layers)
    return NeuralNetwork(
        layers,
        loss=loss,
        learning_rate=learning_rate,
        dtype=dtype,
        initializer=initializer,
        seed=0,
    )


def _check_dense(layers, what: str = "layers") -> None:
    """Refuse layers other than dense ones: a population is its networks' weight matrices
    stacked, one product per layer (NeuralNetwork says what else is wrong with `layers`)."""
    if isinstance(layers, (list, tuple)):
        for i, layer in enumerate(layers):
            if isinstance(layer, Module) and not isinstance(layer, Layer):
                raise ConfigError(
                    f"Population {what}[{i}]: expected dense gone.Layer layers only (a population "
                    f"stacks its networks' weight matrices, one product per layer), got {layer!r}"
                )
