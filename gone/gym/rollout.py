"""Running networks in Gymnasium environments: a whole population at once, or one network to watch.

`rollout` puts the P x episodes episodes of a population side by side in one vector environment,
individual i's episodes in rows i * episodes ... (i + 1) * episodes - 1, and steps them together:
1. reset every environment with `seed` (Gymnasium seeds sub-environment j with seed + j when it
   vectorizes by copies, "sync"; a vector entry point such as CartPole's seeds them all from one);
2. one `Population.predict` call on the (P, episodes, n_in) observations decides every action;
3. one step of the environments; each one's reward counts while its episode runs, and from the
   step it terminates or is truncated on, it is finished and masked. A vector entry point steps
   all its environments at once and resets a finished one by itself (in NEXT_STEP mode the next
   step is a reset step, in SAME_STEP mode the same one): nothing of the episodes after it
   counts. A SyncVectorEnv steps its copies one by one anyway, so only the running ones step;
4. repeat until every episode has finished, or `max_steps` steps.
So every individual's return is exactly the sum of the rewards of its own episode(s), the same as
one network stepping one environment reset with the same seed (`play`), bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gone._checks import check_bool, check_instance, check_int
from gone.errors import ConfigError
from gone.genetic import Population
from gone.gym._gymnasium import make_single, make_vector, spec_of
from gone.gym.normalization import ObservationNormalizer
from gone.gym.spaces import Actions, Observations
from gone.network import NeuralNetwork


@dataclass(frozen=True)
class Rollout:
    """What a population did in its episodes.

    `returns` (P, episodes) the sum of each episode's rewards; `lengths` (P, episodes) its steps;
    `steps` the vector environment's steps, each of them one `Population.predict` call;
    `normalizer` the statistics the networks saw (a copy, as the call began), or None.
    """

    returns: np.ndarray
    lengths: np.ndarray
    steps: int
    normalizer: ObservationNormalizer | None = None

    @property
    def mean_returns(self) -> np.ndarray:
        """(P,) each individual's mean return over its episodes."""
        return self.returns.mean(axis=1)

    @property
    def episode_steps(self) -> int:
        """The steps of all the episodes together: what a loop of one environment at a time takes."""
        return int(self.lengths.sum())


def evaluate(
    population: Population,
    env_id: str,
    episodes: int = 1,
    seed=0,
    max_steps: int | None = None,
    *,
    normalizer: ObservationNormalizer | None = None,
    vectorization_mode: str | None = None,
    **make_kwargs,
) -> np.ndarray:
    """Return every individual's mean return (P,) over `episodes` episodes of `env_id`.

    Parameters: `population` (a gone.Population whose inputs fit the observations and outputs the
    actions, see gone.gym.spaces), `env_id` (a Gymnasium id such as "CartPole-v1"), `episodes`
    per individual, all run at once in one vector environment of P x episodes copies, `seed` (an
    int, Gymnasium's reset seed, or a Generator to draw one from: the same seed, the same numbers
    bit for bit), `max_steps` (cut the episodes after this many steps; None: the environment's own
    limit), `normalizer` (an ObservationNormalizer: the networks see normalized observations, and
    the observations of this call are taken into it when it ends), `vectorization_mode` (None:
    `gymnasium.make_vec`'s choice, the environment's vectorized entry point where it has one, else
    "sync" copies; or "vector_entry_point", "sync", "async"); `make_kwargs` go to the environment.

    >>> population = gone.Population([gone.Layer(4), gone.Layer(16, gone.Tanh()), gone.Layer(2)], 128)
    >>> evaluate(population, "CartPole-v1", episodes=3, seed=0).shape
    (128,)
    """
    return rollout(
        population,
        env_id,
        episodes,
        seed,
        max_steps,
        normalizer=normalizer,
        vectorization_mode=vectorization_mode,
        **make_kwargs,
    ).mean_returns


def rollout(
    population: Population,
    env_id: str,
    episodes: int = 1,
    seed=0,
    max_steps: int | None = None,
    *,
    normalizer: ObservationNormalizer | None = None,
    vectorization_mode: str | None = None,
    **make_kwargs,
) -> Rollout:
    """Run the population as `evaluate` does; return every episode's return and length (Rollout)."""
    check_instance(population, Population, "population", "a gone.Population")
    episodes = check_int(episodes, "episodes", 1)
    max_steps = _step_limit(env_id, max_steps, make_kwargs)
    reset_seed = _reset_seed(seed)
    if normalizer is not None:
        check_instance(normalizer, ObservationNormalizer, "normalizer", "an ObservationNormalizer")
    P = population.size
    envs = make_vector(env_id, P * episodes, vectorization_mode, make_kwargs)
    try:
        observe, act = _interfaces(
            envs.single_observation_space,
            envs.single_action_space,
            population,
            env_id,
            "population",
        )
        if normalizer is not None:
            observe.check(normalizer.size, "normalizer")
        seen = None if normalizer is None else normalizer.copy()  # the statistics as it began
        returns, lengths, steps = _run(
            envs, population, episodes, observe, act, reset_seed, max_steps, normalizer, seen
        )
    finally:
        envs.close()
    return Rollout(returns.reshape(P, episodes), lengths.reshape(P, episodes), steps, seen)


def _run(envs, population, episodes, observe, act, seed, max_steps, normalizer, seen):
    """Step all P x episodes environments until each has finished one episode (the module's 1-4).

    The networks see observations normalized by `seen`; `normalizer` takes them in.
    """
    P = population.size
    n_envs = P * episodes
    step = _step_running if _steps_copies_one_by_one(envs) else _step_all
    observations, _ = envs.reset(seed=seed)  # (P * episodes, *observation shape)
    observations = np.array(observations)  # writeable: _step_running fills in rows
    returns = np.zeros(n_envs)  # (P * episodes,)
    lengths = np.zeros(n_envs, dtype=np.int64)  # (P * episodes,)
    finished = np.zeros(n_envs, dtype=bool)  # (P * episodes,)
    steps = 0
    while not finished.all() and (max_steps is None or steps < max_steps):
        running = ~finished  # (P * episodes,)
        inputs = observe(observations)  # (P * episodes, n_in)
        if normalizer is not None:
            normalizer.update(inputs[running])
            inputs = seen(inputs)
        outputs = population.predict(inputs.reshape(P, episodes, -1))  # (P, episodes, n_out)
        actions = act(outputs.reshape(n_envs, -1))  # (P * episodes, ...)
        observations, rewards, terminated, truncated = step(envs, actions, running, observations)
        returns[running] += rewards[running]
        lengths[running] += 1
        finished |= running & (terminated | truncated)
        steps += 1
    return returns, lengths, steps


def _steps_copies_one_by_one(envs) -> bool:
    """True for Gymnasium's SyncVectorEnv, which steps its copies (`envs.envs`) in a Python loop."""
    from gone.gym._gymnasium import gymnasium

    return isinstance(envs, gymnasium().vector.SyncVectorEnv)


def _step_all(envs, actions, running, observations):
    """One step of the whole vector environment: the finished environments step too (autoreset),
    and their rewards are masked by the caller. What a vector entry point can do."""
    observations, rewards, terminated, truncated, _ = envs.step(actions)
    return observations, rewards, terminated, truncated


def _step_running(envs, actions, running, observations):
    """One step of the running copies only: a SyncVectorEnv loops over its copies anyway, so the
    finished ones are skipped rather than autoreset and played on. `observations` keeps the rows
    of the finished ones as they were."""
    n_envs = len(running)
    rewards = np.zeros(n_envs)  # (n_envs,)
    terminated = np.zeros(n_envs, dtype=bool)  # (n_envs,)
    truncated = np.zeros(n_envs, dtype=bool)  # (n_envs,)
    for j in np.flatnonzero(running):
        observation, rewards[j], terminated[j], truncated[j], _ = envs.envs[j].step(actions[j])
        observations[j] = observation
    return observations, rewards, terminated, truncated


def play(
    network: NeuralNetwork,
    env_id: str,
    episodes: int = 1,
    seed=0,
    max_steps: int | None = None,
    **make_kwargs,
) -> np.ndarray:
    """Run one network for `episodes` episodes, one after another; return their returns (episodes,).

    Episode e is reset with seed + e, so `play` gives the same episodes, bit for bit, as
    `evaluate(Population.from_networks([network]), ..., vectorization_mode="sync")`. One plain
    environment (`gymnasium.make`), so it can be watched: `render_mode="human"` opens its window.

    >>> play(gone.load("cartpole.gone"), "CartPole-v1", episodes=3, render_mode="human")
    array([500., 500., 500.])
    """
    check_instance(network, NeuralNetwork, "network", "a gone.NeuralNetwork")
    episodes = check_int(episodes, "episodes", 1)
    max_steps = _step_limit(env_id, max_steps, make_kwargs)
    first_seed = _reset_seed(seed)
    env = make_single(env_id, make_kwargs)
    try:
        observe, act = _interfaces(
            env.observation_space, env.action_space, network, env_id, "network"
        )
        returns = np.zeros(episodes)  # (episodes,)
        for episode in range(episodes):
            observation, _ = env.reset(seed=first_seed + episode)
            steps, over = 0, False
            while not over and (max_steps is None or steps < max_steps):
                outputs = network.predict(observe(np.asarray(observation)[None]))  # (1, n_out)
                observation, reward, terminated, truncated, _ = env.step(act(outputs)[0])
                returns[episode] += reward
                steps, over = steps + 1, terminated or truncated
    finally:
        env.close()
    return returns


class GymFitness:
    """A vectorized fitness for `gone.evolve`: mean returns on a Gymnasium environment (P,).

    Made by `fitness(...)`. Each call evaluates the population as `evaluate` does, reset with
    `seed_of(population.generation)`: with `fresh=True` (the default) every generation plays new
    episodes, so that a champion has to generalise rather than learn a few starts by heart; the
    same run, and a population saved and resumed, plays the same ones. With `normalize=True`,
    `normalizer` (an ObservationNormalizer, made at the first call) learns the observations of
    every generation; save the champion as `fitness.champion(population)`, which folds it in.
    """

    def __init__(
        self,
        env_id: str,
        episodes: int = 1,
        seed=0,
        max_steps: int | None = None,
        *,
        fresh: bool = True,
        normalize: bool = False,
        vectorization_mode: str | None = None,
        **make_kwargs,
    ):
        spec_of(env_id)  # an unknown id is refused now, not at the first generation
        self.env_id = env_id
        self.episodes = check_int(episodes, "episodes", 1)
        self.max_steps = _step_limit(env_id, max_steps, make_kwargs)
        if not isinstance(seed, np.random.Generator):
            seed = check_int(seed, "seed", 0)
        self.seed = seed
        self.fresh = check_bool(fresh, "fresh")
        self.normalizer = None
        self._normalize = check_bool(normalize, "normalize")
        self.vectorization_mode = vectorization_mode
        self.make_kwargs = make_kwargs
        self.last: Rollout | None = None  # the latest call's episodes

    def seed_of(self, generation: int) -> int:
        """The reset seed of a generation's episodes."""
        if isinstance(self.seed, np.random.Generator):
            return _reset_seed(self.seed)
        if not self.fresh:
            return self.seed
        return int(np.random.SeedSequence([self.seed, generation]).generate_state(1)[0])

    def __call__(self, population: Population) -> np.ndarray:
        """Return the population's mean returns (P,) on this generation's episodes."""
        check_instance(population, Population, "population", "a gone.Population")
        if self._normalize and self.normalizer is None:
            self.normalizer = ObservationNormalizer(population.n_inputs)
        self.last = rollout(
            population,
            self.env_id,
            self.episodes,
            self.seed_of(population.generation),
            self.max_steps,
            normalizer=self.normalizer,
            vectorization_mode=self.vectorization_mode,
            **self.make_kwargs,
        )
        return self.last.mean_returns

    def champion(self, population: Population) -> NeuralNetwork:
        """The fittest individual of the population this fitness evaluated last, as a network of
        raw observations: the statistics it was evaluated with folded into its first layer."""
        best = population.best()
        seen = None if self.last is None else self.last.normalizer
        return best if seen is None else seen.fold(best)

    def __repr__(self) -> str:
        return f"<GymFitness {self.env_id} episodes={self.episodes} seed={self.seed}>"


def fitness(
    env_id: str,
    episodes: int = 1,
    seed=0,
    max_steps: int | None = None,
    **options,
) -> GymFitness:
    """Return a vectorized fitness for `gone.evolve` (a GymFitness): mean returns on `env_id`.

    `options`: `fresh` (new episodes every generation, default True), `normalize` (running
    observation normalization, default False), `vectorization_mode`, and keywords for the
    environment, as for `evaluate`.

    >>> population = gone.Population([gone.Layer(4), gone.Layer(16, gone.Tanh()), gone.Layer(2)], 128, seed=0)
    >>> gone.evolve(fitness("CartPole-v1", seed=0), population, 30, vectorized=True, target=500)
    """
    return GymFitness(env_id, episodes, seed, max_steps, **options)


def _interfaces(observation_space, action_space, model, env_id: str, what: str):
    """(Observations, Actions) between an environment's spaces and `model`, a network or a
    population (`what` names it in errors); ShapeError or ConfigError where it does not fit."""
    observe = Observations(observation_space, env_id)
    observe.check(model.n_inputs, what)
    act = Actions(action_space, model.layers[-1].activation, model.n_outputs, env_id, what)
    return observe, act


def _reset_seed(seed) -> int:
    """The int Gymnasium resets with: an int >= 0 as it is, or one drawn from a Generator."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**31))
    return check_int(seed, "seed", 0)


def _step_limit(env_id: str, max_steps, make_kwargs: dict) -> int | None:
    """`max_steps` checked; refused as None for an environment that would never stop by itself."""
    if max_steps is not None:
        return check_int(max_steps, "max_steps", 1)
    limit = make_kwargs.get("max_episode_steps", spec_of(env_id).max_episode_steps)
    if limit is None:
        raise ConfigError(
            f"max_steps: expected a step limit for {env_id}, which has none of its own, got None"
        )
    return None
