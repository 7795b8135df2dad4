"""Strategies: one ask/tell shape for every way gone evolves networks, as in estool, evosax, pycma.

    strategy = gone.OpenAIES(layers, 256, sigma=0.1, learning_rate=0.01, seed=0)
    for _ in range(100):
        population = strategy.ask()              # a Population of P networks to evaluate
        strategy.tell(fitness(population))       # (P,), higher is better
    champion = strategy.best()                   # a NeuralNetwork

A strategy holds a search distribution over the genes of one network layout (a genetic
algorithm: the population itself; an evolution strategy: a mean and a spread) and alternates two
steps: `ask` samples a generation from it as a Population, which predicts in one batched matmul
per layer, and `tell` hands it that generation's fitness so that it can move the distribution.
`gone.evolve(fitness, strategy, generations)` runs this loop with records, callbacks, targets,
checkpoints, executors and shards; given a Population it runs a GeneticAlgorithm on it.

Here: `Strategy` (the protocol), `GeneticAlgorithm`, and `load_strategy` for saved strategies.
The evolution strategies are `OpenAIES` (module `openai_es`) and `CMAES` (module `cmaes`).
"""

from collections.abc import Sequence

import numpy as np

from gone._checks import shown
from gone._described import from_registry
from gone._random import Seed
from gone.errors import ConfigError, DataError, FormatError, ShapeError
from gone.genetic.breeding import (
    DEFAULT_CROSSOVER,
    DEFAULT_MUTATION,
    DEFAULT_SELECTION,
    breeding_settings,
)
from gone.genetic.crossover import CROSSOVERS
from gone.genetic.evaluation import check_fitness
from gone.genetic.history import EvolutionHistory
from gone.genetic.mutation import GaussianMutation, Mutation
from gone.genetic.population import Population
from gone.genetic.selection import SELECTIONS
from gone.initializers import Initializer
from gone.layers import Layer
from gone.losses import Loss
from gone.network import NeuralNetwork

#: The mutations a strategy file can name (a Mutation has no registry of its own yet).
MUTATIONS = {GaussianMutation.name: GaussianMutation}


class Strategy:
    """Base class of the ask/tell strategies: the protocol and the bookkeeping they share.

    The cycle: `ask()` returns the Population to evaluate, a new generation once the last one
    was told its fitness and the same one again until then; `tell(fitness)` hands over that
    fitness (P,), higher is better, and the strategy learns from it; `best()` returns the
    fittest individual of the last generation told, as a NeuralNetwork.

    State: `population_size` (P), `generation` (of the population last asked for, 0 first),
    `population` (that Population, None before the first ask; after `tell` its `fitness` is
    set), `evaluated` (whether it was told), `history` (an EvolutionHistory, filled by
    gone.evolve) and `rng` (the Generator all of the strategy's draws come from).

    Subclasses set `name` (the key in strategy files) and define `_sample(generation) ->
    Population` and `_learn(population, fitness)`; `to_record` / `from_record` to be saved.
    """

    name = ""

    def __init__(self, population_size: int, rng: np.random.Generator):
        self.population_size = population_size
        self.rng = rng
        self.history = EvolutionHistory()
        self.population: Population | None = None
        self._told = False

    # ---- the protocol ------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The generation of the population last asked for (0 before and at the first ask)."""
        return 0 if self.population is None else self.population.generation

    @property
    def evaluated(self) -> bool:
        """Whether the population last asked for has been told its fitness."""
        return self.population is not None and self._told

    def ask(self) -> Population:
        """Return the population to evaluate: the next generation once the last one was told,
        else the one asked for last (so a repeated ask costs nothing and changes nothing)."""
        if self.population is None:
            self.population = self._sample(0)
        elif self.evaluated:
            self.population = self._sample(self.generation + 1)
            self._told = False
        return self.population

    def tell(self, fitness) -> None:
        """Learn from the fitness (P,) of the population last asked for; higher is better."""
        population = self.population
        if population is None or self._told:
            asked = "none" if population is None else f"generation {self.generation}, told already"
            raise ConfigError(
                f"tell: expected the fitness of a population just asked for, got {asked}; "
                "call strategy.ask() first"
            )
        fitness = check_fitness(fitness, population.size)
        self._learn(population, fitness)
        population.fitness = fitness
        self._told = True

    def best(self) -> NeuralNetwork:
        """Return the fittest individual of the population last asked for, which must have been
        told its fitness, as a NeuralNetwork (the first one on ties): the network that
        `record.best` and `target` measure."""
        if not self.evaluated:
            waiting = (
                "none asked yet"
                if self.population is None
                else (f"generation {self.generation} still waiting for tell")
            )
            raise ConfigError(
                f"{type(self).__name__}.best(): expected a population told its fitness, got "
                f"{waiting}; call ask() and tell(fitness), or gone.evolve"
            )
        return self.population.best()

    def _sample(self, generation: int) -> Population:
        raise NotImplementedError

    def _learn(self, population: Population, fitness: np.ndarray) -> None:
        raise NotImplementedError

    def __repr__(self):
        told = "told" if self.evaluated else "asked" if self.population is not None else "new"
        return (
            f"<{type(self).__name__} P={self.population_size} "
            f"generation={self.generation} ({told})>"
        )

    # ---- files -------------------------------------------------------------------------------

    def save(self, path) -> None:
        """Write the strategy's whole state to one file (atomically), so that a run resumed
        from it with `gone.load_strategy(path)` continues exactly as the uninterrupted run."""
        from gone.persistence import save_strategy

        save_strategy(path, self.to_record())

    @classmethod
    def load(cls, path) -> "Strategy":
        """Read a strategy written by `save`; ConfigError if the file holds another kind."""
        strategy = load_strategy(path)
        if not isinstance(strategy, cls):
            raise ConfigError(
                f"{cls.__name__}.load: expected a strategy file of kind {cls.name!r}, got "
                f"{strategy.name!r}; gone.load_strategy reads every kind"
            )
        return strategy

    def to_record(self):
        """Return the whole state as a gone.persistence.StrategyRecord."""
        from gone.persistence import StrategyRecord

        return StrategyRecord(
            kind=self.name,
            generation=self.generation,
            rng_state=self.rng.bit_generator.state,
            evaluated=self.evaluated,
            population=None if self.population is None else self.population.to_record(),
            history=self.history.as_dict(),
            **self._state(),
        )

    @classmethod
    def from_record(cls, record) -> "Strategy":
        """Rebuild a strategy from a StrategyRecord (the inverse of `to_record`)."""
        from gone.persistence import generator_from_state

        if record.kind != cls.name:
            raise ConfigError(f"strategy kind: expected {cls.name!r}, got {record.kind!r}")
        population = None
        if record.population is not None:
            population = Population.from_record(record.population)
            if population.generation != record.generation:
                raise ConfigError(
                    f"generation: expected the population's, {population.generation}, "
                    f"got {record.generation}"
                )
            if record.evaluated and population.fitness is None:
                raise ConfigError("population fitness: expected the fitness told, got none")
        return cls._restore(record, generator_from_state(record.rng_state), population)

    def _state(self) -> dict:
        """What `to_record` needs besides the shared state: network, settings, parts, arrays and
        counters (see StrategyRecord)."""
        raise ConfigError(
            f"{type(self).__name__}.save: expected a strategy whose state gone can write, got one "
            "that cannot be saved"
        )

    @classmethod
    def _restore(cls, record, rng: np.random.Generator, population) -> "Strategy":
        raise NotImplementedError

    def _resume(self, population: Population | None, evaluated: bool, history: dict) -> None:
        """Take over the shared state of a saved strategy."""
        self.population = population
        self._told = population is not None and evaluated
        self.history = EvolutionHistory.from_dict(history or {})


def load_strategy(path) -> Strategy:
    """Read a strategy file written by `strategy.save(path)`, whatever its kind.

    Raises FormatError (naming the path) for a damaged or foreign file, FileError when it cannot
    be read.

    >>> strategy = gone.load_strategy("run.gone")
    >>> gone.evolve(fitness, strategy, 50, vectorized=True)       # continues exactly
    """
    from gone.persistence import load_strategy_record

    record = load_strategy_record(path)
    classes = strategy_classes()
    if record.kind not in classes:
        raise FormatError(
            f"strategy kind: expected one of {', '.join(sorted(classes))}, got {record.kind!r}",
            path,
        )
    try:
        return classes[record.kind].from_record(record)
    except (ConfigError, DataError, ShapeError, TypeError) as error:  # what the classes refuse
        raise FormatError(f"{record.kind}: {error}", path) from None


def strategy_classes() -> dict[str, type[Strategy]]:
    """The strategies a file can hold: name -> class (CMAES is not among them: see cmaes)."""
    from gone.genetic.openai_es import OpenAIES  # which imports this module: imported when needed

    return {cls.name: cls for cls in (GeneticAlgorithm, OpenAIES)}


# ---- the genetic algorithm ----------------------------------------------------------------------


class GeneticAlgorithm(Strategy):
    """The genetic algorithm of `gone.evolve` as an ask/tell strategy, on one Population.

    Each generation (Holland 1975; with elitism as in De Jong 1975):
    1. ask: the current population; once it has been told its fitness, the next generation
       bred in place by `population.next_generation`: the `elite` fittest carried over
       unchanged, the rest children of `selection`'s parents, mixed by `crossover` (None: copies
       of the first parent) and changed by `mutation` (None: unchanged);
    2. tell: the fitness is stored in `population.fitness`; there is nothing else to learn.

    `GeneticAlgorithm(layers, population_size, ...)` draws a new Population (the other
    parameters as for Population); `GeneticAlgorithm.from_population(population, ...)` evolves
    an existing one in place, which is what `gone.evolve(fitness, population, ...)` does. The
    population's own Generator, generation and history are the strategy's.

    >>> strategy = gone.GeneticAlgorithm(layers, 100, selection="rank", elite=2, seed=1)
    >>> gone.evolve(fitness, strategy, 50, vectorized=True)
    >>> strategy.best()
    """

    name = "genetic_algorithm"

    def __init__(
        self,
        layers: Sequence[Layer],
        population_size: int,
        *,
        selection=DEFAULT_SELECTION,
        crossover=DEFAULT_CROSSOVER,
        mutation: Mutation | None = DEFAULT_MUTATION,
        elite: int = 1,
        loss: Loss | None = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
        seed: Seed = None,
    ):
        population = Population(
            layers, population_size, loss=loss, dtype=dtype, initializer=initializer, seed=seed
        )
        self._adopt(population, selection, crossover, mutation, elite)

    @classmethod
    def from_population(
        cls,
        population: Population,
        *,
        selection=DEFAULT_SELECTION,
        crossover=DEFAULT_CROSSOVER,
        mutation: Mutation | None = DEFAULT_MUTATION,
        elite: int = 1,
    ) -> "GeneticAlgorithm":
        """Evolve `population` in place: each ask after a tell makes it the next generation.

        >>> strategy = gone.GeneticAlgorithm.from_population(gone.Population.load("run.gone"))
        """
        if not isinstance(population, Population):
            raise ConfigError(f"population: expected a gone.Population, got {shown(population)}")
        strategy = cls.__new__(cls)
        strategy._adopt(population, selection, crossover, mutation, elite)
        return strategy

    def _adopt(self, population, selection, crossover, mutation, elite) -> None:
        self.selection, self.crossover, self.mutation, self.elite = breeding_settings(
            selection, crossover, mutation, elite, population.size
        )
        self.population_size = population.size
        self.population = population

    # The population is the whole state: its Generator, history and fitness are the strategy's.

    @property
    def rng(self) -> np.random.Generator:
        return self.population.rng

    @rng.setter
    def rng(self, rng: np.random.Generator) -> None:
        self.population.rng = rng

    @property
    def history(self) -> EvolutionHistory:
        return self.population.history

    @history.setter
    def history(self, history: EvolutionHistory) -> None:
        self.population.history = history

    @property
    def evaluated(self) -> bool:
        """Whether the current population carries its fitness (told, or evaluated directly)."""
        return self.population.fitness is not None

    def ask(self) -> Population:
        """Return the population: bred into its next generation first if it has been told."""
        if self.evaluated:
            child = self.population.next_generation(
                selection=self.selection,
                crossover=self.crossover,
                mutation=self.mutation,
                elite=self.elite,
            )
            # In place, so that the caller's Population object is the evolving one.
            self.population._become(child)
        return self.population

    def tell(self, fitness) -> None:
        """Store the fitness (P,) of the current population; the next ask breeds from it."""
        self.population.fitness = check_fitness(fitness, self.population.size)

    # ---- files -------------------------------------------------------------------------------

    def _state(self) -> dict:
        parts = {}
        for role, operator, registry in (
            ("selection", self.selection, SELECTIONS),
            ("crossover", self.crossover, CROSSOVERS),
            ("mutation", self.mutation, MUTATIONS),
        ):
            # Only gone's own operators can be rebuilt from a file, so only they can be saved.
            if operator is not None and registry.get(operator.name) is not type(operator):
                raise ConfigError(
                    f"{role}: expected one of gone's own ({', '.join(sorted(registry))}) to "
                    f"save, got {type(operator).__name__}"
                )
            parts[role] = None if operator is None else (operator.name, operator.params())
        return dict(
            network=self.population[0],  # the configuration (individual 0's weights)
            settings={"population_size": self.population_size, "elite": self.elite},
            parts=parts,
        )

    @classmethod
    def _restore(cls, record, rng, population) -> "GeneticAlgorithm":
        # The population is the whole state: its own Generator (rng is the same) and history.
        def operator(role: str, registry: dict):
            part = record.parts.get(role)
            return None if part is None else from_registry(registry, part[0], role, **part[1])

        if population is None:
            raise ConfigError("population: expected the genetic algorithm's population, got none")
        return cls.from_population(
            population,
            selection=operator("selection", SELECTIONS),
            crossover=operator("crossover", CROSSOVERS),
            mutation=operator("mutation", MUTATIONS),
            elite=record.settings.get("elite"),
        )
