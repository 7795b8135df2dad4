"""Tests for the Flappy Bird command line: headless training, --play, flags and errors."""

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gone
from examples.flappy.cli import CHAMPION, build_parser, flag_of, main, parse_args
from examples.flappy.evolve import Settings

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
    status, lines, _ = run_main([*argv, "--seed", "2", "--out", str(model)], capsys)
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
    argv = ["--headless", "--target-score", "10", "--generations", "30", "--out", str(model)]
    status, lines, _ = run_main(argv, capsys)
    summary = json.loads(lines[-1])
    assert status == 0 and summary["reached_target"]
    assert summary["best_score"] == 10
    last = GENERATION_LINE.match(lines[-3])  # then "saved ...", then the JSON line
    assert int(last.group(2)) == 10 and int(last.group(1)) == summary["generations"] - 1


def test_python_dash_m_runs_headless(tmp_path):
    model = tmp_path / "bird.gone"
    argv = ["--headless", "--population", "20", "--generations", "2", "--out", str(model)]
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
        # checked by Settings, reported with the flag's name rather than the field's
        (["--population", "0"], "--population: expected an int >= 1, got 0"),
        (["--hidden", "0"], "--hidden: expected an int >= 1, got 0"),
        (["--tournament", "0"], "--tournament: expected an int >= 1, got 0"),
        (["--elite", "300"], "--elite: expected at most population (200), got 300"),
        (["--mutation-rate", "2"], "--mutation-rate: expected a probability in [0, 1], got 2.0"),
        (["--mutation-stddev", "-1"], "--mutation-stddev: expected a finite number >= 0, got -1.0"),
        # checked by the parser
        (["--target-score", "-1"], "--target-score: expected an int >= 1, got -1"),
        (["--generations", "0"], "--generations: expected an int >= 1, got 0"),
        (["--seed", "-3"], "--seed: expected an int >= 0, got -3"),
        (["--fps", "0"], "--fps: expected a number > 0, got 0"),
        (["--scale", "nan"], "--scale: expected a number > 0, got nan"),
        (["--frames", "ten"], "--frames: expected an int >= 1, got 'ten'"),
        (["--play", "--max-score", "0"], "--max-score: expected an int >= 1, got 0"),
        (["--play", "--headless", "--out", "x.gone"], "--out: expected a run that saves a bird"),
        (["--crossover", "blend"], "--crossover: invalid choice"),
    ],
)
def test_bad_flags_exit_with_a_message_naming_the_flag(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_every_settings_field_with_a_flag_is_named_by_that_flag():
    options = {option for action in build_parser()._actions for option in action.option_strings}
    for field in dataclasses.fields(Settings):
        assert flag_of(field.name) in options, field.name


def test_headless_runs_without_out_take_new_names_and_keep_the_old_models(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    mine = tmp_path / "out" / "flappy.gone"
    mine.write_bytes(b"a model trained yesterday")
    argv = ["--headless", "--population", "20", "--generations", "1"]
    for _ in range(2):
        assert main(argv) == 0
    assert mine.read_bytes() == b"a model trained yesterday"
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == ["flappy-2.gone", "flappy-3.gone", "flappy.gone"]
    assert gone.load(tmp_path / "out" / "flappy-3.gone").n_inputs == 5


def test_the_summary_reports_the_new_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "flappy.gone").write_bytes(b"taken")
    status, lines, _ = run_main(["--headless", "--population", "20", "--generations", "1"], capsys)
    assert status == 0
    assert json.loads(lines[-1])["model_path"] == str(Path("out") / "flappy-2.gone")
    assert lines[-2].endswith(f"to {Path('out') / 'flappy-2.gone'}")


def test_out_names_the_file_and_replaces_it(tmp_path, capsys):
    named = tmp_path / "bird.gone"
    named.write_bytes(b"old")
    argv = ["--headless", "--population", "20", "--generations", "1", "--out", str(named)]
    status, lines, _ = run_main(argv, capsys)
    assert status == 0 and json.loads(lines[-1])["model_path"] == str(named)
    assert gone.load(named).n_inputs == 5


def test_a_champion_that_cannot_be_saved_is_an_error_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    argv = ["--headless", "--population", "20", "--generations", "1"]
    status, _, err = run_main([*argv, "--out", str(blocker / "bird.gone")], capsys)
    assert status == 1
    assert err.startswith("error: could not save the champion") and "Traceback" not in err
