"""DataSample and DataSet: validated training data, shuffling, batches, splits, one-hot labels.

At this boundary samples are rows: inputs X (samples, n_in), targets Y (samples, n_out).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from gone._random import Seed, make_rng
from gone.errors import DataError, ShapeError


@dataclass(frozen=True)
class DataSample:
    """One sample: a 1-D input vector and a 1-D target vector (as Go's DataSample)."""

    inputs: np.ndarray
    targets: np.ndarray

    def __init__(self, inputs, targets):
        object.__setattr__(self, "inputs", np.asarray(inputs, dtype=np.float64).reshape(-1))
        object.__setattr__(self, "targets", np.asarray(targets, dtype=np.float64).reshape(-1))


class DataSet:
    """A set of samples held as two arrays, inputs (N, n_in) and targets (N, n_out).

    >>> data = DataSet.from_arrays([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]])
    >>> len(data), data.n_inputs, data.n_outputs
    (4, 2, 1)
    """

    def __init__(self, samples: Iterable[DataSample], dtype=np.float64):
        samples = list(samples)
        if not samples:
            raise DataError("DataSet: expected at least one sample, got none")
        _check_widths([s.inputs for s in samples], "inputs")
        _check_widths([s.targets for s in samples], "targets")
        X = np.stack([s.inputs for s in samples])  # (N, n_in)
        Y = np.stack([s.targets for s in samples])  # (N, n_out)
        self._set(X, Y, dtype)

    @classmethod
    def from_arrays(cls, inputs, targets, dtype=np.float64) -> "DataSet":
        """Build a DataSet from inputs (samples, n_in) and targets (samples, n_out).

        1-D targets are taken as one output per sample, (samples,) -> (samples, 1).
        """
        X = _as_float_array(inputs, "inputs", dtype)
        Y = _as_float_array(targets, "targets", dtype)
        if X.ndim != 2:
            raise ShapeError(
                f"inputs: expected a 2-D array (samples, n_inputs), got shape {X.shape}"
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
        X = np.ascontiguousarray(X, dtype=dtype)
        Y = np.ascontiguousarray(Y, dtype=dtype)
        for name, array in (("inputs", X), ("targets", Y)):
            bad = ~np.isfinite(array).all(axis=1)
            if bad.any():
                index = int(np.argmax(bad))
                raise DataError(
                    f"sample {index}: expected finite {name}, got {array[index].tolist()}"
                )
        self.inputs, self.targets = X, Y

    @property
    def n_inputs(self) -> int:
        return self.inputs.shape[1]

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
        return f"DataSet({len(self)} samples, {self.n_inputs} inputs, {self.n_outputs} outputs)"

    def astype(self, dtype) -> "DataSet":
        """Return this data set in another float dtype (self when it already is)."""
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

    def split(self, fraction: float, seed: Seed = None) -> tuple["DataSet", "DataSet"]:
        """Split into (first, rest) with round(fraction * N) samples first, shuffled when seeded.

        >>> train, test = data.split(0.8, seed=0)
        """
        if not 0 < fraction < 1:
            raise DataError(f"split fraction: expected a number in (0, 1), got {fraction}")
        n_first = round(fraction * len(self))
        if not 0 < n_first < len(self):
            raise DataError(
                f"split: expected both parts non-empty, got {n_first} and {len(self) - n_first} "
                f"samples from {len(self)} at fraction {fraction}"
            )
        order = np.arange(len(self)) if seed is None else make_rng(seed).permutation(len(self))
        return self._subset(order[:n_first]), self._subset(order[n_first:])

    def batches(
        self, batch_size: int, seed: Seed = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (inputs, targets) in batches of `batch_size` rows, the last one possibly shorter.

        Every sample appears exactly once. With a seed the order is shuffled first (one gather for
        the whole pass, then every batch is a view).
        """
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, (int, np.integer))
            or batch_size < 1
        ):
            raise DataError(f"batch_size: expected an int >= 1, got {batch_size!r}")
        X, Y = self.inputs, self.targets
        if seed is not None:
            order = make_rng(seed).permutation(len(self))
            X, Y = X[order], Y[order]
        for start in range(0, len(self), batch_size):
            yield X[start : start + batch_size], Y[start : start + batch_size]


def one_hot(labels, n_classes: int | None = None, dtype=np.float64) -> np.ndarray:
    """Return one-hot rows (samples, n_classes) for integer labels 0..n_classes-1.

    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ShapeError(f"labels: expected a 1-D array of class indices, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.all(np.mod(labels, 1) == 0):
            raise DataError("labels: expected whole numbers (class indices), got fractional values")
        labels = labels.astype(np.int64)
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise DataError(
            f"labels: expected values in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}"
        )
    encoded = np.zeros((labels.size, n_classes), dtype=dtype)  # (samples, n_classes)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def _as_float_array(values, what: str, dtype) -> np.ndarray:
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ShapeError(
            f"{what}: expected a rectangular array, got ragged rows ({error})"
        ) from None
    if (
        array.dtype == object
        or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool)
        or np.issubdtype(array.dtype, np.complexfloating)
    ):
        raise DataError(f"{what}: expected real numbers, got values of dtype {array.dtype}")
    return array.astype(dtype, copy=False)


def _check_widths(vectors: list[np.ndarray], what: str) -> None:
    """Raise once, naming the first sample whose width differs from sample 0's."""
    width = vectors[0].size
    for index, vector in enumerate(vectors):
        if vector.size != width:
            raise ShapeError(
                f"sample {index}: expected {width} {what} (as sample 0), got {vector.size}"
            )
