"""`python -m gone inspect`: what it prints for network and population files, and bad files."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gone
from gone.__main__ import main
from gone.persistence import PopulationRecord, load, save, save_population

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_inspect_a_go_file():
    status, out, err = run("inspect", str(FIXTURES / "go-gone" / "xor.gone"))
    assert status == 0 and err == ""
    assert "gone network, format version 0 (written by Go gone)" in out
    assert "architecture: 2 -> 4 sigmoid -> 1 id" in out
    assert "loss: mse" in out and "learning rate: 0.1" in out
    assert "parameters: 17" in out
    assert "initializer: uniform(low=-1, high=1) (not stored: the default)" in out
    assert "optimizer: none" in out
    assert "history: no epochs recorded" in out
    assert "random state: not stored" in out


def test_inspect_a_trained_gone_file(tmp_path):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(3, gone.LeakyReLU(0.2)), gone.Layer(1, gone.Sigmoid())],
        loss=gone.BinaryCrossEntropy(),
        learning_rate=0.3,
        seed=0,
        dtype=np.float32,
        initializer=gone.Xavier(),
    )
    net.train(gone.SGD(momentum=0.9), (X, Y), epochs=5, validation=(X, Y))
    save(net, tmp_path / "xor.gone")
    status, out, _ = run("inspect", str(tmp_path / "xor.gone"))
    assert status == 0
    assert "gone network, format version 1\n" in out
    assert "architecture: 2 -> 3 leaky_relu(slope=0.2) -> 1 sigmoid" in out
    assert (
        "loss: binary_cross_entropy" in out and "dtype: float32" in out and "parameters: 13" in out
    )
    assert "initializer: xavier\n" in out
    assert "optimizer: sgd(momentum=0.9, nesterov=False), 20 steps, state velocity" in out
    assert (
        f"history: 5 epochs, loss {net.history.loss[0]:.6g} (epoch 1) -> {net.history.loss[-1]:.6g}"
        in out
    )
    assert f"last val_loss {net.history.val_loss[-1]:.6g}" in out
    assert "random state: PCG64" in out


def test_inspect_says_what_go_does_with_a_dense_file(tmp_path):
    status, out, _ = run("inspect", str(FIXTURES / "go-gone" / "xor.gone"))
    assert status == 0 and "go: Go gone loads it (dense layers in Go's fields 1-7)\n" in out
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(2, gone.Softmax())],
        loss=gone.CrossEntropy(),
        seed=0,
    )
    save(net, tmp_path / "tanh.gone")
    status, out, _ = run("inspect", str(tmp_path / "tanh.gone"))
    assert status == 0
    assert (
        "go: Go gone loads it (dense layers in Go's fields 1-7), but Go computes tanh as id; "
        "Go's softmax panics when predicting; Go trains with mse, not cross_entropy"
    ) in out


def test_inspect_an_image_network_shows_every_layer(tmp_path):
    net = load(FIXTURES / "gone-v2" / "cnn.gone")
    status, out, err = run("inspect", str(FIXTURES / "gone-v2" / "cnn.gone"))
    assert status == 0 and err == ""
    assert "gone network, format version 2\n" in out
    assert (
        "architecture: 2x6x5 -> conv2d 3x6x4 leaky_relu(slope=0.1) -> batch_norm 3x6x4 relu -> "
        "max_pool2d 3x3x2 -> avg_pool2d 3x3x1 -> flatten 9 -> dense 6 tanh -> dropout 6 -> "
        "batch_norm 6 id -> dense 3 softmax\n"
    ) in out
    rows = [line.split() for line in out.splitlines() if not line.startswith(" ")]
    table = {row[0]: row[1:] for row in rows if row and row[0].isdigit()}
    # kind, output shape, activation, weights, biases, parameters
    assert table["0"] == ["(input)", "input", "2x6x5", "-", "-", "-", "0"]
    assert table["1"] == ["conv2d", "3x6x4", "leaky_relu(slope=0.1)", "3x2x3x2", "3x1", "39"]
    assert table["2"] == ["batch_norm", "3x6x4", "relu", "3x1", "3x1", "6"]
    assert table["3"] == ["max_pool2d", "3x3x2", "-", "-", "-", "0"]
    assert table["5"] == ["flatten", "9", "-", "-", "-", "0"]
    assert table["7"] == ["dropout", "6", "-", "-", "-", "0"]
    assert table["9"] == ["dense", "3", "softmax", "3x6", "3x1", "21"]
    assert f"parameters: {net.parameter_count}" in out
    assert "  1 conv2d: filters=3, kernel_size=3x2, stride=1x1, padding=1x0\n" in out
    assert "  3 max_pool2d: pool_size=2x2, stride=2x2\n" in out
    assert "  7 dropout: rate=0.25\n" in out
    assert (
        "  2 batch_norm: momentum=0.8, epsilon=1e-05; statistics running_mean 3x1, "
        "running_var 3x1 (learned without gradients)\n"
    ) in out
    assert "optimizer: adam(" in out and "18 steps, state m, v" in out
    assert "history: 3 epochs" in out and "random state: PCG64" in out
    assert out.endswith(
        "go: Go gone cannot load it: its layers are in gone's own fields and Go's Layers field is "
        "empty (Go's Load panics)\n"
    )


def test_inspect_a_dense_network_with_dropout(tmp_path):
    net = gone.NeuralNetwork(
        [gone.Layer(4), gone.Layer(3, gone.ReLU()), gone.Dropout(0.5), gone.Layer(1)], seed=0
    )
    save(net, tmp_path / "dropout.gone")
    status, out, _ = run("inspect", str(tmp_path / "dropout.gone"))
    assert status == 0
    assert "architecture: 4 -> dense 3 relu -> dropout 3 -> dense 1 id\n" in out
    assert "  2 dropout: rate=0.5\n" in out and "go: Go gone cannot load it" in out


def test_inspect_a_population_file(tmp_path):
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(2)], seed=0)
    rng = np.random.default_rng(0)
    record = PopulationRecord(
        net,
        [np.stack([net._weights[0]] * 4)],
        [np.stack([net._biases[0]] * 4)],
        9,
        rng.bit_generator.state,
        np.array([1.0, 4.0, 2.0, 3.0]),
        {"best": [2.0, 4.0], "mean": [1.0, 2.5]},
    )
    save_population(tmp_path / "run.gone", record)
    status, out, _ = run("inspect", str(tmp_path / "run.gone"))
    assert status == 0
    assert "gone population, format version 1" in out
    assert "generation 9, 4 individuals" in out
    assert "fitness: best 4, mean 2.5, worst 1" in out
    assert "history: 2 generations; best 2 -> 4; mean 1 -> 2.5" in out


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("truncated.gone", "expected a serialized gone NeuralNetwork, got bytes that are not one"),
        ("unknown_loss.gone", "loss: expected one of"),
        ("empty.gone", "expected a serialized gone NeuralNetwork, got 0 bytes"),
        ("cnn_flatten_size.gone", "layers[6] W: expected shape 6x15"),
    ],
)
def test_bad_file_is_one_line_on_stderr_and_status_1(name, problem):
    path = FIXTURES / "broken" / name
    status, out, err = run("inspect", str(path))
    assert status == 1 and out == ""
    assert err.startswith(f"gone inspect: error: {path}: ")
    assert problem in err
    assert err.count("\n") == 1


def test_missing_file_is_status_1(tmp_path):
    path = tmp_path / "missing.gone"
    status, _, err = run("inspect", str(path))
    assert status == 1
    assert err == f"gone inspect: error: {path}: file: expected an existing file, got none\n"


def test_a_folder_or_device_is_status_1_without_reading_it(tmp_path):
    status, _, err = run("inspect", str(tmp_path))
    assert status == 1
    assert err == f"gone inspect: error: {tmp_path}: file: expected a file, got a folder\n"
    if Path("/dev/zero").exists():  # read without end before
        status, _, err = run("inspect", "/dev/zero")
        assert status == 1 and "expected a regular file, got a character device" in err


def test_usage_errors_exit_with_status_2():
    with pytest.raises(SystemExit) as raised:
        main([], out=io.StringIO(), err=io.StringIO())
    assert raised.value.code == 2


def test_python_dash_m_gone_runs_as_a_program():
    result = subprocess.run(
        [sys.executable, "-m", "gone", "inspect", str(FIXTURES / "go-gone" / "deep.gone")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "architecture: 3 -> 5 relu -> 4 sigmoid -> 2 id" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "gone", "inspect", str(FIXTURES / "broken" / "image.png")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and "image.png" in bad.stderr
