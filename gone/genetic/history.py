"""What evolution leaves behind: a GenerationRecord per generation, kept in an EvolutionHistory."""

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class GenerationRecord:
    """What `evolve(on_generation=...)` receives after each generation is evaluated.

    `generation` counts from 0 (the initial population) over the whole lineage, so a resumed run
    goes on counting; `best`, `mean`, `worst` summarise `fitness` (P,); `best_index` is the
    individual with the best fitness; `seconds` is the time since this `evolve` call started.
    `population` is the generation just evaluated, `record.population.best()` its champion;
    `strategy` the strategy that asked for it (for a Population, the GeneticAlgorithm breeding
    it). A checkpoint that resumes exactly is `record.population.save(path)` when evolving a
    Population, `record.strategy.save(path)` for a strategy (the population alone does not
    hold, e.g., an evolution strategy's mean). Both are the objects `evolve` advances: use them
    during the callback, not after.
    """

    generation: int
    best: float
    mean: float
    worst: float
    best_index: int
    seconds: float
    fitness: np.ndarray = field(repr=False, compare=False)
    population: object = field(repr=False, compare=False)
    strategy: object = field(default=None, repr=False, compare=False)


@dataclass
class EvolutionHistory:
    """Per-generation lists of the best, mean and worst fitness."""

    best: list[float] = field(default_factory=list)
    mean: list[float] = field(default_factory=list)
    worst: list[float] = field(default_factory=list)

    FIELDS = ("best", "mean", "worst")

    def append(self, record: GenerationRecord) -> None:
        for name in self.FIELDS:
            getattr(self, name).append(getattr(record, name))

    def as_dict(self) -> dict[str, list[float]]:
        """Return {"best": [...], "mean": [...], "worst": [...]}, copies of the lists."""
        return {name: list(getattr(self, name)) for name in self.FIELDS}

    @classmethod
    def from_dict(cls, lists: dict) -> "EvolutionHistory":
        """Rebuild a history from `as_dict()`'s form; missing lists are empty."""
        return cls(**{name: [float(v) for v in lists.get(name, [])] for name in cls.FIELDS})

    def copy(self) -> "EvolutionHistory":
        return EvolutionHistory(**self.as_dict())

    @property
    def generations(self) -> int:
        return len(self.best)

    def __len__(self) -> int:
        return len(self.best)

    def __repr__(self):
        if not self.best:
            return "EvolutionHistory(0 generations)"
        return (
            f"EvolutionHistory({self.generations} generations, last best {self.best[-1]:.6g}, "
            f"mean {self.mean[-1]:.6g})"
        )
