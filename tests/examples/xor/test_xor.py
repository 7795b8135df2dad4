from pathlib import Path

import numpy as np
import pytest

import gone
from examples.xor.__main__ import SAMPLES, build, main


def test_the_example_prints_a_learned_table_and_saves_the_model(capsys, tmp_path):
    model = tmp_path / "xor.gone"
    assert main(["--out", str(model)]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "|" in line and line.strip()[0].isdigit()]
    assert len(rows) == 4
    for row, (_, target) in zip(rows, SAMPLES):
        prediction = float(row.split("|")[-1])
        assert abs(prediction - target[0]) < 0.1
    assert "final loss" in out and "sigmoid" in out
    assert "loaded it back: same predictions" in out
    loaded = gone.load(model)
    assert loaded.predict([1, 0])[0] > 0.9 and loaded.predict([1, 1])[0] < 0.1  # the trained net
    assert len(loaded.history) == 1500


def test_build_matches_the_go_tutorial():
    net = build(seed=0)
    assert [layer.nodes for layer in net.layers] == [2, 4, 1]
    assert net.learning_rate == 0.1 and net.loss.name == "mse"
    assert np.all(np.abs(net.parameters()[0]) <= 1)


def test_runs_without_out_keep_the_models_saved_before(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--epochs", "10"]) == 0
    assert main(["--epochs", "10"]) == 0
    out = capsys.readouterr().out
    assert f"saved {Path('out/xor.gone')};" in out and f"saved {Path('out/xor-2.gone')};" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["xor-2.gone", "xor.gone"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--epochs", "0"], "--epochs: expected an int >= 1, got 0"),
        (["--seed", "x"], "--seed: expected an int >= 0, got 'x'"),
    ],
)
def test_bad_flags_name_the_flag(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    assert message in capsys.readouterr().err
