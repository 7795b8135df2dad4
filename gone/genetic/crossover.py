"""Crossover: children whose genes come from two parents, built for many couples at once.

Every operator takes the first parents' stacks A = [W0 (C, ...), b0, W1, b1, ...], the second
parents' stacks B (couple i is row i of both), the GenomeLayout and a Generator, and returns the
children's stacks: one mask or one blend per stack, no loop over couples or genes.

- single_point: the child takes whole layers (weights and biases together) before a random cut
  from A and the rest from B. (Go's `Crossover` computed the second index as count - cut, which
  left layers with random values or overwrote them; here every layer comes from exactly one parent.)
- uniform: every gene from A or B by a coin toss (Syswerda 1989).
- arithmetic: the blend alpha * A + (1 - alpha) * B, alpha in [0, 1]: genes lie between the parents.
"""

import numpy as np

from gone._checks import check_bool, check_number
from gone._described import Described, from_name_or_instance, from_registry
from gone.genetic.layout import GenomeLayout


class Crossover(Described):
    """Base class: subclasses define `__call__(A, B, layout, rng) -> children`, lists of stacks."""

    def __call__(
        self,
        A: list[np.ndarray],
        B: list[np.ndarray],
        layout: GenomeLayout,
        rng: np.random.Generator,
    ) -> list[np.ndarray]:
        raise NotImplementedError


class SinglePointCrossover(Crossover):
    """Layers [0, cut) from the first parent, layers [cut, L) from the second.

    The cut is uniform on 1..L-1, so both parents give at least one whole layer. A network with a
    single weight layer has no cut inside it: its child is a copy of one parent, each with
    probability 1/2.

    >>> children = SinglePointCrossover()(A, B, layout, rng)
    """

    name = "single_point"

    def __call__(self, A, B, layout, rng):
        C, L = len(A[0]), layout.n_layers
        cuts = rng.integers(1, L, size=C) if L > 1 else rng.integers(0, 2, size=C)  # (C,)
        children = []
        for a, b, layer in zip(A, B, layout.layer_of_array, strict=True):
            from_first = (layer < cuts)[:, None, None]  # (C, 1, 1): the whole W or b
            children.append(np.where(from_first, a, b))  # (C, *shape)
        return children


class UniformCrossover(Crossover):
    """Each gene from the first parent with probability `p_first` (default 1/2), else the second."""

    name = "uniform"

    def __init__(self, p_first: float = 0.5):
        self.p_first = check_number(p_first, "UniformCrossover p_first", minimum=0, maximum=1)

    def __call__(self, A, B, layout, rng):
        children = []
        for a, b in zip(A, B, strict=True):
            if self.p_first == 0.5:  # a fair coin from random bits: 3x cheaper than uniforms
                from_first = rng.integers(0, 2, size=a.shape, dtype=bool)  # (C, *shape)
            else:
                from_first = rng.random(a.shape, dtype=np.float32) < self.p_first  # (C, *shape)
            children.append(np.where(from_first, a, b))  # (C, *shape)
        return children

    def params(self):
        return {"p_first": self.p_first}


class ArithmeticCrossover(Crossover):
    """child = alpha * A + (1 - alpha) * B, a blend that lies between the parents gene by gene.

    `alpha=None` draws alpha uniformly on [0, 1) for each child (or for each gene with
    `per_gene=True`); a number fixes it (0.5: the midpoint).
    """

    name = "arithmetic"

    def __init__(self, alpha: float | None = None, per_gene: bool = False):
        if alpha is not None:
            alpha = check_number(alpha, "ArithmeticCrossover alpha", minimum=0, maximum=1)
        self.alpha = alpha
        self.per_gene = check_bool(per_gene, "ArithmeticCrossover per_gene")

    def __call__(self, A, B, layout, rng):
        C, dtype = len(A[0]), A[0].dtype
        if self.alpha is None and not self.per_gene:
            alpha = rng.random((C, 1, 1), dtype=dtype)  # (C, 1, 1): one blend per child
        children = []
        for a, b in zip(A, B, strict=True):
            if self.alpha is not None:
                alpha = self.alpha
            elif self.per_gene:
                alpha = rng.random(a.shape, dtype=dtype)  # (C, *shape)
            children.append(alpha * a + (1 - alpha) * b)  # (C, *shape)
        return children

    def params(self):
        return {"alpha": self.alpha, "per_gene": self.per_gene}


CROSSOVERS: dict[str, type[Crossover]] = {
    cls.name: cls for cls in (SinglePointCrossover, UniformCrossover, ArithmeticCrossover)
}


def crossover_from_name(name: str, **params) -> Crossover:
    """Build a crossover from its name: "single_point", "uniform" or "arithmetic"."""
    return from_registry(CROSSOVERS, name, "crossover", **params)


def as_crossover(method) -> Crossover:
    """Return `method` as a Crossover: a name from CROSSOVERS or a Crossover instance."""
    return from_name_or_instance(method, Crossover, CROSSOVERS, "crossover")
