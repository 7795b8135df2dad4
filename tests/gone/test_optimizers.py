"""Closed-form steps: each optimizer's update computed by hand for a known gradient."""

import numpy as np
import pytest

import gone
from gone.optimizers import OPTIMIZERS, optimizer_from_name


def run(optimizer, grads, lr=0.1, start=1.0):
    p = np.array([start])
    for g in grads:
        optimizer.step([p], [np.array([g])], lr)
    return p[0]


def test_batch_sizes_as_in_go():
    assert gone.SGD().batch_size == 1
    assert gone.MBGD(16).batch_size == 16
    assert gone.GD().batch_size is None
    assert gone.Adam(batch_size=8).batch_size == 8


def test_plain_step():
    assert run(gone.MBGD(4), [2.0]) == pytest.approx(1 - 0.1 * 2)


def test_momentum():
    # v1 = -0.2, p = 0.8; v2 = 0.9 * -0.2 - 0.1 = -0.28, p = 0.52
    assert run(gone.SGD(momentum=0.9), [2.0, 1.0]) == pytest.approx(0.52)


def test_nesterov():
    # v1 = -0.2, p += 0.9 * -0.2 - 0.2 -> 0.62; v2 = -0.28, p += 0.9 * -0.28 - 0.1 -> 0.268
    assert run(gone.SGD(momentum=0.9, nesterov=True), [2.0, 1.0]) == pytest.approx(0.268)


def test_adam_first_step_is_lr_sized():
    # After one step m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps) ~ lr.
    assert run(gone.Adam(), [5.0]) == pytest.approx(1 - 0.1, abs=1e-7)


def test_adam_two_steps():
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    m = v = 0.0
    p = 1.0
    for t, g in enumerate([2.0, -1.0], 1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    assert run(gone.Adam(), [2.0, -1.0]) == pytest.approx(p, rel=1e-6)


def test_rmsprop():
    s1 = 0.1 * 4.0
    s2 = 0.9 * s1 + 0.1 * 1.0
    expected = 1 - 0.1 * 2 / (np.sqrt(s1) + 1e-8) - 0.1 * 1 / (np.sqrt(s2) + 1e-8)
    assert run(gone.RMSProp(), [2.0, 1.0]) == pytest.approx(expected)


def test_state_round_trip_continues_identically():
    grads = [0.5, -1.0, 2.0, 0.1]
    whole = run(gone.Adam(), grads)
    first = gone.Adam()
    p = np.array([1.0])
    for g in grads[:2]:
        first.step([p], [np.array([g])], 0.1)
    resumed = gone.Adam()
    resumed.load_state(first.state())
    for g in grads[2:]:
        resumed.step([p], [np.array([g])], 0.1)
    assert p[0] == whole


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_registry_rebuilds(name):
    optimizer = optimizer_from_name(name)
    rebuilt = optimizer_from_name(optimizer.name, **optimizer.params())
    assert rebuilt.params() == optimizer.params()


def test_bad_settings():
    with pytest.raises(gone.ConfigError, match="batch_size"):
        gone.MBGD(0)
    with pytest.raises(gone.ConfigError, match="momentum"):
        gone.SGD(momentum=1.5)
    with pytest.raises(gone.ConfigError, match="nesterov"):
        gone.SGD(nesterov=True)
    with pytest.raises(gone.ConfigError, match="beta1"):
        gone.Adam(beta1=1.0)
