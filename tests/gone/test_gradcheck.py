"""Backpropagation against central finite differences, for every pairing and depth 1..3."""

import numpy as np
import pytest

import gone

ACTIVATIONS = [
    gone.Sigmoid(),
    gone.Tanh(),
    gone.ReLU(),
    gone.LeakyReLU(0.1),
    gone.Identity(),
    gone.Softmax(),
]
LOSSES = [gone.MSE(), gone.CrossEntropy(), gone.BinaryCrossEntropy()]


def cases():
    for loss in LOSSES:
        for output in ACTIVATIONS:
            if loss.needs_probabilities and not output.outputs_probabilities:
                continue  # refused at construction: log of a negative output
            yield pytest.param(loss, output, None, 1, id=f"{loss.name}-{output.name}-depth1")
            for hidden in ACTIVATIONS:
                for depth in (2, 3):
                    yield pytest.param(
                        loss,
                        output,
                        hidden,
                        depth,
                        id=f"{loss.name}-{output.name}-{hidden.name}-depth{depth}",
                    )


def targets_for(loss, rng, n):
    if isinstance(loss, gone.MSE):
        return rng.normal(size=(n, 3))
    if isinstance(loss, gone.CrossEntropy):
        return gone.one_hot(rng.integers(0, 3, n), 3)
    return (rng.random((n, 3)) > 0.5).astype(float)  # multi-label 0/1 targets


@pytest.mark.parametrize(("loss", "output", "hidden", "depth"), list(cases()))
def test_gradients_match_finite_differences(loss, output, hidden, depth):
    rng = np.random.default_rng(depth)
    layers = (
        [gone.Layer(3)]
        + [gone.Layer(4, hidden) for _ in range(depth - 1)]
        + [gone.Layer(3, output)]
    )
    net = gone.NeuralNetwork(layers, loss=loss, seed=depth, initializer=gone.Normal(0, 0.8))
    data = gone.DataSet.from_arrays(rng.normal(size=(5, 3)), targets_for(loss, rng, 5))
    result = gone.gradient_check(net, data)
    assert result.ok, f"\n{result}"
    assert result.max_error < 1e-6


SOFT_TARGETS = {
    "soft": lambda rng, n: rng.dirichlet(np.ones(3), n),  # rows sum to 1
    "multi-hot": lambda rng, n: (rng.random((n, 3)) > 0.4).astype(float),
    "unnormalized": lambda rng, n: rng.uniform(0, 2, (n, 3)),
}


@pytest.mark.parametrize("kind", sorted(SOFT_TARGETS))
@pytest.mark.parametrize(
    ("loss", "output"),
    [(gone.CrossEntropy(), gone.Softmax()), (gone.BinaryCrossEntropy(), gone.Sigmoid())],
    ids=["softmax-cross_entropy", "sigmoid-binary_cross_entropy"],
)
def test_fused_gradients_are_right_for_targets_that_are_not_one_hot(loss, output, kind):
    # The old fused A - Y after Softmax assumed rows summing to 1: errors of 0.16-0.39 here.
    rng = np.random.default_rng(7)
    net = gone.NeuralNetwork(
        [gone.Layer(3), gone.Layer(4, gone.Tanh()), gone.Layer(3, output)],
        loss=loss,
        seed=7,
        initializer=gone.Normal(0, 0.8),
    )
    targets = SOFT_TARGETS[kind](rng, 6)
    if isinstance(loss, gone.BinaryCrossEntropy):
        targets = np.clip(targets, 0, 1)  # per-output probabilities
    result = gone.gradient_check(net, (rng.normal(size=(6, 3)), targets))
    assert result.ok, f"\n{result}"


def test_it_uses_only_the_public_network():
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(2, gone.Sigmoid())], seed=0)
    with pytest.raises(gone.ConfigError, match="net: expected a gone.NeuralNetwork, got 'net'"):
        gone.gradient_check("net", ([[1.0, 2.0]], [[0.0, 1.0]]))
    with pytest.raises(gone.ConfigError, match="epsilon: expected a finite number > 0, got 0"):
        gone.gradient_check(net, ([[1.0, 2.0]], [[0.0, 1.0]]), epsilon=0)
    with pytest.raises(gone.ShapeError, match="data inputs: expected 2 columns"):
        gone.gradient_check(net, ([[1.0]], [[0.0, 1.0]]))


def test_a_wrong_gradient_is_caught_and_named(monkeypatch):
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(1)], seed=0)
    data = gone.DataSet.from_arrays([[0.5, -1.0], [1.0, 2.0]], [[1.0], [0.0]])
    broken = gone.Tanh()
    monkeypatch.setattr(type(broken), "derivative", lambda self, Z, A: 1 - A)  # should be 1 - A^2
    result = gone.gradient_check(net, data)
    assert not result.ok
    assert (
        result.errors["W0"] > 1e-3 and result.errors["b1"] < 1e-6
    )  # the output layer is untouched
    assert "W0" in str(result) and "<-- wrong" in str(result)


def test_parameters_are_restored():
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(2, gone.Sigmoid())], seed=0)
    before = [p.copy() for p in net.parameters()]
    gone.gradient_check(net, ([[1.0, 2.0]], [[0.0, 1.0]]))
    for p, q in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, q)


def test_a_trained_minimum_is_explained():
    # XOR trained to a loss of ~1e-30: the gradients are ~1e-15, below what differences resolve.
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1)],
                             learning_rate=0.1, seed=1)  # fmt: skip
    data = gone.DataSet.from_arrays([[1, 0], [0, 1], [1, 1], [0, 0]], [[1], [1], [0], [0]])
    net.train(gone.SGD(), data, 1500)
    result = gone.gradient_check(net, data)
    assert not result.ok and min(result.gradient_norms.values()) < 1e-8
    assert "nearly zero" in str(result)
    fresh = gone.gradient_check(gone.NeuralNetwork(list(net.layers), seed=1), data)
    assert fresh.ok and "nearly zero" not in str(fresh)


COMBINATIONS = {
    "lenet": [
        gone.Input((1, 10, 10)),
        gone.Conv2D(3, 3, padding=1, activation=gone.Tanh()),
        gone.MaxPool2D(2),
        gone.Conv2D(4, 3, activation=gone.Tanh()),
        gone.MaxPool2D(2),
        gone.Flatten(),
        gone.Layer(6, gone.Tanh()),
        gone.Layer(3, gone.Softmax()),
    ],
    "conv-tanh-norm-sigmoid, stride 2, odd": [
        gone.Input((2, 9, 7)),
        gone.Conv2D(3, 3, stride=2, padding=1, activation=gone.Tanh()),
        gone.BatchNorm(activation=gone.Sigmoid()),
        gone.AvgPool2D(2, 1),
        gone.Flatten(),
        gone.Layer(3, gone.Softmax()),
    ],
    "dropout and norms everywhere": [
        gone.Input((1, 8, 8)),
        gone.Conv2D(2, (3, 2), activation=gone.Tanh()),
        gone.Dropout(0.3),
        gone.BatchNorm(),
        gone.MaxPool2D(3, 2),
        gone.Flatten(),
        gone.Dropout(0.2),
        gone.Layer(5, gone.Tanh()),
        gone.BatchNorm(momentum=0.5),
        gone.Dropout(0.5),
        gone.Layer(3, gone.Softmax()),
    ],
    "dense from images": [
        gone.Input((2, 3, 3)),
        gone.Flatten(),
        gone.Layer(4, gone.Tanh()),
        gone.BatchNorm(activation=gone.Tanh()),
        gone.Layer(3, gone.Sigmoid()),
    ],
}


@pytest.mark.parametrize("name", sorted(COMBINATIONS))
def test_every_kind_of_layer_together(name):
    layers = COMBINATIONS[name]
    rng = np.random.default_rng(3)
    loss = gone.BinaryCrossEntropy() if name == "dense from images" else gone.CrossEntropy()
    net = gone.NeuralNetwork(layers, loss=loss, seed=5, initializer=gone.Normal(0, 0.5))
    X = rng.normal(size=(6, *layers[0].shape))
    Y = gone.one_hot(rng.integers(0, 3, 6), 3)
    before = [a.copy() for state in net.layer_states() for a in state.values()]
    rng_state = net.rng.bit_generator.state
    result = gone.gradient_check(net, (X, Y))
    assert result.ok and result.max_error < 1e-7, f"\n{result}"
    after = [a for state in net.layer_states() for a in state.values()]
    assert all(np.array_equal(p, q) for p, q in zip(before, after, strict=True))
    assert net.rng.bit_generator.state == rng_state  # the network as it was


def test_a_bias_right_before_a_batch_norm_has_no_gradient():
    # conv, norm, ReLU: the norm subtracts each channel's mean, so the convolution's bias changes
    # nothing; its gradient is zero (to rounding), and every other gradient is checked as usual.
    layers = [
        gone.Input((1, 6, 6)),
        gone.Conv2D(3, 3, padding=1),
        gone.BatchNorm(activation=gone.ReLU()),
        gone.Flatten(),
        gone.Layer(3, gone.Softmax()),
    ]
    net = gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=1, initializer=gone.Normal())
    rng = np.random.default_rng(0)
    result = gone.gradient_check(
        net, (rng.normal(size=(8, 1, 6, 6)), gone.one_hot([0, 1, 2] * 2 + [0, 1], 3))
    )
    assert result.gradient_norms["b0"] < 1e-15
    assert max(e for name, e in result.errors.items() if name != "b0") < 1e-7, f"\n{result}"
