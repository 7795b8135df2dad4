"""The genome: all of a network's parameters in one flat row, and where each layer sits in it.

A network with weight shapes (n_1, n_0), (n_2, n_1), ... has G = sum(n_{l+1} * n_l + n_{l+1})
genes, laid out as Go's `Mutate` visits them: W0 row-major, then b0, then W1, b1, ... A population
of P networks is one (P, G) array; every layer's weights and biases are reshaped *views* of it:

    W[l] = genes[:, start:stop].reshape(P, n_{l+1}, n_l)   # (P, n_{l+1}, n_l), no copy
    b[l] = genes[:, stop:end].reshape(P, n_{l+1}, 1)       # (P, n_{l+1}, 1)

so the network math sees stacks of matrices (one batched matmul per layer) while the genetic
operators see one matrix of genes (one mask, one draw, one gather for the whole population).
"""

import numpy as np

from gone.errors import ShapeError


class GenomeLayout:
    """The gene offsets of every layer of one network layout.

    >>> layout = GenomeLayout([(4, 2), (1, 4)])   # a 2-4-1 network
    >>> layout.size, layout.layer_of_gene.tolist()
    (17, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    """

    def __init__(self, weight_shapes):
        self.weight_shapes = tuple((int(n_out), int(n_in)) for n_out, n_in in weight_shapes)
        self.weight_slices, self.bias_slices = [], []
        start = 0
        for n_out, n_in in self.weight_shapes:
            self.weight_slices.append(slice(start, start + n_out * n_in))
            start += n_out * n_in
            self.bias_slices.append(slice(start, start + n_out))
            start += n_out
        self.size = start
        genes_per_layer = [n_out * n_in + n_out for n_out, n_in in self.weight_shapes]
        # Which weight layer each gene belongs to: single-point crossover cuts between layers.
        self.layer_of_gene = np.repeat(np.arange(len(genes_per_layer)), genes_per_layer)  # (G,)

    @property
    def n_layers(self) -> int:
        """L, the number of weight layers."""
        return len(self.weight_shapes)

    def views(self, genes: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Return views of genes (P, G): weights [(P, n_out, n_in)] and biases [(P, n_out, 1)]."""
        P = genes.shape[0]
        weights = [
            genes[:, s].reshape(P, n_out, n_in)  # (P, n_out, n_in)
            for s, (n_out, n_in) in zip(self.weight_slices, self.weight_shapes, strict=True)
        ]
        biases = [
            genes[:, s].reshape(P, n_out, 1)  # (P, n_out, 1)
            for s, (n_out, _) in zip(self.bias_slices, self.weight_shapes, strict=True)
        ]
        return weights, biases

    def flatten(self, weights, biases, dtype) -> np.ndarray:
        """Return the genes (P, G) of weights [(P, n_out, n_in)] and biases [(P, n_out, 1)]."""
        weights = [np.asarray(W) for W in weights]
        biases = [np.asarray(b) for b in biases]
        for what, arrays, shapes in (
            ("weights", weights, self.weight_shapes),
            ("biases", biases, [(n, 1) for n, _ in self.weight_shapes]),
        ):
            if len(arrays) != len(shapes):
                raise ShapeError(f"{what}: expected {len(shapes)} stacks, got {len(arrays)}")
            for l, (array, shape) in enumerate(zip(arrays, shapes, strict=True)):
                if array.ndim != 3 or array.shape[1:] != shape:
                    raise ShapeError(
                        f"{what}[{l}]: expected shape (P, {shape[0]}, {shape[1]}), "
                        f"got {array.shape}"
                    )
        sizes = {array.shape[0] for array in weights + biases}
        if len(sizes) != 1:
            raise ShapeError(
                f"weights and biases: expected the same population size P in every "
                f"stack, got sizes {sorted(sizes)}"
            )
        P = sizes.pop()
        genes = np.empty((P, self.size), dtype=dtype)  # (P, G)
        W_views, b_views = self.views(genes)
        for view, array in zip(W_views + b_views, weights + biases, strict=True):
            view[...] = array
        return genes

    def genes_of(self, network) -> np.ndarray:
        """Return one network's parameters as a genome row (1, G), a copy."""
        return self.flatten(
            [W[None] for W in network._weights], [b[None] for b in network._biases], network.dtype
        )

    def __eq__(self, other):
        return isinstance(other, GenomeLayout) and self.weight_shapes == other.weight_shapes

    def __hash__(self):
        return hash(self.weight_shapes)

    def __repr__(self):
        return f"GenomeLayout({list(self.weight_shapes)}, size={self.size})"
