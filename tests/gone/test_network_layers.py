"""NeuralNetwork with layers beyond dense ones: images in and out of predict, evaluate and
training, the checks of a layout, copies, reproducibility, and what stays dense-only."""

import copy

import numpy as np
import pytest

import gone
import gone.network

RNG = np.random.default_rng(0)
IMAGES = RNG.random((30, 1, 10, 10))  # (N, C, H, W)
LABELS = RNG.integers(0, 3, 30)
TARGETS = gone.one_hot(LABELS, 3)


def cnn(seed=0, dtype=np.float64, **kwargs):
    layers = [
        gone.Input((1, 10, 10)),
        gone.Conv2D(4, 3, padding=1, activation=gone.ReLU()),
        gone.MaxPool2D(2),
        gone.BatchNorm(),
        gone.Conv2D(6, 3, activation=gone.ReLU()),
        gone.Flatten(),
        gone.Layer(12, gone.ReLU()),
        gone.Dropout(0.5),
        gone.Layer(3, gone.Softmax()),
    ]
    return gone.NeuralNetwork(
        layers,
        loss=gone.CrossEntropy(),
        learning_rate=0.01,
        seed=seed,
        dtype=dtype,
        initializer=gone.He(),
        **kwargs,
    )


def test_the_issues_example_trains():
    net = gone.NeuralNetwork(
        [
            gone.Input((1, 28, 28)),
            gone.Conv2D(8, 5, padding=2, activation=gone.ReLU()),
            gone.MaxPool2D(2),
            gone.Conv2D(16, 5, activation=gone.ReLU()),
            gone.MaxPool2D(2),
            gone.Flatten(),
            gone.Layer(120, gone.ReLU()),
            gone.Dropout(0.5),
            gone.Layer(10, gone.Softmax()),
        ],
        loss=gone.CrossEntropy(),
        learning_rate=0.001,
        seed=0,
        initializer=gone.He(),
    )
    X = RNG.random((20, 1, 28, 28))
    history = net.train(
        gone.Adam(batch_size=8), gone.DataSet.from_arrays(X, RNG.random((20, 10))), 2
    )
    assert len(history.loss) == 2 and all(np.isfinite(history.loss))
    assert [layer.output_shape for layer in net.layers[1:6]] == [
        (8, 28, 28),
        (8, 14, 14),
        (16, 10, 10),
        (16, 5, 5),
        (400,),
    ]


def test_predict_takes_one_image_or_many():
    net = cnn()
    many = net.predict(IMAGES[:4])
    assert many.shape == (4, 3)
    np.testing.assert_allclose(net.predict(IMAGES[2]), many[2], rtol=1e-14)
    np.testing.assert_allclose(many.sum(axis=1), 1, rtol=1e-14)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (
            np.zeros((10, 10)),
            r"expected shape \(1, 10, 10\) or \(samples, 1, 10, 10\), got \(10, 10\)",
        ),
        (np.zeros((2, 100)), r"got \(2, 100\)"),
        (np.zeros((2, 1, 10, 9)), r"got \(2, 1, 10, 9\)"),
    ],
)
def test_predict_says_which_shape_it_wanted(inputs, message):
    with pytest.raises(gone.ShapeError, match=message):
        cnn().predict(inputs)


def test_data_of_another_shape_is_refused_with_a_hint():
    net = cnn()
    flat = gone.DataSet.from_arrays(IMAGES.reshape(30, -1), TARGETS)
    with pytest.raises(
        gone.ShapeError,
        match=r"data inputs: expected samples of shape \(1, 10, 10\), got \(100,\) "
        r"\(reshape them: X.reshape\(-1, 1, 10, 10\)\)",
    ):
        net.train(gone.MBGD(4), flat, 1)
    dense = gone.NeuralNetwork(
        [gone.Layer(100), gone.Layer(3, gone.Softmax())], loss=gone.CrossEntropy()
    )
    with pytest.raises(
        gone.ShapeError, match=r"expected 100 columns \(input nodes\), got \(1, 10, 10\)"
    ):
        dense.evaluate((IMAGES, TARGETS))


def test_evaluate_in_chunks_is_evaluate_at_once(monkeypatch):
    net = cnn()
    net.train(gone.MBGD(8), (IMAGES, TARGETS), 2)
    whole = net.evaluate((IMAGES, TARGETS))  # 30 samples fit in one chunk
    predictions = net.predict(IMAGES)
    monkeypatch.setattr(gone.network, "CHUNK_NUMBERS", 7 * 2500)  # the first convolution's
    assert net._chunk_size(30) == 7  # 2,500 numbers a sample: 7 samples a chunk
    chunked = net.evaluate((IMAGES, TARGETS))
    assert chunked.accuracy == whole.accuracy
    assert chunked.loss == pytest.approx(whole.loss, rel=1e-14)
    np.testing.assert_allclose(net.predict(IMAGES), predictions, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_same_seed_trains_the_same_bits(dtype):
    runs = []
    for _ in range(2):
        net = cnn(seed=5, dtype=dtype)
        history = net.train(gone.Adam(7), (IMAGES, TARGETS), 2, weight_decay=1e-3)
        runs.append((history.loss, [p.tobytes() for p in net.parameters()]))
    assert runs[0] == runs[1]
    assert all(p.dtype == dtype for p in net.parameters())


def test_a_copy_trains_on_exactly_as_the_original():
    net = cnn(seed=2)
    net.train(gone.MBGD(6, momentum=0.9), (IMAGES, TARGETS), 1)
    twin, deep = net.copy(), copy.deepcopy(net)
    assert twin.layers[1].W is not net.layers[1].W and twin.layers[7].rng is twin.rng
    results = []
    for network in (net, twin, deep):
        network.train(network.optimizer, (IMAGES, TARGETS), 2)
        results.append([p.tobytes() for p in network.parameters()] + [network.rng.random()])
    assert results[0] == results[1] == results[2]


def test_weight_decay_pulls_the_kernels_but_not_biases_or_gammas():
    a, b = cnn(seed=3), cnn(seed=3)
    a.train(gone.GD(), (IMAGES, TARGETS), 1)
    b.train(gone.GD(), (IMAGES, TARGETS), 1, weight_decay=0.5)
    conv_a, conv_b = a.layers[1], b.layers[1]
    decayed = a.layers[1].W - b.layers[1].W  # lr * weight_decay * W more in b
    assert np.abs(decayed).max() > 0
    np.testing.assert_array_equal(conv_a.b, conv_b.b)  # gradients of biases: the same data
    np.testing.assert_array_equal(a.layers[3].gamma, b.layers[3].gamma)


def test_summary_shows_every_layers_output_and_parameters():
    text = str(cnn())
    for row in (
        "0 (input)  input       1x10x10",
        "conv2d      4x10x10  relu        4x1x3x3  4x1     40",
        "max_pool2d  4x5x5",
        "batch_norm  4x5x5    id          4x1      4x1     8",
        "flatten     54",
        "dropout     12",
    ):
        assert row in text, row
    assert f"parameters: {cnn().parameter_count}" in text
    assert repr(cnn()).startswith("<NeuralNetwork 1x10x10 -> conv2d 4x10x10 -> max_pool2d 4x5x5")


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            [gone.Input((1, 4, 4)), gone.Flatten()],
            r"layers\[1\] is the output layer.*dense gone.Layer",
        ),
        ([gone.Input((1, 4, 4)), gone.Flatten(), gone.Dropout(0.5)], "got Dropout"),
        ([gone.Layer(4), "Conv2D"], r"layers\[1\]: expected a gone.Layer, got 'Conv2D'"),
    ],
)
def test_layouts_that_cannot_work(layers, message):
    with pytest.raises(gone.ConfigError, match=message):
        gone.NeuralNetwork(layers)


def test_what_stays_dense_only_says_so():
    net = cnn()
    with pytest.raises(
        gone.ConfigError, match=r"weight_shapes: expected a network of dense layers"
    ):
        _ = net.weight_shapes
    with pytest.raises(gone.ConfigError, match=r"crossover: expected a network of dense layers"):
        net.crossover(cnn(seed=1))
    with pytest.raises(
        gone.ConfigError,
        match=r"Population layers\[0\]: expected dense gone.Layer layers only .* got Input",
    ):
        gone.Population(list(net.layers), 4, seed=0)
    before = [p.copy() for p in net.parameters()]
    net.mutate(gone.GaussianMutation(rate=1.0, stddev=0.1), seed=0)  # mutation needs no layout
    assert all(not np.array_equal(p, q) for p, q in zip(net.parameters(), before, strict=True))


def test_from_parameters_takes_kernels_too():
    layers = [gone.Input((1, 3, 3)), gone.Conv2D(1, 2), gone.Flatten(), gone.Layer(1)]
    kernel = np.arange(4.0).reshape(1, 1, 2, 2)
    net = gone.NeuralNetwork.from_parameters(
        layers, [kernel, np.ones((1, 4))], [np.zeros((1, 1)), np.zeros((1, 1))]
    )
    image = np.arange(9.0).reshape(1, 3, 3)
    # windows [[0 1] [3 4]], [[1 2] [4 5]], ...: 0*0 + 1*1 + 2*3 + 3*4 = 19, then 25, 37, 43
    assert net.predict(image).tolist() == [19.0 + 25 + 37 + 43]
    with pytest.raises(gone.ShapeError, match=r"weights\[0\]: expected shape \(1, 1, 2, 2\)"):
        gone.NeuralNetwork.from_parameters(layers, [np.ones((1, 4)), np.ones((1, 4))], [0, 0])
    with pytest.raises(gone.ConfigError, match="BatchNorm at layers\\[2\\].*from_layer_states"):
        gone.NeuralNetwork.from_parameters(
            [gone.Layer(2), gone.Layer(2), gone.BatchNorm(), gone.Layer(1)], [], []
        )
