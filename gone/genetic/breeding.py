"""Breeding: the next generation's genes from this one's, in whole-array steps.

`Population.next_generation` and `gone.evolve` breed with `breed`; the defaults of both and the
check of their settings live here too.
"""

import numpy as np

from gone._checks import check_int
from gone.errors import ConfigError
from gone.genetic.crossover import Crossover, as_crossover
from gone.genetic.layout import GenomeLayout
from gone.genetic.mutation import GaussianMutation, Mutation
from gone.genetic.selection import Selection, Tournament, as_selection

#: The breeding defaults of `next_generation` and `evolve`.
DEFAULT_SELECTION = Tournament(3)
DEFAULT_CROSSOVER = "uniform"
DEFAULT_MUTATION = GaussianMutation(rate=0.1, stddev=0.5)


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


def breed(
    columns: np.ndarray,
    fitness: np.ndarray,
    layout: GenomeLayout,
    selection: Selection,
    crossover: Crossover | None,
    mutation: Mutation | None,
    elite: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Return the next generation's genes in columns (G, P), bred from `columns` (G, P).

    Steps, each one array operation over the whole population (settings as `breeding_settings`
    returns them, `fitness` (P,) checked):
    1. elitism: the `elite` fittest individuals are carried over unchanged, best first;
    2. selection draws two parent index arrays of P - elite each (one without crossover);
    3. crossover builds the children from the gathered parents' stacks [(C, *shape)]; without
       one the children are copies of the first parents;
    4. mutation changes the children's stacks in place.
    The operators see C-contiguous stacks (C, *shape), one per array of the layout.
    """
    P = columns.shape[1]
    n_children = P - elite
    children = np.empty_like(columns)  # (G, P)
    if elite:
        fittest = np.argsort(-fitness, kind="stable")[:elite]  # (elite,) best first
        children[:, :elite] = columns[:, fittest]
    if n_children:
        n_parents = n_children if crossover is None else 2 * n_children
        parents = selection(fitness, n_parents, rng)  # (n_parents,)
        genes = np.take(columns, parents, axis=1).T  # (n_parents, G): every parent in one gather
        bred = layout.unflatten(genes[:n_children])  # [(C, *shape)], C-contiguous copies
        if crossover is not None:
            second = layout.unflatten(genes[n_children:])  # [(C, *shape)]
            bred = crossover(bred, second, layout, rng)  # [(C, *shape)]
        if mutation is not None:
            mutation(bred, rng)
        for view, stack in zip(layout.stack_views(children), bred, strict=True):
            view[elite:] = stack  # (C, *shape) into the columns of the children
    return children
