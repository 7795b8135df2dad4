"""Flatten: an image (C, H, W) becomes C*H*W features, so dense layers can follow.

Inside the network an image batch is (C, H, W, B) and a feature batch (n, B), one column per
sample (gone.layers.module): with the samples last in both, flattening is a reshape,
    forward:   A = A_prev.reshape(C*H*W, B)          # (n, B)
    backward:  dA_prev = dA.reshape(C, H, W, B)      # (C, H, W, B)
and each sample keeps its numbers in the order of `X.reshape(samples, -1)` at the API: feature
c*H*W + h*W + w is pixel (c, h, w). No number is computed, and none is copied where each
sample's pixels are one run of memory (a network's own arrays, and the rows of a batch, are).
"""

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from gone.layers.module import Buffers, Module, check_image_input


class Flatten(Module):
    """Turn every image sample (C, H, W) into C*H*W features, in the order of a numpy reshape.

    >>> Flatten()
    Flatten()
    """

    kind = "flatten"

    def _build(self, input_shape, where):
        check_image_input(input_shape, "Flatten", where)
        return (math.prod(input_shape),)

    def forward(self, A_prev, training=False):
        (n,) = self.output_shape
        return A_prev.reshape(n, A_prev.shape[-1])  # (C, H, W, B) -> (n, B)

    def backward(self, dA, input_gradient=True):
        if not input_gradient:
            return None
        return dA.reshape(*self.input_shape, dA.shape[-1])  # (n, B) -> (C, H, W, B)

    def buffers(self, batch_size, dtype, output=False):
        (n,) = self.output_shape
        shape = (n, batch_size)
        return Buffers(A=np.empty(shape, dtype), dA=np.empty(shape, dtype))

    def forward_into(self, A_prev, buffers, training=False):
        C, H, W, B = A_prev.shape
        step = A_prev.strides[2]
        if A_prev.strides[:2] == (H * W * step, W * step):
            # Each sample's pixels are one run of memory (the layer before's own array, or the
            # batch's rows themselves): the features are a view, as numpy's reshape would give.
            return as_strided(A_prev, buffers.A.shape, (step, A_prev.strides[3]), writeable=False)
        np.copyto(buffers.A.reshape(A_prev.shape), A_prev)
        return buffers.A

    def backward_into(self, buffers, gradients, dA_prev):
        if dA_prev is not None:
            np.copyto(dA_prev, buffers.dA.reshape(dA_prev.shape))
