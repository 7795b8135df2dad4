"""`python -m gone inspect`: what it prints for network and population files, and bad files."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gone
from gone.__main__ import main
from gone.persistence import PopulationRecord, save, save_population

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
