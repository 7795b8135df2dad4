"""Text in the windows: a word keeps its letter spacing wherever it stands in a line.

pygame.font spaced "gap bottom" as "gap bot tom" at 18 px: the word "bottom" alone was right,
after "gap " a gap opened between its t's. The check: the blank columns between the glyphs of
"a b" are those of "a", one for the space, then those of "b".
"""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from examples.digits import draw  # noqa: E402
from examples.flappy import render  # noqa: E402
from examples.flappy.physics import OBSERVATION_NAMES  # noqa: E402
from examples.text import TextCache  # noqa: E402

SIZES = sorted(
    {render.HUD_SIZE, render.TITLE_SIZE, render.LABEL_SIZE}
    | {draw.GUESS_SIZE, draw.DIGIT_SIZE, draw.PERCENT_SIZE, draw.SMALL_SIZE}
)
LINES = [*OBSERVATION_NAMES, "alive 149 / 500", "generation 4", "it is a 3", "60% sure"]


def blank_runs(surface: pygame.Surface) -> list[int]:
    """Widths of the runs of empty columns between the first and the last inked column."""
    ink = (pygame.surfarray.array_alpha(surface) > 40).any(axis=1)  # (width,)
    columns = np.flatnonzero(ink)
    ink = ink[columns[0] : columns[-1] + 1]
    edges = np.flatnonzero(np.diff(ink.astype(int)))  # where ink starts or stops
    return [int(b - a) for a, b in zip(edges[0::2], edges[1::2], strict=True)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("line", [line for line in LINES if " " in line])
def test_a_word_is_spaced_the_same_after_another(line, size):
    texts = TextCache()
    first, rest = line.split(" ", 1)
    alone = [blank_runs(texts.render(part, size, (255, 255, 255))) for part in (first, rest)]
    together = blank_runs(texts.render(line, size, (255, 255, 255)))
    assert together[: len(alone[0])] == alone[0], "the first word's letters"
    assert together[len(alone[0]) + 1 :] == alone[1], "the second word's letters moved apart"


def test_lines_of_one_size_are_equally_tall_and_cached():
    texts = TextCache()
    low, high = texts.render("ace", 15, (0, 0, 0)), texts.render("Ag", 15, (0, 0, 0))
    assert low.get_height() == high.get_height()  # so HUD lines line up whatever their letters
    assert texts.render("ace", 15, (0, 0, 0)) is low
    assert texts.width("gap bottom", 12) == texts.render("gap bottom", 12, (0, 0, 0)).get_width()


def test_the_cache_is_bounded():
    texts = TextCache(cache_size=3)
    for number in range(10):
        texts.render(str(number), 12, (0, 0, 0))
    assert len(texts._lines) <= 3
