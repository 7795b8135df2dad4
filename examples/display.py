"""Is there a screen to open a window on? Asked before a pygame window is opened.

Without a display (a server, a container, an SSH session without X forwarding) SDL does not
fail: it falls back to its "offscreen" video driver, which draws into memory, so a window
"opens", shows nothing and runs until killed. `require_display` asks SDL which driver it
picks and raises `NoDisplayError` when it is one that shows nothing, unless the user asked
for that driver by name (SDL_VIDEODRIVER=dummy or offscreen, as tests and benchmarks do:
then the window runs unseen, on purpose).

The windows use it: `python -m examples.flappy` (evolution and --play) and `python -m
examples.gym` through `require_window`, which points to --headless, and `python -m
examples.digits --draw`, before its training starts.
"""

import os

# SDL's video drivers that draw into memory instead of onto a screen.
INVISIBLE_DRIVERS = ("offscreen", "dummy")


class NoDisplayError(RuntimeError):
    """SDL has no screen to show a window on; the message says what to do instead."""


def requested_drivers() -> list[str]:
    """The video drivers named in SDL_VIDEODRIVER (SDL reads a comma-separated list), lowercase."""
    names = os.environ.get("SDL_VIDEODRIVER", "").split(",")
    return [name.strip().lower() for name in names if name.strip()]


def require_display(what: str, hint: str) -> str:
    """Check that pygame can show a window; return the name of SDL's video driver.

    Parameters:
        what: the window's name in the message, e.g. "window" or "--draw".
        hint: what the user can do instead, e.g. "use --headless to evolve without a window".

    Raises:
        NoDisplayError: SDL found no screen ("<what>: expected a display ..., got none ...").

    Example:
        >>> require_display("window", "use --headless")   # at a desktop
        'x11'
    """
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # pygame greets on import
    import pygame  # here: only the windows need pygame

    try:
        pygame.display.init()
        driver = pygame.display.get_driver()
    except pygame.error as error:  # e.g. SDL_VIDEODRIVER=x11 and no X server
        raise NoDisplayError(
            f"{what}: expected a display to show a window on, got none (SDL: {error}); {hint}"
        ) from None
    finally:
        pygame.display.quit()  # the window opens later, in its own module
    if driver.lower() in INVISIBLE_DRIVERS and driver.lower() not in requested_drivers():
        raise NoDisplayError(
            f"{what}: expected a display to show a window on, got none (SDL fell back to its "
            f"{driver!r} video driver, which shows nothing); {hint}"
        )
    return driver


def require_window(instead: str) -> str:
    """`require_display` for a window that --headless can do without: the hint says to add
    --headless to do `instead`, or how to run the window unseen on purpose.

    Example:
        >>> require_window("evolve without a window")   # no display: NoDisplayError, "window:
        ... # expected a display ...; add --headless to evolve without a window (or set ...)"
    """
    hint = f"add --headless to {instead} (or set SDL_VIDEODRIVER=dummy to run the window unseen)"
    return require_display("window", hint)
