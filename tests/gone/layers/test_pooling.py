"""MaxPool2D and AvgPool2D: against pooling written window by window, the gradient of ties going
to one pixel, gradients against finite differences (overlapping windows, pixels left over)."""

import itertools

import numpy as np
import pytest

import gone
from gone.layers.module import internal, public


def reference_pool(X, size, stride, reduce):
    """Pool X (N, C, H, W) one window at a time with `reduce` (np.max or np.mean)."""
    (kh, kw), (sh, sw) = size, stride
    N, C, H, W = X.shape
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    out = np.empty((N, C, Ho, Wo))
    for n, c, y, x in itertools.product(range(N), range(C), range(Ho), range(Wo)):
        out[n, c, y, x] = reduce(X[n, c, y * sh : y * sh + kh, x * sw : x * sw + kw])
    return out


def built(layer, shape):
    net = gone.NeuralNetwork([gone.Input(shape), layer, gone.Flatten(), gone.Layer(2)], seed=0)
    return net.layers[1]


SETTINGS = [(2, None), (3, None), (3, 2), ((2, 3), (1, 2)), (2, 3)]  # (pool_size, stride)


@pytest.mark.parametrize(("size", "stride"), SETTINGS)
@pytest.mark.parametrize(
    ("kind", "reduce"), [(gone.MaxPool2D, np.max), (gone.AvgPool2D, np.mean)], ids=["max", "avg"]
)
def test_pooling_is_the_window_by_window_reduction(kind, reduce, size, stride):
    layer = built(kind(size, stride), (2, 7, 8))
    X = np.random.default_rng(0).normal(size=(3, 2, 7, 8))
    out = public(layer.forward(internal(X)))
    expected = reference_pool(X, layer.pool_size, layer.stride, reduce)
    np.testing.assert_allclose(out, expected, rtol=1e-15, atol=1e-15)
    assert out.shape[1:] == layer.output_shape


def test_a_tie_gives_the_whole_gradient_to_the_first_maximum():
    layer = built(gone.MaxPool2D(2), (1, 2, 4))
    X = np.array([[[[1.0, 1.0, 0.0, 2.0], [1.0, 0.5, 2.0, 2.0]]]])  # windows: 1 1 1 .5 | 0 2 2 2
    layer.forward(internal(X))
    dA_prev = public(layer.backward(internal(np.array([[[[10.0, 20.0]]]]))))
    # Each window passes its gradient to its first maximum in reading order, as PyTorch does:
    np.testing.assert_array_equal(dA_prev, [[[[10.0, 0.0, 0.0, 20.0], [0.0, 0.0, 0.0, 0.0]]]])


def test_average_pooling_shares_the_gradient_evenly():
    layer = built(gone.AvgPool2D(2), (1, 2, 2))
    layer.forward(internal(np.ones((1, 1, 2, 2))))
    dA_prev = public(layer.backward(internal(np.array([[[[8.0]]]]))))
    np.testing.assert_array_equal(dA_prev, np.full((1, 1, 2, 2), 2.0))


def gradient_check(pool, image, seed=0):
    """Check a conv -> pool -> dense network on 4 images of the given (C, H, W)."""
    rng = np.random.default_rng(seed)
    layers = [
        gone.Input(image.shape[1:]),
        gone.Conv2D(2, 3, padding=1, activation=gone.Tanh()),
        pool,
        gone.Flatten(),
        gone.Layer(3, gone.Softmax()),
    ]
    net = gone.NeuralNetwork(layers, loss=gone.CrossEntropy(), seed=seed, initializer=gone.Normal())
    return gone.gradient_check(net, (image, gone.one_hot(rng.integers(0, 3, len(image)), 3)))


@pytest.mark.parametrize(("size", "stride"), SETTINGS)
@pytest.mark.parametrize("kind", [gone.MaxPool2D, gone.AvgPool2D], ids=["max", "avg"])
def test_gradients_match_finite_differences(kind, size, stride):
    image = np.random.default_rng(1).normal(size=(4, 2, 7, 8))
    result = gradient_check(kind(size, stride), image)
    assert result.ok and result.max_error < 1e-7, f"\n{result}"


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 1)])
def test_gradients_with_ties_that_stay_ties(size, stride):
    # Constant images: away from the padded border every output of the convolution is the same
    # number, so every window's maxima are tied, and tied whatever a weight is nudged to. The
    # derivative of the maximum is then that of one pixel; routing the gradient to each tied
    # pixel (a mask of A == max) would count it up to four times over.
    image = np.ones((4, 1, 6, 6)) * np.arange(1, 5)[:, None, None, None]
    layer = gone.MaxPool2D(size, stride)
    result = gradient_check(layer, image, seed=2)
    assert result.ok and result.max_error < 1e-7, f"\n{result}"


def test_bad_windows():
    with pytest.raises(gone.ConfigError, match="MaxPool2D pool_size: expected an int >= 1"):
        gone.MaxPool2D(0)
    with pytest.raises(gone.ConfigError, match="AvgPool2D stride: expected an int >= 1"):
        gone.AvgPool2D(2, stride=0)
    with pytest.raises(
        gone.ShapeError, match=r"layers\[1\] MaxPool2D: expected a window that fits"
    ):
        built(gone.MaxPool2D(5), (1, 4, 4))
    with pytest.raises(gone.ShapeError, match="MaxPool2D: expected an image input"):
        gone.NeuralNetwork([gone.Layer(4), gone.MaxPool2D(2), gone.Layer(2)])


def test_hyperparameters():
    assert gone.MaxPool2D(2) == gone.MaxPool2D((2, 2), stride=2)
    assert repr(gone.MaxPool2D(3, 2)) == "MaxPool2D(pool_size=(3, 3), stride=(2, 2))"
    assert gone.AvgPool2D(2) != gone.MaxPool2D(2)
