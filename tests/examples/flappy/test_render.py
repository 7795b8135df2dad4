"""Tests for the Flappy Bird renderer, headless: frames, screenshots, the network panel."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from examples.flappy.physics import FlappyWorld  # noqa: E402
from examples.flappy.render import (  # noqa: E402
    BIRD_BODY,
    BIRD_HIGHLIGHT,
    FLAP,
    GRASS_HEIGHT,
    GROUND,
    NEGATIVE,
    NODE_HIGH,
    NODE_LOW,
    NODE_ZERO,
    PANEL,
    PIPE,
    POSITIVE,
    SKY,
    Hud,
    Renderer,
    decision_lines,
    hud_lines,
    save_screenshot,
)

HUD = Hud(generation=4, alive=2, score=3, best_score=17, population=3)


def near(colour, expected, tolerance=6):
    """True when an RGB(A) colour is within `tolerance` of `expected` in every channel."""
    return all(abs(a - b) <= tolerance for a, b in zip(tuple(colour)[:3], expected, strict=True))


@pytest.fixture
def world():
    """Three birds at known heights (the middle one dead), a pipe at x = 200."""
    world = FlappyWorld(3, seed=0)
    world.y[:] = [100.0, 200.0, 300.0]
    world.velocity[:] = 0.0
    world.alive[:] = [True, False, True]
    world.pipe_x[:] = 200.0 + world.rules.pipe_spacing * np.arange(world.n_pipes)
    world.gap_top[:] = 150.0
    world.gap_bottom[:] = 260.0
    return world


def network_5_8_1(seed=0):
    """Weights and activations of a 5-8-1 sigmoid network for one input."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(8, 5)), rng.normal(size=(1, 8))]
    x = rng.uniform(-1, 1, 5)
    hidden = 1 / (1 + np.exp(-weights[0] @ x))
    out = 1 / (1 + np.exp(-weights[1] @ hidden))
    return weights, [x, hidden, out]


def colours_of(surface):
    """The distinct RGB colours in a surface."""
    pixels = pygame.surfarray.array3d(surface).reshape(-1, 3)
    return np.unique(pixels, axis=0)


def test_a_frame_saved_as_a_screenshot_shows_sky_pipes_birds_and_ground(world, tmp_path):
    renderer = Renderer(world.rules)
    target = pygame.Surface(renderer.size)
    weights, activations = network_5_8_1()
    renderer.draw(target, world, HUD, weights, activations)
    path = save_screenshot(target, tmp_path / "frame.png")
    image = pygame.image.load(str(path))
    assert image.get_size() == renderer.size == (288 + 300, 512)
    assert len(colours_of(image)) > 50  # not blank: sky, pipes, birds, text, network
    x = round(world.rules.bird_x)
    assert near(image.get_at((x, 100)), BIRD_BODY)  # the alive birds, at their heights
    assert near(image.get_at((x, 300)), BIRD_BODY)
    assert near(image.get_at((x, 200)), SKY)  # the dead bird is not drawn
    assert near(image.get_at((20, 30)), SKY)
    assert near(image.get_at((226, 50)), PIPE)  # the pipe's upper half
    assert near(image.get_at((226, 350)), PIPE)  # its lower half
    assert near(image.get_at((226, 205)), SKY)  # its gap
    assert near(image.get_at((250, 490)), GROUND)


def test_draw_reads_the_world_without_changing_it(world):
    before = {name: getattr(world, name).copy() for name in ("y", "velocity", "alive", "pipe_x")}
    renderer = Renderer(world.rules)
    renderer.draw(pygame.Surface(renderer.size), world, HUD)
    for name, value in before.items():
        np.testing.assert_array_equal(getattr(world, name), value, err_msg=name)
    assert world.frame == 0


def test_the_highlighted_bird_is_drawn_in_its_own_colour(world):
    renderer = Renderer(world.rules)
    target = pygame.Surface(renderer.size)
    renderer.draw(target, world, HUD, highlight=2)
    assert near(target.get_at((70, 300)), BIRD_HIGHLIGHT)
    assert near(target.get_at((70, 100)), BIRD_BODY)
    renderer.draw(target, world, HUD, highlight=1)  # a dead highlight draws nothing
    assert near(target.get_at((70, 200)), SKY)


def test_a_scaled_window_shows_the_same_frame_bigger(world):
    renderer = Renderer(world.rules, scale=2)
    assert renderer.window_size == (2 * 588, 2 * 512)
    target = pygame.Surface(renderer.window_size)
    renderer.draw(target, world, HUD)
    assert near(target.get_at((140, 200)), BIRD_BODY)  # the bird at (70, 100), doubled
    assert near(target.get_at((452, 100)), PIPE)


def test_the_hud_shows_the_numbers_it_is_given(world):
    renderer = Renderer(world.rules, panel_width=0)
    assert renderer.size == (288, 512)
    frames = []
    for hud in (HUD, Hud(generation=4, alive=2, score=88, best_score=17, population=3)):
        target = pygame.Surface(renderer.size)
        renderer.draw(target, world, hud)
        frames.append(pygame.surfarray.array3d(target))
    changed = np.argwhere((frames[0] != frames[1]).any(axis=2))  # (pixels, 2) as (x, y)
    assert len(changed) > 0
    assert changed[:, 1].max() < 60  # only the big score at the top changed


def test_a_bird_tilts_with_its_speed(world):
    renderer = Renderer(world.rules, panel_width=0)
    pictures = []
    for velocity in (-9.0, 0.0, 10.0):
        world.velocity[:] = velocity
        target = pygame.Surface(renderer.size)
        renderer.draw(target, world, HUD)
        pictures.append(pygame.surfarray.array3d(target)[40:100, 80:120])  # around bird 0
    assert not np.array_equal(pictures[0], pictures[1])
    assert not np.array_equal(pictures[1], pictures[2])


def test_the_network_panel_draws_a_5_8_1_network():
    renderer = Renderer()
    panel = pygame.Surface((300, 512))
    weights, activations = network_5_8_1()
    renderer.draw_network(panel, weights, activations, title="bird 7")
    colours = colours_of(panel)
    assert len(colours) > 20
    for colour in (POSITIVE, NEGATIVE, PANEL):  # edges of both signs on the panel's background
        assert (np.abs(colours - colour) <= 40).all(axis=1).any(), colour
    # the sign of the weights decides the edge colour: flip them all and the picture changes
    flipped = pygame.Surface((300, 512))
    renderer.draw_network(flipped, [-w for w in weights], activations, title="bird 7")
    assert not np.array_equal(pygame.surfarray.array3d(panel), pygame.surfarray.array3d(flipped))


def test_node_colours_follow_the_activations_on_the_edges_scale():
    # nodes and edges share one scale: a node of +1 is the positive edges' blue, -1 their red
    assert (NODE_HIGH, NODE_LOW) == (POSITIVE, NEGATIVE)
    renderer = Renderer()
    for value, colour in ((-1.0, NODE_LOW), (0.0, NODE_ZERO), (1.0, NODE_HIGH), (0.5, None)):
        panel = pygame.Surface((300, 512))
        values = [np.array([value]), np.array([value])]
        positions = renderer.draw_network(panel, [np.ones((1, 1))], values)
        for xy in positions:  # one input node, one output node
            x, y = np.rint(xy[0]).astype(int)
            halfway = [round(z + (h - z) / 2) for z, h in zip(NODE_ZERO, NODE_HIGH, strict=True)]
            expected = colour or halfway
            assert near(panel.get_at((x, y)), expected, 1), value


def test_the_legend_explains_node_values_and_edges():
    renderer = Renderer()
    panel = pygame.Surface((300, 512))
    weights, activations = network_5_8_1()
    positions = renderer.draw_network(panel, weights, activations, title="bird 7")
    lowest_node = max(float(xy[:, 1].max()) for xy in positions)
    legend = pygame.surfarray.array3d(panel)[:, round(lowest_node) + 20 :]  # (300, rows, 3)
    colours = np.unique(legend.reshape(-1, 3), axis=0)
    # the gradient bar runs from the -1 colour through the 0 colour to the +1 colour
    for colour in (NODE_LOW, NODE_ZERO, NODE_HIGH):
        assert (np.abs(colours - colour) <= 3).all(axis=1).any(), colour
    # and the bar is a gradient: many colours between red and blue, not three swatches
    assert len(colours) > 60


@pytest.mark.parametrize(
    ("value", "lines"),
    [
        (0.73, ("0.73 > 0.5", "flap")),
        (0.21, ("0.21 <= 0.5", "no flap")),
        (0.5, ("0.50 <= 0.5", "no flap")),  # the bird flaps only above the threshold
        (0.504, ("0.50 > 0.5", "flap")),
    ],
)
def test_the_output_node_says_whether_the_bird_flaps(value, lines):
    assert decision_lines(value, 0.5) == lines


def test_a_flapping_output_is_ringed_in_white():
    renderer = Renderer()
    weights, activations = network_5_8_1()
    pictures = {}
    for output in (0.8, 0.2):
        panel = pygame.Surface((300, 512))
        renderer.draw_network(
            panel, weights, [*activations[:-1], np.array([output])], threshold=0.5
        )
        pictures[output] = {tuple(c) for c in colours_of(panel).tolist()}
    assert FLAP in pictures[0.8]  # the ring and the word "flap"
    assert FLAP not in pictures[0.2]


def test_every_hud_line_sits_below_the_grass_on_the_ground(world):
    renderer = Renderer(world.rules, panel_width=0)
    notes = ("fast-forward x12", "saved out/flappy-2.gone")
    full = Hud(generation=4, alive=2, score=3, best_score=17, population=3, notes=notes)
    assert len(hud_lines(full)) == 5 <= len(renderer.hud_line_tops())
    grass_bottom = round(world.rules.floor_y) + GRASS_HEIGHT
    variants = [
        Hud(generation=5, alive=2, score=3, best_score=17, population=3, notes=notes),
        Hud(generation=4, alive=1, score=3, best_score=17, population=3, notes=notes),
        Hud(generation=4, alive=2, score=3, best_score=18, population=3, notes=notes),
        Hud(generation=4, alive=2, score=3, best_score=17, population=3, notes=("x1", notes[1])),
        Hud(generation=4, alive=2, score=3, best_score=17, population=3, notes=(notes[0], "")),
    ]
    before = pygame.Surface(renderer.size)
    renderer.draw(before, world, full)
    tops = renderer.hud_line_tops()
    for line, hud in enumerate(variants):
        after = pygame.Surface(renderer.size)
        renderer.draw(after, world, hud)
        changed = np.argwhere(
            (pygame.surfarray.array3d(before) != pygame.surfarray.array3d(after)).any(axis=2)
        )  # (pixels, 2) as (x, y)
        assert len(changed) > 0, line
        assert changed[:, 1].min() >= max(grass_bottom, tops[line]), line  # none on the grass
        assert changed[:, 1].max() < min(tops[line] + 18, renderer.size[1]), line  # its own row


@pytest.mark.parametrize(
    ("weights", "activations", "message"),
    [
        ([], [np.zeros(5)], "weights: expected at least one layer"),
        ([np.zeros((8, 5))], [np.zeros(5)], r"activations: expected 2 layers"),
        ([np.zeros((5, 8))], [np.zeros(5), np.zeros(8)], r"weights\[0\]: expected shape \(8, 5\)"),
        ([np.full((1, 2), np.nan)], [np.zeros(2), np.zeros(1)], r"weights\[0\]: expected finite"),
        ([np.zeros((1, 2))], [np.zeros(2), np.array([np.inf])], r"activations\[1\]: expected fin"),
    ],
)
def test_a_network_whose_parts_disagree_is_rejected(weights, activations, message):
    renderer = Renderer()
    with pytest.raises(ValueError, match=message):
        renderer.draw_network(pygame.Surface((300, 512)), weights, activations)


def test_bad_renderer_settings_are_rejected():
    with pytest.raises(ValueError, match="scale: expected > 0, got 0"):
        Renderer(scale=0)
    with pytest.raises(ValueError, match="panel_width: expected >= 0, got -1"):
        Renderer(panel_width=-1)
