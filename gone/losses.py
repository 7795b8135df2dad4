"""Loss functions: the value L(A, Y) averaged over the batch, and dZ of the output layer.

A (outputs) and Y (targets) are (n_out, batch), one column per sample. Every loss is a mean over
the batch, so its gradient carries the factor 1/B.

`value(output, Z, A, Y)` and `delta(output, Z, A, Y)` see the output layer's activation, its
pre-activation Z and A = output(Z): CrossEntropy after Softmax and BinaryCrossEntropy after
Sigmoid then compute from Z directly (stable for any Z) and fuse the backward pass into
dZ = (A - Y) / B, which is exact whenever those pairs meet.
"""

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
        return self.loss(A, Y)

    def delta(self, output: Activation, Z, A, Y) -> np.ndarray:
        """Return dZ = dL/dZ of the output layer."""
        return output.backward(self.gradient(A, Y), Z, A)

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
    """Categorical cross-entropy for one-hot (or soft) targets: L = -sum(Y log A) / B."""

    name = "cross_entropy"
    needs_probabilities = True

    def loss(self, A, Y):
        return -float(np.vdot(Y, np.log(np.clip(A, EPS, 1.0)))) / A.shape[-1]

    def gradient(self, A, Y):
        return -Y / np.clip(A, EPS, None) / A.shape[-1]

    def value(self, output, Z, A, Y):
        if isinstance(output, Softmax):
            # log softmax(Z) = Z - max - log(sum(exp(Z - max))): finite even where A underflows to 0.
            shifted = Z - Z.max(axis=-2, keepdims=True)
            log_A = shifted - np.log(np.exp(shifted).sum(axis=-2, keepdims=True))
            return -float(np.vdot(Y, log_A)) / Z.shape[-1]
        return self.loss(A, Y)

    def delta(self, output, Z, A, Y):
        # Softmax then cross-entropy: dZ = A - Y per sample, provided each target column sums to 1.
        if isinstance(output, Softmax):
            return (A - Y) / A.shape[-1]
        return super().delta(output, Z, A, Y)


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

    def value(self, output, Z, A, Y):
        if isinstance(output, Sigmoid):
            # -[y log s(z) + (1-y) log(1-s(z))] = max(z, 0) - z y + log(1 + exp(-|z|)): no log(0).
            per_output = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))
            return float(per_output.sum()) / Z.shape[-1]
        return self.loss(A, Y)

    def delta(self, output, Z, A, Y):
        # Sigmoid then binary cross-entropy: the A(1 - A) of the sigmoid cancels, dZ = (A - Y) / B.
        if isinstance(output, Sigmoid):
            return (A - Y) / A.shape[-1]
        return super().delta(output, Z, A, Y)


LOSSES: dict[str, type[Loss]] = {cls.name: cls for cls in (MSE, CrossEntropy, BinaryCrossEntropy)}


def loss_from_name(name: str, **params) -> Loss:
    """Build a loss from its file name ("mse", "cross_entropy", "binary_cross_entropy")."""
    return from_registry(LOSSES, name, "loss", **params)
