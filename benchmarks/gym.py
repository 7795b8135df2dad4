"""Gymnasium neuroevolution: environment-steps per second and time to solve CartPole, side by side.

Throughput: P 4-16-2 networks (tanh hidden layer, argmax over the 2 actions) each play one episode
of CartPole-v1, and a contender's rate is the steps of those episodes over its wall time:
- gone.gym: `gone.gym.evaluate`, all P episodes in Gymnasium's vectorized CartPole
  (`make_vec`'s vector entry point), one `Population.predict` per step;
- gone.gym, sync: the same with `vectorization_mode="sync"`, P copies of the plain environment
  in a SyncVectorEnv (what environments without a vector entry point get);
- per-environment loop: the way neat-python and PyGAD users wire Gymnasium, each network playing
  its own `gymnasium.make` environment, one `net.predict` per step; and the same loop with a
  bare numpy forward pass instead of `net.predict`, the least a loop can do per step;
- EvoTorch: `VecGymNE(...).evaluate(batch)` with the same weights (EvoTorch's vectorized
  problem: Gymnasium vector environment, a batched torch policy). Its own install (it pulls in
  Ray): `python -m venv /tmp/evo && /tmp/evo/bin/pip install evotorch==0.6.1` (with this repository
  and its packages importable, e.g. a .pth file naming .venv's site-packages), then
  `--evotorch-python /tmp/evo/bin/python`. Without it, EvoTorch's rows say so.
Two populations: random networks (episodes of 8 to 500 steps, most short: the first generation's
work) and "trained" ones, small mutations of a CartPole champion (nearly all 500 steps: a late
generation's work).

Time to solve: a population of 128 4-16-2 networks, one episode each per generation, at most 30
generations; solved when the generation's fittest network's mean return over 20 fresh-seed
episodes reaches 475 (that check is gone.gym for every contender, the same code on the same
weights, and its time counts). gone: the genetic algorithm of examples/gym (tournament 10, 5
elite, Gaussian mutation rate 0.1, stddev 0.5, no crossover); EvoTorch: its GeneticAlgorithm
(Gaussian mutation stddev 0.5, elitist) and SNES (stdev_init 0.5), on VecGymNE.

Every rate is a run repeated (fresh seeds) for at least half a second. Every contender runs in a
process of its own (PyTorch's threads and Ray's imports stay out of the others), one thread for
PyTorch, best of --repeats rounds for the rates, seeds 0..--seeds-1 for the solves.

    python -m benchmarks.gym                    # P = 128 and 1,024; 5 seeds to solve
    python -m benchmarks.gym --quick            # P = 128 only, 2 seeds, 1 round
"""

from __future__ import annotations

import argparse
import importlib.metadata
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import gone
from benchmarks.side_by_side import RunFailed, in_fresh_process

ENV = "CartPole-v1"
HIDDEN = 16
MIN_SECONDS = 0.5  # every rate is measured over at least this long, repeating its run
SOLVE_POPULATION, SOLVE_GENERATIONS, CHECK_EPISODES, THRESHOLD = 128, 30, 20, 475.0


def layers() -> list[gone.Layer]:
    return [gone.Layer(4), gone.Layer(HIDDEN, gone.Tanh()), gone.Layer(2)]


# ---- the populations timed -------------------------------------------------------------------


def genes(size: int, kind: str) -> np.ndarray:
    """(size, 114) genomes in torch's order, which EvoTorch's solutions follow: W0 (16, 4)
    row-major, b0 (16,), W1 (2, 16) row-major, b1 (2,)."""
    if kind == "random":
        return gone.Population(layers(), size, seed=0).genes
    champion = genome(trained_champion())  # (114,)
    noise = np.random.default_rng(1).normal(scale=0.01, size=(size, champion.size))
    return champion + noise  # (size, 114)


def genome(network: gone.NeuralNetwork) -> np.ndarray:
    return np.concatenate([p.ravel() for p in network.parameters()])  # W0, b0, W1, b1


def trained_champion() -> gone.NeuralNetwork:
    """A CartPole champion of gone's GA (seed 0)."""
    from examples.gym.evolve import Evolution, Settings

    evolution = Evolution(Settings(seed=0))
    while not evolution.solved:
        evolution.run_generation()
    return evolution.champion


def population_of(rows: np.ndarray) -> gone.Population:
    """The networks of genomes (P, 114), stacked into a gone Population."""
    return gone.Population.from_genes(rows, gone.NeuralNetwork(layers(), seed=0))


# ---- throughput contenders (each runs in a process of its own) ---------------------------------


def timed(play_once) -> tuple[int, float]:
    """Call `play_once(round)` (it returns the steps it played) until MIN_SECONDS have passed;
    return (steps, seconds) of all the rounds: a rate of a run long enough to measure."""
    steps, rounds, started = 0, 0, time.perf_counter()
    while (seconds := time.perf_counter() - started) < MIN_SECONDS:
        steps += play_once(rounds)
        rounds += 1
    return steps, seconds


def rate_gone(rows: np.ndarray, mode: str | None) -> tuple[int, float]:
    from gone import gym as ggym

    population = population_of(rows)
    ggym.evaluate(population, ENV, seed=99, vectorization_mode=mode)  # warm up
    return timed(
        lambda r: ggym.rollout(population, ENV, seed=r, vectorization_mode=mode).episode_steps
    )


def rate_loop(rows: np.ndarray, bare: bool) -> tuple[int, float]:
    """One network, one environment, one predict per step: the neat-python / PyGAD way."""
    import gymnasium

    networks = list(population_of(rows))
    env = gymnasium.make(ENV)

    def play(network, seed: int) -> int:
        W0, b0, W1, b1 = network.parameters()

        def forward(observation):
            """The forward pass written out: what neat-python's activate() amounts to."""
            return W1 @ np.tanh(W0 @ observation[:, None] + b0) + b1  # (2, 1)

        decide = forward if bare else network.predict
        observation, _ = env.reset(seed=seed)
        steps, over = 0, False
        while not over:
            outputs = decide(observation)  # (2, 1) or (2,)
            observation, _, terminated, truncated, _ = env.step(int(np.argmax(outputs)))
            steps, over = steps + 1, terminated or truncated
        return steps

    # Every round plays the next network (all P in turn), on a seed of its own.
    result = timed(lambda r: play(networks[r % len(networks)], r))
    env.close()
    return result


def rate_evotorch(rows: np.ndarray) -> tuple[int, float]:
    import torch

    torch.set_num_threads(1)
    problem = evotorch_problem()
    problem.evaluate(problem.generate_batch(len(rows)))  # warm up
    batch = problem.generate_batch(len(rows))
    batch.set_values(torch.as_tensor(rows, dtype=torch.float32))

    def evaluate(_) -> int:
        before = problem.status.get("total_interaction_count", 0)
        problem.evaluate(batch)
        return problem.status["total_interaction_count"] - before

    return timed(evaluate)


def evotorch_problem():
    from evotorch.neuroevolution import VecGymNE

    network = f"Linear(obs_length, {HIDDEN}) >> Tanh() >> Linear({HIDDEN}, act_length)"
    return VecGymNE(ENV, network, num_episodes=1)


RATES = {
    "gone.gym (vector entry point)": lambda rows: rate_gone(rows, None),
    "gone.gym, sync vector env": lambda rows: rate_gone(rows, "sync"),
    "per-environment loop, net.predict": lambda rows: rate_loop(rows, bare=False),
    "per-environment loop, bare numpy": lambda rows: rate_loop(rows, bare=True),
    "EvoTorch VecGymNE": rate_evotorch,
}


# ---- time to solve ------------------------------------------------------------------------------


def check(rows: np.ndarray, seed: int, generation: int) -> tuple[float, int]:
    """The fittest network's mean return over CHECK_EPISODES fresh episodes, and their steps.

    The check of examples/gym (gone.gym) for every contender: the same code on the same weights.
    """
    from examples.gym.evolve import check_seed
    from gone import gym as ggym

    alone = population_of(rows[None])
    run = ggym.rollout(alone, ENV, CHECK_EPISODES, seed=check_seed(seed, generation))
    return float(run.mean_returns[0]), run.episode_steps


def solve_gone(seed: int) -> dict:
    from examples.gym.evolve import Evolution, Settings

    started = time.perf_counter()
    evolution = Evolution(Settings(population=SOLVE_POPULATION, seed=seed))
    for _ in range(SOLVE_GENERATIONS + 1):
        evolution.run_generation()
        if evolution.best_check >= THRESHOLD:
            break
    seconds = time.perf_counter() - started
    return {
        "solved": evolution.solved,
        "generations": len(evolution.results),
        "seconds": seconds,
        "env_steps": evolution.env_steps,
    }


def solve_evotorch(seed: int, algorithm: str) -> dict:
    import torch
    from evotorch.algorithms import SNES, GeneticAlgorithm
    from evotorch.operators import GaussianMutation

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    started = time.perf_counter()
    problem = evotorch_problem()
    if algorithm == "ga":
        searcher = GeneticAlgorithm(
            problem,
            popsize=SOLVE_POPULATION,
            operators=[GaussianMutation(problem, stdev=0.5, mutation_probability=0.1)],
        )
    else:
        searcher = SNES(problem, popsize=SOLVE_POPULATION, stdev_init=0.5)
    solved, generations, check_steps = False, 0, 0
    for generation in range(SOLVE_GENERATIONS + 1):
        searcher.step()  # one generation: evaluate, breed
        generations = generation + 1
        best = searcher.status["pop_best"].values.detach().cpu().numpy().astype(np.float64)
        mean, steps = check(best, seed, generation)
        check_steps += steps
        if mean >= THRESHOLD:
            solved = True
            break
    seconds = time.perf_counter() - started
    return {
        "solved": solved,
        "generations": generations,
        "seconds": seconds,
        "env_steps": int(problem.status["total_interaction_count"]) + check_steps,
    }


SOLVERS = {
    "gone GA (gone.gym + gone.evolve)": solve_gone,
    "EvoTorch GeneticAlgorithm (VecGymNE)": lambda seed: solve_evotorch(seed, "ga"),
    "EvoTorch SNES (VecGymNE)": lambda seed: solve_evotorch(seed, "snes"),
}


# ---- the driver ---------------------------------------------------------------------------------


def in_process(python: str, call: str) -> dict | list | None:
    """Run `call` (an expression on this module, `b`) in a fresh process, BLAS on one thread;
    return its JSON, or None when that Python cannot run it (no EvoTorch there)."""
    try:
        return in_fresh_process("gym", call, python, env={"OMP_NUM_THREADS": "1"})
    except RunFailed:
        return None


def evotorch_version(python: str) -> str | None:
    code = "import importlib.metadata as m; print(m.version('evotorch'))"
    try:
        result = subprocess.run([python, "-c", code], capture_output=True, text=True)
    except OSError:  # no such Python: EvoTorch's rows say it is missing
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[128, 1024],
        help="population sizes P of the throughput table (default: %(default)s)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="rounds of the throughput table, each contender keeps its best (default: %(default)s)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=5,
        help="runs to solve CartPole per contender, seeds 0, 1, ... (default: %(default)s)",
    )
    parser.add_argument(
        "--evotorch-python",
        default=sys.executable,
        metavar="PYTHON",
        help="the Python whose environment has evotorch (default: %(default)s, this one)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="P = 128, 1 round, 2 seeds (default: off)"
    )
    return parser


def rates(args, pythons: dict, skipped: set, folder: str) -> None:
    """Print the throughput rows: every contender on the same weights, best of the rounds."""
    for kind in ("random", "trained"):
        for size in args.sizes:
            rows_file = Path(folder) / f"{kind}-{size}.npy"  # the same weights for every contender
            np.save(rows_file, genes(size, kind))
            best = {}
            for _ in range(args.repeats):  # the contenders take turns in every round
                for name in RATES:
                    if name in skipped:
                        continue
                    call = f"b.RATES[{name!r}](b.np.load({str(rows_file)!r}))"
                    measured = in_process(pythons[name], call)
                    if measured is None:
                        continue
                    steps, seconds = measured
                    if name not in best or steps / seconds > best[name][0] / best[name][1]:
                        best[name] = (steps, seconds)
            ours = best["gone.gym (vector entry point)"]
            for name in RATES:
                if name not in best:
                    print(f"| {kind} | {size:,} | {name} | (not run) | | |")
                    continue
                steps, seconds = best[name]
                ratio = (ours[0] / ours[1]) / (steps / seconds)
                print(
                    f"| {kind} | {size:,} | {name} | {steps / seconds:,.0f} | {steps:,} | "
                    f"{ratio:.2f}x |"
                )


def solves(args, pythons: dict, skipped: set) -> None:
    """Print the time-to-solve rows: every contender on seeds 0 .. args.seeds - 1."""
    for name in SOLVERS:
        if name in skipped:
            print(f"| {name} | (not run) | | | |")
            continue
        calls = [f"b.SOLVERS[{name!r}]({seed})" for seed in range(args.seeds)]
        runs = [run for run in (in_process(pythons[name], c) for c in calls) if run is not None]
        if not runs:
            print(f"| {name} | (failed) | | | |")
            continue
        generations = [run["generations"] for run in runs]
        seconds = [run["seconds"] for run in runs]
        rate = sum(run["env_steps"] for run in runs) / sum(seconds)
        print(
            f"| {name} | {sum(run['solved'] for run in runs)}/{len(runs)} | "
            f"{np.median(generations):g}, {max(generations)} | "
            f"{np.median(seconds):.2f}, {max(seconds):.2f} | {rate:,.0f} |"
        )


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.seeds = [128], 1, 2
    evotorch = evotorch_version(args.evotorch_python)
    pythons = {name: sys.executable for name in [*RATES, *SOLVERS]}
    for name in pythons:
        if "EvoTorch" in name:
            pythons[name] = args.evotorch_python
    skipped = set() if evotorch else {name for name in pythons if "EvoTorch" in name}
    if skipped:
        print(f"EvoTorch is not installed for {args.evotorch_python}: see --help\n")
    gymnasium = importlib.metadata.version("gymnasium")

    print(
        f"{ENV}, 4-{HIDDEN}-2 networks, one episode each; gymnasium {gymnasium}, "
        f"EvoTorch {evotorch or '(missing)'}; each contender in a process of its own, "
        f"best of {args.repeats} rounds\n"
    )
    print("| population | P | contender | env-steps/s | steps timed | gone.gym is faster by |")
    print("|---|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        rates(args, pythons, skipped, folder)

    print(
        f"\nTime to solve {ENV}: P = {SOLVE_POPULATION}, at most {SOLVE_GENERATIONS} generations, "
        f"solved = the fittest network's mean over {CHECK_EPISODES} fresh episodes >= "
        f"{THRESHOLD:g}; seeds 0-{args.seeds - 1}\n"
    )
    print(
        "| contender | solved | generations (median, max) | seconds (median, max) | env-steps/s |"
    )
    print("|---|---:|---:|---:|---:|")
    solves(args, pythons, skipped)
    print(
        "\n'gone.gym is faster by' is gone.gym's rate over the contender's: 10.00x means ten times "
        "the steps per second. Env-steps/s while solving counts every episode step played, the "
        "checks included."
    )


if __name__ == "__main__":
    main()
