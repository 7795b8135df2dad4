"""Ways to watch evolution: the training bar and table of gone.progress, told about generations."""

from gone.genetic.history import GenerationRecord
from gone.progress import ProgressBar, Table


class EvolutionProgress(ProgressBar):
    """A one-line live bar: generations done, best and mean fitness, rate and time left.

    >>> gone.evolve(fitness, population, 100, on_generation=EvolutionProgress(100))
    """

    unit = "gen"

    def describe(self, record: GenerationRecord) -> str:
        return f"generation {record.generation} best {record.best:.4g} mean {record.mean:.4g}"


class GenerationTable(Table):
    """A row every `every` generations: generation, elapsed time, best, mean and worst fitness.

    >>> gone.evolve(fitness, population, 100, verbose=10)
    """

    columns = (("generation", 10), ("elapsed", 9), ("best", 12), ("mean", 12), ("worst", 12))

    def counter(self, record: GenerationRecord) -> int:
        return record.generation

    def cells(self, record: GenerationRecord) -> list[str]:
        return [
            str(record.generation),
            f"{record.seconds:.2f}s",
            f"{record.best:.6g}",
            f"{record.mean:.6g}",
            f"{record.worst:.6g}",
        ]
