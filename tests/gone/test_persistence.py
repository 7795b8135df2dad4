"""Saving and loading networks: exact round trips, resumed training, what cannot be saved.

Files themselves (atomic writes, paths, file errors) are tested in test_persistence_files.py.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

import gone
from gone import gone_pb2
from gone.errors import ConfigError, DataError
from gone.persistence import (
    FORMAT_VERSION,
    from_bytes,
    load,
    population_from_bytes,
    population_to_bytes,
    save,
    to_bytes,
)
from gone.persistence.fields import DENSE_VERSION

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def xor_data() -> gone.DataSet:
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return gone.DataSet.from_arrays(X, np.array([[0], [1], [1], [0]], dtype=float))


def regression_data(n=24, seed=0) -> gone.DataSet:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return gone.DataSet.from_arrays(X, np.stack([X.sum(axis=1), X[:, 0] * X[:, 1]], axis=1))


def deep_net(dtype=np.float64, seed=3, **kwargs) -> gone.NeuralNetwork:
    layers = [
        gone.Layer(3),
        gone.Layer(6, gone.LeakyReLU(0.2)),
        gone.Layer(5, gone.Tanh()),
        gone.Layer(2),
    ]
    return gone.NeuralNetwork(layers, learning_rate=0.02, seed=seed, dtype=dtype, **kwargs)


def assert_same_network(a: gone.NeuralNetwork, b: gone.NeuralNetwork) -> None:
    """Everything a network is, compared exactly (weights bit for bit)."""
    assert a.layers == b.layers
    assert a.loss == b.loss
    assert a.learning_rate == b.learning_rate
    assert a.dtype == b.dtype
    assert a.initializer == b.initializer
    assert len(a.parameters()) == len(b.parameters())
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert p.dtype == q.dtype == a.dtype
        assert p.shape == q.shape
        assert p.tobytes() == q.tobytes()  # bit for bit, -0.0 included
    assert a.history == b.history
    assert a.rng.bit_generator.state == b.rng.bit_generator.state


# ---- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_is_exact_for_both_dtypes(dtype):
    net = deep_net(dtype=dtype)
    net.train(gone.MBGD(4, momentum=0.5), regression_data().astype(dtype), epochs=3)
    twin = from_bytes(to_bytes(net))
    assert_same_network(net, twin)
    X = regression_data(5, seed=9).inputs
    assert np.array_equal(net.predict(X), twin.predict(X))
    assert twin.predict(X).dtype == dtype


@pytest.mark.parametrize(
    ("output", "loss"),
    [
        (gone.Layer(3, gone.Softmax()), gone.CrossEntropy()),
        (gone.Layer(3, gone.Sigmoid()), gone.BinaryCrossEntropy()),
        (gone.Layer(3, gone.ReLU()), gone.MSE()),
        (gone.Layer(3, gone.Identity()), gone.MSE()),
    ],
)
def test_every_activation_and_loss_comes_back(output, loss):
    layers = [gone.Layer(4), gone.Layer(5, gone.Tanh()), gone.Layer(4, gone.LeakyReLU(0.3)), output]
    net = gone.NeuralNetwork(layers, loss=loss, seed=1)
    twin = from_bytes(to_bytes(net))
    assert_same_network(net, twin)
    assert twin.layers[2].activation.slope == 0.3


@pytest.mark.parametrize(
    "initializer", [gone.Uniform(-0.5, 0.25), gone.Normal(0.1, 0.3), gone.Xavier(), gone.He()]
)
def test_initializer_and_its_parameters_come_back(initializer):
    twin = from_bytes(to_bytes(deep_net(initializer=initializer)))
    assert twin.initializer == initializer
    assert type(twin.initializer) is type(initializer)


@pytest.mark.parametrize(
    "optimizer",
    [
        gone.SGD(),
        gone.SGD(momentum=0.9, nesterov=True),
        gone.MBGD(5, momentum=0.8),
        gone.GD(momentum=0.5),
        gone.Adam(batch_size=3, beta1=0.8, beta2=0.99, epsilon=1e-7),
        gone.Adam(batch_size=None),
        gone.RMSProp(batch_size=6, rho=0.95),
    ],
    ids=repr,
)
def test_optimizer_hyperparameters_and_state_come_back(optimizer):
    net = deep_net()
    net.train(optimizer, regression_data(), epochs=2)
    restored = from_bytes(to_bytes(net)).optimizer
    assert type(restored) is type(optimizer)
    assert restored.params() == optimizer.params()
    assert restored.batch_size == optimizer.batch_size
    state, restored_state = optimizer.state(), restored.state()
    assert restored_state["steps"] == state["steps"] > 0
    assert sorted(restored_state["slots"]) == sorted(state["slots"])
    for name, arrays in state["slots"].items():
        for a, b in zip(arrays, restored_state["slots"][name], strict=True):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_untrained_network_has_no_optimizer_and_empty_history():
    twin = from_bytes(to_bytes(deep_net()))
    assert twin.optimizer is None
    assert twin.history.epochs == 0


def test_history_keeps_missing_validation_entries_as_none():
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(3, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())],
        loss=gone.BinaryCrossEntropy(),
        learning_rate=0.5,
        seed=2,
    )
    net.train(gone.GD(), xor_data(), epochs=2)
    net.train(gone.GD(), xor_data(), epochs=2, validation=xor_data())
    history = from_bytes(to_bytes(net)).history
    assert history == net.history
    assert history.val_loss[:2] == [None, None] and None not in history.val_loss[2:]
    assert history.val_accuracy[:2] == [None, None] and None not in history.val_accuracy[2:]


def test_random_state_comes_back_so_future_draws_match():
    net = deep_net()
    net.rng.random(17)  # move the generator away from its seed
    twin = from_bytes(to_bytes(net))
    assert np.array_equal(twin.rng.random(5), net.rng.random(5))


@pytest.mark.parametrize(
    "bit_generator", [np.random.MT19937, np.random.Philox, np.random.SFC64, np.random.PCG64DXSM]
)
def test_other_numpy_bit_generators_come_back(bit_generator):
    rng = np.random.Generator(bit_generator(5))
    net = deep_net(seed=rng)
    rng.random(3)
    rng.integers(0, 10, size=3, dtype=np.uint32)  # Philox and PCG keep a half-used 64-bit word
    twin = from_bytes(to_bytes(net))
    assert type(twin.rng.bit_generator) is bit_generator
    assert np.array_equal(twin.rng.random(7), rng.random(7))


def test_to_bytes_is_deterministic_and_method_matches_function():
    net = deep_net()
    assert net.to_bytes() == to_bytes(net) == to_bytes(net.copy())


# ---- resuming training ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda: gone.SGD(momentum=0.9),
        lambda: gone.MBGD(5, momentum=0.9, nesterov=True),
        lambda: gone.Adam(batch_size=4),
        lambda: gone.RMSProp(batch_size=4),
    ],
    ids=["sgd-momentum", "mbgd-nesterov", "adam", "rmsprop"],
)
def test_resumed_training_continues_exactly(tmp_path, make_optimizer):
    data = regression_data()
    uninterrupted = deep_net()
    uninterrupted.train(make_optimizer(), data, epochs=6)

    first_half = deep_net()
    first_half.train(make_optimizer(), data, epochs=3)
    first_half.save(tmp_path / "half.gone")
    resumed = load(tmp_path / "half.gone")
    resumed.train(resumed.optimizer, data, epochs=3)

    for p, q in zip(uninterrupted.parameters(), resumed.parameters(), strict=True):
        assert p.tobytes() == q.tobytes()
    assert resumed.optimizer.steps == uninterrupted.optimizer.steps
    assert resumed.history.loss == uninterrupted.history.loss
    assert resumed.history.learning_rate == uninterrupted.history.learning_rate
    assert resumed.history.epochs == 6
    assert resumed.rng.bit_generator.state == uninterrupted.rng.bit_generator.state


# ---- reference files of format version 1 ------------------------------------------------------------


def test_version_1_reference_file_still_loads_and_predicts():
    expected = json.loads((FIXTURES / "gone-v1" / "xor_adam.json").read_text())
    net = load(FIXTURES / "gone-v1" / "xor_adam.gone")
    assert [layer.nodes for layer in net.layers] == expected["layers"]
    assert [layer.activation.name for layer in net.layers] == expected["activations"]
    assert net.loss.name == expected["loss"]
    assert net.optimizer.name == expected["optimizer"]
    assert net.optimizer.steps == expected["optimizer_steps"]
    assert net.history.epochs == expected["epochs"]
    for case in expected["cases"]:
        # Saved and read back in the same format on the same numpy: equal, not just close.
        np.testing.assert_allclose(net.predict(case["input"]), case["output"], rtol=0, atol=1e-15)


def test_files_of_dense_layers_stay_version_1_and_others_are_version_2():
    message = gone_pb2.NeuralNetwork.FromString(to_bytes(deep_net()))
    assert message.FormatVersion == DENSE_VERSION == 1
    cnn = gone.NeuralNetwork(
        [gone.Input((1, 4, 4)), gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(1)], seed=0
    )
    assert gone_pb2.NeuralNetwork.FromString(cnn.to_bytes()).FormatVersion == FORMAT_VERSION == 2


# ---- the bytes of a network of dense layers, as before layers of other kinds could be saved ------


@pytest.mark.parametrize("name", ["xor_adam.gone", "population.gone"])
def test_a_version_1_file_saves_again_byte_for_byte(name):
    """Both were written before files could hold other layers: loading and saving them again
    gives their bytes exactly (every field, in the same order)."""
    data = (FIXTURES / "gone-v1" / name).read_bytes()
    if name == "population.gone":
        assert population_to_bytes(population_from_bytes(data)) == data
    else:
        assert from_bytes(data).to_bytes() == data


def test_a_dense_network_is_written_as_before_byte_for_byte():
    # The SHA-256 of these bytes as the code before format version 2 wrote them (commit 17e79ad):
    # seeded weights, activation, loss and initializer parameters, dtype and the random state.
    net = gone.NeuralNetwork(
        [
            gone.Layer(3),
            gone.Layer(6, gone.LeakyReLU(0.2)),
            gone.Layer(5, gone.Tanh()),
            gone.Layer(2, gone.Softmax()),
        ],
        loss=gone.CrossEntropy(),
        learning_rate=0.02,
        seed=3,
        dtype=np.float32,
        initializer=gone.He(),
    )
    digest = hashlib.sha256(net.to_bytes()).hexdigest()
    assert digest == "ea5de816f260c34bc4960e5500a5f3d8430d62b1dededa8e3a548f03fed4bda2"
    message = gone_pb2.NeuralNetwork.FromString(net.to_bytes())
    assert not message.Modules and len(message.Layers) == 4


# ---- what cannot be saved ----------------------------------------------------------------------------


def test_saving_a_custom_activation_is_refused_with_the_names_that_work(tmp_path):
    class Swish(gone.Sigmoid):
        name = "swish"

    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(3, Swish()), gone.Layer(1)], seed=0)
    with pytest.raises(
        ConfigError, match=r"layers\[1\] activation: expected one of gone's own .*sigmoid"
    ):
        net.save(tmp_path / "swish.gone")
    assert list(tmp_path.iterdir()) == []


def test_saving_non_finite_weights_is_refused_and_writes_nothing(tmp_path):
    net = deep_net()
    net.parameters()[2][0, 0] = np.nan
    with pytest.raises(DataError, match=r"weights\[1\]: expected finite numbers"):
        save(net, tmp_path / "nan.gone")
    assert list(tmp_path.iterdir()) == []


def test_saving_something_else_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="expected a gone.NeuralNetwork, got dict"):
        save({}, tmp_path / "x.gone")


@pytest.mark.parametrize("data", ["xor.gone", None, 3, [1, 2]], ids=repr)
def test_from_bytes_wants_bytes(data):
    with pytest.raises(ConfigError, match=r"data: expected bytes \(the contents of a .gone file"):
        from_bytes(data)


@pytest.mark.parametrize("slot", ["m", "v"])
def test_saving_non_finite_optimizer_state_is_refused_and_writes_nothing(tmp_path, slot):
    net = deep_net()
    net.train(gone.Adam(batch_size=4), regression_data(), epochs=1)
    state = net.optimizer.state()
    state["slots"][slot][3][0, 0] = np.inf  # b1's moment
    net.optimizer.load_state(state)
    with pytest.raises(
        DataError, match=r"optimizer state: expected finite numbers to save, got NaN or infinity"
    ):
        save(net, tmp_path / "inf.gone")
    assert list(tmp_path.iterdir()) == []


def test_saving_a_nan_in_the_history_is_refused_as_it_would_not_load(tmp_path):
    net = deep_net()
    net.train(gone.SGD(), regression_data(), epochs=3, validation=regression_data(5))
    net.history.val_loss[1] = float("nan")
    with pytest.raises(
        DataError, match=r"history val_loss\[1\]: expected a number to save, got NaN"
    ):
        save(net, tmp_path / "nan.gone")
    assert list(tmp_path.iterdir()) == []
