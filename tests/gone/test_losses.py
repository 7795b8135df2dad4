import numpy as np
import pytest

import gone
from gone.losses import FUSED, LOSSES, loss_from_name
from gone.workspace import LayerBuffers

rng = np.random.default_rng(0)


def finite_difference(fn, A, eps=1e-6):
    grad = np.zeros_like(A)
    for index in np.ndindex(A.shape):
        saved = A[index]
        A[index] = saved + eps
        plus = fn(A)
        A[index] = saved - eps
        minus = fn(A)
        A[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def probabilities(shape):
    return gone.Softmax().forward(rng.normal(size=shape))


@pytest.mark.parametrize(
    "loss", [gone.MSE(), gone.CrossEntropy(), gone.BinaryCrossEntropy()], ids=lambda loss: loss.name
)
def test_gradient_matches_finite_differences(loss):
    A = rng.uniform(0.05, 0.95, (3, 4))
    Y = gone.one_hot([0, 2, 1, 2], 3).T
    np.testing.assert_allclose(
        loss.gradient(A, Y), finite_difference(lambda a: loss.loss(a, Y), A), rtol=1e-5, atol=1e-9
    )


def test_mse_value_is_the_mean_over_outputs_and_samples():
    A, Y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))
    assert gone.MSE().loss(A, Y) == pytest.approx((1 + 4 + 9 + 16) / 4)


def test_cross_entropy_of_a_perfect_prediction_is_zero():
    Y = gone.one_hot([1, 0], 2).T
    assert gone.CrossEntropy().loss(Y.copy(), Y) == pytest.approx(0.0, abs=1e-9)


def test_fused_softmax_cross_entropy_equals_the_chain_rule():
    Z = rng.normal(size=(4, 5))
    A = gone.Softmax().forward(Z)
    Y = gone.one_hot([0, 1, 2, 3, 1], 4).T
    loss = gone.CrossEntropy()
    fused = loss.delta(gone.Softmax(), Z, A, Y)
    chained = gone.Softmax().backward(loss.gradient(A, Y), Z, A)
    np.testing.assert_allclose(fused, chained, atol=1e-12)
    assert loss.value(gone.Softmax(), Z, A, Y) == pytest.approx(loss.loss(A, Y))


TARGETS = {
    "soft": lambda shape: rng.dirichlet(np.ones(shape[0]), shape[1]).T,  # columns sum to 1
    "multi-hot": lambda shape: (rng.random(shape) > 0.5).astype(float),  # columns sum to 0..n
    "unnormalized": lambda shape: rng.uniform(0, 3, shape),
}


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_fused_softmax_cross_entropy_is_exact_for_any_targets(kind):
    # The shortcut A - Y holds only where each target column sums to 1; A * sum(Y) - Y always.
    Z = rng.normal(size=(4, 6))
    A = gone.Softmax().forward(Z)
    Y = TARGETS[kind]((4, 6))
    loss = gone.CrossEntropy()
    chained = gone.Softmax().backward(loss.gradient(A, Y), Z, A)
    np.testing.assert_allclose(loss.delta(gone.Softmax(), Z, A, Y), chained, atol=1e-12)


def test_fused_softmax_cross_entropy_is_a_minus_y_bit_for_bit_for_one_hot_targets():
    for dtype in (np.float64, np.float32):
        Z = rng.normal(size=(10, 32)).astype(dtype)
        A = gone.Softmax().forward(Z)
        Y = gone.one_hot(rng.integers(0, 10, 32), 10, dtype=dtype).T
        fused = gone.CrossEntropy().delta(gone.Softmax(), Z, A, Y)
        assert fused.dtype == dtype and fused.tobytes() == ((A - Y) / 32).tobytes()


@pytest.mark.parametrize("kind", ["multi-hot", "soft"])
def test_fused_sigmoid_binary_cross_entropy_is_exact_for_any_targets(kind):
    Z = rng.normal(size=(3, 4))
    A = gone.Sigmoid().forward(Z)
    Y = TARGETS[kind]((3, 4)) if kind == "multi-hot" else rng.random((3, 4))
    loss = gone.BinaryCrossEntropy()
    np.testing.assert_allclose(
        loss.delta(gone.Sigmoid(), Z, A, Y),
        gone.Sigmoid().backward(loss.gradient(A, Y), Z, A),
        atol=1e-12,
    )
    assert loss.value(gone.Sigmoid(), Z, A, Y) == pytest.approx(loss.loss(A, Y))


def test_the_closed_forms_apply_to_their_exact_pairs_only():
    class MySoftmax(gone.Softmax):
        pass

    Z = rng.normal(size=(3, 2))
    A = gone.Softmax().forward(Z)
    Y = gone.one_hot([0, 2], 3).T
    loss = gone.CrossEntropy()
    assert (type(loss), gone.Softmax) in FUSED and (type(loss), MySoftmax) not in FUSED
    np.testing.assert_allclose(
        loss.delta(MySoftmax(), Z, A, Y), loss.delta(gone.Softmax(), Z, A, Y)
    )


def test_fused_sigmoid_binary_cross_entropy_equals_the_chain_rule():
    Z = rng.normal(size=(3, 4))
    A = gone.Sigmoid().forward(Z)
    Y = (rng.random((3, 4)) > 0.5).astype(float)
    loss = gone.BinaryCrossEntropy()
    np.testing.assert_allclose(
        loss.delta(gone.Sigmoid(), Z, A, Y),
        gone.Sigmoid().backward(loss.gradient(A, Y), Z, A),
        atol=1e-12,
    )
    assert loss.value(gone.Sigmoid(), Z, A, Y) == pytest.approx(loss.loss(A, Y))


def test_losses_stay_finite_for_saturated_outputs():
    Z = np.array([[800.0, -800.0], [-800.0, 800.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])  # confidently wrong
    for output, loss in (
        (gone.Softmax(), gone.CrossEntropy()),
        (gone.Sigmoid(), gone.BinaryCrossEntropy()),
    ):
        A = output.forward(Z)
        value = loss.value(output, Z, A, Y)
        assert np.isfinite(value) and value > 100  # the true loss, not a clipped log(1e-12)
        assert np.all(np.isfinite(loss.delta(output, Z, A, Y)))


def test_probability_losses_refuse_unbounded_outputs():
    with pytest.raises(
        gone.ConfigError, match="expected a Sigmoid or Softmax output activation, got ReLU"
    ):
        gone.CrossEntropy().check_output(gone.ReLU())
    gone.BinaryCrossEntropy().check_output(gone.Sigmoid())


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_registry(name):
    assert loss_from_name(name).name == name


def test_unknown_loss_name():
    with pytest.raises(gone.ConfigError, match="expected one of"):
        loss_from_name("hinge")


# ---- the in-place forms the training loop uses -------------------------------------------------

PAIRS = [
    (gone.CrossEntropy(), gone.Softmax()),
    (gone.BinaryCrossEntropy(), gone.Sigmoid()),
    (gone.MSE(), gone.Identity()),
    (gone.MSE(), gone.Sigmoid()),
    (gone.CrossEntropy(), gone.Sigmoid()),
    (gone.BinaryCrossEntropy(), gone.Softmax()),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("loss", "output"), PAIRS, ids=repr)
def test_in_place_forms_give_value_and_delta_bit_for_bit(loss, output, dtype):
    generator = np.random.default_rng(7)
    Z = generator.normal(0, 4, (9, 6)).astype(dtype)  # (n_out, B)
    A = output.forward(Z)
    rows = generator.random((6, 9)).astype(dtype)  # soft targets, as rows (B, n_out)
    for Y in (rows.T, np.ascontiguousarray(rows.T)):  # a gathered batch (F order), and C order
        buffers = LayerBuffers(9, 6, dtype, output=True)
        buffers.Z[...], buffers.A[...] = Z, A
        saved = Y.copy()
        assert loss.value_into(output, buffers, Y) == loss.value(output, Z, A, Y)
        loss.delta_into(output, buffers, Y)
        np.testing.assert_array_equal(buffers.dZ, loss.delta(output, Z, A, Y), strict=True)
        np.testing.assert_array_equal(Y, saved)  # targets are only read


def test_a_loss_subclass_that_changes_the_function_gets_the_generic_in_place_form():
    class MAE(gone.MSE):  # loss and gradient changed, in-place forms not
        def loss(self, A, Y):
            return float(np.abs(A - Y).mean())

        def gradient(self, A, Y):
            return np.sign(A - Y) / A.size

    A, Y = np.array([[3.0, -1.0]]), np.array([[1.0, 1.0]])
    buffers = LayerBuffers(1, 2, np.float64, output=True)
    buffers.Z[...] = buffers.A[...] = A
    assert MAE().value_into(gone.Identity(), buffers, Y) == 2.0
    MAE().delta_into(gone.Identity(), buffers, Y)
    assert buffers.dZ.tolist() == [[0.5, -0.5]]
