"""GaussianMutation: `rate` is the probability that a gene mutates, noise is N(mean, stddev^2)."""

import numpy as np
import pytest

import gone
from gone.genetic import GaussianMutation


def mutated_genes(rate, stddev, mean=0.0, shape=(200, 500), seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    before = rng.standard_normal(shape).astype(dtype)
    after = before.copy()
    GaussianMutation(rate, stddev, mean)([after], np.random.default_rng(seed + 1))
    return before, after


@pytest.mark.parametrize("rate", [0.02, 0.1, 0.5, 0.9])
def test_the_fraction_of_mutated_genes_is_rate_within_3_sigma(rate):
    # Go mutated a gene when uniform >= rate, i.e. with probability 1 - rate: 0.9 tells them apart.
    before, after = mutated_genes(rate, stddev=1.0)
    n = before.size
    changed = np.count_nonzero(after != before)
    assert abs(changed - rate * n) < 3 * np.sqrt(n * rate * (1 - rate))


def test_noise_has_the_asked_mean_and_stddev():
    before, after = mutated_genes(rate=0.3, stddev=0.5, mean=2.0)
    noise = (after - before)[after != before]
    n = noise.size
    assert abs(noise.mean() - 2.0) < 3 * 0.5 / np.sqrt(n)
    # The sample stddev of n normal draws has stddev about sigma / sqrt(2n).
    assert abs(noise.std() - 0.5) < 4 * 0.5 / np.sqrt(2 * n)


def test_rate_zero_changes_nothing_and_rate_one_changes_every_gene():
    before, after = mutated_genes(rate=0.0, stddev=1.0)
    np.testing.assert_array_equal(before, after)
    before, after = mutated_genes(rate=1.0, stddev=1.0)
    assert np.all(before != after)


def test_float32_genes_stay_float32():
    before, after = mutated_genes(rate=0.5, stddev=1.0, dtype=np.float32)
    assert after.dtype == np.float32
    assert 0.45 < np.mean(before != after) < 0.55


def test_net_mutate_changes_the_networks_own_arrays_in_place():
    net = gone.NeuralNetwork([gone.Layer(3), gone.Layer(5, gone.Sigmoid()), gone.Layer(2)], seed=4)
    arrays = net.parameters()
    before = [p.copy() for p in arrays]
    assert net.mutate(GaussianMutation(rate=1.0, stddev=0.1)) is net
    for own, now, old in zip(arrays, net.parameters(), before, strict=True):
        assert own is now  # same objects: an optimizer holding them keeps working
        assert np.all(now != old)


def test_seeded_networks_mutate_reproducibly():
    def mutated(seed=None):
        net = gone.NeuralNetwork([gone.Layer(3), gone.Layer(5, gone.Tanh()), gone.Layer(2)], seed=7)
        return net.mutate(GaussianMutation(0.3, 0.5), seed=seed).parameters()

    for a, b in zip(mutated(), mutated(), strict=True):  # draws from net.rng
        np.testing.assert_array_equal(a, b)
    for a, b in zip(mutated(seed=1), mutated(seed=1), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(a, b) for a, b in zip(mutated(1), mutated(2), strict=True))


@pytest.mark.parametrize(
    "args, message",
    [
        ((1.5, 0.1), "rate: expected a finite number in \\[0, 1\\], got 1.5"),
        ((-0.1, 0.1), "rate"),
        ((0.1, -1.0), "stddev: expected a finite number >= 0"),
        ((0.1, float("inf")), "stddev"),
        ((0.1, 0.1, float("nan")), "mean: expected a finite number"),
    ],
)
def test_bad_settings_are_refused(args, message):
    with pytest.raises(gone.ConfigError, match=message):
        GaussianMutation(*args)


def test_mutate_refuses_something_that_is_not_a_mutation():
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0)
    with pytest.raises(gone.ConfigError, match="mutation: expected a gone mutation"):
        net.mutate(0.1)
