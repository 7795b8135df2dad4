"""The argument checks, and the whole battery of bad input at the public API: every entry point
refuses what cannot work with a GoneError saying what it expected and what came."""

import numpy as np
import pytest

import gone
from gone._checks import (
    check_bool,
    check_callable,
    check_finite_array,
    check_float_dtype,
    check_int,
    check_number,
    shown,
)

# ---- the helpers ------------------------------------------------------------------------------


def test_check_int():
    assert check_int(np.int64(5), "n", 1) == 5 and type(check_int(np.int64(5), "n", 1)) is int
    assert check_int(-3, "n") == -3
    for bad, message in [
        (True, "n: expected an int >= 1, got True"),
        (5.0, "n: expected an int >= 1, got 5.0"),
        ("5", "n: expected an int >= 1, got '5'"),
        (0, "n: expected an int >= 1, got 0"),
    ]:
        with pytest.raises(gone.ConfigError, match=f"^{message}$"):
            check_int(bad, "n", 1)
    with pytest.raises(gone.ConfigError, match=r"^n: expected an int in \[0, 12\], got 13$"):
        check_int(13, "n", 0, 12)
    with pytest.raises(gone.ConfigError, match="^n: expected an int <= 2, got 3$"):
        check_int(3, "n", maximum=2)


@pytest.mark.parametrize(
    ("bounds", "good", "bad", "said"),
    [
        ({}, -1e300, float("inf"), "a finite number"),
        ({"minimum": 0}, 0, -0.1, "a finite number >= 0"),
        ({"above": 0}, 1e-300, 0, "a finite number > 0"),
        ({"minimum": 0, "below": 1}, 0.0, 1, "a finite number in [0, 1)"),
        ({"above": 0, "maximum": 1}, 1, 0.0, "a finite number in (0, 1]"),
        ({"maximum": 16777216}, 5, 2**25, "a finite number <= 16777216"),
        ({"above": 1e-8}, 1e-7, 1e-9, "a finite number > 1e-08"),
    ],
)
def test_check_number(bounds, good, bad, said):
    assert check_number(good, "x", **bounds) == good
    with pytest.raises(gone.ConfigError) as raised:
        check_number(bad, "x", **bounds)
    assert str(raised.value) == f"x: expected {said}, got {shown(bad)}"


@pytest.mark.parametrize(
    "bad", ["0.5", None, True, np.bool_(False), [0.5], float("nan"), 10**400, 1j]
)
def test_check_number_refuses_what_is_no_finite_real_number(bad):
    with pytest.raises(gone.ConfigError, match="x: expected a finite number, got"):
        check_number(bad, "x")


def test_the_other_helpers():
    assert check_bool(np.bool_(True), "flag") is True
    with pytest.raises(gone.ConfigError, match="^flag: expected True or False, got 'no'$"):
        check_bool("no", "flag")
    assert check_callable(len, "f") is len
    with pytest.raises(gone.ConfigError, match="^f: expected a callable, got 3$"):
        check_callable(3, "f")
    assert check_float_dtype("float32") == np.float32
    with pytest.raises(gone.ConfigError, match="^dtype: expected float64 or float32, got 'bogus'$"):
        check_float_dtype("bogus")
    with pytest.raises(gone.ConfigError, match="^dtype: expected float64 or float32, got int32$"):
        check_float_dtype(np.int32)
    with pytest.raises(
        gone.DataError, match=r"^w: expected finite numbers, got inf at index \(1, 0\)$"
    ):
        check_finite_array(np.array([[1.0], [np.inf]]), "w")


def test_shown_keeps_messages_short():
    assert shown(np.float64(0.5)) == "0.5" and shown("x") == "'x'"
    assert len(shown(np.zeros(1000))) < 100


# ---- the battery: every public entry point ------------------------------------------------


def net(seed=0, **kwargs):
    return gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=seed, **kwargs)


def data():
    return gone.DataSet.from_arrays([[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]])


def train(**kwargs):
    return net().train(gone.SGD(), data(), 2, **kwargs)


E = gone.ConfigError
D = gone.DataError
S = gone.ShapeError

BATTERY = [
    # optimizers
    (lambda: gone.MBGD(momentum="x"), E, "momentum: expected a finite number in [0, 1), got 'x'"),
    (lambda: gone.SGD(momentum=1.5), E, "momentum: expected a finite number in [0, 1), got 1.5"),
    (lambda: gone.SGD(momentum=0.9, nesterov="yes"), E, "nesterov: expected True or False"),
    (lambda: gone.Adam(beta1=None), E, "beta1: expected a finite number in [0, 1), got None"),
    (lambda: gone.Adam(beta2=1.0), E, "beta2: expected a finite number in [0, 1), got 1.0"),
    (lambda: gone.Adam(epsilon=float("inf")), E, "epsilon: expected a finite number > 0, got inf"),
    (lambda: gone.RMSProp(rho="0.9"), E, "rho: expected a finite number in [0, 1), got '0.9'"),
    (lambda: gone.RMSProp(epsilon=0), E, "epsilon: expected a finite number > 0, got 0"),
    (
        lambda: gone.MBGD(2.5),
        E,
        "batch_size (or None: the whole set): expected an int >= 1, got 2.5",
    ),
    (
        lambda: gone.Adam(batch_size=0),
        E,
        "batch_size (or None: the whole set): expected an int >= 1",
    ),
    # activations, layers, initializers, schedules
    (lambda: gone.LeakyReLU(None), E, "LeakyReLU slope: expected a finite number >= 0, got None"),
    (lambda: gone.LeakyReLU(-1), E, "LeakyReLU slope: expected a finite number >= 0, got -1"),
    (
        lambda: gone.Layer(2**40),
        E,
        "Layer nodes: expected an int in [1, 16777216], got 1099511627776",
    ),
    (lambda: gone.Layer("4"), E, "Layer nodes: expected an int in [1, 16777216], got '4'"),
    (lambda: gone.Layer(True), E, "Layer nodes: expected an int in [1, 16777216], got True"),
    (lambda: gone.Layer(4, "relu"), E, "Layer activation: expected an Activation instance"),
    (lambda: gone.Uniform("a", 1), E, "Uniform low: expected a finite number, got 'a'"),
    (lambda: gone.Uniform(1, 1), E, "Uniform bounds: expected finite low < high, got [1.0, 1.0)"),
    (lambda: gone.Normal(None), E, "Normal mean: expected a finite number, got None"),
    (lambda: gone.Normal(0, -1), E, "Normal std: expected a finite number > 0, got -1"),
    (lambda: gone.StepDecay(10.0), E, "StepDecay every: expected an int >= 1, got 10.0"),
    (
        lambda: gone.StepDecay(10, factor="half"),
        E,
        "StepDecay factor: expected a finite number in (0, 1]",
    ),
    (
        lambda: gone.ExponentialDecay(0),
        E,
        "ExponentialDecay factor: expected a finite number in (0, 1], got 0",
    ),
    (lambda: gone.EarlyStopping("5"), E, "EarlyStopping patience: expected an int >= 1, got '5'"),
    (
        lambda: gone.EarlyStopping(5, min_delta=None),
        E,
        "EarlyStopping min_delta: expected a finite number >= 0",
    ),
    (
        lambda: gone.EarlyStopping(5, restore_best="no"),
        E,
        "EarlyStopping restore_best: expected True or False",
    ),
    # the network
    (
        lambda: gone.NeuralNetwork(None),
        E,
        "layers: expected a list of gone.Layer, input first, got None",
    ),
    (lambda: gone.NeuralNetwork([gone.Layer(2), 1]), E, "layers[1]: expected a gone.Layer, got 1"),
    (lambda: net(learning_rate="0.1"), E, "learning_rate: expected a finite number > 0, got '0.1'"),
    (
        lambda: net(learning_rate=float("nan")),
        E,
        "learning_rate: expected a finite number > 0, got nan",
    ),
    (lambda: net(seed=-1), E, "seed: expected an int >= 0, a numpy Generator or None, got -1"),
    (lambda: net(seed=1.5), E, "seed: expected an int >= 0, a numpy Generator or None, got 1.5"),
    (lambda: net(dtype="bogus"), E, "dtype: expected float64 or float32, got 'bogus'"),
    (lambda: net(dtype=np.float16), E, "dtype: expected float64 or float32, got float16"),
    (lambda: net(loss="mse"), E, "loss: expected a gone loss such as gone.MSE(), got 'mse'"),
    (
        lambda: net(initializer="he"),
        E,
        "initializer: expected a gone initializer such as gone.Xavier()",
    ),
    (
        lambda: gone.NeuralNetwork.from_parameters(
            [gone.Layer(2), gone.Layer(1)], [[[np.nan, 0]]], [[[0]]]
        ),
        D,
        "weights[0]: expected finite numbers, got nan at index (0, 0)",
    ),
    (
        lambda: gone.NeuralNetwork.from_parameters([gone.Layer(2), gone.Layer(1)], None, None),
        S,
        "weights: expected a list of 1 matrices, got None",
    ),
    (lambda: net().predict("ab"), D, "inputs: expected real numbers"),
    # train
    (
        lambda: net().train("sgd", data()),
        E,
        "optimizer: expected a gone optimizer such as gone.SGD(), got 'sgd'",
    ),
    (lambda: net().train(gone.SGD(), data(), "2"), E, "epochs: expected an int >= 0, got '2'"),
    (lambda: net().train(gone.SGD(), data(), 2.0), E, "epochs: expected an int >= 0, got 2.0"),
    (lambda: train(weight_decay="x"), E, "weight_decay: expected a finite number >= 0, got 'x'"),
    (lambda: train(weight_decay=-1), E, "weight_decay: expected a finite number >= 0, got -1"),
    (
        lambda: train(verbose="x"),
        E,
        "verbose (a table row every n epochs, 0: none): expected an int >= 0, got 'x'",
    ),
    (
        lambda: train(verbose=-1),
        E,
        "verbose (a table row every n epochs, 0: none): expected an int >= 0",
    ),
    (lambda: train(progress="yes"), E, "progress: expected True or False, got 'yes'"),
    (
        lambda: train(on_epoch=3),
        E,
        "on_epoch: expected a callable, a gone.Callback or a list of them, got 3",
    ),
    (
        lambda: train(on_epoch=[print, None]),
        E,
        "on_epoch: expected callables or gone.Callbacks, got None",
    ),
    (
        lambda: train(schedule="step"),
        E,
        "schedule (such as gone.StepDecay(10)): expected a callable, got 'step'",
    ),
    (
        lambda: train(schedule=lambda lr, e: -lr),
        E,
        "learning rate from the schedule for epoch 1: expected a finite number >= 0",
    ),
    (
        lambda: train(schedule=lambda lr, e: None),
        E,
        "learning rate from the schedule for epoch 1: expected a finite number >= 0, got None",
    ),
    (
        lambda: train(early_stopping=5, validation=data()),
        E,
        "early_stopping: expected a gone.EarlyStopping, got 5",
    ),
    (lambda: train(seed="x"), E, "seed: expected an int >= 0, a numpy Generator or None, got 'x'"),
    (
        lambda: train(validation=[1, 2]),
        D,
        "validation: expected a gone.DataSet or an (inputs, targets) pair, got list",
    ),
    (
        lambda: net().train(gone.SGD(), "data"),
        D,
        "data: expected a gone.DataSet or an (inputs, targets) pair, got str",
    ),
    (
        lambda: net().evaluate(None),
        D,
        "data: expected a gone.DataSet or an (inputs, targets) pair, got NoneType",
    ),
    # data
    (
        lambda: gone.DataSet([1, 2]),
        D,
        "DataSet sample 0: expected a gone.DataSample(inputs, targets)",
    ),
    (
        lambda: gone.DataSet(5),
        D,
        "DataSet: expected gone.DataSample objects (or use DataSet.from_arrays",
    ),
    (
        lambda: gone.DataSet([gone.DataSample([1], [2])], dtype="bogus"),
        E,
        "dtype: expected float64 or float32, got 'bogus'",
    ),
    (
        lambda: gone.DataSample("ab", [1]),
        D,
        "DataSample inputs: expected real numbers, got values of dtype <U2",
    ),
    (
        lambda: gone.DataSet.from_arrays([[1]], [[1]], dtype=int),
        E,
        "dtype: expected float64 or float32, got int64",
    ),
    (
        lambda: gone.DataSet.from_arrays([[None]], [[1]]),
        D,
        "inputs: expected real numbers, got values of dtype object",
    ),
    (
        lambda: gone.DataSet.from_arrays([[1j]], [[1]]),
        D,
        "inputs: expected real numbers, got values of dtype complex128",
    ),
    (
        lambda: data().split("half"),
        E,
        "split fraction: expected a finite number in (0, 1), got 'half'",
    ),
    (lambda: data().split(0.5, shuffle="no"), E, "split shuffle: expected True or False, got 'no'"),
    (lambda: data().split(0.5, seed=-1), E, "seed: expected an int >= 0"),
    (lambda: data().shuffle(seed="x"), E, "seed: expected an int >= 0"),
    (lambda: list(data().batches("2")), E, "batch_size: expected an int >= 1, got '2'"),
    (lambda: data().astype("bogus"), E, "dtype: expected float64 or float32, got 'bogus'"),
    (
        lambda: gone.one_hot(["a", "b"]),
        D,
        "labels: expected class indices (ints 0..n_classes-1), got values of dtype <U1",
    ),
    (lambda: gone.one_hot([0, 1], 2.0), E, "n_classes: expected an int >= 1, got 2.0"),
    (lambda: gone.one_hot([0, 1], dtype="int8"), E, "dtype: expected float64 or float32, got int8"),
    # the rest
    (
        lambda: gone.gradient_check(net(), data(), tolerance="tiny"),
        E,
        "tolerance: expected a finite number > 0, got 'tiny'",
    ),
    (lambda: gone.ProgressBar(None), E, "ProgressBar total: expected an int >= 0, got None"),
    (
        lambda: net().restore("snapshot"),
        E,
        "snapshot: expected what net.snapshot() returns, got 'snapshot'",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"), BATTERY, ids=[message[:60] for _, _, message in BATTERY]
)
def test_bad_input_raises_a_gone_error_that_says_what_was_expected(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert isinstance(raised.value, gone.GoneError)
    assert message in str(raised.value)
    assert ": expected " in str(raised.value) and ", got " in str(raised.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: gone.EarlyStopping(np.int64(5)),
        lambda: gone.StepDecay(np.int64(10)),
        lambda: gone.MBGD(np.int32(16)),
        lambda: gone.Layer(np.uint8(4)),
        lambda: net().train(gone.MBGD(np.int64(1)), data(), np.int64(2), verbose=np.int64(0)),
        lambda: gone.one_hot([0, 1], np.int64(3)),
        lambda: list(data().batches(np.int16(1))),
        lambda: net(seed=np.int64(3)),
    ],
)
def test_numpy_ints_are_ints_everywhere(call):
    call()  # one int check for all: these raised before in some places
