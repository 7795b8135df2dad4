"""The examples' command lines: every flag's help says its default; refusals name the flag."""

import argparse
import re

import pytest

from benchmarks import (
    conv_equivalence,
    digits_accuracy,
    neuroevolution,
    strategies,
    train_cnn,
    train_mlp,
)
from benchmarks import flappy as flappy_benchmark
from benchmarks import gym as gym_benchmark
from examples.digits import cli as digits_cli
from examples.flags import checked, int_at_least, number_above, number_at_least, number_in
from examples.flappy import cli as flappy_cli
from examples.gym import cli as gym_cli
from examples.xor import __main__ as xor_main

PARSERS = {
    "examples.xor": xor_main.build_parser,
    "examples.digits": digits_cli.build_parser,
    "examples.flappy": flappy_cli.build_parser,
    "examples.gym": gym_cli.build_parser,
    "benchmarks.digits_accuracy": digits_accuracy.build_parser,
    "benchmarks.flappy": flappy_benchmark.build_parser,
    "benchmarks.gym": gym_benchmark.build_parser,
    "benchmarks.neuroevolution": neuroevolution.build_parser,
    "benchmarks.strategies": strategies.build_parser,
    "benchmarks.train_mlp": train_mlp.build_parser,
    "benchmarks.train_cnn": train_cnn.build_parser,
    "benchmarks.conv_equivalence": conv_equivalence.build_parser,
}


def options():
    """(cli, flag, help text as --help prints it) of every option but --help."""
    for name, build in PARSERS.items():
        parser = build()
        formatter = parser._get_formatter()
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            flag = max(action.option_strings, key=len)
            yield pytest.param(action, formatter._expand_help(action), id=f"{name} {flag}")


def shown(default) -> list[str]:
    """The ways a default may be written in the help: 0.25, [1] as 1, a path as its text."""
    if isinstance(default, list):
        return [" ".join(map(str, default)), str(default)]
    return [str(default)]


@pytest.mark.parametrize(("action", "text"), list(options()))
def test_every_flag_says_its_default(action, text):
    assert action.help, "no help text"
    assert "(default: " in text
    said = text.split("(default: ", 1)[1]
    assert not said.startswith(("None", ")")), "a default that depends on something says on what"
    if isinstance(action, argparse._StoreTrueAction):
        assert said.startswith("off"), said
    elif action.default is not None:
        assert any(said.startswith(value) for value in shown(action.default)), said


@pytest.mark.parametrize("name", PARSERS)
def test_the_help_prints(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        PARSERS[name]().parse_args(["--help"])
    assert exit_info.value.code == 0
    assert "None" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (int_at_least(1), "0", "expected an int >= 1, got 0"),
        (int_at_least(0), "1.5", "expected an int >= 0, got '1.5'"),
        (number_above(0), "0", "expected a number > 0, got 0"),
        (number_above(0), "inf", "expected a number > 0, got inf"),
        (number_at_least(0), "-0.5", "expected a number >= 0, got -0.5"),
        (number_in(0, 1, "()"), "1", "expected a number in (0, 1), got 1"),
        (number_in(0, 1, "[)"), "nan", "expected a number in [0, 1), got nan"),
        (number_in(0, 1, "(]"), "0", "expected a number in (0, 1], got 0"),
        (number_in(0, 1, "[]"), "x", "expected a number in [0, 1], got 'x'"),
    ],
)
def test_checked_types_refuse_in_the_house_form(kind, text, message):
    with pytest.raises(argparse.ArgumentTypeError, match="^" + re.escape(message)):
        kind(text)


def test_checked_types_pass_good_values_through():
    assert int_at_least(1)("3") == 3
    assert number_in(0, 1, "(]")("1") == 1.0
    assert number_in(0, 1, "[)")("0") == 0.0
    assert checked(str.upper, "a word", str.isalpha)("abc") == "ABC"


def test_argparse_names_the_flag_before_the_refusal(capsys):
    parser = argparse.ArgumentParser(prog="demo")
    parser.add_argument("--epochs", type=int_at_least(0))
    with pytest.raises(SystemExit):
        parser.parse_args(["--epochs", "-1"])
    assert "demo: error: argument --epochs: expected an int >= 0, got -1" in capsys.readouterr().err


def test_an_interval_needs_two_known_ends():
    with pytest.raises(ValueError, match=r"closed: expected one of \[\], \[\), \(\], \(\), got"):
        number_in(0, 1, "[[")
