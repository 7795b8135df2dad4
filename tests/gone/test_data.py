import numpy as np
import pytest

import gone

X = np.arange(20.0).reshape(10, 2)
Y = np.arange(10.0)


def test_from_arrays_and_from_samples_agree():
    a = gone.DataSet.from_arrays(X, Y)
    b = gone.DataSet([gone.DataSample(x, [y]) for x, y in zip(X, Y)])
    np.testing.assert_array_equal(a.inputs, b.inputs)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert (len(a), a.n_inputs, a.n_outputs) == (10, 2, 1)
    assert a[3].inputs.tolist() == [6.0, 7.0] and a[3].targets.tolist() == [3.0]


def test_ragged_samples_are_reported_once_with_the_index():
    samples = [
        gone.DataSample([0, 0], [0]),
        gone.DataSample([1, 1], [1]),
        gone.DataSample([1], [0]),
    ]
    with pytest.raises(
        gone.ShapeError, match="sample 2: expected 2 inputs \\(as sample 0\\), got 1"
    ):
        gone.DataSet(samples)
    with pytest.raises(gone.ShapeError, match="sample 1: expected 1 targets"):
        gone.DataSet([gone.DataSample([0], [0]), gone.DataSample([1], [1, 2])])


def test_bad_arrays():
    with pytest.raises(gone.ShapeError, match="one row per input sample \\(10\\), got 9"):
        gone.DataSet.from_arrays(X, Y[:9])
    with pytest.raises(gone.ShapeError, match="2-D array"):
        gone.DataSet.from_arrays(X.ravel(), Y)
    with pytest.raises(gone.ShapeError, match="ragged"):
        gone.DataSet.from_arrays([[1, 2], [3]], [1, 2])
    with pytest.raises(gone.DataError, match="real numbers"):
        gone.DataSet.from_arrays([["a", "b"]], [1])
    with pytest.raises(gone.DataError, match="at least one sample"):
        gone.DataSet([])
    with pytest.raises(gone.DataError, match="at least one sample"):
        gone.DataSet.from_arrays(np.zeros((0, 2)), np.zeros((0, 1)))


def test_nan_and_inf_name_the_sample():
    bad = X.copy()
    bad[4, 1] = np.nan
    with pytest.raises(gone.DataError, match="sample 4: expected finite inputs"):
        gone.DataSet.from_arrays(bad, Y)
    with pytest.raises(gone.DataError, match="sample 0: expected finite targets"):
        gone.DataSet.from_arrays(X, np.r_[np.inf, Y[1:]])


def test_shuffle_is_seeded_and_keeps_pairs():
    data = gone.DataSet.from_arrays(X, Y)
    a, b = data.shuffle(seed=3), data.shuffle(seed=3)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    assert a.inputs[:, 0].tolist() != X[:, 0].tolist()
    np.testing.assert_array_equal(a.inputs[:, 0] / 2, a.targets[:, 0])  # rows move together


def test_batches_cover_every_sample_once_with_a_short_last_batch():
    data = gone.DataSet.from_arrays(X, Y)
    batches = list(data.batches(4, seed=1))
    assert [len(x) for x, _ in batches] == [4, 4, 2]
    seen = np.concatenate([y[:, 0] for _, y in batches])
    assert sorted(seen.tolist()) == Y.tolist()
    with pytest.raises(gone.ConfigError, match="batch_size: expected an int >= 1, got 0"):
        list(data.batches(0))
    assert [y[0, 0] for _, y in data.batches(4)] == [0, 4, 8]  # unseeded: the data's order


def test_split():
    data = gone.DataSet.from_arrays(X, Y)
    first, rest = data.split(0.8, seed=0)
    assert (len(first), len(rest)) == (8, 2)
    assert sorted(np.r_[first.targets[:, 0], rest.targets[:, 0]].tolist()) == Y.tolist()
    again, _ = data.split(0.8, seed=0)
    np.testing.assert_array_equal(again.inputs, first.inputs)  # seeded: the same split
    first, rest = data.split(0.3, shuffle=False)
    assert first.targets[:, 0].tolist() == [0, 1, 2]  # shuffle=False keeps the order
    with pytest.raises(gone.ConfigError, match="fraction"):
        data.split(1.0)


def test_an_unseeded_split_shuffles_from_fresh_entropy():
    # gone's seed= convention: None is fresh entropy, not "no shuffling".
    data = gone.DataSet.from_arrays(np.arange(200.0)[:, None], np.arange(200.0))
    firsts = {tuple(data.split(0.5)[0].targets[:, 0]) for _ in range(3)}
    assert len(firsts) == 3
    assert tuple(range(100)) not in firsts


def test_split_takes_a_generator_as_every_seed_does():
    data = gone.DataSet.from_arrays(X, Y)
    a = data.split(0.5, seed=np.random.default_rng(4))[0]
    b = data.split(0.5, seed=4)[0]
    np.testing.assert_array_equal(a.inputs, b.inputs)


@pytest.mark.parametrize(
    ("labels", "n_classes", "message"),
    [
        (["cat", "dog"], None, "labels: expected class indices .*got values of dtype <U3"),
        ([True, False], None, "labels: expected class indices .*got values of dtype bool"),
        ([0, 1], 2.5, "n_classes: expected an int >= 1, got 2.5"),
        ([0, 1], "3", "n_classes: expected an int >= 1, got '3'"),
        ([0, 1], 0, "n_classes: expected an int >= 1, got 0"),
        ([0, np.nan], None, "whole numbers"),
        ([[0, 1]], None, "1-D array"),
    ],
)
def test_one_hot_refuses_what_is_no_class_index(labels, n_classes, message):
    with pytest.raises(gone.GoneError, match=message):
        gone.one_hot(labels, n_classes)


def test_one_hot():
    np.testing.assert_array_equal(gone.one_hot([2, 0, 1]), np.eye(3)[[2, 0, 1]])
    assert gone.one_hot([1], 4).shape == (1, 4)
    with pytest.raises(gone.DataError, match="expected values in 0..2, got 0..3"):
        gone.one_hot([0, 3], 3)
    with pytest.raises(gone.DataError, match="whole numbers"):
        gone.one_hot([0.5])
    assert gone.one_hot([2.0, 0.0]).tolist() == [[0, 0, 1], [1, 0, 0]]  # whole floats are fine
    assert gone.one_hot(np.array([1], dtype=np.uint8), 2, dtype=np.float32).dtype == np.float32


def test_astype():
    data = gone.DataSet.from_arrays(X, Y)
    assert data.astype(np.float64) is data
    assert data.astype(np.float32).inputs.dtype == np.float32
    assert data.astype(np.float32).targets.dtype == np.float32


# ---- dtypes: the input's float dtype is kept, and converted at most once ---------------------


def test_from_arrays_keeps_float32_and_uses_the_arrays_themselves():
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)[:, None]
    data = gone.DataSet.from_arrays(X32, Y32)
    assert data.dtype == np.float32 and data.targets.dtype == np.float32
    assert data.inputs is X32 and data.targets is Y32  # no copy at all


def test_targets_follow_the_inputs_dtype():
    # one_hot gives float64 by default: with float32 inputs the set is float32, targets converted.
    data = gone.DataSet.from_arrays(X.astype(np.float32), gone.one_hot(np.arange(10) % 3))
    assert data.inputs.dtype == data.targets.dtype == np.float32


@pytest.mark.parametrize(
    "values",
    [np.arange(20).reshape(10, 2), np.ones((10, 2), dtype=np.float16), [[True, False]] * 10],
)
def test_other_numbers_become_float64(values):
    assert gone.DataSet.from_arrays(values, Y).dtype == np.float64


def test_an_explicit_dtype_wins():
    data = gone.DataSet.from_arrays(X.astype(np.float32), Y, dtype=np.float64)
    assert data.dtype == np.float64 and data.targets.dtype == np.float64
    assert gone.DataSet.from_arrays(X, Y, dtype="float32").dtype == np.float32


def test_images_keep_their_shape():
    images = np.arange(5 * 2 * 3 * 4.0).reshape(5, 2, 3, 4)  # (samples, C, H, W)
    data = gone.DataSet.from_arrays(images.astype(np.float32), np.eye(5))
    assert data.input_shape == (2, 3, 4) and data.n_inputs == 24 and len(data) == 5
    assert data.inputs.dtype == np.float32 and repr(data) == (
        "DataSet(5 samples, inputs 2x3x4, 5 outputs)"
    )
    first, rest = data.split(0.4, seed=0)
    assert first.inputs.shape == (2, 2, 3, 4) and rest.input_shape == (2, 3, 4)
    (batch, _), *_ = data.batches(2, seed=1)
    assert batch.shape == (2, 2, 3, 4)
    samples = gone.DataSet([gone.DataSample(x, y) for x, y in zip(images, np.eye(5), strict=True)])
    np.testing.assert_array_equal(samples.inputs, images)
    assert data[1].inputs.shape == (2, 3, 4)


def test_image_errors():
    with pytest.raises(
        gone.ShapeError,
        match=r"a 4-D one \(samples, channels, height, width\), got shape \(5, 28, 28\) \(one channel\? X\[:, None\]",
    ):
        gone.DataSet.from_arrays(np.zeros((5, 28, 28)), np.zeros((5, 1)))
    bad = np.zeros((4, 1, 2, 2))
    bad[2, 0, 1, 1] = np.inf
    with pytest.raises(
        gone.DataError, match="sample 2: expected finite inputs, got NaN or infinity"
    ):
        gone.DataSet.from_arrays(bad, np.zeros((4, 1)))
    with pytest.raises(
        gone.ShapeError,
        match=r"sample 1: expected \(1, 2, 2\) inputs \(as sample 0\), got \(1, 2, 3\)",
    ):
        gone.DataSet(
            [gone.DataSample(np.zeros((1, 2, 2)), [0]), gone.DataSample(np.zeros((1, 2, 3)), [0])]
        )
