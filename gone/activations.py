"""Activation functions: the forward map A = f(Z) and its backward pass dZ = dA * f'(Z).

Arrays have the nodes on axis -2 and the samples on axis -1: (nodes, batch) for one network,
(population, nodes, batch) for a stacked population. Elementwise functions do not care; Softmax
normalises over the nodes (axis -2).

Each activation has a `name` (the one written to .gone files; Go's names where Go has them) and
`params()`, the arguments that rebuild it: `activation_from_name(a.name, **a.params())`.

The training loop uses the same functions in place, on the arrays of one layer (see
gone.workspace.LayerBuffers: Z, A, dZ, scratch, mask (n, B), column (1, B)): `forward_into` writes
A = f(Z) into A, `backward_into` turns dZ, holding dA, into dZ = dA * f'(Z). Each computes exactly
what `forward` and `backward` compute, bit for bit, without allocating. A subclass that redefines
the function but not its in-place form gets a generic in-place form (correct, but allocating),
never its parent's.
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

    def forward_into(self, buffers) -> None:
        """Write A = f(Z) into buffers.A (`forward` in place, for the training loop)."""
        np.copyto(buffers.A, self.forward(buffers.Z))

    def backward_into(self, buffers) -> None:
        """Turn buffers.dZ, which holds dA, into dZ = dL/dZ in place (`backward`, for the loop)."""
        dZ = self.backward(buffers.dZ, buffers.Z, buffers.A)
        if dZ is not buffers.dZ:
            np.copyto(buffers.dZ, dZ)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A subclass that changes the function keeps no in-place form of its parent's function.
        if "forward" in vars(cls) and "forward_into" not in vars(cls):
            cls.forward_into = Activation.forward_into
        if {"derivative", "backward"} & vars(cls).keys() and "backward_into" not in vars(cls):
            cls.backward_into = Activation.backward_into


class Identity(Activation):
    """A = Z. The Go library calls it "id"; a layer without an activation gets it."""

    name = "id"

    def forward(self, Z):
        return Z

    def derivative(self, Z, A):
        return np.ones_like(Z)

    def backward(self, dA, Z, A):
        return dA

    def forward_into(self, buffers):
        np.copyto(buffers.A, buffers.Z)  # A = Z

    def backward_into(self, buffers):
        pass  # dZ = dA


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

    def forward_into(self, buffers):
        A = buffers.A
        np.multiply(buffers.Z, 0.5, out=A)  # A = (1 + tanh(Z / 2)) / 2, as in forward
        np.tanh(A, out=A)
        A *= 0.5
        A += 0.5

    def backward_into(self, buffers):
        derivative = np.subtract(1, buffers.A, out=buffers.scratch)  # 1 - A
        derivative *= buffers.A  # f'(Z) = A * (1 - A)
        buffers.dZ *= derivative  # dZ = dA * f'(Z)


class Tanh(Activation):
    """A = tanh(Z); f'(Z) = 1 - A^2."""

    name = "tanh"

    def forward(self, Z):
        return np.tanh(Z)

    def derivative(self, Z, A):
        return 1 - A * A

    def forward_into(self, buffers):
        np.tanh(buffers.Z, out=buffers.A)  # A = tanh(Z)

    def backward_into(self, buffers):
        derivative = np.multiply(buffers.A, buffers.A, out=buffers.scratch)  # A^2
        np.subtract(1, derivative, out=derivative)  # f'(Z) = 1 - A^2
        buffers.dZ *= derivative  # dZ = dA * f'(Z)


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

    def forward_into(self, buffers):
        np.maximum(buffers.Z, 0, out=buffers.A)  # A = max(0, Z)

    def backward_into(self, buffers):
        derivative = _step(buffers)  # f'(Z) = 1 where Z > 0, else 0
        buffers.dZ *= derivative  # dZ = dA * f'(Z)


class LeakyReLU(Activation):
    """A = Z where Z > 0, else slope * Z; f'(Z) = 1 or slope."""

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01):
        self.slope = check_number(slope, "LeakyReLU slope", minimum=0)

    def forward(self, Z):
        return np.where(Z > 0, Z, self.slope * Z)

    def derivative(self, Z, A):
        return np.where(Z > 0, 1.0, self.slope).astype(Z.dtype)

    def forward_into(self, buffers):
        # where(Z > 0, Z, slope Z) is the larger of Z and slope Z for a slope up to 1, the smaller
        # above 1: exactly, since rounding slope * Z keeps its order with Z.
        A = np.multiply(buffers.Z, self.slope, out=buffers.A)  # slope * Z
        pick = np.maximum if self.slope <= 1 else np.minimum
        pick(buffers.Z, A, out=A)  # A = Z where Z > 0, else slope * Z

    def backward_into(self, buffers):
        # f'(Z) = where(Z > 0, 1, slope) from the step H = (Z > 0) in {0, 1}, exactly: the larger
        # of H and slope for a slope up to 1; above 1, the larger of (1 - H) * slope and 1.
        derivative = _step(buffers)  # H
        if self.slope <= 1:
            np.maximum(derivative, self.slope, out=derivative)
        else:
            np.subtract(1, derivative, out=derivative)  # 1 - H(Z)
            derivative *= self.slope
            np.maximum(derivative, 1, out=derivative)
        buffers.dZ *= derivative  # dZ = dA * f'(Z)

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

    # In place, a column is broadcast over the nodes by copying it into `scratch` first: numpy's
    # own broadcasting of a (1, B) operand allocates an iteration buffer on every call.

    def forward_into(self, buffers):
        Z, A, wide, column = buffers.Z, buffers.A, buffers.scratch, buffers.column
        np.maximum.reduce(Z, axis=-2, keepdims=True, out=column)  # max_j Z_j per sample (1, B)
        np.copyto(wide, column)  # (n, B)
        np.subtract(Z, wide, out=A)  # Z - max
        np.exp(A, out=A)  # E = exp(Z - max)
        np.add.reduce(A, axis=-2, keepdims=True, out=column)  # sum_j E_j (1, B)
        np.copyto(wide, column)
        A /= wide  # A = E / sum_j E_j

    def backward_into(self, buffers):
        dZ, A, wide, column = buffers.dZ, buffers.A, buffers.scratch, buffers.column
        np.multiply(dZ, A, out=wide)  # dA * A
        np.add.reduce(wide, axis=-2, keepdims=True, out=column)  # sum_j dA_j * A_j (1, B)
        np.copyto(wide, column)
        dZ -= wide
        dZ *= A  # dZ = A * (dA - sum_j dA_j * A_j)


def _step(buffers) -> np.ndarray:
    """Return buffers.scratch holding (Z > 0) as 1.0 and 0.0, through the boolean buffers.mask:
    numpy would allocate a buffer to cast a boolean operand of a multiplication, and
    np.heaviside, which gives the same floats directly, is ten times slower."""
    np.greater(buffers.Z, 0, out=buffers.mask)
    np.copyto(buffers.scratch, buffers.mask)
    return buffers.scratch


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)
}


def activation_from_name(name: str, **params) -> Activation:
    """Build an activation from its file name ("sigmoid", "relu", "id", ...) and parameters."""
    return from_registry(ACTIVATIONS, name, "activation", **params)
