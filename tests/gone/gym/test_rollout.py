"""gone.gym.evaluate / rollout / play / fitness on CartPole and a few others, a few steps each."""

import numpy as np
import pytest

import gone
from gone import gym as ggym

gymnasium = pytest.importorskip("gymnasium", minversion="1.0", reason='pip install "gone[gym]"')


# ---- what evaluate returns -----------------------------------------------------------------


def test_evaluate_returns_each_individuals_mean_return(population):
    values = ggym.evaluate(population, "CartPole-v1", episodes=2, seed=0)
    run = ggym.rollout(population, "CartPole-v1", episodes=2, seed=0)
    assert values.shape == (8,) and values.dtype == np.float64
    assert run.returns.shape == run.lengths.shape == (8, 2)
    np.testing.assert_array_equal(values, run.returns.mean(axis=1))


@pytest.mark.parametrize("episodes", [1, 3])
def test_synchronous_vector_returns_equal_a_plain_loop_bit_for_bit(
    population, per_environment_returns, episodes
):
    run = ggym.rollout(population, "CartPole-v1", episodes, seed=11, vectorization_mode="sync")
    expected = per_environment_returns(population, "CartPole-v1", episodes, seed=11)
    assert np.array_equal(run.returns, expected)
    np.testing.assert_array_equal(run.lengths, expected)  # CartPole pays 1 per step


def test_acrobot_returns_equal_a_plain_loop_bit_for_bit(per_environment_returns):
    population = gone.Population([gone.Layer(6), gone.Layer(4, gone.Tanh()), gone.Layer(3)], 3)
    run = ggym.rollout(population, "Acrobot-v1", 1, seed=2, max_steps=30)
    expected = per_environment_returns(population, "Acrobot-v1", 1, seed=2, max_steps=30)
    assert np.array_equal(run.returns, expected)


def test_the_vector_entry_point_counts_only_each_environments_first_episode(population):
    # Gymnasium's own account of the same episodes: RecordEpisodeStatistics reports an episode's
    # return when it ends. gone's counting must agree, although the environments that finished
    # early were autoreset (NEXT_STEP) and played on while the others ran.
    envs = gymnasium.make_vec("CartPole-v1", num_envs=16)
    assert envs.metadata["autoreset_mode"] == gymnasium.vector.AutoresetMode.NEXT_STEP
    assert type(envs).__name__ == "CartPoleVectorEnv"  # the vectorized entry point
    envs = gymnasium.wrappers.vector.RecordEpisodeStatistics(envs)
    observations, _ = envs.reset(seed=4)
    first = np.full(16, np.nan)
    while np.isnan(first).any():
        outputs = population.predict(observations.reshape(8, 2, 4)).reshape(16, 2)
        observations, _, _, _, info = envs.step(np.argmax(outputs, axis=1))
        if "episode" in info:
            ended = info["_episode"] & np.isnan(first)
            first[ended] = info["episode"]["r"][ended]
    envs.close()

    run = ggym.rollout(population, "CartPole-v1", episodes=2, seed=4)
    np.testing.assert_array_equal(run.returns.ravel(), first)
    assert len(set(run.lengths.ravel())) > 1, "every episode as long: nothing was masked"
    assert run.steps == run.lengths.max()  # stepped until the longest episode ended, no longer


def test_the_same_call_returns_the_same_numbers_bit_for_bit(population):
    first = ggym.evaluate(population, "CartPole-v1", episodes=3, seed=5)
    assert np.array_equal(first, ggym.evaluate(population, "CartPole-v1", episodes=3, seed=5))
    assert not np.array_equal(first, ggym.evaluate(population, "CartPole-v1", episodes=3, seed=6))
    drawn = [ggym.evaluate(population, "CartPole-v1", seed=np.random.default_rng(1)) for _ in "ab"]
    assert np.array_equal(*drawn)


def test_max_steps_cuts_every_episode(population):
    run = ggym.rollout(population, "CartPole-v1", episodes=2, seed=0, max_steps=4)
    assert run.steps == 4
    assert run.lengths.max() == 4 and (run.returns == run.lengths).all()


def test_play_plays_the_episodes_of_a_synchronous_evaluation(population):
    network = population[2]
    returns = ggym.play(network, "CartPole-v1", episodes=3, seed=7)
    alone = gone.Population.from_networks([network])
    run = ggym.rollout(alone, "CartPole-v1", 3, seed=7, vectorization_mode="sync")
    assert returns.shape == (3,)
    assert np.array_equal(returns, run.returns[0])
    assert ggym.play(network, "CartPole-v1", seed=7, max_steps=3)[0] == 3


# ---- other spaces ----------------------------------------------------------------------------


def test_continuous_actions_from_tanh_outputs():
    layers = [gone.Layer(3), gone.Layer(4, gone.Tanh()), gone.Layer(1, gone.Tanh())]
    population = gone.Population(layers, 4, seed=0)
    run = ggym.rollout(population, "Pendulum-v1", seed=0, max_steps=5)
    assert run.returns.shape == (4, 1) and (run.returns < 0).all()  # Pendulum's costs
    assert (run.lengths == 5).all()


def test_discrete_observations_arrive_one_hot():
    layers = [gone.Layer(16), gone.Layer(4)]  # FrozenLake: 16 states, 4 moves
    population = gone.Population(layers, 3, seed=0)
    run = ggym.rollout(population, "FrozenLake-v1", seed=0, max_steps=5)
    assert run.returns.shape == (3, 1)


# ---- fitness for gone.evolve -----------------------------------------------------------------


def test_fitness_plays_fresh_episodes_every_generation_the_same_in_every_run(population):
    fitness = ggym.fitness("CartPole-v1", episodes=2, seed=0)
    assert fitness.seed_of(0) != fitness.seed_of(1)
    assert fitness.seed_of(1) == ggym.fitness("CartPole-v1", seed=0).seed_of(1)
    expected = ggym.evaluate(population, "CartPole-v1", 2, seed=fitness.seed_of(0))
    assert np.array_equal(fitness(population), expected)
    assert fitness.last.returns.shape == (8, 2)
    same = ggym.fitness("CartPole-v1", seed=3, fresh=False)
    assert same.seed_of(0) == same.seed_of(9) == 3


def test_evolve_with_a_gym_fitness_repeats_bit_for_bit(layers):
    def run():
        population = gone.Population(layers, 12, seed=1)
        fitness = ggym.fitness("CartPole-v1", seed=0, max_steps=30)
        history = gone.evolve(fitness, population, 2, vectorized=True, elite=2)
        return history, population

    (first, a), (second, b) = run(), run()
    assert first.generations == 3 and first.best == second.best
    assert np.array_equal(a.genes, b.genes)


def test_normalize_learns_the_observations_and_the_champion_takes_raw_ones(population):
    fitness = ggym.fitness("CartPole-v1", seed=0, max_steps=10, normalize=True)
    population.evaluate(fitness, vectorized=True)
    first = fitness.normalizer.count
    assert first == fitness.last.episode_steps  # each live observation, once
    population.evaluate(fitness, vectorized=True)  # now with the statistics of the first call
    seen = fitness.last.normalizer
    assert seen.count == first and not np.allclose(seen.std, 1.0)
    champion = fitness.champion(population)
    observations = np.random.default_rng(0).normal(size=(5, 4))
    np.testing.assert_allclose(
        champion.predict(observations), population.best().predict(seen(observations))
    )


def test_a_normalizer_sees_statistics_fixed_during_the_call(population):
    # The first call starts from mean 0, std 1, so its returns are those of raw observations.
    normalizer = ggym.ObservationNormalizer(4)
    normalized = ggym.evaluate(population, "CartPole-v1", seed=0, normalizer=normalizer)
    assert np.array_equal(normalized, ggym.evaluate(population, "CartPole-v1", seed=0))
    assert normalizer.count > 0


# ---- refusals ---------------------------------------------------------------------------------


def test_an_unknown_environment_is_refused_with_gymnasiums_suggestion(population):
    with pytest.raises(gone.ConfigError, match=r"env_id: expected a registered .*'CartPol-v1'.*"):
        ggym.evaluate(population, "CartPol-v1")
    with pytest.raises(gone.ConfigError, match="Did you mean"):
        ggym.fitness("CartPol-v1")


def test_a_network_that_does_not_fit_the_observations_says_the_sizes():
    population = gone.Population([gone.Layer(3), gone.Layer(2)], 2, seed=0)
    with pytest.raises(gone.ShapeError, match=r"population inputs: expected 4, .*Box.*got 3"):
        ggym.evaluate(population, "CartPole-v1")


def test_a_network_that_does_not_fit_the_actions_says_the_sizes():
    population = gone.Population([gone.Layer(4), gone.Layer(3)], 2, seed=0)
    with pytest.raises(gone.ShapeError, match=r"outputs: expected 2 \(or 1, thresholded\).*got 3"):
        ggym.evaluate(population, "CartPole-v1")
    network = gone.NeuralNetwork([gone.Layer(6), gone.Layer(2)], seed=0)
    with pytest.raises(gone.ShapeError, match=r"network outputs: expected 3, .*Discrete\(3\).*"):
        ggym.play(network, "Acrobot-v1")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"episodes": 0}, r"episodes: expected an int >= 1, got 0"),
        ({"seed": -1}, r"seed: expected an int >= 0, got -1"),
        ({"max_steps": 0}, r"max_steps: expected an int >= 1, got 0"),
        ({"vectorization_mode": "fast"}, r"vectorization_mode: expected one of .*'sync'"),
        ({"gravity": 1.0}, r"CartPole-v1: Gymnasium could not make it with \{'gravity': 1.0\}"),
    ],
)
def test_settings_that_cannot_run_are_refused(population, settings, message):
    with pytest.raises(gone.ConfigError, match=message):
        ggym.evaluate(population, "CartPole-v1", **settings)


def test_only_a_population_is_evaluated(population):
    with pytest.raises(gone.ConfigError, match="population: expected a gone.Population"):
        ggym.evaluate(population[0], "CartPole-v1")
    with pytest.raises(gone.ConfigError, match="network: expected a gone.NeuralNetwork"):
        ggym.play(population, "CartPole-v1")


def test_an_environment_without_a_step_limit_needs_max_steps(population):
    env_id = "GoneTest/CartPoleForever-v0"
    if env_id not in gymnasium.registry:
        gymnasium.register(env_id, "gymnasium.envs.classic_control.cartpole:CartPoleEnv")
    with pytest.raises(gone.ConfigError, match=r"max_steps: expected a step limit for .*Forever"):
        ggym.evaluate(population, env_id)
    assert ggym.rollout(population, env_id, max_steps=3).steps == 3
