"""The arrays a training step writes, allocated once per batch size so that a step allocates none.

A step of `NeuralNetwork.train` computes the same formulas as `backprop.forward` and
`backprop.backward`, but writes every product and every elementwise result into an array made
here beforehand (`backprop.forward_into`, `backprop.backward_into`): after the first batch of each
size, a step allocates nothing, and most of its time is spent inside the matrix products.

An epoch has at most two batch sizes (the last batch may be shorter), so a Workspace keeps the
buffers of each size it has seen; the gradients have the parameters' shapes and serve every size.
"""

import numpy as np


class LayerBuffers:
    """The arrays of one weight layer at one batch size B (n: the layer's nodes).

    Z (n, B) pre-activation; A (n, B) activation; dZ (n, B), where the layer above writes dA and
    the activation's backward turns it into dZ in place; scratch (n, B) for derivatives and for
    broadcasting a column or a bias; mask (n, B), booleans such as Z > 0; column (1, B) for
    per-sample maxima and sums; and, for the output layer only, targets (n_out, B), where the
    loss copies Y in C order. Activations and losses read and write them through
    `forward_into`, `backward_into`, `value_into` and `delta_into`.
    """

    __slots__ = ("Z", "A", "dZ", "scratch", "mask", "column", "targets")

    def __init__(self, nodes: int, batch_size: int, dtype, output: bool = False):
        shape = (nodes, batch_size)
        self.Z = np.empty(shape, dtype)  # (n, B)
        self.A = np.empty(shape, dtype)  # (n, B)
        self.dZ = np.empty(shape, dtype)  # (n, B)
        self.scratch = np.empty(shape, dtype)  # (n, B)
        self.mask = np.empty(shape, bool)  # (n, B)
        self.column = np.empty((1, batch_size), dtype)  # (1, B)
        self.targets = np.empty(shape, dtype) if output else None  # Y (n_out, B)


class BatchBuffers:
    """Everything one batch size needs: the layers' buffers and, when batches are gathered from
    shuffled rows, the rows of the batch itself."""

    def __init__(self, n_inputs: int, layer_nodes: list[int], batch_size: int, dtype):
        self.size = batch_size
        last = len(layer_nodes) - 1
        self.layers = [
            LayerBuffers(n, batch_size, dtype, output=l == last) for l, n in enumerate(layer_nodes)
        ]
        self._n_inputs = n_inputs
        self._inputs: np.ndarray | None = None
        self._target_rows: np.ndarray | None = None

    def gather(self, X: np.ndarray, Y: np.ndarray, rows: np.ndarray):
        """Copy rows `rows` of X (N, n_in) and Y (N, n_out) into the batch; return the batch as
        the network reads it, A0 (n_in, B) and Y (n_out, B): transposed views of those rows.

        One gather per batch, into the same arrays every time: cheaper than gathering the whole
        shuffled set each epoch, and the batch is still in cache when the first product reads it.
        """
        if self._inputs is None:  # made on first use: a whole-set batch never gathers
            self._inputs = np.empty((self.size, self._n_inputs), X.dtype)  # (B, n_in)
            self._target_rows = np.empty((self.size, Y.shape[1]), Y.dtype)  # (B, n_out)
        # mode="clip" only because under the default "raise" numpy buffers the whole result to
        # check the indices; `rows` come from a permutation and are always in range.
        X.take(rows, axis=0, out=self._inputs, mode="clip")  # (B, n_in)
        Y.take(rows, axis=0, out=self._target_rows, mode="clip")  # (B, n_out)
        return self._inputs.T, self._target_rows.T  # (n_in, B), (n_out, B)


class Workspace:
    """The buffers of one training run for one network layout and dtype.

    `gradients` is [dW0, db0, dW1, db1, ...] in the order of the parameters: `backward_into`
    writes dWs and dbs, the optimizer reads (and may overwrite) them.
    """

    def __init__(self, weights: list[np.ndarray], dtype):
        self.dtype = np.dtype(dtype)
        self.n_inputs = weights[0].shape[1]
        self.layer_nodes = [W.shape[0] for W in weights]
        self.dWs = [np.empty(W.shape, self.dtype) for W in weights]  # dW[l] (n_{l+1}, n_l)
        self.dbs = [np.empty((W.shape[0], 1), self.dtype) for W in weights]  # db[l] (n_{l+1}, 1)
        self.gradients = [g for pair in zip(self.dWs, self.dbs, strict=True) for g in pair]
        self._decay: list[np.ndarray] | None = None
        self._batches: dict[int, BatchBuffers] = {}
        self._order: np.ndarray | None = None
        self._identity: np.ndarray | None = None
        #: The network's snapshot before the current epoch (NeuralNetwork.snapshot(into=...)
        #: overwrites it each epoch), to undo an epoch whose loss diverged.
        self.snapshot = None

    def permutation(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Return rng.permutation(n), the same numbers from the same generator, in one array
        reused every epoch (permutation(n) is shuffle(arange(n)), and so is this)."""
        if self._order is None or len(self._order) != n:
            self._identity = np.arange(n)  # (n,)
            self._order = np.empty_like(self._identity)
        np.copyto(self._order, self._identity)
        rng.shuffle(self._order)
        return self._order

    def batch(self, size: int) -> BatchBuffers:
        """Return the buffers of batch size `size`, made on first use."""
        buffers = self._batches.get(size)
        if buffers is None:
            buffers = BatchBuffers(self.n_inputs, self.layer_nodes, size, self.dtype)
            self._batches[size] = buffers
        return buffers

    def add_weight_decay(self, weights: list[np.ndarray], weight_decay: float) -> None:
        """dW += weight_decay * W for every layer: the gradient of (weight_decay / 2) * sum(W^2)."""
        if self._decay is None:
            self._decay = [np.empty_like(dW) for dW in self.dWs]
        for dW, W, decay in zip(self.dWs, weights, self._decay, strict=True):
            np.multiply(W, weight_decay, out=decay)  # weight_decay * W
            dW += decay
