"""gone.gym: evolve gone networks in Gymnasium environments, a whole population per step.

A Population of P networks plays P (or P x episodes) copies of an environment side by side, as
one Gymnasium vector environment (`gymnasium.make_vec`: the environment's vectorized entry point
where it has one, else synchronous copies), and one `Population.predict` call decides every
action of a step: no loop over networks, none over environments.

    import gone
    from gone import gym as ggym

    layers = [gone.Layer(4), gone.Layer(16, gone.Tanh()), gone.Layer(2)]
    population = gone.Population(layers, 128, seed=0)
    fitness = ggym.fitness("CartPole-v1", episodes=5, seed=0)   # fresh episodes each generation
    gone.evolve(fitness, population, 30, vectorized=True, target=500)
    champion = population.best()
    ggym.play(champion, "CartPole-v1", episodes=20, seed=1000)   # (20,) returns on new episodes
    ggym.play(champion, "CartPole-v1", render_mode="human")      # watch it (needs a display)

A champion's return on the episodes it was selected on flatters it (one lucky episode reaches
500): judge it on fresh ones, as examples/gym does after every generation.

- `evaluate(population, env_id, episodes=1, seed=0, max_steps=None)`: (P,) mean returns;
  `rollout(...)` the same run with every episode's return and length;
- `fitness(env_id, episodes=1, seed=0, ...)`: a vectorized fitness for `gone.evolve`, fresh
  episodes every generation, optionally with running observation normalization;
- `play(network, env_id, episodes=1, seed=0)`: one network, one environment, episode after episode;
- `ObservationNormalizer`: running mean and std of observations, foldable into a network.

Actions come from the outputs: argmax for Discrete actions (a threshold for one output and two
actions), Tanh or Sigmoid outputs scaled to a Box's bounds (see gone.gym.spaces). Gymnasium
(>= 1.0) is optional, `pip install "gone[gym]"`: `import gone` never imports it, and without it
these functions raise MissingDependencyError saying so.
"""

from gone.errors import MissingDependencyError
from gone.gym._gymnasium import PIP_INSTALL
from gone.gym.normalization import ObservationNormalizer
from gone.gym.rollout import GymFitness, Rollout, evaluate, fitness, play, rollout

__all__ = [
    "evaluate",
    "fitness",
    "GymFitness",
    "MissingDependencyError",
    "ObservationNormalizer",
    "PIP_INSTALL",
    "play",
    "rollout",
    "Rollout",
]
