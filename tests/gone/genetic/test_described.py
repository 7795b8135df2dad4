"""Every operator rebuilds from its params(), compares by settings and shows them in its repr."""

import pytest

from gone.genetic import (
    ArithmeticCrossover,
    GaussianMutation,
    Rank,
    Roulette,
    SinglePointCrossover,
    Tournament,
    Truncation,
    UniformCrossover,
)

OPERATORS = [
    Tournament(5),
    Roulette(),
    Rank(1.2),
    Truncation(0.3),
    SinglePointCrossover(),
    UniformCrossover(0.7),
    ArithmeticCrossover(0.25, per_gene=True),
    GaussianMutation(0.2, 0.3, mean=0.1),
]


@pytest.mark.parametrize("operator", OPERATORS, ids=repr)
def test_params_rebuild_an_equal_operator(operator):
    twin = type(operator)(**operator.params())
    assert twin == operator and hash(twin) == hash(operator)
    assert repr(twin) == repr(operator)


def test_settings_and_types_tell_operators_apart():
    assert Tournament(3) != Tournament(4)
    assert UniformCrossover(0.5) != ArithmeticCrossover(0.5)
    assert repr(GaussianMutation(0.1, 0.5)) == "GaussianMutation(rate=0.1, stddev=0.5, mean=0.0)"
