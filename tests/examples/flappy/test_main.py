"""Tests for the Flappy Bird command line: headless training, --play, flags and errors."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gone
from examples.flappy.cli import CHAMPION, main, parse_args

ROOT = Path(__file__).resolve().parents[3]
GENERATION_LINE = re.compile(
    r"^generation +(\d+) +best +(\d+) +mean +[\d.]+ +alive +\d+ +frames +\d+ +[\d.]+s$"
)


def run_main(argv, capsys):
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out.splitlines(), out.err


def test_headless_training_prints_generations_and_a_json_summary_and_saves_the_champion(
    tmp_path, capsys
):
    model = tmp_path / "bird.gone"
    argv = ["--headless", "--population", "60", "--generations", "4", "--target-score", "3"]
    status, lines, _ = run_main([*argv, "--seed", "2", "--model", str(model)], capsys)
    assert status == 0
    generations = [GENERATION_LINE.match(line) for line in lines]
    numbers = [int(m.group(1)) for m in generations if m]
    assert numbers == list(range(len(numbers))) and 1 <= len(numbers) <= 4
    summary = json.loads(lines[-1])
    assert set(summary) >= {"generations", "population", "best_score", "seconds", "model_path"}
    assert summary["generations"] == len(numbers)
    assert summary["population"] == 60
    assert summary["model_path"] == str(model)
    best = max(int(m.group(2)) for m in generations if m)
    assert summary["best_score"] == best
    assert summary["reached_target"] == (best >= 3)
    network = gone.load(model)
    assert network.predict(np.zeros((7, 5))).shape == (7, 1)


def test_headless_training_stops_at_the_target_score(tmp_path, capsys):
    model = tmp_path / "bird.gone"
    argv = ["--headless", "--target-score", "10", "--generations", "30", "--model", str(model)]
    status, lines, _ = run_main(argv, capsys)
    summary = json.loads(lines[-1])
    assert status == 0 and summary["reached_target"]
    assert summary["best_score"] == 10
    last = GENERATION_LINE.match(lines[-3])  # then "saved ...", then the JSON line
    assert int(last.group(2)) == 10 and int(last.group(1)) == summary["generations"] - 1


def test_python_dash_m_runs_headless(tmp_path):
    model = tmp_path / "bird.gone"
    argv = ["--headless", "--population", "20", "--generations", "2", "--model", str(model)]
    completed = subprocess.run(
        [sys.executable, "-m", "examples.flappy", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert sum(bool(GENERATION_LINE.match(line)) for line in lines) == 2
    assert json.loads(lines[-1])["generations"] == 2
    assert gone.load(model).n_inputs == 5


def test_the_committed_champion_passes_200_pipes_on_course_0(capsys):
    status, lines, _ = run_main(["--play", "--headless", "--max-score", "200"], capsys)
    assert status == 0
    summary = json.loads(lines[-1])
    assert summary == {
        "model_path": str(CHAMPION),
        "seed": 0,
        "score": 200,
        "frames": 10025,
        "crashed": False,
    }
    assert "passed 200 pipes on course 0" in lines[0]


def test_play_stops_at_max_frames_on_another_course(capsys):
    argv = ["--play", str(CHAMPION), "--headless", "--seed", "3", "--max-frames", "777"]
    status, lines, _ = run_main(argv, capsys)
    summary = json.loads(lines[-1])
    assert status == 0
    assert (summary["score"], summary["frames"], summary["crashed"]) == (15, 777, False)


def test_play_of_a_random_bird_reports_its_crash(tmp_path, capsys):
    path = tmp_path / "random.gone"
    gone.Population(
        [gone.Layer(5), gone.Layer(8, gone.Tanh()), gone.Layer(1, gone.Sigmoid())], 1, seed=0
    )[0].save(path)
    status, lines, _ = run_main(["--play", str(path), "--headless"], capsys)
    summary = json.loads(lines[-1])
    assert status == 0 and summary["crashed"]
    assert summary["score"] < 5 and summary["frames"] < 1000


def test_play_reports_a_missing_or_unfit_model(tmp_path, capsys):
    status, _, err = run_main(["--play", str(tmp_path / "nope.gone"), "--headless"], capsys)
    assert status == 2 and "nope.gone" in err
    xor = tmp_path / "xor.gone"
    gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0).save(xor)
    status, _, err = run_main(["--play", str(xor), "--headless"], capsys)
    assert status == 2
    assert "expected a network of 5 inputs and 1 output, got 2 inputs and 1 outputs" in err


def test_mode_dependent_defaults():
    assert parse_args(["--headless"]).target_score == 100
    assert parse_args([]).target_score is None  # the window flies until all crash
    assert parse_args(["--play", "--headless"]).max_score == 1000
    assert parse_args(["--play"]).max_score is None
    assert parse_args(["--play"]).play == CHAMPION
    settings = parse_args(["--headless", "--same-course", "--crossover", "uniform"]).settings
    assert not settings.fresh_courses and settings.crossover == "uniform"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--population", "0"], "--population: expected an int >= 1, got 0"),
        (["--target-score", "-1"], "--target-score: expected an int >= 1, got -1"),
        (["--fps", "0"], "--fps and --scale: expected numbers > 0"),
        (["--elite", "300"], "elite: expected at most population 200"),
        (["--crossover", "blend"], "invalid choice"),
    ],
)
def test_bad_flags_exit_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
