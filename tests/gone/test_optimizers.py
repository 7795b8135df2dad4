"""Closed-form steps: each optimizer's update computed by hand for a known gradient."""

import copy
import gc
import weakref

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


def test_numpy_numbers_are_settings_too():
    assert gone.MBGD(np.int64(8), momentum=np.float32(0.5)).batch_size == 8
    assert gone.Adam(beta1=np.float64(0.8)).beta1 == 0.8


# ---- whose state it is -------------------------------------------------------------------------


def params_of(*shapes):
    return [np.ones(shape) for shape in shapes]


def grads_of(params):
    return [np.full(p.shape, 0.5) for p in params]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_belongs_to_the_parameters_it_stepped(name):
    optimizer = optimizer_from_name(name)
    mine, theirs = params_of((2, 3), (2, 1)), params_of((2, 3), (2, 1))
    optimizer.step(mine, grads_of(mine), 0.1)
    optimizer.step(mine, grads_of(mine), 0.1)  # the same arrays: fine
    with pytest.raises(gone.ConfigError, match="state: expected the parameters it stepped before"):
        optimizer.step(theirs, grads_of(theirs), 0.1)  # same shapes, other arrays: refused
    with pytest.raises(gone.ConfigError, match="or call reset\\(\\)"):
        optimizer.step(params_of((4,)), [np.ones(4)], 0.1)  # other shapes: refused, not numpy's
    assert optimizer.steps == 2 and np.all(theirs[0] == 1)  # nothing happened to theirs
    optimizer.reset()
    optimizer.step(theirs, grads_of(theirs), 0.1)  # afresh
    assert optimizer.steps == 1


def test_a_loaded_state_binds_to_parameters_of_its_shapes_only():
    first = gone.Adam()
    p = params_of((3, 2))
    first.step(p, grads_of(p), 0.1)
    loaded = gone.Adam()
    loaded.load_state(first.state())
    with pytest.raises(
        gone.ShapeError,
        match=r"state 'm': expected the parameters' shapes \[\(2, 3\)\], got \[\(3, 2\)\]",
    ):
        loaded.bind(params_of((2, 3)))
    loaded.bind(q := params_of((3, 2)))  # a loaded file's network: its own arrays
    loaded.step(q, grads_of(q), 0.1)
    assert loaded.steps == 2


def test_copy_is_independent_and_binds_afresh():
    optimizer = gone.RMSProp()
    p = params_of((2, 2))
    optimizer.step(p, grads_of(p), 0.1)
    twin = optimizer.copy()
    q = [a.copy() for a in p]
    twin.step(q, grads_of(q), 0.1)  # the twin may step copies of the arrays
    assert (twin.steps, optimizer.steps) == (2, 1)
    assert not np.array_equal(
        twin.state()["slots"]["square"][0], optimizer.state()["slots"]["square"][0]
    )


def test_the_state_is_held_weakly():
    # An optimizer kept after its network is gone does not keep the network's arrays alive.

    optimizer = gone.SGD(momentum=0.9)
    p = params_of((2, 2))
    optimizer.step(p, grads_of(p), 0.1)
    alive = weakref.ref(p[0])
    del p
    gc.collect()
    assert alive() is None


def test_state_is_finite():
    optimizer = gone.MBGD(2, momentum=0.9)
    assert optimizer.state_is_finite()  # nothing yet
    p = params_of((2,))
    optimizer.step(p, grads_of(p), 0.1)
    assert optimizer.state_is_finite()
    optimizer.step(p, [np.array([np.nan, 1.0])], 0.1)
    assert not optimizer.state_is_finite()


def test_load_state_refuses_what_state_never_returns():
    with pytest.raises(
        gone.ConfigError, match="Adam state: expected a dict as state\\(\\) returns, got list"
    ):
        gone.Adam().load_state([])
    with pytest.raises(gone.ConfigError, match="Adam state steps: expected an int >= 0, got -1"):
        gone.Adam().load_state({"steps": -1, "slots": {}})
    with pytest.raises(gone.ConfigError, match=r"expected slots \['m', 'v'\], got \['velocity'\]"):
        gone.Adam().load_state({"steps": 1, "slots": {"velocity": [np.zeros(1)]}})


def test_state_into_fills_an_earlier_state_in_place():
    optimizer = gone.Adam()
    p = params_of((2, 2), (3,))
    optimizer.step(p, grads_of(p), 0.1)
    saved = optimizer.state()
    arrays = [id(a) for arrays in saved["slots"].values() for a in arrays]
    optimizer.step(p, grads_of(p), 0.1)
    again = optimizer.state(into=saved)
    assert again is saved and saved["steps"] == 2
    assert [id(a) for arrays in saved["slots"].values() for a in arrays] == arrays  # same arrays
    for name, arrays in optimizer.state()["slots"].items():
        for got, expected in zip(saved["slots"][name], arrays, strict=True):
            np.testing.assert_array_equal(got, expected)
    fresh = gone.Adam().state(into=saved)  # a layout that does not fit: new copies
    assert fresh is not saved and fresh["slots"] == {}


@pytest.mark.parametrize("make", [gone.Adam, gone.RMSProp, lambda: gone.SGD(0.9, nesterov=True)])
def test_working_arrays_are_no_part_of_the_state(make):
    optimizer = make()
    p = params_of((2, 2))
    optimizer.step(p, grads_of(p), 0.1)
    assert optimizer._scratch is not None  # kept between steps: a step allocates nothing
    assert set(optimizer.state()["slots"]) == set(optimizer.slot_names)
    for twin in (optimizer.copy(), copy.deepcopy(optimizer)):
        assert twin._scratch is None and twin == optimizer
    q = [a.copy() for a in p]
    twin = optimizer.copy()
    twin.step(q, grads_of(q), 0.1)
    optimizer.step(p, grads_of(p), 0.1)
    np.testing.assert_array_equal(q[0], p[0])  # made afresh, they change nothing
