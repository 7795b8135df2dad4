"""Layer: the dense layer, `A = activation(W @ A_prev + b)`, the layer of Go's gone.

Its batch is features in columns: A_prev (n_in, B), W (n_out, n_in) as in Go, b (n_out, 1).
    forward:   Z = W @ A_prev + b            # (n_out, B)
               A = f(Z)                      # (n_out, B)
    backward:  dZ = dA * f'(Z)               # (n_out, B); the loss gives dZ of the output layer
               dW = dZ @ A_prev.T            # (n_out, n_in)
               db = sum of dZ over B         # (n_out, 1)
               dA_prev = W.T @ dZ            # (n_in, B)
The loss is a mean over the batch, so dZ carries 1/B and the sums are means.

As the first layer of a network, `Layer(n)` is the input (n features) and is never built: it has
no weights and its activation is never applied (as in Go), so it must stay Identity.
"""

import numpy as np

from gone._checks import check_instance, check_int
from gone.activations import Activation, Identity
from gone.errors import ShapeError
from gone.layers.module import Module
from gone.workspace import LayerBuffers

#: The most nodes a layer may have: 2**24 = 16,777,216, the pixels of a 4096x4096 image. Beyond
#: it even one weight per node is over 128 MB of float64 and a dense layer to a layer as wide
#: would hold 2**48 weights, so a larger count is a slip (Layer(2**40) would otherwise reach
#: numpy as a request for terabytes, far from the line that made it).
MAX_NODES = 2**24


class Layer(Module):
    """`nodes` nodes (1 to MAX_NODES) whose values are `activation(W @ previous + b)`.

    Arrays once in a network: W (nodes, n_in), b (nodes, 1); `saved` after a forward pass is
    (A_prev, Z, A).

    >>> Layer(4, Sigmoid())
    Layer(nodes=4, activation=Sigmoid())
    """

    kind = "dense"
    parameter_names = ("W", "b")
    decayed = ("W",)

    def __init__(self, nodes: int, activation: Activation | None = None):
        # numpy ints become plain ints
        self.nodes = check_int(nodes, "Layer nodes", 1, MAX_NODES)
        self.activation = Identity() if activation is None else activation
        check_instance(
            self.activation,
            Activation,
            "Layer activation",
            "an Activation instance such as gone.Sigmoid()",
        )

    def config(self) -> dict:
        return {"nodes": self.nodes, "activation": self.activation}

    def _build(self, input_shape, where):
        if len(input_shape) != 1:
            raise ShapeError(
                f"{where} dense Layer: expected features (n,) from the layer before, got the "
                f"image shape {input_shape}: put gone.Flatten() before it"
            )
        return (self.nodes,)

    def parameter_shapes(self):
        (n_in,) = self.input_shape
        return [(self.nodes, n_in), (self.nodes, 1)]

    def initialize(self, rng, initializer):
        (n_in,) = self.input_shape
        self.W, self.b = initializer(n_in, self.nodes, rng, self.dtype)  # (n_out, n_in), (n_out, 1)

    # ---- the math ------------------------------------------------------------------------

    def forward(self, A_prev, training=False):
        Z = self.W @ A_prev  # (n_out, B)
        Z += self.b  # b (n_out, 1) broadcasts over the batch
        A = self.activation.forward(Z)  # (n_out, B)
        self.saved = (A_prev, Z, A)
        return A

    def backward(self, dA, input_gradient=True):
        _, Z, A = self.saved
        dZ = self.activation.backward(dA, Z, A)  # dZ = dA * f'(Z)  (n_out, B)
        return self.backward_linear(dZ, input_gradient)

    def backward_linear(self, dZ, input_gradient=True):
        """The backward pass of Z = W @ A_prev + b alone, from dZ: where the loss's delta enters."""
        A_prev = self.saved[0]
        self.dW = dZ @ A_prev.T  # (n_out, n_in)
        self.db = dZ.sum(axis=1, keepdims=True)  # (n_out, 1)
        if not input_gradient:  # the first layer: skip its (largest) product
            return None
        return self.W.T @ dZ  # dA_prev  (n_in, B)

    # ---- in place --------------------------------------------------------------------------

    def buffers(self, batch_size, dtype, output=False):
        return LayerBuffers(self.nodes, batch_size, dtype, output=output)  # (n_out, B)

    def forward_into(self, A_prev, buffers, training=False):
        buffers.A_prev = A_prev  # (n_in, B), read again by backward_into
        Z = np.matmul(self.W, A_prev, out=buffers.Z)  # Z = W @ A_prev  (n_out, B)
        # b broadcast over the batch through a copy: numpy's own broadcasting of b (n, 1) would
        # allocate an iteration buffer on every call.
        np.copyto(buffers.scratch, self.b)  # (n_out, B)
        Z += buffers.scratch  # Z = W @ A_prev + b
        self.activation.forward_into(buffers)  # A = f(Z)  (n_out, B)
        return buffers.A

    def backward_into(self, buffers, gradients, dA_prev):
        # buffers.dA is buffers.dZ: the layer above wrote dA there; turned into dZ in place.
        self.activation.backward_into(buffers)  # dZ = dA * f'(Z)
        self.backward_linear_into(buffers, gradients, dA_prev)

    def backward_linear_into(self, buffers, gradients, dA_prev) -> None:
        """`backward_linear` in place, from dZ in buffers.dZ."""
        dW, db = gradients
        dZ = buffers.dZ
        np.matmul(dZ, buffers.A_prev.T, out=dW)  # dW = dZ @ A_prev.T  (n_out, n_in)
        np.add.reduce(dZ, axis=1, keepdims=True, out=db)  # db = sum of dZ over B  (n_out, 1)
        if dA_prev is not None:  # the first layer needs no dA_prev: skip its (largest) product
            np.matmul(self.W.T, dZ, out=dA_prev)  # dA_prev = W.T @ dZ  (n_in, B)
