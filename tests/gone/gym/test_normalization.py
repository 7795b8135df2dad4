"""gone.gym.ObservationNormalizer: running moments, normalized inputs, the fold into a network."""

import numpy as np
import pytest

import gone
from gone.gym import ObservationNormalizer


def test_running_moments_equal_those_of_all_observations_at_once():
    rng = np.random.default_rng(0)
    batches = [rng.normal(loc=[3.0, -1.0], scale=[2.0, 0.5], size=(n, 2)) for n in (1, 7, 40)]
    normalizer = ObservationNormalizer(2)
    for batch in batches:
        normalizer.update(batch)
    everything = np.concatenate(batches)
    assert normalizer.count == 48
    np.testing.assert_allclose(normalizer.mean, everything.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(normalizer.std, everything.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(normalizer(everything).mean(axis=0), 0.0, atol=1e-12)


def test_before_any_observation_it_changes_nothing_and_an_empty_batch_changes_nothing():
    normalizer = ObservationNormalizer(3)
    normalizer.update(np.zeros((0, 3)))
    observations = np.arange(6.0).reshape(2, 3)
    assert normalizer.count == 0
    np.testing.assert_array_equal(normalizer(observations), observations)


def test_a_value_that_barely_varies_is_divided_by_min_std():
    normalizer = ObservationNormalizer(2, min_std=0.1)
    normalizer.update([[1.0, 0.0], [1.0, 4.0]])
    np.testing.assert_array_equal(normalizer.std, [0.1, 2.0])


def test_the_fold_computes_from_raw_observations_what_the_network_does_from_normalized_ones():
    layers = [gone.Layer(3), gone.Layer(5, gone.Tanh()), gone.Layer(4, gone.Tanh()), gone.Layer(2)]
    network = gone.NeuralNetwork(layers, seed=0)
    normalizer = ObservationNormalizer(3)
    normalizer.update(np.random.default_rng(1).normal(loc=5.0, scale=3.0, size=(50, 3)))
    folded = normalizer.fold(network)
    observations = np.random.default_rng(2).normal(loc=5.0, scale=3.0, size=(10, 3))
    np.testing.assert_allclose(
        folded.predict(observations), network.predict(normalizer(observations)), rtol=1e-12
    )
    np.testing.assert_array_equal(folded.parameters()[2], network.parameters()[2])  # W1 as it was


def test_a_copy_is_independent():
    normalizer = ObservationNormalizer(1)
    normalizer.update([[1.0], [3.0]])
    twin = normalizer.copy()
    twin.update([[100.0]])
    assert normalizer.count == 2 and normalizer.mean[0] == 2.0


def test_sizes_that_do_not_fit_are_refused():
    normalizer = ObservationNormalizer(2)
    with pytest.raises(gone.ShapeError, match=r"observations: expected shape \(N, 2\), got \(3,\)"):
        normalizer.update([1.0, 2.0, 3.0])
    with pytest.raises(gone.ShapeError, match=r"expected 2 values each, got shape \(1, 3\)"):
        normalizer([[1.0, 2.0, 3.0]])
    with pytest.raises(gone.ShapeError, match=r"network inputs: expected 2 .*got 3"):
        normalizer.fold(gone.NeuralNetwork([gone.Layer(3), gone.Layer(1)], seed=0))
    with pytest.raises(gone.ConfigError, match=r"min_std: expected a finite number > 0, got 0"):
        ObservationNormalizer(2, min_std=0)
