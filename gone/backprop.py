"""The math of a network on a batch: the forward pass through its layers, the loss, the backward pass.

A network is a sequence of layers (gone.layers); each keeps its own forward and backward side by
side, and backpropagation walks them: forward in order, then, from the loss's dZ of the output
layer, backward in reverse, each layer turning dL/d(its output) into dL/d(its input) and filling
its parameters' gradients. Samples are on the last axis inside (see gone.layers.module).

For a network of dense layers only, the walk computes exactly what these formulas say. Samples
are columns: A0 (n_in, B). For layer l (0-based over the weight layers):
    Z[l] = W[l] @ A[l] + b[l]        # (n_{l+1}, B)
    A[l+1] = f_l(Z[l])               # (n_{l+1}, B)
Backward, from the loss's dZ of the last layer:
    dW[l] = dZ[l] @ A[l].T           # (n_{l+1}, n_l)
    db[l] = sum of dZ[l] over B      # (n_{l+1}, 1)
    dA[l] = W[l].T @ dZ[l]           # (n_l, B)
    dZ[l-1] = dA[l] * f'_{l-1}(Z[l-1])
The loss is already averaged over the batch, so dZ carries 1/B and the sums above are means.
`forward`, `predict` and `backward` below are these formulas on plain lists of arrays.

`forward_layers` and `backward_layers` return new arrays: the math as it reads. The training loop
runs the same layers through `forward_layers_into` and `backward_layers_into`, which write every
result into arrays made once per batch size (gone.workspace), so that a step allocates nothing;
both pairs give the same numbers, bit for bit.
"""

import numpy as np

from gone.activations import Activation
from gone.losses import Loss

# ---- a network: the walk through its layers ------------------------------------------------


def forward_layers(layers: list, A0: np.ndarray, training: bool = False) -> np.ndarray:
    """Return the output (n_out, B) of `layers` (a network's layers after its input) for A0,
    (n_in, B) or (C, H, W, B); every layer keeps what its backward needs."""
    A = A0
    for layer in layers:
        A = layer.forward(A, training)
    return A


def backward_layers(layers: list, loss: Loss, Y: np.ndarray) -> None:
    """Fill every layer's gradients for the batch-mean loss against Y (n_out, B), after
    `forward_layers(..., training=True)`. The first layer computes no dL/d(input)."""
    output = layers[-1]  # a dense layer: its activation feeds the loss
    _, Z, A = output.saved
    dZ = loss.delta(output.activation, Z, A, Y)  # (n_out, B)
    dA = output.backward_linear(dZ, input_gradient=len(layers) > 1)
    for l in range(len(layers) - 2, -1, -1):
        dA = layers[l].backward(dA, input_gradient=l > 0)


def forward_layers_into(layers: list, A0: np.ndarray, buffers: list, training: bool) -> None:
    """`forward_layers`, written into `buffers` (one per layer, gone.workspace.BatchBuffers'
    layers); A0 is only read."""
    A = A0
    for layer, buffer in zip(layers, buffers, strict=True):
        A = layer.forward_into(A, buffer, training)


def backward_layers_into(
    layers: list, loss: Loss, Y: np.ndarray, buffers: list, gradients: list[list[np.ndarray]]
) -> None:
    """`backward_layers` after `forward_layers_into`, written into gradients[l] (layer l's, in
    the order of its parameters).

    Each layer's buffers.dA first receives dL/d(its output) from the layer above; the output
    layer's dZ comes from the loss. Call `loss.value_into` before this, if the loss is wanted:
    it uses the output layer's dZ as scratch.
    """
    last = len(layers) - 1
    output = layers[last]
    loss.delta_into(output.activation, buffers[last], Y)  # dZ of the output layer (n_out, B)
    below = buffers[last - 1].dA if last else None
    output.backward_linear_into(buffers[last], gradients[last], below)
    for l in range(last - 1, -1, -1):
        below = buffers[l - 1].dA if l else None  # the first layer needs no dL/d(input)
        layers[l].backward_into(buffers[l], gradients[l], below)


# ---- a dense network on plain lists ---------------------------------------------------------


def forward(
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    activations: list[Activation],
    A0: np.ndarray,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return (Zs, As): Zs[l] (n_{l+1}, B) for each weight layer, As[l] (n_l, B) for every layer."""
    Zs, As = [], [A0]
    A = A0
    for W, b, f in zip(weights, biases, activations, strict=True):
        Z = W @ A  # (n_{l+1}, B)
        Z += b  # b (n_{l+1}, 1) broadcasts over the batch
        A = f.forward(Z)  # (n_{l+1}, B)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def predict(weights, biases, activations, A0: np.ndarray) -> np.ndarray:
    """Return the output A_L (n_out, B) of a forward pass, keeping no cache."""
    A = A0
    for W, b, f in zip(weights, biases, activations, strict=True):
        Z = W @ A  # (n_{l+1}, B)
        Z += b
        A = f.forward(Z)
    return A


def backward(
    weights: list[np.ndarray],
    activations: list[Activation],
    loss: Loss,
    Zs: list[np.ndarray],
    As: list[np.ndarray],
    Y: np.ndarray,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return (dWs, dbs), the gradients of the batch-mean loss for every weight layer."""
    n = len(weights)
    dWs, dbs = [None] * n, [None] * n
    dZ = loss.delta(activations[-1], Zs[-1], As[-1], Y)  # (n_out, B)
    for l in range(n - 1, -1, -1):
        dWs[l] = dZ @ As[l].T  # (n_{l+1}, n_l)
        dbs[l] = dZ.sum(axis=1, keepdims=True)  # (n_{l+1}, 1)
        if l:  # the input layer needs no gradient: skip its (largest) product
            dA = weights[l].T @ dZ  # (n_l, B)
            dZ = activations[l - 1].backward(dA, Zs[l - 1], As[l])  # (n_l, B)
    return dWs, dbs
