import numpy as np

from examples.xor.__main__ import SAMPLES, build, main


def test_the_example_prints_a_learned_table(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "|" in line and line.strip()[0].isdigit()]
    assert len(rows) == 4
    for row, (_, target) in zip(rows, SAMPLES):
        prediction = float(row.split("|")[-1])
        assert abs(prediction - target[0]) < 0.1
    assert "final loss" in out and "sigmoid" in out


def test_build_matches_the_go_tutorial():
    net = build(seed=0)
    assert [layer.nodes for layer in net.layers] == [2, 4, 1]
    assert net.learning_rate == 0.1 and net.loss.name == "mse"
    assert np.all(np.abs(net.parameters()[0]) <= 1)
