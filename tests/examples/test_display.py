"""Without a display the windows stop at once with a hint, instead of running unseen forever.

Each run is a subprocess with SDL_VIDEODRIVER unset and DISPLAY / WAYLAND_DISPLAY removed, as
on a server: SDL then falls back to its offscreen driver, which is what must be caught.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from examples.display import requested_drivers

ROOT = Path(__file__).resolve().parents[2]
QUICK = 30  # seconds: far more than a refusal takes, far less than "forever"

# On macOS and Windows SDL opens a real window without DISPLAY; there the premise does not hold.
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="no-display fallback is an X11/Wayland matter"
)


def run_without_display(*argv, **extra_env):
    """`python -m <argv>` with no display and no SDL driver asked for (unless in extra_env)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update(PYTHONPATH=str(ROOT), GONE_DATA_DIR="/nonexistent-gone-data", **extra_env)
    try:
        result = subprocess.run(
            [sys.executable, "-m", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=QUICK,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(argv)} still ran after {QUICK} s without a display")
    return result


@linux_only
@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["examples.flappy"], "add --headless to evolve without a window"),
        (["examples.flappy", "--play"], "add --headless to print the bird's score"),
    ],
    ids=["evolution", "play"],
)
def test_the_flappy_window_without_a_display_exits_with_a_hint(argv, hint):
    result = run_without_display(*argv)
    assert result.returncode == 1
    assert "window: expected a display to show a window on, got none" in result.stderr
    assert hint in result.stderr and "SDL_VIDEODRIVER=dummy" in result.stderr
    assert "Traceback" not in result.stderr
    assert "generation" not in result.stdout  # no evolution ran


@linux_only
def test_digits_draw_without_a_display_exits_before_training():
    # 100,000 epochs would take far longer than QUICK: the check has to come first
    result = run_without_display("examples.digits", "--draw", "--epochs", "100000")
    assert result.returncode == 1
    assert "--draw: expected a display to show a window on, got none" in result.stderr
    assert "run without --draw" in result.stderr
    assert "epoch" not in result.stdout and "Traceback" not in result.stderr


@linux_only
def test_a_driver_asked_for_by_name_runs_as_asked(tmp_path):
    """SDL_VIDEODRIVER=dummy is how tests and screenshots run the window unseen, on purpose."""
    shot = tmp_path / "shot.png"
    argv = ["--population", "20", "--frames", "3", "--fps", "1000", "--screenshot", str(shot)]
    result = run_without_display("examples.flappy", *argv, SDL_VIDEODRIVER="dummy")
    assert result.returncode == 0, result.stderr
    assert shot.exists()


@linux_only
def test_a_named_driver_that_is_not_there_is_reported_too():
    result = run_without_display("examples.flappy", SDL_VIDEODRIVER="x11")
    assert result.returncode == 1
    assert "window: expected a display to show a window on, got none (SDL: " in result.stderr


def test_sdl_videodriver_is_read_as_a_list(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", " Wayland,x11 ,,Dummy")
    assert requested_drivers() == ["wayland", "x11", "dummy"]
    monkeypatch.delenv("SDL_VIDEODRIVER")
    assert requested_drivers() == []
