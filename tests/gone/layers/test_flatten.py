"""Flatten: images become features in the order of numpy's reshape, so a network on images that
starts with Flatten is the dense network on the reshaped rows."""

import numpy as np
import pytest

import gone


def test_the_features_are_in_the_order_of_a_reshape():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 2, 3, 4))  # (N, C, H, W)
    Y = rng.normal(size=(7, 5))
    image = gone.NeuralNetwork(
        [gone.Input((2, 3, 4)), gone.Flatten(), gone.Layer(5, gone.Tanh())], seed=1
    )
    flat = gone.NeuralNetwork([gone.Layer(24), gone.Layer(5, gone.Tanh())], seed=1)
    np.testing.assert_array_equal(image.parameters()[0], flat.parameters()[0])  # same draws
    np.testing.assert_array_equal(image.predict(X), flat.predict(X.reshape(7, -1)))
    for p, q in zip(image.gradients((X, Y)), flat.gradients((X.reshape(7, -1), Y)), strict=True):
        np.testing.assert_array_equal(p, q)
    a = image.train(gone.MBGD(3), (X, Y), 2).loss
    assert a == flat.train(gone.MBGD(3), (X.reshape(7, -1), Y), 2).loss


def test_a_convolutions_output_reaches_the_dense_layer_per_sample():
    net = gone.NeuralNetwork(
        [gone.Input((1, 4, 4)), gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(1)], seed=0
    )
    X = np.random.default_rng(1).normal(size=(3, 1, 4, 4))
    one_by_one = np.concatenate([net.predict(x[None]) for x in X])
    np.testing.assert_allclose(net.predict(X), one_by_one, rtol=1e-14)
    assert net.layers[2].output_shape == (8,)


def test_only_images_are_flattened():
    with pytest.raises(gone.ShapeError, match=r"layers\[2\] Flatten: expected an image input"):
        gone.NeuralNetwork([gone.Layer(4), gone.Layer(3), gone.Flatten(), gone.Layer(2)])
    with pytest.raises(gone.ShapeError, match=r"layers\[3\] dense Layer: .*put gone.Flatten\(\)"):
        gone.NeuralNetwork(
            [gone.Input((1, 5, 5)), gone.Conv2D(2, 3), gone.MaxPool2D(2), gone.Layer(2)]
        )
