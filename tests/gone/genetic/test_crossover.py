"""Crossover: every child gene comes from a parent; single-point moves whole layers; blends lie between."""

import numpy as np
import pytest

import gone
from gone.genetic import ArithmeticCrossover, SinglePointCrossover, UniformCrossover
from gone.genetic.layout import GenomeLayout

SHAPES = [(6, 3), (5, 6), (4, 5), (2, 4)]  # a 3-6-5-4-2 network: L = 4 weight layers
LAYOUT = GenomeLayout(SHAPES)


def parents(C=400, seed=0, dtype=np.float64):
    """Parent genes (C, G) whose genes can never be equal, A > 0 > B, and their stacks."""
    rng = np.random.default_rng(seed)
    A = rng.uniform(1, 2, (C, LAYOUT.size)).astype(dtype)  # (C, G)
    B = -rng.uniform(1, 2, (C, LAYOUT.size)).astype(dtype)  # (C, G)
    return A, B, LAYOUT.unflatten(A), LAYOUT.unflatten(B)


def cross(operator, A, B, seed, layout=LAYOUT):
    """Run a crossover on gene rows (C, G) through the stacks; return the children's genes."""
    stacks = operator(layout.unflatten(A), layout.unflatten(B), layout, np.random.default_rng(seed))
    assert [s.shape[1:] for s in stacks] == layout.shapes
    return layout.flatten(stacks)  # (C, G)


@pytest.mark.parametrize("operator", [SinglePointCrossover(), UniformCrossover()])
def test_every_child_gene_comes_from_a_parent_at_the_same_position(operator):
    A, B, *_ = parents()
    children = cross(operator, A, B, seed=1)
    assert children.shape == A.shape
    assert np.all((children == A) | (children == B))


def test_single_point_gives_whole_layers_of_a_before_the_cut_and_of_b_after():
    A, B, *_ = parents()
    children = cross(SinglePointCrossover(), A, B, seed=2)
    layer_of_gene = np.repeat(np.arange(len(SHAPES)), [n * m + n for n, m in SHAPES])  # (G,)
    cuts = []
    for child, a in zip(children, A, strict=True):
        from_a = child == a  # (G,)
        layer_from_a = []
        for l in range(len(SHAPES)):
            layer = from_a[layer_of_gene == l]  # the genes of W[l] and b[l]
            assert layer.all() or not layer.any()  # W and b all from A, or all from B
            layer_from_a.append(bool(layer.all()))
        # A prefix of layers from A, then only B: no dropped, duplicated or leftover layer.
        cut = layer_from_a.index(False) if False in layer_from_a else len(layer_from_a)
        assert layer_from_a == [True] * cut + [False] * (len(SHAPES) - cut)
        cuts.append(cut)
    # Both parents always contribute: the cut is one of 1 .. L-1, and every one of them occurs.
    assert sorted(set(cuts)) == [1, 2, 3]


def test_single_point_on_one_weight_layer_copies_either_parent():
    layout = GenomeLayout([(2, 3)])
    rng = np.random.default_rng(0)
    A, B = rng.uniform(1, 2, (400, layout.size)), -rng.uniform(1, 2, (400, layout.size))
    children = cross(SinglePointCrossover(), A, B, seed=3, layout=layout)
    whole_a = np.all(children == A, axis=1)
    whole_b = np.all(children == B, axis=1)
    assert np.all(whole_a ^ whole_b)
    assert 150 < whole_a.sum() < 250  # each parent with probability 1/2


def test_uniform_takes_each_gene_from_the_first_parent_with_probability_p_first():
    A, B, *_ = parents()
    for p_first in (0.5, 0.2):
        children = cross(UniformCrossover(p_first), A, B, seed=4)
        n = children.size
        assert abs((children == A).sum() - p_first * n) < 3 * np.sqrt(n * p_first * (1 - p_first))


@pytest.mark.parametrize("operator", [ArithmeticCrossover(), ArithmeticCrossover(per_gene=True)])
def test_arithmetic_blend_lies_between_the_parents(operator):
    rng = np.random.default_rng(5)
    A = rng.standard_normal((300, LAYOUT.size))
    B = rng.standard_normal((300, LAYOUT.size))
    children = cross(operator, A, B, seed=6)
    low, high = np.minimum(A, B), np.maximum(A, B)
    slack = 1e-12 * np.maximum(abs(A), abs(B))  # rounding of alpha * A + (1 - alpha) * B
    assert np.all(children >= low - slack) and np.all(children <= high + slack)
    # The blend is one alpha per child (or per gene): the child is not just a copy of a parent.
    alpha = (children - B) / (A - B)  # (C, G)
    if operator.per_gene:
        assert alpha.std() > 0.2
    else:
        np.testing.assert_allclose(alpha, alpha[:, :1].repeat(LAYOUT.size, axis=1), atol=1e-9)
        assert alpha[:, 0].std() > 0.2


def test_arithmetic_with_a_fixed_alpha_is_that_blend():
    A, B, *_ = parents(C=3)
    children = cross(ArithmeticCrossover(alpha=0.5), A, B, seed=0)
    np.testing.assert_allclose(children, (A + B) / 2, rtol=1e-15)


@pytest.mark.parametrize(
    "operator", [SinglePointCrossover(), UniformCrossover(), ArithmeticCrossover()]
)
def test_float32_stays_float32(operator):
    *_, A, B = parents(dtype=np.float32)
    children = operator(A, B, LAYOUT, np.random.default_rng(0))
    assert all(child.dtype == np.float32 for child in children)


# ---- on networks ----------------------------------------------------------------------------


def network(seed, sizes=(3, 6, 5, 2), activation=gone.Tanh, dtype=np.float64):
    layers = [gone.Layer(sizes[0])] + [gone.Layer(n, activation()) for n in sizes[1:]]
    return gone.NeuralNetwork(layers, seed=seed, dtype=dtype)


def test_net_crossover_builds_a_child_from_both_parents_by_layers():
    a, b = network(1), network(2)
    child = a.crossover(b, seed=3)
    assert child is not a and child is not b
    sources = []
    for Wc, bc, Wa, ba, Wb, bb in zip(
        child._weights, child._biases, a._weights, a._biases, b._weights, b._biases, strict=True
    ):
        if np.array_equal(Wc, Wa) and np.array_equal(bc, ba):
            sources.append("a")
        else:
            np.testing.assert_array_equal(Wc, Wb)
            np.testing.assert_array_equal(bc, bb)
            sources.append("b")
    assert sources in (["a", "b", "b"], ["a", "a", "b"])
    assert child.layers == a.layers and child.loss == a.loss and child.dtype == a.dtype


@pytest.mark.parametrize("method", ["single_point", "uniform", "arithmetic", UniformCrossover(0.3)])
def test_seeded_parents_give_the_same_child_every_time(method):
    def child(seed=None):
        return network(1).crossover(network(2), seed=seed, method=method)

    for x, y in zip(child().parameters(), child().parameters(), strict=True):  # a.rng
        np.testing.assert_array_equal(x, y)
    for x, y in zip(child(5).parameters(), child(5).parameters(), strict=True):
        np.testing.assert_array_equal(x, y)


def test_crossover_uses_the_first_parents_generator_when_no_seed_is_given():
    a, b = network(1), network(2)
    state = a.rng.bit_generator.state
    a.crossover(b, method="uniform")
    assert a.rng.bit_generator.state != state
    assert b.rng.bit_generator.state == network(2).rng.bit_generator.state


def test_parents_with_different_layer_sizes_raise_a_clear_error():
    with pytest.raises(gone.ShapeError, match="expected the same layout, got 3-6-5-2 and 3-6-4-2"):
        network(1).crossover(network(2, sizes=(3, 6, 4, 2)))
    with pytest.raises(gone.ShapeError, match="3-6-5-2 and 3-6-5-2-1"):
        network(1).crossover(network(2, sizes=(3, 6, 5, 2, 1)))


def test_parents_with_different_activations_or_dtypes_raise_a_clear_error():
    with pytest.raises(gone.ConfigError, match="same activation in layer 1"):
        network(1).crossover(network(2, activation=gone.Sigmoid))
    with pytest.raises(gone.ConfigError, match="same dtype, got float64 and float32"):
        network(1).crossover(network(2, dtype=np.float32))


def test_unknown_methods_list_the_valid_names():
    with pytest.raises(gone.ConfigError, match="arithmetic, single_point, uniform or a Crossover"):
        network(1).crossover(network(2), method="two_point")
    with pytest.raises(gone.ConfigError, match="crossover: expected one of"):
        network(1).crossover(network(2), method=3)


def test_bad_operator_settings_are_refused():
    with pytest.raises(gone.ConfigError, match="p_first"):
        UniformCrossover(1.5)
    with pytest.raises(gone.ConfigError, match="alpha"):
        ArithmeticCrossover(alpha=-0.1)
