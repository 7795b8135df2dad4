"""Flatten: an image (C, H, W) becomes C*H*W features, so dense layers can follow.

Inside the network an image batch is (C, B, H, W) and a feature batch (n, B), one column per
sample (gone.layers.module). Flatten keeps each sample's numbers in the order of
`X.reshape(samples, -1)` at the API, feature c*H*W + h*W + w for pixel (c, h, w):
    forward:   A = A_prev.transpose(0, 2, 3, 1).reshape(C*H*W, B)    # (n, B)
    backward:  dA_prev = dA.reshape(C, H, W, B).transpose(0, 3, 1, 2)   # (C, B, H, W)
Both move numbers and compute none; this is where the image layout meets the dense layers'.
"""

import math

import numpy as np

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
        (n,), B = self.output_shape, A_prev.shape[1]
        return A_prev.transpose(0, 2, 3, 1).reshape(n, B)  # (C, H, W, B) -> (n, B)

    def backward(self, dA, input_gradient=True):
        if not input_gradient:
            return None
        C, H, W = self.input_shape
        return dA.reshape(C, H, W, -1).transpose(0, 3, 1, 2)  # (n, B) -> (C, B, H, W)

    def buffers(self, batch_size, dtype, output=False):
        (n,) = self.output_shape
        return Buffers(A=np.empty((n, batch_size), dtype), dA=np.empty((n, batch_size), dtype))

    def forward_into(self, A_prev, buffers, training=False):
        C, H, W = self.input_shape
        np.copyto(buffers.A.reshape(C, H, W, -1), A_prev.transpose(0, 2, 3, 1))  # (n, B)
        return buffers.A

    def backward_into(self, buffers, gradients, dA_prev):
        if dA_prev is not None:
            C, H, W = self.input_shape
            np.copyto(dA_prev.transpose(0, 2, 3, 1), buffers.dA.reshape(C, H, W, -1))
