"""gone.gym.spaces: observations into inputs, outputs into actions, sizes that do not fit."""

import numpy as np
import pytest

import gone
from gone.gym.spaces import Actions, Observations

gymnasium = pytest.importorskip("gymnasium", minversion="1.0", reason='pip install "gone[gym]"')
spaces = gymnasium.spaces


def test_a_box_observation_is_flattened_into_float64_inputs():
    observe = Observations(spaces.Box(-1, 1, shape=(2, 3)), "Grid-v0")
    batch = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    assert observe.size == 6
    inputs = observe(batch)
    assert inputs.dtype == np.float64
    np.testing.assert_array_equal(inputs, batch.reshape(2, 6))


def test_a_discrete_observation_becomes_a_one_hot_row():
    observe = Observations(spaces.Discrete(4, start=1), "Rooms-v0")
    np.testing.assert_array_equal(observe(np.array([1, 4])), [[1, 0, 0, 0], [0, 0, 0, 1]])


def test_an_observation_space_a_network_cannot_take_is_refused():
    with pytest.raises(gone.ConfigError, match=r"Cards-v0's observation space: expected a Box"):
        Observations(spaces.Tuple([spaces.Discrete(2), spaces.Discrete(3)]), "Cards-v0")
    with pytest.raises(gone.ShapeError, match=r"population inputs: expected 6, .*got 5"):
        Observations(spaces.Box(-1, 1, shape=(6,)), "Arm-v0").check(5, "population")


def test_discrete_actions_are_the_largest_output():
    act = Actions(spaces.Discrete(3, start=-1), gone.Identity(), 3, "Steer-v0", "population")
    outputs = np.array([[0.1, 0.7, 0.2], [5.0, 5.0, 1.0], [-3.0, -2.0, -1.0]])
    np.testing.assert_array_equal(act(outputs), [0, -1, 1])  # ties: the first; start -1


@pytest.mark.parametrize(
    ("activation", "outputs", "actions"),
    [(gone.Sigmoid(), [0.2, 0.5, 0.51], [0, 0, 1]), (gone.Tanh(), [-0.1, 0.0, 0.1], [0, 0, 1])],
)
def test_one_output_chooses_between_two_actions_by_a_threshold(activation, outputs, actions):
    act = Actions(spaces.Discrete(2), activation, 1, "CartPole-v1", "population")
    np.testing.assert_array_equal(act(np.array(outputs)[:, None]), actions)


@pytest.mark.parametrize(
    ("activation", "outputs"),
    [(gone.Tanh(), [[-1.0, 0.0], [1.0, 0.5]]), (gone.Sigmoid(), [[0.0, 0.5], [1.0, 0.75]])],
)
def test_box_actions_are_the_outputs_scaled_onto_the_bounds(activation, outputs):
    space = spaces.Box(np.float32([-2.0, 0.0]), np.float32([2.0, 10.0]))
    act = Actions(space, activation, 2, "Arm-v0", "population")
    actions = act(np.array(outputs))
    assert actions.dtype == np.float32
    np.testing.assert_array_equal(actions, [[-2.0, 5.0], [2.0, 7.5]])
    assert all(space.contains(a) for a in actions)


def test_box_actions_keep_the_spaces_shape():
    space = spaces.Box(-1, 1, shape=(2, 2))
    actions = Actions(space, gone.Tanh(), 4, "Grid-v0", "population")(np.zeros((3, 4)))
    assert actions.shape == (3, 2, 2)


@pytest.mark.parametrize(
    ("space", "activation", "n_outputs", "error", "message"),
    [
        (spaces.Discrete(3), gone.Identity(), 2, gone.ShapeError, r"outputs: expected 3, .*got 2"),
        (spaces.Discrete(2), gone.Identity(), 3, gone.ShapeError, r"expected 2 \(or 1, thre"),
        (spaces.Box(-1, 1, (2,)), gone.Tanh(), 3, gone.ShapeError, r"outputs: expected 2, .*got 3"),
        (spaces.Box(-1, 1, (2,)), gone.ReLU(), 2, gone.ConfigError, r"expected Tanh or Sigmoid"),
        (spaces.Box(-np.inf, 1, (1,)), gone.Tanh(), 1, gone.ConfigError, r"expected finite bou"),
        (spaces.MultiBinary(3), gone.Sigmoid(), 3, gone.ConfigError, r"Discrete or Box actions"),
    ],
)
def test_actions_a_network_cannot_give_are_refused(space, activation, n_outputs, error, message):
    with pytest.raises(error, match=message):
        Actions(space, activation, n_outputs, "Robot-v0", "population")
