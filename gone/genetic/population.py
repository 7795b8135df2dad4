"""Population: P networks of one layout, stored as stacked arrays and bred in whole-array steps.

Every parameter array of the layout is one contiguous stack over the individuals: weights W[l]
(P, n_{l+1}, n_l) and biases b[l] (P, n_{l+1}, 1) (see `layout`). So `predict` is one batched
matmul per layer for the whole population, and one generation step is one selection draw, then
per stack one gather of parents, one crossover mask and one mutation draw.
"""

from collections.abc import Callable, Sequence

import numpy as np

from gone import backprop
from gone._checks import check_bool, check_int, shown
from gone._random import Seed, clone_rng, make_rng
from gone.errors import ConfigError, DataError, ShapeError
from gone.genetic.crossover import as_crossover
from gone.genetic.history import EvolutionHistory
from gone.genetic.layout import GenomeLayout, check_stacks
from gone.genetic.mutation import GaussianMutation, Mutation
from gone.genetic.operators import check_same_layout
from gone.genetic.selection import Tournament, as_selection
from gone.initializers import Initializer
from gone.layers import Layer
from gone.losses import Loss
from gone.network import NeuralNetwork

#: The breeding defaults of `next_generation` and `evolve`.
DEFAULT_SELECTION = Tournament(3)
DEFAULT_CROSSOVER = "uniform"
DEFAULT_MUTATION = GaussianMutation(rate=0.1, stddev=0.5)


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
        self._assemble(networks[0], _stack(networks), rng)

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
            check_same_layout(networks[0], net, f"networks[0] and networks[{i}]")
        population = cls.__new__(cls)
        population._assemble(networks[0], _stack(networks), make_rng(seed))
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
        shapes = GenomeLayout(template.weight_shapes).shapes
        weights = _as_list(weights, "weights", "a list of stacks (P, n_{l+1}, n_l)")
        biases = _as_list(biases, "biases", "a list of stacks (P, n_{l+1}, 1)")
        sizes = (
            check_stacks(weights, shapes[0::2], "weights"),
            check_stacks(biases, shapes[1::2], "biases"),
        )
        if sizes[0] != sizes[1]:
            raise ShapeError(
                f"weights and biases: expected the same population size P, "
                f"got {sizes[0]} and {sizes[1]}"
            )
        stacks = [p for pair in zip(weights, biases, strict=True) for p in pair]
        stacks = [np.array(p, dtype=template.dtype, order="C") for p in stacks]  # copies
        population = cls.__new__(cls)
        generation = check_int(generation, "generation", 0)
        population._assemble(template, stacks, make_rng(seed), generation=generation)
        return population

    def _assemble(
        self,
        template: NeuralNetwork,
        stacks: list[np.ndarray],
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
        self._set_stacks(stacks)

    def _set_stacks(self, stacks: list[np.ndarray]) -> None:
        self._stacks = stacks  # [W0 (P, n_1, n_0), b0 (P, n_1, 1), W1, b1, ...], each contiguous
        self._weights, self._biases = stacks[0::2], stacks[1::2]

    def _become(self, other: "Population") -> None:
        """Take over `other`'s individuals, generation, fitness and Generator; keep this history."""
        self._set_stacks(other._stacks)
        self.rng, self.generation, self.fitness = other.rng, other.generation, other.fitness

    def _offspring(self, stacks: list[np.ndarray], rng: np.random.Generator) -> "Population":
        child = Population.__new__(Population)
        child._assemble(self, stacks, rng, self.generation + 1, None, self.history.copy())
        return child

    # ---- what the population is -----------------------------------------------------------

    @property
    def size(self) -> int:
        """P, the number of individuals."""
        return self._stacks[0].shape[0]

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

        A copy (the population keeps one stack per array); `layout.unflatten` goes back."""
        return self._layout.flatten(self._stacks)

    @property
    def layout(self) -> GenomeLayout:
        """The shapes of the parameter arrays every individual has."""
        return self._layout

    @property
    def weights(self) -> list[np.ndarray]:
        """The weight stacks W[l] (P, n_{l+1}, n_l), the population's own arrays."""
        return list(self._weights)

    @property
    def biases(self) -> list[np.ndarray]:
        """The bias stacks b[l] (P, n_{l+1}, 1), the population's own arrays."""
        return list(self._biases)

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
        return NeuralNetwork.from_parameters(
            self.layers,
            [W[index] for W in self._weights],
            [b[index] for b in self._biases],
            loss=self.loss,
            learning_rate=self.learning_rate,
            dtype=self.dtype,
            initializer=self.initializer,
            seed=np.random.default_rng((self.generation, index)),
        )

    def __iter__(self):
        return (self[i] for i in range(self.size))

    def __repr__(self):
        sizes = "-".join(str(layer.nodes) for layer in self.layers)
        return f"<Population {self.size} x {sizes} generation={self.generation} dtype={self.dtype}>"

    def copy(self) -> "Population":
        """Return an independent twin: same genes, generation, fitness, history and random state."""
        twin = Population.__new__(Population)
        fitness = None if self.fitness is None else self.fitness.copy()
        twin._assemble(
            self,
            [p.copy() for p in self._stacks],
            clone_rng(self.rng),
            self.generation,
            fitness,
            self.history.copy(),
        )
        return twin

    # ---- using it ------------------------------------------------------------------------

    def predict(self, inputs) -> np.ndarray:
        """Return every individual's outputs, one batched matmul per layer.

        `inputs` (P, n_in): one observation per individual -> (P, n_out);
        (P, B, n_in): a batch per individual -> (P, B, n_out);
        (1, B, n_in): the same batch for everyone (e.g. `X[None]`) -> (P, B, n_out).

        >>> population.predict(observations)          # (P, 5) -> (P, 1)
        >>> population.predict(X[None])               # (1, 4, 2) -> (P, 4, 1)
        """
        # Called once per frame of a simulation: every check here is paid thousands of times.
        X = _real_numbers(inputs, "inputs")
        if X.dtype != self.dtype:
            X = X.astype(self.dtype)
        P, _, n_in = self._stacks[0].shape
        if X.shape == (P, n_in):
            A0 = X[:, :, None]  # (P, n_in, 1)
        elif X.ndim == 3 and X.shape[0] in (P, 1) and X.shape[2] == n_in:
            A0 = X.transpose(0, 2, 1)  # (P or 1, n_in, B), a view
        else:
            raise ShapeError(
                f"inputs: expected shape ({P}, {n_in}), ({P}, batch, {n_in}) or "
                f"(1, batch, {n_in}), got {X.shape}"
            )
        if not np.isfinite(X).all():
            raise DataError("inputs: expected finite numbers, got NaN or infinity")
        A = backprop.predict(self._weights, self._biases, self._activations, A0)  # (P, n_out, B)
        return A[:, :, 0] if X.ndim == 2 else A.transpose(0, 2, 1)

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
        P = self.size
        chunksize = evaluation_settings(vectorized, executor, chunksize)
        if vectorized:
            values = fitness(self)
        elif executor is None:
            values = [fitness(self[i]) for i in range(P)]
        else:
            networks = list(self)
            futures = [
                executor.submit(_evaluate_chunk, fitness, networks[s : s + chunksize])
                for s in range(0, P, chunksize)
            ]
            values = [value for future in futures for value in future.result()]
        self.fitness = check_fitness(values, P)
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

    # ---- breeding ------------------------------------------------------------------------

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

        Steps, each one array operation over the whole population:
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
        selection, crossover, mutation, elite = breeding_settings(
            selection, crossover, mutation, elite, P
        )
        rng = self.rng if seed is None else make_rng(seed)

        n_children = P - elite
        stacks = [np.empty_like(p) for p in self._stacks]  # [(P, *shape)]
        if elite:
            fittest = np.argsort(-fitness, kind="stable")[:elite]  # (elite,) best first
            for new, old in zip(stacks, self._stacks, strict=True):
                new[:elite] = old[fittest]
        if n_children:
            n_parents = n_children if crossover is None else 2 * n_children
            parents = selection(fitness, n_parents, rng)  # (n_parents,)
            first = [p[parents[:n_children]] for p in self._stacks]  # [(C, *shape)]
            if crossover is None:
                children = first
            else:
                second = [p[parents[n_children:]] for p in self._stacks]  # [(C, *shape)]
                children = crossover(first, second, self._layout, rng)  # [(C, *shape)]
            if mutation is not None:
                mutation(children, rng)
            for new, child in zip(stacks, children, strict=True):
                new[elite:] = child
        return self._offspring(stacks, rng)

    # ---- files -----------------------------------------------------------------------------

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

        return PopulationRecord(
            network=self[0],
            weights=[W.copy() for W in self._weights],
            biases=[b.copy() for b in self._biases],
            generation=self.generation,
            rng_state=self.rng.bit_generator.state,
            fitness=None if self.fitness is None else self.fitness.copy(),
            history=self.history.as_dict(),
        )

    @classmethod
    def from_record(cls, record) -> "Population":
        """Rebuild a population from a PopulationRecord (the inverse of `to_record`)."""
        from gone.persistence import generator_from_state

        template = record.network
        population = cls.from_parameters(
            template.layers,
            record.weights,
            record.biases,
            loss=template.loss,
            learning_rate=template.learning_rate,
            dtype=template.dtype,
            initializer=template.initializer,
            seed=generator_from_state(record.rng_state),
            generation=record.generation,
        )
        if record.fitness is not None:
            population.fitness = check_fitness(record.fitness, population.size)
        population.history = EvolutionHistory.from_dict(record.history or {})
        return population


def breeding_settings(selection, crossover, mutation, elite, size: int) -> tuple:
    """Return (selection, crossover, mutation, elite) checked and turned into operator objects."""
    selection = as_selection(selection)
    crossover = None if crossover is None else as_crossover(crossover)
    if mutation is not None and not isinstance(mutation, Mutation):
        raise ConfigError(
            f"mutation: expected a gone mutation such as "
            f"gone.GaussianMutation(0.1, 0.5) or None, got {mutation!r}"
        )
    return selection, crossover, mutation, check_int(elite, "elite", 0, size)


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
    fitness = np.array(_real_numbers(values, "fitness"), dtype=np.float64)  # a copy, always
    if fitness.shape != (size,):
        raise ShapeError(
            f"fitness: expected shape ({size},), one number per individual, got {fitness.shape}"
        )
    nan = np.flatnonzero(np.isnan(fitness))
    if nan.size:
        raise DataError(f"fitness: expected numbers, got NaN for individual {int(nan[0])}")
    return fitness


def _real_numbers(values, what: str) -> np.ndarray:
    """Return `values` as an array of real numbers (bools, ints or floats), not yet converted.

    Converting first to float would silently drop the imaginary part of complex numbers (with a
    warning) and turn strings of digits into numbers; this refuses both."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ShapeError(
            f"{what}: expected a rectangular array, got ragged rows ({error})"
        ) from None
    if array.dtype.kind not in "biuf":  # object, str, complex, ...
        raise DataError(f"{what}: expected real numbers, got values of dtype {array.dtype}")
    return array


def _as_list(values, what: str, expected: str) -> list:
    """Return `values` as a list; ConfigError when it is not a sequence at all (None, a number)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ConfigError(f"{what}: expected {expected}, got {type(values).__name__}")
    return list(values)


def _evaluate_chunk(fitness: Callable, networks: list) -> list:
    """Evaluate a few networks in one task: what an executor runs."""
    return [fitness(net) for net in networks]


def _stack(networks: list[NeuralNetwork]) -> list[np.ndarray]:
    """Return the stacks [(P, *shape)] of networks of one layout: one np.stack per array."""
    return [np.stack(arrays) for arrays in zip(*(n.parameters() for n in networks), strict=True)]


def _template(layers, loss, learning_rate, dtype, initializer) -> NeuralNetwork:
    """One network of the configuration, which NeuralNetwork checks; its weights go unused."""
    return NeuralNetwork(
        layers,
        loss=loss,
        learning_rate=learning_rate,
        dtype=dtype,
        initializer=initializer,
        seed=0,
    )
