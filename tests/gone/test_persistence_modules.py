"""Networks of other layers than dense ones in .gone files (format version 2, gone's Modules
field): every kind comes back exactly, training resumes bit for bit, and reading does bounded work.

The broken files of this kind are in tests/fixtures/broken/cnn_*.gone (test_persistence_errors.py);
what Go's schema sees of these files is in test_persistence_go.py.
"""

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import gone
from gone import gone_pb2
from gone.errors import ConfigError, DataError, FormatError
from gone.persistence import fields, from_bytes, load, to_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def image_data(n=16, shape=(2, 6, 5), classes=3, seed=0) -> gone.DataSet:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, *shape))  # (n, C, H, W) or (n, features)
    return gone.DataSet.from_arrays(X, np.eye(classes)[rng.integers(0, classes, n)])


def every_kind(**settings) -> gone.NeuralNetwork:
    """Each layer kind once at least: images in, a convolution, both poolings, batch norms over
    channels and over features, Flatten, dense layers and dropout."""
    layers = [
        gone.Input((2, 6, 5)),
        gone.Conv2D(3, (3, 2), padding=(1, 0), activation=gone.LeakyReLU(0.1)),  # 3x6x4
        gone.BatchNorm(momentum=0.8, activation=gone.ReLU()),
        gone.MaxPool2D(2, stride=1),  # 3x5x3
        gone.AvgPool2D((1, 3)),  # 3x5x1
        gone.Flatten(),  # 15
        gone.Layer(6, gone.Tanh()),
        gone.Dropout(0.25),
        gone.BatchNorm(epsilon=1e-3),
        gone.Layer(3, gone.Softmax()),
    ]
    settings = {"loss": gone.CrossEntropy(), "seed": 4, "initializer": gone.He(), **settings}
    return gone.NeuralNetwork(layers, **settings)


def strided(**settings) -> gone.NeuralNetwork:
    layers = [
        gone.Input((1, 7, 7)),
        gone.Conv2D(2, 3, stride=2, padding=1, activation=gone.Sigmoid()),  # 2x4x4
        gone.AvgPool2D((2, 1), stride=(1, 1)),  # 2x3x4
        gone.Conv2D(4, (2, 3), stride=(1, 2)),  # 4x2x1
        gone.Flatten(),
        gone.Layer(3, gone.Softmax()),
    ]
    return gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=1, **settings)


def features(**settings) -> gone.NeuralNetwork:
    """Dense layers with a batch norm and dropout between them: not Go's network any more."""
    layers = [
        gone.Layer(5),
        gone.Layer(4, gone.ReLU()),
        gone.BatchNorm(momentum=0.5),
        gone.Dropout(0.4),
        gone.Layer(3, gone.Softmax()),
    ]
    return gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=2, **settings)


def input_of_features(**settings) -> gone.NeuralNetwork:
    """Dense layers after gone.Input(5): the same math as Layer(5) first, kept as it was given."""
    layers = [gone.Input(5), gone.Layer(4, gone.Sigmoid()), gone.Layer(3, gone.Softmax())]
    return gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=3, **settings)


NETWORKS = {
    "every kind": (every_kind, (2, 6, 5)),
    "strided": (strided, (1, 7, 7)),
    "features": (features, (5,)),
    "input of features": (input_of_features, (5,)),
}


def trained(name: str, dtype=np.float64, optimizer=None, epochs=2) -> gone.NeuralNetwork:
    make, shape = NETWORKS[name]
    net = make(dtype=dtype)
    data = image_data(shape=shape).astype(dtype)
    net.train(gone.Adam(batch_size=4) if optimizer is None else optimizer, data, epochs=epochs)
    return net


def assert_same_network(a: gone.NeuralNetwork, b: gone.NeuralNetwork, timed=True) -> None:
    """Everything a network is, compared exactly: every layer's kind and hyperparameters, every
    array (weights, running statistics) bit for bit, the settings, the history (its seconds
    only when `timed`: two trainings take different times), the generator, the optimizer's
    state."""
    assert a.layers == b.layers
    assert [type(layer) for layer in a.layers] == [type(layer) for layer in b.layers]
    assert (a.loss, a.learning_rate, a.dtype, a.initializer) == (
        b.loss,
        b.learning_rate,
        b.dtype,
        b.initializer,
    )
    for i, (mine, theirs) in enumerate(zip(a.layer_states(), b.layer_states(), strict=True)):
        assert mine.keys() == theirs.keys(), i
        for name in mine:
            assert mine[name].dtype == theirs[name].dtype == a.dtype
            assert mine[name].shape == theirs[name].shape
            assert mine[name].tobytes() == theirs[name].tobytes(), (i, name)  # -0.0 included
    for field in gone.History.FIELDS:
        if timed or field != "seconds":
            assert getattr(a.history, field) == getattr(b.history, field), field
    assert a.rng.bit_generator.state == b.rng.bit_generator.state
    assert (a.optimizer is None) == (b.optimizer is None)
    if a.optimizer is not None:
        assert type(a.optimizer) is type(b.optimizer)
        assert a.optimizer.params() == b.optimizer.params()
        mine, theirs = a.optimizer.state(), b.optimizer.state()
        assert mine["steps"] == theirs["steps"]
        assert mine["slots"].keys() == theirs["slots"].keys()
        for name, arrays in mine["slots"].items():
            for p, q in zip(arrays, theirs["slots"][name], strict=True):
                assert p.shape == q.shape and p.dtype == q.dtype and p.tobytes() == q.tobytes()


# ---- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_kind_round_trips_exactly(name, dtype):
    net = trained(name, dtype)
    data = net.to_bytes()
    twin = from_bytes(data)
    assert_same_network(net, twin)
    X = image_data(5, shape=NETWORKS[name][1], seed=9).inputs
    assert np.array_equal(net.predict(X), twin.predict(X))
    assert twin.to_bytes() == data


def test_weights_running_statistics_and_the_dropout_rate_come_back():
    net = trained("every kind")
    twin = from_bytes(net.to_bytes())
    assert twin.layers[7].rate == 0.25
    assert twin.layers[2].momentum == 0.8 and twin.layers[8].epsilon == 1e-3
    assert twin.layers[1].W.shape == (3, 2, 3, 2)  # (filters, channels, kh, kw)
    trained_var = net.layers[2].running_var
    assert not np.array_equal(trained_var, np.ones_like(trained_var))  # learned, not the start
    assert twin.layers[2].running_var.tobytes() == trained_var.tobytes()
    assert twin.layers[8].running_mean.tobytes() == net.layers[8].running_mean.tobytes()
    # The arrays are the network's own: training the twin moves them, not the original's.
    assert twin.layers[2].running_var is not net.layers[2].running_var


def test_an_untrained_network_comes_back_without_optimizer():
    net = every_kind()
    twin = from_bytes(net.to_bytes())
    assert_same_network(net, twin)
    assert twin.optimizer is None and twin.history.epochs == 0


@pytest.mark.parametrize(
    "optimizer",
    [
        gone.MBGD(4, momentum=0.9),
        gone.MBGD(4, momentum=0.9, nesterov=True),
        gone.Adam(batch_size=4),
        gone.RMSProp(batch_size=4),
        gone.GD(),
    ],
    ids=repr,
)
def test_optimizer_state_of_every_shape_comes_back(optimizer):
    net = trained("every kind", optimizer=optimizer)
    twin = from_bytes(net.to_bytes())
    assert_same_network(net, twin)
    for arrays in twin.optimizer.state()["slots"].values():
        assert [a.shape for a in arrays] == [p.shape for p in twin.parameters()]
        assert arrays[0].ndim == 4  # the convolution's kernel


def test_the_layers_are_in_gone_s_field_and_go_s_are_empty():
    net = trained("every kind")
    message = gone_pb2.NeuralNetwork.FromString(net.to_bytes())
    assert message.FormatVersion == 2
    assert [m.Kind for m in message.Modules] == [layer.kind for layer in net.layers]
    for field in ("Weights", "Biases", "Activations", "Layers"):
        assert len(getattr(message, field)) == 0, field
    assert (message.LearningRate, message.Loss) == (net.learning_rate, "cross_entropy")
    conv = message.Modules[1]
    assert [(a.Name, tuple(a.Shape)) for a in conv.Arrays] == [("W", (3, 2, 3, 2)), ("b", (3, 1))]
    assert conv.Activation.Name == "leaky_relu"
    assert [a.Name for a in message.Modules[2].Arrays] == [
        "gamma",
        "beta",
        "running_mean",
        "running_var",
    ]
    assert not message.Modules[0].Arrays and not message.Modules[5].Arrays
    for slot in message.Optimizer.Slots:
        assert not slot.Values
        assert [tuple(a.Shape) for a in slot.Arrays] == [p.shape for p in net.parameters()]


# ---- resuming training ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_optimizer",
    [lambda: gone.Adam(batch_size=4), lambda: gone.MBGD(3, momentum=0.9, nesterov=True)],
    ids=["adam", "mbgd-nesterov"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_resumed_training_of_a_cnn_with_dropout_and_batch_norm_continues_exactly(
    tmp_path, make_optimizer, dtype
):
    """Weights, running statistics, the optimizer's 4-D state, the history and the generator the
    dropout masks and the shuffling come from: all of it bit for bit as if never interrupted."""
    data = image_data(18, seed=1).astype(dtype)
    validation = image_data(6, seed=2).astype(dtype)
    uninterrupted = every_kind(dtype=dtype)
    uninterrupted.train(make_optimizer(), data, epochs=4, validation=validation)

    first_half = every_kind(dtype=dtype)
    first_half.train(make_optimizer(), data, epochs=2, validation=validation)
    first_half.save(tmp_path / "half.gone")
    resumed = load(tmp_path / "half.gone")
    resumed.train(resumed.optimizer, data, epochs=2, validation=validation)

    assert_same_network(uninterrupted, resumed, timed=False)
    assert resumed.history.epochs == 4
    X = image_data(4, seed=3).inputs
    assert uninterrupted.predict(X).tobytes() == resumed.predict(X).tobytes()


# ---- the reference file of format version 2 ------------------------------------------------------


def test_version_2_reference_file_still_loads_and_predicts():
    expected = json.loads((FIXTURES / "gone-v2" / "cnn.json").read_text())
    net = load(FIXTURES / "gone-v2" / "cnn.gone")
    assert [layer.kind for layer in net.layers] == expected["kinds"]
    shapes = [net.input_shape] + [layer.output_shape for layer in net.layers[1:]]
    assert [list(shape) for shape in shapes] == expected["output_shapes"]
    assert net.parameter_count == expected["parameters"]
    assert net.loss.name == expected["loss"]
    assert (net.optimizer.name, net.optimizer.steps) == (
        expected["optimizer"],
        expected["optimizer_steps"],
    )
    assert net.history.epochs == expected["epochs"]
    for case in expected["cases"]:
        # Another BLAS may sum the products in another order: close, not equal.
        np.testing.assert_allclose(net.predict(case["input"]), case["output"], rtol=0, atol=1e-12)
    assert net.rng.random(3).tolist() == expected["next_draws"]  # dropout's next masks


def test_version_2_reference_file_saves_again_byte_for_byte():
    data = (FIXTURES / "gone-v2" / "cnn.gone").read_bytes()
    assert from_bytes(data).to_bytes() == data


# ---- what is not saved ------------------------------------------------------------------------------


def test_a_nan_running_statistic_is_refused_before_anything_is_written(tmp_path):
    net = every_kind()
    net.layers[2].running_var[1, 0] = np.nan
    with pytest.raises(DataError, match=r"layers\[2\] running_var: expected finite numbers"):
        net.save(tmp_path / "nan.gone")
    assert list(tmp_path.iterdir()) == []


def test_a_layer_or_activation_of_one_s_own_is_refused(tmp_path):
    class Blur(gone.AvgPool2D):
        pass

    net = gone.NeuralNetwork(
        [gone.Input((1, 4, 4)), Blur(2), gone.Flatten(), gone.Layer(2)], seed=0
    )
    with pytest.raises(ConfigError, match=r"layers\[1\]: expected one of gone's own .* got Blur"):
        net.save(tmp_path / "blur.gone")

    class Swish(gone.ReLU):
        name = "swish"

    net = gone.NeuralNetwork(
        [
            gone.Input((1, 4, 4)),
            gone.Conv2D(2, 3, activation=Swish()),
            gone.Flatten(),
            gone.Layer(2),
        ]
    )
    with pytest.raises(ConfigError, match=r"layers\[1\] activation: expected one of gone's own"):
        net.save(tmp_path / "swish.gone")
    assert list(tmp_path.iterdir()) == []


# ---- bounded work -------------------------------------------------------------------------------


def test_every_shape_is_compared_before_any_array_is_read(monkeypatch):
    message = gone_pb2.NeuralNetwork.FromString(trained("every kind").to_bytes())
    message.Modules[9].Arrays[0].Shape[1] = 7  # the output layer's W: 3x7 for 3x6
    data = message.SerializeToString()
    read = []
    original = fields.array_from_values

    def recording(*args):
        read.append(args[-1])
        return original(*args)

    monkeypatch.setattr(fields, "array_from_values", recording)
    monkeypatch.setattr("gone.persistence.modules.array_from_values", recording)
    with pytest.raises(
        FormatError, match=r"layers\[9\] W: expected shape 3x6 \(a dense layer on the 6 of "
    ):
        from_bytes(data)
    assert read == []


def test_a_kernel_of_absurd_size_is_refused_with_little_memory():
    data = (FIXTURES / "broken" / "cnn_absurd_filters.gone").read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(FormatError, match=r"layers\[1\] W: expected 25769803764 values"):
            from_bytes(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # the file's own objects, nothing of 2^31 filters


def test_many_layers_are_refused_by_count_before_any_array_is_read(monkeypatch):
    message = gone_pb2.NeuralNetwork.FromString(every_kind().to_bytes())
    dropout = gone_pb2.Module(Kind="dropout")
    dropout.Parameters.add(Name="rate", Number=0.5)
    modules = list(message.Modules)
    del message.Modules[:]
    # A long chain of layers that keep the shape, then one array too many in the last layer.
    message.Modules.extend(modules[:8] + [dropout] * 20_000 + modules[8:])
    message.Modules[-1].Arrays.add(Name="extra", Shape=[1], Data=[0.0])
    monkeypatch.setattr("gone.persistence.modules.array_from_values", pytest.fail)
    with pytest.raises(FormatError, match=r"layers\[20009\] arrays: expected 2 \(W, b\), got 3"):
        from_bytes(message.SerializeToString())


def test_a_tuple_is_a_layer_s_value_only():
    message = gone_pb2.NeuralNetwork.FromString(trained("every kind").to_bytes())
    message.Optimizer.Parameters[0].Integers.Values.extend([4, 4])  # batch_size (4, 4)
    with pytest.raises(
        FormatError, match="optimizer parameter 'batch_size': expected a bool, int, float or None"
    ):
        from_bytes(message.SerializeToString())


def test_to_bytes_is_deterministic():
    net = trained("every kind")
    assert net.to_bytes() == to_bytes(net) == to_bytes(net.copy())
