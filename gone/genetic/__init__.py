"""Neuroevolution: genetic operators on networks, stacked populations and the evolution loop.

    population = gone.Population([gone.Layer(2), gone.Layer(4, gone.Tanh()),
                                  gone.Layer(1, gone.Sigmoid())], 100, seed=1)
    history = gone.evolve(fitness, population, 200, vectorized=True, target=-0.01)
    population.best().save("best.gone")

Modules: `layout` (a network's parameters as stacks and gene rows), `selection`, `crossover`,
`mutation` (operators over stacks of genomes), `operators` (the same on single networks, behind
`net.crossover` and `net.mutate`), `population` (Population), `evolve` (the loop), `history` and
`reporting` (what it reports).
"""

from gone.genetic.crossover import (
    CROSSOVERS,
    ArithmeticCrossover,
    Crossover,
    SinglePointCrossover,
    UniformCrossover,
    crossover_from_name,
)
from gone.genetic.evolve import evolve
from gone.genetic.history import EvolutionHistory, GenerationRecord
from gone.genetic.layout import GenomeLayout
from gone.genetic.mutation import GaussianMutation, Mutation
from gone.genetic.population import Population
from gone.genetic.reporting import EvolutionProgress, GenerationTable
from gone.genetic.selection import (
    SELECTIONS,
    Rank,
    Roulette,
    Selection,
    Tournament,
    Truncation,
    selection_from_name,
)

__all__ = [
    "CROSSOVERS",
    "SELECTIONS",
    "ArithmeticCrossover",
    "Crossover",
    "EvolutionHistory",
    "EvolutionProgress",
    "GaussianMutation",
    "GenerationRecord",
    "GenerationTable",
    "GenomeLayout",
    "Mutation",
    "Population",
    "Rank",
    "Roulette",
    "Selection",
    "SinglePointCrossover",
    "Tournament",
    "Truncation",
    "UniformCrossover",
    "crossover_from_name",
    "evolve",
    "selection_from_name",
]
