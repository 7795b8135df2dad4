"""The genome layout: a network's parameters as one gene row, and layers as views of it."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gone
from gone.genetic.layout import GenomeLayout


def test_genes_follow_go_order_w0_b0_w1_b1_row_major():
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(1)], seed=0)
    layout = GenomeLayout(net.weight_shapes)
    genes = layout.genes_of(net)  # (1, G)
    W0, b0, W1, b1 = net.parameters()
    expected = np.concatenate([W0.ravel(), b0.ravel(), W1.ravel(), b1.ravel()])
    assert genes.shape == (1, layout.size) == (1, 2 * 3 + 3 + 3 * 1 + 1)
    np.testing.assert_array_equal(genes[0], expected)
    assert layout.layer_of_gene.tolist() == [0] * 9 + [1] * 4


def test_views_share_memory_with_the_genes():
    layout = GenomeLayout([(4, 2), (1, 4)])
    genes = np.arange(3 * layout.size, dtype=float).reshape(3, layout.size)  # (P, G)
    weights, biases = layout.views(genes)
    assert [W.shape for W in weights] == [(3, 4, 2), (3, 1, 4)]
    assert [b.shape for b in biases] == [(3, 4, 1), (3, 1, 1)]
    for view in weights + biases:
        assert np.shares_memory(view, genes)
    weights[1][2, 0, 3] = -1.0
    assert genes[2, 8 + 4 + 3] == -1.0  # after W0 (8 genes) and b0 (4 genes)


shapes = st.lists(st.integers(1, 5), min_size=2, max_size=5).map(
    lambda nodes: [(b, a) for a, b in zip(nodes, nodes[1:], strict=False)]
)


@settings(max_examples=40, deadline=None)
@given(shapes, st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_flatten_then_views_gives_back_the_stacks(weight_shapes, P, seed):
    rng = np.random.default_rng(seed)
    layout = GenomeLayout(weight_shapes)
    weights = [rng.standard_normal((P, n_out, n_in)) for n_out, n_in in weight_shapes]
    biases = [rng.standard_normal((P, n_out, 1)) for n_out, _ in weight_shapes]
    genes = layout.flatten(weights, biases, np.float64)
    assert genes.shape == (P, layout.size)
    back_W, back_b = layout.views(genes)
    for a, b in zip(weights + biases, back_W + back_b, strict=True):
        np.testing.assert_array_equal(a, b)


def test_flatten_names_the_wrong_stack():
    layout = GenomeLayout([(4, 2), (1, 4)])
    weights = [np.zeros((3, 4, 2)), np.zeros((3, 4, 1))]
    biases = [np.zeros((3, 4, 1)), np.zeros((3, 1, 1))]
    with pytest.raises(gone.ShapeError, match=r"weights\[1\]: expected shape \(P, 1, 4\)"):
        layout.flatten(weights, biases, np.float64)
