"""Evolving gone networks on a Gymnasium environment, headless: the settings, the run, its results.

One generation at a time (`Evolution.run_generation`):
1. play: every network of the population plays `episodes` episodes of the environment, fresh
   ones each generation, all at once in one vector environment (`gone.gym.fitness`); its
   fitness is its mean return;
2. check: the generation's fittest network plays `check_episodes` more fresh episodes on its
   own; the run is solved when their mean return reaches the target (by default the
   environment's reward threshold: 475 for CartPole-v1, -100 for Acrobot-v1, 200 for
   LunarLander-v3). The champion is the network with the best check so far;
3. breed: `gone.evolve` keeps the `elite` best networks and fills the rest with mutated copies
   of tournament winners (no crossover by default, as in the Flappy Bird example).
After the run the champion plays episodes that no generation saw (`held_out`).

The command line (cli.py) prints and saves; nothing here does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import gone
from gone import gym as ggym

CROSSOVERS = ("none", "uniform", "single_point", "arithmetic")
HELD_OUT_SEED = 1_000_000  # the held-out episodes' seeds start here, apart from any generation's


def default_out(env_id: str) -> Path:
    """Where a run saves its champion unless told: out/cartpole-v1.gone (numbered when taken)."""
    return Path("out") / f"{env_id.replace('/', '-').lower()}.gone"


def reward_threshold(env_id: str) -> float | None:
    """The mean return at which Gymnasium calls `env_id` solved (None if it names none)."""
    import gymnasium

    return gymnasium.spec(env_id).reward_threshold


def controller_layers(env_id: str, hidden=(16,)) -> list[gone.Layer]:
    """A network that fits `env_id`: one input per observation value, `hidden` tanh layers, and
    one output per discrete action (the largest wins) or one tanh output per continuous value.

    >>> controller_layers("CartPole-v1")     # 4 inputs, 16 tanh, 2 outputs: a 4-16-2 network
    """
    import gymnasium  # gone[gym]; Evolution makes its gone.gym fitness first, which says if missing

    env = gymnasium.make(env_id)
    observations, actions = env.observation_space, env.action_space
    env.close()
    if isinstance(observations, gymnasium.spaces.Discrete):
        n_inputs = int(observations.n)
    else:
        n_inputs = int(np.prod(observations.shape))
    if isinstance(actions, gymnasium.spaces.Discrete):
        output = gone.Layer(int(actions.n))
    else:
        output = gone.Layer(int(np.prod(actions.shape)), gone.Tanh())
    return [gone.Layer(n_inputs), *(gone.Layer(n, gone.Tanh()) for n in hidden), output]


@dataclass(frozen=True)
class Settings:
    """How a run evolves; the defaults solve CartPole-v1 in a few generations."""

    env_id: str = "CartPole-v1"
    population: int = 128
    hidden: tuple[int, ...] = (16,)  # tanh nodes of each hidden layer
    episodes: int = 1  # per network and generation; its fitness is their mean return
    seed: int = 0  # the first networks, the breeding and every episode
    tournament: int = 10  # a parent is the fittest of this many
    elite: int = 5  # the best networks carried over unchanged
    mutation_rate: float = 0.1  # chance of each weight to mutate
    mutation_stddev: float = 0.5  # the size of a mutation
    crossover: str = "none"  # or "uniform", "single_point", "arithmetic"
    normalize: bool = (
        False  # running observation normalization (OpenAI-ES), folded into the champion
    )
    max_steps: int | None = (
        None  # cut episodes after this many steps; None: the environment's limit
    )
    check_episodes: int = 20  # fresh episodes the generation's fittest network plays alone
    target: float | None = None  # the check's mean return that solves it; None: reward threshold


@dataclass(frozen=True)
class GenerationResult:
    """How one generation did: what the headless run prints per generation."""

    generation: int  # 0 for the first, random, population
    best: float  # the fittest network's mean return on the generation's episodes
    mean: float  # the population's mean of those
    check: float  # the fittest network's mean return on `check_episodes` fresh episodes
    env_steps: int  # the steps of all the episodes this generation played, checks included
    seconds: float  # wall time of the generation: evaluation, check and breeding

    def line(self, check_episodes: int) -> str:
        """One line for the console."""
        return (
            f"generation {self.generation:3d}  best {self.best:8.2f}  mean {self.mean:8.2f}  "
            f"champion {self.check:8.2f} over {check_episodes}  "
            f"steps {self.env_steps:9,d}  {self.seconds:6.2f}s"
        )


class Evolution:
    """A run on one environment, advanced a generation at a time (see the module's steps).

    State: `population`, `fitness` (the gone.gym fitness), `target` (None: no reward threshold,
    the run goes on until told to stop), `champion` (the network with the best check so far,
    raw observations in), `best_check`, `results` (a GenerationResult per generation),
    `env_steps` (all the episode steps so far), `seconds`.
    """

    def __init__(self, settings: Settings | None = None):
        s = self.settings = Settings() if settings is None else settings
        # The fitness first: it refuses an unknown environment or a missing Gymnasium clearly.
        self.fitness = ggym.fitness(
            s.env_id, s.episodes, seed=s.seed, max_steps=s.max_steps, normalize=s.normalize
        )
        self.population = gone.Population(
            controller_layers(s.env_id, s.hidden), s.population, seed=s.seed
        )
        threshold = reward_threshold(s.env_id)
        self.target = s.target if s.target is not None else threshold
        self._breeding = {
            "selection": gone.Tournament(s.tournament),
            "crossover": None if s.crossover == "none" else s.crossover,
            "mutation": gone.GaussianMutation(s.mutation_rate, s.mutation_stddev),
            "elite": s.elite,
        }
        self.champion: gone.NeuralNetwork | None = None
        self.best_check = -np.inf
        self.results: list[GenerationResult] = []
        self.env_steps = 0
        self.seconds = 0.0

    @property
    def solved(self) -> bool:
        """True once a champion's check reached the target."""
        return self.target is not None and self.best_check >= self.target

    def run_generation(self) -> GenerationResult:
        """Play, check and (from the second call on) breed one generation; return its result."""
        s = self.settings
        started = time.perf_counter()
        population = self.population
        if self.results:  # breed the next generation, then play it
            gone.evolve(self.fitness, population, 1, vectorized=True, **self._breeding)
        else:  # play the first, random, generation
            gone.evolve(self.fitness, population, 0, vectorized=True)
        steps = self.fitness.last.episode_steps
        fittest = self.fitness.champion(population)
        check = ggym.rollout(
            gone.Population.from_networks([fittest]),
            s.env_id,
            s.check_episodes,
            seed=check_seed(s.seed, population.generation),
            max_steps=s.max_steps,
        )
        check_mean = float(check.mean_returns[0])
        if self.champion is None or check_mean > self.best_check:
            self.champion, self.best_check = fittest, check_mean
        seconds = time.perf_counter() - started
        self.env_steps += steps + check.episode_steps
        self.seconds += seconds
        result = GenerationResult(
            generation=population.generation,
            best=float(population.fitness.max()),
            mean=float(population.fitness.mean()),
            check=check_mean,
            env_steps=steps + check.episode_steps,
            seconds=seconds,
        )
        self.results.append(result)
        return result

    def held_out(self, episodes: int = 100) -> np.ndarray:
        """The champion's returns (episodes,) on episodes no generation played."""
        s = self.settings
        return held_out_returns(self.champion, s.env_id, episodes, s.seed, s.max_steps)


def check_seed(seed: int, generation: int) -> int:
    """The reset seed of a generation's check: fresh per generation, apart from its episodes."""
    return int(np.random.SeedSequence([seed, generation, 1]).generate_state(1)[0])


def held_out_returns(network, env_id: str, episodes: int, seed: int = 0, max_steps=None):
    """`network`'s returns (episodes,) on the held-out episodes of `seed`, all played at once."""
    alone = gone.Population.from_networks([network])
    run = ggym.rollout(alone, env_id, episodes, seed=HELD_OUT_SEED + seed, max_steps=max_steps)
    return run.returns[0]
