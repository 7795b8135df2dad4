"""What every layer kind shares: hyperparameters that rebuild it, equality, the network's own
copies, what it saves (kind, config, state), and the layout of the arrays between layers."""

import numpy as np
import pytest

import gone
from gone.layers import LAYERS
from gone.layers.module import internal, public

KINDS = [
    gone.Layer(4, gone.Tanh()),
    gone.Input((1, 8, 8)),
    gone.Conv2D(3, 3, stride=2, padding=1, activation=gone.ReLU()),
    gone.MaxPool2D(2),
    gone.AvgPool2D(3, 1),
    gone.Flatten(),
    gone.Dropout(0.25),
    gone.BatchNorm(momentum=0.8, epsilon=1e-3, activation=gone.LeakyReLU(0.1)),
]


@pytest.mark.parametrize("layer", KINDS, ids=lambda layer: layer.kind)
def test_the_hyperparameters_rebuild_every_kind(layer):
    assert LAYERS[layer.kind] is type(layer)
    twin = type(layer)(**layer.config())
    assert twin == layer and hash(twin) == hash(layer) and repr(twin) == repr(layer)
    assert layer.unbuilt() == layer and not layer.unbuilt().built


def test_every_kind_is_registered():
    assert set(LAYERS) == {
        "dense",
        "input",
        "conv2d",
        "max_pool2d",
        "avg_pool2d",
        "flatten",
        "dropout",
        "batch_norm",
    }


def lenet(seed=0, **kwargs):
    layers = [
        gone.Input((1, 12, 12)),
        gone.Conv2D(4, 3, padding=1, activation=gone.ReLU()),
        gone.MaxPool2D(2),
        gone.BatchNorm(),
        gone.Conv2D(6, 3, activation=gone.Tanh()),
        gone.AvgPool2D(2),
        gone.Flatten(),
        gone.Layer(10, gone.ReLU()),
        gone.Dropout(0.5),
        gone.Layer(3, gone.Softmax()),
    ]
    return layers, gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=seed, **kwargs)


def test_a_network_builds_its_own_copy_of_every_layer():
    layers, net = lenet()
    assert net.layers == tuple(layers)  # equal: the same kinds and hyperparameters
    assert all(own is not given for own, given in zip(net.layers, layers, strict=True))
    assert not any(layer.built for layer in layers)  # the given layers stay descriptions
    again = gone.NeuralNetwork(net.layers, loss=net.loss, seed=1)  # a new network from them
    assert not np.array_equal(again.layers[1].W, net.layers[1].W)


def test_shapes_per_sample_and_parameters_in_layer_order():
    _, net = lenet()
    shapes = [layer.output_shape for layer in net.layers[1:]]
    assert shapes == [
        (4, 12, 12),
        (4, 6, 6),
        (4, 6, 6),
        (6, 4, 4),
        (6, 2, 2),
        (24,),
        (10,),
        (10,),
        (3,),
    ]
    conv, norm, conv2, dense, out = (net.layers[i] for i in (1, 3, 4, 7, 9))
    expected = [conv.W, conv.b, norm.gamma, norm.beta, conv2.W, conv2.b, dense.W, dense.b]
    assert all(p is q for p, q in zip(net.parameters(), expected + [out.W, out.b], strict=True))
    assert net.parameter_count == 40 + 8 + 222 + 250 + 33


def test_what_each_layer_saves():
    _, net = lenet()
    states = net.layer_states()
    assert [sorted(s) for s in states] == [
        [],
        ["W", "b"],
        [],
        ["beta", "gamma", "running_mean", "running_var"],
        ["W", "b"],
        [],
        [],
        ["W", "b"],
        [],
        ["W", "b"],
    ]
    assert states[1]["W"] is not net.layers[1].W  # copies
    twin = gone.NeuralNetwork.from_layer_states(net.layers, states, loss=net.loss)
    X = np.random.default_rng(0).normal(size=(4, 1, 12, 12))
    np.testing.assert_array_equal(twin.predict(X), net.predict(X))


def test_states_that_do_not_fit():
    layers, net = lenet()
    states = net.layer_states()
    with pytest.raises(gone.ShapeError, match="states: expected 10 dicts"):
        gone.NeuralNetwork.from_layer_states(layers, states[:-1], loss=net.loss)
    states[3].pop("running_var")
    with pytest.raises(gone.ConfigError, match=r"states\[3\] state: expected arrays"):
        gone.NeuralNetwork.from_layer_states(layers, states, loss=net.loss)
    states = net.layer_states()
    states[1]["W"] = states[1]["W"][:, :, :2]
    with pytest.raises(gone.ShapeError, match=r"states\[1\] W: expected shape \(4, 1, 3, 3\)"):
        gone.NeuralNetwork.from_layer_states(layers, states, loss=net.loss)
    states = net.layer_states()
    states[4]["b"][0, 0] = np.nan
    with pytest.raises(gone.DataError, match=r"states\[4\] b: expected finite numbers"):
        gone.NeuralNetwork.from_layer_states(layers, states, loss=net.loss)


def test_a_layer_is_built_once():
    conv = gone.Conv2D(2, 3)
    conv.build((1, 5, 5), np.float64)
    with pytest.raises(gone.ConfigError, match="expected a layer not yet in a network"):
        conv.build((1, 5, 5), np.float64)


def test_the_samples_move_to_the_last_axis_as_views():
    X = np.arange(2 * 3 * 4 * 5.0).reshape(2, 3, 4, 5)  # (B, C, H, W)
    A = internal(X)
    assert A.shape == (3, 4, 5, 2) and np.shares_memory(A, X)
    assert public(A).shape == X.shape and np.shares_memory(public(A), X)
    rows = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(internal(rows), rows.T)  # features: X.T, the same view
    assert internal(rows).strides == rows.T.strides and np.shares_memory(internal(rows), rows)


def test_the_arrays_are_in_the_networks_own_layers():
    conv = gone.Conv2D(2, 3)
    net = gone.NeuralNetwork([gone.Input((1, 5, 5)), conv, gone.Flatten(), gone.Layer(1)], seed=0)
    assert net.layers[1].W.shape == (2, 1, 3, 3)
    with pytest.raises(AttributeError, match=r"Conv2D has no W: a network builds its own copy"):
        _ = conv.W
    with pytest.raises(AttributeError, match="no attribute 'weights'"):
        _ = conv.weights
