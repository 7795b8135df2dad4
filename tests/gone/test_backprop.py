"""backprop: the walk through a network's layers gives exactly what the formulas on lists give, and
the training loop's in-place walk exactly what the pure one gives, bit for bit, for every pairing
of activations, losses and dtypes, and for a network with every kind of layer."""

import itertools

import numpy as np
import pytest

import gone
from gone import backprop
from gone.workspace import Workspace

HIDDEN = [
    gone.Sigmoid(),
    gone.Tanh(),
    gone.ReLU(),
    gone.LeakyReLU(0.1),
    gone.LeakyReLU(1.5),
    gone.Identity(),
    gone.Softmax(),
]
OUTPUTS = [  # (output activation, loss): the two fused pairs, and the chain rule for the rest
    (gone.Softmax(), gone.CrossEntropy()),
    (gone.Sigmoid(), gone.BinaryCrossEntropy()),
    (gone.Identity(), gone.MSE()),
    (gone.Tanh(), gone.MSE()),
    (gone.Softmax(), gone.MSE()),
    (gone.Sigmoid(), gone.CrossEntropy()),
    (gone.Softmax(), gone.BinaryCrossEntropy()),
]


def batch(dtype, n_out, batch_size, layout, soft, seed=0):
    """A0 (5, B) and targets Y (n_out, B): C-ordered, or transposed rows as a batch gathers them."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch_size, 5)).astype(dtype)  # (B, n_in)
    if soft:  # 9 outputs sum in a different order by layout: the sums must follow Y's own
        Y = rng.random((batch_size, n_out))
        Y /= Y.sum(axis=1, keepdims=True)
    else:
        Y = gone.one_hot(rng.integers(0, n_out, batch_size), n_out)
    Y = Y.astype(dtype)  # (B, n_out)
    if layout == "C":
        return np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    return X.T, Y.T  # F order: views of the rows


def fill_with_nan(buffers):
    """Garbage in the buffers must not leak into the results."""
    for layer in buffers:
        for array in (layer.Z, layer.A, layer.dZ, layer.scratch, layer.column):
            array.fill(np.nan)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("output", "loss"), OUTPUTS, ids=lambda x: type(x).__name__)
@pytest.mark.parametrize("hidden", HIDDEN, ids=repr)
def test_the_walks_give_the_formulas_on_lists_bit_for_bit(hidden, output, loss, dtype):
    for batch_size, layout, soft in itertools.product((1, 7), ("C", "F"), (False, True)):
        net = gone.NeuralNetwork(
            [gone.Layer(5), gone.Layer(6, hidden), gone.Layer(4, hidden), gone.Layer(9, output)],
            loss=loss,
            seed=3,
            dtype=dtype,
        )
        W, b, f = net._weights, net._biases, net._activations
        A0, Y = batch(dtype, 9, batch_size, layout, soft)
        Zs, As = backprop.forward(W, b, f, A0)  # the formulas on lists, as tutorial 1 reads them
        dWs, dbs = backprop.backward(W, f, loss, Zs, As, Y)
        expected = [g for pair in zip(dWs, dbs, strict=True) for g in pair]

        layers = net._modules
        A = backprop.forward_layers(layers, A0, training=True)
        np.testing.assert_array_equal(A, As[-1], strict=True)
        backprop.backward_layers(layers, loss, Y)
        pure = [g for layer in layers for g in layer.gradients()]
        for got, want in zip(pure, expected, strict=True):
            np.testing.assert_array_equal(got, want, strict=True)

        work = Workspace(layers, net.input_shape, dtype)
        buffers = work.batch(batch_size).layers
        fill_with_nan(buffers)
        backprop.forward_layers_into(layers, A0, buffers, training=True)
        for l, layer in enumerate(buffers):
            np.testing.assert_array_equal(layer.Z, Zs[l], strict=True)
            np.testing.assert_array_equal(layer.A, As[l + 1], strict=True)
        value = loss.value_into(f[-1], buffers[-1], Y)
        assert value == loss.value(f[-1], Zs[-1], As[-1], Y)
        backprop.backward_layers_into(layers, loss, Y, buffers, work.layer_gradients)
        for got, want in zip(work.gradients, expected, strict=True):
            np.testing.assert_array_equal(got, want, strict=True)


def test_in_place_pass_reads_its_inputs_only():
    net = gone.NeuralNetwork(
        [gone.Layer(5), gone.Layer(6, gone.ReLU()), gone.Layer(9, gone.Softmax())],
        loss=gone.CrossEntropy(),
        seed=0,
    )
    A0, Y = batch(np.float64, 9, 7, "F", soft=True)
    saved = [a.copy() for a in (A0, Y, *net.parameters())]
    work = Workspace(net._modules, net.input_shape, np.float64)
    buffers = work.batch(7).layers
    backprop.forward_layers_into(net._modules, A0, buffers, training=True)
    net.loss.value_into(net._activations[-1], buffers[-1], Y)
    backprop.backward_layers_into(net._modules, net.loss, Y, buffers, work.layer_gradients)
    for before, after in zip(saved, (A0, Y, *net.parameters()), strict=True):
        np.testing.assert_array_equal(before, after)


def test_the_first_layer_computes_no_input_gradient():
    net = gone.NeuralNetwork([gone.Layer(3), gone.Layer(2, gone.Tanh()), gone.Layer(1)], seed=0)
    first = net._modules[0]
    calls = []
    original = first.backward

    def spy(dA, input_gradient=True):
        calls.append(input_gradient)
        return original(dA, input_gradient)

    first.backward = spy
    net.gradients((np.ones((4, 3)), np.zeros((4, 1))))
    assert calls == [False]


def every_kind(dtype, seed=3):
    """A small network with a layer of every kind, overlapping windows and both paddings."""
    layers = [
        gone.Input((2, 11, 16)),
        gone.Conv2D(4, 3, padding=1, activation=gone.ReLU()),
        gone.MaxPool2D(3, 2),
        gone.BatchNorm(activation=gone.Tanh()),
        gone.Dropout(0.3),
        gone.Conv2D(3, (2, 3), stride=(1, 2), activation=gone.Sigmoid()),
        gone.AvgPool2D(2, 1),
        gone.MaxPool2D(2),
        gone.Flatten(),
        gone.Layer(7, gone.LeakyReLU(0.1)),
        gone.BatchNorm(),
        gone.Dropout(0.5),
        gone.Layer(4, gone.Softmax()),
    ]
    return gone.NeuralNetwork(
        layers, loss=gone.CrossEntropy(), seed=seed, dtype=dtype, initializer=gone.He()
    )


@pytest.mark.parametrize("batch_size", [1, 6])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_kind_of_layer_in_place_gives_the_pure_pass_bit_for_bit(dtype, batch_size):
    net = every_kind(dtype)
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(batch_size, 2, 11, 16)).astype(dtype)  # (B, C, H, W), as gathered
    Y = gone.one_hot(rng.integers(0, 4, batch_size), 4, dtype=dtype).T  # (n_out, B)
    A0 = np.moveaxis(rows, 0, -1)  # (C, H, W, B), the view training reads
    layers, state = net._modules, net.rng.bit_generator.state
    statistics = [s.copy() for s in net._statistics]

    outputs, A = [], A0
    for layer in layers:
        A = layer.forward(A, training=True)
        outputs.append(A)
    backprop.backward_layers(layers, net.loss, Y)
    pure = [g for layer in layers for g in layer.gradients()]
    pure_statistics = [s.copy() for s in net._statistics]

    net.rng.bit_generator.state = state  # the same dropout masks
    for own, saved in zip(net._statistics, statistics, strict=True):
        own[...] = saved  # the running statistics as they were
    work = Workspace(layers, net.input_shape, dtype)
    buffers = work.batch(batch_size).layers
    for buffer in buffers:  # garbage in the buffers must not leak into the results...
        slots = [name for cls in type(buffer).__mro__ for name in getattr(cls, "__slots__", ())]
        for name in slots + list(getattr(buffer, "__dict__", {})):
            array = getattr(buffer, name)
            if isinstance(array, np.ndarray) and array.dtype == dtype and name != "padded":
                array.fill(np.nan)  # ... except a padding's zeros, written once by design
    A = A0
    for layer, buffer, expected in zip(layers, buffers, outputs, strict=True):
        A = layer.forward_into(A, buffer, training=True)
        np.testing.assert_array_equal(A, expected, strict=True)
    for got, want in zip(net._statistics, pure_statistics, strict=True):
        np.testing.assert_array_equal(got, want, strict=True)
    value = net.loss.value_into(layers[-1].activation, buffers[-1], Y)
    _, Z, A = layers[-1].saved
    assert value == net.loss.value(layers[-1].activation, Z, A, Y)
    backprop.backward_layers_into(layers, net.loss, Y, buffers, work.layer_gradients)
    for got, want in zip(work.gradients, pure, strict=True):
        np.testing.assert_array_equal(got, want, strict=True)
