"""The Gymnasium example's evolution, headless and short: layers, generations, champion, seeds."""

from pathlib import Path

import numpy as np
import pytest

import gone
from examples.gym.evolve import (
    Evolution,
    Settings,
    controller_layers,
    default_out,
    held_out_returns,
)

pytest.importorskip("gymnasium", minversion="1.0", reason='pip install "gone[gym]"')

QUICK = Settings(population=16, max_steps=30, check_episodes=3, target=30)


def nodes(layers):
    return [layer.nodes for layer in layers]


def test_the_controller_fits_the_environments_spaces():
    cartpole = controller_layers("CartPole-v1")
    assert nodes(cartpole) == [4, 16, 2]  # the 4-16-2 network: argmax over 2 actions
    assert isinstance(cartpole[1].activation, gone.Tanh)
    assert isinstance(cartpole[-1].activation, gone.Identity)
    pendulum = controller_layers("Pendulum-v1", hidden=(8, 4))
    assert nodes(pendulum) == [3, 8, 4, 1] and isinstance(pendulum[-1].activation, gone.Tanh)
    assert nodes(controller_layers("FrozenLake-v1"))[0] == 16  # one-hot states


def test_a_run_plays_checks_and_breeds_until_solved():
    evolution = Evolution(QUICK)
    assert evolution.target == 30
    while not evolution.solved and len(evolution.results) < 10:
        result = evolution.run_generation()
    assert evolution.solved and result.check >= 30
    assert [r.generation for r in evolution.results] == list(range(len(evolution.results)))
    assert evolution.env_steps == sum(r.env_steps for r in evolution.results)
    assert isinstance(evolution.champion, gone.NeuralNetwork)
    assert "champion" in result.line(3) and "over 3" in result.line(3)
    returns = evolution.held_out(4)
    assert returns.shape == (4,) and (returns <= 30).all()


def test_the_same_settings_give_the_same_run_bit_for_bit():
    def run():
        evolution = Evolution(QUICK)
        results = [evolution.run_generation() for _ in range(3)]
        return [(r.best, r.mean, r.check, r.env_steps) for r in results], evolution.champion

    (first, a), (second, b) = run(), run()
    assert first == second
    assert all(np.array_equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_the_target_defaults_to_the_environments_reward_threshold():
    assert Evolution(Settings(population=2)).target == 475.0
    assert Evolution(Settings(env_id="Pendulum-v1", population=2)).target is None


def test_a_normalized_run_saves_a_champion_of_raw_observations():
    evolution = Evolution(Settings(population=8, max_steps=20, check_episodes=2, normalize=True))
    evolution.run_generation()
    evolution.run_generation()
    assert evolution.fitness.normalizer.count > 0
    returns = held_out_returns(evolution.champion, "CartPole-v1", 2, max_steps=20)
    assert returns.shape == (2,)


def test_the_default_model_name_says_the_environment():
    assert default_out("CartPole-v1") == Path("out") / "cartpole-v1.gone"
    assert default_out("ALE/Pong-v5") == Path("out") / "ale-pong-v5.gone"
