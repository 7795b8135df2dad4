"""The forward pass with the individuals last: its sums, its two ways for batches, its shapes."""

import numpy as np
import pytest

import gone
from gone.genetic import Population, forward

LAYERS = [gone.Layer(3), gone.Layer(4, gone.Tanh()), gone.Layer(2, gone.Softmax())]


def by_hand(population: Population, A: np.ndarray) -> np.ndarray:
    """The forward pass written out: each node's inputs summed in order, one rounded product
    after another, for all P individuals at once; A (n_in, P) -> (n_out, P)."""
    for W, b, f in zip(population._W, population._b, population._activations, strict=True):
        Z = W[:, 0] * A[0]  # (n_out, P)
        for j in range(1, W.shape[1]):
            Z = Z + W[:, j] * A[j]
        A = f.forward(Z + b)
    return A


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_observation_each_sums_every_node_in_order(dtype):
    population = Population(LAYERS, 30, seed=2, dtype=dtype)
    X = np.random.default_rng(0).standard_normal((30, 3)).astype(dtype)  # (P, n_in)
    np.testing.assert_array_equal(population.predict(X), by_hand(population, X.T).T)


def test_small_batches_sum_in_order_too_and_large_ones_agree():
    population = Population(LAYERS, 30, seed=2)
    rng = np.random.default_rng(1)
    small = rng.standard_normal((30, forward.MATMUL_BATCH - 1, 3))  # (P, B, n_in)
    outputs = population.predict(small)  # (P, B, n_out)
    for b in range(small.shape[1]):
        np.testing.assert_array_equal(outputs[:, b], by_hand(population, small[:, b].T).T)
    # A large batch is a matrix product per individual: other sums, the same outputs nearly.
    large = rng.standard_normal((30, forward.MATMUL_BATCH, 3))
    outputs = population.predict(large)
    for b in range(large.shape[1]):
        expected = by_hand(population, large[:, b].T).T
        np.testing.assert_allclose(outputs[:, b], expected, rtol=0, atol=1e-15)


def test_softmax_normalises_over_the_nodes_of_every_individual_and_sample():
    population = Population(LAYERS, 7, seed=0)
    rng = np.random.default_rng(3)
    for X in (rng.standard_normal((7, 3)), rng.standard_normal((7, 2, 3))):
        outputs = population.predict(X)  # (P, 2) or (P, B, 2)
        np.testing.assert_allclose(outputs.sum(axis=-1), 1.0, rtol=0, atol=1e-15)
