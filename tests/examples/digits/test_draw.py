"""The drawing window, headless: a synthetic stroke goes in, a frame with matching bars comes out."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from examples.digits import draw  # noqa: E402
from examples.digits.preprocess import digits_input, mnist_input  # noqa: E402

FAKE_PROBABILITIES = np.array([0.02, 0.03, 0.05, 0.6, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03])


class FakeModel:
    """Stands in for a network: remembers what it was shown, answers fixed probabilities."""

    def __init__(self, probabilities=FAKE_PROBABILITIES):
        self.probabilities = probabilities
        self.inputs = []

    def __call__(self, x):
        self.inputs.append(np.array(x))
        return self.probabilities


@pytest.fixture
def window():
    yield
    pygame.quit()


def open_app(model, preprocess=digits_input, shape=(8, 8)):
    return draw.open_window(model, preprocess, shape)


def pixel(app, point):
    return tuple(app.screen.get_at(point))[:3]


def test_a_stroke_renders_a_frame_with_bars_from_predict_proba(window):
    model = FakeModel()
    app = open_app(model)
    stroke = draw.stroke_events([(140, 40), (140, 120), (140, 240)])
    draw.run(app, max_frames=3, scripted=[stroke], frames_per_second=0)
    assert app.frames == 3 and app.running
    assert app.screen.get_size() == draw.WINDOW_SIZE

    # The canvas holds the stroke, and the screen shows it at the canvas position.
    assert app.canvas.pixels[120, 140] == 1.0
    origin_x, origin_y = app.canvas_origin
    assert pixel(app, (origin_x + 140, origin_y + 120)) == (255, 255, 255)
    assert pixel(app, (origin_x + 30, origin_y + 120)) == draw.PAPER

    # The model saw the preprocessed drawing once (the canvas changed once).
    assert len(model.inputs) == 1
    assert model.inputs[0].shape == (64,)
    assert model.inputs[0].min() >= 0.0 and model.inputs[0].max() <= 1.0
    np.testing.assert_array_equal(app.probabilities, FAKE_PROBABILITIES)

    # Bar lengths follow the probabilities; the most likely digit (3) is highlighted.
    longest = app.bar_rect(3, FAKE_PROBABILITIES[3])
    small = app.bar_rect(0, FAKE_PROBABILITIES[0])
    assert longest.width == round(draw.BAR_LENGTH * 0.6)
    assert pixel(app, (longest.right - 2, longest.centery)) == draw.BEST_BAR
    assert pixel(app, (small.left + 1, small.centery)) == draw.BAR
    assert pixel(app, (longest.right - 2, small.centery)) == draw.BAR_TRACK


def test_the_preview_shows_the_network_input(window):
    app = open_app(FakeModel(), mnist_input, (28, 28))
    app.step(draw.stroke_events([(140, 40), (140, 240)]))
    assert app.network_input.shape == (28, 28)
    np.testing.assert_allclose(app.network_input, mnist_input(app.canvas.pixels).reshape(28, 28))
    preview = app.preview_rect()
    # The vertical bar sits in the middle column of the preview, paper at its left edge.
    assert pixel(app, preview.center)[0] > 200
    assert pixel(app, (preview.left + 2, preview.centery)) == (0, 0, 0)


def test_c_clears_and_the_bars_empty(window):
    model = FakeModel()
    app = open_app(model)
    app.step(draw.stroke_events([(100, 50), (100, 200)]))
    assert app.probabilities is not None
    app.step([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_c)])
    assert app.canvas.is_empty()
    assert app.probabilities is None
    assert len(model.inputs) == 1  # an empty canvas is not sent to the model
    track = app.bar_rect(3, 1.0)
    assert pixel(app, (track.left + 1, track.centery)) == draw.BAR_TRACK


def test_escape_and_window_close_stop_the_loop(window):
    app = open_app(FakeModel())
    draw.run(
        app,
        max_frames=10,
        scripted=[[], [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE)]],
        frames_per_second=0,
    )
    assert not app.running and app.frames == 2
    other = open_app(FakeModel())
    other.step([pygame.event.Event(pygame.QUIT)])
    assert not other.running


def test_moving_without_the_button_draws_nothing(window):
    app = open_app(FakeModel())
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=(100, 100), buttons=(0, 0, 0))])
    assert app.canvas.is_empty()


def test_press_outside_the_canvas_draws_nothing(window):
    app = open_app(FakeModel())
    outside = (draw.MARGIN + 300, draw.MARGIN + 100)
    app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=outside, button=1)])
    assert app.canvas.is_empty()


def test_a_model_giving_the_wrong_shape_is_reported(window):
    app = open_app(FakeModel(np.ones(3) / 3))
    with pytest.raises(ValueError, match=r"expected 10 finite probabilities, got shape \(3,\)"):
        app.step(draw.stroke_events([(100, 50), (100, 200)]))


def ink_columns(surface, rect):
    """Which x in `rect` (off the bars) hold text: a pixel well away from the background."""
    block = pygame.surfarray.array3d(surface)[rect.left : rect.right, rect.top : rect.bottom]
    ink = (np.abs(block.astype(int) - draw.BACKGROUND) > 60).any(axis=2)  # (width, height)
    return np.flatnonzero(ink.any(axis=1)) + rect.left  # (columns,)


def test_every_bar_is_labelled_with_its_digit_and_its_percentage(window):
    app = open_app(FakeModel())
    app.step(draw.stroke_events([(140, 40), (140, 240)]))
    for digit in range(draw.CLASSES):
        track = app.bar_rect(digit, 1.0)
        left = pygame.Rect(draw.BARS_LEFT, track.top, draw.DIGIT_WIDTH, track.height)
        right = pygame.Rect(track.right + 1, track.top, draw.PERCENT_WIDTH, track.height)
        assert len(ink_columns(app.screen, left)) > 2, digit  # the digit's label
        assert len(ink_columns(app.screen, right)) > 8, digit  # "5%": two glyphs at least
    # no percentages while the canvas is empty: there is nothing to be sure of
    app.step([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_c)])
    track = app.bar_rect(0, 1.0)
    right = pygame.Rect(track.right + 1, track.top, draw.PERCENT_WIDTH, track.height)
    assert len(ink_columns(app.screen, right)) == 0


def test_bar_labels_of_other_probabilities_look_different(window):
    pictures = []
    for probabilities in (FAKE_PROBABILITIES, FAKE_PROBABILITIES[::-1]):
        app = open_app(FakeModel(probabilities))
        app.step(draw.stroke_events([(140, 40), (140, 240)]))
        track = app.bar_rect(0, 1.0)
        right = pygame.Rect(track.right + 1, track.top, draw.PERCENT_WIDTH, track.height)
        pictures.append(pygame.surfarray.array3d(app.screen.subsurface(right)))
    assert not np.array_equal(*pictures)  # "2%" and "3%" at digit 0


@pytest.mark.parametrize(
    ("probability", "text"),
    [(0.6, "60%"), (1.0, "100%"), (0.0, "0%"), (0.004, "<1%"), (0.005, "0%"), (0.0251, "3%")],
)
def test_percentages_round_to_whole_per_cents_and_tiny_ones_are_not_zero(probability, text):
    assert draw.percentage(probability) == text
