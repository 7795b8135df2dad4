"""The window: the birds of a generation (or one saved bird) flying, with the HUD and a network.

One window frame runs four named phases, as pygame's chimp example does:
    events  Esc or closing the window quits, space toggles fast-forward, S saves the shown bird
            (to --out if given, else to a new name each time: out/flappy.gone, out/flappy-2.gone)
    update  one physics frame; in fast-forward as many as fit in `fast_budget` seconds
    draw    the renderer paints the world, the HUD and the shown bird's network
    flip    show the frame and wait for the next tick of `fps` (no waiting in fast-forward)

`App.run(max_frames, script)` runs the loop for a number of frames with key events injected on
given frames, which is how the tests drive it headless (SDL_VIDEODRIVER=dummy).

The panel shows the leader: the first bird still flying (see `Flight.leader`), drawn in red.
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from ..outputs import save_output
from .evolve import DEFAULT_OUT, Evolution, Replay
from .render import Hud, Renderer

FAST_BUDGET = 1 / 30  # seconds of physics per window frame in fast-forward: ~30 pictures a second
MESSAGE_FRAMES = 120  # how long a message such as "saved out/flappy.gone" stays on the HUD


class App:
    """The game window around a driver: an Evolution (train) or a Replay (watch a saved bird).

    Parameters:
        driver: what flies; `step()` advances it one frame.
        screen: the display Surface (from `pygame.display.set_mode(renderer.window_size)`).
        renderer: draws the frames.
        out: where S saves the shown bird as a .gone file, replacing it each time (the user
            named it); None: at a new name each time, DEFAULT_OUT or numbered after it.
        fps: frames per second at normal speed.
        fast_budget: seconds of physics per window frame in fast-forward.
        on_result: called with what `driver.step()` returns when it is not None (a finished
            generation's GenerationResult, or a replay's score), e.g. `print`.

    Example:
        >>> app = App(Evolution(), screen, renderer)
        >>> app.run()                                 # until Esc
        >>> app.run(max_frames=3, script={1: [key_event(pygame.K_s)]})
    """

    def __init__(
        self,
        driver: Evolution | Replay,
        screen: pygame.Surface,
        renderer: Renderer,
        out: Path | None = None,
        fps: float = 60.0,
        fast_budget: float = FAST_BUDGET,
        on_result: Callable | None = None,
    ):
        """Wrap the driver; nothing runs until `run` or `frame`."""
        self.driver = driver
        self.screen = screen
        self.renderer = renderer
        self.out = None if out is None else Path(out)
        self.fps = fps
        self.fast_budget = fast_budget
        self.on_result = on_result
        self.clock = pygame.time.Clock()
        self.running = True
        self.fast = False
        self.frames = 0  # window frames shown
        self.steps = 0  # physics frames flown
        self.steps_last_frame = 0
        self.saved: list[Path] = []
        self._message, self._message_until = "", 0
        self._shown = None  # (weights, activations, index) of the bird on the panel

    def run(self, max_frames: int | None = None, script: dict | None = None) -> int:
        """Run frames until Esc (or `max_frames`); return the number of frames shown.

        `script` maps a frame number (0 first) to a list of pygame events handled on that
        frame, together with the real ones.
        """
        script = script or {}
        while self.running and (max_frames is None or self.frames < max_frames):
            self.frame(pygame.event.get() + list(script.get(self.frames, ())))
        return self.frames

    def frame(self, events) -> None:
        """One window frame: events, update, draw, flip."""
        self.handle_events(events)
        if not self.running:
            return
        self.update()
        self.draw()
        self.flip()
        self.frames += 1

    # --- the phases -----------------------------------------------------------------------

    def handle_events(self, events) -> None:
        """Quit on Esc or on closing the window; space toggles fast-forward; S saves."""
        for event in events:
            if event.type == pygame.QUIT:
                self.running = False
            elif event.type == pygame.KEYDOWN:
                if event.key == pygame.K_ESCAPE:
                    self.running = False
                elif event.key == pygame.K_SPACE:
                    self.fast = not self.fast
                elif event.key == pygame.K_s:
                    self.save()

    def update(self) -> None:
        """One physics frame, or in fast-forward as many as fit in `fast_budget` seconds."""
        deadline = time.perf_counter() + self.fast_budget
        steps = 0
        while True:
            result = self.driver.step()
            steps += 1
            if result is not None and self.on_result is not None:
                self.on_result(result)
            if not self.fast or time.perf_counter() >= deadline:
                break
        self.steps += steps
        self.steps_last_frame = steps

    def draw(self) -> None:
        """Paint the world, the HUD and the leader's network onto the screen."""
        flight = self.driver.flight
        leader = flight.leader()
        if leader is not None or self._shown is None:
            self._shown = self._network_of(0 if leader is None else leader)
        weights, activations, index = self._shown
        title = f"bird {index}'s network" if isinstance(self.driver, Evolution) else "the bird"
        self.renderer.draw(
            self.screen,
            flight.world,
            self.hud(),
            weights,
            activations,
            highlight=leader,
            title=title,
        )

    def flip(self) -> None:
        """Show the frame; at normal speed, wait for the next tick of `fps`."""
        pygame.display.flip()
        self.clock.tick(0 if self.fast else self.fps)

    # --- what is shown --------------------------------------------------------------------

    def hud(self) -> Hud:
        """The HUD's numbers for this frame."""
        driver, world = self.driver, self.driver.flight.world
        score = world.pipes_passed
        notes = []  # what the window is doing, then a recent message below it: both show
        if self.fast:
            notes.append(f"fast-forward x{self.steps_last_frame}")
        elif isinstance(driver, Replay):
            notes.append(f"flight {driver.attempt}")
        if self.frames < self._message_until:
            notes.append(self._message)
        return Hud(
            generation=driver.generation if isinstance(driver, Evolution) else None,
            alive=world.n_alive,
            score=score,
            best_score=max(driver.best_score, score),
            population=world.n_birds if isinstance(driver, Evolution) else None,
            notes=tuple(notes),
        )

    def _network_of(self, index: int):
        """Bird `index`'s weights and this frame's node values, inputs first."""
        flight = self.driver.flight
        population = flight.population
        # what the bird decided on this frame; before the first frame, what it sees
        seen = flight.world.observations() if flight.observations is None else flight.observations
        x = seen[index]  # (5,)
        weights = [W[index] for W in population.weights]  # [(n_{l+1}, n_l)]
        activations = [x]
        A = x[:, None]  # (5, 1)
        for W, b, layer in zip(weights, population.biases, population.layers[1:], strict=True):
            A = layer.activation.forward(W @ A + b[index])  # (n_{l+1}, 1)
            activations.append(A[:, 0])
        return weights, activations, index

    # --- saving ---------------------------------------------------------------------------

    def save(self) -> Path | None:
        """Save the bird on the panel (a replay: the saved bird itself); return the path written.

        To `out` when the user named it, else to a name that replaces nothing (see
        examples/outputs.py): every press keeps the birds saved before. None if it failed
        (the reason is printed, the window flies on).
        """
        driver = self.driver
        if isinstance(driver, Replay):
            network = driver.network
        else:
            leader = driver.flight.leader()
            if leader is not None:
                network = driver.population[leader]
            elif driver.champion is not None:
                network = driver.champion
            else:
                network = driver.population[0]
        try:
            path = save_output(network.save, self.out, DEFAULT_OUT)
        except OSError as error:  # a full disk or a folder without permission: say so, fly on
            self._message, self._message_until = (
                "not saved, see the terminal",
                self.frames + MESSAGE_FRAMES,
            )
            print(f"error: could not save the bird: {error}", file=sys.stderr, flush=True)
            return None
        self.saved.append(path)
        self._message, self._message_until = f"saved {path}", self.frames + MESSAGE_FRAMES
        print(f"saved {path}", flush=True)
        return path


def key_event(key: int) -> pygame.event.Event:
    """A key press, as `App.run(script=...)` takes them: `key_event(pygame.K_SPACE)`."""
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)


def open_window(rules=None, scale: float = 1.0, caption: str = "gone: Flappy Bird"):
    """Open the display for a game of `rules` at `scale`; return (screen, renderer).

    The renderer is built after the display exists, so its surfaces share the display's pixel
    format and blit fastest.
    """
    pygame.display.init()
    pygame.display.set_caption(caption)
    screen = pygame.display.set_mode(Renderer(rules, scale=scale).window_size)
    return screen, Renderer(rules, scale=scale)
