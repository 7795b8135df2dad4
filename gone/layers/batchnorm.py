"""BatchNorm: every feature (after a dense layer) or channel (after a convolution) normalized over
the batch, then scaled and shifted by learned gamma and beta (Ioffe & Szegedy 2015).

Features are (n, B) inside the network and images (C, H, W, B); either way the values of one
feature or channel are a row of the 2-D view X (ch, M), M = B or H*W*B, so one formula serves
both. In training, with the batch's statistics:
    mean = sum(X, axis 1) / M                       # (ch, 1)
    Xc = X - mean                                   # (ch, M)
    var = sum(Xc * Xc, axis 1) / M                  # (ch, 1), the batch's own (biased)
    inv_std = 1 / sqrt(var + epsilon)               # (ch, 1)
    X_hat = Xc * inv_std                            # (ch, M)
    Z = gamma * X_hat + beta;  A = f(Z)             # (ch, M); f: the activation, Identity by default
and the running statistics follow, for predict and evaluate:
    running_mean = momentum * running_mean + (1 - momentum) * mean
    running_var = momentum * running_var + (1 - momentum) * var * M / (M - 1)   # unbiased
In predict and evaluate, X_hat = (X - running_mean) / sqrt(running_var + epsilon) instead.
Backward through the batch statistics (the full formula, not the one for fixed statistics):
    dZ = dA * f'(Z)
    dbeta = sum(dZ, axis 1);  dgamma = sum(dZ * X_hat, axis 1)           # (ch, 1)
    dX = gamma * inv_std * (dZ - dbeta / M - X_hat * dgamma / M)          # (ch, M)
"""

import numpy as np

from gone._checks import check_instance, check_number
from gone.activations import Activation, Identity, Softmax
from gone.errors import ConfigError
from gone.layers.module import Module
from gone.workspace import LayerBuffers


class BatchNorm(Module):
    """Normalize each feature or channel over the batch; learn its scale gamma and shift beta.

    `momentum` weighs the running statistics' past (in [0, 1)); `epsilon` keeps the division
    finite; `activation` (Identity by default) is applied after the shift, so a convolution
    without activation, then BatchNorm(activation=ReLU()), is the usual conv, norm, ReLU.

    Arrays once in a network: gamma and beta (ch, 1), trainable; running_mean and running_var
    (ch, 1), learned without gradients. ch is the features of a (n,) input or the channels of a
    (C, H, W) one.

    >>> BatchNorm()
    BatchNorm(momentum=0.9, epsilon=1e-05, activation=Identity())
    """

    kind = "batch_norm"
    parameter_names = ("gamma", "beta")
    statistic_names = ("running_mean", "running_var")

    def __init__(self, momentum: float = 0.9, epsilon: float = 1e-5, activation=None):
        self.momentum = check_number(momentum, "BatchNorm momentum", minimum=0, below=1)
        self.epsilon = check_number(epsilon, "BatchNorm epsilon", above=0)
        self.activation = Identity() if activation is None else activation
        check_instance(
            self.activation, Activation, "BatchNorm activation", "an Activation such as gone.ReLU()"
        )
        if isinstance(self.activation, Softmax):
            raise ConfigError(
                "BatchNorm activation: expected an elementwise activation such as gone.ReLU(), "
                "got Softmax (put it on the output gone.Layer)"
            )

    def config(self) -> dict:
        return {"momentum": self.momentum, "epsilon": self.epsilon, "activation": self.activation}

    def _build(self, input_shape, where):
        if len(input_shape) not in (1, 3):
            raise ConfigError(
                f"{where} BatchNorm: expected features (n,) or an image (C, H, W), got {input_shape}"
            )
        return input_shape

    def parameter_shapes(self):
        return [(self.input_shape[0], 1)] * 2

    def statistic_shapes(self):
        return [(self.input_shape[0], 1)] * 2

    def initialize(self, rng, initializer):
        ch = self.input_shape[0]
        self.gamma = np.ones((ch, 1), self.dtype)  # starts as the identity: Z = X_hat
        self.beta = np.zeros((ch, 1), self.dtype)
        self.running_mean = np.zeros((ch, 1), self.dtype)
        self.running_var = np.ones((ch, 1), self.dtype)

    def check_batch_size(self, batch_size, where):
        if len(self.input_shape) == 1 and batch_size < 2:
            raise ConfigError(
                f"{where} BatchNorm: expected batches of at least 2 samples to take statistics "
                f"over, got batch_size {batch_size} (gone.SGD() trains one sample at a time)"
            )

    def _rows(self, A: np.ndarray) -> np.ndarray:
        """The (ch, M) view of a batch: one row per feature or channel."""
        return A.reshape(self.input_shape[0], -1)

    # ---- the math ------------------------------------------------------------------------

    def forward(self, A_prev, training=False):
        X = self._rows(A_prev)  # (ch, M)
        M = X.shape[1]
        if training:
            mean = X.sum(axis=1, keepdims=True) / M  # (ch, 1)
            Xc = X - mean  # (ch, M)
            var = (Xc * Xc).sum(axis=1, keepdims=True) / M  # (ch, 1)
            inv_std = 1 / np.sqrt(var + self.epsilon)  # (ch, 1)
            X_hat = Xc * inv_std  # (ch, M)
            self._update_running(mean, var, M)
        else:
            inv_std = 1 / np.sqrt(self.running_var + self.epsilon)  # (ch, 1)
            X_hat = (X - self.running_mean) * inv_std  # (ch, M)
        Z = self.gamma * X_hat  # (ch, M)
        Z += self.beta
        Z = Z.reshape(A_prev.shape)
        A = self.activation.forward(Z)
        self.saved = (X_hat, inv_std, Z, A, training)
        return A

    def _update_running(self, mean, var, M: int) -> None:
        m = self.momentum
        self.running_mean *= m
        self.running_mean += (1 - m) * mean
        self.running_var *= m
        self.running_var += (1 - m) * M / max(M - 1, 1) * var  # the unbiased variance

    def backward(self, dA, input_gradient=True):
        X_hat, inv_std, Z, A, training = self.saved
        dZ = self._rows(self.activation.backward(dA, Z, A))  # (ch, M)
        M = dZ.shape[1]
        self.dbeta = dZ.sum(axis=1, keepdims=True)  # (ch, 1)
        self.dgamma = (dZ * X_hat).sum(axis=1, keepdims=True)  # (ch, 1)
        if not input_gradient:
            return None
        scale = self.gamma * inv_std  # (ch, 1)
        if not training:  # fixed statistics: X_hat is linear in X
            return (dZ * scale).reshape(dA.shape)
        dX = X_hat * (self.dgamma / M)  # (ch, M)
        np.subtract(dZ, dX, out=dX)
        dX -= self.dbeta / M
        dX *= scale  # dX = gamma inv_std (dZ - dbeta / M - X_hat dgamma / M)
        return dX.reshape(dA.shape)

    # ---- in place --------------------------------------------------------------------------

    def buffers(self, batch_size, dtype, output=False):
        ch = self.input_shape[0]
        shape = (*self.input_shape, batch_size)  # (n, B) or (C, H, W, B)
        buffers = NormBuffers.of_shape(shape, dtype)
        buffers.X_hat = np.empty(shape, dtype)
        buffers.stats = np.empty((4, ch, 1), dtype)  # mean, var, inv_std, and one to spare
        return buffers

    def forward_into(self, A_prev, buffers, training=False):
        X = self._rows(A_prev)  # (ch, M)
        M = X.shape[1]
        X_hat, Z = self._rows(buffers.X_hat), self._rows(buffers.Z)
        mean, var, inv_std, spare = buffers.stats
        np.add.reduce(X, axis=1, keepdims=True, out=mean)
        mean /= M
        np.subtract(X, mean, out=X_hat)  # Xc
        np.multiply(X_hat, X_hat, out=Z)
        np.add.reduce(Z, axis=1, keepdims=True, out=var)
        var /= M
        np.add(var, self.epsilon, out=inv_std)
        np.sqrt(inv_std, out=inv_std)
        np.divide(1, inv_std, out=inv_std)
        X_hat *= inv_std  # X_hat = Xc * inv_std
        self._update_running(mean, var, M)
        np.multiply(self.gamma, X_hat, out=Z)
        Z += self.beta  # Z = gamma X_hat + beta
        self.activation.forward_into(buffers)
        return buffers.A

    def backward_into(self, buffers, gradients, dA_prev):
        self.activation.backward_into(buffers)  # dZ = dA * f'(Z), in place
        dgamma, dbeta = gradients
        dZ, X_hat, dX = self._rows(buffers.dZ), self._rows(buffers.X_hat), buffers.scratch
        dX = self._rows(dX)
        M = dZ.shape[1]
        np.add.reduce(dZ, axis=1, keepdims=True, out=dbeta)
        np.multiply(dZ, X_hat, out=dX)
        np.add.reduce(dX, axis=1, keepdims=True, out=dgamma)
        if dA_prev is None:
            return
        inv_std, column = buffers.stats[2], buffers.stats[3]
        np.divide(dgamma, M, out=column)
        np.multiply(X_hat, column, out=dX)  # X_hat * (dgamma / M)
        np.subtract(dZ, dX, out=dX)
        np.divide(dbeta, M, out=column)
        dX -= column
        np.multiply(self.gamma, inv_std, out=column)  # scale = gamma inv_std
        np.multiply(dX, column, out=self._rows(dA_prev))


class NormBuffers(LayerBuffers):
    """A batch norm's arrays at one batch size: its activation's, X_hat of the same shape, and
    stats (4, ch, 1): the batch's mean, variance and 1 / std, and a column for the backward pass."""

    __slots__ = ("X_hat", "stats")
