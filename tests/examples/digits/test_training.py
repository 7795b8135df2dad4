"""The gone glue: networks and optimizers from names, training with shifts and patience."""

import numpy as np
import pytest

import gone
from examples.digits.datasets import Digits, load_mnist, load_sklearn_digits
from examples.digits.training import (
    build_network,
    fit,
    make_optimizer,
    probability_function,
    score_on_test,
    split_validation,
)


@pytest.fixture(scope="module")
def digits():
    return load_sklearn_digits(0.25, seed=0)


def test_build_network_layout():
    net = build_network(64, [32, 16], "tanh", learning_rate=0.01, seed=1, dtype="float64")
    assert [layer.nodes for layer in net.layers] == [64, 32, 16, 10]
    assert isinstance(net.layers[1].activation, gone.Tanh)
    assert isinstance(net.layers[-1].activation, gone.Softmax)
    assert isinstance(net.loss, gone.CrossEntropy)
    assert net.learning_rate == 0.01 and net.dtype == np.float64
    assert isinstance(net.initializer, gone.Xavier)
    assert isinstance(build_network(64, [8]).initializer, gone.He)
    assert [layer.nodes for layer in build_network(64, []).layers] == [64, 10]


def test_unknown_names_list_the_choices():
    with pytest.raises(ValueError, match="activation: expected one of relu, leakyrelu, tanh"):
        build_network(64, [8], "swish")
    with pytest.raises(
        ValueError, match="initializer: expected one of he, normal, uniform, xavier"
    ):
        build_network(64, [8], initializer="zeros")
    with pytest.raises(ValueError, match="optimizer: expected one of adam"):
        make_optimizer("lbfgs")


@pytest.mark.parametrize(
    "name, kind, batch",
    [
        ("adam", gone.Adam, 16),
        ("rmsprop", gone.RMSProp, 16),
        ("mbgd", gone.MBGD, 16),
        ("sgd", gone.SGD, 1),
        ("gd", gone.GD, None),
    ],
)
def test_make_optimizer(name, kind, batch):
    optimizer = make_optimizer(name, batch_size=16, momentum=0.5 if name != "adam" else 0.0)
    assert isinstance(optimizer, kind)
    assert optimizer.batch_size == batch


def test_a_few_epochs_learn_the_digits_well_above_chance(digits):
    split = split_validation(digits, 0.1, seed=1)
    net = build_network(digits.features, [64], seed=1)
    history = fit(net, gone.Adam(batch_size=32), split, 5, digits.image_shape, seed=1)
    assert history.epochs == 5
    assert history.loss[-1] < history.loss[0]
    scores = score_on_test(net, digits)
    assert scores.accuracy > 0.85  # chance is 0.1
    assert scores.predictions.shape == digits.y_test.shape
    assert scores.accuracy == pytest.approx(np.mean(scores.predictions == digits.y_test))


def test_shifted_training_runs_every_epoch_and_carries_the_schedule(digits):
    split = split_validation(digits, 0.1, seed=1)
    net = build_network(digits.features, [32], seed=2)
    history = fit(net, gone.Adam(32), split, 3, digits.image_shape, shift=1, lr_decay=0.5, seed=2)
    assert history.epochs == 3 and net.history.epochs == 3
    assert history.learning_rate == pytest.approx([0.001, 0.0005, 0.00025])
    assert all(v is not None for v in history.val_accuracy)


def test_same_seed_same_shifted_training(digits):
    split = split_validation(digits, 0.1, seed=1)
    losses = []
    for _ in range(2):
        net = build_network(digits.features, [16], seed=3)
        losses.append(fit(net, gone.Adam(32), split, 2, digits.image_shape, shift=1, seed=3).loss)
    assert losses[0] == losses[1]


@pytest.mark.parametrize("shift", [0, 1])
def test_patience_stops_and_keeps_the_best_weights(shift):
    # A tiny training set and a big learning rate: validation loss soon gets worse.
    full = load_sklearn_digits(0.25, seed=0)
    small = Digits(
        "digits", full.x_train[:150], full.y_train[:150], full.x_test, full.y_test, full.image_shape
    )
    split = split_validation(small, 0.3, seed=0)
    net = build_network(small.features, [64], learning_rate=0.02, seed=0)
    history = fit(net, gone.Adam(16), split, 60, small.image_shape, shift=shift, patience=3, seed=0)
    assert history.epochs < 60
    best = int(np.argmin(history.val_loss))
    assert history.epochs == best + 1 + 3
    assert net.evaluate(split.validation).loss == pytest.approx(history.val_loss[best], rel=1e-5)
    # The optimizer is back at its best epoch too: the steps of best + 1 epochs of batch 16.
    steps_per_epoch = -(-len(split.train) // 16)
    assert net.optimizer.steps == (best + 1) * steps_per_epoch


def test_probability_function_takes_one_vector(digits):
    net = build_network(digits.features, [8], seed=0)
    predict_proba = probability_function(net)
    probabilities = predict_proba(digits.x_test[0])
    assert probabilities.shape == (10,)
    assert probabilities.sum() == pytest.approx(1.0, rel=1e-5)


def test_mnist_shaped_data_trains(tmp_path, write_mnist):
    write_mnist(tmp_path, train=200, test=50)
    data = load_mnist(tmp_path, download=False)
    split = split_validation(data, 0.1, seed=0)
    net = build_network(data.features, [32], seed=0)
    fit(net, gone.Adam(32), split, 8, data.image_shape, shift=1, seed=0)
    assert score_on_test(net, data).accuracy > 0.6
