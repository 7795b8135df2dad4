"""Windows over images, for convolutions and pooling: sizes, patches and shifted views.

Images are (C, H, W, B) inside a network (the samples last, as a dense layer's columns). A layer
that slides a kh x kw window with strides (sh, sw) over an image of H x W (after padding) has
    Ho = (H - kh) // sh + 1,   Wo = (W - kw) // sw + 1
window positions, and every window is a view of the image: nothing here copies.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from gone._checks import check_int, shown
from gone.errors import ConfigError


def pair(value, what: str, minimum: int) -> tuple[int, int]:
    """Return an int or an (int, int) pair as a pair of ints >= minimum: 5 -> (5, 5)."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2:
        raise ConfigError(f"{what}: expected an int or a pair of ints, got {shown(value)}")
    return tuple(check_int(v, what, minimum) for v in values)


def output_size(size: int, kernel: int, stride: int, padding: int = 0) -> int:
    """The number of window positions along one axis: (size + 2 padding - kernel) // stride + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def patches(A: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Return the view (C, kh, kw, Ho, Wo, B) of every window of A (C, H, W, B):
    patches[c, i, j, y, x, b] = A[c, y * sh + i, x * sw + j, b].

    Reshaped to (C * kh * kw, Ho * Wo * B), a copy, it is the matrix of image patches a
    convolution multiplies: one column per output pixel of every sample ("im2col").
    """
    (kh, kw), (sh, sw) = kernel, stride
    windows = sliding_window_view(A, (kh, kw), axis=(1, 2))  # (C, H-kh+1, W-kw+1, B, kh, kw)
    return windows[:, ::sh, ::sw].transpose(0, 4, 5, 1, 2, 3)  # (C, kh, kw, Ho, Wo, B)


def shifted(A: np.ndarray, i: int, j: int, out: tuple[int, int], stride: tuple[int, int]):
    """Return the view (C, Ho, Wo, B) of A (C, H, W, B) at kernel offset (i, j): the pixel that
    position (i, j) of every window sees, A[:, y * sh + i, x * sw + j, :]."""
    (Ho, Wo), (sh, sw) = out, stride
    return A[:, i : i + sh * (Ho - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw]


def offsets(kernel: tuple[int, int]) -> list[tuple[int, int]]:
    """The kernel offsets (i, j), row by row: the order windows are read in (ties go to the first)."""
    kh, kw = kernel
    return [(i, j) for i in range(kh) for j in range(kw)]
