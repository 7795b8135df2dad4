import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gone
from gone.activations import ACTIVATIONS, activation_from_name
from gone.workspace import LayerBuffers

ELEMENTWISE = [gone.Identity(), gone.Sigmoid(), gone.Tanh(), gone.ReLU(), gone.LeakyReLU(0.1)]
finite = st.floats(-30, 30, allow_nan=False)


def numeric_derivative(f, Z, eps=1e-6):
    return (f.forward(Z + eps) - f.forward(Z - eps)) / (2 * eps)


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.name)
def test_elementwise_derivative_matches_finite_differences(f):
    Z = np.random.default_rng(0).normal(0, 2, (4, 7))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from the ReLU kink
    A = f.forward(Z)
    np.testing.assert_allclose(f.derivative(Z, A), numeric_derivative(f, Z), rtol=1e-6, atol=1e-9)
    dA = np.random.default_rng(1).normal(size=Z.shape)
    np.testing.assert_allclose(f.backward(dA.copy(), Z, A), dA * f.derivative(Z, A))


def test_known_values():
    Z = np.array([[-1.0, 0.0, 2.0]])
    np.testing.assert_allclose(gone.Sigmoid().forward(Z), 1 / (1 + np.exp(-Z)))
    np.testing.assert_array_equal(gone.ReLU().forward(Z), [[0, 0, 2]])
    np.testing.assert_allclose(gone.LeakyReLU(0.2).forward(Z), [[-0.2, 0, 2]])
    np.testing.assert_allclose(gone.Tanh().forward(Z), np.tanh(Z))
    assert gone.ReLU().derivative(Z, None).tolist() == [[0, 0, 1]]  # 0 at the kink


def test_sigmoid_is_stable_at_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        A = gone.Sigmoid().forward(np.array([[-1000.0, 1000.0]]))
    assert A.tolist() == [[0.0, 1.0]]


@given(arrays(np.float64, (5, 3), elements=st.floats(-1e4, 1e4)))
def test_softmax_columns_are_distributions(Z):
    A = gone.Softmax().forward(Z)
    assert np.all(np.isfinite(A)) and np.all(A >= 0)
    np.testing.assert_allclose(A.sum(axis=0), 1.0)


def test_softmax_backward_is_the_jacobian_product():
    rng = np.random.default_rng(2)
    Z, dA = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    A = gone.Softmax().forward(Z)
    got = gone.Softmax().backward(dA.copy(), Z, A)
    for col in range(3):
        a = A[:, col]
        jacobian = np.diag(a) - np.outer(a, a)  # dA_i / dZ_j
        np.testing.assert_allclose(got[:, col], jacobian.T @ dA[:, col])


def test_softmax_on_stacked_population_normalises_nodes():
    Z = np.random.default_rng(3).normal(size=(6, 4, 2))  # (population, nodes, batch)
    np.testing.assert_allclose(gone.Softmax().forward(Z).sum(axis=-2), 1.0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_registry_round_trip(name):
    f = activation_from_name(name)
    assert f.name == name
    assert activation_from_name(f.name, **f.params()) == f


def test_leaky_relu_parameters_survive_the_registry():
    f = activation_from_name("leaky_relu", slope=0.3)
    assert f.slope == 0.3 and f != gone.LeakyReLU(0.01)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(gone.ConfigError, match="expected one of .*sigmoid.*got 'sigmod'"):
        activation_from_name("sigmod")


def test_leaky_relu_rejects_a_negative_slope():
    with pytest.raises(gone.ConfigError, match="slope"):
        gone.LeakyReLU(-1)


# ---- the in-place forms the training loop uses -------------------------------------------------

IN_PLACE = [
    *ELEMENTWISE,
    gone.LeakyReLU(0.0),
    gone.LeakyReLU(1.0),
    gone.LeakyReLU(2.5),
    gone.Softmax(),
]


def layer_buffers(Z, dA):
    buffers = LayerBuffers(*Z.shape, Z.dtype)
    for array in (buffers.A, buffers.scratch, buffers.column):
        array.fill(np.nan)  # whatever the buffers held before must not matter
    buffers.Z[...] = Z
    buffers.dZ[...] = dA
    return buffers


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("f", IN_PLACE, ids=repr)
def test_in_place_forms_give_forward_and_backward_bit_for_bit(f, dtype):
    rng = np.random.default_rng(4)
    Z = rng.normal(0, 3, (5, 8)).astype(dtype)
    Z[0, :4] = [0.0, -0.0, 80.0, -80.0]  # the kink, both zeros, saturation
    dA = rng.normal(size=Z.shape).astype(dtype)
    buffers = layer_buffers(Z, dA)
    f.forward_into(buffers)
    A = f.forward(Z)
    np.testing.assert_array_equal(buffers.A, A, strict=True)
    assert np.array_equal(np.signbit(buffers.A), np.signbit(A))  # -0.0 stays -0.0
    f.backward_into(buffers)
    np.testing.assert_array_equal(buffers.dZ, f.backward(dA.copy(), Z, A), strict=True)


def test_a_subclass_that_changes_the_function_gets_the_generic_in_place_form():
    class ReLU6(gone.ReLU):  # forward and derivative changed, in-place forms not
        def forward(self, Z):
            return np.clip(Z, 0, 6)

        def derivative(self, Z, A):
            return ((Z > 0) & (Z < 6)).astype(Z.dtype)

        def backward(self, dA, Z, A):
            dA *= self.derivative(Z, A)
            return dA

    Z = np.array([[-1.0, 3.0, 9.0]])
    buffers = layer_buffers(Z, np.ones_like(Z))
    ReLU6().forward_into(buffers)
    ReLU6().backward_into(buffers)
    assert buffers.A.tolist() == [[0.0, 3.0, 6.0]]
    assert buffers.dZ.tolist() == [[0.0, 1.0, 0.0]]
