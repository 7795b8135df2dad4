"""Shared pieces of the gone.gym tests: small CartPole populations and the plain reference loop.

Gymnasium is imported by the test modules that need it (skipped without it), not here: the test
of the missing extra runs without it.
"""

import numpy as np
import pytest

import gone


def cartpole_layers(hidden: int = 5, output=None):
    """A small CartPole controller: 4 observations -> hidden tanh -> 2 action outputs."""
    output = gone.Layer(2) if output is None else output
    return [gone.Layer(4), gone.Layer(hidden, gone.Tanh()), output]


@pytest.fixture
def layers():
    return cartpole_layers()


@pytest.fixture
def population():
    """Eight random CartPole controllers: their episodes last about 10 to 60 steps."""
    return gone.Population(cartpole_layers(), 8, seed=3)


def _per_environment_returns(population, env_id, episodes, seed, max_steps=None):
    """The plain way: each network steps its own `gymnasium.make` environment, one at a time.

    Environment (i, e) is reset with seed + i * episodes + e, the seed Gymnasium's synchronous
    vector environment gives its sub-environment i * episodes + e. Returns (P, episodes).
    """
    import gymnasium

    returns = np.zeros((population.size, episodes))
    for i in range(population.size):
        network = population[i]
        for e in range(episodes):
            env = gymnasium.make(env_id)
            observation, _ = env.reset(seed=seed + i * episodes + e)
            steps, over = 0, False
            while not over and (max_steps is None or steps < max_steps):
                outputs = network.predict(np.asarray(observation, dtype=np.float64))
                action = int(np.argmax(outputs))
                observation, reward, terminated, truncated, _ = env.step(action)
                returns[i, e] += reward
                steps, over = steps + 1, terminated or truncated
            env.close()
    return returns


@pytest.fixture
def per_environment_returns():
    """The reference loop (see _per_environment_returns)."""
    return _per_environment_returns
