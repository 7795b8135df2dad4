"""Interoperability with the Go library: its files load here, and ours decode with its schema.

The Go side is represented by (1) real files saved by Go gone (tests/fixtures/go-gone/, with the
predictions Go computed) and (2) Go's own .proto schema, compiled at test time into message
classes of a private descriptor pool, plus a forward pass written the way Go's Predict works.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

import gone
from gone import gone_pb2
from gone.errors import FormatError
from gone.persistence import from_bytes, load, to_bytes

GO_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "go-gone"
GO_FILES = sorted(p.stem for p in GO_FIXTURES.glob("*.gone"))

# github.com/fr3fou/gone pb/gone.proto, as the schema section of go-gone/README.md describes it.
GO_SCHEMA = """
syntax = "proto3";

package pb;
option go_package= ".;pb";

message NeuralNetwork {
  repeated Matrix Weights = 1;
  repeated Matrix Biases = 2;
  repeated Matrix Activations = 3;
  double LearningRate = 4;
  repeated Layer Layers = 5;
  bool DebugMode = 6;
  string Loss = 7;
};

message Layer {
  int32 Nodes = 1;
  string Activator = 2;
}

message Matrix {
  int32 Rows = 1;
  int32 Columns = 2;
  repeated double Data = 3; // flattened 2D array
}
"""


@pytest.fixture(scope="module")
def go_pb(tmp_path_factory):
    """Go's message classes, built from Go's schema in a pool of their own (no clash with ours)."""
    protoc = pytest.importorskip("grpc_tools.protoc")
    folder = tmp_path_factory.mktemp("go-schema")
    (folder / "gone.proto").write_text(GO_SCHEMA)
    descriptor_set = folder / "gone.desc"
    status = protoc.main(
        [
            "protoc",
            f"-I{folder}",
            f"--descriptor_set_out={descriptor_set}",
            str(folder / "gone.proto"),
        ]
    )
    assert status == 0
    pool = descriptor_pool.DescriptorPool()
    for file in descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes()).file:
        pool.Add(file)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"pb.{name}"))
        for name in ("NeuralNetwork", "Layer", "Matrix")
    }


def go_predict(message, inputs) -> np.ndarray:
    """Go's Predict on a Go-decoded message: unknown activators are identity, as in Go's Load."""
    functions = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0)}
    a = np.asarray(inputs, dtype=float)[:, None]
    for W, b, layer in zip(message.Weights, message.Biases, message.Layers[1:], strict=True):
        z = np.array(W.Data).reshape(W.Rows, W.Columns) @ a + np.array(b.Data).reshape(
            b.Rows, b.Columns
        )
        a = functions.get(layer.Activator, lambda z: z)(z)
    return a[:, 0]


class GoPanic(Exception):
    """A run-time panic of Go, where Go gone's code would raise one."""


def go_load(message):
    """What Go gone's Load (gone/gone.go at 1eaf84e) does after proto.Unmarshal, step by step,
    as far as it can fail: it sizes its slices by the Layers field and indexes the others."""
    len_layers = len(message.Layers)
    len_weights = len_layers - 1
    if len_weights < 0:  # weights := make([]matrigo.Matrix, lenWeights)
        raise GoPanic("runtime error: makeslice: len out of range")
    for i in range(len_weights):  # w := nn.Weights[i]; b := nn.Biases[i]
        if i >= len(message.Weights) or i >= len(message.Biases):
            raise GoPanic(f"runtime error: index out of range [{i}]")
    for i in range(len_layers):  # a := nn.Activations[i]
        if i >= len(message.Activations):
            raise GoPanic(f"runtime error: index out of range [{i}]")
    return message


def go_net() -> gone.NeuralNetwork:
    """A network that uses only what Go gone has: sigmoid, relu, id, MSE, float64."""
    layers = [
        gone.Layer(3),
        gone.Layer(5, gone.ReLU()),
        gone.Layer(4, gone.Sigmoid()),
        gone.Layer(2),
    ]
    return gone.NeuralNetwork(layers, loss=gone.MSE(), learning_rate=0.05, seed=8)


def matrix(message) -> np.ndarray:
    return np.array(message.Data).reshape(message.Rows, message.Columns)


# ---- Go's files load here ------------------------------------------------------------------------


@pytest.mark.parametrize("name", GO_FILES)
def test_go_file_loads_and_predicts_what_go_predicted(name):
    expected = json.loads((GO_FIXTURES / f"{name}.json").read_text())
    net = load(GO_FIXTURES / f"{name}.gone")
    assert [layer.nodes for layer in net.layers] == expected["layers"]
    assert [layer.activation.name for layer in net.layers] == expected["activations"]
    assert net.loss.name == expected["loss"]
    assert net.learning_rate == expected["learning_rate"]
    for case in expected["cases"]:
        output = net.predict([float(v) for v in case["input"]])
        np.testing.assert_allclose(output, [float(v) for v in case["output"]], rtol=0, atol=1e-12)


def test_both_go_fixtures_are_present():
    assert GO_FILES == ["deep", "xor"]


@pytest.mark.parametrize("name", GO_FILES)
def test_go_file_gets_defaults_for_what_go_does_not_store(name):
    net = load(GO_FIXTURES / f"{name}.gone")
    assert net.initializer == gone.Uniform(-1.0, 1.0)
    assert net.dtype == np.float64
    assert net.optimizer is None
    assert net.history.epochs == 0
    other = load(GO_FIXTURES / f"{name}.gone")
    assert net.rng.bit_generator.state != other.rng.bit_generator.state  # fresh, not a fixed seed


def test_go_file_can_be_trained_after_loading():
    net = load(GO_FIXTURES / "xor.gone")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    history = net.train(gone.SGD(), (X, np.array([[0], [1], [1], [0]], dtype=float)), epochs=2)
    assert history.epochs == 2


@pytest.mark.parametrize("name", GO_FILES)
def test_our_forward_pass_of_go_semantics_matches_the_fixtures(go_pb, name):
    # Checks go_predict itself, which the tests below use to stand for Go.
    message = go_pb["NeuralNetwork"].FromString((GO_FIXTURES / f"{name}.gone").read_bytes())
    for case in json.loads((GO_FIXTURES / f"{name}.json").read_text())["cases"]:
        np.testing.assert_allclose(
            go_predict(message, case["input"]), case["output"], rtol=0, atol=1e-12
        )


def test_go_input_layer_activator_is_never_applied(go_pb):
    message = go_pb["NeuralNetwork"].FromString((GO_FIXTURES / "deep.gone").read_bytes())
    message.Layers[0].Activator = "relu"  # Go never applies it; ours must be Identity
    net = from_bytes(message.SerializeToString())
    assert net.layers[0].activation == gone.Identity()
    expected = json.loads((GO_FIXTURES / "deep.json").read_text())
    for case in expected["cases"]:
        np.testing.assert_allclose(net.predict(case["input"]), case["output"], rtol=0, atol=1e-12)


def test_go_file_with_softmax_output_loads(go_pb):
    # Go can save "softmax" (it only panics when predicting); we have the function, so we load it.
    message = go_pb["NeuralNetwork"].FromString((GO_FIXTURES / "deep.gone").read_bytes())
    message.Layers[3].Activator = "softmax"
    net = from_bytes(message.SerializeToString())
    assert net.layers[3].activation == gone.Softmax()
    assert net.predict([1.0, 2.0, 3.0]).sum() == pytest.approx(1.0)


@pytest.mark.parametrize("field", ["activator", "loss"])
def test_unknown_go_name_is_refused_not_mapped_to_a_default(go_pb, field):
    message = go_pb["NeuralNetwork"].FromString((GO_FIXTURES / "xor.gone").read_bytes())
    if field == "activator":
        message.Layers[1].Activator = "tanhh"
        pattern = r"layers\[1\] activator: expected one of id, leaky_relu, relu, sigmoid, softmax, tanh, got 'tanhh'"
    else:
        message.Loss = "MSE"
        pattern = r"loss: expected one of binary_cross_entropy, cross_entropy, mse, got 'MSE'"
    with pytest.raises(FormatError, match=pattern):
        from_bytes(message.SerializeToString())


# ---- our files decode with Go's schema ---------------------------------------------------------------


def test_go_fields_of_our_schema_are_go_schema_exactly(go_pb):
    """Same names, numbers, types, repetition and packing for every field Go has; ours only adds."""
    for name, go_class in go_pb.items():
        ours = {f.number: f for f in getattr(gone_pb2, name).DESCRIPTOR.fields}
        for field in go_class.DESCRIPTOR.fields:
            mine = ours[field.number]
            assert (mine.name, mine.type, mine.is_repeated, mine.is_packed, mine.has_presence) == (
                field.name,
                field.type,
                field.is_repeated,
                field.is_packed,
                field.has_presence,
            )
            if field.message_type is not None:
                assert mine.message_type.name == field.message_type.name
        go_numbers = {f.number for f in go_class.DESCRIPTOR.fields}
        assert all(number > max(go_numbers) for number in set(ours) - go_numbers)


def test_our_file_decodes_with_go_schema_into_the_same_matrices(go_pb):
    net = go_net()
    net.train(
        gone.SGD(momentum=0.5), gone.DataSet.from_arrays(np.eye(3), np.ones((3, 2))), epochs=2
    )
    message = go_pb["NeuralNetwork"].FromString(net.to_bytes())
    assert len(message.Weights) == len(message.Biases) == 3
    for W, b, W_go, b_go in zip(
        net._weights, net._biases, message.Weights, message.Biases, strict=True
    ):
        assert (W_go.Rows, W_go.Columns) == W.shape
        assert (b_go.Rows, b_go.Columns) == b.shape
        assert matrix(W_go).tobytes() == W.tobytes()
        assert matrix(b_go).tobytes() == b.tobytes()
    assert [(layer.Nodes, layer.Activator) for layer in message.Layers] == [
        (3, "id"),
        (5, "relu"),
        (4, "sigmoid"),
        (2, "id"),
    ]
    assert message.Loss == "mse"
    assert message.LearningRate == 0.05
    assert message.DebugMode is False
    # An untrained Go net's activation cache: a zero column per layer, the input included.
    assert [(a.Rows, a.Columns) for a in message.Activations] == [(3, 1), (5, 1), (4, 1), (2, 1)]
    assert all(value == 0.0 for a in message.Activations for value in a.Data)


def test_go_would_predict_what_we_predict_from_our_file(go_pb):
    net = go_net()
    message = go_pb["NeuralNetwork"].FromString(to_bytes(net))
    for x in np.random.default_rng(0).normal(size=(10, 3)):
        np.testing.assert_allclose(go_predict(message, x), net.predict(x), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", GO_FILES)
def test_go_file_saved_again_keeps_go_fields_bit_for_bit(go_pb, name):
    original = go_pb["NeuralNetwork"].FromString((GO_FIXTURES / f"{name}.gone").read_bytes())
    again = go_pb["NeuralNetwork"].FromString(load(GO_FIXTURES / f"{name}.gone").to_bytes())
    for field in ("Weights", "Biases"):
        assert list(getattr(again, field)) == list(getattr(original, field))
    assert list(again.Layers) == list(original.Layers)
    assert again.LearningRate == original.LearningRate
    assert again.Loss == original.Loss


def test_go_schema_sees_our_additions_as_unknown_fields_only(go_pb):
    # Go's generated code keeps unknown fields; ours are all numbered past Go's.
    net = go_net()
    go_message = go_pb["NeuralNetwork"].FromString(net.to_bytes())
    known = go_pb["NeuralNetwork"]()
    known.CopyFrom(go_message)
    known.DiscardUnknownFields()
    assert from_bytes(known.SerializeToString()).predict([1.0, 2.0, 3.0]).tolist() == (
        net.predict([1.0, 2.0, 3.0]).tolist()
    )


@pytest.mark.parametrize("name", GO_FILES)
def test_protoc_decodes_go_files_with_our_schema_as_with_go_s(name):
    """`protoc --decode=pb.NeuralNetwork proto/gone.proto` prints what Go's schema printed (X.txt)."""
    pytest.importorskip("grpc_tools")
    root = Path(__file__).resolve().parent.parent.parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            "--decode=pb.NeuralNetwork",
            f"-I{root / 'proto'}",
            str(root / "proto" / "gone.proto"),
        ],
        input=(GO_FIXTURES / f"{name}.gone").read_bytes(),
        capture_output=True,
        check=True,
    )
    assert result.stdout.decode() == (GO_FIXTURES / f"{name}.txt").read_text()


# ---- files of other layers than dense ones: Go cannot take them for a dense network -----------------


def cnn() -> gone.NeuralNetwork:
    layers = [
        gone.Input((1, 6, 6)),
        gone.Conv2D(2, 3, activation=gone.ReLU()),
        gone.BatchNorm(),
        gone.MaxPool2D(2),
        gone.Flatten(),
        gone.Dropout(0.5),
        gone.Layer(2, gone.Sigmoid()),
    ]
    net = gone.NeuralNetwork(layers, loss=gone.MSE(), learning_rate=0.05, seed=0)
    X = np.random.default_rng(0).normal(size=(6, 1, 6, 6))
    net.train(gone.Adam(batch_size=3), (X, np.ones((6, 2))), epochs=1)
    return net


def dense_with_dropout() -> gone.NeuralNetwork:
    """Dense layers Go would read as 3 -> 4 -> 2 if they were in its fields, dropout between."""
    layers = [gone.Layer(3), gone.Layer(4, gone.ReLU()), gone.Dropout(0.5), gone.Layer(2)]
    return gone.NeuralNetwork(layers, seed=0)


@pytest.mark.parametrize("make", [cnn, dense_with_dropout, lambda: load(GO_FIXTURES / "xor.gone")])
def test_go_gets_a_network_of_its_own_fields_or_none(go_pb, make):
    """Go's Load sizes everything by Layers: a file of gone's layers leaves it empty, and Go
    panics there, never predicting with a dense network made of part of the file."""
    net = make()
    message = go_pb["NeuralNetwork"].FromString(net.to_bytes())  # proto.Unmarshal succeeds
    if all(isinstance(layer, gone.Layer) for layer in net.layers):
        assert go_load(message) is message
        return
    for field in ("Weights", "Biases", "Activations", "Layers"):
        assert len(getattr(message, field)) == 0, field
    assert (message.LearningRate, message.Loss) == (net.learning_rate, net.loss.name)
    with pytest.raises(GoPanic, match="makeslice: len out of range"):
        go_load(message)


def test_protoc_decodes_a_cnn_file_with_go_s_schema_as_unknown_fields_only(go_pb):
    message = go_pb["NeuralNetwork"].FromString(cnn().to_bytes())
    known = go_pb["NeuralNetwork"]()
    known.CopyFrom(message)
    known.DiscardUnknownFields()
    # What Go keeps of the file: the learning rate and the loss name, nothing to predict with.
    assert known.ListFields() and {f.name for f, _ in known.ListFields()} == {
        "LearningRate",
        "Loss",
    }
