"""Bad .gone files: each deliberately broken fixture, and fuzzing that mutates valid files.

Whatever the bytes, loading either gives a consistent network or raises FormatError; it never
runs code, never raises anything else, and never allocates what the file does not hold.
"""

import math
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gone
from gone import gone_pb2
from gone.errors import FormatError
from gone.persistence import from_bytes, load, population_from_bytes
from gone.persistence import network as persistence_network

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BROKEN = FIXTURES / "broken"

# file -> a fragment of the message that must explain what is wrong (see broken/README.md)
EXPECTED = {
    "empty.gone": "file: expected a serialized gone NeuralNetwork, got 0 bytes",
    "truncated.gone": "contents: expected a serialized gone NeuralNetwork, got bytes that are not one",
    "image.png": "contents: expected a serialized gone NeuralNetwork, got bytes that are not one",
    "text.gone": "contents: expected a serialized gone NeuralNetwork, got bytes that are not one",
    "data_count.gone": "weights[0]: expected 8 values (4x2), got 7",
    "layers_do_not_chain.gone": "weights[0]: expected shape 3x2, got 4x2",
    "unknown_activation.gone": (
        "layers[1] activator: expected one of id, leaky_relu, relu, sigmoid, softmax, tanh, got 'swish'"
    ),
    "empty_activation.gone": "layers[2] activator: expected one of id, leaky_relu, relu, sigmoid",
    "unknown_loss.gone": "loss: expected one of binary_cross_entropy, cross_entropy, mse, got 'hinge'",
    "extra_weight_matrix.gone": "weights: expected 2 matrices (one per layer after the input of 3 layers), got 3",
    "bias_not_column.gone": "biases[0] (a column): expected shape 4x1, got 1x4",
    "nan_weight.gone": "weights[1]: expected finite numbers, got NaN or infinity",
    "inf_bias.gone": "biases[0] (a column): expected finite numbers, got NaN or infinity",
    "absurd_shape.gone": "weights[0]: expected shape 4x2, got 2147483647x2147483647",
    # Refused by the layer's size (Layer takes at most 2**24 nodes), before any data is read.
    "absurd_layer.gone": "layers[1]: Layer nodes: expected an int in [1, 16777216], got 2147483647",
    "zero_nodes.gone": "layers[0] nodes: expected an int >= 1, got 0",
    "zero_learning_rate.gone": "inconsistent model: learning_rate: expected a finite number > 0, got 0.0",
    "softmax_single_output.gone": "inconsistent model: Softmax output over 1 node",
    "newer_version.gone": "format version: expected at most 2, got 99",
    "float16.gone": "dtype: expected float64 or float32, got 'float16'",
    "unknown_optimizer.gone": "optimizer: expected one of adam, gd, mbgd, rmsprop, sgd, got 'lbfgs'",
    "slot_wrong_shape.gone": "optimizer slot 'm'[0]: expected shape 5x2, got 2x5",
    "negative_steps.gone": "optimizer steps: expected an int >= 0, got -3",
    "negative_slope.gone": "layers[1] activator 'leaky_relu' with {'slope': -1.0}: LeakyReLU slope",
    "random_state_not_json.gone": "random state: expected JSON text, got Expecting property name",
    "random_state_unknown.gone": "random state: expected a bit_generator of MT19937, PCG64",
    "random_state_position.gone": "random state (MT19937) state pos: expected an int in [0, 624], got 5000",
    "random_state_pcg64_zero.gone": "random state (PCG64) state inc: expected an odd increment, got 0",
    "random_state_mt19937_zero_key.gone": "random state (MT19937) state key: expected a nonzero state",
    "random_state_mt19937_short_key.gone": (
        "random state (MT19937) state key: expected 624 uint32 values, got uint32 of shape (10,)"
    ),
    "nan_history.gone": "history loss[3]: expected a number, got NaN",
    "nan_optimizer_state.gone": "optimizer slot 'v'[2]: expected finite numbers, got NaN",
    "long_activation_name.gone": "got 'xxxxxxxxxx",
    # Format version 2: networks of other layers than dense ones, edits of gone-v2/cnn.gone.
    "cnn_unknown_kind.gone": (
        "layers[1]: expected one of avg_pool2d, batch_norm, conv2d, dense, dropout, flatten, "
        "input, max_pool2d, got 'conv3d'"
    ),
    "cnn_kernel_channels.gone": (
        "layers[1] W: expected shape 3x1x3x2 (a conv2d layer on the 1x6x5 of the input), "
        "got 3x2x3x2"
    ),
    "cnn_kernel_too_large.gone": (
        "layers[1] Conv2D: expected a kernel that fits the input: 9x2 does not fit 6x5 padded by 1x0"
    ),
    "cnn_flatten_size.gone": (
        "layers[6] W: expected shape 6x15 (a dense layer on the 15 of layers[5] flatten), got 6x9"
    ),
    "cnn_no_flatten.gone": (
        "layers[5] dense Layer: expected features (n,) from the layer before, got the image shape "
        "(3, 3, 1): put gone.Flatten() before it"
    ),
    "cnn_missing_running_var.gone": (
        "layers[2] arrays: expected 4 (gamma, beta, running_mean, running_var), got 3"
    ),
    "cnn_nan_running_mean.gone": "layers[8] running_mean: expected finite numbers, got NaN",
    "cnn_dropout_rate.gone": (
        "layers[7] 'dropout' with {'rate': 1.5}: Dropout rate: expected a finite number in [0, 1)"
    ),
    "cnn_absurd_filters.gone": "layers[1] W: expected 25769803764 values (2147483647x2x3x2), got 36",
    "cnn_go_layers_too.gone": "Layers: expected none in a file of gone's layers (Modules), got 3",
    "cnn_input_not_first.gone": (
        "layers[0] is the input: expected the kind 'input' or 'dense', got 'conv2d'"
    ),
    "cnn_input_with_array.gone": "layers[0] arrays: expected 0 (none), got 1",
    "cnn_slot_wrong_shape.gone": "optimizer slot 'm'[0]: expected shape 3x2x3x2, got 3x2x2x3",
    "cnn_slot_as_matrix.gone": (
        "optimizer slot 'm' Values: expected none (this network's state is in Arrays), got 1"
    ),
    "cnn_filters_as_tuple.gone": "Conv2D filters: expected an int >= 1, got (3, 3)",
    "cnn_activation_twice.gone": (
        "layers[1] parameter 'activation': expected it in the Activation field only, got it twice"
    ),
    "cnn_softmax_conv.gone": "Conv2D activation: expected an elementwise activation",
    "cnn_output_not_dense.gone": (
        "inconsistent model: layers[8] is the output layer, whose activation feeds the loss: "
        "expected a dense gone.Layer, got BatchNorm"
    ),
    "cnn_array_name.gone": "layers[1] arrays: expected ['W', 'b'], got ['weights', 'b']",
    "cnn_only_input.gone": "layers: expected at least 2 (input and output), got 1",
}


def test_every_broken_fixture_has_an_expected_message():
    assert sorted(p.name for p in BROKEN.iterdir() if p.name != "README.md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_raises_format_error_naming_path_and_problem(name):
    path = BROKEN / name
    with pytest.raises(FormatError) as raised:
        load(path)
    assert raised.value.path == str(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert EXPECTED[name] in message
    assert "\n" not in message


def test_format_error_is_a_value_error_and_a_gone_error():
    with pytest.raises(ValueError):
        from_bytes(b"")
    with pytest.raises(gone.GoneError):
        from_bytes(b"")


def test_population_file_loaded_as_a_network_says_so():
    with pytest.raises(
        FormatError,
        match=r"contents: expected a gone NeuralNetwork, got a population \(load it with gone.load_population\)",
    ):
        load(FIXTURES / "gone-v1" / "population.gone")


def test_network_file_loaded_as_a_population_says_so():
    data = (FIXTURES / "go-gone" / "xor.gone").read_bytes()
    with pytest.raises(
        FormatError,
        match=r"network: expected a gone Population with its network, got none "
        r"\(this is a network file: load it with gone.load\)",
    ):
        population_from_bytes(data)


def test_slots_must_match_the_steps_taken():
    message = gone_pb2.NeuralNetwork.FromString(
        (FIXTURES / "gone-v1" / "xor_adam.gone").read_bytes()
    )
    del message.Optimizer.Slots[1]  # Adam without its second moment
    with pytest.raises(
        FormatError, match=r"optimizer slots after 80 steps: expected \['m', 'v'\], got \['m'\]"
    ):
        from_bytes(message.SerializeToString())


def test_a_parameter_without_value_is_refused():
    message = gone_pb2.NeuralNetwork.FromString(
        (FIXTURES / "gone-v1" / "xor_adam.gone").read_bytes()
    )
    message.Layers[1].ActivatorParameters[0].ClearField("Number")
    with pytest.raises(
        FormatError, match="layers\\[1\\] activator parameter 'slope': expected a value, got none"
    ):
        from_bytes(message.SerializeToString())


def test_an_unexpected_parameter_is_refused():
    message = gone_pb2.NeuralNetwork.FromString((FIXTURES / "go-gone" / "xor.gone").read_bytes())
    message.Layers[1].ActivatorParameters.add(Name="slope", Number=0.1)  # sigmoid has no slope
    with pytest.raises(
        FormatError, match="layers\\[1\\] activator 'sigmoid' with \\{'slope': 0.1\\}"
    ):
        from_bytes(message.SerializeToString())


def test_from_bytes_errors_have_no_path():
    with pytest.raises(FormatError) as raised:
        from_bytes(b"\x00")
    assert raised.value.path is None


# ---- fuzzing --------------------------------------------------------------------------------------


def own_file(dtype=np.float64) -> bytes:
    layers = [gone.Layer(3), gone.Layer(4, gone.LeakyReLU(0.1)), gone.Layer(2, gone.Softmax())]
    net = gone.NeuralNetwork(
        layers, loss=gone.CrossEntropy(), seed=5, dtype=dtype, initializer=gone.He()
    )
    X = np.random.default_rng(1).normal(size=(8, 3))
    net.train(
        gone.Adam(batch_size=3),
        (X, np.eye(2)[np.arange(8) % 2]),
        epochs=2,
        validation=(X, np.eye(2)[np.arange(8) % 2]),
    )
    return net.to_bytes()


def own_cnn_file(dtype=np.float64) -> bytes:
    """Images through a strided convolution, a batch norm, pooling and dropout: version 2."""
    layers = [
        gone.Input((1, 5, 4)),
        gone.Conv2D(2, 3, stride=(2, 1), padding=1, activation=gone.ReLU()),  # 2x3x4
        gone.BatchNorm(activation=gone.LeakyReLU(0.2)),
        gone.AvgPool2D((1, 2)),  # 2x3x2
        gone.Flatten(),
        gone.Dropout(0.5),
        gone.Layer(2, gone.Sigmoid()),
    ]
    net = gone.NeuralNetwork(layers, loss=gone.BinaryCrossEntropy(), seed=5, dtype=dtype)
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(8, 1, 5, 4)), rng.integers(0, 2, size=(8, 2)).astype(float)
    net.train(gone.RMSProp(batch_size=4), (X, Y), epochs=2)
    return net.to_bytes()


VALID = [
    (FIXTURES / "go-gone" / "xor.gone").read_bytes(),
    (FIXTURES / "go-gone" / "deep.gone").read_bytes(),
    (FIXTURES / "gone-v1" / "xor_adam.gone").read_bytes(),
    own_file(np.float64),
    own_file(np.float32),
    # Format version 2: every layer kind, 4-D optimizer state, running statistics.
    (FIXTURES / "gone-v2" / "cnn.gone").read_bytes(),
    own_cnn_file(np.float64),
    own_cnn_file(np.float32),
]

#: A loaded network is asked to predict only when its largest layer holds at most this many
#: numbers per sample: a damaged file may describe a valid network of huge images (an input of
#: 2^24 rows pooled by a window as tall), which loads in bounded work and predicts in unbounded.
PREDICT_LIMIT = 100_000


def check_loads_consistently_or_format_error(data: bytes) -> None:
    """The property: FormatError, or a network whose parts fit together and that can predict."""
    try:
        net = from_bytes(data)
    except FormatError:
        return
    if all(isinstance(layer, gone.Layer) for layer in net.layers):
        shapes = net.weight_shapes
        assert [W.shape for W in net._weights] == shapes
        assert [b.shape for b in net._biases] == [(n, 1) for n, _ in shapes]
    for layer in net.layers[1:]:
        arrays = list(layer.state().values())  # parameters, then statistics
        assert [a.shape for a in arrays] == layer.parameter_shapes() + layer.statistic_shapes()
        assert all(np.isfinite(a).all() and a.dtype == net.dtype for a in arrays)
    assert len(net.parameters()) == sum(len(layer.parameter_names) for layer in net.layers[1:])
    sizes = [math.prod(net.input_shape)] + [math.prod(l.output_shape) for l in net.layers[1:]]
    if max(sizes) <= PREDICT_LIMIT:
        with np.errstate(all="ignore"):
            outputs = net.predict(np.zeros((2, *net.input_shape)))
        assert outputs.shape == (2, net.n_outputs)


@st.composite
def mutated_bytes(draw):
    data = bytearray(draw(st.sampled_from(VALID)))
    kind = draw(st.sampled_from(["truncate", "flip", "overwrite", "insert", "random"]))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    if kind == "flip":
        for _ in range(draw(st.integers(1, 4))):
            position = draw(st.integers(0, len(data) * 8 - 1))
            data[position // 8] ^= 1 << (position % 8)
        return bytes(data)
    if kind == "overwrite":
        start = draw(st.integers(0, len(data) - 1))
        patch = draw(st.binary(min_size=1, max_size=16))
        data[start : start + len(patch)] = patch
        return bytes(data)
    if kind == "insert":
        start = draw(st.integers(0, len(data)))
        return bytes(data[:start] + draw(st.binary(min_size=1, max_size=16)) + data[start:])
    return draw(st.binary(max_size=300))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_bytes())
def test_fuzzed_bytes_load_consistently_or_raise_format_error(data):
    check_loads_consistently_or_format_error(data)


SIZES = st.one_of(
    st.integers(-3, 8),
    st.sampled_from([-(2**31), 2**31 - 1, 2**30, 65536]),
    st.integers(-(2**31), 2**31 - 1),
)


class Item:
    """One element of a repeated int field (a shape's size, a tuple's int) as a settable target."""

    def __init__(self, repeated, index):
        self.repeated, self.index = repeated, index

    def set(self, value):
        self.repeated[self.index] = value


@st.composite
def mutated_shapes(draw):
    """A valid file with one size field set to anything: rows, columns, nodes, steps, version,
    and in files of other layers every array's sizes, every int and tuple of a layer's
    hyperparameters (filters, kernel sizes, strides, paddings, the input's shape)."""
    message = gone_pb2.NeuralNetwork.FromString(draw(st.sampled_from(VALID)))
    choices = [(m, "Rows") for m in [*message.Weights, *message.Biases]]
    choices += [(m, "Columns") for m in [*message.Weights, *message.Biases]]
    choices += [(layer, "Nodes") for layer in message.Layers]
    choices += [(message, "FormatVersion")]
    arrays = [array for module in message.Modules for array in module.Arrays]
    for module in message.Modules:
        for parameter in module.Parameters:
            if parameter.WhichOneof("Value") == "Integer":
                choices.append((parameter, "Integer"))
            elif parameter.WhichOneof("Value") == "Integers":
                values = parameter.Integers.Values
                choices += [(Item(values, k), None) for k in range(len(values))]
    if message.HasField("Optimizer"):
        choices += [(message.Optimizer, "Steps")]
        choices += [
            (m, field)
            for slot in message.Optimizer.Slots
            for m in slot.Values
            for field in ("Rows", "Columns")
        ]
        arrays += [array for slot in message.Optimizer.Slots for array in slot.Arrays]
    choices += [(Item(array.Shape, k), None) for array in arrays for k in range(len(array.Shape))]
    target, field = draw(st.sampled_from(choices))
    value = draw(SIZES)
    if field == "FormatVersion":
        value = abs(value)
    if field is None:
        target.set(value)
    else:
        setattr(target, field, value)
    matrices = [m.Data for m in message.Weights] + [a.Data for a in arrays]
    if draw(st.booleans()) and matrices:  # sometimes also drop or duplicate a value
        data = matrices[draw(st.integers(0, len(matrices) - 1))]
        if draw(st.booleans()) and len(data):
            del data[-1]
        else:
            data.append(draw(st.floats()))
    return message.SerializeToString()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_shapes())
def test_fuzzed_shape_fields_load_consistently_or_raise_format_error(data):
    check_loads_consistently_or_format_error(data)


# ---- bounded work: counts before contents, short quotes ------------------------------------------


def test_a_long_name_is_quoted_at_most_100_characters():
    with pytest.raises(FormatError) as raised:
        load(BROKEN / "long_activation_name.gone")
    message = str(raised.value)
    assert f"got '{'x' * 100}'... (5000 characters)" in message
    assert len(message) < len(str(BROKEN)) + 250


def with_layers(n: int) -> bytes:
    """Go's xor.gone with n more layers but still its 2 weight matrices."""
    message = gone_pb2.NeuralNetwork.FromString((FIXTURES / "go-gone" / "xor.gone").read_bytes())
    for _ in range(n):
        message.Layers.add(Nodes=1, Activator="sigmoid")
    return message.SerializeToString()


def test_layer_counts_are_compared_before_any_layer_is_built(monkeypatch):
    built = []
    original = persistence_network.build
    monkeypatch.setattr(
        persistence_network, "build", lambda *args: built.append(args) or original(*args)
    )
    with pytest.raises(
        FormatError,
        match=r"weights: expected 100002 matrices \(one per layer after the input of 100003 "
        r"layers\), got 2",
    ):
        from_bytes(with_layers(100_000))
    assert built == []


def with_history(base: bytes, epochs: int, edit=None) -> bytes:
    message = gone_pb2.NeuralNetwork.FromString(base)
    for i in range(epochs):
        message.History.add(Loss=0.5, LearningRate=0.05, Seconds=float(i), ValLoss=0.25)
    if edit is not None:
        edit(message)
    return message.SerializeToString()


def test_the_history_is_read_after_everything_else_is_checked(monkeypatch):
    def unknown_optimizer(message):
        message.Optimizer.Name = "lbfgs"

    data = with_history(VALID[2], 1000, unknown_optimizer)
    monkeypatch.setattr(persistence_network, "_history", lambda *args: pytest.fail("read"))
    with pytest.raises(FormatError, match="optimizer: expected one of adam"):
        from_bytes(data)


def test_a_nan_in_a_long_history_is_refused_with_little_memory():
    def nan_last(message):
        message.History[-1].Loss = float("nan")

    data = with_history(VALID[2], 100_000, nan_last)  # ~4 MB
    tracemalloc.start()
    try:
        with pytest.raises(
            FormatError, match=r"history loss\[100039\]: expected a number, got NaN"
        ):
            from_bytes(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # One column of 8-byte floats (0.8 MB), not a Python object per epoch and field (~20 MB).
    assert peak < len(data) / 2


def test_a_valid_long_history_loads_as_lists():
    data = with_history(VALID[2], 5000)
    net = from_bytes(data)
    assert net.history.epochs == 5040
    assert net.history.loss[-1] == 0.5 and net.history.val_loss[-1] == 0.25
    assert net.history.val_accuracy[-1] is None  # absent stays absent
    assert type(net.history.loss) is list and type(net.history.loss[0]) is float
