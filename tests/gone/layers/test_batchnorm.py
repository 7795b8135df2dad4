"""BatchNorm: batch statistics in training, running statistics in predict and evaluate, the full
backward formula against finite differences, per feature after dense layers and per channel after
convolutions."""

import numpy as np
import pytest

import gone
from gone.layers.module import internal, public

RNG = np.random.default_rng(0)
X = RNG.normal(2.0, 3.0, size=(32, 5))
Y = gone.one_hot(RNG.integers(0, 3, 32), 3)


def dense_net(norm, seed=0, **kwargs):
    layers = [gone.Layer(5), gone.Layer(6, gone.Tanh()), norm, gone.Layer(3, gone.Softmax())]
    return gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=seed, **kwargs)


def conv_net(norm, seed=0):
    layers = [
        gone.Input((2, 5, 5)),
        gone.Conv2D(3, 3, padding=1, activation=gone.Tanh()),  # a bias right before a batch
        norm,  # norm would have no gradient: the norm takes the mean away
        gone.MaxPool2D(2),
        gone.Flatten(),
        gone.Layer(3, gone.Softmax()),
    ]
    return gone.NeuralNetwork(
        layers, loss=gone.CrossEntropy(), seed=seed, initializer=gone.Normal(0, 0.5)
    )


def test_training_normalizes_each_feature_over_the_batch():
    norm = dense_net(gone.BatchNorm()).layers[2]
    A = RNG.normal(4.0, 2.0, size=(6, 50))  # (features, B)
    Z = norm.forward(A, training=True)
    np.testing.assert_allclose(Z.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z.var(axis=1), 1, rtol=1e-4)  # var / (var + epsilon)


def test_each_channel_over_the_batch_and_its_pixels():
    norm = conv_net(gone.BatchNorm()).layers[2]
    A = RNG.normal(-1.0, 5.0, size=(10, 3, 5, 5))  # (N, C, H, W)
    Z = public(norm.forward(internal(A), training=True))
    np.testing.assert_allclose(Z.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(Z.var(axis=(0, 2, 3)), 1, rtol=1e-5)


def test_running_statistics_follow_the_batches_with_momentum():
    net = dense_net(gone.BatchNorm(momentum=0.8))
    norm = net.layers[2]
    A = RNG.normal(1.0, 2.0, size=(6, 20))
    norm.forward(A, training=True)
    np.testing.assert_allclose(norm.running_mean, 0.2 * A.mean(axis=1, keepdims=True), rtol=1e-14)
    unbiased = A.var(axis=1, ddof=1, keepdims=True)
    np.testing.assert_allclose(norm.running_var, 0.8 + 0.2 * unbiased, rtol=1e-14)


def test_predict_and_evaluate_use_the_running_statistics():
    net = dense_net(gone.BatchNorm())
    net.train(gone.MBGD(8), (X, Y), 5)
    norm = net.layers[2]
    assert not np.allclose(norm.running_mean, 0)  # learned
    hidden = np.tanh(net.layers[1].W @ X.T + net.layers[1].b)  # (6, N)
    Z = norm.gamma * (hidden - norm.running_mean) / np.sqrt(norm.running_var + 1e-5) + norm.beta
    logits = net.layers[3].W @ Z + net.layers[3].b
    expected = np.exp(logits) / np.exp(logits).sum(axis=0)
    np.testing.assert_allclose(net.predict(X), expected.T, rtol=1e-12)
    before = [s.copy() for s in net.layer_states()[2].values()]
    net.evaluate((X, Y))
    net.predict(X[:3])
    net.gradients((X, Y))  # training mode, but a query: the statistics stay
    for was, now in zip(before, net.layer_states()[2].values(), strict=True):
        np.testing.assert_array_equal(was, now)


@pytest.mark.parametrize("activation", [gone.Identity(), gone.Tanh(), gone.Sigmoid()], ids=repr)
def test_gradients_through_the_batch_statistics(activation):
    result = gone.gradient_check(dense_net(gone.BatchNorm(activation=activation), seed=2), (X, Y))
    assert result.ok and result.max_error < 1e-7, f"\n{result}"
    assert list(result.errors) == ["W0", "b0", "gamma1", "beta1", "W2", "b2"]


def test_gradients_per_channel_after_a_convolution():
    images = RNG.normal(size=(6, 2, 5, 5))
    labels = gone.one_hot(RNG.integers(0, 3, 6), 3)
    net = conv_net(gone.BatchNorm(momentum=0.5, activation=gone.Tanh()), seed=3)
    result = gone.gradient_check(net, (images, labels))
    assert result.ok and result.max_error < 1e-7, f"\n{result}"


def test_arrays_and_what_it_saves():
    norm = conv_net(gone.BatchNorm()).layers[2]
    assert [p.shape for p in norm.parameters()] == [(3, 1), (3, 1)]
    assert list(norm.state()) == ["gamma", "beta", "running_mean", "running_var"]
    np.testing.assert_array_equal(norm.gamma, 1)
    np.testing.assert_array_equal(norm.running_var, 1)
    assert repr(norm) == "BatchNorm(momentum=0.9, epsilon=1e-05, activation=Identity())"


def test_early_stopping_restores_the_running_statistics_with_the_weights():
    net = dense_net(gone.BatchNorm(), seed=4)
    train, val = (X[:20], Y[:20]), (X[20:], Y[20:])
    net.train(gone.MBGD(4), train, 3)
    saved = net.snapshot()
    statistics = [s.copy() for s in saved.statistics]
    net.train(gone.MBGD(4), train, 3)
    net.restore(saved)
    norm = net.layers[2]
    np.testing.assert_array_equal(norm.running_mean, statistics[0])
    np.testing.assert_array_equal(norm.running_var, statistics[1])
    stopping = gone.EarlyStopping(patience=2)
    history = net.train(gone.MBGD(4), train, 30, validation=val, early_stopping=stopping)
    assert net.evaluate(val).loss == pytest.approx(min(history.val_loss), rel=1e-12)


def test_bad_settings():
    with pytest.raises(gone.ConfigError, match="BatchNorm momentum: expected a finite number in"):
        gone.BatchNorm(momentum=1.0)
    with pytest.raises(gone.ConfigError, match="BatchNorm epsilon: expected a finite number > 0"):
        gone.BatchNorm(epsilon=0)
    with pytest.raises(gone.ConfigError, match="elementwise activation"):
        gone.BatchNorm(activation=gone.Softmax())
    with pytest.raises(gone.ConfigError, match=r"layers\[2\] BatchNorm: expected batches of at"):
        dense_net(gone.BatchNorm()).train(gone.SGD(), (X, Y), 1)
