"""The genome layout: parameter arrays as stacks, as flat gene rows and as views of gene columns."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gone
from gone.genetic.layout import GenomeLayout


def test_the_layout_lists_w_and_b_of_every_layer_in_go_order():
    layout = GenomeLayout([(3, 2), (1, 3)])
    assert layout.shapes == [(3, 2), (3, 1), (1, 3), (1, 1)]
    assert layout.layer_of_array == [0, 0, 1, 1]
    assert layout.size == 2 * 3 + 3 + 3 * 1 + 1 and layout.n_layers == 2


def test_flat_genes_follow_go_order_w0_b0_w1_b1_row_major():
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(1)], seed=0)
    layout = GenomeLayout(net.weight_shapes)
    stacks = layout.stacks_of(net)
    assert [s.shape for s in stacks] == [(1, 3, 2), (1, 3, 1), (1, 1, 3), (1, 1, 1)]
    W0, b0, W1, b1 = net.parameters()
    expected = np.concatenate([W0.ravel(), b0.ravel(), W1.ravel(), b1.ravel()])
    np.testing.assert_array_equal(layout.flatten(stacks), expected[None])
    stacks[0][0, 0, 0] += 1  # copies: the network is untouched
    assert stacks[0][0, 0, 0] != W0[0, 0]


shapes = st.lists(st.integers(1, 5), min_size=2, max_size=5).map(
    lambda nodes: [(b, a) for a, b in zip(nodes, nodes[1:], strict=False)]
)


@settings(max_examples=40, deadline=None)
@given(shapes, st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_unflatten_inverts_flatten(weight_shapes, P, seed):
    rng = np.random.default_rng(seed)
    layout = GenomeLayout(weight_shapes)
    genes = rng.standard_normal((P, layout.size))
    stacks = layout.unflatten(genes)
    assert [s.shape[1:] for s in stacks] == layout.shapes
    assert all(s.flags.c_contiguous and not np.shares_memory(s, genes) for s in stacks)
    np.testing.assert_array_equal(layout.flatten(stacks), genes)


def test_check_names_the_wrong_stack():
    layout = GenomeLayout([(4, 2), (1, 4)])
    stacks = [np.zeros((3, 4, 2)), np.zeros((3, 4, 1)), np.zeros((3, 4, 1)), np.zeros((3, 1, 1))]
    with pytest.raises(gone.ShapeError, match=r"parameters\[2\]: expected shape \(P, 1, 4\)"):
        layout.check(stacks)
    stacks[2] = np.zeros((2, 1, 4))
    with pytest.raises(gone.ShapeError, match=r"same population size P .* got sizes \[2, 3\]"):
        layout.check(stacks)
    with pytest.raises(gone.ShapeError, match=r"genes: expected shape \(P, 17\)"):
        layout.unflatten(np.zeros((3, 16)))


def test_views_of_genes_in_columns_are_the_arrays_with_the_individuals_last():
    layout = GenomeLayout([(3, 2), (1, 3)])
    genes = np.arange(2 * layout.size, dtype=float).reshape(2, layout.size)  # (P, G)
    columns = np.ascontiguousarray(genes.T)  # (G, P): individual p in column p
    W0, b0, W1, b1 = layout.column_views(columns)
    assert [W0.shape, b0.shape, W1.shape, b1.shape] == [(3, 2, 2), (3, 2), (1, 3, 2), (1, 2)]
    assert all(v.flags.c_contiguous and np.shares_memory(v, columns) for v in (W0, b0, W1, b1))
    stacks = layout.stack_views(columns)
    assert [s.shape for s in stacks] == [(2, 3, 2), (2, 3, 1), (2, 1, 3), (2, 1, 1)]
    np.testing.assert_array_equal(layout.flatten(stacks), genes)  # the same numbers
    np.testing.assert_array_equal(stacks[0], W0.transpose(2, 0, 1))
    stacks[3][1] = -1.0  # a view: individual 1's last bias, the last gene of its column
    assert columns[-1, 1] == -1.0 and b1[0, 1] == -1.0
