"""The math of a feedforward network on a batch: forward pass, loss, backward pass.

Samples are columns: A0 (n_in, B). For layer l (0-based over the weight layers):
    Z[l] = W[l] @ A[l] + b[l]        # (n_{l+1}, B)
    A[l+1] = f_l(Z[l])               # (n_{l+1}, B)
Backward, from the loss's dZ of the last layer:
    dW[l] = dZ[l] @ A[l].T           # (n_{l+1}, n_l)
    db[l] = sum of dZ[l] over B      # (n_{l+1}, 1)
    dA[l] = W[l].T @ dZ[l]           # (n_l, B)
    dZ[l-1] = dA[l] * f'_{l-1}(Z[l-1])
The loss is already averaged over the batch, so dZ carries 1/B and the sums above are means.

`forward` and `backward` return new arrays: the math as it reads. The training loop runs the same
formulas through `forward_into` and `backward_into`, which write every result into arrays made
once per batch size (gone.workspace), so that a step allocates nothing; both pairs give the
same numbers, bit for bit.
"""

import numpy as np

from gone.activations import Activation
from gone.losses import Loss


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


def forward_into(
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    activations: list[Activation],
    A0: np.ndarray,
    layers: list,
) -> None:
    """`forward`, written into `layers` (gone.workspace.LayerBuffers, one per weight layer):
    layers[l].Z gets Z[l], layers[l].A gets A[l+1]; A0 (n_in, B) is only read."""
    A = A0
    for W, b, f, layer in zip(weights, biases, activations, layers, strict=True):
        Z = np.matmul(W, A, out=layer.Z)  # Z = W @ A  (n_{l+1}, B)
        # b broadcast over the batch through a copy: numpy's own broadcasting of b (n, 1) would
        # allocate an iteration buffer on every call.
        np.copyto(layer.scratch, b)  # (n_{l+1}, B)
        Z += layer.scratch  # Z = W @ A + b
        f.forward_into(layer)  # A = f(Z)  (n_{l+1}, B)
        A = layer.A


def backward_into(
    weights: list[np.ndarray],
    activations: list[Activation],
    loss: Loss,
    A0: np.ndarray,
    Y: np.ndarray,
    layers: list,
    dWs: list[np.ndarray],
    dbs: list[np.ndarray],
) -> None:
    """`backward` after `forward_into`, written into dWs[l] (n_{l+1}, n_l) and dbs[l] (n_{l+1}, 1).

    Each layer's dZ array first receives dA from the layer above, then its activation turns it
    into dZ in place. Call `loss.value_into` before this, if the loss is wanted: it uses the
    output layer's dZ as scratch.
    """
    n = len(weights)
    loss.delta_into(activations[-1], layers[-1], Y)  # dZ of the last layer (n_out, B)
    for l in range(n - 1, -1, -1):
        dZ = layers[l].dZ
        A = layers[l - 1].A if l else A0  # the layer's input, A[l]  (n_l, B)
        np.matmul(dZ, A.T, out=dWs[l])  # dW[l] = dZ[l] @ A[l].T  (n_{l+1}, n_l)
        np.add.reduce(dZ, axis=1, keepdims=True, out=dbs[l])  # db[l] = sum of dZ[l] over B
        if l:  # the input layer needs no gradient: skip its (largest) product
            below = layers[l - 1]
            np.matmul(weights[l].T, dZ, out=below.dZ)  # dA[l] = W[l].T @ dZ[l]  (n_l, B)
            activations[l - 1].backward_into(below)  # dZ[l-1] = dA[l] * f'(Z[l-1])
