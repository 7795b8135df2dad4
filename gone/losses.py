"""Loss functions: the value L(A, Y) averaged over the batch, and dZ of the output layer.

A (outputs) and Y (targets) are (n_out, batch), one column per sample. Every loss is a mean over
the batch, so its gradient carries the factor 1/B.

`value(output, Z, A, Y)` and `delta(output, Z, A, Y)` see the output layer's activation, its
pre-activation Z and A = output(Z). Two pairs of loss and output activation have closed forms
(the table FUSED at the bottom, the one place that chooses them): the loss from Z directly
(finite for any Z, where log A would be log 0) and dZ without dividing by A. Every other pair
goes by the chain rule: dZ = output.backward(gradient(A, Y)).

The training loop computes the same values in place on the output layer's arrays (see
gone.workspace.LayerBuffers): `value_into(output, buffers, Y)` returns L, `delta_into(output,
buffers, Y)` writes dZ into buffers.dZ, bit for bit what `value` and `delta` return, without
allocating. Y may be a transposed batch of rows (F order); elementwise work first copies it into
buffers.targets, as numpy allocates a buffer for every operation mixing C and F layouts.
`value_into` may use buffers.dZ and buffers.scratch as scratch: call it before `delta_into`. A
subclass that redefines `loss` or `gradient` but not their in-place forms gets generic in-place
forms (correct, but allocating), never its parent's.
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

    def value_into(self, output: Activation, buffers, Y) -> float:
        """Return `value(output, Z, A, Y)` from the output layer's buffers (Z, A) and Y (n_out, B)."""
        fused = FUSED.get((type(self), type(output)))
        if fused is None:
            return self.loss_into(buffers, Y)
        return fused.value_into(buffers, Y)

    def delta_into(self, output: Activation, buffers, Y) -> None:
        """Write `delta(output, Z, A, Y)`, dZ of the output layer, into buffers.dZ."""
        fused = FUSED.get((type(self), type(output)))
        if fused is None:
            self.gradient_into(buffers, Y)  # dA into buffers.dZ
            output.backward_into(buffers)  # dZ from dA, in place
        else:
            fused.delta_into(buffers, Y)

    def loss_into(self, buffers, Y) -> float:
        """Return `loss(A, Y)` for A = buffers.A, using the buffers as scratch."""
        return self.loss(buffers.A, Y)

    def gradient_into(self, buffers, Y) -> None:
        """Write `gradient(A, Y)`, dA, into buffers.dZ."""
        np.copyto(buffers.dZ, self.gradient(buffers.A, Y))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A subclass that changes the function keeps no in-place form of its parent's function.
        if "loss" in vars(cls) and "loss_into" not in vars(cls):
            cls.loss_into = Loss.loss_into
        if "gradient" in vars(cls) and "gradient_into" not in vars(cls):
            cls.gradient_into = Loss.gradient_into

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

    def loss_into(self, buffers, Y):
        diff = np.subtract(buffers.A, _contiguous(Y, buffers), out=buffers.scratch)  # A - Y
        return float(np.vdot(diff, diff)) / diff.size

    def gradient_into(self, buffers, Y):
        dA = np.subtract(buffers.A, _contiguous(Y, buffers), out=buffers.dZ)  # A - Y
        dA *= 2.0 / dA.size  # dA = 2 (A - Y) / (n_out B)


class CrossEntropy(Loss):
    """Categorical cross-entropy: L = -sum(Y log A) / B, for one-hot, soft or multi-hot targets
    (any Y >= 0; after Softmax the gradient is exact whatever each column of Y sums to)."""

    name = "cross_entropy"
    needs_probabilities = True

    def loss(self, A, Y):
        return -float(np.vdot(Y, np.log(np.clip(A, EPS, 1.0)))) / A.shape[-1]

    def gradient(self, A, Y):
        return -Y / np.clip(A, EPS, None) / A.shape[-1]

    def loss_into(self, buffers, Y):
        log_A = np.clip(buffers.A, EPS, 1.0, out=buffers.scratch)
        np.log(log_A, out=log_A)  # log(clip(A))
        return -float(np.vdot(_contiguous(Y, buffers), log_A)) / log_A.shape[-1]

    def gradient_into(self, buffers, Y):
        dA = np.clip(buffers.A, EPS, None, out=buffers.dZ)
        np.divide(_contiguous(Y, buffers), dA, out=dA)
        np.negative(dA, out=dA)  # -Y / clip(A): the sign of a quotient is exact
        dA /= dA.shape[-1]  # dA = -Y / A / B


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

    def loss_into(self, buffers, Y):
        log_A = np.clip(buffers.A, EPS, 1 - EPS, out=buffers.scratch)  # A, clipped
        np.log(log_A, out=log_A)
        Y = _contiguous(Y, buffers)
        positives = np.vdot(Y, log_A)  # sum of Y log A
        log_1_minus_A = np.clip(buffers.A, EPS, 1 - EPS, out=buffers.scratch)
        np.negative(log_1_minus_A, out=log_1_minus_A)
        np.log1p(log_1_minus_A, out=log_1_minus_A)
        one_minus_Y = np.subtract(1, Y, out=buffers.dZ)
        return -float(positives + np.vdot(one_minus_Y, log_1_minus_A)) / Y.shape[-1]

    def gradient_into(self, buffers, Y):
        A = np.clip(buffers.A, EPS, 1 - EPS, out=buffers.scratch)
        dA = np.subtract(1, A, out=buffers.dZ)  # 1 - A
        dA *= A  # A (1 - A)
        np.subtract(A, _contiguous(Y, buffers), out=A)  # A - Y
        np.divide(A, dA, out=dA)
        dA /= dA.shape[-1]  # dA = (A - Y) / (A (1 - A)) / B


# ---- the fused pairs ---------------------------------------------------------------------------


class Fused(NamedTuple):
    """The closed forms of one loss after one output activation, and their in-place forms."""

    value: Callable[[np.ndarray, np.ndarray], float]  # (Z, Y) -> L
    delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (Z, A, Y) -> dZ
    value_into: Callable[..., float]  # (buffers, Y) -> L
    delta_into: Callable[..., None]  # (buffers, Y): dZ into buffers.dZ


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


def _softmax_cross_entropy_value_into(buffers, Y) -> float:
    # As above; a column is broadcast over the nodes by copying it into a (n_out, B) array first:
    # numpy's own broadcasting of a (1, B) operand allocates an iteration buffer on every call.
    Z, wide, column = buffers.Z, buffers.dZ, buffers.column
    shifted = buffers.scratch
    np.maximum.reduce(Z, axis=-2, keepdims=True, out=column)  # max (1, B)
    np.copyto(wide, column)
    np.subtract(Z, wide, out=shifted)  # Z - max (n_out, B)
    np.exp(shifted, out=wide)
    np.add.reduce(wide, axis=-2, keepdims=True, out=column)  # sum(exp(Z - max)) (1, B)
    np.log(column, out=column)
    np.copyto(wide, column)
    log_A = np.subtract(shifted, wide, out=shifted)  # Z - max - log(sum(exp(Z - max)))
    return -float(np.vdot(_contiguous(Y, buffers), log_A)) / Z.shape[-1]


def _softmax_cross_entropy_delta_into(buffers, Y) -> None:
    dZ, column = buffers.dZ, buffers.column
    # Summed in Y's own layout, as `delta` sums it (the order of a sum sets its last bits).
    np.add.reduce(Y, axis=-2, keepdims=True, out=column)  # sum_j(Y_j) (1, B)
    np.copyto(dZ, column)
    dZ *= buffers.A  # A * sum_j(Y_j), as A * column
    dZ -= _contiguous(Y, buffers)
    dZ /= dZ.shape[-1]  # dZ = (A * sum_j(Y_j) - Y) / B


def _sigmoid_binary_cross_entropy_value(Z, Y) -> float:
    # -[y log s(z) + (1-y) log(1-s(z))] = max(z, 0) - z y + log(1 + exp(-|z|)): no log(0).
    per_output = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))  # (n_out, B)
    return float(per_output.sum()) / Z.shape[-1]


def _sigmoid_binary_cross_entropy_delta(Z, A, Y) -> np.ndarray:
    # The A (1 - A) of the sigmoid cancels: dZ = (A - Y) / B, exact for any targets (0/1,
    # soft, multi-label), since each output is its own binary problem.
    return (A - Y) / Z.shape[-1]


def _sigmoid_binary_cross_entropy_value_into(buffers, Y) -> float:
    Z, per_output, term = buffers.Z, buffers.scratch, buffers.dZ
    np.maximum(Z, 0, out=per_output)  # max(z, 0)
    np.multiply(Z, _contiguous(Y, buffers), out=term)
    per_output -= term  # max(z, 0) - z y
    np.abs(Z, out=term)
    np.negative(term, out=term)
    np.exp(term, out=term)
    np.log1p(term, out=term)  # log(1 + exp(-|z|))
    per_output += term
    return float(per_output.sum()) / Z.shape[-1]


def _sigmoid_binary_cross_entropy_delta_into(buffers, Y) -> None:
    dZ = np.subtract(buffers.A, _contiguous(Y, buffers), out=buffers.dZ)
    dZ /= dZ.shape[-1]  # dZ = (A - Y) / B


#: (loss class, output activation class) -> its closed forms. The exact classes, not subclasses:
#: a subclass may change the function, and then the closed form no longer holds.
FUSED: dict[tuple[type, type], Fused] = {
    (CrossEntropy, Softmax): Fused(
        _softmax_cross_entropy_value,
        _softmax_cross_entropy_delta,
        _softmax_cross_entropy_value_into,
        _softmax_cross_entropy_delta_into,
    ),
    (BinaryCrossEntropy, Sigmoid): Fused(
        _sigmoid_binary_cross_entropy_value,
        _sigmoid_binary_cross_entropy_delta,
        _sigmoid_binary_cross_entropy_value_into,
        _sigmoid_binary_cross_entropy_delta_into,
    ),
}


def _contiguous(Y: np.ndarray, buffers) -> np.ndarray:
    """Return Y itself if C-ordered, else Y copied into buffers.targets (n_out, B): np.vdot would
    copy a transposed batch of rows, and elementwise work mixing layouts allocates a buffer."""
    if Y.flags.c_contiguous:
        return Y
    np.copyto(buffers.targets, Y)
    return buffers.targets


LOSSES: dict[str, type[Loss]] = {cls.name: cls for cls in (MSE, CrossEntropy, BinaryCrossEntropy)}


def loss_from_name(name: str, **params) -> Loss:
    """Build a loss from its file name ("mse", "cross_entropy", "binary_cross_entropy")."""
    return from_registry(LOSSES, name, "loss", **params)
