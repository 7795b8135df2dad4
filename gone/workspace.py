"""The arrays a training step writes, allocated once per batch size so that a step allocates none.

A step of `NeuralNetwork.train` computes the same formulas as the layers' `forward` and
`backward` (gone.backprop walks them), but writes every product and every elementwise result into
an array made here beforehand (each layer's `forward_into` and `backward_into`): after the first
batch of each size, a step allocates nothing, and most of its time is spent inside the products.

An epoch has at most two batch sizes (the last batch may be shorter), so a Workspace keeps the
buffers of each size it has seen (each layer says what it needs: `layer.buffers(B, dtype)`); the
gradients have the parameters' shapes and serve every size.
"""

import numpy as np


class LayerBuffers:
    """The arrays of a layer with an activation at one batch size: a dense layer's (n, B), or a
    convolution's (F, B, H, W).

    Z pre-activation; A activation; dZ, where the layer above writes dA (so `dA` is the same
    array) and the activation's backward turns it into dZ in place; scratch for derivatives and
    for broadcasting a column or a bias; mask, booleans such as Z > 0; column (1, B, ...) for
    per-sample maxima and sums; and, for the output layer only, targets (n_out, B), where the
    loss copies Y in C order. A_prev is the layer's input, kept by forward_into for
    backward_into. Activations and losses read and write them through `forward_into`,
    `backward_into`, `value_into` and `delta_into`.
    """

    __slots__ = ("Z", "A", "dZ", "dA", "scratch", "mask", "column", "targets", "A_prev")

    def __init__(self, nodes: int, batch_size: int, dtype, output: bool = False):
        self._make((nodes, batch_size), dtype, output)  # (n, B)

    @classmethod
    def of_shape(cls, shape: tuple[int, ...], dtype) -> "LayerBuffers":
        """The buffers of a layer whose batches have `shape`, such as (F, B, H, W)."""
        buffers = cls.__new__(cls)
        buffers._make(shape, dtype, output=False)
        return buffers

    def _make(self, shape: tuple[int, ...], dtype, output: bool) -> None:
        self.Z = np.empty(shape, dtype)  # (n, B) or (F, B, H, W)
        self.A = np.empty(shape, dtype)
        self.dZ = self.dA = np.empty(shape, dtype)
        self.scratch = np.empty(shape, dtype)
        self.mask = np.empty(shape, bool)
        self.column = np.empty((1, *shape[1:]), dtype)  # (1, B)
        self.targets = np.empty(shape, dtype) if output else None  # Y (n_out, B)
        self.A_prev = None


class BatchBuffers:
    """Everything one batch size needs: the layers' buffers and, when batches are gathered from
    shuffled rows, the rows of the batch itself."""

    def __init__(self, layers: list, input_shape: tuple[int, ...], batch_size: int, dtype):
        self.size = batch_size
        last = len(layers) - 1
        self.layers = [
            layer.buffers(batch_size, dtype, output=l == last) for l, layer in enumerate(layers)
        ]
        self._input_shape = tuple(input_shape)
        # The samples from the first axis to the last, as gone.layers.module.internal moves them.
        self._samples_last = (*range(1, len(input_shape) + 1), 0)
        self._inputs: np.ndarray | None = None
        self._target_rows: np.ndarray | None = None

    def gather(self, X: np.ndarray, Y: np.ndarray, rows: np.ndarray):
        """Copy rows `rows` of X (N, ...) and Y (N, n_out) into the batch; return the batch as the
        network reads it, the samples last: A0 (n_in, B) or (C, H, W, B), and Y (n_out, B),
        views of those rows.

        One gather per batch, into the same arrays every time: cheaper than gathering the whole
        shuffled set each epoch, and the batch is still in cache when the first layer reads it.
        """
        if self._inputs is None:  # made on first use: a whole-set batch never gathers
            self._inputs = np.empty((self.size, *self._input_shape), X.dtype)  # (B, ...)
            self._target_rows = np.empty((self.size, Y.shape[1]), Y.dtype)  # (B, n_out)
        # mode="clip" only because under the default "raise" numpy buffers the whole result to
        # check the indices; `rows` come from a permutation and are always in range.
        X.take(rows, axis=0, out=self._inputs, mode="clip")  # (B, ...)
        Y.take(rows, axis=0, out=self._target_rows, mode="clip")  # (B, n_out)
        A0 = self._inputs.transpose(self._samples_last)  # (n_in, B) or (C, H, W, B)
        return A0, self._target_rows.T  # (n_out, B)


class Workspace:
    """The buffers of one training run for one network layout and dtype.

    `layers` are the network's layers after its input, `parameters` their parameters in order.
    `gradients` is [dW0, db0, ...] in the order of the parameters; `layer_gradients[l]` are the
    same arrays, those of layer l: backward_into writes them, the optimizer reads (and may
    overwrite) them.
    """

    def __init__(self, layers: list, input_shape: tuple[int, ...], dtype):
        self.dtype = np.dtype(dtype)
        self.layers = list(layers)
        self.input_shape = tuple(input_shape)
        self.layer_gradients = [
            [np.empty(p.shape, self.dtype) for p in layer.parameters()] for layer in self.layers
        ]
        self.gradients = [g for grads in self.layer_gradients for g in grads]
        # The (parameter, gradient) pairs weight decay applies to: weights, not biases.
        self._decayed = [
            (getattr(layer, name), grads[layer.parameter_names.index(name)])
            for layer, grads in zip(self.layers, self.layer_gradients, strict=True)
            for name in layer.decayed
        ]
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
            buffers = BatchBuffers(self.layers, self.input_shape, size, self.dtype)
            self._batches[size] = buffers
        return buffers

    def add_weight_decay(self, weight_decay: float) -> None:
        """dW += weight_decay * W for every weight: the gradient of (weight_decay / 2) * sum(W^2)."""
        if self._decay is None:
            self._decay = [np.empty_like(dW) for _, dW in self._decayed]
        for (W, dW), decay in zip(self._decayed, self._decay, strict=True):
            np.multiply(W, weight_decay, out=decay)  # weight_decay * W
            dW += decay
