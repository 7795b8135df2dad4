"""The forward pass of P networks at once, with the individuals on the last axis.

The population's parameters are views into its genes in columns (see `layout`): W[l]
(n_{l+1}, n_l, P) and b[l] (n_{l+1}, P). With one observation per individual the activations
carry P last too, A (n_l, P), and for layer l:

    Z[i, p] = sum_j W[l][i, j, p] * A[j, p] + b[l][i, p]      # (n_{l+1}, P)
    A' = f_l(Z)                                               # (n_{l+1}, P)

One einsum per layer does the sum: for each (i, j) it runs over P contiguous individuals at once,
where a stacked matmul (P, n_{l+1}, n_l) @ (P, n_l, 1) makes P tiny BLAS calls, one per
individual (on a 5-8-1 network it is 2x faster at P = 1,000; benchmarks/neuroevolution.py). The
sum over j is taken in order, one rounded product after another, whatever P and wherever
individual p sits, so an individual's outputs do not depend on who else is in the population.

A small batch per individual (B < MATMUL_BATCH) goes the same way, A (B, n_l, P). A large one
is a real matrix product per individual, in which every weight meets B samples: there one
np.matmul per layer on the P-first view of the weights, (P, n_{l+1}, n_l) @ (P, n_l, B), is
the faster (each weight is reused from cache).
Activations see the nodes on axis -2 on both ways, as they expect (Softmax normalises over it).
"""

import numpy as np

from gone.activations import Activation

#: From this many samples per individual on, a batch is computed by one matmul per layer: below it
#: the einsum is faster (4 samples, P = 1,000: 1.3x on a 8-16-4 network, 2.6x on 2-4-1), above
#: it BLAS (16 samples, P = 50: 1.8x on 8-16-4; 128 samples: 1.4x to 5x on 64-32-10).
MATMUL_BATCH = 8


def predict(
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    activations: list[Activation],
    X: np.ndarray,
    dtype,
) -> np.ndarray:
    """Return every individual's outputs for inputs `X` as the public API has them.

    `X` (P, n_in) -> (P, n_out); (P, B, n_in) -> (P, B, n_out); (1, B, n_in), the same batch for
    every individual, -> (P, B, n_out). Shapes are the caller's to check; the outputs are views
    of one new array of `dtype`.
    """
    if X.ndim == 2:
        A0 = np.ascontiguousarray(X.T, dtype=dtype)  # (n_in, P)
        return _individuals_last(weights, biases, activations, A0, "ijp,jp->ip").T
    if X.shape[1] >= MATMUL_BATCH:
        A0 = np.asarray(X, dtype=dtype).transpose(0, 2, 1)  # (P or 1, n_in, B), a view
        return _stacked(weights, biases, activations, A0).transpose(0, 2, 1)
    if X.shape[0] == 1:  # shared: the batch is used as it is, not copied P times
        A0 = np.asarray(X[0], dtype=dtype)  # (B, n_in)
        first = "ijp,bj->bip"
    else:
        A0 = np.ascontiguousarray(X.transpose(1, 2, 0), dtype=dtype)  # (B, n_in, P)
        first = "ijp,bjp->bip"
    A = _individuals_last(weights, biases, activations, A0, first, "ijp,bjp->bip")
    return A.transpose(2, 0, 1)  # (B, n_out, P) -> (P, B, n_out)


def _individuals_last(weights, biases, activations, A0, first: str, later: str | None = None):
    """One einsum per layer: A0 (n_in, P) or (B, n_in, P) -> (n_out, P) or (B, n_out, P)."""
    subscripts, A = first, A0
    for W, b, f in zip(weights, biases, activations, strict=True):
        Z = np.einsum(subscripts, W, A)  # (n_{l+1}, P) or (B, n_{l+1}, P)
        Z += b  # b (n_{l+1}, P) broadcasts over the batch
        A = f.forward(Z)
        subscripts = later or first
    return A


def _stacked(weights, biases, activations, A0):
    """One matmul per layer: A0 (P or 1, n_in, B) -> (P, n_out, B)."""
    A = A0
    for W, b, f in zip(weights, biases, activations, strict=True):
        Z = W.transpose(2, 0, 1) @ A  # (P, n_{l+1}, n_l) @ A: (P, n_{l+1}, B)
        Z += b.T[:, :, None]  # (P, n_{l+1}, 1)
        A = f.forward(Z)
    return A
