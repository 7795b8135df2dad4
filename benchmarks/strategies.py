"""Strategies on Flappy Bird, and what sharding a generation costs: the README's two tables.

1. Flappy Bird, 5-8-1 networks (tanh, sigmoid), as examples/flappy evolves them: each generation
   flies a fresh course (`course_seed(seed, generation)`) until every bird crashed or one passed
   100 pipes; fitness is frames survived less the last miss. For seeds 0 .. n-1 every strategy
   runs until a bird first passes 100 pipes (or a generation cap), through the ask/tell loop:
   - GA: `gone.GeneticAlgorithm` with the example's settings (200 birds, tournaments of 10, 5
     elite, 10 % of the genes mutated by N(0, 0.5^2), no crossover);
   - OpenAI-ES: `gone.OpenAIES`, 200 birds (100 mirrored pairs), sigma 0.5, learning rate 0.1
     (sigma 0.1 and 0.3 stalled on some seeds: when every bird of a generation crashes on the same
     frame, only the miss term ranks them, and small samples all crash alike);
   - CMA-ES: `gone.CMAES` (pycma), sigma 0.5, with pycma's default population (16 for the 57
     genes) and with 200, the GA's.
   Reported: the generation at which a bird passed 100 pipes (generation 0 is the first,
   random, flock), seconds (flights and the strategy's own work), bird-frames flown; median and
   min-max over the seeds, and how many seeds reached it within the cap.

2. Sharding: one generation's fitness, a fixed-length flight (T = 1000 frames, no early end, so
   every bird's fitness is its own), for P birds (the committed champion with N(0, 0.02^2)
   changes to its weights), evaluated as one call here, as 2 shards one after the other here, and
   as 2 shards on 2 workers: a ProcessPoolExecutor and a Dask LocalCluster of 2 worker processes
   over TCP loopback (`client.get_executor()`), by default and with glibc's mmap threshold
   raised in the workers (see DASK_MALLOC). Each way is checked to give the same fitness bit for
   bit; the fastest of a few timed runs after a warm-up is reported, and what a shard ships. A
   first row times the round trip alone: 4 birds flying 1 frame.

numpy's BLAS is held to one thread (OPENBLAS_NUM_THREADS=1, set before numpy is imported): on the
2 shared cores pycma's eigendecompositions of a 57 x 57 matrix took 10x longer threaded.

    python -m benchmarks.strategies               # 10 seeds; shards for P = 200, 2000, 20000
    python -m benchmarks.strategies --quick       # 3 seeds; P = 200 and 2000
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

import gone  # noqa: E402
from benchmarks import side_by_side  # noqa: E402
from benchmarks.flappy import flock  # noqa: E402
from examples.flappy.evolve import Flight, course_seed, network_layers  # noqa: E402
from gone.genetic import GaussianMutation, Population, Tournament  # noqa: E402
from gone.genetic.shards import evaluate_in_shards, split  # noqa: E402

TARGET_PIPES = 100


# ---- 1. Flappy Bird: generations and seconds to 100 pipes ----------------------------------------


def strategies() -> dict:
    """name -> a function of the seed making the strategy."""
    layers = network_layers(8)
    return {
        "GA (200 birds)": lambda seed: gone.GeneticAlgorithm(
            layers,
            200,
            selection=Tournament(10),
            crossover=None,
            mutation=GaussianMutation(0.1, 0.5),
            elite=5,
            seed=seed,
        ),
        "OpenAI-ES (200)": lambda seed: gone.OpenAIES(
            layers, 200, sigma=0.5, learning_rate=0.1, seed=seed
        ),
        "CMA-ES (16, pycma's default)": lambda seed: gone.CMAES(layers, sigma=0.5, seed=seed),
        "CMA-ES (200)": lambda seed: gone.CMAES(layers, 200, sigma=0.5, seed=seed),
    }


@dataclass
class Race:
    """One strategy from one seed, flown until a bird passes 100 pipes."""

    generation: int | None  # the generation that did it, None if none within the cap
    seconds: float
    bird_frames: int


def race(strategy, seed: int, max_generations: int) -> Race:
    """The ask/tell loop of examples/flappy: fly each generation on its own course."""
    started, bird_frames = time.perf_counter(), 0
    for _ in range(max_generations):
        population = strategy.ask()
        course = course_seed(seed, population.generation)
        flight = Flight(population, course, target_score=TARGET_PIPES).run()
        strategy.tell(flight.fitness())
        bird_frames += int(flight.world.frames.sum())
        if flight.world.score.max() >= TARGET_PIPES:
            return Race(population.generation, time.perf_counter() - started, bird_frames)
    return Race(None, time.perf_counter() - started, bird_frames)


def spread(values) -> str:
    """median (min-max)."""
    if not values:
        return "-"
    whole = all(float(v).is_integer() for v in values)
    return side_by_side.spread(values, "g" if whole else ".2f")


def flappy_table(seeds: int, max_generations: int) -> list[str]:
    rows = [
        "| strategy | reached 100 pipes | generations | seconds | bird-frames (millions) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, make in strategies().items():
        races = [race(make(seed), seed, max_generations) for seed in range(seeds)]
        done = [r for r in races if r.generation is not None]
        rows.append(
            f"| {name} | {len(done)} of {seeds} | {spread([r.generation for r in done])} | "
            f"{spread([r.seconds for r in done])} | "
            f"{spread([r.bird_frames / 1e6 for r in done])} |"
        )
        print(f"  {name}: generations {[r.generation for r in races]}", flush=True)
    return rows


# ---- 2. sharding a generation -------------------------------------------------------------------


@dataclass(frozen=True)
class FixedFlight:
    """A shardable Flappy fitness: every bird flies the same course for `frames` frames at most,
    and no bird's result ends anyone else's flight (no target score)."""

    frames: int = 1000
    course: int = 0

    def __call__(self, population: Population) -> np.ndarray:
        return Flight(population, self.course, max_frames=self.frames).run().fitness()


def timed(evaluate, rounds: int) -> tuple[float, np.ndarray]:
    """(the fastest of `rounds` runs after one warm-up, in seconds; the last run's fitness).

    The fastest, not the median: the 2 cores are shared, and the other processes' bursts only
    ever add time."""
    fitness = evaluate()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fitness = evaluate()
        times.append(time.perf_counter() - started)
    return min(times), fitness


#: What glibc needs in a Dask worker: the nanny sets MALLOC_TRIM_THRESHOLD_=65536 (to hand
#: memory back to the system), which also stops glibc from raising its mmap threshold, so every
#: temporary array above 128 kB is mapped and unmapped again, page faults each time: the flight
#: ran 1.7x slower in a worker. A 16 MiB mmap threshold keeps such arrays on the heap.
DASK_MALLOC = {"distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": 16 * 2**20}


@contextlib.contextmanager
def dask_executor(tuned: bool):
    """A Dask LocalCluster of 2 worker processes (1 thread each) over TCP loopback, as an
    Executor; `tuned`: with DASK_MALLOC in the workers' environment."""
    import dask
    import distributed  # the dev extra's

    with (
        dask.config.set(DASK_MALLOC if tuned else {}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client.get_executor(pure=False)  # pure=True would reuse the warm-up's results


def shards_table(sizes: list[int], frames: int, rounds: int) -> list[str]:
    fitness = FixedFlight(frames)
    populations = {size: flock(size) for size in sizes}
    seconds = {size: {} for size in [0, *sizes]}

    def measure(name, executor, shards):
        for size, population in populations.items():
            fly = FixedFlight(1) if size == 0 else fitness  # size 0: the round trip row
            whole = fly(population)
            took, values = timed(
                lambda p=population, fly=fly: (
                    evaluate_in_shards(fly, p, shards, executor) if shards else fly(p)
                ),
                max(rounds, 20) if size == 0 else rounds,  # the round trip is cheap: time it often
            )
            if not np.array_equal(values, whole):
                raise AssertionError(f"{name}: the sharded fitness differs from one call's")
            seconds[size][name] = took
        print(f"  {name}: done", flush=True)

    # The round trip alone: 4 birds, 1 frame, so that only the shipping and the tasks cost.
    populations[0] = flock(4)

    measure("one call", None, 0)
    measure("2 shards here", None, 2)
    with ProcessPoolExecutor(max_workers=2) as pool:
        measure("process pool, 2 workers", pool, 2)
    for tuned, name in ((False, "Dask, 2 workers"), (True, "Dask, 2 workers, malloc tuned")):
        with dask_executor(tuned) as executor:
            measure(name, executor, 2)
    names = list(seconds[0])
    rows = [
        f"| P | {' | '.join(names)} | shipped per shard |",
        f"| ---: | {' | '.join('---:' for _ in names)} | ---: |",
    ]
    for size in [0, *sizes]:
        base = seconds[size]["one call"]
        shipped = split(populations[size], 2)[0].genes.nbytes
        if size == 0:  # the round trip: milliseconds added, not a ratio
            cells = [f"{base * 1e3:.1f} ms"] + [
                f"{seconds[size][name] * 1e3:.1f} ms" for name in names[1:]
            ]
            rows.append(f"| 4 birds, 1 frame | {' | '.join(cells)} | {shipped} B |")
            continue
        cells = [f"{base * 1e3:.0f} ms"] + [
            f"{seconds[size][name] * 1e3:.0f} ms ({base / seconds[size][name]:.2f}x)"
            for name in names[1:]
        ]
        rows.append(f"| {size} | {' | '.join(cells)} | {shipped / 1e3:.0f} kB |")
    return rows


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeds", type=int, default=10, help="seeds 0 .. n-1 per strategy (default: %(default)s)"
    )
    parser.add_argument(
        "--max-generations",
        type=int,
        default=300,
        help="a seed that has not reached 100 pipes by then counts as not reached "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[200, 2000, 20000],
        help="flock sizes of the sharding runs (default: 200 2000 20000)",
    )
    parser.add_argument(
        "--frames", type=int, default=1000, help="frames of a sharded flight (default: %(default)s)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed sharding runs, fastest kept (default: %(default)s)",
    )
    parser.add_argument(
        "--only",
        choices=("flappy", "shards"),
        default=None,
        help="run one of the two parts (default: both)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 seeds, P = 200, 2000 (default: off)"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.quick:
        args.seeds, args.sizes, args.rounds = 3, [200, 2000], 2
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} cores, load average {load:.1f} at the start")
    if args.only in (None, "flappy"):
        print(f"\nFlappy Bird: seeds 0-{args.seeds - 1}, to {TARGET_PIPES} pipes ...")
        rows = flappy_table(args.seeds, args.max_generations)
        print(
            f"\nFlappy Bird, 5-8-1 networks, until a bird passes {TARGET_PIPES} pipes (a fresh "
            f"course each generation); median (min-max) over the seeds that did, within "
            f"{args.max_generations} generations\n"
        )
        print("\n".join(rows))
    if args.only in (None, "shards"):
        print(f"\nSharding: one generation's fixed {args.frames}-frame flight ...")
        rows = shards_table(args.sizes, args.frames, args.rounds)
        print(
            f"\nOne generation's fitness ({args.frames}-frame flight, champion's flock), fastest "
            f"of {args.rounds} runs after a warm-up; speed-up against one call in brackets; every "
            "way gives the same fitness bit for bit\n"
        )
        print("\n".join(rows))


if __name__ == "__main__":
    main()
