"""Dropout: off in predict and evaluate, inverted in training, masks from the network's Generator
(the same seed, the same run bit for bit), gradients with a fixed mask."""

import numpy as np
import pytest

import gone
from gone.layers.module import internal

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 6))
Y = gone.one_hot(RNG.integers(0, 3, 40), 3)


def net_with(*middle, seed=0, dtype=np.float64):
    layers = [gone.Layer(6), gone.Layer(16, gone.Tanh()), *middle, gone.Layer(3, gone.Softmax())]
    return gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=seed, dtype=dtype)


def test_predict_and_evaluate_pass_everything_through():
    with_dropout, without = net_with(gone.Dropout(0.5)), net_with()
    np.testing.assert_array_equal(with_dropout.predict(X), without.predict(X))
    assert with_dropout.evaluate((X, Y)) == without.evaluate((X, Y))


def test_training_drops_a_rate_of_the_values_and_scales_the_rest():
    net = net_with(gone.Dropout(0.3))
    dropout = net.layers[2]
    A = np.ones((200, 500))
    out = dropout.forward(A, training=True)
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-15)  # inverted: the mean stays 1
    dA_prev = dropout.backward(np.full(A.shape, 2.0))
    np.testing.assert_array_equal(dA_prev != 0, kept)
    np.testing.assert_allclose(dA_prev[kept], 2 / 0.7, rtol=1e-15)


def test_the_masks_come_from_the_networks_generator():
    net = net_with(gone.Dropout(0.5), seed=4)
    expected = np.random.default_rng(4)
    gone.Uniform()(6, 16, expected, np.float64)  # the initial weights are drawn first
    gone.Uniform()(16, 3, expected, np.float64)
    dropout = net.layers[2]
    assert dropout.rng is net.rng
    out = dropout.forward(np.ones((16, 10)), training=True)
    np.testing.assert_array_equal(out != 0, expected.random((16, 10)) >= 0.5)
    twin = net.copy()
    assert twin.layers[2].rng is twin.rng and twin.rng is not net.rng


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_same_seed_trains_the_same_bits(dtype):
    runs = []
    for _ in range(2):
        net = net_with(gone.Dropout(0.4), seed=7, dtype=dtype)
        history = net.train(gone.Adam(8), (X, Y), 3)
        runs.append((history.loss, [p.tobytes() for p in net.parameters()]))
    assert runs[0] == runs[1]
    other = net_with(gone.Dropout(0.4), seed=8, dtype=dtype)
    assert other.train(gone.Adam(8), (X, Y), 3).loss != runs[0][0]


def test_rate_zero_trains_exactly_as_no_dropout():
    a, b = net_with(gone.Dropout(0.0), seed=3), net_with(seed=3)
    assert a.train(gone.MBGD(8), (X, Y), 2).loss == b.train(gone.MBGD(8), (X, Y), 2).loss
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert p.tobytes() == q.tobytes()


def test_gradients_with_a_fixed_mask_and_the_generator_left_as_it_was():
    net = net_with(gone.Dropout(0.5), gone.Layer(8, gone.Tanh()), gone.Dropout(0.2), seed=1)
    state = net.rng.bit_generator.state
    result = gone.gradient_check(net, (X[:10], Y[:10]))
    assert result.ok and result.max_error < 1e-7, f"\n{result}"
    assert net.rng.bit_generator.state == state
    assert not net.layers[2]._fixed  # masks are drawn afresh again afterwards


def test_images_too():
    net = gone.NeuralNetwork(
        [gone.Input((2, 4, 4)), gone.Dropout(0.5), gone.Flatten(), gone.Layer(3)], seed=0
    )
    A = net.layers[1].forward(internal(np.ones((5, 2, 4, 4))), training=True)
    assert A.shape == (2, 4, 4, 5) and set(np.unique(A)) == {0.0, 2.0}


def test_bad_rates():
    for rate in (-0.1, 1.0, "half"):
        with pytest.raises(gone.ConfigError, match="Dropout rate: expected a finite number in"):
            gone.Dropout(rate)
