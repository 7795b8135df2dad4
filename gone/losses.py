"""Loss functions: the value L(A, Y) averaged over the batch, and dZ of the output layer.

A (outputs) and Y (targets) are (n_out, batch), one column per sample. Every loss is a mean over
the batch, so its gradient carries the factor 1/B.

`value(output, Z, A, Y)` and `delta(output, Z, A, Y)` see the output layer's activation, its
pre-activation Z and A = output(Z). Two pairs of loss and output activation have closed forms
(the table FUSED at the bottom, the one place that chooses them): the loss from Z directly
(finite for any Z, where log A would be log 0) and dZ without dividing by A. Every other pair
goes by the chain rule: dZ = output.backward(gradient(A, Y)).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gone._described import Described, from_registry
from gone.activations import Activation, Sigmoid, Softmax
from gone.errors import ConfigError

# Probabilities are clipped to [EPS, 1 - EPS] before a log where no fused form applies.
EPS = 1e-12


class Loss(Described):
    """Base class: subclasses define `loss(A, Y)` and `gradient(A, Y)`."""

    name = ""
    #: True when the loss needs outputs in (0, 1) (the output activation must be Sigmoid or Softmax).
    needs_probabilities = False

    def loss(self, A: np.ndarray, Y: np.ndarray) -> float:
        """Return L averaged over the batch."""
        raise NotImplementedError

    def gradient(self, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """Return dA = dL/dA, shape of A."""
        raise NotImplementedError

    def value(self, output: Activation, Z, A, Y) -> float:
        """Return L for the output layer (Z, A = output(Z)) against targets Y."""
        fused = FUSED.get((type(self), type(output)))
        return self.loss(A, Y) if fused is None else fused.value(Z, Y)

    def delta(self, output: Activation, Z, A, Y) -> np.ndarray:
        """Return dZ = dL/dZ of the output layer."""
        fused = FUSED.get((type(self), type(output)))
        if fused is None:
            return output.backward(self.gradient(A, Y), Z, A)
        return fused.delta(Z, A, Y)

    def check_output(self, output: Activation) -> None:
        """Raise ConfigError when the output activation cannot feed this loss."""
        if self.needs_probabilities and not output.outputs_probabilities:
            raise ConfigError(
                f"{type(self).__name__} needs probabilities from the output layer: expected a "
                f"Sigmoid or Softmax output activation, got {type(output).__name__}"
            )


class MSE(Loss):
    """Mean squared error over outputs and samples: L = mean((A - Y)^2); dA = 2 (A - Y) / (n_out B).

    Go's MSE has the same value; its FPrime drops the factor 2 (absorbed in the learning rate).
    """

    name = "mse"

    def loss(self, A, Y):
        diff = A - Y
        return float(np.vdot(diff, diff)) / diff.size

    def gradient(self, A, Y):
        return (2.0 / A.size) * (A - Y)


class CrossEntropy(Loss):
    """Categorical cross-entropy: L = -sum(Y log A) / B, for one-hot, soft or multi-hot targets
    (any Y >= 0; after Softmax the gradient is exact whatever each column of Y sums to)."""

    name = "cross_entropy"
    needs_probabilities = True

    def loss(self, A, Y):
        return -float(np.vdot(Y, np.log(np.clip(A, EPS, 1.0)))) / A.shape[-1]

    def gradient(self, A, Y):
        return -Y / np.clip(A, EPS, None) / A.shape[-1]


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy, summed over outputs and averaged over samples:
    L = -sum(Y log A + (1 - Y) log(1 - A)) / B.
    """

    name = "binary_cross_entropy"
    needs_probabilities = True

    def loss(self, A, Y):
        A = np.clip(A, EPS, 1 - EPS)
        return -float(np.vdot(Y, np.log(A)) + np.vdot(1 - Y, np.log1p(-A))) / A.shape[-1]

    def gradient(self, A, Y):
        A = np.clip(A, EPS, 1 - EPS)
        return (A - Y) / (A * (1 - A)) / A.shape[-1]


# ---- the fused pairs ---------------------------------------------------------------------------


class Fused(NamedTuple):
    """The closed forms of one loss after one output activation."""

    value: Callable[[np.ndarray, np.ndarray], float]  # (Z, Y) -> L
    delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (Z, A, Y) -> dZ


def _softmax_cross_entropy_value(Z, Y) -> float:
    # log softmax(Z) = Z - max - log(sum(exp(Z - max))): finite even where A underflows to 0.
    shifted = Z - Z.max(axis=-2, keepdims=True)  # (n_out, B)
    log_A = shifted - np.log(np.exp(shifted).sum(axis=-2, keepdims=True))  # (n_out, B)
    return -float(np.vdot(Y, log_A)) / Z.shape[-1]


def _softmax_cross_entropy_delta(Z, A, Y) -> np.ndarray:
    # dL/dZ_i = A_i * sum_j(Y_j) - Y_i per sample: exact for any targets (soft, multi-hot,
    # unnormalized). Where a column of Y sums to exactly 1 (one-hot) this is A - Y, bit for bit.
    dZ = A * Y.sum(axis=-2, keepdims=True)  # (n_out, B)
    dZ -= Y
    dZ /= Z.shape[-1]
    return dZ


def _sigmoid_binary_cross_entropy_value(Z, Y) -> float:
    # -[y log s(z) + (1-y) log(1-s(z))] = max(z, 0) - z y + log(1 + exp(-|z|)): no log(0).
    per_output = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))  # (n_out, B)
    return float(per_output.sum()) / Z.shape[-1]


def _sigmoid_binary_cross_entropy_delta(Z, A, Y) -> np.ndarray:
    # The A (1 - A) of the sigmoid cancels: dZ = (A - Y) / B, exact for any targets (0/1,
    # soft, multi-label), since each output is its own binary problem.
    return (A - Y) / Z.shape[-1]


#: (loss class, output activation class) -> its closed forms. The exact classes, not subclasses:
#: a subclass may change the function, and then the closed form no longer holds.
FUSED: dict[tuple[type, type], Fused] = {
    (CrossEntropy, Softmax): Fused(_softmax_cross_entropy_value, _softmax_cross_entropy_delta),
    (BinaryCrossEntropy, Sigmoid): Fused(
        _sigmoid_binary_cross_entropy_value, _sigmoid_binary_cross_entropy_delta
    ),
}


LOSSES: dict[str, type[Loss]] = {cls.name: cls for cls in (MSE, CrossEntropy, BinaryCrossEntropy)}


def loss_from_name(name: str, **params) -> Loss:
    """Build a loss from its file name ("mse", "cross_entropy", "binary_cross_entropy")."""
    return from_registry(LOSSES, name, "loss", **params)
