import numpy as np
import pytest

import gone
from gone.initializers import INITIALIZERS, initializer_from_name


def draw(init, fan_in=400, fan_out=300, dtype=np.float64):
    return init(fan_in, fan_out, np.random.default_rng(0), dtype)


def test_uniform_is_the_go_default_range():
    W, b = draw(gone.Uniform())
    assert W.shape == (300, 400) and b.shape == (300, 1)
    assert W.min() >= -1 and W.max() < 1 and abs(W.mean()) < 0.01
    assert b.std() > 0.5  # Go randomises biases too


def test_normal_moments():
    W, _ = draw(gone.Normal(2.0, 0.5))
    assert W.mean() == pytest.approx(2.0, abs=0.01) and W.std() == pytest.approx(0.5, rel=0.02)


def test_xavier_limit_and_zero_bias():
    W, b = draw(gone.Xavier())
    limit = np.sqrt(6 / 700)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit
    assert not b.any()


def test_he_variance():
    W, b = draw(gone.He())
    assert W.var() == pytest.approx(2 / 400, rel=0.03) and not b.any()


def test_dtype_and_seed():
    W32, _ = draw(gone.He(), dtype=np.float32)
    assert W32.dtype == np.float32
    np.testing.assert_array_equal(draw(gone.He())[0], draw(gone.He())[0])


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_registry(name):
    init = initializer_from_name(name)
    assert initializer_from_name(init.name, **init.params()) == init


def test_bad_parameters():
    with pytest.raises(gone.ConfigError, match="expected finite low < high"):
        gone.Uniform(1, -1)
    with pytest.raises(gone.ConfigError, match="Normal std: expected a finite number > 0, got 0"):
        gone.Normal(0, 0)
    with pytest.raises(gone.ConfigError, match="expected one of"):
        initializer_from_name("glorot")
