"""Selection: which individuals become parents, as arrays of indices into the population.

Every scheme takes the fitness (P,) (higher is better), the number of parents n and a Generator,
and returns n indices drawn with replacement: one vectorized draw, no loop per parent.
"""

import math

import numpy as np

from gone._checks import check_int, check_number
from gone._described import Described, from_name_or_instance, from_registry
from gone.errors import ConfigError


class Selection(Described):
    """Base class: subclasses define `__call__(fitness, n, rng) -> indices (n,)`."""

    def __call__(self, fitness: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError


class Tournament(Selection):
    """Each parent is the fittest of `size` individuals drawn uniformly (with replacement).

    Larger tournaments select harder; size 1 is a uniform draw. Ties go to the first contestant.
    """

    name = "tournament"

    def __init__(self, size: int = 3):
        self.size = check_int(size, "Tournament size", 1)

    def __call__(self, fitness, n, rng):
        contestants = rng.integers(0, len(fitness), size=(n, self.size))  # (n, size)
        winner = fitness[contestants].argmax(axis=1)  # (n,) column of the best contestant
        return contestants[np.arange(n), winner]  # (n,)

    def params(self):
        return {"size": self.size}


class Roulette(Selection):
    """Fitness-proportional selection: P(i) = w_i / sum(w).

    w = fitness when no fitness is negative. When some are, every fitness is shifted by the
    minimum, w = fitness - min(fitness), so the order is kept and the worst individual gets weight
    0. When all weights are 0 (all fitness equal, or all 0) the draw is uniform. Fitness must be
    finite here: an infinite one would take all the weight. Any finite values work, up to the
    largest (1e308): the weights are computed scaled by the largest magnitude, which changes no
    probability and keeps the shift and the sum from overflowing.
    """

    name = "roulette"

    def __call__(self, fitness, n, rng):
        if not np.isfinite(fitness).all():
            raise ConfigError(
                "Roulette selection: expected finite fitness values, got inf; "
                "use Tournament, Rank or Truncation, which only compare"
            )
        low, scale = fitness.min(), np.abs(fitness).max()
        if scale == 0:  # all fitness 0
            return rng.integers(0, len(fitness), size=n)
        weights = fitness / scale  # (P,) in [-1, 1]
        if low < 0:
            weights -= low / scale  # (P,) in [0, 2]: the shift, without overflow
        total = weights.sum()  # <= 2P
        if total <= 0:
            return rng.integers(0, len(fitness), size=n)
        return rng.choice(len(fitness), size=n, p=weights / total)


class Rank(Selection):
    """Linear ranking (Baker 1985): the chance depends on the rank only, not the fitness values.

    With ranks r = 0 (worst) .. P-1 (best): P(r) = (2 - s) / P + 2 r (s - 1) / (P (P - 1)),
    where s = `pressure` in [1, 2] is the expected number of children of the best individual
    (1: uniform; 2: the worst never breeds). Ties are ranked by index.
    """

    name = "rank"

    def __init__(self, pressure: float = 1.5):
        self.pressure = check_number(pressure, "Rank pressure", minimum=1, maximum=2)

    def __call__(self, fitness, n, rng):
        P, s = len(fitness), self.pressure
        if P == 1:
            return np.zeros(n, dtype=np.intp)
        by_rank = np.argsort(fitness, kind="stable")  # (P,) worst first
        r = np.arange(P)
        probabilities = (2 - s) / P + 2 * r * (s - 1) / (P * (P - 1))  # (P,) by rank
        return by_rank[rng.choice(P, size=n, p=probabilities / probabilities.sum())]

    def params(self):
        return {"pressure": self.pressure}


class Truncation(Selection):
    """Parents drawn uniformly from the best `fraction` of the population (at least one)."""

    name = "truncation"

    def __init__(self, fraction: float = 0.5):
        self.fraction = check_number(fraction, "Truncation fraction", above=0, maximum=1)

    def __call__(self, fitness, n, rng):
        keep = max(1, math.floor(self.fraction * len(fitness)))
        best = np.argsort(-fitness, kind="stable")[:keep]  # (keep,) best first, ties by index
        return best[rng.integers(0, keep, size=n)]

    def params(self):
        return {"fraction": self.fraction}


SELECTIONS: dict[str, type[Selection]] = {
    cls.name: cls for cls in (Tournament, Roulette, Rank, Truncation)
}


def selection_from_name(name: str, **params) -> Selection:
    """Build a selection scheme from its name: "tournament", "roulette", "rank" or "truncation"."""
    return from_registry(SELECTIONS, name, "selection", **params)


def as_selection(scheme) -> Selection:
    """Return `scheme` as a Selection: a name from SELECTIONS or a Selection instance."""
    return from_name_or_instance(scheme, Selection, SELECTIONS, "selection")
