"""Neuroevolution: genetic operators on networks, populations, strategies and the evolution loop.

    population = gone.Population([gone.Layer(2), gone.Layer(4, gone.Tanh()),
                                  gone.Layer(1, gone.Sigmoid())], 100, seed=1)
    history = gone.evolve(fitness, population, 200, vectorized=True, target=-0.01)
    population.best().save("best.gone")

    strategy = gone.OpenAIES(layers, 256, sigma=0.1, learning_rate=0.01, seed=0)
    gone.evolve(fitness, strategy, 100, vectorized=True, executor=executor, shards=2)

Modules: `layout` (a network's parameters as stacks and gene rows), `selection`, `crossover`,
`mutation` (operators over stacks of genomes), `operators` (the same on single networks, behind
`net.crossover` and `net.mutate`), `population` (Population: genes in columns), `forward` (its
forward pass, one einsum per layer), `breeding` (one generation from the last), `evaluation`
(fitness of a whole population or one network at a time), `strategy` (the ask/tell protocol
and GeneticAlgorithm), `openai_es` (OpenAIES), `cmaes` (CMAES, through pycma), `evolve` (the
loop), `shards` (a vectorized fitness on an executor, in sub-populations), `history` and
`reporting` (what it reports).
"""

from gone.genetic.cmaes import CMAES
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
from gone.genetic.openai_es import OpenAIES
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
from gone.genetic.shards import SubPopulation, individual_indices
from gone.genetic.strategy import GeneticAlgorithm, Strategy, load_strategy

__all__ = [
    "CROSSOVERS",
    "SELECTIONS",
    "ArithmeticCrossover",
    "CMAES",
    "Crossover",
    "EvolutionHistory",
    "EvolutionProgress",
    "GaussianMutation",
    "GeneticAlgorithm",
    "GenerationRecord",
    "GenerationTable",
    "GenomeLayout",
    "Mutation",
    "OpenAIES",
    "Population",
    "Rank",
    "Roulette",
    "Selection",
    "SinglePointCrossover",
    "Strategy",
    "SubPopulation",
    "Tournament",
    "Truncation",
    "UniformCrossover",
    "crossover_from_name",
    "evolve",
    "individual_indices",
    "load_strategy",
    "selection_from_name",
]
