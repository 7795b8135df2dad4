"""Workspace: buffers made once per batch size, batches gathered into them, the same shuffles."""

import numpy as np

from gone.workspace import Workspace


def weights():
    return [np.zeros((4, 3)), np.zeros((2, 4))]  # a 3-4-2 network: W0 (4, 3), W1 (2, 4)


def test_one_set_of_buffers_per_batch_size_and_gradients_in_parameter_order():
    work = Workspace(weights(), np.float32)
    full, last = work.batch(8), work.batch(3)
    assert work.batch(8) is full and work.batch(3) is last  # made once, reused
    assert [(layer.Z.shape, layer.column.shape) for layer in full.layers] == [
        ((4, 8), (1, 8)),
        ((2, 8), (1, 8)),
    ]
    assert full.layers[0].targets is None and full.layers[-1].targets.shape == (2, 8)
    assert all(layer.A.dtype == np.float32 for layer in last.layers)
    assert [g.shape for g in work.gradients] == [(4, 3), (4, 1), (2, 4), (2, 1)]
    assert work.gradients[0] is work.dWs[0] and work.gradients[3] is work.dbs[1]


def test_gather_copies_the_rows_into_the_same_arrays_every_time():
    X = np.arange(30.0).reshape(10, 3)  # (N, n_in)
    Y = np.arange(20.0).reshape(10, 2)  # (N, n_out)
    buffers = Workspace(weights(), np.float64).batch(3)
    A0, Yb = buffers.gather(X, Y, np.array([7, 0, 4]))
    np.testing.assert_array_equal(A0, X[[7, 0, 4]].T)
    np.testing.assert_array_equal(Yb, Y[[7, 0, 4]].T)
    again, _ = buffers.gather(X, Y, np.array([1, 2, 3]))
    assert np.shares_memory(again, A0)
    np.testing.assert_array_equal(again, X[[1, 2, 3]].T)


def test_permutation_is_the_generators_own_bit_for_bit():
    work = Workspace(weights(), np.float64)
    mine, reference = np.random.default_rng(5), np.random.default_rng(5)
    first = work.permutation(mine, 50)
    np.testing.assert_array_equal(first, reference.permutation(50))
    second = work.permutation(mine, 50)
    assert second is first  # one array, reshuffled
    np.testing.assert_array_equal(second, reference.permutation(50))
    assert mine.random() == reference.random()  # the generators stay in step


def test_weight_decay_adds_the_penalty_gradient():
    W = [np.full((4, 3), 2.0), np.full((2, 4), -1.0)]
    work = Workspace(W, np.float64)
    for dW in work.dWs:
        dW.fill(1.0)
    work.add_weight_decay(W, 0.5)
    np.testing.assert_array_equal(work.dWs[0], 1.0 + 0.5 * W[0])
    np.testing.assert_array_equal(work.dWs[1], 1.0 + 0.5 * W[1])
