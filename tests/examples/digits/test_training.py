"""The gone glue: networks and optimizers from names, training with shifts and patience."""

import numpy as np
import pytest

import gone
from examples.digits.datasets import Digits, load_cifar10, load_mnist, load_sklearn_digits
from examples.digits.training import (
    CNN_BLOCKS,
    build_cnn,
    build_network,
    fit,
    hidden_sizes,
    make_optimizer,
    model_kind,
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


def test_dropout_follows_every_hidden_layer_of_an_mlp():
    net = build_network(64, [32, 16], dropout=0.25, seed=1)
    kinds = [layer.kind for layer in net.layers]
    assert kinds == ["dense", "dense", "dropout", "dense", "dropout", "dense"]
    assert net.layers[2].rate == 0.25
    assert hidden_sizes(net) == [32, 16] and model_kind(net) == "mlp"
    assert "dropout" not in [layer.kind for layer in build_network(64, [32]).layers]


def test_build_cnn_layout():
    net = build_cnn((1, 8, 8), ((16,), (32,)), [64], "relu", dropout=0.3, seed=1)
    kinds = [layer.kind for layer in net.layers]
    assert kinds == [
        "input",
        "conv2d", "batch_norm", "max_pool2d",
        "conv2d", "batch_norm", "max_pool2d",
        "flatten", "dense", "dropout", "dense",
    ]  # fmt: skip
    conv, norm = net.layers[1], net.layers[2]
    assert conv.kernel_size == (3, 3) and conv.padding == (1, 1) and conv.stride == (1, 1)
    assert isinstance(conv.activation, gone.Identity)  # the norm applies the ReLU
    assert isinstance(norm.activation, gone.ReLU)
    assert [layer.output_shape for layer in net.layers[1:8]] == [
        (16, 8, 8), (16, 8, 8), (16, 4, 4), (32, 4, 4), (32, 4, 4), (32, 2, 2), (128,),
    ]  # fmt: skip
    assert net.layers[4].W.shape == (32, 16, 3, 3)
    assert net.layers[9].rate == 0.3
    assert isinstance(net.layers[-1].activation, gone.Softmax) and net.n_outputs == 10
    assert isinstance(net.loss, gone.CrossEntropy) and isinstance(net.initializer, gone.He)
    assert net.input_shape == (1, 8, 8) and net.dtype == np.float32
    assert model_kind(net) == "cnn" and hidden_sizes(net) == [64]


def test_two_convolutions_in_a_block_share_its_pool():
    net = build_cnn((3, 32, 32), ((8, 8), (16,)), [], "tanh", seed=0)
    kinds = [layer.kind for layer in net.layers]
    assert kinds.count("conv2d") == 3 and kinds.count("max_pool2d") == 2
    assert kinds[1:6] == ["conv2d", "batch_norm", "conv2d", "batch_norm", "max_pool2d"]
    assert isinstance(net.layers[2].activation, gone.Tanh)
    assert isinstance(net.initializer, gone.Xavier)
    assert hidden_sizes(net) == [] and net.layers[-2].kind == "flatten"


@pytest.mark.parametrize(
    ("dataset", "input_shape", "features"),
    [("digits", (1, 8, 8), 128), ("mnist", (1, 28, 28), 576), ("cifar10", (3, 32, 32), 2048)],
)
def test_every_data_set_has_its_cnn(dataset, input_shape, features):
    net = build_cnn(input_shape, CNN_BLOCKS[dataset], [32], seed=0)
    flatten = next(layer for layer in net.layers if layer.kind == "flatten")
    assert flatten.output_shape == (features,)  # what the table's comment says


def test_unknown_names_list_the_choices():
    with pytest.raises(ValueError, match="activation: expected one of relu, leakyrelu, tanh"):
        build_network(64, [8], "swish")
    with pytest.raises(ValueError, match="activation: expected one of relu, leakyrelu, tanh"):
        build_cnn((1, 8, 8), ((4,),), [], "swish")
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


def test_a_cnn_trains_on_the_digits_as_images(digits):
    net = build_cnn(digits.input_shape, CNN_BLOCKS["digits"], [32], seed=1, dropout=0.3)
    split = split_validation(digits, 0.1, seed=1, input_shape=net.input_shape)
    assert split.train.input_shape == (1, 8, 8) and split.validation.input_shape == (1, 8, 8)
    history = fit(net, gone.Adam(batch_size=32), split, 2, digits.image_shape, seed=1)
    assert history.epochs == 2 and history.loss[-1] < history.loss[0]
    scores = score_on_test(net, digits)
    assert scores.accuracy > 0.7  # chance is 0.1; two epochs
    assert scores.predictions.shape == digits.y_test.shape


def test_shifts_and_flips_train_a_cnn_every_epoch_from_the_seed(digits):
    split = split_validation(digits, 0.1, seed=1, input_shape=digits.input_shape)
    losses = []
    for _ in range(2):
        net = build_cnn(digits.input_shape, ((4,),), [], seed=3)
        history = fit(net, gone.Adam(64), split, 2, digits.image_shape, shift=1, flip=True, seed=3)
        losses.append(history.loss)
    assert len(losses[0]) == 2 and losses[0] == losses[1]
    unflipped = build_cnn(digits.input_shape, ((4,),), [], seed=3)
    assert (
        fit(unflipped, gone.Adam(64), split, 2, digits.image_shape, shift=1, seed=3).loss
        != (losses[0])
    )


def test_early_stopping_with_shifts_gives_a_cnn_back_its_best_epoch_running_statistics(digits):
    # A learning rate this high makes the validation loss go up and down within a few epochs.
    net = build_cnn(digits.input_shape, ((4,),), [], learning_rate=0.05, seed=2)
    split = split_validation(digits, 0.2, seed=1, input_shape=net.input_shape)
    history = fit(net, gone.Adam(64), split, 20, digits.image_shape, shift=1, patience=2, seed=2)
    best = int(np.argmin(history.val_loss))
    assert best < history.epochs - 1  # it stopped after epochs that did worse
    # The batch norm's running mean and variance drive evaluate: they are the best epoch's too.
    assert net.evaluate(split.validation).loss == pytest.approx(history.val_loss[best], rel=1e-6)


def test_the_drawing_window_gives_a_cnn_its_image(digits):
    net = build_cnn(digits.input_shape, ((4,),), [8], seed=0)
    probabilities = probability_function(net)(digits.x_test[0])  # a flat (64,) row, as drawn
    assert probabilities.shape == (10,)
    np.testing.assert_allclose(probabilities, net.predict(digits.x_test[0].reshape(1, 8, 8)))


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_colour_images_train(tmp_path, write_cifar10, model):
    write_cifar10(tmp_path, records=20)
    data = load_cifar10(tmp_path, download=False)
    if model == "cnn":
        net = build_cnn(data.input_shape, ((4,), (8,)), [16], seed=0)
    else:
        net = build_network(data.features, [16], seed=0)
    split = split_validation(data, 0.1, seed=0, input_shape=net.input_shape)
    history = fit(net, gone.Adam(16), split, 2, data.image_shape, shift=2, flip=True, seed=0)
    assert history.epochs == 2 and np.isfinite(history.loss).all()
    assert score_on_test(net, data).predictions.shape == (20,)
