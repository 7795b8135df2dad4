"""A pygame window to draw a digit with the mouse and watch the network's guesses live.

The canvas is a numpy array (`canvas.Canvas`); every frame runs the same phases:

    events  mouse strokes paint the canvas, C clears it, Esc or closing the window quits
    update  when the drawing changed: preprocess it like the training data, ask the model
    draw    canvas, the 8x8 or 28x28 image the network sees, one bar per class, each with
            its digit and its probability in per cent
    flip    show the frame

The model is any `predict_proba(x) -> probabilities` callable, x of shape (features,)
and 10 probabilities back, so this module knows nothing of gone. Headless runs (tests)
set SDL_VIDEODRIVER=dummy before pygame is imported and drive `step` with scripted events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pygame

from ..text import TextCache
from .canvas import BRUSH_RADIUS, CANVAS_SIZE, Canvas

CLASSES = 10

MARGIN = 20
PANEL_WIDTH = 340
PREVIEW_SIZE = 112  # the network's input image, scaled up
# The bars: one row per digit right of the preview, as tall as the canvas; a row holds the
# digit, the bar (its length the probability) and the probability in per cent.
BARS_LEFT = MARGIN + CANVAS_SIZE + MARGIN + PREVIEW_SIZE + 24
ROW_HEIGHT = CANVAS_SIZE // CLASSES
BAR_HEIGHT = 16
DIGIT_WIDTH = 18  # room for the digit left of its bar
PERCENT_WIDTH = 44  # room for "100%" right of the bar
BAR_LENGTH = PANEL_WIDTH - (BARS_LEFT - MARGIN - CANVAS_SIZE - MARGIN) - DIGIT_WIDTH - PERCENT_WIDTH
FOOTER_HEIGHT = 36
WINDOW_SIZE = (
    MARGIN + CANVAS_SIZE + MARGIN + PANEL_WIDTH + MARGIN,
    MARGIN + CANVAS_SIZE + FOOTER_HEIGHT,
)
FRAMES_PER_SECOND = 60

BACKGROUND = (32, 34, 40)
PAPER = (0, 0, 0)  # white ink on black paper, as the digits are stored
BAR = (84, 140, 220)
BEST_BAR = (250, 176, 60)
BAR_TRACK = (52, 56, 66)
TEXT = (220, 222, 228)
DIM_TEXT = (140, 144, 152)

HELP = "draw a digit with the mouse  -  C clears  -  Esc quits"

# Text sizes in px (see examples/text.py).
GUESS_SIZE = 20
DIGIT_SIZE = 16
PERCENT_SIZE = 14
SMALL_SIZE = 14

Predictor = Callable[[np.ndarray], np.ndarray]


class DrawApp:
    """The drawing window's state and its per-frame phases.

    Parameters:
        screen: the surface to draw on (the display surface, or any Surface in tests),
            at least WINDOW_SIZE.
        predict_proba: x (features,) -> (10,) class probabilities.
        preprocess: canvas pixels (rows, columns) in [0, 1] -> x (features,).
        input_shape: (rows, columns) of x as an image, for the preview.

    Example:
        >>> app = open_window(model, preprocess.preprocessor("digits"), (8, 8))
        >>> run(app)
    """

    def __init__(
        self,
        screen: pygame.Surface,
        predict_proba: Predictor,
        preprocess: Callable[[np.ndarray], np.ndarray],
        input_shape: tuple[int, int],
        brush_radius: float = BRUSH_RADIUS,
    ):
        self.screen = screen
        self.predict_proba = predict_proba
        self.preprocess = preprocess
        self.input_shape = input_shape
        self.canvas = Canvas(CANVAS_SIZE, brush_radius)
        self.canvas_origin = (MARGIN, MARGIN)
        self.canvas_surface = pygame.Surface((CANVAS_SIZE, CANVAS_SIZE))
        self.texts = TextCache()
        self.running = True
        self.pen: tuple[int, int] | None = None  # last canvas point while the button is held
        self.dirty = True  # the canvas changed since the last prediction
        self.network_input = np.zeros(input_shape)  # (rows, columns) as the network sees it
        self.probabilities: np.ndarray | None = None  # (10,), None while the canvas is empty
        self.frames = 0

    # -- events ---------------------------------------------------------------------------

    def to_canvas(self, position: tuple[int, int]) -> tuple[int, int]:
        """Window position -> canvas position (may fall outside the canvas)."""
        return position[0] - self.canvas_origin[0], position[1] - self.canvas_origin[1]

    def inside_canvas(self, point: tuple[int, int]) -> bool:
        """True when a canvas position lies on the canvas."""
        return 0 <= point[0] < CANVAS_SIZE and 0 <= point[1] < CANVAS_SIZE

    def handle_events(self, events: Iterable[pygame.event.Event]) -> None:
        """Phase 1: paint strokes, clear, quit."""
        for event in events:
            quit_key = event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            if event.type == pygame.QUIT or quit_key:
                self.running = False
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_c:
                self.canvas.clear()
                self.dirty = True
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                point = self.to_canvas(event.pos)
                if self.inside_canvas(point):
                    self.pen = point
                    self.canvas.stroke(point, point)
                    self.dirty = True
            elif event.type == pygame.MOUSEMOTION and self.pen is not None:
                # Joining the previous point keeps fast strokes unbroken; points off the
                # canvas are fine, the stroke is clipped to it.
                point = self.to_canvas(event.pos)
                self.canvas.stroke(self.pen, point)
                self.pen = point
                self.dirty = True
            elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
                self.pen = None

    # -- update ---------------------------------------------------------------------------

    def update(self) -> None:
        """Phase 2: when the drawing changed, preprocess it and ask the model."""
        if not self.dirty:
            return
        self.dirty = False
        x = self.preprocess(self.canvas.pixels)  # (features,)
        self.network_input = np.asarray(x).reshape(self.input_shape)
        if self.canvas.is_empty():
            self.probabilities = None
            return
        probabilities = np.asarray(self.predict_proba(x), dtype=np.float64).reshape(-1)
        if probabilities.shape != (CLASSES,) or not np.all(np.isfinite(probabilities)):
            raise ValueError(
                f"predict_proba: expected {CLASSES} finite probabilities, "
                f"got shape {np.shape(probabilities)}"
            )
        self.probabilities = probabilities

    # -- draw -----------------------------------------------------------------------------

    def bar_rect(self, digit: int, probability: float) -> pygame.Rect:
        """Where the bar of `digit` is drawn when its probability is `probability`."""
        top = MARGIN + digit * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        length = round(BAR_LENGTH * float(np.clip(probability, 0.0, 1.0)))
        return pygame.Rect(BARS_LEFT + DIGIT_WIDTH, top, length, BAR_HEIGHT)

    def preview_rect(self) -> pygame.Rect:
        """Where the network's input image is shown."""
        return pygame.Rect(MARGIN + CANVAS_SIZE + MARGIN, MARGIN, PREVIEW_SIZE, PREVIEW_SIZE)

    def draw(self) -> None:
        """Phase 3: render the whole frame onto the screen surface."""
        self.screen.fill(BACKGROUND)
        self.draw_canvas()
        self.draw_preview()
        self.draw_bars()
        self.draw_text()

    def draw_canvas(self) -> None:
        """The drawing, grey levels from the canvas array."""
        grey = (self.canvas.pixels.T * 255).astype(np.uint8)  # (x, y): surfarray is column-major
        pygame.surfarray.blit_array(self.canvas_surface, np.repeat(grey[..., None], 3, axis=2))
        self.screen.blit(self.canvas_surface, self.canvas_origin)

    def draw_preview(self) -> None:
        """The preprocessed image exactly as the network gets it, scaled up, named below."""
        image = np.clip(self.network_input, 0.0, 1.0)
        grey = (image.T * 255).astype(np.uint8)  # (columns, rows)
        small = pygame.surfarray.make_surface(np.repeat(grey[..., None], 3, axis=2))
        rect = self.preview_rect()
        self.screen.blit(pygame.transform.scale(small, rect.size), rect)
        label = f"network input {self.input_shape[0]}x{self.input_shape[1]}"
        self.screen.blit(self.texts.render(label, SMALL_SIZE, DIM_TEXT), (rect.x, rect.bottom + 6))

    def draw_bars(self) -> None:
        """One row per digit: the digit, its bar and its probability; the most likely highlighted."""
        best = None if self.probabilities is None else int(np.argmax(self.probabilities))
        for digit in range(CLASSES):
            track = self.bar_rect(digit, 1.0)
            pygame.draw.rect(self.screen, BAR_TRACK, track)
            colour = TEXT
            if self.probabilities is not None:
                probability = float(self.probabilities[digit])
                bar = self.bar_rect(digit, probability)
                if bar.width > 0:
                    pygame.draw.rect(self.screen, BEST_BAR if digit == best else BAR, bar)
                percent = self.texts.render(percentage(probability), PERCENT_SIZE, TEXT)
                self.screen.blit(
                    percent, percent.get_rect(midright=(track.right + PERCENT_WIDTH, track.centery))
                )
                colour = BEST_BAR if digit == best else TEXT
            label = self.texts.render(str(digit), DIGIT_SIZE, colour)
            self.screen.blit(label, label.get_rect(midleft=(BARS_LEFT, track.centery)))

    def draw_text(self) -> None:
        """The current guess under the preview and the help line at the bottom."""
        left = self.preview_rect().x
        top = self.preview_rect().bottom + 40
        if self.probabilities is None:
            lines = ["draw a digit"]
        else:
            best = int(np.argmax(self.probabilities))
            lines = [f"it is a {best}", f"{percentage(self.probabilities[best])} sure"]
        for i, line in enumerate(lines):
            size = GUESS_SIZE if i == 0 else SMALL_SIZE
            self.screen.blit(self.texts.render(line, size, TEXT), (left, top + 28 * i))
        footer_y = MARGIN + CANVAS_SIZE + 10
        self.screen.blit(self.texts.render(HELP, SMALL_SIZE, DIM_TEXT), (MARGIN, footer_y))

    # -- one frame ------------------------------------------------------------------------

    def step(self, events: Iterable[pygame.event.Event]) -> None:
        """Run the events, update and draw phases of one frame (flip is the caller's)."""
        self.handle_events(events)
        self.update()
        self.draw()
        self.frames += 1


def percentage(probability: float) -> str:
    """A probability as a bar's label: "60%", "<1%" when above 0 but under half a per cent."""
    if 0 < probability < 0.005:
        return "<1%"
    return f"{probability:.0%}"


def stroke_events(
    points: Sequence[tuple[int, int]], origin: tuple[int, int] = (MARGIN, MARGIN)
) -> list[pygame.event.Event]:
    """Mouse events for a stroke through canvas `points`: press, moves, release.

    `origin` is where the canvas sits in the window; the events carry window positions.
    """
    at = [(x + origin[0], y + origin[1]) for x, y in points]
    events = [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at[0], button=1)]
    events += [pygame.event.Event(pygame.MOUSEMOTION, pos=p, buttons=(1, 0, 0)) for p in at[1:]]
    events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at[-1], button=1))
    return events


def open_window(
    predict_proba: Predictor,
    preprocess: Callable[[np.ndarray], np.ndarray],
    input_shape: tuple[int, int],
    title: str = "gone - draw a digit",
) -> DrawApp:
    """Initialise pygame, open the window and return the app ready to run."""
    pygame.display.init()
    pygame.display.set_caption(title)
    screen = pygame.display.set_mode(WINDOW_SIZE)
    return DrawApp(screen, predict_proba, preprocess, input_shape)


def run(
    app: DrawApp,
    max_frames: int | None = None,
    scripted: Sequence[Sequence[pygame.event.Event]] = (),
    frames_per_second: int = FRAMES_PER_SECOND,
) -> DrawApp:
    """The main loop: events, update, draw, flip; until quit or `max_frames` frames.

    `scripted[i]` are extra events delivered in frame i (after the real ones), which is how
    tests draw without a mouse. With `frames_per_second` <= 0 the loop does not wait.
    """
    clock = pygame.time.Clock()
    while app.running and (max_frames is None or app.frames < max_frames):
        events = pygame.event.get()
        if app.frames < len(scripted):
            events = [*events, *scripted[app.frames]]
        app.step(events)
        pygame.display.flip()
        if frames_per_second > 0:
            clock.tick(frames_per_second)
    return app


def draw_digits(
    predict_proba: Predictor,
    preprocess: Callable[[np.ndarray], np.ndarray],
    input_shape: tuple[int, int],
) -> None:
    """Open the drawing window and run it until the user quits."""
    app = open_window(predict_proba, preprocess, input_shape)
    try:
        run(app)
    finally:
        pygame.quit()
