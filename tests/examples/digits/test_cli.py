"""`python -m examples.digits` end to end, as a user runs it: few epochs, offline."""

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

import gone

ROOT = Path(__file__).resolve().parents[3]
SUMMARY_KEYS = {
    "dataset",
    "train_samples",
    "test_samples",
    "epochs",
    "test_accuracy",
    "seconds",
    "model_path",
}


def run_cli(*args, cwd=ROOT):
    env = {**os.environ, "GONE_DATA_DIR": "/nonexistent-gone-data"}  # never the user's cache
    return subprocess.run(
        [sys.executable, "-m", "examples.digits", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def summary_of(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One default-data run with few epochs, shared by the tests that read its outputs."""
    out = tmp_path_factory.mktemp("out")
    result = run_cli("--epochs", "4", "--out", out / "d.gone", "--plot", out / "d.png")
    return result, out


def test_default_run_prints_progress_accuracy_confusion_and_json(trained):
    result, out = trained
    summary = summary_of(result)
    assert set(summary) >= SUMMARY_KEYS
    assert summary["dataset"] == "digits"
    assert summary["epochs"] == 4
    assert summary["train_samples"] + summary["val_samples"] + summary["test_samples"] == 1797
    assert summary["test_accuracy"] > 0.8  # chance is 0.1
    assert summary["model_path"] == str(out / "d.gone")
    lines = result.stdout.splitlines()
    assert sum(line.startswith("epoch ") for line in lines) == 4
    assert any(line.startswith("test accuracy: ") for line in lines)
    assert any(line.startswith("true\\pred") for line in lines)


def test_default_run_writes_a_loadable_model_and_a_png(trained):
    result, out = trained
    summary = summary_of(result)
    net = gone.load(out / "d.gone")
    assert [layer.nodes for layer in net.layers][0] == 64
    png = out / "d.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(png).ndim == 3
    assert summary["plot_path"] == str(png)


def test_load_evaluates_without_training_and_agrees(trained):
    _, out = trained
    first = summary_of(trained[0])
    # Another --seed must not change the test digits: the split has its own --split-seed.
    result = run_cli("--load", out / "d.gone", "--no-plot", "--seed", "7")
    summary = summary_of(result)
    assert summary["epochs"] == 0 and summary["train_samples"] == 0
    assert summary["test_accuracy"] == first["test_accuracy"]
    assert not any(line.startswith("epoch ") for line in result.stdout.splitlines())


def test_mnist_from_a_folder_of_idx_files(tmp_path, write_mnist):
    write_mnist(tmp_path / "mnist", train=300, test=60)
    result = run_cli(
        "--dataset",
        "mnist",
        "--data",
        tmp_path / "mnist",
        "--no-download",
        "--hidden",
        "32",
        "--epochs",
        "5",
        "--shift",
        "1",
        "--out",
        tmp_path / "m.gone",
        "--plot",
        tmp_path / "m.png",
    )
    summary = summary_of(result)
    assert summary["dataset"] == "mnist"
    assert summary["test_samples"] == 60
    assert summary["test_accuracy"] > 0.6
    assert (tmp_path / "m.png").exists()


def test_loading_a_model_for_the_other_data_set_says_so(trained, tmp_path, write_mnist):
    _, out = trained
    write_mnist(tmp_path / "mnist", train=20, test=10)
    result = run_cli("--dataset", "mnist", "--data", tmp_path / "mnist", "--load", out / "d.gone")
    assert result.returncode == 1
    assert "expected a model with 784 inputs" in result.stderr
    assert "--dataset digits" in result.stderr


def test_missing_mnist_files_without_download_tell_where_to_put_them(tmp_path):
    result = run_cli("--dataset", "mnist", "--data", tmp_path, "--no-download")
    assert result.returncode == 1
    assert f"into {tmp_path}" in result.stderr
    assert "train-images-idx3-ubyte.gz" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_mnist_file_is_named(tmp_path, write_mnist):
    write_mnist(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(b"\x00\x00\x08\x01garbage")
    result = run_cli("--dataset", "mnist", "--data", tmp_path, "--no-download")
    assert result.returncode == 1
    assert "train-labels-idx1-ubyte.gz" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_flags_are_refused_by_the_parser():
    result = run_cli("--val-fraction", "1.5")
    assert result.returncode == 2
    assert "--val-fraction: expected a number in [0, 1), got 1.5" in result.stderr


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_draw_flag_opens_the_window_on_the_trained_network(tmp_path, monkeypatch, capsys, model):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    from examples.digits import cli, draw

    seen = {}
    real_run = draw.run

    def scripted_run(app):
        stroke = draw.stroke_events([(140, 40), (140, 140), (140, 240)])
        real_run(app, max_frames=2, scripted=[stroke], frames_per_second=0)
        seen["probabilities"] = app.probabilities
        seen["input_shape"] = app.network_input.shape

    monkeypatch.setattr(draw, "run", scripted_run)
    given = []  # the shape of every input the network predicts on
    real_predict = gone.NeuralNetwork.predict

    def recording_predict(net, inputs):
        given.append(np.shape(inputs))
        return real_predict(net, inputs)

    monkeypatch.setattr(gone.NeuralNetwork, "predict", recording_predict)
    argv = ["--model", model, "--epochs", "2", "--no-plot", "--draw"]
    status = cli.main([*argv, "--out", str(tmp_path / "d.gone")])
    assert status == 0
    assert seen["input_shape"] == (8, 8)  # the preview, the same for both models
    assert given[-1] == {"mlp": (64,), "cnn": (1, 8, 8)}[model]  # what the window hands the net
    assert seen["probabilities"].shape == (10,)
    assert seen["probabilities"].sum() == pytest.approx(1.0, rel=1e-4)
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last_line)["dataset"] == "digits"
    assert json.loads(last_line)["model"] == model


def run_in(folder, monkeypatch, capsys, *argv):
    """cli.main in `folder` (where out/ is), quick: 1 epoch unless it loads a model; returns
    (status, summary, stderr)."""
    from examples.digits import cli

    monkeypatch.chdir(folder)
    quick = [] if "--load" in argv else ["--epochs", "1"]
    status = cli.main([*quick, *map(str, argv)])
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    summary = json.loads(lines[-1]) if status == 0 else None
    return status, summary, captured.err


def test_runs_without_out_take_new_names_and_the_png_follows_the_model(
    tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "digits.gone").write_bytes(b"yesterday's model")
    (out / "digits-3.png").write_bytes(b"a picture of mine")  # number 3 is taken as a pair
    written = []
    for _ in range(2):
        status, summary, _ = run_in(tmp_path, monkeypatch, capsys)
        assert status == 0
        written.append((summary["model_path"], summary["plot_path"]))
    assert written == [
        (str(Path("out/digits-2.gone")), str(Path("out/digits-2.png"))),
        (str(Path("out/digits-4.gone")), str(Path("out/digits-4.png"))),
    ]
    assert (out / "digits.gone").read_bytes() == b"yesterday's model"
    assert (out / "digits-3.png").read_bytes() == b"a picture of mine"
    assert not (out / "digits-3.gone").exists()  # no claim is left behind
    assert gone.load(out / "digits-4.gone").n_inputs == 64
    assert (out / "digits-4.png").read_bytes()[:4] == b"\x89PNG"


def test_out_names_the_model_and_its_png_beside_it(tmp_path, monkeypatch, capsys):
    named = tmp_path / "models" / "mine.gone"
    status, summary, _ = run_in(tmp_path, monkeypatch, capsys, "--out", named)
    assert status == 0
    assert summary["model_path"] == str(named)
    assert summary["plot_path"] == str(tmp_path / "models" / "mine.png")
    assert not (tmp_path / "out").exists()  # nothing else was written
    status, summary, _ = run_in(tmp_path, monkeypatch, capsys, "--out", named, "--no-plot")
    assert status == 0 and summary["model_path"] == str(named)  # named: replaced
    assert summary["plot_path"] is None


def test_plot_names_the_png(tmp_path, monkeypatch, capsys):
    status, summary, _ = run_in(tmp_path, monkeypatch, capsys, "--plot", tmp_path / "r.png")
    assert status == 0
    assert summary["plot_path"] == str(tmp_path / "r.png")
    assert summary["model_path"] == str(Path("out/digits.gone"))
    assert not (tmp_path / "out" / "digits.png").exists()


def test_load_writes_no_model_and_a_png_named_after_the_loaded_one(tmp_path, monkeypatch, capsys):
    model = tmp_path / "best.gone"
    assert run_in(tmp_path, monkeypatch, capsys, "--out", model, "--no-plot")[0] == 0
    before = model.read_bytes()
    status, summary, _ = run_in(tmp_path, monkeypatch, capsys, "--load", model)
    assert status == 0
    assert summary["model_path"] == str(model) and model.read_bytes() == before
    assert summary["plot_path"] == str(Path("out/best.png"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["best.png"]


def test_an_unwritable_out_is_an_error_and_leaves_no_claim(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    status, _, err = run_in(tmp_path, monkeypatch, capsys, "--out", blocker / "d.gone")
    assert status == 1 and err.startswith("error: ")
    assert not (tmp_path / "out").exists()  # the PNG went with the named model: not claimed


def test_a_data_folder_that_does_not_exist_is_not_created(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    result = run_cli("--dataset", "mnist", "--data", missing)
    assert result.returncode == 1
    assert f"MNIST folder {missing}: expected an existing folder, got no such folder" in (
        result.stderr
    )
    assert "downloading" not in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--test-fraction", "1.5"], "--test-fraction: expected a number in (0, 1), got 1.5"),
        (["--val-fraction", "1"], "--val-fraction: expected a number in [0, 1), got 1"),
        (["--split-seed", "-1"], "--split-seed: expected an int >= 0, got -1"),
        (["--hidden", "64", "0"], "--hidden: expected an int >= 1, got 0"),
        (["--learning-rate", "-1"], "--learning-rate/--lr: expected a number > 0, got -1"),
        (["--lr", "nan"], "--learning-rate/--lr: expected a number > 0, got nan"),
        (["--batch-size", "0"], "--batch-size: expected an int >= 1, got 0"),
        (["--momentum", "1"], "--momentum: expected a number in [0, 1), got 1"),
        (["--lr-decay", "0"], "--lr-decay: expected a number in (0, 1], got 0"),
        (["--shift", "-2"], "--shift: expected an int >= 0, got -2"),
        (["--weight-decay", "-1"], "--weight-decay: expected a number >= 0, got -1"),
        (["--epochs", "many"], "--epochs: expected an int >= 0, got 'many'"),
        (["--patience", "-1"], "--patience: expected an int >= 0, got -1"),
        (["--seed", "-1"], "--seed: expected an int >= 0, got -1"),
        (["--patience", "3", "--val-fraction", "0"], "--patience: expected a validation set"),
        (["--optimizer", "sgd", "--nesterov"], "--nesterov: expected --momentum > 0"),
        (["--load", "a.gone", "--out", "b.gone"], "--out: expected a model to save, got --load"),
        (
            ["--load", "a.gone", "--epochs", "5", "--no-flip", "--batch-size", "8"],
            "--load: evaluates the saved model as it is, expected no training flags, got "
            "--epochs, --batch-size, --flip",
        ),
        (["--dataset", "fashion"], "--dataset: invalid choice"),
        (["--model", "rnn"], "--model: invalid choice"),
        (["--dropout", "1"], "--dropout: expected a number in [0, 1), got 1"),
        (
            ["--flip"],
            "--flip: expected --dataset cifar10 (photos), got --dataset digits (a mirrored "
            "digit is no digit: a mirrored 2 is not a 2)",
        ),
        (
            ["--dataset", "cifar10", "--draw"],
            "--draw: expected --dataset digits or mnist, got --dataset cifar10 (the window is "
            "for drawing digits; photos are not drawn)",
        ),
    ],
)
def test_bad_flags_are_refused_naming_the_flag(argv, message, capsys):
    from examples.digits import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_test_fraction_that_leaves_no_test_digit_names_the_flag(tmp_path, monkeypatch, capsys):
    status, _, err = run_in(tmp_path, monkeypatch, capsys, "--test-fraction", "0.001")
    assert status == 1
    assert "--test-fraction: expected a share that leaves digits to train and to test" in err


@pytest.fixture(scope="module")
def trained_cnn(tmp_path_factory):
    """One --model cnn run on the 8x8 digits, 2 epochs, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("cnn")
    result = run_cli(
        "--model", "cnn", "--epochs", "2", "--out", out / "c.gone", "--plot", out / "c.png"
    )
    return result, out


def test_cnn_run_on_the_8x8_digits(trained_cnn):
    result, out = trained_cnn
    summary = summary_of(result)
    assert summary["model"] == "cnn" and summary["dataset"] == "digits"
    assert summary["epochs"] == 2 and summary["hidden"] == [64] and summary["dropout"] == 0.3
    assert summary["test_accuracy"] > 0.7  # chance is 0.1; two epochs
    assert "conv2d" in result.stdout and "batch_norm" in result.stdout  # the network's table
    assert sum(line.startswith("epoch ") for line in result.stdout.splitlines()) == 2
    net = gone.load(out / "c.gone")
    assert net.input_shape == (1, 8, 8)
    kinds = [layer.kind for layer in net.layers]
    assert {"conv2d", "batch_norm", "max_pool2d", "flatten", "dropout"} <= set(kinds)
    assert summary["parameters"] == net.parameter_count
    assert (out / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_load_of_a_cnn_evaluates_it_and_agrees(trained_cnn):
    result, out = trained_cnn
    loaded = summary_of(run_cli("--load", out / "c.gone", "--no-plot"))
    assert loaded["model"] == "cnn" and loaded["epochs"] == 0
    assert loaded["test_accuracy"] == summary_of(result)["test_accuracy"]
    assert loaded["hidden"] == [64] and loaded["dropout"] is None  # not trained in this run


def test_a_cnn_for_other_images_is_refused_with_a_hint(trained_cnn, tmp_path, write_mnist):
    _, out = trained_cnn
    write_mnist(tmp_path / "mnist", train=20, test=10)
    result = run_cli("--dataset", "mnist", "--data", tmp_path / "mnist", "--load", out / "c.gone")
    assert result.returncode == 1
    assert "expected a model with 784 inputs (or images (1, 28, 28))" in result.stderr
    assert "got images (1, 8, 8) and 10 outputs (try --dataset digits)" in result.stderr


def test_a_cnn_without_out_is_named_after_its_kind(tmp_path, monkeypatch, capsys):
    status, summary, _ = run_in(tmp_path, monkeypatch, capsys, "--model", "cnn")
    assert status == 0
    assert summary["model_path"] == str(Path("out/digits-cnn.gone"))
    assert summary["plot_path"] == str(Path("out/digits-cnn.png"))


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_cifar10_from_a_folder_trains_either_model(tmp_path, write_cifar10, model):
    write_cifar10(tmp_path / "cifar", records=20)  # 100 training photos, 20 test ones
    result = run_cli(
        "--dataset", "cifar10", "--data", tmp_path / "cifar", "--no-download",
        "--model", model, "--epochs", "1", "--out", tmp_path / "c.gone", "--plot", tmp_path / "c.png",
    )  # fmt: skip
    summary = summary_of(result)
    assert summary["dataset"] == "cifar10" and summary["model"] == model
    assert summary["train_samples"] + summary["val_samples"] == 100
    assert summary["test_samples"] == 20 and summary["flip"] is True
    assert "data: CIFAR-10 32x32 colour, 100 train / 20 test samples" in result.stdout
    assert "0 airplane, 1 automobile" in result.stdout  # the confusion matrix's classes
    assert gone.load(tmp_path / "c.gone").n_inputs == 3072
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert f"saved learning curves and test images to {tmp_path / 'c.png'}" in result.stdout
    if model == "mlp":  # and the model on the digits: the hint names its data set
        refused = run_cli("--load", tmp_path / "c.gone", "--no-plot")
        assert refused.returncode == 1
        assert "got 3072 inputs and 10 outputs (try --dataset cifar10)" in refused.stderr


def test_a_model_for_other_images_is_refused_before_any_data_is_read(tmp_path, capsys):
    from examples.digits import cli
    from examples.digits.training import build_network

    build_network(64, [8], "relu").save(tmp_path / "digits.gone")
    missing = tmp_path / "no-cifar-here"  # reading the data first would fail on this folder
    argv = ["--dataset", "cifar10", "--data", missing, "--load", tmp_path / "digits.gone"]
    assert cli.main([*map(str, argv), "--no-plot"]) == 1
    err = capsys.readouterr().err
    assert "expected a model with 3072 inputs (or images (3, 32, 32)) and 10 outputs for " in err
    assert "--dataset cifar10, got 64 inputs and 10 outputs (try --dataset digits)" in err
    assert not missing.exists()


def test_dropout_without_hidden_layers_is_reported_as_none(tmp_path, monkeypatch, capsys):
    status, summary, _ = run_in(
        tmp_path, monkeypatch, capsys, "--model", "cnn", "--hidden", "--dropout", "0.5", "--no-plot"
    )
    assert status == 0 and summary["hidden"] == [] and summary["dropout"] == 0.0


def test_missing_cifar10_files_without_download_tell_where_to_put_them(tmp_path):
    result = run_cli("--dataset", "cifar10", "--data", tmp_path, "--no-download")
    assert result.returncode == 1
    assert "cifar-10-binary.tar.gz" in result.stderr and str(tmp_path) in result.stderr
    assert "Traceback" not in result.stderr


def test_each_model_and_data_set_takes_its_preset():
    from examples.digits import cli

    for dataset in cli.PRESETS:
        for model in ("mlp", "cnn"):
            args = cli.parse_args(["--dataset", dataset, "--model", model])
            for name, value in cli.PRESETS[dataset][model].items():
                assert getattr(args, name) == value, (dataset, model, name)
    default = cli.parse_args([])
    assert default.model == "mlp" and default.hidden == [128, 64] and default.epochs == 40
    assert default.dropout == 0.0 and default.flip is False
    assert cli.parse_args(["--dataset", "cifar10", "--no-flip"]).flip is False
    assert cli.parse_args(["--model", "cnn", "--hidden", "--dropout", "0"]).hidden == []


def test_the_help_says_each_models_defaults(capsys):
    from examples.digits import cli

    with pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert (
        "(default: by --model and --dataset: mlp: digits 40, mnist 30, cifar10 20; cnn 30)" in text
    )
    assert "(default: by --dataset: digits off, mnist off, cifar10 on)" in text
    assert "their filters by --dataset: digits 16-32, mnist 16-32-64, cifar10 32-64-128" in text
