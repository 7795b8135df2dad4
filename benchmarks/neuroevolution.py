"""Neuroevolution speed: generations per second on a flappy-like control task, side by side.

Every contender evolves 5-8-1 controllers (tanh hidden layer, sigmoid output: flap when > 0.5) by
the same recipe, tournament selection (3), uniform crossover, mutation of 10 % of the genes, one
elite, on the same task, and is timed per generation (fitness evaluation + breeding):

- gone: `gone.Population` with a vectorized fitness, driven by `gone.evolve`;
- naive loop: a list of gone networks, one `net.predict` per bird per frame and one
  crossover/mutation call per child, as a straight port of the Go library would do. It is slow,
  so its frames are timed on a short run and scaled to the full run (said in the table);
- stacked numpy: a minimal hand-written reference, weights stacked (N, next, current) per layer,
  one np.matmul per layer per frame, and a hand-written vectorized GA step;
- PyGAD: `pygad.GA` with a whole-population fitness function (`fitness_batch_size` = N) that runs
  the same stacked simulation; PyGAD's own selection, crossover and mutation are what differ
  (its "random" mutation adds uniform noise in [-0.5, 0.5]; it caches the elite's fitness, so it
  evaluates N - 1 birds a generation where the others evaluate N).

Each contender runs 3 times, interleaved, and its fastest generation is reported (on a shared
machine the fastest is the least disturbed); "fitness ms" is the time inside the fitness function,
"GA step ms" the rest of the generation: selection, crossover, mutation and bookkeeping.

The task: a point mass under gravity that flaps up (velocity set, not added) and must stay inside a
gap that moves from pipe to pipe, T = 1000 frames, every bird simulated every frame (dead birds
frozen by an alive mask), so the work per generation does not depend on how good the birds are.
Fitness: frames survived, minus the distance to the gap centre at the end.

    python -m benchmarks.neuroevolution            # N = 100 and N = 1000
    python -m benchmarks.neuroevolution --quick    # fewer generations timed
"""

import argparse
import time
from dataclasses import dataclass

import numpy as np

import gone
from gone.genetic import GaussianMutation, Population, Tournament, UniformCrossover, evolve

FRAMES = 1000
LAYERS = [gone.Layer(5), gone.Layer(8, gone.Tanh()), gone.Layer(1, gone.Sigmoid())]
SHAPES = [(8, 5), (1, 8)]  # (next, current) per weight layer
MUTATION_RATE, MUTATION_STDDEV = 0.1, 0.5

# ---- the task ------------------------------------------------------------------------------------

GRAVITY = 0.0025  # height units per frame^2; the world is 1 high, y = 0 the floor
FLAP_VELOCITY = 0.03  # a flap sets vy to this (up)
PIPE_EVERY = 60  # frames between pipes
PIPE_FRAMES = 8  # frames a pipe spends over the bird: the bird must be in the gap then
HALF_GAP = 0.12


class Course:
    """The moving gap, precomputed per frame: the same course for every contender."""

    def __init__(self, frames: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        t = np.arange(frames)
        pipe = t // PIPE_EVERY  # (T,) index of the next pipe
        centres = rng.uniform(0.25, 0.75, size=pipe.max() + 1)
        self.centre = centres[pipe]  # (T,)
        self.to_pipe = (PIPE_EVERY - t % PIPE_EVERY) / PIPE_EVERY  # (T,) in (0, 1]
        self.in_pipe = t % PIPE_EVERY >= PIPE_EVERY - PIPE_FRAMES  # (T,)
        self.frames = frames


def simulate(controller, n_birds: int, course: Course, frames: int | None = None) -> np.ndarray:
    """Fly n_birds with `controller(observations (N, 5)) -> flap (N,) bool`; return fitness (N,)."""
    frames = course.frames if frames is None else frames
    y = np.full(n_birds, 0.5)  # (N,)
    vy = np.zeros(n_birds)  # (N,)
    alive = np.ones(n_birds, dtype=bool)  # (N,)
    survived = np.zeros(n_birds)  # (N,)
    observations = np.empty((n_birds, 5))  # (N, 5)
    for t in range(frames):
        centre = course.centre[t]
        observations[:, 0] = y
        observations[:, 1] = vy * 10
        observations[:, 2] = course.to_pipe[t]
        observations[:, 3] = centre + HALF_GAP
        observations[:, 4] = centre - HALF_GAP
        flap = controller(observations)  # (N,) bool
        vy = np.where(flap, FLAP_VELOCITY, vy - GRAVITY)
        y = np.where(alive, y + vy, y)
        crashed = (y < 0) | (y > 1)
        if course.in_pipe[t]:
            crashed |= np.abs(y - centre) > HALF_GAP
        alive &= ~crashed
        survived += alive
    return survived - np.abs(y - course.centre[frames - 1])


# ---- timing ----------------------------------------------------------------------------------------


@dataclass
class Timing:
    """One generation of a contender: all of it, and the part spent in the fitness function."""

    seconds: float
    fitness_seconds: float

    @property
    def breeding_seconds(self) -> float:
        return self.seconds - self.fitness_seconds


def fastest(stamps, fitness_seconds) -> Timing:
    """The fastest generation of a run: generation k takes stamps[k] - stamps[k-1] and spends
    fitness_seconds[k] of it evaluating. The fastest is the one least disturbed by the machine."""
    timings = [Timing(b - a, f) for a, b, f in zip(stamps, stamps[1:], fitness_seconds[1:])]
    return min(timings, key=lambda t: t.seconds)


# ---- gone ------------------------------------------------------------------------------------------


def run_gone(n_birds, generations, course, dtype=np.float64) -> Timing:
    """gone.evolve on a gone.Population with a vectorized fitness."""
    population = Population(LAYERS, n_birds, seed=0, dtype=dtype)
    fitness_seconds, stamps = [], []

    def fitness(population):
        start = time.perf_counter()
        result = simulate(lambda obs: population.predict(obs)[:, 0] > 0.5, n_birds, course)
        fitness_seconds.append(time.perf_counter() - start)
        return result

    time.sleep(0.5)
    evolve(
        fitness,
        population,
        generations,
        vectorized=True,
        selection=Tournament(3),
        crossover=UniformCrossover(),
        mutation=GaussianMutation(MUTATION_RATE, MUTATION_STDDEV),
        elite=1,
        on_generation=lambda record: stamps.append(time.perf_counter()),
    )
    return fastest(stamps, fitness_seconds)


# ---- naive loop over networks -----------------------------------------------------------------


def run_naive(n_birds, frames, course) -> Timing:
    """A loop over gone networks; its frames are timed on a run of `frames` and scaled up."""
    rng = np.random.default_rng(0)
    nets = [gone.NeuralNetwork(LAYERS, seed=rng) for _ in range(n_birds)]

    def controller(observations):
        return np.array(
            [net.predict(o)[0] > 0.5 for net, o in zip(nets, observations, strict=True)]
        )

    time.sleep(0.5)
    start = time.perf_counter()
    fitness = simulate(controller, n_birds, course, frames)
    fitness_seconds = (time.perf_counter() - start) * course.frames / frames

    mutation = GaussianMutation(MUTATION_RATE, MUTATION_STDDEV)
    time.sleep(0.5)
    start = time.perf_counter()
    best = int(np.argmax(fitness))
    children = [nets[best].copy()]
    while len(children) < n_birds:
        a, b = (max(rng.integers(0, n_birds, 3), key=lambda i: fitness[i]) for _ in range(2))
        child = nets[a].crossover(nets[b], seed=rng, method="uniform")
        children.append(child.mutate(mutation, seed=rng))
    breeding_seconds = time.perf_counter() - start
    return Timing(fitness_seconds + breeding_seconds, fitness_seconds)


# ---- minimal stacked numpy reference ----------------------------------------------------------


def stacked_controller(W1, b1, W2, b2):
    """The 5-8-1 forward pass over stacks, written out by hand."""

    def controller(observations):
        H = np.tanh(W1 @ observations[:, :, None] + b1)  # (N, 8, 1)
        out = 1 / (1 + np.exp(-(W2 @ H + b2)))  # (N, 1, 1)
        return out[:, 0, 0] > 0.5

    return controller


def run_stacked(n_birds, generations, course) -> Timing:
    """A hand-written stacked GA: one array operation per parameter stack per step."""
    rng = np.random.default_rng(0)
    params = [rng.uniform(-1, 1, (n_birds, *shape)) for shape in SHAPES]  # W1, W2
    params += [rng.uniform(-1, 1, (n_birds, shape[0], 1)) for shape in SHAPES]  # b1, b2
    fitness_seconds, stamps = [], []
    fitness = None
    time.sleep(0.5)
    for generation in range(generations + 1):
        if generation:
            # One elite, then tournament(3) parents, uniform crossover, gaussian mutation.
            elite = int(np.argmax(fitness))
            contestants = rng.integers(0, n_birds, (2 * (n_birds - 1), 3))
            parents = contestants[np.arange(len(contestants)), fitness[contestants].argmax(1)]
            first, second = parents[: n_birds - 1], parents[n_birds - 1 :]
            new = []
            for p in params:
                child = np.where(rng.random(p[first].shape) < 0.5, p[first], p[second])
                child += (rng.random(child.shape) < MUTATION_RATE) * rng.normal(
                    0, MUTATION_STDDEV, child.shape
                )
                new.append(np.concatenate([p[elite : elite + 1], child]))
            params = new
        start = time.perf_counter()
        W1, W2, b1, b2 = params
        fitness = simulate(stacked_controller(W1, b1, W2, b2), n_birds, course)
        fitness_seconds.append(time.perf_counter() - start)
        stamps.append(time.perf_counter())
    return fastest(stamps, fitness_seconds)


# ---- PyGAD ---------------------------------------------------------------------------------------


def run_pygad(n_birds, generations, course) -> Timing:
    """pygad.GA with a whole-population fitness function running the stacked simulation."""
    import pygad

    n_w1, n_b1, n_w2 = 8 * 5, 8, 8
    fitness_seconds, stamps = [], []

    def fitness_func(ga, solutions, indices):
        start = time.perf_counter()
        genes = np.asarray(solutions, dtype=float)  # (N, 57)
        N = len(genes)
        W1 = genes[:, :n_w1].reshape(N, 8, 5)
        b1 = genes[:, n_w1 : n_w1 + n_b1].reshape(N, 8, 1)
        W2 = genes[:, n_w1 + n_b1 : n_w1 + n_b1 + n_w2].reshape(N, 1, 8)
        b2 = genes[:, -1:].reshape(N, 1, 1)
        result = simulate(stacked_controller(W1, b1, W2, b2), N, course)
        fitness_seconds.append(time.perf_counter() - start)
        return result

    ga = pygad.GA(
        num_generations=generations,
        num_parents_mating=n_birds,
        fitness_func=fitness_func,
        fitness_batch_size=n_birds,
        sol_per_pop=n_birds,
        num_genes=57,
        init_range_low=-1,
        init_range_high=1,
        parent_selection_type="tournament",
        K_tournament=3,
        keep_elitism=1,
        crossover_type="uniform",
        mutation_type="random",
        mutation_probability=MUTATION_RATE,
        random_mutation_min_val=-MUTATION_STDDEV,
        random_mutation_max_val=MUTATION_STDDEV,
        random_seed=0,
        suppress_warnings=True,
        on_generation=lambda ga: stamps.append(time.perf_counter()),
    )
    time.sleep(0.5)
    ga.run()
    # PyGAD evaluates the initial population before its first on_generation call: stamps[j]
    # follows the evaluation fitness_seconds[j + 1].
    return fastest(stamps, fitness_seconds[1:])


# ---- the table -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100, 1000],
        help="population sizes (default: 100 1000)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=1.0,
        help="about how long each timed run evolves, at least 3 generations (default: %(default)s)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed runs per contender (default: %(default)s)"
    )
    parser.add_argument("--quick", action="store_true", help="short runs, one round (default: off)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.quick:
        args.seconds, args.rounds = 0.2, 1
    course = Course(FRAMES)

    contenders = {
        "gone": run_gone,
        "gone float32": lambda n, g, c: run_gone(n, g, c, np.float32),
        "stacked numpy": run_stacked,
    }
    try:
        import pygad

        contenders[f"PyGAD {pygad.__version__}"] = run_pygad
    except ImportError:
        print("PyGAD not installed: pip install pygad to compare")

    rows, results = [], {}
    for n in args.sizes:
        naive_frames = max(10, 20_000 // n)
        # A generation takes roughly 15 ms + 80 us per bird: enough of them to fill the time.
        generations = max(3, int(args.seconds / (0.015 + 8e-5 * n)))
        results["naive loop", n] = run_naive(n, naive_frames, course)
        # Rounds interleave the contenders, so a busy moment of the machine hits all of them.
        for _ in range(args.rounds):
            for name, run in contenders.items():
                timing = run(n, generations, course)
                if (name, n) not in results or timing.seconds < results[name, n].seconds:
                    results[name, n] = timing
        naive = results["naive loop", n].seconds
        for name in ["gone", "gone float32", "naive loop", *list(contenders)[2:]]:
            timing = results[name, n]
            label = f"naive loop ({naive_frames} frames, scaled)" if name == "naive loop" else name
            rows.append(
                f"| {label} | {n} | {1 / timing.seconds:.2f} | {timing.seconds * 1e3:.1f} | "
                f"{timing.fitness_seconds * 1e3:.1f} | {timing.breeding_seconds * 1e3:.1f} | "
                f"{naive / timing.seconds:.1f}x |"
            )

    print(
        f"\nflappy-like task, T = {FRAMES} frames, networks 5-8-1 (tanh, sigmoid), float64 unless "
        f"said; the fastest generation of {args.rounds} runs per contender\n"
    )
    print("| contender | N | generations/s | ms/generation | fitness ms | GA step ms | vs naive |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    for n in args.sizes:
        gone_s = results["gone", n].seconds
        line = (
            f"N = {n}: gone is {results['naive loop', n].seconds / gone_s:.0f}x the naive loop, "
            f"{results['stacked numpy', n].seconds / gone_s:.2f}x the stacked reference"
        )
        pygad = [t for (name, size), t in results.items() if name.startswith("PyGAD") and size == n]
        if pygad:
            line += f", {pygad[0].seconds / gone_s:.2f}x PyGAD"
        print(line)


if __name__ == "__main__":
    main()
