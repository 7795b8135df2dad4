"""Selection schemes: parent index arrays drawn with the stated probabilities."""

import numpy as np
import pytest

import gone
from gone.genetic import Rank, Roulette, Tournament, Truncation, selection_from_name

N_DRAWS = 200_000


def frequencies(selection, fitness, seed=0):
    picks = selection(np.asarray(fitness, dtype=float), N_DRAWS, np.random.default_rng(seed))
    assert picks.shape == (N_DRAWS,) and picks.dtype.kind == "i"
    return np.bincount(picks, minlength=len(fitness)) / N_DRAWS


def assert_probabilities(observed, expected):
    """Every frequency within 4 standard errors of its probability."""
    expected = np.asarray(expected)
    sigma = np.sqrt(expected * (1 - expected) / N_DRAWS)
    assert np.all(abs(observed - expected) <= 4 * sigma + 1e-12), (observed, expected)


def test_tournament_picks_rank_r_with_probability_from_k_contestants():
    # With k contestants drawn from P, the winner is the one of rank r (0 = worst) with
    # probability ((r + 1)^k - r^k) / P^k: all k below or at r, not all below r.
    fitness = [3.0, -1.0, 7.0, 0.5, 2.0]  # ranks 3, 0, 4, 1, 2
    ranks = np.array([3, 0, 4, 1, 2])
    P = len(fitness)
    for k in (1, 2, 4):
        expected = ((ranks + 1) ** k - ranks**k) / P**k
        assert_probabilities(frequencies(Tournament(k), fitness), expected)


def test_roulette_is_proportional_to_fitness():
    fitness = [1.0, 2.0, 3.0, 4.0]
    assert_probabilities(frequencies(Roulette(), fitness), np.array(fitness) / 10)


def test_roulette_shifts_negative_fitness_by_the_minimum():
    fitness = np.array([-3.0, -1.0, 0.0, 2.0])
    shifted = fitness + 3  # [0, 2, 3, 5]: the worst gets weight 0
    observed = frequencies(Roulette(), fitness)
    assert observed[0] == 0
    assert_probabilities(observed, shifted / shifted.sum())


def test_roulette_with_equal_fitness_is_uniform():
    assert_probabilities(frequencies(Roulette(), [-2.0] * 4), [0.25] * 4)
    assert_probabilities(frequencies(Roulette(), [0.0] * 4), [0.25] * 4)


@pytest.mark.parametrize("scale", [1e308, 1e-300, 5e-324])
def test_roulette_takes_the_largest_and_smallest_finite_fitness(scale):
    # Shifted by the minimum: weights 2, 0, 1 (times scale). 1e308 - -1e308 overflowed to inf
    # before, and numpy's choice refused the NaN probabilities that followed.
    fitness = np.array([1.0, -1.0, 0.0]) * scale
    with np.errstate(all="raise"):  # no overflow or invalid value on the way
        observed = frequencies(Roulette(), fitness)
    assert observed[1] == 0
    assert_probabilities(observed, [2 / 3, 0, 1 / 3])


def test_roulette_with_the_largest_positive_fitness_is_proportional():
    fitness = np.array([1.7e308, 1.7e308, 0.0, 1.7e308])  # their sum alone is inf
    with np.errstate(all="raise"):
        assert_probabilities(frequencies(Roulette(), fitness), [1 / 3, 1 / 3, 0, 1 / 3])


def test_roulette_refuses_infinite_fitness():
    with pytest.raises(gone.ConfigError, match="finite fitness"):
        Roulette()(np.array([1.0, np.inf]), 3, np.random.default_rng(0))


# Linear ranking (Baker 1985) from its definition: the chance grows by equal steps from the
# worst to the best, the best expects `pressure` children of P draws and the worst 2 - pressure.
# With P = 4 the steps are (best - worst) / 3, worked out by hand:
BY_RANK = {  # pressure -> chance of the ranks worst .. best
    1.0: [1 / 4, 1 / 4, 1 / 4, 1 / 4],  # 1 child each: uniform
    1.5: [1 / 8, 5 / 24, 7 / 24, 3 / 8],  # 0.5 / 4 up to 1.5 / 4 in steps of 1 / 12
    2.0: [0, 1 / 6, 2 / 6, 3 / 6],  # 0 up to 2 / 4 in steps of 1 / 6
}


@pytest.mark.parametrize("pressure", sorted(BY_RANK))
def test_rank_follows_linear_ranking(pressure):
    fitness = [10.0, -5.0, 3.0, 100.0]  # ranks 2, 0, 1, 3: the values themselves do not matter
    ranks = np.array([2, 0, 1, 3])
    expected = np.array(BY_RANK[pressure])[ranks]
    assert expected.sum() == pytest.approx(1)
    observed = frequencies(Rank(pressure), fitness)
    assert_probabilities(observed, expected)
    if pressure == 2.0:
        assert observed[1] == 0  # the worst never breeds


def test_truncation_draws_uniformly_from_the_best_fraction():
    fitness = [5.0, 1.0, 9.0, 3.0, 7.0, 0.0]
    observed = frequencies(Truncation(0.5), fitness)  # the best 3: indices 2, 4, 0
    assert_probabilities(observed, [1 / 3, 0, 1 / 3, 0, 1 / 3, 0])
    assert_probabilities(frequencies(Truncation(0.01), fitness), [0, 0, 1, 0, 0, 0])


@pytest.mark.parametrize("selection", [Tournament(3), Roulette(), Rank(), Truncation()])
def test_the_same_generator_state_gives_the_same_parents(selection):
    fitness = np.random.default_rng(0).standard_normal(50)
    a = selection(fitness, 100, np.random.default_rng(9))
    b = selection(fitness, 100, np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Tournament(0), "Tournament size: expected an int >= 1"),
        (lambda: Rank(2.5), "Rank pressure: expected a finite number in \\[1, 2\\]"),
        (lambda: Truncation(0.0), "Truncation fraction"),
        (lambda: selection_from_name("best"), "rank, roulette, tournament"),
    ],
)
def test_bad_settings_are_refused(make, message):
    with pytest.raises(gone.ConfigError, match=message):
        make()
