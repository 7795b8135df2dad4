"""Activation functions: the forward map A = f(Z) and its backward pass dZ = dA * f'(Z).

Arrays have the nodes on axis -2 and the samples on axis -1: (nodes, batch) for one network,
(population, nodes, batch) for a stacked population. Elementwise functions do not care; Softmax
normalises over the nodes (axis -2).

Each activation has a `name` (the one written to .gone files; Go's names where Go has them) and
`params()`, the arguments that rebuild it: `activation_from_name(a.name, **a.params())`.
"""

import numpy as np

from gone._checks import check_number
from gone._described import Described, from_registry
from gone.errors import ConfigError


class Activation(Described):
    """Base class: subclasses define `forward` and `derivative` (or `backward` when not elementwise)."""

    name = ""
    #: True when every output lies in (0, 1), so probability losses can be used after it.
    outputs_probabilities = False

    def forward(self, Z: np.ndarray) -> np.ndarray:
        """Return A = f(Z), same shape as Z."""
        raise NotImplementedError

    def derivative(self, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
        """Return f'(Z) elementwise; A = f(Z) is passed because many derivatives are cheaper from it."""
        raise NotImplementedError

    def backward(self, dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
        """Return dZ = dL/dZ from dA = dL/dA. May overwrite dA (callers pass a fresh array)."""
        dA *= self.derivative(Z, A)
        return dA


class Identity(Activation):
    """A = Z. The Go library calls it "id"; a layer without an activation gets it."""

    name = "id"

    def forward(self, Z):
        return Z

    def derivative(self, Z, A):
        return np.ones_like(Z)

    def backward(self, dA, Z, A):
        return dA


class Sigmoid(Activation):
    """A = 1 / (1 + exp(-Z)); f'(Z) = A * (1 - A).

    Computed as A = (1 + tanh(Z / 2)) / 2, the same function: tanh cannot overflow where
    exp(-Z) does (Z < -709), and it is one pass cheaper than exp, add and divide.
    """

    name = "sigmoid"
    outputs_probabilities = True

    def forward(self, Z):
        A = np.multiply(Z, 0.5)
        np.tanh(A, out=A)
        A *= 0.5
        A += 0.5
        return A

    def derivative(self, Z, A):
        return A * (1 - A)


class Tanh(Activation):
    """A = tanh(Z); f'(Z) = 1 - A^2."""

    name = "tanh"

    def forward(self, Z):
        return np.tanh(Z)

    def derivative(self, Z, A):
        return 1 - A * A


class ReLU(Activation):
    """A = max(0, Z); f'(Z) = 1 where Z > 0, else 0 (0 at the kink itself)."""

    name = "relu"

    def forward(self, Z):
        return np.maximum(Z, 0)

    def derivative(self, Z, A):
        return (Z > 0).astype(Z.dtype)

    def backward(self, dA, Z, A):
        # Multiplying by the boolean mask in place avoids building a float derivative array.
        np.multiply(dA, Z > 0, out=dA)
        return dA


class LeakyReLU(Activation):
    """A = Z where Z > 0, else slope * Z; f'(Z) = 1 or slope."""

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01):
        self.slope = check_number(slope, "LeakyReLU slope", minimum=0)

    def forward(self, Z):
        return np.where(Z > 0, Z, self.slope * Z)

    def derivative(self, Z, A):
        return np.where(Z > 0, 1.0, self.slope).astype(Z.dtype)

    def params(self):
        return {"slope": self.slope}


class Softmax(Activation):
    """A_i = exp(Z_i) / sum_j exp(Z_j) over the nodes of each sample (axis -2).

    Not elementwise: its Jacobian is dA_i/dZ_j = A_i * (delta_ij - A_j), so the backward pass is
    dZ = A * (dA - sum_j(dA_j * A_j)). With CrossEntropy the loss fuses the two into
    dZ = (A * sum(Y) - Y) / B, which is (A - Y) / B for one-hot targets (gone.losses.FUSED).
    """

    name = "softmax"
    outputs_probabilities = True

    def forward(self, Z):
        # Subtracting the column maximum changes nothing mathematically and keeps exp() from overflowing.
        E = np.exp(Z - Z.max(axis=-2, keepdims=True))
        E /= E.sum(axis=-2, keepdims=True)
        return E

    def derivative(self, Z, A):
        raise ConfigError("Softmax has no elementwise derivative: use backward(dA, Z, A)")

    def backward(self, dA, Z, A):
        dot = (dA * A).sum(axis=-2, keepdims=True)  # (1, batch): sum_j dA_j * A_j per sample
        dA -= dot
        dA *= A
        return dA


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)
}


def activation_from_name(name: str, **params) -> Activation:
    """Build an activation from its file name ("sigmoid", "relu", "id", ...) and parameters."""
    return from_registry(ACTIVATIONS, name, "activation", **params)
