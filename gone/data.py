"""DataSample and DataSet: validated training data, shuffling, batches, splits, one-hot labels.

At this boundary samples are rows: inputs X (samples, n_in), or images (samples, channels,
height, width), and targets Y (samples, n_out).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from gone._checks import (
    FLOAT_DTYPES,
    check_bool,
    check_float_dtype,
    check_int,
    check_number,
    real_array,
    shown,
)
from gone._random import Seed, make_rng
from gone.errors import DataError, ShapeError


@dataclass(frozen=True)
class DataSample:
    """One sample: a 1-D input vector (as Go's DataSample) or a 3-D image (channels, height,
    width), and a 1-D target vector."""

    inputs: np.ndarray
    targets: np.ndarray

    def __init__(self, inputs, targets):
        inputs = real_array(inputs, "DataSample inputs").astype(np.float64, copy=False)
        targets = real_array(targets, "DataSample targets").astype(np.float64, copy=False)
        object.__setattr__(self, "inputs", inputs if inputs.ndim == 3 else inputs.reshape(-1))
        object.__setattr__(self, "targets", targets.reshape(-1))


class DataSet:
    """A set of samples held as two arrays, inputs (N, n_in) or (N, C, H, W) and targets (N, n_out).

    >>> data = DataSet.from_arrays([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]])
    >>> len(data), data.n_inputs, data.n_outputs
    (4, 2, 1)
    """

    def __init__(self, samples: Iterable[DataSample], dtype=np.float64):
        dtype = check_float_dtype(dtype)
        if not isinstance(samples, Iterable) or isinstance(samples, (str, bytes)):
            raise DataError(
                f"DataSet: expected gone.DataSample objects (or use DataSet.from_arrays for "
                f"arrays), got {shown(samples)}"
            )
        samples = list(samples)
        if not samples:
            raise DataError("DataSet: expected at least one sample, got none")
        for index, sample in enumerate(samples):
            if not isinstance(sample, DataSample):
                raise DataError(
                    f"DataSet sample {index}: expected a gone.DataSample(inputs, targets) (or use "
                    f"DataSet.from_arrays for arrays), got {shown(sample)}"
                )
        _check_shapes([s.inputs for s in samples], "inputs")
        _check_shapes([s.targets for s in samples], "targets")
        X = np.stack([s.inputs for s in samples])  # (N, n_in)
        Y = np.stack([s.targets for s in samples])  # (N, n_out)
        self._set(X, Y, dtype)

    @classmethod
    def from_arrays(cls, inputs, targets, dtype=None) -> "DataSet":
        """Build a DataSet from inputs (samples, n_in) or images (samples, channels, height,
        width) and targets (samples, n_out).

        1-D targets are taken as one output per sample, (samples,) -> (samples, 1). `dtype`
        (float64 or float32) is the dtype of both; None keeps the inputs' own when they are
        float32 or float64 (anything else, integers included, becomes float64), so float32
        arrays stay float32 for a float32 network. Arrays already in that dtype and C order
        are used as they are, without a copy.
        """
        X = real_array(inputs, "inputs")
        Y = real_array(targets, "targets")
        if dtype is None:
            dtype = X.dtype if X.dtype in FLOAT_DTYPES else np.dtype(np.float64)
        dtype = check_float_dtype(dtype)
        if X.ndim not in (2, 4):
            hint = " (one channel? X[:, None] makes it (samples, 1, height, width))" * (X.ndim == 3)
            raise ShapeError(
                "inputs: expected a 2-D array (samples, n_inputs) or a 4-D one (samples, channels, "
                f"height, width), got shape {X.shape}{hint}"
            )
        if Y.ndim == 1:
            Y = Y[:, None]
        if Y.ndim != 2:
            raise ShapeError(
                f"targets: expected a 2-D array (samples, n_outputs), got shape {Y.shape}"
            )
        if X.shape[0] != Y.shape[0]:
            raise ShapeError(
                f"targets: expected one row per input sample ({X.shape[0]}), got {Y.shape[0]} rows"
            )
        if X.shape[0] == 0:
            raise DataError("DataSet: expected at least one sample, got none")
        data = cls.__new__(cls)
        data._set(X, Y, dtype)
        return data

    def _set(self, X: np.ndarray, Y: np.ndarray, dtype) -> None:
        # The one conversion (none when X and Y already are C-ordered arrays of `dtype`).
        X = np.ascontiguousarray(X, dtype=dtype)
        Y = np.ascontiguousarray(Y, dtype=dtype)
        for name, array in (("inputs", X), ("targets", Y)):
            bad = ~np.isfinite(array.reshape(len(array), -1)).all(axis=1)
            if bad.any():
                index = int(np.argmax(bad))
                got = array[index].tolist() if array.ndim == 2 else "NaN or infinity"
                raise DataError(f"sample {index}: expected finite {name}, got {got}")
        self.inputs, self.targets = X, Y

    @property
    def n_inputs(self) -> int:
        """The number of input values per sample (channels * height * width for images)."""
        return int(np.prod(self.inputs.shape[1:]))

    @property
    def input_shape(self) -> tuple[int, ...]:
        """The shape of one input sample: (n_in,) or (channels, height, width)."""
        return self.inputs.shape[1:]

    @property
    def n_outputs(self) -> int:
        return self.targets.shape[1]

    @property
    def dtype(self) -> np.dtype:
        return self.inputs.dtype

    def __len__(self) -> int:
        return self.inputs.shape[0]

    def __getitem__(self, index: int) -> DataSample:
        return DataSample(self.inputs[index], self.targets[index])

    def __iter__(self) -> Iterator[DataSample]:
        return (self[i] for i in range(len(self)))

    def __repr__(self):
        inputs = f"{self.n_inputs} inputs"
        if self.inputs.ndim > 2:
            inputs = f"inputs {'x'.join(str(n) for n in self.input_shape)}"
        return f"DataSet({len(self)} samples, {inputs}, {self.n_outputs} outputs)"

    def astype(self, dtype) -> "DataSet":
        """Return this data set in another float dtype (self, not a copy, when it already is)."""
        dtype = check_float_dtype(dtype)
        if self.dtype == dtype:
            return self
        return self._subset(slice(None), dtype)

    def _subset(self, index, dtype=None) -> "DataSet":
        data = DataSet.__new__(DataSet)
        data.inputs = np.ascontiguousarray(self.inputs[index], dtype=dtype or self.dtype)
        data.targets = np.ascontiguousarray(self.targets[index], dtype=dtype or self.dtype)
        return data

    def shuffle(self, seed: Seed = None) -> "DataSet":
        """Return a new DataSet with the samples in a random order."""
        return self._subset(make_rng(seed).permutation(len(self)))

    def split(
        self, fraction: float, seed: Seed = None, shuffle: bool = True
    ) -> tuple["DataSet", "DataSet"]:
        """Split into (first, rest) with round(fraction * N) samples first, shuffled first.

        The shuffle follows gone's `seed=` convention: an int or a Generator gives the same split
        every time; None draws fresh entropy, a different split each call. `shuffle=False`
        keeps the order (the first samples first: a time series, or data shuffled already).

        >>> train, test = data.split(0.8, seed=0)
        """
        fraction = check_number(fraction, "split fraction", above=0, below=1)
        shuffle = check_bool(shuffle, "split shuffle")
        n_first = round(fraction * len(self))
        if not 0 < n_first < len(self):
            raise DataError(
                f"split: expected both parts non-empty, got {n_first} and {len(self) - n_first} "
                f"samples from {len(self)} at fraction {fraction}"
            )
        rng = make_rng(seed)  # checked even when shuffle=False, so a bad seed never goes unnoticed
        order = rng.permutation(len(self)) if shuffle else np.arange(len(self))
        return self._subset(order[:n_first]), self._subset(order[n_first:])

    def batches(
        self, batch_size: int, seed: Seed = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (inputs, targets) in batches of `batch_size` rows, the last one possibly shorter.

        Every sample appears exactly once. Only with a seed is the order shuffled first (one
        gather for the whole pass, then every batch is a view); without one it is the data's.
        """
        batch_size = check_int(batch_size, "batch_size", 1)
        X, Y = self.inputs, self.targets
        if seed is not None:
            order = make_rng(seed).permutation(len(self))
            X, Y = X[order], Y[order]
        for start in range(0, len(self), batch_size):
            yield X[start : start + batch_size], Y[start : start + batch_size]


def one_hot(labels, n_classes: int | None = None, dtype=np.float64) -> np.ndarray:
    """Return one-hot rows (samples, n_classes) for integer labels 0..n_classes-1.

    `labels` are ints (or whole floats); `n_classes` defaults to the largest label + 1.

    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    dtype = check_float_dtype(dtype)
    labels = _class_indices(labels)  # (samples,) int64
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    else:
        n_classes = check_int(n_classes, "n_classes", 1)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise DataError(
            f"labels: expected values in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}"
        )
    encoded = np.zeros((labels.size, n_classes), dtype=dtype)  # (samples, n_classes)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def _class_indices(labels) -> np.ndarray:
    """Return `labels` as a 1-D int64 array; strings, bools and fractions raise DataError."""
    try:
        labels = np.asarray(labels)
    except ValueError:  # ragged nested lists
        labels = np.asarray(labels, dtype=object)
    if labels.ndim != 1:
        raise ShapeError(f"labels: expected a 1-D array of class indices, got shape {labels.shape}")
    if labels.size == 0:
        return labels.astype(np.int64)
    if labels.dtype.kind not in "iuf":  # a bool is no class index; "3" is text
        raise DataError(
            f"labels: expected class indices (ints 0..n_classes-1), got values of dtype {labels.dtype}"
        )
    if labels.dtype.kind == "f" and not np.all(np.mod(labels, 1) == 0):
        raise DataError("labels: expected whole numbers (class indices), got fractional values")
    return labels.astype(np.int64)


def _check_shapes(arrays: list[np.ndarray], what: str) -> None:
    """Raise once, naming the first sample whose shape differs from sample 0's."""
    shape = arrays[0].shape
    for index, array in enumerate(arrays):
        if array.shape != shape:
            expected, got = (shape[0], array.shape[0]) if len(shape) == 1 else (shape, array.shape)
            if array.ndim != len(shape):
                expected, got = shape, array.shape
            raise ShapeError(f"sample {index}: expected {expected} {what} (as sample 0), got {got}")
