"""Flying birds with gone networks, headless: one generation's flight, the evolution, a replay.

Every frame the flock is decided by one `Population.predict` call, (P, 5) observations in,
(P, 1) outputs out, and a bird flaps when its output is > 0.5: there is no loop over birds. A
crashed bird costs no forward pass: once half of the birds flown have crashed, the flight takes
the ones still flying into a smaller population (`Population.take`) and asks only that.

The evolution (`Evolution`), one generation at a time:
1. fly: the generation's P birds fly a course of their own, fresh for every generation (seeded
   by the run's seed and the generation number) so that a champion has to generalise rather
   than learn one course by heart; the flight ends when every bird has crashed, when a bird
   reaches the target score, or at a frame cap;
2. score: fitness = frames survived - MISS_FRAMES * miss, where miss is how far the bird was
   from the centre of the gap it was heading for on its last frame alive, in observation units
   (0 in the centre, 1 when half the floor height away): of two birds that crash on the same
   frame, the one that nearly made it ranks first;
3. breed: `Population.next_generation` keeps the `elite` best birds as they are and fills the
   rest with mutated copies of tournament winners (no crossover by default: see `Settings`).

The window (app.py) and the command line (cli.py) both drive these classes, so a run in the
window and a headless run with the same seed breed the same birds.
"""

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import gone
from gone.genetic import GaussianMutation, Population, Tournament

from .physics import FlappyWorld, Rules

FLAP_THRESHOLD = 0.5  # a bird flaps when its network's output is above this
# Where a run saves a bird unless --out names a file; numbered (out/flappy-2.gone) when taken.
DEFAULT_OUT = Path("out") / "flappy.gone"
MISS_FRAMES = 5.0  # frames of fitness one unit of `miss` costs: a tie-breaker, never a pipe's worth
CROSSOVERS = ("none", "uniform", "single_point", "arithmetic")


def network_layers(hidden: int = 8) -> list[gone.Layer]:
    """The controller: 5 observations -> `hidden` tanh nodes -> 1 sigmoid output (flap if > 0.5)."""
    return [gone.Layer(5), gone.Layer(hidden, gone.Tanh()), gone.Layer(1, gone.Sigmoid())]


def course_seed(seed: int, generation: int, fresh: bool = True):
    """The seed of a generation's course: fresh from (seed, generation), or `seed` every time."""
    return np.random.default_rng([seed, generation]) if fresh else seed


@dataclass(frozen=True)
class Settings:
    """How a run evolves; the defaults reach 100 pipes in a few generations of 200 birds.

    Without crossover (mutation only, as in Such et al. 2017, "Deep Neuroevolution"), a bird
    of 200 passed 100 pipes at generation 5.5 (median over seeds 0-29, at most 11, about half a
    second); with uniform crossover and otherwise the same settings, at generation 10 (at most
    16): two parents rarely agree on which hidden node does what, so their mix flies worse.
    """

    population: int = 200
    hidden: int = 8
    seed: int = 0
    target_score: int | None = 100  # a generation ends when a bird passes this many pipes
    max_frames: int | None = None  # and at this many frames; None: no cap
    tournament: int = 10  # birds per tournament: a parent is the fittest of this many
    elite: int = 5  # the best birds carried over unchanged, best first
    mutation_rate: float = 0.1  # chance of each weight to be mutated
    mutation_stddev: float = 0.5  # the size of a mutation
    crossover: str = "none"  # or "uniform", "single_point", "arithmetic"
    fresh_courses: bool = True  # a new course every generation; False: the same one each time

    def __post_init__(self):
        """Reject settings that cannot run, naming the setting (SettingsError.field)."""
        for name, least in (("population", 1), ("hidden", 1), ("tournament", 1), ("elite", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise SettingsError(name, f"an int >= {least}", value)
        for name in ("target_score", "max_frames"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise SettingsError(name, "an int >= 1 or None", value)
        if self.elite > self.population:
            raise SettingsError("elite", f"at most population ({self.population})", self.elite)
        if self.crossover not in CROSSOVERS:
            raise SettingsError("crossover", f"one of {', '.join(CROSSOVERS)}", self.crossover)
        # GaussianMutation checks these too, but its message names its own parameters.
        if not 0.0 <= self.mutation_rate <= 1.0:
            raise SettingsError("mutation_rate", "a probability in [0, 1]", self.mutation_rate)
        if not (math.isfinite(self.mutation_stddev) and self.mutation_stddev >= 0):
            raise SettingsError("mutation_stddev", "a finite number >= 0", self.mutation_stddev)


class SettingsError(ValueError):
    """A setting that cannot run: "<field>: expected <expected>, got <value>".

    `field` names the Settings field, so that a command line can name its flag instead.
    """

    def __init__(self, field: str, expected: str, value):
        """Say which field, what it takes and what it got."""
        self.field, self.expected, self.value = field, expected, value
        super().__init__(f"{field}: expected {expected}, got {value!r}")


class Flight:
    """One flock in the air: a population of P birds flying one course, frame by frame.

    Parameters:
        population: the P networks; bird i is flown by network i.
        course: seed of the course (int or Generator).
        target_score: end the flight when the birds still flying have passed this many pipes.
        max_frames: end it after this many frames.
        rules: the game's constants.

    State: `world` (FlappyWorld), `observations` (P, 5) and `outputs` (P, 1) of the last frame
    (None before the first; a crashed bird keeps the output of a frame it flew), `miss` (P,)
    (see the module docstring).

    Example:
        >>> flight = Flight(population, course=7, target_score=50)
        >>> while not flight.finished:
        ...     flight.step()
        >>> flight.world.score.max(), flight.fitness()
    """

    def __init__(
        self,
        population: Population,
        course,
        target_score: int | None = None,
        max_frames: int | None = None,
        rules: Rules | None = None,
    ):
        """Put the population's birds at the start of the course."""
        if population.n_inputs != 5 or population.n_outputs != 1:
            sizes = f"{population.n_inputs} inputs and {population.n_outputs} outputs"
            raise ValueError(f"population: expected networks of 5 inputs and 1 output, got {sizes}")
        self.population = population
        self.world = FlappyWorld(population.size, seed=course, rules=rules)
        self.target_score = target_score
        self.max_frames = max_frames
        self.miss = np.zeros(population.size)  # (P,)
        self.observations = None
        self.outputs = None
        # The birds whose networks are asked each frame: all of them at first, then only those
        # still flying, taken into a smaller population whenever half of them have crashed
        # (a gather of their genes, about one frame's forward pass, at most log2(P) times).
        self._flown = np.arange(population.size)  # (F,) indices into the population
        self._flock = population  # the F birds' networks

    @property
    def finished(self) -> bool:
        """True once every bird crashed, a bird reached the target score or the frame cap hit."""
        world = self.world
        return (
            world.done
            or (self.target_score is not None and world.pipes_passed >= self.target_score)
            or (self.max_frames is not None and world.frame >= self.max_frames)
        )

    def step(self) -> None:
        """Fly one frame: the networks of the birds in the air decide at once, then the world moves."""
        world = self.world
        self.observations = world.observations()  # (P, 5)
        if 0 < world.n_alive <= len(self._flown) // 2:
            self._flown = np.flatnonzero(world.alive)  # (F,)
            self._flock = self.population.take(self._flown)
        if self._flock is self.population:
            self.outputs = self.population.predict(self.observations)  # (P, 1)
        else:
            if self.outputs is None:  # birds crashed before the first frame
                self.outputs = np.zeros((self.population.size, 1))  # (P, 1)
            # Gathered along the rows of the world's (5, P) array: (F, 5) with the birds last.
            seen = np.take(self.observations.T, self._flown, axis=1).T  # (F, 5)
            self.outputs[self._flown] = self._flock.predict(seen)  # (F, 1)
        flap = self.outputs[:, 0] > FLAP_THRESHOLD  # (P,): crashed birds ignore theirs
        # How far from the gap centre each bird is now, kept for the birds that crash this frame.
        o = self.observations
        np.copyto(self.miss, np.abs(o[:, 0] - (o[:, 3] + o[:, 4]) / 2), where=world.alive)
        world.step(flap)

    def run(self) -> "Flight":
        """Fly until the flight is finished; return self."""
        while not self.finished:
            self.step()
        return self

    def fitness(self) -> np.ndarray:
        """(P,) float: frames survived, less MISS_FRAMES per unit of the last miss."""
        return self.world.frames - MISS_FRAMES * self.miss  # (P,)

    def leader(self) -> int | None:
        """The first bird still flying (None if all crashed).

        A population bred by `next_generation` puts its elite first, best first, so while it
        flies the leader is the last generation's champion.
        """
        alive = np.flatnonzero(self.world.alive)
        return int(alive[0]) if alive.size else None


@dataclass(frozen=True)
class GenerationResult:
    """How one generation flew: what the headless run prints per generation."""

    generation: int  # 0 for the first, random, population
    best_score: int  # most pipes passed by one bird
    mean_score: float
    alive: int  # birds still flying when the flight ended
    frames: int  # frames the flight lasted
    best_fitness: float
    seconds: float  # wall time of this generation's flight and breeding

    def line(self) -> str:
        """One line for the console."""
        return (
            f"generation {self.generation:3d}  best {self.best_score:4d}  "
            f"mean {self.mean_score:7.2f}  alive {self.alive:4d}  "
            f"frames {self.frames:6d}  {self.seconds:6.2f}s"
        )


class Evolution:
    """A neuroevolution run, advanced one frame (`step`) or one generation at a time.

    State: `population` (the generation in the air), `flight` (its Flight), `best_score` (most
    pipes any bird passed so far), `champion` (a NeuralNetwork: the best bird of the best
    generation so far, None before the first generation ends), `results` (a GenerationResult
    per finished generation).

    Example:
        >>> evolution = Evolution(Settings(population=200, seed=0))
        >>> while evolution.best_score < 100:
        ...     print(evolution.run_generation().line())
        >>> evolution.champion.save("best.gone")
    """

    def __init__(
        self,
        settings: Settings | None = None,
        rules: Rules | None = None,
        population: Population | None = None,
    ):
        """Draw the first population from the settings' seed and launch its flight.

        A `population` given (e.g. `Population.load(path)`) flies instead, with its own size,
        layout and Generator; `settings.population` and `settings.hidden` are then not used.
        """
        self.settings = Settings() if settings is None else settings
        self.rules = rules
        s = self.settings
        if population is None:
            population = Population(network_layers(s.hidden), s.population, seed=s.seed)
        self.population = population
        self._mutation = GaussianMutation(s.mutation_rate, s.mutation_stddev)
        self._crossover = None if s.crossover == "none" else s.crossover
        self.best_score = 0
        self.champion = None
        self.results: list[GenerationResult] = []
        self._started = time.perf_counter()
        self.flight = self._launch()

    @property
    def generation(self) -> int:
        """The generation in the air (or just landed), 0 first."""
        return self.population.generation

    def _launch(self) -> Flight:
        s = self.settings
        course = course_seed(s.seed, self.generation, s.fresh_courses)
        return Flight(self.population, course, s.target_score, s.max_frames, self.rules)

    def step(self) -> GenerationResult | None:
        """Fly one frame; return the generation's result on the frame its flight finishes.

        The frame after that breeds the next generation and launches it.
        """
        if self.flight.finished:
            self._breed()
        self.flight.step()
        return self._land() if self.flight.finished else None

    def run_generation(self) -> GenerationResult:
        """Fly the current generation to the end (breeding it first if it already landed)."""
        while (result := self.step()) is None:
            pass
        return result

    def _land(self) -> GenerationResult:
        """Score the finished flight, remember the champion, and report."""
        world, fitness = self.flight.world, self.flight.fitness()
        best = int(np.argmax(fitness))
        best_score = int(world.score.max())
        if self.champion is None or best_score >= self.best_score:
            self.best_score = best_score
            self.champion = self.population[best]
        now = time.perf_counter()
        result = GenerationResult(
            generation=self.generation,
            best_score=best_score,
            mean_score=float(world.score.mean()),
            alive=world.n_alive,
            frames=world.frame,
            best_fitness=float(fitness[best]),
            seconds=now - self._started,
        )
        self._started = now
        self.results.append(result)
        return result

    def _breed(self) -> None:
        s = self.settings
        self.population = self.population.next_generation(
            self.flight.fitness(),
            selection=Tournament(s.tournament),
            crossover=self._crossover,
            mutation=self._mutation,
            elite=s.elite,
        )
        self.flight = self._launch()


class Replay:
    """One saved bird flying course after course: the driver `--play` uses.

    When the bird crashes (or reaches `max_score` / `max_frames`), the next `step` launches it on
    the next course (seed + 1). State: `network`, `population` (the network as a population of
    one), `flight`, `attempt` (1 first), `best_score`, `scores` (one per finished flight).
    """

    def __init__(
        self,
        network: gone.NeuralNetwork,
        seed: int = 0,
        max_score: int | None = None,
        max_frames: int | None = None,
        rules: Rules | None = None,
    ):
        """Put the bird at the start of the course seeded by `seed`."""
        self.network = network
        self.population = Population.from_networks([network], seed=0)
        self.seed, self.max_score, self.max_frames, self.rules = seed, max_score, max_frames, rules
        self.attempt = 1
        self.best_score = 0
        self.scores: list[int] = []
        self.flight = self._launch()

    def _launch(self) -> Flight:
        course = self.seed + self.attempt - 1
        return Flight(self.population, course, self.max_score, self.max_frames, self.rules)

    def step(self) -> int | None:
        """Fly one frame; return the score on the frame the flight ends."""
        if self.flight.finished:
            self.attempt += 1
            self.flight = self._launch()
        self.flight.step()
        if not self.flight.finished:
            return None
        score = int(self.flight.world.score[0])
        self.best_score = max(self.best_score, score)
        self.scores.append(score)
        return score


def fly(
    network: gone.NeuralNetwork,
    seed: int = 0,
    max_score: int | None = None,
    max_frames: int | None = None,
    rules: Rules | None = None,
) -> FlappyWorld:
    """Fly one saved bird on the course `seed` until it crashes or hits a cap; return the world.

    Without either cap a perfect bird would fly forever: give at least one.

    >>> world = fly(gone.load("champion.gone"), seed=0, max_score=500)
    >>> int(world.score[0]), bool(world.alive[0])
    """
    if max_score is None and max_frames is None:
        raise ValueError("fly: expected max_score or max_frames, got neither (it may never end)")
    return Replay(network, seed, max_score, max_frames, rules).flight.run().world
