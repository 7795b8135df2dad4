"""Workspace: buffers made once per batch size, batches gathered into them, the same shuffles."""

import numpy as np

import gone
from gone.workspace import LayerBuffers, Workspace


def layers(*more):
    """The computing layers of a 3-4-2 network: W0 (4, 3), W1 (2, 4) (and `more` kinds)."""
    net = gone.NeuralNetwork([gone.Layer(3), gone.Layer(4), gone.Layer(2)], seed=0)
    return net._modules


def test_one_set_of_buffers_per_batch_size_and_gradients_in_parameter_order():
    work = Workspace(layers(), (3,), np.float32)
    full, last = work.batch(8), work.batch(3)
    assert work.batch(8) is full and work.batch(3) is last  # made once, reused
    assert [(layer.Z.shape, layer.column.shape) for layer in full.layers] == [
        ((4, 8), (1, 8)),
        ((2, 8), (1, 8)),
    ]
    assert full.layers[0].targets is None and full.layers[-1].targets.shape == (2, 8)
    assert all(layer.A.dtype == np.float32 for layer in last.layers)
    assert all(layer.dA is layer.dZ for layer in full.layers)  # dA becomes dZ in place
    assert [g.shape for g in work.gradients] == [(4, 3), (4, 1), (2, 4), (2, 1)]
    assert work.gradients[0] is work.layer_gradients[0][0]
    assert work.gradients[3] is work.layer_gradients[1][1]


def test_buffers_of_any_shape():
    buffers = LayerBuffers.of_shape((8, 5, 3, 3), np.float64)  # a convolution's (F, B, H, W)
    assert buffers.Z.shape == buffers.mask.shape == (8, 5, 3, 3)
    assert buffers.column.shape == (1, 5, 3, 3) and buffers.targets is None


def test_gather_copies_the_rows_into_the_same_arrays_every_time():
    X = np.arange(30.0).reshape(10, 3)  # (N, n_in)
    Y = np.arange(20.0).reshape(10, 2)  # (N, n_out)
    buffers = Workspace(layers(), (3,), np.float64).batch(3)
    A0, Yb = buffers.gather(X, Y, np.array([7, 0, 4]))
    np.testing.assert_array_equal(A0, X[[7, 0, 4]].T)
    np.testing.assert_array_equal(Yb, Y[[7, 0, 4]].T)
    again, _ = buffers.gather(X, Y, np.array([1, 2, 3]))
    assert np.shares_memory(again, A0)
    np.testing.assert_array_equal(again, X[[1, 2, 3]].T)


def test_gathered_images_have_the_samples_last():
    net = gone.NeuralNetwork(
        [gone.Input((2, 3, 3)), gone.Flatten(), gone.Layer(2)], seed=0, dtype=np.float64
    )
    X = np.arange(10 * 18.0).reshape(10, 2, 3, 3)  # (N, C, H, W)
    Y = np.zeros((10, 2))
    buffers = Workspace(net._modules, net.input_shape, np.float64).batch(2)
    A0, _ = buffers.gather(X, Y, np.array([4, 1]))
    assert A0.shape == (2, 3, 3, 2)  # (C, H, W, B), a view of the gathered rows
    np.testing.assert_array_equal(A0[..., 0], X[4])
    np.testing.assert_array_equal(A0[..., 1], X[1])


def test_permutation_is_the_generators_own_bit_for_bit():
    work = Workspace(layers(), (3,), np.float64)
    mine, reference = np.random.default_rng(5), np.random.default_rng(5)
    first = work.permutation(mine, 50)
    np.testing.assert_array_equal(first, reference.permutation(50))
    second = work.permutation(mine, 50)
    assert second is first  # one array, reshuffled
    np.testing.assert_array_equal(second, reference.permutation(50))
    assert mine.random() == reference.random()  # the generators stay in step


def test_weight_decay_adds_the_penalty_gradient_to_weights_only():
    modules = layers()
    modules[0].W[...], modules[1].W[...] = 2.0, -1.0
    work = Workspace(modules, (3,), np.float64)
    for g in work.gradients:
        g.fill(1.0)
    work.add_weight_decay(0.5)
    dW0, db0, dW1, db1 = work.gradients
    np.testing.assert_array_equal(dW0, 1.0 + 0.5 * modules[0].W)
    np.testing.assert_array_equal(dW1, 1.0 + 0.5 * modules[1].W)
    assert (db0 == 1.0).all() and (db1 == 1.0).all()  # biases are not decayed
