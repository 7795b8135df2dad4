import copy
import io
import tracemalloc

import numpy as np
import pytest

import gone
from matrigo import Matrix

XOR_X = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], dtype=float)
XOR_Y = np.array([[1], [1], [0], [0]], dtype=float)


def xor_net(seed=1, **kwargs):
    """The README's XOR settings (the Go tutorial's): 2-4-1, sigmoid hidden, MSE, lr 0.1."""
    return gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1)],
        loss=gone.MSE(),
        learning_rate=0.1,
        seed=seed,
        **kwargs,
    )


def xor_data():
    return gone.DataSet.from_arrays(XOR_X, XOR_Y)


# ---- construction ---------------------------------------------------------------------------


def test_shapes_follow_go():
    net = xor_net()
    assert [w.shape for w in net.weights] == [(4, 2), (1, 4)]
    assert [b.shape for b in net.biases] == [(4, 1), (1, 1)]
    assert isinstance(net.weights[0], Matrix)
    assert net.parameter_count == 17


def test_weights_are_views_of_the_network():
    net = xor_net()
    net.weights[0].data[0, 0] = 42.0
    assert net.parameters()[0][0, 0] == 42.0


def test_a_perceptron_is_a_network():
    net = gone.NeuralNetwork([gone.Layer(3), gone.Layer(1, gone.Sigmoid())], seed=0)
    assert net.predict([1, 2, 3]).shape == (1,)


def test_same_seed_same_weights_and_default_range():
    a, b = xor_net(seed=5), xor_net(seed=5)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)
    assert all(p.min() >= -1 and p.max() < 1 for p in a.parameters())


@pytest.mark.parametrize(
    ("layers", "kwargs", "message"),
    [
        ([gone.Layer(2)], {}, "at least an input and an output layer, got 1"),
        (
            [gone.Layer(2, gone.ReLU()), gone.Layer(1)],
            {},
            "input layer.*expected Identity, got ReLU",
        ),
        ([gone.Layer(2), gone.Layer(1, gone.Softmax())], {}, "Softmax output over 1 node"),
        ([gone.Layer(2), gone.Layer(3, gone.ReLU())], {"loss": gone.CrossEntropy()}, "got ReLU"),
        ([gone.Layer(2), gone.Layer(1)], {"learning_rate": -1}, "learning_rate"),
        ([gone.Layer(2), gone.Layer(1)], {"dtype": np.int32}, "float64 or float32, got int32"),
        ([gone.Layer(2), gone.Layer(1)], {"seed": "seven"}, "seed: expected an int"),
        ([gone.Layer(2), "Layer(1)"], {}, "layers\\[1\\]: expected a gone.Layer"),
    ],
)
def test_bad_configurations(layers, kwargs, message):
    with pytest.raises(gone.ConfigError, match=message):
        gone.NeuralNetwork(layers, **kwargs)


def test_bad_layers():
    with pytest.raises(gone.ConfigError, match=r"nodes: expected an int in \[1, 16777216\], got 0"):
        gone.Layer(0)
    with pytest.raises(gone.ConfigError, match="Activation instance such as gone.Sigmoid"):
        gone.Layer(3, gone.Sigmoid)


def test_from_parameters_checks_shapes():
    layers = [gone.Layer(2), gone.Layer(1)]
    net = gone.NeuralNetwork.from_parameters(layers, [np.ones((1, 2))], [np.zeros((1, 1))])
    assert net.predict([1, 2]).tolist() == [3.0]
    with pytest.raises(
        gone.ShapeError, match="weights\\[0\\]: expected shape \\(1, 2\\), got \\(2, 1\\)"
    ):
        gone.NeuralNetwork.from_parameters(layers, [np.ones((2, 1))], [np.zeros((1, 1))])
    with pytest.raises(gone.ShapeError, match="biases: expected 1 matrices, got 2"):
        gone.NeuralNetwork.from_parameters(layers, [np.ones((1, 2))], [np.zeros((1, 1))] * 2)


# ---- predict / evaluate ----------------------------------------------------------------------


def test_predict_keeps_the_rank_and_matches_the_math():
    net = xor_net()
    W0, b0, W1, b1 = net.parameters()
    expected = W1 @ (1 / (1 + np.exp(-(W0 @ XOR_X.T + b0)))) + b1  # (1, 4)
    np.testing.assert_allclose(net.predict(XOR_X), expected.T, rtol=1e-14)
    np.testing.assert_allclose(net.predict(XOR_X[2]), expected[:, 2], rtol=1e-14)
    assert net.predict(XOR_X).shape == (4, 1) and net.predict([0, 1]).shape == (1,)


def test_predict_errors():
    net = xor_net()
    with pytest.raises(
        gone.ShapeError, match="expected shape \\(2,\\) or \\(samples, 2\\), got \\(3,\\)"
    ):
        net.predict([1, 2, 3])
    with pytest.raises(gone.DataError, match="finite"):
        net.predict([np.nan, 1])
    with pytest.raises(gone.DataError, match="real numbers"):
        net.predict(["a", "b"])


def test_float32_end_to_end():
    net = xor_net(dtype=np.float32)
    assert all(p.dtype == np.float32 for p in net.parameters())
    net.train(gone.SGD(), xor_data(), 10)
    assert net.predict(XOR_X).dtype == np.float32
    assert all(p.dtype == np.float32 for p in net.parameters())


def test_evaluate_reports_loss_and_accuracy():
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(2, gone.Softmax())], loss=gone.CrossEntropy(), seed=0
    )
    W, b = net.parameters()
    W[...] = [[1, 0], [0, 1]]
    b[...] = 0
    data = gone.DataSet.from_arrays([[5, 0], [0, 5], [5, 0]], gone.one_hot([0, 1, 1]))
    result = net.evaluate(data)
    assert result.accuracy == pytest.approx(2 / 3)
    assert result.loss == pytest.approx(
        -np.log(gone.Softmax().forward(np.array([[5.0], [0.0]])))[:, 0] @ [1 / 3, 1 / 3]
        + -np.log(gone.Softmax().forward(np.array([[0.0], [5.0]]))[1, 0]) / 3
    )
    assert xor_net().evaluate(xor_data()).accuracy is None  # identity output: regression


def test_width_mismatch_suggests_one_hot():
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(3, gone.Softmax())], loss=gone.CrossEntropy()
    )
    with pytest.raises(
        gone.ShapeError, match="expected 3 columns.*got 1 \\(class labels\\? use gone.one_hot"
    ):
        net.train(gone.SGD(), gone.DataSet.from_arrays(XOR_X, [0, 1, 2, 0]), 1)


def test_summary_is_a_readable_table():
    text = str(xor_net())
    assert "sigmoid" in text and "4x2" in text and "parameters: 17" in text
    assert "mse" in text and "0 (input)" in text


# ---- training --------------------------------------------------------------------------------


def test_one_hand_worked_sgd_step():
    # y = w x + b with w = 0.5, b = 0.1; x = 2, target 3: L = (1.1 - 3)^2, dL/dw = 2 (1.1 - 3) 2.
    net = gone.NeuralNetwork.from_parameters(
        [gone.Layer(1), gone.Layer(1)], [[[0.5]]], [[[0.1]]], learning_rate=0.1
    )
    history = net.train(gone.SGD(), gone.DataSet.from_arrays([[2.0]], [[3.0]]), 1)
    W, b = net.parameters()
    assert W[0, 0] == pytest.approx(0.5 - 0.1 * 2 * (1.1 - 3) * 2)
    assert b[0, 0] == pytest.approx(0.1 - 0.1 * 2 * (1.1 - 3))
    assert history.loss == [pytest.approx(1.9**2)]


def test_xor_is_learned_from_at_least_9_of_10_seeds():
    learned = 0
    for seed in range(10):
        net = xor_net(seed)
        history = net.train(gone.SGD(), xor_data(), 1500)
        outputs = net.predict(XOR_X)[:, 0]
        learned += bool(np.all((outputs > 0.5) == (XOR_Y[:, 0] > 0.5)) and history.loss[-1] < 0.01)
    assert learned >= 9


def test_same_seed_same_weights_after_training_bit_for_bit():
    runs = []
    for _ in range(2):
        net = xor_net(seed=3)
        net.train(gone.MBGD(2, momentum=0.9), xor_data(), 50)
        runs.append(net.parameters())
    for p, q in zip(*runs):
        assert p.tobytes() == q.tobytes()


def test_mbgd_visits_every_sample_once_per_epoch():
    net = gone.NeuralNetwork([gone.Layer(1), gone.Layer(1)], seed=0)
    data = gone.DataSet.from_arrays(np.arange(10.0)[:, None], np.arange(10.0))
    optimizer = gone.MBGD(3)
    net.train(optimizer, data, 2)
    assert optimizer.steps == 2 * 4  # batches of 3, 3, 3 and the last partial 1


def test_gd_takes_one_step_on_the_whole_set_and_equals_mbgd_of_n():
    a, b = xor_net(seed=2), xor_net(seed=2)
    a.train(gone.GD(), xor_data(), 20)
    b.train(gone.MBGD(4), xor_data(), 20)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)


def test_weight_decay_shrinks_weights():
    plain, decayed = xor_net(seed=4), xor_net(seed=4)
    plain.train(gone.GD(), xor_data(), 200)
    decayed.train(gone.GD(), xor_data(), 200, weight_decay=0.05)
    norm = lambda net: sum(float((W**2).sum()) for W in net.parameters()[::2])  # noqa: E731
    assert norm(decayed) < norm(plain)


def test_schedule_sets_the_learning_rate_per_epoch_across_calls():
    net = xor_net()
    net.train(gone.SGD(), xor_data(), 3, schedule=gone.StepDecay(every=2, factor=0.5))
    history = net.train(gone.SGD(), xor_data(), 2, schedule=gone.StepDecay(every=2, factor=0.5))
    assert net.history.learning_rate == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    assert history.learning_rate == pytest.approx([0.05, 0.025])


def test_divergence_stops_with_the_epoch_and_keeps_finite_weights():
    net = gone.NeuralNetwork([gone.Layer(1), gone.Layer(1)], learning_rate=10.0, seed=0)
    data = gone.DataSet.from_arrays(np.linspace(-100, 100, 20)[:, None], np.linspace(0, 1, 20))
    with pytest.raises(
        gone.DivergenceError, match="diverged at epoch \\d+.*smaller learning rate"
    ) as info:
        net.train(gone.GD(), data, 1000)
    assert info.value.epoch >= 1
    assert all(np.isfinite(p).all() for p in net.parameters())


def sane_then(optimizer, seed=0):
    """A 1-1 network trained 3 sane epochs with `optimizer` (SGD-sized batches of 1)."""
    net = gone.NeuralNetwork([gone.Layer(1), gone.Layer(1)], learning_rate=1e-3, seed=seed)
    data = gone.DataSet.from_arrays(np.linspace(-10, 10, 20)[:, None], np.linspace(0, 1, 20))
    net.train(optimizer, data, 3)
    return net, data


@pytest.mark.parametrize(
    ("make_optimizer", "huge_rate"),
    [(lambda: gone.SGD(momentum=0.9), 1e8), (lambda: gone.Adam(1), 1e200)],
    ids=["momentum", "adam"],
)
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_divergence_restores_the_optimizer_state_with_the_weights(make_optimizer, huge_rate):
    net, data = sane_then(make_optimizer())
    before = net.snapshot()
    net.learning_rate = huge_rate
    with pytest.raises(gone.DivergenceError, match="diverged at epoch 4") as info:
        net.train(net.optimizer, data, 10)
    assert info.value.epoch == 4
    # Epoch 4 is undone: the weights, and the moments and step count that went with them.
    assert net.optimizer.steps == 3 * 20 and net.optimizer.state_is_finite()
    for p, q in zip(net.parameters(), before.parameters):
        assert p.tobytes() == q.tobytes()
    for name, arrays in net.optimizer.state()["slots"].items():
        for a, b in zip(arrays, before.optimizer_state["slots"][name]):
            assert a.tobytes() == b.tobytes()
    # So retraining at a sane rate, as the message advises, goes on as if nothing had happened
    # (without the restore, a NaN momentum made every later step NaN, at any rate).
    net.learning_rate = 1e-3
    history = net.train(net.optimizer, data, 2, seed=5)
    twin, _ = sane_then(make_optimizer())
    twin.train(twin.optimizer, data, 2, seed=5)
    assert history.loss == twin.history.loss[3:]
    for p, q in zip(net.parameters(), twin.parameters()):
        assert p.tobytes() == q.tobytes()


def test_the_optimizer_state_belongs_to_one_network():
    data = xor_data()
    a, b = xor_net(seed=1), xor_net(seed=2)
    optimizer = gone.Adam(4)
    a.train(optimizer, data, 3)
    state = optimizer.state()
    b_before = [p.copy() for p in b.parameters()]
    with pytest.raises(
        gone.ConfigError, match="another network's\\?\\): give each network its own"
    ):
        b.train(optimizer, data, 3)
    # Refused before anything changed: b untouched and without the optimizer, a's state intact.
    assert b.optimizer is None and len(b.history) == 0
    assert all(np.array_equal(p, q) for p, q in zip(b.parameters(), b_before))
    assert optimizer.steps == state["steps"] and a.optimizer is optimizer
    # Another layout gives the same clear error (it used to be numpy's broadcast error).
    other = gone.NeuralNetwork([gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(1)], seed=0)
    with pytest.raises(gone.ConfigError, match="expected the parameters it stepped before"):
        other.train(optimizer, data, 1)
    optimizer.reset()
    b.train(optimizer, data, 3)  # reset: afresh, and b's now
    assert optimizer.steps == 3 and b.optimizer is optimizer


def test_the_same_network_resumes_with_its_own_optimizer_exactly():
    whole, halves = xor_net(seed=6), xor_net(seed=6)
    whole.train(gone.Adam(2), xor_data(), 6)
    halves.train(gone.Adam(2), xor_data(), 3)
    halves.train(halves.optimizer, xor_data(), 3)
    for p, q in zip(whole.parameters(), halves.parameters()):
        assert p.tobytes() == q.tobytes()


def test_a_copy_trains_on_with_its_own_copy_of_the_optimizer():
    net = xor_net(seed=7)
    net.train(gone.MBGD(2, momentum=0.9), xor_data(), 3)
    twin = net.copy()
    assert twin.optimizer is not net.optimizer and twin.optimizer.steps == net.optimizer.steps
    twin.train(twin.optimizer, xor_data(), 3)
    net.train(net.optimizer, xor_data(), 3)
    for p, q in zip(net.parameters(), twin.parameters()):
        assert p.tobytes() == q.tobytes()  # the same continuation, bit for bit
    with pytest.raises(gone.ConfigError, match="expected the parameters it stepped before"):
        twin.train(net.optimizer, xor_data(), 1)


def test_assigning_an_optimizer_binds_it():
    net = xor_net()
    loaded = gone.Adam(2)
    other = xor_net(seed=3)
    other.train(loaded, xor_data(), 1)
    with pytest.raises(gone.ConfigError, match="expected the parameters it stepped before"):
        net.optimizer = loaded
    with pytest.raises(gone.ConfigError, match="optimizer: expected a gone optimizer"):
        net.optimizer = "adam"
    state_only = gone.Adam(2)
    state_only.load_state(loaded.state())  # what loading a file does
    net.optimizer = state_only
    net.train(net.optimizer, xor_data(), 1)
    assert net.optimizer.steps == 4


# ---- the training state: snapshot, restore, gradients ---------------------------------------


def test_snapshot_and_restore_put_back_weights_and_optimizer_state():
    net = xor_net()
    net.train(gone.Adam(2), xor_data(), 2)
    saved = net.snapshot()
    weights = net.weights[0]  # a view: restore writes into the same arrays
    before = weights.data.copy()
    net.train(net.optimizer, xor_data(), 5)
    net.restore(saved)
    np.testing.assert_array_equal(weights.data, before)
    assert net.optimizer.steps == 4
    with pytest.raises(gone.ShapeError, match="snapshot: expected parameters of shapes"):
        gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0).restore(saved)


def test_snapshot_into_an_earlier_one_reuses_its_arrays():
    net = xor_net()
    net.train(gone.Adam(2), xor_data(), 1)
    first = net.snapshot()
    arrays = [id(p) for p in first.parameters]
    net.train(net.optimizer, xor_data(), 1)
    second = net.snapshot(into=first)
    assert [id(p) for p in second.parameters] == arrays
    assert second.optimizer_state is first.optimizer_state  # filled in place too
    for saved, p in zip(second.parameters, net.parameters(), strict=True):
        np.testing.assert_array_equal(saved, p)
    net.train(net.optimizer, xor_data(), 3)
    net.restore(second)
    assert net.optimizer.steps == 4
    other = gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0).snapshot(into=first)
    assert other.parameters is not first.parameters  # shapes that do not fit: new copies


def test_gradients_are_the_backprop_gradients_of_the_whole_set():
    net = xor_net()
    grads = net.gradients(xor_data())
    assert [g.shape for g in grads] == [p.shape for p in net.parameters()]
    # One GD step is exactly p -= lr * gradient.
    expected = [p - 0.1 * g for p, g in zip(net.parameters(), grads)]
    net.train(gone.GD(), xor_data(), 1)
    for p, q in zip(net.parameters(), expected):
        np.testing.assert_allclose(p, q, rtol=1e-15)
    assert len(net.gradients((XOR_X, XOR_Y))) == 4  # an (inputs, targets) pair too


def test_validation_callbacks_and_records():
    records = []
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(2, gone.Softmax())],
        loss=gone.CrossEntropy(),
        learning_rate=0.5,
        seed=0,
    )
    data = gone.DataSet.from_arrays(XOR_X, gone.one_hot([1, 1, 0, 0]))
    history = net.train(gone.GD(), data, 5, validation=data, on_epoch=records.append)
    assert [r.epoch for r in records] == [1, 2, 3, 4, 5]
    assert history.val_loss == [r.val_loss for r in records]
    assert all(0 <= r.val_accuracy <= 1 for r in records)
    assert records[-1].seconds >= records[0].seconds >= 0
    more = []
    net.train(gone.GD(), data, 2, on_epoch=[more.append, more.append])
    assert [r.epoch for r in more] == [6, 6, 7, 7]  # counting goes on; both callbacks called
    assert more[0].val_loss is None and len(net.history) == 7


def test_a_schedule_must_give_a_finite_rate_of_at_least_zero():
    def falling(base_lr, epoch):
        return base_lr - 0.05 * epoch  # 0.1, 0.05, 0.0, -0.05

    net = xor_net()
    with pytest.raises(
        gone.ConfigError,
        match="learning rate from the schedule for epoch 4: expected a finite number >= 0, got -0.05",
    ):
        net.train(gone.SGD(), xor_data(), 10, schedule=falling)
    assert len(net.history) == 3  # the three epochs before it trained
    with pytest.raises(gone.ConfigError, match="got nan"):
        xor_net().train(gone.SGD(), xor_data(), 1, schedule=lambda lr, epoch: float("nan"))
    with pytest.raises(gone.ConfigError, match="got '0.1'"):
        xor_net().train(gone.SGD(), xor_data(), 1, schedule=lambda lr, epoch: "0.1")


def test_from_parameters_refuses_non_finite_weights():
    layers = [gone.Layer(2), gone.Layer(1)]
    with pytest.raises(
        gone.DataError, match="weights\\[0\\]: expected finite numbers, got nan at index \\(0, 1\\)"
    ):
        gone.NeuralNetwork.from_parameters(layers, [[[1.0, np.nan]]], [[[0.0]]])
    with pytest.raises(gone.DataError, match="biases\\[0\\]: expected finite numbers, got inf"):
        gone.NeuralNetwork.from_parameters(layers, [[[1.0, 2.0]]], [[[np.inf]]])
    with pytest.raises(
        gone.DataError, match="weights\\[0\\]: expected real numbers of shape \\(1, 2\\)"
    ):
        gone.NeuralNetwork.from_parameters(layers, [[["a", "b"]]], [[[0.0]]])


def test_float32_data_is_never_copied_to_float64(monkeypatch):
    rng = np.random.default_rng(0)
    X32 = rng.normal(size=(64, 3)).astype(np.float32)
    Y32 = rng.normal(size=(64, 1)).astype(np.float32)
    data = gone.DataSet.from_arrays(X32, Y32)
    assert data.inputs is X32  # from_arrays kept the array itself
    seen = []  # every A0 a forward pass reads: training's in place, evaluation's pure
    forward, forward_into = gone.backprop.forward_layers, gone.backprop.forward_layers_into

    def spy(layers, A0, *rest, **keywords):
        seen.append(A0)
        return (forward_into if rest else forward)(layers, A0, *rest, **keywords)

    monkeypatch.setattr(gone.backprop, "forward_layers", spy)
    monkeypatch.setattr(gone.backprop, "forward_layers_into", spy)
    net = gone.NeuralNetwork(
        [gone.Layer(3), gone.Layer(4, gone.Tanh()), gone.Layer(1)], seed=0, dtype=np.float32
    )
    net.train(gone.GD(), data, 2, validation=data)
    assert len(seen) == 4 and all(A0.dtype == np.float32 for A0 in seen)
    assert all(np.shares_memory(A0, X32) for A0 in seen)  # whole-set batches: views of X32 itself
    seen.clear()
    net.train(gone.MBGD(16), (X32, Y32), 1)  # a pair: made into a float32 DataSet once
    assert len(seen) == 4 and all(A0.dtype == np.float32 for A0 in seen)


def test_float32_training_allocates_no_float64_copy_of_the_data():

    X32 = np.random.default_rng(1).normal(size=(20_000, 50)).astype(np.float32)  # 4 MB
    Y32 = np.zeros((20_000, 1), dtype=np.float32)
    net = gone.NeuralNetwork(
        [gone.Layer(50), gone.Layer(2, gone.Tanh()), gone.Layer(1)], seed=0, dtype=np.float32
    )
    tracemalloc.start()
    try:
        net.train(gone.MBGD(1000), gone.DataSet.from_arrays(X32, Y32), 1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # What remains: from_arrays' finiteness mask (1 byte a number, 1 MB), one gathered batch
    # (0.2 MB), the shuffled order (0.16 MB). A float64 copy of the data would be 8 MB, a
    # shuffled float32 copy 4 MB.
    assert peak < 0.5 * X32.nbytes


# ---- the steady state: the same math, nothing allocated -------------------------------------


def reference_train(net, optimizer, data, epochs, weight_decay=0.0):
    """The training loop as it read before workspaces, and the math as it reads: pure
    backprop.forward / backward on views of the epoch's shuffled copy. Returns the epoch losses."""
    n = len(data)
    batch_size = min(optimizer.batch_size or n, n)
    losses = []
    for _ in range(epochs):
        X, Y = data.inputs, data.targets
        if batch_size < n:
            order = net.rng.permutation(n)
            X, Y = X[order], Y[order]
        total = 0.0
        for start in range(0, n, batch_size):
            A0, Yb = X[start : start + batch_size].T, Y[start : start + batch_size].T
            W, f = net._weights, net._activations
            Zs, As = gone.backprop.forward(W, net._biases, f, A0)
            total += net.loss.value(f[-1], Zs[-1], As[-1], Yb) * A0.shape[1]
            dWs, dbs = gone.backprop.backward(W, f, net.loss, Zs, As, Yb)
            for dW, weights in zip(dWs, W, strict=True):
                dW += weight_decay * weights
            grads = [g for pair in zip(dWs, dbs, strict=True) for g in pair]
            optimizer.step(net._parameters, grads, net.learning_rate)
        losses.append(total / n)
    return losses


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    ("hidden", "output", "loss", "make_optimizer", "weight_decay"),
    [
        (gone.ReLU(), gone.Softmax(), gone.CrossEntropy(), lambda: gone.MBGD(7), 0.0),
        (gone.Tanh(), gone.Sigmoid(), gone.BinaryCrossEntropy(), lambda: gone.Adam(5), 0.01),
        (gone.Sigmoid(), gone.Identity(), gone.MSE(), lambda: gone.SGD(momentum=0.9), 0.0),
        (
            gone.LeakyReLU(0.2),
            gone.Softmax(),
            gone.MSE(),
            lambda: gone.MBGD(8, momentum=0.5, nesterov=True),
            0.0,
        ),
        (gone.Softmax(), gone.Sigmoid(), gone.CrossEntropy(), lambda: gone.RMSProp(6), 0.1),
        (gone.ReLU(), gone.Softmax(), gone.CrossEntropy(), lambda: gone.GD(momentum=0.5), 0.0),
    ],
    ids=["relu-ce", "tanh-bce-adam", "sigmoid-mse-sgd", "leaky-nesterov", "rmsprop", "gd"],
)
def test_training_computes_the_pure_math_bit_for_bit(
    hidden, output, loss, make_optimizer, weight_decay, dtype
):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(37, 5)).astype(dtype)  # 37 samples: the last batch is shorter
    Y = rng.random((37, 9))
    Y /= Y.sum(axis=1, keepdims=True)  # soft targets: their sums depend on the order
    layers = [gone.Layer(5), gone.Layer(6, hidden), gone.Layer(9, output)]
    net = gone.NeuralNetwork(layers, loss=loss, learning_rate=0.05, seed=3, dtype=dtype)
    twin = net.copy()
    data = gone.DataSet.from_arrays(X, Y)
    history = net.train(make_optimizer(), data, 3, weight_decay=weight_decay)
    expected = reference_train(twin, make_optimizer(), data, 3, weight_decay)
    assert history.loss == expected
    for p, q in zip(net.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(p, q, strict=True)
    assert net.rng.random() == twin.rng.random()  # the shuffles drew the same numbers


class StepMemory(gone.Callback):
    """Records, for every optimizer step, the most memory held above what the step started with
    (tracemalloc's peak since the previous step, minus the memory held then)."""

    def __init__(self, optimizer):
        self.extra = []
        step = optimizer.step

        def recorded_step(params, grads, lr):
            step(params, grads, lr)
            current, peak = tracemalloc.get_traced_memory()
            self.extra.append(peak - self._held)
            self._held = current
            tracemalloc.reset_peak()

        optimizer.step = recorded_step
        self._held = 0


@pytest.mark.parametrize(
    ("make_optimizer", "dtype"),
    [
        (lambda: gone.MBGD(128), np.float32),
        (lambda: gone.MBGD(128), np.float64),
        (lambda: gone.Adam(128), np.float32),
        (lambda: gone.MBGD(128, momentum=0.9, nesterov=True), np.float32),
        (lambda: gone.RMSProp(128), np.float32),
    ],
    ids=["mbgd-float32", "mbgd-float64", "adam", "nesterov", "rmsprop"],
)
def test_after_warm_up_a_step_allocates_under_1_percent_of_the_parameters(make_optimizer, dtype):
    # The benchmark's 784-128-64-10 network, float32 arrays handed over as they are.
    rng = np.random.default_rng(0)
    X = rng.random((1000, 784)).astype(dtype)
    Y = gone.one_hot(rng.integers(0, 10, 1000), 10, dtype=dtype)
    layers = [gone.Layer(784), gone.Layer(128, gone.ReLU()), gone.Layer(64, gone.ReLU())]
    net = gone.NeuralNetwork(
        [*layers, gone.Layer(10, gone.Softmax())], loss=gone.CrossEntropy(), seed=0, dtype=dtype
    )
    optimizer = make_optimizer()
    memory = StepMemory(optimizer)
    tracemalloc.start()
    try:
        net.train(optimizer, gone.DataSet.from_arrays(X, Y), 4, weight_decay=1e-4)
    finally:
        tracemalloc.stop()
    steps_per_epoch = 8  # 7 batches of 128 and one of 104
    assert len(memory.extra) == 4 * steps_per_epoch
    # Warm-up: the first epoch makes the buffers of both batch sizes, the first step of the second
    # the divergence guard's copy of the optimizer's moments. Epoch boundaries included after it.
    steady = memory.extra[steps_per_epoch + 1 :]
    parameter_bytes = sum(p.nbytes for p in net.parameters())
    assert max(steady) < 0.01 * parameter_bytes, (max(steady), parameter_bytes)
    assert max(memory.extra[:steps_per_epoch]) > 0.2 * parameter_bytes  # the warm-up it skips


def test_early_stopping_restores_the_best_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    train = gone.DataSet.from_arrays(X[:20], rng.normal(size=(20, 1)))  # pure noise: overfits
    val = gone.DataSet.from_arrays(X[20:], rng.normal(size=(20, 1)))
    net = gone.NeuralNetwork(
        [gone.Layer(5), gone.Layer(32, gone.Tanh()), gone.Layer(1)], learning_rate=0.05, seed=0
    )
    stopper = gone.EarlyStopping(patience=5)
    history = net.train(gone.GD(), train, 500, validation=val, early_stopping=stopper)
    assert len(history) < 500
    assert len(history) == stopper.best_epoch + 5
    assert net.evaluate(val).loss == pytest.approx(min(history.val_loss))
    with pytest.raises(gone.ConfigError, match="validation"):
        net.train(gone.GD(), train, 5, early_stopping=gone.EarlyStopping())


def test_progress_and_table_write_to_their_streams(monkeypatch):
    err, out = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr("sys.stdout", out)
    xor_net().train(gone.SGD(), xor_data(), 20, progress=True, verbose=10)
    assert "20/20" in err.getvalue() and "loss" in err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:3] == ["epoch", "elapsed", "loss"]
    assert [line.split()[0] for line in lines[1:]] == ["10", "20"]


def test_copy_is_independent_and_identical():
    net = xor_net()
    net.train(gone.SGD(), xor_data(), 5)
    twin = net.copy()
    np.testing.assert_array_equal(twin.predict(XOR_X), net.predict(XOR_X))
    twin.parameters()[0][...] = 0
    assert net.parameters()[0].any()
    assert twin.rng.random() == net.rng.random()  # same random state, separate generators
    assert len(twin.history) == 5


# ---- the four modes, as go-deep names them ---------------------------------------------------


def test_regression_mode():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    Y = X @ [[2.0], [-1.0]] + 0.5
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(8, gone.Tanh()), gone.Layer(1)],
        learning_rate=0.01,
        seed=0,
        initializer=gone.Xavier(),
    )
    net.train(gone.Adam(batch_size=16), gone.DataSet.from_arrays(X, Y), 100)
    assert net.evaluate(gone.DataSet.from_arrays(X, Y)).loss < 0.01


def test_binary_mode():
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(8, gone.Tanh()), gone.Layer(1, gone.Sigmoid())],
        loss=gone.BinaryCrossEntropy(),
        learning_rate=0.05,
        seed=0,
    )
    net.train(gone.Adam(batch_size=4), xor_data(), 300)
    assert net.evaluate(xor_data()).accuracy == 1.0


def test_multi_class_mode():
    rng = np.random.default_rng(1)
    centres = np.array([[0, 3], [3, 0], [-3, -3]])
    labels = rng.integers(0, 3, 300)
    X = centres[labels] + rng.normal(size=(300, 2))
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(8, gone.ReLU()), gone.Layer(3, gone.Softmax())],
        loss=gone.CrossEntropy(),
        learning_rate=0.01,
        seed=0,
        initializer=gone.He(),
    )
    data = gone.DataSet.from_arrays(X, gone.one_hot(labels, 3))
    net.train(gone.Adam(batch_size=32), data, 50)
    assert net.evaluate(data).accuracy > 0.95


def test_multi_label_mode():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, (300, 2))
    Y = np.stack([X[:, 0] > 0, X[:, 1] > 0, X.sum(axis=1) > 0], axis=1).astype(float)
    net = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(16, gone.Tanh()), gone.Layer(3, gone.Sigmoid())],
        loss=gone.BinaryCrossEntropy(),
        learning_rate=0.01,
        seed=0,
    )
    data = gone.DataSet.from_arrays(X, Y)
    net.train(gone.Adam(batch_size=16), data, 100)
    assert net.evaluate(data).accuracy > 0.9  # all three labels right


def test_rmsprop_and_nesterov_learn_xor():
    for optimizer in (gone.RMSProp(batch_size=4), gone.MBGD(4, momentum=0.9, nesterov=True)):
        net = gone.NeuralNetwork(
            [gone.Layer(2), gone.Layer(8, gone.Tanh()), gone.Layer(1, gone.Sigmoid())],
            loss=gone.BinaryCrossEntropy(),
            learning_rate=0.05,
            seed=1,
        )
        net.train(optimizer, xor_data(), 500)
        assert net.evaluate(xor_data()).accuracy == 1.0, optimizer


def test_a_deep_copied_network_trains_on_with_its_optimizer():
    # deepcopy goes through __getstate__ / __setstate__ as in-memory pickling does (a process
    # pool, scikit-learn's estimator checks): the optimizer's weak references are dropped and the
    # copy binds it to its own arrays again. Files are .gone, never pickle.
    net = xor_net(seed=8)
    net.train(gone.Adam(2), xor_data(), 2)
    twin = copy.deepcopy(net)
    twin.train(twin.optimizer, xor_data(), 2, seed=1)
    assert twin.optimizer.steps == 8
    net.train(net.optimizer, xor_data(), 2, seed=1)
    for p, q in zip(net.parameters(), twin.parameters()):
        assert p.tobytes() == q.tobytes()


@pytest.mark.parametrize("image", [False, True])
def test_predict_keeps_no_batch_alive(image):
    if image:
        layers = [gone.Input((1, 4, 4)), gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(3)]
        X = np.ones((5, 1, 4, 4))
    else:
        layers = [gone.Layer(4), gone.Layer(3, gone.Tanh()), gone.Layer(2)]
        X = np.ones((5, 4))
    net = gone.NeuralNetwork(layers, seed=0)
    assert net.predict(X).shape == (5, len(net.predict(X[0])))
    assert all(layer.saved is None for layer in net._modules)  # no (B, ...) array held on to
