"""MaxPool2D and AvgPool2D: the largest or the mean value of every window, channel by channel.

Images are (C, H, W, B) inside the network. A kh x kw window moves with strides (sh, sw); the
output is (C, Ho, Wo, B). Each formula is written over the kh * kw shifted views of the input
(gone.layers.windows.shifted): view (i, j) holds, for every window, its pixel at offset (i, j),
so a pooling layer is kh * kw elementwise operations on (C, Ho, Wo, B) arrays, never a loop over
samples, channels or pixels.
    max:      M = maximum over the views        dA_prev[first maximum of each window] = dM
    average:  M = (sum of the views) / (kh kw)   dA_prev[every pixel of a window] += dM / (kh kw)
A window's gradient goes to its first maximum in reading order (row by row), as PyTorch's does:
with ties, one pixel takes it, not each of them.
"""

import numpy as np

from gone.errors import ShapeError
from gone.layers.module import Buffers, Module, check_image_input
from gone.layers.windows import offsets, output_size, pair, shifted


class _Pool2D(Module):
    """What both poolings share: the window, its positions and its buffers."""

    def __init__(self, pool_size, stride=None):
        name = type(self).__name__
        self.pool_size = pair(pool_size, f"{name} pool_size", 1)
        self.stride = self.pool_size if stride is None else pair(stride, f"{name} stride", 1)

    def config(self) -> dict:
        return {"pool_size": self.pool_size, "stride": self.stride}

    def _build(self, input_shape, where):
        name = type(self).__name__
        C, H, W = check_image_input(input_shape, name, where)
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        Ho, Wo = output_size(H, kh, sh), output_size(W, kw, sw)
        if Ho < 1 or Wo < 1:
            raise ShapeError(
                f"{where} {name}: expected a window that fits the input: {kh}x{kw} does not "
                f"fit {H}x{W}"
            )
        # Windows that neither overlap nor leave pixels out: every pixel of the input is in
        # exactly one window, so the backward pass writes each once instead of adding.
        self._tiles = (sh, sw) == (kh, kw) and H % kh == 0 and W % kw == 0
        return (C, Ho, Wo)

    def _views(self, A: np.ndarray) -> list[np.ndarray]:
        """The kh * kw shifted views (C, Ho, Wo, B) of A (C, H, W, B), in reading order."""
        out = self.output_shape[1:]
        return [shifted(A, i, j, out, self.stride) for i, j in offsets(self.pool_size)]

    def buffers(self, batch_size, dtype, output=False):
        C, Ho, Wo = self.output_shape
        shape = (C, Ho, Wo, batch_size)
        return Buffers(
            A=np.empty(shape, dtype),  # (C, Ho, Wo, B)
            dA=np.empty(shape, dtype),  # dL/dM, written by the layer above
            share=np.empty(shape, dtype),  # a window's gradient for one of its pixels
            hit=np.empty(shape, bool),  # max: the windows whose maximum is at this offset
            free=np.empty(shape, bool),  # max: the windows whose maximum is not yet found
            A_prev=None,
        )


class MaxPool2D(_Pool2D):
    """The largest value of every `pool_size` window (an int or (kh, kw)), moved by `stride`
    (default: the window itself, so windows do not overlap).

    >>> MaxPool2D(2)
    MaxPool2D(pool_size=(2, 2), stride=(2, 2))
    """

    kind = "max_pool2d"

    def forward(self, A_prev, training=False):
        views = self._views(A_prev)
        M = views[0].copy()  # (C, Ho, Wo, B)
        for view in views[1:]:
            np.maximum(M, view, out=M)  # M = maximum over the window
        self.saved = (A_prev, M)
        return M

    def backward(self, dA, input_gradient=True):
        if not input_gradient:
            return None
        A_prev, M = self.saved
        dA_prev = np.zeros_like(A_prev)  # (C, H, W, B): pixels that are no maximum get 0
        free = np.ones(M.shape, bool)  # windows whose gradient is still to be routed
        views, last = self._views(A_prev), len(self._views(A_prev)) - 1
        for k, (view, target) in enumerate(zip(views, self._views(dA_prev), strict=True)):
            # The window's first maximum is at this offset; where none came before the last
            # offset, the maximum is there (M is one of the window's values).
            hit = free if k == last else (view == M) & free
            free = free & ~hit
            if self._tiles:
                target[...] = dA * hit  # (C, Ho, Wo, B)
            else:
                target += dA * hit
        return dA_prev

    def forward_into(self, A_prev, buffers, training=False):
        buffers.A_prev = A_prev
        views, M = self._views(A_prev), buffers.A
        np.copyto(M, views[0])
        for view in views[1:]:
            np.maximum(M, view, out=M)  # M = maximum over the window
        return M

    def backward_into(self, buffers, gradients, dA_prev):
        if dA_prev is None:
            return
        M, hit, free, share = buffers.A, buffers.hit, buffers.free, buffers.share
        if not self._tiles:
            dA_prev.fill(0)
        views = self._views(buffers.A_prev)
        last = len(views) - 1
        for k, (view, target) in enumerate(zip(views, self._views(dA_prev), strict=True)):
            if k == 0:  # every window is still free: no need to and with `free`
                np.equal(view, M, out=hit)
                np.logical_not(hit, out=free)
            elif k < last:
                np.equal(view, M, out=hit)
                hit &= free  # the window's first maximum is at this offset
                np.not_equal(free, hit, out=free)  # free &= ~hit, for hit within free
            else:
                hit = free  # where no offset before held the maximum, this one does
            if self._tiles:
                np.multiply(buffers.dA, hit, out=target)
            else:
                target += np.multiply(buffers.dA, hit, out=share)


class AvgPool2D(_Pool2D):
    """The mean of every `pool_size` window (an int or (kh, kw)), moved by `stride` (default: the
    window itself).

    >>> AvgPool2D(2)
    AvgPool2D(pool_size=(2, 2), stride=(2, 2))
    """

    kind = "avg_pool2d"

    def forward(self, A_prev, training=False):
        views = self._views(A_prev)
        M = views[0].copy()  # (C, Ho, Wo, B)
        for view in views[1:]:
            M += view
        M /= len(views)  # M = the window's sum / (kh kw)
        self.saved = A_prev.shape
        return M

    def backward(self, dA, input_gradient=True):
        if not input_gradient:
            return None
        dA_prev = np.zeros(self.saved, dA.dtype)  # (C, H, W, B)
        share = dA / len(self._views(dA_prev))  # each pixel's part of its window's gradient
        for target in self._views(dA_prev):
            target += share
        return dA_prev

    def forward_into(self, A_prev, buffers, training=False):
        views, M = self._views(A_prev), buffers.A
        np.copyto(M, views[0])
        for view in views[1:]:
            M += view
        M /= len(views)
        return M

    def backward_into(self, buffers, gradients, dA_prev):
        if dA_prev is None:
            return
        dA_prev.fill(0)
        targets = self._views(dA_prev)
        share = np.divide(buffers.dA, len(targets), out=buffers.share)
        for target in targets:
            target += share
