"""The bar and the table: what they write, and that they tell how a call ended."""

import io

import numpy as np
import pytest

import gone
from gone.history import EpochRecord


def record(epoch, seconds=1.0):
    return EpochRecord(epoch, loss=0.5, learning_rate=0.1, seconds=seconds, val_loss=0.25)


def test_the_bar_shows_the_last_record_even_between_redraws():
    stream = io.StringIO()
    bar = gone.ProgressBar(
        500, stream=stream, min_interval=3600
    )  # an hour: no redraw after the 1st
    for epoch in range(1, 69):
        bar(record(epoch))
    assert "68/500" not in stream.getvalue()
    bar.close()
    assert stream.getvalue().rstrip("\n").split("\r")[-1].split()[1] == "68/500"
    assert stream.getvalue().endswith("\n")


def early_stopped_run(**kwargs):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    train = gone.DataSet.from_arrays(X[:20], rng.normal(size=(20, 1)))
    val = gone.DataSet.from_arrays(X[20:], rng.normal(size=(20, 1)))
    net = gone.NeuralNetwork(
        [gone.Layer(5), gone.Layer(32, gone.Tanh()), gone.Layer(1)], learning_rate=0.05, seed=0
    )
    stopping = gone.EarlyStopping(patience=5)
    history = net.train(gone.GD(), train, 500, validation=val, early_stopping=stopping, **kwargs)
    return history, stopping


def test_bar_and_table_say_that_training_stopped_early_and_what_was_restored(monkeypatch):
    err, out = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr("sys.stdout", out)
    history, stopping = early_stopped_run(progress=True, verbose=1)
    said = (
        f"stopped early after epoch {len(history)}; restored the weights and optimizer state of "
        f"epoch {stopping.best_epoch} (the best validation loss)\n"
    )
    bar_line = err.getvalue()[: -len(said)].rstrip("\n").split("\r")[-1]
    assert f" {len(history)}/500 " in bar_line  # the bar shows where training stopped
    assert err.getvalue().endswith("\n" + said)
    assert out.getvalue().endswith(said)
    assert history.ending() == said.strip()


def test_a_run_that_simply_ends_adds_no_line(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    net = gone.NeuralNetwork([gone.Layer(1), gone.Layer(1)], seed=0)
    net.train(gone.GD(), gone.DataSet.from_arrays([[1.0]], [[1.0]]), 4, verbose=2)
    assert [line.split()[0] for line in out.getvalue().splitlines()] == ["epoch", "2", "4"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: gone.ProgressBar("10"), "ProgressBar total: expected an int >= 0, got '10'"),
        (lambda: gone.ProgressBar(10, width=0), "ProgressBar width: expected an int >= 1, got 0"),
        (lambda: gone.EpochTable(every="x"), "EpochTable every: expected an int >= 1, got 'x'"),
    ],
)
def test_bad_settings(make, message):
    with pytest.raises(gone.ConfigError, match=message):
        make()


@pytest.mark.parametrize(("verbose", "rows"), [(True, 3), (False, 0), (1, 3), (2, 1)])
def test_verbose_true_prints_every_epoch_and_false_none(capsys, verbose, rows):
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0)
    data = gone.DataSet.from_arrays(np.eye(2), np.ones((2, 1)))
    net.train(gone.GD(), data, 3, verbose=verbose)
    table = capsys.readouterr().out.splitlines()
    assert sum(line.split()[:1] in (["1"], ["2"], ["3"]) for line in table) == rows
