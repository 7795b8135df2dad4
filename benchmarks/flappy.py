"""Flappy Bird speed: bird-frames per second, the whole flock at once against one bird at a time.

A bird-frame is one bird deciding and moving for one frame: its observation, its network's
forward pass, the flap decision and the physics (motion, collisions, score). Two ways to fly N
birds over the same course:

- stacked (the example's way): a `Flight` moves all N birds as numpy arrays (`FlappyWorld.step`)
  and one `Population.predict` call decides all of them, (N, 5) -> (N, 1): one einsum per layer;
- one at a time (a straight port of the Go library or of most Flappy Bird tutorials): a list of
  gone networks and a loop over the birds, each frame one `net.predict` and scalar physics per
  bird. It is slow, so it is timed on fewer frames and reported per bird-frame (the scaled
  column says how long the stacked run's frames would take it).

The flock: N copies of the committed champion with small random changes (so they differ but
nearly all keep flying: a loop over birds skips the dead ones, and all must do the same work).
Both ways give the same scores on the frames they both fly (checked, and said in the table).

The dead-bird cost: the same flock with a share of its birds crashed at the start, flown by the
Flight (which asks only the networks of birds in the air) and by a loop that asks every bird's
network every frame, as the Flight did before; per frame, and per crashed bird.

Also measured: the window's frame rate with 500 birds all flying (the App's update, draw and
flip phases, no frame cap, SDL's dummy video driver: the flip to a real screen is not counted).

Each timed run is preceded by a 0.5 s pause and repeated; the table gives the median of the
runs and their range.

    python -m benchmarks.flappy               # N = 1000 and 10000, 500 birds in the window
    python -m benchmarks.flappy --quick
"""

import argparse
import os
import time
from functools import partial

import numpy as np

import gone
from benchmarks.side_by_side import spread
from examples.flappy.cli import CHAMPION
from examples.flappy.evolve import FLAP_THRESHOLD, Evolution, Flight, Settings
from examples.flappy.physics import FlappyWorld
from gone.genetic import Population

COURSE = 0
NOISE = 0.02  # stddev of the changes to the champion's weights


def flock(n: int, dtype=np.float64, noise: float = NOISE) -> Population:
    """N copies of the champion, each weight changed by N(0, noise²)."""
    champion = gone.load(CHAMPION)
    rng = np.random.default_rng(0)
    weights = [W + rng.normal(0, noise, (n, *W.shape)) for W in champion.parameters()[0::2]]
    biases = [b + rng.normal(0, noise, (n, *b.shape)) for b in champion.parameters()[1::2]]
    return Population.from_parameters(champion.layers, weights, biases, dtype=dtype)


# ---- the whole flock at once -----------------------------------------------------------------


def fly_stacked(population: Population, frames: int, crashed: float = 0.0) -> FlappyWorld:
    """The example's way: a Flight, one observations call, one predict, one step per frame.

    A share `crashed` of the birds (the first ones) has crashed before the first frame."""
    flight = Flight(population, course=COURSE)
    flight.world.alive[: round(crashed * population.size)] = False
    for _ in range(frames):
        flight.step()
    return flight.world


def fly_everyone(population: Population, frames: int, crashed: float = 0.0) -> FlappyWorld:
    """As the Flight flew before it left crashed birds out: every network asked every frame."""
    world = FlappyWorld(population.size, seed=COURSE)
    world.alive[: round(crashed * population.size)] = False
    miss = np.zeros(population.size)  # (N,) as the Flight keeps it
    for _ in range(frames):
        o = world.observations()  # (N, 5)
        flap = population.predict(o)[:, 0] > FLAP_THRESHOLD  # (N,)
        np.copyto(miss, np.abs(o[:, 0] - (o[:, 3] + o[:, 4]) / 2), where=world.alive)
        world.step(flap)
    return world


# ---- one bird at a time ----------------------------------------------------------------------


class Bird:
    """One bird as a straight port keeps it: Python floats and its own network."""

    def __init__(self, network: gone.NeuralNetwork, start_y: float):
        self.network = network
        self.y, self.velocity = start_y, 0.0
        self.alive, self.score, self.frames = True, 0, 0


def fly_one_at_a_time(networks, frames: int) -> list[Bird]:
    """A loop over birds: per bird per frame one net.predict and scalar physics.

    The pipes scroll once a frame for everyone (a FlappyWorld with no bird flying, so the course
    is the stacked run's); everything about a bird is computed for that bird alone.
    """
    course = FlappyWorld(1, seed=COURSE)
    course.alive[:] = False
    r = course.rules
    birds = [Bird(net, r.start_y) for net in networks]
    half_w, half_h = r.bird_width / 2, r.bird_height / 2
    left, right = r.bird_x - half_w, r.bird_x + half_w
    no_flap = np.zeros(1, dtype=bool)
    for _ in range(frames):
        i = course.next_pipe_index()  # what the birds see, before the pipes move
        dx = (course.pipe_x[i] - r.bird_x) / r.width
        top = 2 * course.gap_top[i] / r.floor_y - 1
        bottom = 2 * course.gap_bottom[i] / r.floor_y - 1
        course.step(no_flap)  # the pipes scroll
        pipes = list(
            zip(course.pipe_x.tolist(), course.gap_top.tolist(), course.gap_bottom.tolist())
        )
        passed = course.pipes_passed
        for bird in birds:
            if not bird.alive:
                continue
            seen = [2 * bird.y / r.floor_y - 1, bird.velocity / r.max_fall_speed, dx, top, bottom]
            if bird.network.predict(seen)[0] > FLAP_THRESHOLD:
                bird.velocity = r.flap_velocity
            else:
                bird.velocity = min(bird.velocity + r.gravity, r.max_fall_speed)
            bird.y += bird.velocity
            crashed = bird.y - half_h < 0 or bird.y + half_h > r.floor_y
            for x, gap_top, gap_bottom in pipes:
                if x < right and x + r.pipe_width > left:
                    crashed |= bird.y - half_h < gap_top or bird.y + half_h > gap_bottom
            if crashed:
                bird.alive = False
            else:
                bird.score = passed
                bird.frames += 1
    return birds


def same_flights(n: int, frames: int) -> tuple[bool, int, int]:
    """Fly a mixed flock both ways; (same scores and crashes, birds crashed, best score).

    Larger changes to the champion make a flock where some birds crash and some pass pipes,
    so the comparison sees both."""
    population = flock(n, noise=0.1)
    world = fly_stacked(population, frames)
    birds = fly_one_at_a_time(list(population), frames)
    same = np.array_equal(world.score, [b.score for b in birds]) and np.array_equal(
        world.alive, [b.alive for b in birds]
    )
    same = same and np.array_equal(world.frames, [b.frames for b in birds])
    return same, n - world.n_alive, int(world.score.max())


# ---- timing ----------------------------------------------------------------------------------


def timed(run, rounds: int) -> tuple[np.ndarray, object]:
    """`rounds` runs of `run()`, each after a 0.5 s pause; (seconds of each, the last result)."""
    seconds, result = [], None
    for _ in range(rounds):
        time.sleep(0.5)
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return np.array(seconds), result


def window_fps(n_birds: int, frames: int, rounds: int) -> tuple[np.ndarray, int]:
    """Frames per second of the App (update, draw, flip) with n_birds flying, one per round;
    (fps of each round, birds alive at the end)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # pygame greets on import, mid-table
    import pygame

    from examples.flappy.app import App, open_window

    screen, renderer = open_window()
    fps, alive = [], 0
    for _ in range(rounds):
        evolution = Evolution(Settings(target_score=None), population=flock(n_birds))
        app = App(evolution, screen, renderer, "unused.gone", fps=0)  # fps 0: no frame cap
        app.run(max_frames=10)  # the panel's edges and the text are drawn once, then cached
        time.sleep(0.5)
        start = time.perf_counter()
        app.run(max_frames=10 + frames)
        fps.append(frames / (time.perf_counter() - start))
        alive = evolution.flight.world.n_alive
    pygame.display.quit()
    return np.array(fps), alive


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="flock sizes (default: 1000 10000)",
    )
    parser.add_argument(
        "--crashed",
        type=float,
        nargs="+",
        default=[0.5, 0.9, 0.99],
        help="shares of crashed birds in the dead-bird runs (default: 0.5 0.9 0.99)",
    )
    parser.add_argument(
        "--frames", type=int, default=2000, help="frames of the stacked runs (default: %(default)s)"
    )
    parser.add_argument(
        "--loop-frames", type=int, default=50, help="frames of the loop runs (default: %(default)s)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed runs of each (default: %(default)s)",
    )
    parser.add_argument(
        "--window-birds",
        type=int,
        default=500,
        help="birds in the window run (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="short runs, one round (default: off)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.quick:
        args.frames, args.loop_frames, args.rounds = 300, 10, 1
    load_before = os.getloadavg()

    rows, dead_rows = [], []
    for n in args.sizes:
        population = flock(n)
        networks = list(population)
        stacked = {}
        for label, pop in (("float64", population), ("float32", flock(n, np.float32))):
            stacked[label] = timed(lambda pop=pop: fly_stacked(pop, args.frames), args.rounds)
        loop_seconds, birds = timed(
            lambda networks=networks: fly_one_at_a_time(networks, args.loop_frames),
            max(1, args.rounds - 1),
        )
        loop_rate = n * args.loop_frames / np.median(loop_seconds)
        for label, (seconds, world) in stacked.items():
            rates = n * args.frames / seconds
            rows.append(
                f"| stacked, {label} | {n} | {args.frames} | {spread(np.multiply(seconds, 1e3), '.0f')} | "
                f"{np.median(seconds) / args.frames * 1e6:.1f} | {spread(np.multiply(rates, 1e-6), '.2f')} M | "
                f"{world.n_alive} | {np.median(rates) / loop_rate:.0f}x |"
            )
        scaled = np.median(loop_seconds) * args.frames / args.loop_frames
        rows.append(
            f"| one at a time ({args.loop_frames} frames, scaled) | {n} | {args.frames} | "
            f"{scaled * 1e3:.0f} | {np.median(loop_seconds) / args.loop_frames * 1e6:.0f} | "
            f"{loop_rate / 1e6:.3f} M | {sum(b.alive for b in birds)} | 1x |"
        )
        # The dead-bird cost: the flock with some crashed, both ways, and its flying birds alone.
        for crashed in args.crashed:
            dead = round(crashed * n)
            alone = population.take(np.arange(dead, n))  # the same flying birds, none crashed
            ways = {
                "everyone": partial(fly_everyone, population, args.frames, crashed),
                "flight": partial(fly_stacked, population, args.frames, crashed),
                "alone": partial(fly_stacked, alone, args.frames),
            }
            times = {way: [] for way in ways}
            for _ in range(args.rounds):  # side by side in every round
                for way, fly in ways.items():
                    times[way].append(timed(fly, 1)[0][0] / args.frames)
            median = {way: np.median(t) for way, t in times.items()}
            us = {way: spread(np.multiply(t, 1e6), ".1f") for way, t in times.items()}
            dead_rows.append(
                f"| {n} | {dead} | {us['everyone']} | {us['flight']} | {us['alone']} | "
                f"{median['everyone'] / median['flight']:.2f}x | "
                f"{(median['everyone'] - median['alone']) / dead * 1e9:.0f} | "
                f"{(median['flight'] - median['alone']) / dead * 1e9:.0f} |"
            )

    print(
        f"\nFlappy Bird, networks 5-8-1 (tanh, sigmoid), the champion's flock on course {COURSE}; "
        f"median of {args.rounds} runs (range); load average {load_before[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after, {os.cpu_count()} cores\n"
    )
    print("| way | N | frames | ms | us/frame | bird-frames/s | alive at end | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(
        "\nthe dead-bird cost: us per frame of the flock with some birds crashed from the start, "
        "flown asking every bird's network and by the Flight (only the birds in the air), and of "
        "its flying birds alone; a crashed bird costs the difference to the last, per crashed "
        "bird, in ns per frame\n"
    )
    print(
        "| N | crashed | every bird asked | the Flight | flying birds alone | speed-up | "
        "crashed bird, every bird asked | crashed bird, the Flight |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(dead_rows))
    same, crashed, best = same_flights(200, 300)
    print(
        f"\nboth ways fly the same: {same} (200 birds of a noisier flock, 300 frames, "
        f"{crashed} crashed, best score {best}: equal scores, crashes and frames survived)"
    )

    fps, alive = window_fps(args.window_birds, 120 if args.quick else 600, args.rounds)
    print(
        f"\nwindow: {spread(fps, '.0f')} frames/s with {args.window_birds} birds "
        f"({alive} still flying at the end), SDL dummy video driver, no frame cap\n"
    )


if __name__ == "__main__":
    main()
