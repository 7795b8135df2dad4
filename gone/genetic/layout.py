"""The genome: a network's parameters as the genetic operators see them, for many networks at once.

A network's genes are its parameter arrays in Go's order, W0, b0, W1, b1, ... (each row-major),
G numbers in all. At the public API the individuals are rows, as samples are:

    genes (P, G)    stacks = [W0 (P, n_1, n_0), b0 (P, n_1, 1), W1 (P, n_2, n_1), b1, ...]

Inside a Population the individuals are columns, as samples are inside the network math: one
C-contiguous matrix `columns` (G, P) holds individual p's genome in column p. Every array of the
layout is a block of its rows, so the population's W[l] is one contiguous (n_{l+1}, n_l, P) view
and b[l] one (n_{l+1}, P) view (`column_views`): each weight of a network sits in a contiguous
run of P individuals, which is what makes the forward pass fast (see `gone.genetic.forward`). The
stacks of the public API are transposed views of the same rows (`stack_views`).

The genetic operators work on stacks [(C, *shape)] with one mask, one draw and one gather per
stack: a loop over the 2L arrays, never over individuals or genes. `flatten` and `unflatten`
convert between stacks and gene rows.
"""

import numpy as np

from gone._checks import check_int, shown
from gone.errors import ConfigError, ShapeError


class GenomeLayout:
    """The shapes of one network's parameter arrays, and which weight layer each belongs to.

    >>> layout = GenomeLayout([(4, 2), (1, 4)])   # a 2-4-1 network
    >>> layout.shapes, layout.layer_of_array, layout.size
    ([(4, 2), (4, 1), (1, 4), (1, 1)], [0, 0, 1, 1], 17)
    """

    def __init__(self, weight_shapes):
        try:
            pairs = [tuple(shape) for shape in weight_shapes]
        except TypeError:  # None, a number, a list of numbers
            pairs = None
        if pairs is None or not all(len(pair) == 2 for pair in pairs):
            raise ConfigError(
                f"weight_shapes: expected (next nodes, current nodes) pairs, "
                f"got {shown(weight_shapes)}"
            )
        self.weight_shapes = tuple(
            (check_int(n_out, "weight_shapes nodes", 1), check_int(n_in, "weight_shapes nodes", 1))
            for n_out, n_in in pairs
        )
        self.shapes = [s for n_out, n_in in self.weight_shapes for s in ((n_out, n_in), (n_out, 1))]
        # Which weight layer each array belongs to: single-point crossover cuts between layers,
        # so a layer's W and b always travel together.
        self.layer_of_array = [l for l in range(len(self.weight_shapes)) for _ in (0, 1)]
        self.size = sum(n_out * n_in + n_out for n_out, n_in in self.weight_shapes)

    @property
    def n_layers(self) -> int:
        """L, the number of weight layers."""
        return len(self.weight_shapes)

    def check(self, stacks, what: str = "parameters") -> int:
        """Raise ShapeError unless `stacks` are [(P, *shape)] for every array; return P."""
        return check_stacks(stacks, self.shapes, what)

    def stacks_of(self, network) -> list[np.ndarray]:
        """Return one network's parameters as stacks of one, [(1, *shape)], copied."""
        return [p[None].copy() for p in network.parameters()]

    def flatten(self, stacks) -> np.ndarray:
        """Return the genes (P, G) of `stacks`: per individual W0 row-major, b0, W1, b1, ..."""
        P = self.check(stacks)
        return np.concatenate([np.reshape(stack, (P, -1)) for stack in stacks], axis=1)  # (P, G)

    def unflatten(self, genes) -> list[np.ndarray]:
        """Return the stacks [(P, *shape)] of genes (P, G), copied: the inverse of `flatten`."""
        genes = np.asarray(genes)
        if genes.ndim != 2 or genes.shape[1] != self.size:
            raise ShapeError(f"genes: expected shape (P, {self.size}), got {genes.shape}")
        ends = np.cumsum([n * m for n, m in self.shapes])[:-1]
        return [
            np.array(part, order="C").reshape(len(genes), *shape)  # (P, *shape), a copy
            for part, shape in zip(np.split(genes, ends, axis=1), self.shapes, strict=True)
        ]

    def column_views(self, columns: np.ndarray) -> list[np.ndarray]:
        """Return views of genes in columns (G, P): [W0 (n_1, n_0, P), b0 (n_1, P), W1, b1, ...]."""
        P, blocks = columns.shape[1], self._blocks(columns)
        views = []
        for l, (n_out, n_in) in enumerate(self.weight_shapes):
            views.append(blocks[2 * l].reshape(n_out, n_in, P))  # (n_out, n_in, P)
            views.append(blocks[2 * l + 1])  # (n_out, P)
        return views

    def stack_views(self, columns: np.ndarray) -> list[np.ndarray]:
        """Return views of genes in columns (G, P) as the stacks [(P, *shape)] of the public API."""
        P = columns.shape[1]
        return [
            block.reshape(*shape, P).transpose(2, 0, 1)  # (P, *shape)
            for block, shape in zip(self._blocks(columns), self.shapes, strict=True)
        ]

    def _blocks(self, columns: np.ndarray) -> list[np.ndarray]:
        """The rows of each array of the layout in genes in columns (G, P): views (n * m, P)."""
        ends = np.cumsum([n * m for n, m in self.shapes]).tolist()
        return [columns[start:end] for start, end in zip([0, *ends], ends, strict=False)]

    def __eq__(self, other):
        return isinstance(other, GenomeLayout) and self.weight_shapes == other.weight_shapes

    def __hash__(self):
        return hash(self.weight_shapes)

    def __repr__(self):
        return f"GenomeLayout({list(self.weight_shapes)}, size={self.size})"


def check_stacks(stacks, shapes, what: str) -> int:
    """Raise ShapeError unless stacks[i] has shape (P, *shapes[i]) with one P for all; return P."""
    if len(stacks) != len(shapes):
        raise ShapeError(f"{what}: expected {len(shapes)} stacks, got {len(stacks)}")
    for i, (stack, shape) in enumerate(zip(stacks, shapes, strict=True)):
        if np.ndim(stack) != 3 or np.shape(stack)[1:] != shape:
            raise ShapeError(
                f"{what}[{i}]: expected shape (P, {shape[0]}, {shape[1]}), got {np.shape(stack)}"
            )
    sizes = sorted({np.shape(stack)[0] for stack in stacks})
    if len(sizes) != 1:
        raise ShapeError(
            f"{what}: expected the same population size P in every stack, got sizes {sizes}"
        )
    return sizes[0]
