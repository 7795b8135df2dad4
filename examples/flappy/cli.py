"""Command line of the Flappy Bird example: `python -m examples.flappy --help`.

    python -m examples.flappy                          evolve in a window
    python -m examples.flappy --headless               evolve without one: a line per generation,
                                                       then a JSON summary; saves the champion
    python -m examples.flappy --play                   watch the committed champion fly
    python -m examples.flappy --play best.gone --headless    print the score a saved bird reaches

In the window: space toggles fast-forward, S saves the bird on the panel, Esc quits. A bird is
saved to `--out PATH` if given, else to out/flappy.gone or, when that exists, to the first free
out/flappy-2.gone, out/flappy-3.gone, ...: a run never replaces a file it was not told to.
Without a display the window would fly unseen, so the run stops with a hint (--headless),
unless SDL_VIDEODRIVER=dummy asks for exactly that.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import gone

from ..display import NoDisplayError, require_window
from ..flags import checked, int_at_least, number_above
from ..outputs import out_help, save_output
from .evolve import CROSSOVERS, DEFAULT_OUT, Evolution, Settings, SettingsError, fly

CHAMPION = Path(__file__).with_name("champion.gone")  # the committed bird --play flies by default
HEADLESS_TARGET = 100  # --headless stops when a bird passes this many pipes
HEADLESS_PLAY_MAX_SCORE = 1000  # --play --headless stops a bird that never crashes here

DEFAULTS = Settings()
# The flags that set one Settings field each, to its default: field -> help.
SETTING_FLAGS = {
    "population": "birds per generation",
    "hidden": "hidden tanh nodes",
    "tournament": "birds per selection tournament",
    "elite": "best birds kept unchanged",
    "mutation_rate": "chance of each weight to mutate",
    "mutation_stddev": "standard deviation of a mutation",
}
# The flag of each Settings field, for its error messages; the rest are --field-name.
FLAG_OF_SETTING = {"fresh_courses": "--same-course"}


def flag_of(field: str) -> str:
    """The command-line flag that sets the Settings field `field`: mutation_rate -> --mutation-rate."""
    return FLAG_OF_SETTING.get(field, f"--{field.replace('_', '-')}")


def build_parser() -> argparse.ArgumentParser:
    """Every flag, grouped by what it is for."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.flappy",
        description="Flappy Bird birds flown by gone networks, evolved by a genetic algorithm.",
        epilog="Window keys: space fast-forward, S save the bird on the panel, Esc quit.",
    )
    mode = parser.add_argument_group("mode")
    mode.add_argument(
        "--headless",
        action="store_true",
        help="no window: print progress (and with --play, the score) (default: off, a window)",
    )
    mode.add_argument(
        "--play",
        nargs="?",
        const=CHAMPION,
        type=Path,
        metavar="MODEL",
        help=f"fly a saved bird instead of evolving; --play alone flies the committed "
        f"{CHAMPION.name} (default: off, evolve)",
    )

    run = parser.add_argument_group("evolution")
    for name, text in SETTING_FLAGS.items():
        default = getattr(DEFAULTS, name)
        kind = "an int" if isinstance(default, int) else "a number"
        run.add_argument(
            flag_of(name),
            type=checked(type(default), kind, lambda value: True),  # Settings checks the range
            default=default,
            help=f"{text} (default: %(default)s)",
        )
    run.add_argument(
        "--generations",
        type=int_at_least(1),
        default=100,
        help="headless: most generations to fly (default: %(default)s); "
        "the window evolves until Esc",
    )
    run.add_argument(
        "--seed",
        type=int_at_least(0),
        default=DEFAULTS.seed,
        help="seed of the first birds, the breeding and the courses; with --play, the course "
        "(default: %(default)s)",
    )
    run.add_argument(
        "--target-score",
        type=int_at_least(1),
        help=f"a generation ends when a bird passes this many pipes; headless, the run stops there "
        f"(default: {HEADLESS_TARGET} headless, none in the window)",
    )
    run.add_argument(
        "--max-frames",
        type=int_at_least(1),
        help="end a generation (or a --play flight) after this many frames (default: none)",
    )
    run.add_argument(
        "--crossover",
        choices=CROSSOVERS,
        default=DEFAULTS.crossover,
        help="how two parents' weights mix into a child; none: mutated copies only "
        "(default: %(default)s)",
    )
    run.add_argument(
        "--same-course",
        action="store_true",
        help="fly every generation on the same course (default: off, a fresh course each one)",
    )
    run.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=out_help(
            "the champion (--headless) or the S key's birds",
            DEFAULT_OUT,
            ", and each S press saves under a new name",
        ),
    )

    play = parser.add_argument_group("--play")
    play.add_argument(
        "--max-score",
        type=int_at_least(1),
        help=f"stop the flight when the bird passes this many pipes "
        f"(default: {HEADLESS_PLAY_MAX_SCORE} headless, none in the window)",
    )

    window = parser.add_argument_group("window")
    window.add_argument(
        "--fps",
        type=number_above(0),
        default=60.0,
        help="frames per second (default: %(default)s)",
    )
    window.add_argument(
        "--scale",
        type=number_above(0),
        default=1.0,
        help="window pixels per game pixel (default: %(default)s)",
    )
    window.add_argument(
        "--frames",
        type=int_at_least(1),
        help="close the window after this many frames (default: none, until Esc)",
    )
    window.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="save the last frame as an image (default: none)",
    )
    return parser


def parse_args(argv=None) -> argparse.Namespace:
    """Parse and check the flags; fill in the defaults that depend on the mode."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.target_score is None and args.headless and args.play is None:
        args.target_score = HEADLESS_TARGET
    if args.max_score is None and args.headless and args.play is not None:
        args.max_score = HEADLESS_PLAY_MAX_SCORE
    if args.out is not None and args.play is not None and args.headless:
        parser.error("--out: expected a run that saves a bird, got --play --headless (saves none)")
    if args.play is None:
        try:
            args.settings = settings_from(args)
        except SettingsError as error:  # name the flag, not the field: --mutation-rate
            parser.error(f"{flag_of(error.field)}: expected {error.expected}, got {error.value!r}")
    return args


def settings_from(args: argparse.Namespace) -> Settings:
    """The evolution's Settings from the flags."""
    return Settings(
        **{name: getattr(args, name) for name in SETTING_FLAGS},
        seed=args.seed,
        target_score=args.target_score,
        max_frames=args.max_frames,
        crossover=args.crossover,
        fresh_courses=not args.same_course,
    )


def train_headless(args: argparse.Namespace) -> int:
    """Evolve until a bird reaches the target score (or --generations); save the champion."""
    settings = args.settings
    course = "the same course" if args.same_course else "a fresh course each generation"
    print(
        f"evolving {settings.population} birds (5-{settings.hidden}-1 networks) on {course}, "
        f"seed {settings.seed}, until a bird passes {settings.target_score} pipes",
        flush=True,
    )
    started = time.perf_counter()
    evolution = Evolution(settings)
    for _ in range(args.generations):
        result = evolution.run_generation()
        print(result.line(), flush=True)
        if result.best_score >= settings.target_score:
            break
    seconds = time.perf_counter() - started
    try:
        path = save_output(evolution.champion.save, args.out, DEFAULT_OUT)
    except OSError as error:
        print(f"error: could not save the champion: {error}", file=sys.stderr)
        return 1
    print(f"saved the champion ({evolution.best_score} pipes) to {path}", flush=True)
    summary = {
        "generations": len(evolution.results),
        "population": settings.population,
        "best_score": evolution.best_score,
        "reached_target": evolution.best_score >= settings.target_score,
        "seconds": round(seconds, 3),
        "model_path": str(path),
        "seed": settings.seed,
        "fresh_courses": settings.fresh_courses,
    }
    print(json.dumps(summary), flush=True)
    return 0


def play_headless(args: argparse.Namespace, network: gone.NeuralNetwork) -> int:
    """Fly a saved bird on the course --seed until it crashes or hits a cap; print its score."""
    world = fly(network, args.seed, args.max_score, args.max_frames)
    score, crashed = int(world.score[0]), not world.alive[0]
    ending = "crashed" if crashed else "stopped by the cap, still flying"
    print(
        f"{args.play} passed {score} pipes on course {args.seed} in {world.frame} frames: {ending}"
    )
    summary = {
        "model_path": str(args.play),
        "seed": args.seed,
        "score": score,
        "frames": world.frame,
        "crashed": crashed,
    }
    print(json.dumps(summary), flush=True)
    return 0


def run_window(args: argparse.Namespace, network: gone.NeuralNetwork | None) -> int:
    """Open the window: evolve (network None) or watch `network` fly, until Esc."""
    instead = "evolve without a window" if network is None else "print the bird's score"
    try:
        require_window(instead)
    except NoDisplayError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # pygame greets on import
    from .app import App, open_window
    from .evolve import Replay
    from .render import save_screenshot

    if network is None:
        driver = Evolution(args.settings)
        caption = "gone: Flappy Bird neuroevolution"
    else:
        driver = Replay(network, args.seed, args.max_score, args.max_frames)
        caption = f"gone: Flappy Bird, {args.play.name}"
    screen, renderer = open_window(scale=args.scale, caption=caption)
    on_result = (lambda r: print(r.line(), flush=True)) if network is None else _print_score
    app = App(driver, screen, renderer, args.out, fps=args.fps, on_result=on_result)
    app.run(max_frames=args.frames)
    if args.screenshot is not None:
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        print(f"saved {save_screenshot(screen, args.screenshot)}", flush=True)
    return 0


def _print_score(score: int) -> None:
    print(f"passed {score} pipes", flush=True)


def load_bird(path: Path) -> gone.NeuralNetwork:
    """Load a saved bird, checking that it can fly: 5 inputs, 1 output."""
    network = gone.load(path)
    if network.n_inputs != 5 or network.n_outputs != 1:
        raise gone.ConfigError(
            f"{path}: expected a network of 5 inputs and 1 output, "
            f"got {network.n_inputs} inputs and {network.n_outputs} outputs"
        )
    return network


def main(argv=None) -> int:
    """Run the mode the flags ask for; return the exit status."""
    args = parse_args(argv)
    network = None
    if args.play is not None:
        try:
            network = load_bird(args.play)
        except (gone.GoneError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    if args.headless:
        return train_headless(args) if network is None else play_headless(args, network)
    return run_window(args, network)
