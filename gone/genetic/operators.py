"""The genetic operators on single networks: `a.crossover(b)` and `net.mutate(mutation)` land here.

A network is a population of one: its parameters become stacks of one, [(1, *shape)], and go
through the same operators the Population uses, so a pair of networks and a generation breed alike.
"""

import numpy as np

from gone._checks import check_instance
from gone._random import Seed, make_rng
from gone.errors import ConfigError, ShapeError
from gone.genetic.crossover import as_crossover
from gone.genetic.layout import GenomeLayout
from gone.genetic.mutation import Mutation
from gone.network import NeuralNetwork


def crossover(a, b, seed: Seed = None, method="single_point"):
    """Return a child of networks `a` and `b`, which must have the same layout.

    Parameters: `method` is "single_point" (layers before a random cut from `a`, the rest from
    `b`), "uniform" (each gene from either), "arithmetic" (a blend) or a Crossover instance;
    `seed` (int or Generator) gives the draws, by default `a.rng`, so seeded networks stay
    reproducible. The child has `a`'s loss, learning rate, dtype and initializer, and a Generator
    seeded from the same draws.

    Raises ShapeError (layer sizes differ) or ConfigError (activations or dtypes differ, or `b`
    is no network).

    >>> child = a.crossover(b, seed=3, method="uniform")
    """
    check_instance(a, NeuralNetwork, "crossover parent a", "a gone.NeuralNetwork")
    check_instance(b, NeuralNetwork, "crossover parent b", "a gone.NeuralNetwork")
    check_same_layout(a, b, "crossover parents")
    operator = as_crossover(method)
    rng = a.rng if seed is None else make_rng(seed)
    layout = GenomeLayout(a.weight_shapes)
    child = operator(layout.stacks_of(a), layout.stacks_of(b), layout, rng)  # [(1, *shape)]
    return type(a).from_parameters(
        a.layers,
        [W[0] for W in child[0::2]],
        [b_[0] for b_ in child[1::2]],
        loss=a.loss,
        learning_rate=a.learning_rate,
        seed=int(rng.integers(2**63)),
        dtype=a.dtype,
        initializer=a.initializer,
    )


def mutate(net, mutation: Mutation, seed: Seed = None) -> None:
    """Mutate `net`'s weights and biases in place with `mutation`, drawing from `seed` or `net.rng`.

    The arrays stay the same objects (an optimizer holding them keeps working); genes are
    visited in Go's order W0, b0, W1, b1, ..., each row-major.

    >>> mutate(net, GaussianMutation(rate=0.1, stddev=0.5))
    """
    check_instance(net, NeuralNetwork, "mutated net", "a gone.NeuralNetwork")
    if not isinstance(mutation, Mutation):
        raise ConfigError(
            f"mutation: expected a gone mutation such as "
            f"gone.GaussianMutation(0.1, 0.5), got {mutation!r}"
        )
    rng = net.rng if seed is None else make_rng(seed)
    parameters = net.parameters()
    stacks = [np.ascontiguousarray(p)[None] for p in parameters]  # [(1, *shape)], views if they can
    mutation(stacks, rng)
    for own, stack in zip(parameters, stacks, strict=True):
        own[...] = stack[0]  # a no-op for views; copies back where a copy had to be made


def check_same_layout(a, b, what: str) -> None:
    """Raise a clear error unless `a` and `b` have the same layer sizes, activations and dtype."""
    sizes_a = [layer.nodes for layer in a.layers]
    sizes_b = [layer.nodes for layer in b.layers]
    if sizes_a != sizes_b:
        raise ShapeError(
            f"{what}: expected the same layout, got "
            f"{_sizes(sizes_a)} and {_sizes(sizes_b)} nodes per layer"
        )
    for i, (la, lb) in enumerate(zip(a.layers, b.layers, strict=True)):
        if la.activation != lb.activation:
            raise ConfigError(
                f"{what}: expected the same activation in layer {i}, got "
                f"{la.activation!r} and {lb.activation!r}"
            )
    if a.dtype != b.dtype:
        raise ConfigError(f"{what}: expected the same dtype, got {a.dtype} and {b.dtype}")


def _sizes(nodes) -> str:
    return "-".join(str(n) for n in nodes)
