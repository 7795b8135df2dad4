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
    with pytest.raises(gone.DataError, match="batch_size"):
        list(data.batches(0))


def test_split():
    data = gone.DataSet.from_arrays(X, Y)
    first, rest = data.split(0.8, seed=0)
    assert (len(first), len(rest)) == (8, 2)
    assert sorted(np.r_[first.targets[:, 0], rest.targets[:, 0]].tolist()) == Y.tolist()
    first, rest = data.split(0.3)
    assert first.targets[:, 0].tolist() == [0, 1, 2]  # unseeded keeps the order
    with pytest.raises(gone.DataError, match="fraction"):
        data.split(1.0)


def test_one_hot():
    np.testing.assert_array_equal(gone.one_hot([2, 0, 1]), np.eye(3)[[2, 0, 1]])
    assert gone.one_hot([1], 4).shape == (1, 4)
    with pytest.raises(gone.DataError, match="expected values in 0..2, got 0..3"):
        gone.one_hot([0, 3], 3)
    with pytest.raises(gone.DataError, match="whole numbers"):
        gone.one_hot([0.5])


def test_astype():
    data = gone.DataSet.from_arrays(X, Y)
    assert data.astype(np.float64) is data
    assert data.astype(np.float32).inputs.dtype == np.float32
