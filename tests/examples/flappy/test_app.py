"""Tests for the Flappy Bird window, headless (SDL dummy driver): phases, keys, saving, frames."""

import os
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

import gone  # noqa: E402
from examples.flappy.app import App, key_event, open_window  # noqa: E402
from examples.flappy.cli import CHAMPION, main  # noqa: E402
from examples.flappy.evolve import Evolution, Replay, Settings  # noqa: E402
from examples.flappy.render import BIRD_HIGHLIGHT, save_screenshot  # noqa: E402

SETTINGS = Settings(population=50, seed=1, target_score=None)


@pytest.fixture
def window():
    screen, renderer = open_window()
    yield screen, renderer
    pygame.display.quit()


def make_app(window, tmp_path, driver=None, **options):
    screen, renderer = window
    driver = Evolution(SETTINGS) if driver is None else driver
    return App(driver, screen, renderer, tmp_path / "saved.gone", fps=1000, **options)


def test_the_app_runs_frames_and_steps_the_same_birds_as_the_headless_driver(window, tmp_path):
    app = make_app(window, tmp_path)
    assert app.run(max_frames=40) == 40
    assert app.steps == 40 and app.running
    headless = Evolution(SETTINGS)
    for _ in range(40):
        headless.step()
    assert app.driver.generation == headless.generation
    for name in ("y", "velocity", "alive", "score"):
        np.testing.assert_array_equal(
            getattr(app.driver.flight.world, name), getattr(headless.flight.world, name)
        )


def test_a_screenshot_of_a_frame_is_saved_and_is_not_blank(window, tmp_path):
    app = make_app(window, tmp_path)
    app.run(max_frames=5)
    path = save_screenshot(app.screen, tmp_path / "frame.png")
    image = pygame.image.load(str(path))
    assert image.get_size() == app.renderer.window_size
    pixels = pygame.surfarray.array3d(image).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50  # sky, pipes, birds, text and the network
    leader = app.driver.flight.leader()
    y = round(app.driver.flight.world.y[leader])
    colour = tuple(image.get_at((round(app.driver.flight.world.rules.bird_x), y)))[:3]
    assert all(abs(a - b) <= 6 for a, b in zip(colour, BIRD_HIGHLIGHT, strict=True))


def test_space_toggles_fast_forward(window, tmp_path):
    app = make_app(window, tmp_path, fast_budget=0.05)
    space = [key_event(pygame.K_SPACE)]
    app.run(max_frames=6, script={2: space, 4: space})
    assert not app.fast
    # frames 0, 1, 4, 5 step once; frames 2 and 3 fill 50 ms each with physics
    assert app.steps > 4 + 2 * 2
    assert app.steps_last_frame == 1
    app.run(max_frames=7, script={6: space})
    assert app.fast and app.steps_last_frame > 1
    assert app.hud().notes[0].startswith("fast-forward x")


def test_s_saves_the_bird_on_the_panel(window, tmp_path, capsys):
    app = make_app(window, tmp_path)
    app.run(max_frames=3, script={2: [key_event(pygame.K_s)]})
    assert app.saved == [tmp_path / "saved.gone"]
    assert f"saved {tmp_path / 'saved.gone'}" in capsys.readouterr().out
    saved = gone.load(tmp_path / "saved.gone")
    leader = app.driver.flight.leader()
    for W, stack in zip(saved.parameters()[0::2], app.driver.population.weights, strict=True):
        np.testing.assert_array_equal(W, stack[leader])
    assert app.hud().notes == (f"saved {tmp_path / 'saved.gone'}",)


def test_s_without_out_saves_each_bird_under_a_new_name(window, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    trained = tmp_path / "out" / "flappy.gone"
    trained.write_bytes(b"the bird trained for hours")
    screen, renderer = window
    app = App(Evolution(SETTINGS), screen, renderer, fps=1000)  # no out: the user named none
    app.run(max_frames=4, script={1: [key_event(pygame.K_s)], 3: [key_event(pygame.K_s)]})
    expected = [Path("out") / "flappy-2.gone", Path("out") / "flappy-3.gone"]
    assert app.saved == expected
    assert trained.read_bytes() == b"the bird trained for hours"
    assert [gone.load(path).n_inputs for path in expected] == [5, 5]
    out = capsys.readouterr().out
    assert all(f"saved {path}" in out for path in expected)


def test_a_save_that_fails_is_reported_and_the_window_flies_on(window, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    screen, renderer = window
    app = App(Evolution(SETTINGS), screen, renderer, blocker / "bird.gone", fps=1000)
    app.run(max_frames=3, script={1: [key_event(pygame.K_s)]})
    assert app.running and app.frames == 3 and app.saved == []
    assert "error: could not save the bird" in capsys.readouterr().err
    assert app.hud().notes == ("not saved, see the terminal",)


def test_a_message_shows_below_the_fast_forward_note_instead_of_hiding_it(window, tmp_path):
    app = make_app(window, tmp_path, fast_budget=0.01)
    app.run(max_frames=3, script={0: [key_event(pygame.K_SPACE)], 1: [key_event(pygame.K_s)]})
    fast, saved = app.hud().notes
    assert fast.startswith("fast-forward x")
    assert saved == f"saved {tmp_path / 'saved.gone'}"
    # a replay's flight number stays too
    replay = make_app(window, tmp_path, driver=Replay(gone.load(CHAMPION), seed=0))
    replay.run(max_frames=2, script={0: [key_event(pygame.K_s)]})
    assert replay.hud().notes == ("flight 1", f"saved {tmp_path / 'saved.gone'}")


def test_esc_and_closing_the_window_quit(window, tmp_path):
    app = make_app(window, tmp_path)
    assert app.run(max_frames=100, script={3: [key_event(pygame.K_ESCAPE)]}) == 3
    assert not app.running
    app = make_app(window, tmp_path)
    assert app.run(max_frames=100, script={0: [pygame.event.Event(pygame.QUIT)]}) == 0


def test_the_panel_shows_the_leaders_network_and_its_node_values(window, tmp_path):
    app = make_app(window, tmp_path)
    app.run(max_frames=2)
    weights, activations, index = app._shown
    flight = app.driver.flight
    assert index == flight.leader()
    assert [w.shape for w in weights] == [(8, 5), (1, 8)]
    np.testing.assert_array_equal(activations[0], flight.observations[index])
    np.testing.assert_allclose(activations[-1], flight.outputs[index])


def test_finished_generations_are_reported(window, tmp_path):
    results = []
    app = make_app(window, tmp_path, on_result=results.append)
    while not results:
        app.frame([])
    assert results[0].generation == 0
    assert app.driver.flight.finished


def test_a_replay_in_the_window(window, tmp_path):
    driver = Replay(gone.load(CHAMPION), seed=0)
    app = make_app(window, tmp_path, driver=driver)
    app.run(max_frames=30, script={10: [key_event(pygame.K_s)]})
    hud = app.hud()
    assert hud.generation is None and hud.population is None
    assert hud.alive == 1
    assert gone.load(tmp_path / "saved.gone").to_bytes() == driver.network.to_bytes()


def test_the_window_from_the_command_line_closes_after_frames_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "shot.png"
    argv = ["--population", "30", "--frames", "12", "--fps", "1000", "--screenshot", str(shot)]
    assert main([*argv, "--out", str(tmp_path / "m.gone")]) == 0
    assert pygame.image.load(str(shot)).get_size() == (588, 512)
    assert main(["--play", "--frames", "5", "--fps", "1000"]) == 0
