"""Conv2D: shapes, the im2col product against a convolution written pixel by pixel, gradients
against finite differences (stride 1 and 2, padding 0 and 1, odd and non-square sizes), errors."""

import itertools

import numpy as np
import pytest

import gone


def conv_net(C, H, W, conv, n_out=3, **kwargs):
    """Input (C, H, W) -> conv -> Flatten -> dense Softmax over n_out classes."""
    return gone.NeuralNetwork(
        [gone.Input((C, H, W)), conv, gone.Flatten(), gone.Layer(n_out, gone.Softmax())],
        loss=gone.CrossEntropy(),
        **kwargs,
    )


def reference_conv(X, W, b, stride, padding):
    """The convolution (cross-correlation, as in PyTorch) one output pixel at a time: X (N, C, H, W),
    W (F, C, kh, kw), b (F, 1) -> (N, F, Ho, Wo)."""
    (sh, sw), (ph, pw) = stride, padding
    Xp = np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    N, _, Hp, Wp = Xp.shape
    F, _, kh, kw = W.shape
    Ho, Wo = (Hp - kh) // sh + 1, (Wp - kw) // sw + 1
    out = np.empty((N, F, Ho, Wo))
    for n, f, y, x in itertools.product(range(N), range(F), range(Ho), range(Wo)):
        window = Xp[n, :, y * sh : y * sh + kh, x * sw : x * sw + kw]
        out[n, f, y, x] = np.sum(window * W[f]) + b[f, 0]
    return out


CASES = [  # (C, H, W), filters, kernel, stride, padding
    ((1, 5, 5), 2, 3, 1, 0),
    ((2, 7, 6), 3, 3, 2, 1),
    ((3, 6, 7), 2, (2, 3), (2, 1), (1, 0)),
    ((2, 5, 5), 4, 5, 1, 2),
    ((1, 9, 9), 2, 4, 3, 1),
]


@pytest.mark.parametrize(("shape", "filters", "kernel", "stride", "padding"), CASES)
def test_the_product_of_patches_is_the_convolution(shape, filters, kernel, stride, padding):
    conv = gone.Conv2D(filters, kernel, stride=stride, padding=padding)
    net = conv_net(*shape, conv, seed=0, initializer=gone.Normal(0, 1))
    layer = net.layers[1]
    X = np.random.default_rng(1).normal(size=(4, *shape))  # (N, C, H, W)
    A = layer.forward(gone.layers.module.internal(X))  # (F, Ho, Wo, N)
    expected = reference_conv(X, layer.W, layer.b, layer.stride, layer.padding)
    assert layer.output_shape == expected.shape[1:]
    np.testing.assert_allclose(np.moveaxis(A, -1, 0), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("shape", "filters", "kernel", "stride", "padding"), CASES)
@pytest.mark.parametrize("activation", [gone.Tanh(), gone.Sigmoid()], ids=repr)
def test_gradients_match_finite_differences(shape, filters, kernel, stride, padding, activation):
    rng = np.random.default_rng(2)
    conv = gone.Conv2D(filters, kernel, stride=stride, padding=padding, activation=activation)
    # A convolution after another, so the first one's input gradient (col2im) is checked too.
    second = gone.Conv2D(2, 2, stride=1, padding=1, activation=gone.Tanh())
    layers = [gone.Input(shape), conv, second, gone.Flatten(), gone.Layer(3, gone.Softmax())]
    net = gone.NeuralNetwork(
        layers, loss=gone.CrossEntropy(), seed=3, initializer=gone.Normal(0, 0.5)
    )
    X = rng.normal(size=(5, *shape))
    Y = gone.one_hot(rng.integers(0, 3, 5), 3)
    result = gone.gradient_check(net, (X, Y))
    assert result.ok and result.max_error < 1e-7, f"\n{result}"
    assert list(result.errors) == ["W0", "b0", "W1", "b1", "W2", "b2"]


def test_arrays_shapes_and_the_initializer_sees_each_filter_as_a_dense_node():
    net = conv_net(3, 8, 8, gone.Conv2D(4, (3, 2)), seed=5, initializer=gone.He())
    conv = net.layers[1]
    assert conv.W.shape == (4, 3, 3, 2) and conv.b.shape == (4, 1)
    assert conv.output_shape == (4, 6, 7)
    assert net.parameters()[0] is conv.W and net.parameters()[1] is conv.b  # the arrays themselves
    W, b = gone.He()(3 * 3 * 2, 4, np.random.default_rng(5), np.float64)  # fan_in = C*kh*kw
    np.testing.assert_array_equal(conv.W.reshape(4, -1), W)
    np.testing.assert_array_equal(conv.b, b)


def test_hyperparameters_equality_and_repr():
    conv = gone.Conv2D(8, 5, padding=2, activation=gone.ReLU())
    assert conv == gone.Conv2D(8, (5, 5), stride=(1, 1), padding=(2, 2), activation=gone.ReLU())
    assert conv != gone.Conv2D(8, 5, padding=1, activation=gone.ReLU())
    assert repr(conv) == (
        "Conv2D(filters=8, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), activation=ReLU())"
    )
    assert type(conv)(**conv.config()) == conv


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: gone.Conv2D(0, 3), gone.ConfigError, "Conv2D filters: expected an int >= 1"),
        (lambda: gone.Conv2D(2, 0), gone.ConfigError, "kernel_size: expected an int >= 1"),
        (lambda: gone.Conv2D(2, (3, 3, 3)), gone.ConfigError, "an int or a pair of ints"),
        (lambda: gone.Conv2D(2, 3, stride=0), gone.ConfigError, "stride: expected an int >= 1"),
        (lambda: gone.Conv2D(2, 3, padding=-1), gone.ConfigError, "padding: expected an int >= 0"),
        (lambda: gone.Conv2D(2, 3, activation=gone.Softmax()), gone.ConfigError, "elementwise"),
        (lambda: gone.Conv2D(2, 3, activation=gone.ReLU), gone.ConfigError, "Activation"),
    ],
)
def test_bad_hyperparameters(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_inputs_that_do_not_fit():
    with pytest.raises(gone.ShapeError, match=r"layers\[1\] Conv2D: expected a kernel that fits"):
        conv_net(1, 4, 4, gone.Conv2D(2, 5))
    with pytest.raises(gone.ShapeError, match=r"layers\[1\] Conv2D: expected an image input"):
        gone.NeuralNetwork([gone.Layer(16), gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(2)])
