"""Command line of the Gymnasium example: `python -m examples.gym --help`.

    python -m examples.gym --env CartPole-v1              evolve, then watch the champion play
    python -m examples.gym --env CartPole-v1 --headless   evolve without a window: a line per
                                                          generation, then a JSON summary
    python -m examples.gym --play out/cartpole-v1.gone    watch a saved champion play
    python -m examples.gym --play out/cartpole-v1.gone --headless   print its episode returns

The champion is saved to `--out PATH` if given, else to out/<env>.gone or, when that exists, to
the first free out/<env>-2.gone, out/<env>-3.gone, ...: a run never replaces a file it was not
told to. The window needs a display; without one the run stops at once, before evolving, with a
hint (--headless).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import gone
from gone import gym as ggym

from ..display import NoDisplayError, require_window
from ..flags import checked, int_at_least, number_at_least, number_in
from ..outputs import out_help, save_output
from .evolve import CROSSOVERS, Evolution, Settings, default_out, held_out_returns

DEFAULTS = Settings()
HELD_OUT_EPISODES = 100  # Gymnasium's reward thresholds are means over 100 episodes


def build_parser() -> argparse.ArgumentParser:
    """Every flag, grouped by what it is for."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.gym",
        description="gone networks evolved by a genetic algorithm on a Gymnasium environment, "
        "the whole population in one vector environment.",
    )
    parser.add_argument(
        "--env",
        default=DEFAULTS.env_id,
        metavar="ID",
        help="the Gymnasium environment, e.g. Acrobot-v1, LunarLander-v3 (default: %(default)s)",
    )
    mode = parser.add_argument_group("mode")
    mode.add_argument(
        "--headless",
        action="store_true",
        help="no window: print progress, or with --play the episode returns (default: off, "
        "the champion plays in a window)",
    )
    mode.add_argument(
        "--play",
        type=Path,
        metavar="MODEL",
        help="play a saved network instead of evolving (default: off, evolve)",
    )

    run = parser.add_argument_group("evolution")
    run.add_argument(
        "--population",
        type=int_at_least(1),
        default=DEFAULTS.population,
        help="networks per generation (default: %(default)s)",
    )
    run.add_argument(
        "--hidden",
        type=int_at_least(1),
        nargs="+",
        default=list(DEFAULTS.hidden),
        metavar="N",
        help="tanh nodes of each hidden layer (default: %(default)s)",
    )
    run.add_argument(
        "--generations",
        type=int_at_least(0),
        default=30,
        help="most generations to breed after the first (default: %(default)s)",
    )
    run.add_argument(
        "--episodes",
        type=int_at_least(1),
        default=DEFAULTS.episodes,
        help="episodes per network and generation; fitness is their mean return "
        "(default: %(default)s)",
    )
    run.add_argument(
        "--seed",
        type=int_at_least(0),
        default=DEFAULTS.seed,
        help="seed of the first networks, the breeding and the episodes; with --play, of the "
        "episodes (default: %(default)s)",
    )
    run.add_argument(
        "--target",
        type=checked(float, "a finite number", np.isfinite),
        help="stop when the fittest network's mean return over --check-episodes fresh episodes "
        "reaches this (default: the environment's reward threshold, e.g. 475 for CartPole-v1)",
    )
    run.add_argument(
        "--check-episodes",
        type=int_at_least(1),
        default=DEFAULTS.check_episodes,
        help="fresh episodes the fittest network of each generation plays alone "
        "(default: %(default)s)",
    )
    run.add_argument(
        "--tournament",
        type=int_at_least(1),
        default=DEFAULTS.tournament,
        help="networks per selection tournament (default: %(default)s)",
    )
    run.add_argument(
        "--elite",
        type=int_at_least(0),
        default=DEFAULTS.elite,
        help="best networks kept unchanged (default: %(default)s)",
    )
    run.add_argument(
        "--mutation-rate",
        type=number_in(0, 1),
        default=DEFAULTS.mutation_rate,
        help="chance of each weight to mutate (default: %(default)s)",
    )
    run.add_argument(
        "--mutation-stddev",
        type=number_at_least(0),
        default=DEFAULTS.mutation_stddev,
        help="standard deviation of a mutation (default: %(default)s)",
    )
    run.add_argument(
        "--crossover",
        choices=CROSSOVERS,
        default=DEFAULTS.crossover,
        help="how two parents' weights mix into a child; none: mutated copies only "
        "(default: %(default)s)",
    )
    run.add_argument(
        "--normalize",
        action="store_true",
        help="normalize observations by their running mean and std, as OpenAI-ES does; folded "
        "into the saved champion (default: off)",
    )
    run.add_argument(
        "--max-steps",
        type=int_at_least(1),
        help="cut every episode after this many steps (default: the environment's own limit)",
    )
    run.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=out_help("the champion", default_out("<env>")),
    )

    play = parser.add_argument_group("playing")
    play.add_argument(
        "--held-out-episodes",
        type=int_at_least(1),
        default=HELD_OUT_EPISODES,
        help="episodes no generation saw, played by the champion after evolving and by "
        "--play --headless (default: %(default)s)",
    )
    play.add_argument(
        "--show",
        type=int_at_least(1),
        default=3,
        help="episodes played in the window (default: %(default)s)",
    )
    return parser


def parse_args(argv=None) -> argparse.Namespace:
    """Parse and check the flags."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.out is not None and args.play is not None:
        parser.error("--out: expected a run that saves a champion, got --play (saves none)")
    if args.elite > args.population:
        parser.error(
            f"--elite: expected at most --population ({args.population}), got {args.elite}"
        )
    return args


def settings_from(args: argparse.Namespace) -> Settings:
    """The evolution's Settings from the flags."""
    return Settings(
        env_id=args.env,
        population=args.population,
        hidden=tuple(args.hidden),
        episodes=args.episodes,
        seed=args.seed,
        tournament=args.tournament,
        elite=args.elite,
        mutation_rate=args.mutation_rate,
        mutation_stddev=args.mutation_stddev,
        crossover=args.crossover,
        normalize=args.normalize,
        max_steps=args.max_steps,
        check_episodes=args.check_episodes,
        target=args.target,
    )


def evolve(args: argparse.Namespace) -> int:
    """Evolve until solved (or --generations); print a line each generation; save the champion."""
    evolution = Evolution(settings_from(args))
    s, population = evolution.settings, evolution.population
    sizes = "-".join(str(layer.nodes) for layer in population.layers)
    until = (
        ""
        if evolution.target is None
        else f", until the champion's mean reaches {evolution.target:g}"
    )
    print(
        f"evolving {s.population} {sizes} networks on {s.env_id}, seed {s.seed}, "
        f"{s.episodes} episode(s) each per generation{until}",
        flush=True,
    )
    for _ in range(args.generations + 1):
        print(evolution.run_generation().line(s.check_episodes), flush=True)
        if evolution.solved:
            break
    held_out = evolution.held_out(args.held_out_episodes)
    try:
        path = save_output(evolution.champion.save, args.out, default_out(s.env_id))
    except OSError as error:
        print(f"error: could not save the champion: {error}", file=sys.stderr)
        return 1
    print(
        f"saved the champion to {path}: mean return {held_out.mean():.2f} over "
        f"{args.held_out_episodes} held-out episodes",
        flush=True,
    )
    summary = {
        "env": s.env_id,
        "network": sizes,
        "population": s.population,
        "generations": len(evolution.results),
        "target": evolution.target,
        "solved": evolution.solved,
        "champion_check_mean": round(evolution.best_check, 3),
        "check_episodes": s.check_episodes,
        "held_out_mean": round(float(held_out.mean()), 3),
        "held_out_episodes": args.held_out_episodes,
        "env_steps": evolution.env_steps,
        "seconds": round(evolution.seconds, 3),
        "env_steps_per_second": round(evolution.env_steps / max(evolution.seconds, 1e-9)),
        "model_path": str(path),
        "seed": s.seed,
    }
    print(json.dumps(summary), flush=True)
    return 0 if args.headless else show(args, evolution.champion, str(path))


def play_headless(args: argparse.Namespace, network: gone.NeuralNetwork) -> int:
    """Play a saved network for --held-out-episodes episodes; print every return and a summary."""
    started = time.perf_counter()
    returns = held_out_returns(network, args.env, args.held_out_episodes, args.seed, args.max_steps)
    seconds = time.perf_counter() - started
    print("returns " + " ".join(f"{value:g}" for value in returns), flush=True)
    print(
        f"{args.play} on {args.env}: mean return {returns.mean():.2f} over {len(returns)} "
        f"episodes (min {returns.min():g}, max {returns.max():g})",
        flush=True,
    )
    summary = {
        "env": args.env,
        "model_path": str(args.play),
        "episodes": len(returns),
        "mean_return": round(float(returns.mean()), 3),
        "min_return": float(returns.min()),
        "max_return": float(returns.max()),
        "seed": args.seed,
        "seconds": round(seconds, 3),
    }
    print(json.dumps(summary), flush=True)
    return 0


def show(args: argparse.Namespace, network: gone.NeuralNetwork, name: str) -> int:
    """Play `network` in Gymnasium's window for --show episodes, printing each return."""
    returns = ggym.play(
        network, args.env, args.show, seed=args.seed, max_steps=args.max_steps, render_mode="human"
    )
    for episode, value in enumerate(returns, 1):
        print(f"{name}: episode {episode} returned {value:g}", flush=True)
    return 0


def check_display(args: argparse.Namespace) -> None:
    """Raise NoDisplayError now, before any evolving, if the window could not be seen."""
    require_window(
        "print the episode returns" if args.play is not None else "evolve without a window"
    )


def main(argv=None) -> int:
    """Run the mode the flags ask for; return the exit status."""
    args = parse_args(argv)
    try:
        if not args.headless:
            check_display(args)
        if args.play is None:
            return evolve(args)
        network = gone.load(args.play)  # whether it fits the environment, gone.gym checks
        return (
            play_headless(args, network) if args.headless else show(args, network, str(args.play))
        )
    except NoDisplayError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (gone.GoneError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
