"""Conv2D: a 2-D convolution, the dense layer's product applied to every image patch.

Images are (C, H, W, B) inside the network (the samples last, as a dense layer's columns). A
kernel W (F, C, kh, kw) with a bias b (F, 1) per filter slides over the zero-padded input; each
output pixel is one dense product over the C * kh * kw numbers under the window. Written as
matrices ("im2col"), the whole batch is one product:
    cols = patches of A_pad                 # (K, P): K = C*kh*kw rows, P = Ho*Wo*B columns
    Z = W.reshape(F, K) @ cols + b          # (F, P), which is (F, Ho, Wo, B): no transpose
    A = f(Z)                                # (F, Ho, Wo, B)
and the backward pass is the dense layer's, with patches for samples:
    dZ = dA * f'(Z)                         # (F, P)
    dW = (cols @ dZ.T).T                    # dZ @ cols.T, (F, K) -> (F, C, kh, kw)
    db = sum of dZ over P                   # (F, 1)
    dcols = W.reshape(F, K).T @ dZ          # (K, P)
    dA_prev = col2im(dcols)                 # each patch's gradient added back where it was read
col2im loops over the kh * kw kernel offsets (25 for a 5x5 kernel), never over samples, channels
or pixels: offset (i, j) adds the (C, Ho, Wo, B) block dcols[:, i, j] onto the pixels it read.
"""

import numpy as np

from gone._checks import check_instance, check_int
from gone.activations import Activation, Identity, Softmax
from gone.errors import ConfigError, ShapeError
from gone.layers.module import Module, check_image_input
from gone.layers.windows import output_size, pair, patches, shifted
from gone.workspace import LayerBuffers


class Conv2D(Module):
    """`filters` kernels of `kernel_size` (an int or (kh, kw)) sliding with `stride` over the
    input padded with `padding` zeros on every side; `activation` applied to every output.

    Arrays once in a network: W (filters, channels, kh, kw), b (filters, 1). The initializer sees
    each filter as a dense node over its window: fan_in = channels * kh * kw, fan_out = filters.

    >>> Conv2D(8, 5, padding=2, activation=ReLU())
    Conv2D(filters=8, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), activation=ReLU())
    """

    kind = "conv2d"
    parameter_names = ("W", "b")
    decayed = ("W",)

    def __init__(self, filters: int, kernel_size, stride=1, padding=0, activation=None):
        self.filters = check_int(filters, "Conv2D filters", 1)
        self.kernel_size = pair(kernel_size, "Conv2D kernel_size", 1)
        self.stride = pair(stride, "Conv2D stride", 1)
        self.padding = pair(padding, "Conv2D padding", 0)
        self.activation = Identity() if activation is None else activation
        check_instance(
            self.activation,
            Activation,
            "Conv2D activation",
            "an Activation instance such as gone.ReLU()",
        )
        if isinstance(self.activation, Softmax):
            raise ConfigError(
                "Conv2D activation: expected an elementwise activation such as gone.ReLU(), got "
                "Softmax (it normalises a dense layer's nodes: put it on the output gone.Layer)"
            )

    def config(self) -> dict:
        return {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "stride": self.stride,
            "padding": self.padding,
            "activation": self.activation,
        }

    def _build(self, input_shape, where):
        C, H, W = check_image_input(input_shape, "Conv2D", where)
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        Ho, Wo = output_size(H, kh, sh, ph), output_size(W, kw, sw, pw)
        if Ho < 1 or Wo < 1:
            raise ShapeError(
                f"{where} Conv2D: expected a kernel that fits the input: {kh}x{kw} does not fit "
                f"{H}x{W} padded by {ph}x{pw}"
            )
        return (self.filters, Ho, Wo)

    @property
    def _K(self) -> int:
        """The numbers under one window: channels * kh * kw."""
        return self.input_shape[0] * self.kernel_size[0] * self.kernel_size[1]

    def parameter_shapes(self):
        return [(self.filters, self.input_shape[0], *self.kernel_size), (self.filters, 1)]

    def initialize(self, rng, initializer):
        W, self.b = initializer(self._K, self.filters, rng, self.dtype)  # (F, K), (F, 1)
        self.W = W.reshape(self.parameter_shapes()[0])  # (F, C, kh, kw), the same numbers

    def numbers_per_sample(self):
        F, Ho, Wo = self.output_shape
        return (self._K + 4 * F) * Ho * Wo  # the patches, Z, A and their gradients

    # ---- the math ------------------------------------------------------------------------

    def forward(self, A_prev, training=False):
        F, Ho, Wo = self.output_shape
        B = A_prev.shape[-1]
        (ph, pw) = self.padding
        A_pad = A_prev
        if ph or pw:
            A_pad = np.pad(A_prev, ((0, 0), (ph, ph), (pw, pw), (0, 0)))  # (C, H+2ph, W+2pw, B)
        cols = patches(A_pad, self.kernel_size, self.stride).reshape(self._K, Ho * Wo * B)  # (K, P)
        Z = self.W.reshape(F, self._K) @ cols  # (F, P)
        Z += self.b  # b (F, 1) broadcasts over every pixel of every sample
        Z = Z.reshape(F, Ho, Wo, B)
        A = self.activation.forward(Z)  # (F, Ho, Wo, B)
        self.saved = (A_prev.shape, cols, Z, A)
        return A

    def backward(self, dA, input_gradient=True):
        shape, cols, Z, A = self.saved
        F = self.filters
        dZ = self.activation.backward(dA, Z, A).reshape(F, -1)  # dZ = dA * f'(Z)  (F, P)
        # dW = dZ @ cols.T, computed as (cols @ dZ.T).T: the same sums, and OpenBLAS runs a
        # product of few rows and a long inner dimension up to twice as fast in this order.
        self.dW = (cols @ dZ.T).T.reshape(self.W.shape)  # (K, F) -> (F, K) -> (F, C, kh, kw)
        self.db = dZ.sum(axis=1, keepdims=True)  # (F, 1)
        if not input_gradient:  # the first layer: skip the product and col2im
            return None
        dcols = self.W.reshape(F, self._K).T @ dZ  # (K, P)
        C, H, W, B = shape
        (ph, pw) = self.padding
        dA_pad = np.zeros((C, H + 2 * ph, W + 2 * pw, B), dcols.dtype)
        self._col2im(dcols, dA_pad)
        return dA_pad[:, ph : ph + H, pw : pw + W]  # (C, H, W, B)

    def _col2im(self, dcols: np.ndarray, dA_pad: np.ndarray) -> None:
        """Add every patch's gradient dcols (K, P) onto the pixels of dA_pad (C, Hp, Wp, B) it was
        read from: one addition of a (C, Ho, Wo, B) block per kernel offset."""
        C, kh, kw = self.input_shape[0], *self.kernel_size
        _, Ho, Wo = self.output_shape
        blocks = dcols.reshape(C, kh, kw, Ho, Wo, -1)  # (C, kh, kw, Ho, Wo, B)
        for i in range(kh):
            for j in range(kw):
                shifted(dA_pad, i, j, (Ho, Wo), self.stride)[...] += blocks[:, i, j]

    # ---- in place --------------------------------------------------------------------------

    def buffers(self, batch_size, dtype, output=False):
        C, H, W = self.input_shape
        F, Ho, Wo = self.output_shape
        (ph, pw) = self.padding
        buffers = ConvBuffers.of_shape((F, Ho, Wo, batch_size), dtype)
        padded = (C, H + 2 * ph, W + 2 * pw, batch_size)
        # The padding's zeros are written once: forward_into writes only the inside.
        buffers.padded = np.zeros(padded, dtype) if ph or pw else None
        buffers.cols = np.empty((self._K, Ho * Wo * batch_size), dtype)  # (K, P)
        buffers.dcols = np.empty_like(buffers.cols)  # (K, P)
        buffers.dW_T = np.empty((self._K, F), dtype)  # (K, F)
        buffers.dpadded = np.empty(padded, dtype) if ph or pw else None
        return buffers

    def forward_into(self, A_prev, buffers, training=False):
        F, Ho, Wo = self.output_shape
        (ph, pw) = self.padding
        source = A_prev  # (C, H, W, B)
        if buffers.padded is not None:
            source = buffers.padded
            H, W = A_prev.shape[1:3]
            np.copyto(source[:, ph : ph + H, pw : pw + W], A_prev)
        C, B = A_prev.shape[0], A_prev.shape[-1]
        cols = buffers.cols.reshape(
            C, *self.kernel_size, Ho, Wo, B
        )  # (K, P) as (C, kh, kw, Ho, Wo, B)
        np.copyto(cols, patches(source, self.kernel_size, self.stride))  # im2col
        Z = buffers.Z.reshape(F, -1)  # (F, P), a view
        np.matmul(self.W.reshape(F, self._K), buffers.cols, out=Z)  # Z = W @ cols
        Z += self.b  # + b
        self.activation.forward_into(buffers)  # A = f(Z)  (F, Ho, Wo, B)
        return buffers.A

    def backward_into(self, buffers, gradients, dA_prev):
        F = self.filters
        self.activation.backward_into(buffers)  # dZ = dA * f'(Z), in place
        dW, db = gradients
        dZ = buffers.dZ.reshape(F, -1)  # (F, P)
        np.matmul(buffers.cols, dZ.T, out=buffers.dW_T)  # (K, F): dW = (cols @ dZ.T).T
        np.copyto(dW.reshape(F, self._K), buffers.dW_T.T)
        np.add.reduce(dZ, axis=1, keepdims=True, out=db)  # db = sum of dZ over P
        if dA_prev is None:  # the first layer: skip the product and col2im
            return
        np.matmul(self.W.reshape(F, self._K).T, dZ, out=buffers.dcols)  # dcols = W.T @ dZ
        (ph, pw) = self.padding
        target = dA_prev if buffers.dpadded is None else buffers.dpadded
        target.fill(0)
        self._col2im(buffers.dcols, target)
        if buffers.dpadded is not None:
            H, W = dA_prev.shape[1:3]
            np.copyto(dA_prev, target[:, ph : ph + H, pw : pw + W])


class ConvBuffers(LayerBuffers):
    """A convolution's arrays at one batch size: those of its activation, (F, Ho, Wo, B), and
    padded (C, Hp, Wp, B) (None without padding), cols and dcols (K, P), dpadded like padded,
    dW_T (K, F)."""

    __slots__ = ("padded", "cols", "dcols", "dpadded", "dW_T")
