"""The Gymnasium example's command line: headless evolution, --play, the window check, flags."""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gone
from examples.gym.cli import build_parser, main, parse_args

pytest.importorskip("gymnasium", minversion="1.0", reason='pip install "gone[gym]"')

ROOT = Path(__file__).resolve().parents[3]
GENERATION_LINE = re.compile(
    r"^generation +(\d+) +best +[-\d.]+ +mean +[-\d.]+ +champion +([-\d.]+) over (\d+) +"
    r"steps +[\d,]+ +[\d.]+s$"
)
QUICK = ["--headless", "--population", "16", "--max-steps", "30", "--check-episodes", "3"]


def run_main(argv, capsys):
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out.splitlines(), out.err


def test_headless_evolution_prints_generations_and_a_json_summary_and_saves(tmp_path, capsys):
    model = tmp_path / "champion.gone"
    argv = [*QUICK, "--target", "30", "--held-out-episodes", "4", "--out", str(model)]
    status, lines, _ = run_main(argv, capsys)
    assert status == 0
    generations = [m for m in map(GENERATION_LINE.match, lines) if m]
    assert [int(m.group(1)) for m in generations] == list(range(len(generations)))
    assert float(generations[-1].group(2)) >= 30 and generations[-1].group(3) == "3"
    summary = json.loads(lines[-1])
    assert summary["env"] == "CartPole-v1" and summary["network"] == "4-16-2"
    assert summary["solved"] and summary["generations"] == len(generations)
    assert summary["held_out_episodes"] == 4 and summary["held_out_mean"] <= 30
    assert summary["model_path"] == str(model) and summary["env_steps"] > 0
    assert gone.load(model).n_inputs == 4


def test_a_run_that_is_not_solved_stops_after_its_generations(tmp_path, capsys):
    argv = [*QUICK, "--target", "1000", "--generations", "1", "--out", str(tmp_path / "m.gone")]
    status, lines, _ = run_main(argv, capsys)
    summary = json.loads(lines[-1])
    assert status == 0 and not summary["solved"] and summary["generations"] == 2


def test_runs_never_replace_a_model_they_were_not_told_to(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = [*QUICK, "--generations", "0", "--held-out-episodes", "1"]
    paths = [json.loads(run_main(argv, capsys)[1][-1])["model_path"] for _ in range(2)]
    assert paths == [str(Path("out/cartpole-v1.gone")), str(Path("out/cartpole-v1-2.gone"))]


def test_play_headless_prints_every_return_and_a_summary(tmp_path, capsys):
    model = tmp_path / "m.gone"
    gone.NeuralNetwork([gone.Layer(4), gone.Layer(2)], seed=0).save(model)
    argv = ["--play", str(model), "--headless", "--held-out-episodes", "3", "--max-steps", "20"]
    status, lines, _ = run_main(argv, capsys)
    assert status == 0
    assert re.fullmatch(r"returns( \d+){3}", lines[0])
    summary = json.loads(lines[-1])
    assert summary["episodes"] == 3 and summary["max_return"] <= 20
    assert summary["model_path"] == str(model)


def test_a_model_that_does_not_fit_the_environment_is_refused_with_the_sizes(tmp_path, capsys):
    model = tmp_path / "m.gone"
    gone.NeuralNetwork([gone.Layer(4), gone.Layer(2)], seed=0).save(model)
    status, _, err = run_main(["--play", str(model), "--env", "Acrobot-v1", "--headless"], capsys)
    assert status == 2 and "inputs: expected 6" in err and "got 4" in err
    status, _, err = run_main(["--play", str(tmp_path / "none.gone"), "--headless"], capsys)
    assert status == 2 and "none.gone" in err


def test_an_unknown_environment_is_refused(capsys):
    status, _, err = run_main(["--env", "CartPol-v1", "--headless"], capsys)
    assert status == 2 and "'CartPol-v1'" in err and "Did you mean" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--play", "m.gone", "--out", "x.gone"], "--out: expected a run that saves a champion"),
        (["--population", "4", "--elite", "5"], "--elite: expected at most --population (4)"),
        (["--mutation-rate", "2"], "--mutation-rate: expected a number in [0, 1], got 2"),
        (["--hidden", "0"], "--hidden: expected an int >= 1, got 0"),
    ],
)
def test_flags_that_cannot_run_are_refused_naming_the_flag(argv, message, capsys):
    with pytest.raises(SystemExit):
        parse_args(argv)
    assert message in capsys.readouterr().err


def test_every_flag_says_its_default():
    parser = build_parser()
    formatter = parser._get_formatter()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        text = formatter._expand_help(action)
        assert "(default: " in text, action.option_strings
        said = text.split("(default: ", 1)[1]
        if isinstance(action, argparse._StoreTrueAction):
            assert said.startswith("off"), action.option_strings
        elif action.default is not None:
            shown = " ".join(map(str, action.default)) if isinstance(action.default, list) else None
            assert said.startswith((str(action.default), shown or "\0")), action.option_strings


def run_module(*argv, **env):
    """`python -m examples.gym ...` in a fresh process, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "examples.gym", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def test_python_dash_m_runs_headless(tmp_path):
    model = tmp_path / "m.gone"
    completed = run_module(*QUICK, "--generations", "1", "--target", "1000", "--out", str(model))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert sum(bool(GENERATION_LINE.match(line)) for line in lines) == 2
    assert json.loads(lines[-1])["generations"] == 2 and model.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the offscreen fallback is X11's")
def test_without_a_display_the_window_stops_at_once_before_evolving(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env.pop("SDL_VIDEODRIVER", None)
    completed = subprocess.run(
        [sys.executable, "-m", "examples.gym", "--out", str(tmp_path / "m.gone")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 1
    assert "expected a display" in completed.stderr and "--headless" in completed.stderr
    assert "generation" not in completed.stdout and not (tmp_path / "m.gone").exists()


def test_the_window_plays_unseen_with_the_dummy_driver(tmp_path):
    model = tmp_path / "m.gone"
    gone.NeuralNetwork([gone.Layer(4), gone.Layer(2)], seed=0).save(model)
    completed = run_module(
        "--play", str(model), "--show", "2", "--max-steps", "5", SDL_VIDEODRIVER="dummy"
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-2:] == [
        f"{model}: episode 1 returned 5",
        f"{model}: episode 2 returned 5",
    ]
