"""Pictures of the Flappy Bird world and of one bird's network, drawn with pygame.

The renderer only draws the state it is given: it reads the world's arrays (bird y,
velocity, alive mask, pipes, frame) and the numbers and network passed to `draw`, and it
never steps anything. Everything that does not change from frame to frame (sky, ground,
pipe pieces, the bird in a few tilts, lines of text, the panel's legend and its edges while the
weights stay the same) is drawn once and blitted, so 500 birds fit easily in a 60 fps frame.

Frame phases in `Renderer.draw`: sky, pipes, birds, ground, HUD, network panel, present.
Create the renderer after `pygame.display.set_mode` for the fastest blits (surfaces are then
converted to the display's pixel format).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame

from ..text import TextCache
from .evolve import FLAP_THRESHOLD
from .physics import OBSERVATION_NAMES, Rules

SKY = (112, 197, 206)
CLOUD = (233, 252, 217)
BUSH = (94, 226, 112)
BUSH_DARK = (82, 196, 96)
PIPE = (116, 191, 46)
PIPE_LIGHT = (158, 228, 89)
PIPE_DARK = (84, 128, 36)
OUTLINE = (84, 56, 71)
GROUND = (222, 216, 149)
GRASS = (115, 191, 46)
GRASS_LIGHT = (155, 227, 89)
BIRD_BODY = (250, 201, 46)
BIRD_HIGHLIGHT = (231, 76, 60)  # the bird whose network the panel shows
BIRD_WING = (250, 240, 210)
BEAK = (247, 109, 31)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
PANEL = (28, 32, 40)
PANEL_TEXT = (215, 220, 230)
DIM_TEXT = (140, 146, 158)
# One colour scale for the whole panel: blue is positive, red negative, for a weight (edge)
# as for a node's value; grey is zero.
POSITIVE = (80, 170, 255)  # edges with a positive weight
NEGATIVE = (255, 96, 80)  # edges with a negative weight
NODE_ZERO = (70, 74, 86)  # a node whose activation is 0
NODE_HIGH = POSITIVE  # activation +1
NODE_LOW = NEGATIVE  # activation -1
FLAP = (255, 255, 255)  # the output's ring and word when the bird flaps

TILTS = 16  # pre-rendered bird angles, from nose up (flapping) to nose down (falling)
MAX_EDGE_WIDTH = 5
GRASS_HEIGHT = 16  # the grass band at the top of the ground strip, its edge line included

# Text sizes in px (see examples/text.py).
SCORE_SIZE = 30
HUD_SIZE = 15
HUD_LINE = 18  # px from one HUD line to the next
TITLE_SIZE = 16
LABEL_SIZE = 12
LEGEND_HEIGHT = 36  # the panel's key at its bottom: one row for nodes, one for edges


@dataclass(frozen=True)
class Hud:
    """The numbers the HUD shows, passed in by the driver every frame."""

    generation: int | None  # None: no generation line (a replay of one saved bird)
    alive: int
    score: int
    best_score: int
    population: int | None = None  # shown as "alive 153 / 200" when given
    notes: tuple[str, ...] = ()  # more lines, e.g. ("fast-forward x8", "saved out/flappy.gone")


class Renderer:
    """Draws a world, a HUD and a network panel onto any pygame Surface.

    Parameters:
        rules: the game's constants (sizes, floor, pipe width); default `Rules()`.
        panel_width: logical width of the network panel right of the game (0: no panel).
        scale: window pixels per logical pixel; `window_size` is the size to open.

    Example:
        >>> renderer = Renderer(world.rules)
        >>> screen = pygame.display.set_mode(renderer.window_size)
        >>> renderer.draw(screen, world, Hud(generation=1, alive=world.n_alive, score=0,
        ...               best_score=0), weights=[W1, W2], activations=[x, h, y])
        >>> pygame.display.flip()
    """

    def __init__(self, rules: Rules | None = None, panel_width: int = 300, scale: float = 1.0):
        """Prepare every surface that stays the same from frame to frame."""
        if not scale > 0:
            raise ValueError(f"scale: expected > 0, got {scale!r}")
        if panel_width < 0:
            raise ValueError(f"panel_width: expected >= 0, got {panel_width!r}")
        self.rules = Rules() if rules is None else rules
        r = self.rules
        self.game_size = (round(r.width), round(r.height))
        self.size = (self.game_size[0] + panel_width, self.game_size[1])
        self.window_size = (round(self.size[0] * scale), round(self.size[1] * scale))
        self.canvas = self._surface(self.size, alpha=False)
        self._game = self.canvas.subsurface(pygame.Rect((0, 0), self.game_size))
        self._panel = None
        if panel_width:
            panel_rect = pygame.Rect((self.game_size[0], 0), (panel_width, self.size[1]))
            self._panel = self.canvas.subsurface(panel_rect)
        self._sky = self._make_sky()
        self._ground, self._ground_period = self._make_ground()
        self._pipe_body, self._pipe_lip = self._make_pipe_pieces()
        self._tilt_speeds = np.linspace(r.flap_velocity, r.max_fall_speed, TILTS)  # (TILTS,)
        self._birds = self._make_tilted_birds(BIRD_BODY)
        self._highlighted_birds = self._make_tilted_birds(BIRD_HIGHLIGHT)
        self._bird_offsets = np.array([s.get_size() for s in self._birds]) / 2  # (TILTS, 2)
        self._texts = TextCache()
        self._edges_key = None
        self._edges = None
        self._legend_surface = None

    # --- the frame ----------------------------------------------------------------------------

    def draw(
        self,
        target: pygame.Surface,
        world,
        hud: Hud,
        weights=None,
        activations=None,
        highlight: int | None = None,
        title: str = "best bird's network",
        threshold: float | None = FLAP_THRESHOLD,
    ) -> None:
        """Draw one frame of `world` onto `target`, scaled to fill it.

        Parameters:
            target: the Surface to draw on, e.g. the display; any size (the frame is scaled).
            world: what to draw; read only: y, velocity, alive (N,), pipe_x, gap_top,
                gap_bottom (M,) and frame, as a `FlappyWorld` has them.
            hud: the numbers for the HUD.
            weights: the shown network, one array per layer, shape (next nodes, current nodes).
            activations: that network's node values this frame, one 1-D array per layer
                (inputs first, len(weights) + 1 of them).
            highlight: index of the bird to draw in the highlight colour (the panel's bird).
            title: the panel's heading.
            threshold: the output above which the bird flaps, shown at the output node.
        """
        self._game.blit(self._sky, (0, 0))  # also wipes the last frame
        self._draw_pipes(world)
        self._draw_birds(world, highlight)
        self._draw_ground(world.frame)
        self._draw_hud(hud)
        if self._panel is not None:
            self._panel.fill(PANEL)
            if weights is not None:
                self.draw_network(
                    self._panel, weights, activations, title=title, threshold=threshold
                )
        self._present(target)

    def _draw_pipes(self, world) -> None:
        """Each pipe on screen: its two halves cut from the body, a lip at each gap edge."""
        game = self._game
        r = self.rules
        floor_y = round(r.floor_y)
        width, lip_height = self._pipe_lip.get_size()
        for x, top, bottom in zip(
            world.pipe_x.tolist(), world.gap_top.tolist(), world.gap_bottom.tolist(), strict=True
        ):
            if x >= self.game_size[0] or x + width <= 0:
                continue
            x, top, bottom = round(x), round(top), round(bottom)
            game.blit(self._pipe_body, (x, 0), pygame.Rect(0, 0, width, top))
            game.blit(self._pipe_body, (x, bottom), pygame.Rect(0, 0, width, floor_y - bottom))
            game.blit(self._pipe_lip, (x, top - lip_height))
            game.blit(self._pipe_lip, (x, bottom))

    def _draw_birds(self, world, highlight: int | None) -> None:
        """Every alive bird, tilted by its vertical speed; the highlighted one on top."""
        alive = np.flatnonzero(world.alive)  # (A,)
        if highlight is not None and world.alive[highlight]:
            alive = alive[alive != highlight]
        tilt = self._tilt_index(world.velocity[alive])  # (A,)
        x = self.rules.bird_x - self._bird_offsets[tilt, 0]  # (A,)
        y = world.y[alive] - self._bird_offsets[tilt, 1]  # (A,)
        sprites = [self._birds[t] for t in tilt.tolist()]
        corners = np.rint(np.column_stack([x, y])).astype(int).tolist()  # (A, 2) top-left
        self._game.blits(list(zip(sprites, corners, strict=True)), doreturn=False)
        if highlight is not None and world.alive[highlight]:
            t = int(self._tilt_index(world.velocity[highlight : highlight + 1])[0])
            top_left = np.rint([self.rules.bird_x, world.y[highlight]] - self._bird_offsets[t])
            self._game.blit(self._highlighted_birds[t], top_left.tolist())

    def _tilt_index(self, velocity: np.ndarray) -> np.ndarray:
        """Index of the pre-rendered tilt nearest each vertical speed."""
        v0, v1 = self._tilt_speeds[0], self._tilt_speeds[-1]
        index = np.rint((velocity - v0) / (v1 - v0) * (TILTS - 1))
        return np.clip(index, 0, TILTS - 1).astype(np.intp)

    def _draw_ground(self, frame: int) -> None:
        """The ground strip, its stripes scrolled with the pipes."""
        shift = (frame * self.rules.pipe_speed) % self._ground_period
        self._game.blit(self._ground, (-round(shift), round(self.rules.floor_y)))

    def _draw_hud(self, hud: Hud) -> None:
        """The score big at the top; generation, alive count, best score and notes on the ground."""
        game = self._game
        score = self._texts.render(str(hud.score), SCORE_SIZE, WHITE)
        shadow = self._texts.render(str(hud.score), SCORE_SIZE, BLACK)
        x = (self.game_size[0] - score.get_width()) // 2
        game.blit(shadow, (x + 2, 14))
        game.blit(score, (x, 12))
        for line, y in zip(hud_lines(hud), self.hud_line_tops(), strict=False):
            game.blit(self._texts.render(line, HUD_SIZE, OUTLINE), (9, y))

    def hud_line_tops(self) -> list[int]:
        """The y of each HUD line that fits on the ground strip, below its grass band."""
        top = round(self.rules.floor_y) + GRASS_HEIGHT + 3
        height = self._texts.font(HUD_SIZE).get_sized_height()
        return list(range(top, self.game_size[1] - height + 1, HUD_LINE))

    def _present(self, target: pygame.Surface) -> None:
        """Copy the finished canvas onto the target, scaling it to the target's size."""
        if target.get_size() == self.size:
            target.blit(self.canvas, (0, 0))
        else:
            pygame.transform.scale(self.canvas, target.get_size(), target)

    # --- the network panel --------------------------------------------------------------------

    def draw_network(
        self,
        surface: pygame.Surface,
        weights,
        activations,
        labels=None,
        title: str = "",
        threshold: float | None = None,
    ) -> list[np.ndarray]:
        """Draw a feedforward network onto `surface` (the panel), filling it, and its legend.

        One colour scale for edges and nodes, which the legend at the bottom explains: blue is
        positive, red negative, grey zero. An edge has its weight's sign colour and is wider
        and brighter with |w| (relative to the largest |w|); a node is filled by its value,
        from red (-1) through grey (0) to blue (+1).

        Parameters:
            surface: where to draw; the network is laid out to fill it.
            weights: list of arrays, layer l of shape (n[l+1], n[l]).
            activations: list of 1-D arrays, layer l of length n[l]; len(weights) + 1 of them.
            labels: names of the input nodes (default: the observation names when there are 5).
            title: heading drawn at the top.
            threshold: for a single output, the value above which it acts: the node then
                reads "0.73 > 0.5" and "flap" (ringed in white), or "0.21 <= 0.5" and "no flap".

        Returns:
            the node centres, one (n[l], 2) array of (x, y) per layer.
        """
        weights = [np.asarray(w, dtype=float) for w in weights]
        activations = [np.asarray(a, dtype=float).ravel() for a in activations]
        sizes = _check_network(weights, activations)
        if labels is None and sizes[0] == len(OBSERVATION_NAMES):
            labels = OBSERVATION_NAMES
        decides = threshold is not None and sizes[-1] == 1
        width, height = surface.get_size()
        top = 34 if title else 10
        left = 92 if labels is not None else 30  # room for the input labels
        right = 92 if decides else 44  # room for the output values
        legend = pygame.Rect(10, height - LEGEND_HEIGHT - 8, width - 20, LEGEND_HEIGHT)
        area = pygame.Rect(left, top + 10, width - left - right, legend.top - top - 30)
        positions = _layout(sizes, area)  # one (n[l], 2) array per layer
        radius = int(np.clip(area.height / max(sizes) / 2.6, 3, 11))  # nodes never touch
        surface.blit(self._network_edges(weights, positions, surface.get_size()), (0, 0))
        if title:
            surface.blit(self._texts.render(title, TITLE_SIZE, PANEL_TEXT), (10, 10))
        for xy, values in zip(positions, activations, strict=True):
            colours = _node_colours(values)  # (n, 3)
            for (x, y), colour in zip(xy.tolist(), colours.tolist(), strict=True):
                pygame.draw.circle(surface, colour, (round(x), round(y)), radius)
                pygame.draw.circle(surface, PANEL_TEXT, (round(x), round(y)), radius, 1)
        if labels is not None:
            for (x, y), name, value in zip(
                positions[0].tolist(), labels, activations[0].tolist(), strict=False
            ):
                self._label(surface, name, (x - radius - 6, y - 1), "bottomright", PANEL_TEXT)
                self._label(surface, f"{value:+.2f}", (x - radius - 6, y + 1), "topright", DIM_TEXT)
        for (x, y), value in zip(positions[-1].tolist(), activations[-1].tolist(), strict=True):
            if not decides:
                self._label(surface, f"{value:.2f}", (x + radius + 6, y), "midleft", PANEL_TEXT)
                continue
            comparison, decision = decision_lines(value, threshold)
            flap = value > threshold
            if flap:
                pygame.draw.circle(surface, FLAP, (round(x), round(y)), radius + 3, 2)
            self._label(surface, comparison, (x + radius + 6, y - 1), "bottomleft", PANEL_TEXT)
            colour = FLAP if flap else DIM_TEXT
            self._label(surface, decision, (x + radius + 6, y + 1), "topleft", colour)
        surface.blit(self._legend(legend.size), legend)
        return positions

    def _label(self, surface, text: str, at, anchor: str, colour) -> None:
        """Blit a line of LABEL_SIZE text with its `anchor` point (a Rect attribute) at `at`."""
        line = self._texts.render(text, LABEL_SIZE, colour)
        surface.blit(line, line.get_rect(**{anchor: (round(at[0]), round(at[1]))}))

    def _legend(self, size) -> pygame.Surface:
        """The panel's key: node values on a gradient from -1 to +1, edges by sign and width."""
        if self._legend_surface is not None and self._legend_surface.get_size() == size:
            return self._legend_surface
        legend = self._surface(size, alpha=False)
        legend.fill(PANEL)
        width, height = size
        row = height // 2
        key_x = 78  # where the keys start, right of their names
        # nodes: a bar coloured as a node of each value from -1 to +1, its ends and middle named
        self._label(legend, "node value", (0, row // 2), "midleft", DIM_TEXT)
        bar = pygame.Rect(key_x + 18, row // 2 - 5, width - key_x - 44, 10)
        values = np.linspace(-1.0, 1.0, bar.width)  # (bar.width,)
        for x, colour in zip(
            range(bar.left, bar.right), _node_colours(values).tolist(), strict=True
        ):
            pygame.draw.line(legend, colour, (x, bar.top), (x, bar.bottom - 1))
        pygame.draw.rect(legend, PANEL_TEXT, bar.inflate(2, 2), 1)
        self._label(legend, "-1", (bar.left - 4, bar.centery), "midright", PANEL_TEXT)
        self._label(legend, "+1", (bar.right + 4, bar.centery), "midleft", PANEL_TEXT)
        pygame.draw.line(legend, PANEL_TEXT, (bar.centerx, bar.top - 3), (bar.centerx, bar.top))
        # edges: the sign's colour, then a thin and a thick line for small and large |w|
        y = row + row // 2
        self._label(legend, "weight", (0, y), "midleft", DIM_TEXT)
        x = key_x
        for colour, text in ((NEGATIVE, "< 0"), (POSITIVE, "> 0")):
            pygame.draw.line(legend, colour, (x, y), (x + 18, y), 3)
            self._label(legend, text, (x + 22, y), "midleft", PANEL_TEXT)
            x += 50
        for line_width in (1, MAX_EDGE_WIDTH):
            pygame.draw.line(legend, PANEL_TEXT, (x, y), (x + 12, y), line_width)
            x += 16
        self._label(legend, "width |w|", (x + 2, y), "midleft", PANEL_TEXT)
        self._legend_surface = legend
        return legend

    def _network_edges(self, weights, positions, size) -> pygame.Surface:
        """The panel background with every edge drawn; redrawn only when the weights change."""
        layout = tuple(p.tobytes() for p in positions)
        key = (size, layout, tuple((w.shape, w.tobytes()) for w in weights))
        if key == self._edges_key:
            return self._edges
        surface = self._surface(size, alpha=False)
        surface.fill(PANEL)
        largest = max(float(np.abs(w).max()) for w in weights) or 1.0
        lines = []
        for w, start, end in zip(weights, positions[:-1], positions[1:], strict=True):
            strength = np.abs(w) / largest  # (next, current), in [0, 1]
            for j, i in np.ndindex(w.shape):
                lines.append((strength[j, i], w[j, i] >= 0, start[i], end[j]))
        lines.sort(key=lambda line: line[0])  # the strong edges end up on top
        for strength, positive, a, b in lines:
            colour = _mix(PANEL, POSITIVE if positive else NEGATIVE, 0.25 + 0.75 * strength)
            line_width = 1 + round(strength * (MAX_EDGE_WIDTH - 1))
            pygame.draw.line(surface, colour, np.rint(a).tolist(), np.rint(b).tolist(), line_width)
        self._edges_key, self._edges = key, surface
        return surface

    # --- surfaces made once -------------------------------------------------------------------

    def _surface(self, size, alpha: bool) -> pygame.Surface:
        """A new Surface, in the display's pixel format when there is a display."""
        surface = pygame.Surface(size, pygame.SRCALPHA if alpha else 0)
        if pygame.display.get_surface() is not None:
            surface = surface.convert_alpha() if alpha else surface.convert()
        return surface

    def _make_sky(self) -> pygame.Surface:
        """Sky, clouds low on the horizon and bushes along the floor."""
        sky = self._surface(self.game_size, alpha=False)
        sky.fill(SKY)
        floor_y = round(self.rules.floor_y)
        width = self.game_size[0]
        for x in range(-10, width + 40, 38):  # clouds: overlapping circles, a rounded skyline
            pygame.draw.circle(sky, CLOUD, (x, floor_y - 70 + (x * 7) % 17), 26)
        pygame.draw.rect(sky, CLOUD, (0, floor_y - 60, width, 60))
        for x in range(-8, width + 30, 26):
            pygame.draw.circle(sky, BUSH_DARK, (x + 6, floor_y - 18 + (x * 5) % 9), 19)
            pygame.draw.circle(sky, BUSH, (x, floor_y - 14 + (x * 3) % 7), 17)
        pygame.draw.rect(sky, BUSH, (0, floor_y - 12, width, 12))
        return sky

    def _make_ground(self) -> tuple[pygame.Surface, int]:
        """The ground strip with its grass stripes, one stripe period wider than the game."""
        period = 24
        width, floor_y = self.game_size[0], round(self.rules.floor_y)
        ground = self._surface((width + period, self.game_size[1] - floor_y), alpha=False)
        ground.fill(GROUND)
        grass = GRASS_HEIGHT - 2  # then a 2 px dark edge
        pygame.draw.rect(ground, GRASS, (0, 0, ground.get_width(), grass))
        for x in range(0, ground.get_width() + period, period):  # slanted light stripes
            pygame.draw.polygon(
                ground, GRASS_LIGHT, [(x, 2), (x + 10, 2), (x + 2, grass - 2), (x - 8, grass - 2)]
            )
        pygame.draw.line(ground, OUTLINE, (0, 0), (ground.get_width(), 0), 2)
        pygame.draw.line(ground, PIPE_DARK, (0, grass), (ground.get_width(), grass), 2)
        return ground, period

    def _make_pipe_pieces(self):
        """A pipe's body (cropped per pipe to its length) and the lip at the gap's edge."""
        r = self.rules
        width = round(r.pipe_width)
        body = self._surface((width, round(r.floor_y)), alpha=False)
        body.fill(PIPE)
        pygame.draw.rect(body, PIPE_LIGHT, (4, 0, width // 4, body.get_height()))
        pygame.draw.rect(body, PIPE_DARK, (width - width // 5, 0, width // 5, body.get_height()))
        pygame.draw.line(body, OUTLINE, (0, 0), (0, body.get_height()), 2)
        pygame.draw.line(body, OUTLINE, (width - 2, 0), (width - 2, body.get_height()), 2)
        lip = self._surface((width, 20), alpha=False)
        lip.fill(PIPE)
        pygame.draw.rect(lip, PIPE_LIGHT, (4, 2, width // 4, 16))
        pygame.draw.rect(lip, PIPE_DARK, (width - width // 5, 2, width // 5 - 2, 16))
        pygame.draw.rect(lip, OUTLINE, lip.get_rect(), 2)
        return body, lip

    def _make_tilted_birds(self, body_colour) -> list[pygame.Surface]:
        """The bird, drawn once in `body_colour`, then rotated for each of the TILTS speeds."""
        r = self.rules
        w, h = round(r.bird_width), round(r.bird_height)
        bird = self._surface((w, h), alpha=True)
        bird.fill((0, 0, 0, 0))
        body = pygame.Rect(0, 1, w, h - 2)
        pygame.draw.ellipse(bird, body_colour, body)
        pygame.draw.ellipse(bird, OUTLINE, body, 1)
        wing = pygame.Rect(round(w * 0.06), round(h * 0.45), round(w * 0.38), round(h * 0.36))
        pygame.draw.ellipse(bird, BIRD_WING, wing)
        pygame.draw.ellipse(bird, OUTLINE, wing, 1)
        eye = (round(w * 0.7), round(h * 0.32))
        pygame.draw.circle(bird, WHITE, eye, max(2, round(h * 0.22)))
        pygame.draw.circle(bird, OUTLINE, eye, max(2, round(h * 0.22)), 1)
        pygame.draw.circle(bird, BLACK, (eye[0] + 2, eye[1]), max(1, round(h * 0.09)))
        beak = pygame.Rect(round(w * 0.62), round(h * 0.56), round(w * 0.38), round(h * 0.3))
        pygame.draw.ellipse(bird, BEAK, beak)
        pygame.draw.ellipse(bird, OUTLINE, beak, 1)
        # nose up while rising, level at rest, diving when falling fast
        angles = np.clip(-6.0 * self._tilt_speeds, -60.0, 25.0)  # (TILTS,) degrees
        return [pygame.transform.rotozoom(bird, float(a), 1.0) for a in angles]


def hud_lines(hud: Hud) -> list[str]:
    """The lines of text on the ground: generation, alive birds, best score, then the notes."""
    alive = f"alive {hud.alive}" + (f" / {hud.population}" if hud.population else "")
    lines = [alive, f"best {hud.best_score}", *hud.notes]
    if hud.generation is not None:
        lines.insert(0, f"generation {hud.generation}")
    return lines


def decision_lines(value: float, threshold: float) -> tuple[str, str]:
    """What the output node says: ("0.73 > 0.5", "flap") or ("0.21 <= 0.5", "no flap")."""
    if value > threshold:
        return f"{value:.2f} > {threshold:g}", "flap"
    return f"{value:.2f} <= {threshold:g}", "no flap"


def save_screenshot(surface: pygame.Surface, path) -> Path:
    """Save `surface` as an image (PNG, or the type its suffix names) and return the path."""
    path = Path(path)
    pygame.image.save(surface, str(path))
    return path


def _check_network(weights, activations) -> list[int]:
    """Layer sizes of a network given as weights and activations; ValueError if they disagree."""
    if not weights:
        raise ValueError("weights: expected at least one layer, got none")
    if len(activations) != len(weights) + 1:
        raise ValueError(
            f"activations: expected {len(weights) + 1} layers (len(weights) + 1), "
            f"got {len(activations)}"
        )
    sizes = [len(a) for a in activations]
    for layer, w in enumerate(weights):
        expected = (sizes[layer + 1], sizes[layer])
        if w.shape != expected:
            raise ValueError(
                f"weights[{layer}]: expected shape {expected} (next nodes, current nodes), "
                f"got {w.shape}"
            )
    for name, arrays in (("weights", weights), ("activations", activations)):
        for layer, values in enumerate(arrays):
            if not np.isfinite(values).all():
                raise ValueError(f"{name}[{layer}]: expected finite values, got NaN or inf")
    return sizes


def _layout(sizes, area: pygame.Rect) -> list[np.ndarray]:
    """Node centres: layers in evenly spaced columns across `area`, each column centred."""
    xs = np.linspace(area.left, area.right, len(sizes))  # (L + 1,)
    gap = area.height / max(sizes)
    positions = []
    for x, n in zip(xs, sizes, strict=True):
        ys = area.centery + (np.arange(n) - (n - 1) / 2) * gap  # (n,)
        positions.append(np.column_stack([np.full(n, x), ys]))  # (n, 2)
    return positions


def _node_colours(values: np.ndarray) -> np.ndarray:
    """(n, 3) int colours: grey at 0, towards blue (NODE_HIGH) at +1 and red (NODE_LOW) at -1."""
    v = np.clip(values, -1.0, 1.0)[:, None]  # (n, 1)
    far = np.where(v >= 0, NODE_HIGH, NODE_LOW)  # (n, 3)
    return np.rint(NODE_ZERO + np.abs(v) * (far - np.array(NODE_ZERO))).astype(int)  # (n, 3)


def _mix(a, b, t: float) -> tuple[int, int, int]:
    """The colour a fraction `t` of the way from a to b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
