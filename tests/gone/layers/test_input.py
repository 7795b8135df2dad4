"""Input: the shape of one sample; Input(n) is the first Layer(n) of Go's networks."""

import numpy as np
import pytest

import gone


def test_input_n_is_the_first_layer_n():
    a = gone.NeuralNetwork([gone.Input(3), gone.Layer(2, gone.Tanh()), gone.Layer(1)], seed=4)
    b = gone.NeuralNetwork([gone.Layer(3), gone.Layer(2, gone.Tanh()), gone.Layer(1)], seed=4)
    X = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    assert a.input_shape == b.input_shape == (3,) and a.n_inputs == 3
    assert gone.Input(3) == gone.Input((3,)) and repr(gone.Input((1, 28, 28))) == (
        "Input(shape=(1, 28, 28))"
    )


def test_images_have_a_shape_and_a_count():
    net = gone.NeuralNetwork(
        [gone.Input((3, 4, 5)), gone.Flatten(), gone.Layer(2, gone.Softmax())],
        loss=gone.CrossEntropy(),
    )
    assert net.input_shape == (3, 4, 5) and net.n_inputs == 60


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((1, 28), r"Input shape: expected \(n,\) features or \(channels, height, width\)"),
        ((0, 4, 4), r"Input shape sizes: expected an int in \[1, 16777216\], got 0"),
        ("28", "Input shape sizes: expected an int"),
    ],
)
def test_bad_shapes(shape, message):
    with pytest.raises(gone.ConfigError, match=message):
        gone.Input(shape)


def test_input_comes_first_only():
    with pytest.raises(
        gone.ConfigError, match=r"layers\[1\]: expected gone.Input only as the first"
    ):
        gone.NeuralNetwork([gone.Layer(2), gone.Input(2), gone.Layer(1)])
    with pytest.raises(
        gone.ConfigError, match=r"layers\[0\] is the input: expected gone.Layer\(n\)"
    ):
        gone.NeuralNetwork([gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(1)])
