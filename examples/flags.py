"""Checked numbers for the examples' command lines, refused in the house form.

Each helper is an argparse `type=`: it converts the flag's text and refuses a value out of
range, and argparse prefixes the flag, so a user reads

    python -m examples.digits: error: argument --momentum: expected a number in [0, 1), got 2

Only what the user typed goes through these (argparse does not convert non-string defaults),
so defaults filled in later, such as the digits presets, are not checked twice.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def checked(convert: Callable[[str], object], expected: str, ok: Callable[[object], bool]):
    """An argparse type: `convert(text)`, refused unless `ok(value)`; `expected` says what fits.

    Example:
        >>> parser.add_argument("--epochs", type=checked(int, "an int >= 0", lambda n: n >= 0))
    """

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text}")
        return value

    parse.__name__ = expected  # what argparse shows if it ever names the type itself
    return parse


def int_at_least(least: int):
    """An int >= `least`: `type=int_at_least(1)` refuses 0 as "expected an int >= 1, got 0"."""
    return checked(int, f"an int >= {least}", lambda value: value >= least)


def number_above(low: float):
    """A finite number > `low`."""
    return checked(float, f"a number > {low:g}", lambda v: math.isfinite(v) and v > low)


def number_at_least(low: float):
    """A finite number >= `low`."""
    return checked(float, f"a number >= {low:g}", lambda v: math.isfinite(v) and v >= low)


def number_in(low: float, high: float, closed: str = "[]"):
    """A number between `low` and `high`; `closed` says which ends belong: "[]", "[)", "(]", "()".

    Example:
        >>> number_in(0, 1, "[)")("1")   # argparse: "expected a number in [0, 1), got 1"
    """
    if len(closed) != 2 or closed[0] not in "[(" or closed[1] not in "])":
        raise ValueError(f"closed: expected one of [], [), (], (), got {closed!r}")

    def ok(value: float) -> bool:
        above = value >= low if closed[0] == "[" else value > low
        below = value <= high if closed[1] == "]" else value < high
        return above and below  # NaN is neither

    return checked(float, f"a number in {closed[0]}{low:g}, {high:g}{closed[1]}", ok)
