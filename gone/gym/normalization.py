"""Running observation normalization, as OpenAI-ES uses it, and its fold into a network.

Observations of different sizes (a cart's position in metres, a joint's speed in radians per
second) make some inputs dominate a network with fixed-size mutations. OpenAI-ES (Salimans et al.
2017, "Evolution Strategies as a Scalable Alternative to Reinforcement Learning") feeds networks
`(obs - mean) / std`, with the mean and standard deviation of every observation seen so far; the
statistics stay fixed while a generation is evaluated, so every individual sees the same inputs,
and take in that generation's observations afterwards.

A normalized network is the plain network `fold(network)`: the first layer absorbs the shift and
scale, W' = W / std, b' = b - W' @ mean, so the champion saves as an ordinary .gone file (which the
Go library reads too) that takes raw observations. OpenAI-ES also clips normalized inputs to
[-5, 5]; a fold cannot clip, so this normalizer does not either.
"""

from __future__ import annotations

import numpy as np

from gone._checks import check_int, check_number
from gone.errors import ShapeError
from gone.network import NeuralNetwork


class ObservationNormalizer:
    """The running mean and standard deviation of observations: inputs = (obs - mean) / std.

    Parameters: `size` (the number of observation values, a network's inputs), `min_std` (a
    value that barely varies is divided by at least this; OpenAI-ES's 0.1).

    State: `count` (observations seen), `mean` (size,), `std` (size,). Before any observation the
    mean is 0 and the std 1: the normalizer changes nothing.

    >>> normalizer = ObservationNormalizer(4)
    >>> normalizer.update(observations)            # (N, 4)
    >>> inputs = normalizer(observations)          # (N, 4), each column about mean 0, std 1
    >>> champion = normalizer.fold(network)        # the same outputs from raw observations
    """

    def __init__(self, size: int, min_std: float = 0.1):
        self.size = check_int(size, "normalizer size", 1)
        self.min_std = check_number(min_std, "min_std", above=0)
        self.count = 0
        self.mean = np.zeros(self.size)  # (size,)
        self._m2 = np.zeros(self.size)  # (size,) sum of squared deviations from the mean

    @property
    def std(self) -> np.ndarray:
        """(size,) the standard deviation of the observations seen, at least `min_std`."""
        if self.count == 0:
            return np.ones(self.size)
        return np.maximum(np.sqrt(self._m2 / self.count), self.min_std)

    def update(self, observations) -> None:
        """Take in a batch (N, size) of observations (Chan et al.'s merge of two sets' moments)."""
        batch = self._rows(observations)  # (N, size)
        n = len(batch)
        if n == 0:
            return
        batch_mean = batch.mean(axis=0)  # (size,)
        batch_m2 = np.square(batch - batch_mean).sum(axis=0)  # (size,)
        total = self.count + n
        delta = batch_mean - self.mean  # (size,)
        self.mean = self.mean + delta * (n / total)
        self._m2 = self._m2 + batch_m2 + np.square(delta) * (self.count * n / total)
        self.count = total

    def __call__(self, observations) -> np.ndarray:
        """Return (obs - mean) / std for a batch (N, size) or (P, B, size)."""
        observations = np.asarray(observations, dtype=np.float64)
        if observations.shape[-1:] != (self.size,):
            raise ShapeError(
                f"observations: expected {self.size} values each, got shape {observations.shape}"
            )
        return (observations - self.mean) / self.std

    def fold(self, network: NeuralNetwork) -> NeuralNetwork:
        """Return a copy of `network` that computes from raw observations what `network`
        computes from normalized ones: W0' = W0 / std, b0' = b0 - W0' @ mean."""
        if network.n_inputs != self.size:
            raise ShapeError(
                f"network inputs: expected {self.size} for this normalizer, got {network.n_inputs}"
            )
        W0, b0, *rest = network.parameters()  # W0 (n_1, size), b0 (n_1, 1)
        W0 = W0 / self.std  # (n_1, size): column j divided by std[j]
        b0 = b0 - W0 @ self.mean[:, None]  # (n_1, 1)
        return NeuralNetwork.from_parameters(
            network.layers,
            [W0, *rest[0::2]],  # rest: W1, b1, W2, b2, ...
            [b0, *rest[1::2]],
            loss=network.loss,
            learning_rate=network.learning_rate,
            dtype=network.dtype,
            initializer=network.initializer,
        )

    def copy(self) -> ObservationNormalizer:
        """An independent normalizer with the same statistics."""
        twin = ObservationNormalizer(self.size, self.min_std)
        twin.count, twin.mean, twin._m2 = self.count, self.mean.copy(), self._m2.copy()
        return twin

    def __repr__(self) -> str:
        return f"<ObservationNormalizer size={self.size} count={self.count}>"

    def _rows(self, observations) -> np.ndarray:
        rows = np.asarray(observations, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != self.size:
            raise ShapeError(f"observations: expected shape (N, {self.size}), got {rows.shape}")
        return rows
