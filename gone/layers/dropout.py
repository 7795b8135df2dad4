"""Dropout: in training, each value is kept with probability 1 - rate and scaled up by
1 / (1 - rate) ("inverted dropout": the expected value stays the same, so predicting needs no
change); in predict and evaluate it passes everything through (Srivastava et al. 2014).

    forward (training):  keep = (u >= rate) for u uniform on [0, 1), one per value
                         A = A_prev * keep * (1 / (1 - rate))
    backward:            dA_prev = dA * keep * (1 / (1 - rate))
The masks come from the network's Generator (`net.rng`), so the same seed gives the same
masks, bit for bit. Any layout works: the mask has the shape of the batch.
"""

import numpy as np

from gone._checks import check_number
from gone.layers.module import Buffers, Module


class Dropout(Module):
    """Drop each value with probability `rate` (in [0, 1)) while training.

    >>> Dropout(0.5)
    Dropout(rate=0.5)
    """

    kind = "dropout"
    uses_rng = True
    rng: np.random.Generator | None = None  # the network's, set by the network

    def __init__(self, rate: float):
        self.rate = check_number(rate, "Dropout rate", minimum=0, below=1)
        self._fixed = False
        self._keep = None

    def config(self) -> dict:
        return {"rate": self.rate}

    def _build(self, input_shape, where):
        return input_shape

    def fix_mask(self, fixed: bool) -> None:
        """While fixed, the first training pass draws a mask and every later one reuses it (what
        a gradient check needs: one function of the parameters); unfixed, each pass draws anew."""
        self._fixed, self._keep = bool(fixed), None

    def _mask(self, shape, dtype, u=None) -> np.ndarray:
        """The boolean mask of kept values for a batch of `shape`, drawn from the network's
        Generator (into `u`, if given: a step allocates nothing)."""
        if self._fixed and self._keep is not None and self._keep.shape == shape:
            return self._keep
        u = self.rng.random(shape, dtype) if u is None else self.rng.random(dtype=dtype, out=u)
        keep = u >= self.rate  # (like A)
        if self._fixed:
            self._keep = keep.copy()
        return keep

    def forward(self, A_prev, training=False):
        if not training or self.rate == 0:
            self.saved = None
            return A_prev
        keep = self._mask(A_prev.shape, A_prev.dtype)
        A = A_prev * keep
        A *= 1 / (1 - self.rate)
        self.saved = keep
        return A

    def backward(self, dA, input_gradient=True):
        if not input_gradient or self.saved is None:
            return dA if input_gradient else None
        dA_prev = dA * self.saved
        dA_prev *= 1 / (1 - self.rate)
        return dA_prev

    def buffers(self, batch_size, dtype, output=False):
        shape = (*self.output_shape, batch_size)  # (n, B) or (C, H, W, B)
        return Buffers(
            A=np.empty(shape, dtype),
            dA=np.empty(shape, dtype),
            u=np.empty(shape, dtype),  # the uniform draws
            keep=np.empty(shape, bool),
        )

    def forward_into(self, A_prev, buffers, training=False):
        if not training or self.rate == 0:
            buffers.keep.fill(True)
            np.copyto(buffers.A, A_prev)
            return buffers.A
        keep = self._mask(A_prev.shape, A_prev.dtype, buffers.u)
        if keep is not buffers.keep:
            np.copyto(buffers.keep, keep)
        np.multiply(A_prev, buffers.keep, out=buffers.A)
        buffers.A *= 1 / (1 - self.rate)
        return buffers.A

    def backward_into(self, buffers, gradients, dA_prev):
        if dA_prev is not None:
            np.multiply(buffers.dA, buffers.keep, out=dA_prev)
            if self.rate:
                dA_prev *= 1 / (1 - self.rate)
