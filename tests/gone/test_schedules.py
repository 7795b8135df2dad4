import pytest

import gone


def test_step_decay():
    schedule = gone.StepDecay(every=10, factor=0.5)
    assert [schedule(0.1, e) for e in (0, 9, 10, 25)] == pytest.approx([0.1, 0.1, 0.05, 0.025])


def test_exponential_decay():
    assert gone.ExponentialDecay(0.9)(1.0, 3) == pytest.approx(0.729)


def test_bad_factors():
    with pytest.raises(gone.ConfigError, match="\\(0, 1\\]"):
        gone.ExponentialDecay(1.5)
    with pytest.raises(gone.ConfigError, match="every"):
        gone.StepDecay(0)
