"""Between Gymnasium's spaces and a network: observations in, actions out, the sizes checked.

Observations: a Box is flattened into its values, a Discrete state becomes a one-hot row.
Actions from the network's outputs (one row per environment):
- Discrete(n) from n outputs: the action of the largest output (argmax);
- Discrete(2) from 1 output: action 1 when the output is above the threshold, 0.5 for a
  Sigmoid output, 0 for any other (a Tanh's middle);
- Box from one output per value, each scaled from the output activation's range to the
  bounds: Tanh's [-1, 1] or Sigmoid's [0, 1] onto [low, high] (both bounds must be finite).
"""

from __future__ import annotations

import numpy as np

from gone.activations import Sigmoid, Tanh
from gone.errors import ConfigError, ShapeError
from gone.gym._gymnasium import gymnasium


class Observations:
    """Turns a batch of observations of `space` into network inputs (N, size), float64.

    `size` is the number of inputs a network needs: a Box's values, or a Discrete's n states.
    """

    def __init__(self, space, env_id: str):
        spaces = gymnasium().spaces
        self.space, self.env_id = space, env_id
        if isinstance(space, spaces.Box):
            self.size = int(np.prod(space.shape))
            self._one_hot = False
        elif isinstance(space, spaces.Discrete):
            self.size, self._start = int(space.n), int(space.start)
            self._one_hot = True
        else:
            raise ConfigError(
                f"{env_id}'s observation space: expected a Box or a Discrete (what a dense "
                f"network can take in), got {space}"
            )

    def check(self, n_inputs: int, what: str) -> None:
        """Raise ShapeError unless a network of `n_inputs` inputs fits these observations."""
        if n_inputs != self.size:
            raise ShapeError(
                f"{what} inputs: expected {self.size}, one per value of {self.env_id}'s "
                f"observations {self.space}, got {n_inputs}"
            )

    def __call__(self, batch) -> np.ndarray:
        """(N, *shape) observations -> (N, size) inputs; Discrete states (N,) -> one-hot rows."""
        batch = np.asarray(batch)
        if not self._one_hot:
            return batch.reshape(len(batch), self.size).astype(np.float64)  # (N, size)
        rows = np.zeros((len(batch), self.size))  # (N, n)
        rows[np.arange(len(batch)), batch - self._start] = 1.0
        return rows


class Actions:
    """Turns network outputs (N, n_out) into a batch of actions of `space` (see the module)."""

    def __init__(self, space, output_activation, n_outputs: int, env_id: str, what: str):
        spaces = gymnasium().spaces
        self.space = space
        described = f"{env_id}'s actions {space}"
        if isinstance(space, spaces.Discrete):
            n = int(space.n)
            self._start = int(space.start)
            if n_outputs == n:
                self._rule = "argmax"
            elif n_outputs == 1 and n == 2:
                self._rule = "threshold"
                self._threshold = 0.5 if isinstance(output_activation, Sigmoid) else 0.0
            else:
                also = " (or 1, thresholded)" if n == 2 else ""
                raise ShapeError(
                    f"{what} outputs: expected {n}{also}, one per action of {described}, "
                    f"got {n_outputs}"
                )
        elif isinstance(space, spaces.Box):
            self._shape = space.shape
            size = int(np.prod(space.shape))
            if n_outputs != size:
                raise ShapeError(
                    f"{what} outputs: expected {size}, one per value of {described}, "
                    f"got {n_outputs}"
                )
            if not (np.isfinite(space.low).all() and np.isfinite(space.high).all()):
                raise ConfigError(
                    f"{described}: expected finite bounds to scale the outputs onto, got {space}"
                )
            if isinstance(output_activation, Tanh):
                self._range = (-1.0, 1.0)
            elif isinstance(output_activation, Sigmoid):
                self._range = (0.0, 1.0)
            else:
                raise ConfigError(
                    f"{what} output activation: expected Tanh or Sigmoid for {described} "
                    f"(scaled onto its bounds), got {type(output_activation).__name__}"
                )
            self._low = space.low.astype(np.float64).reshape(-1)  # (size,)
            self._high = space.high.astype(np.float64).reshape(-1)  # (size,)
            self._rule = "scale"
        else:
            raise ConfigError(
                f"{what}: expected an environment with Discrete or Box actions, got {described}"
            )

    def __call__(self, outputs: np.ndarray) -> np.ndarray:
        """(N, n_out) outputs -> (N,) int64 Discrete actions or (N, *shape) Box actions."""
        if self._rule == "argmax":
            return np.argmax(outputs, axis=1) + self._start  # (N,), the first of equal outputs
        if self._rule == "threshold":
            return (outputs[:, 0] > self._threshold).astype(np.int64) + self._start  # (N,)
        lowest, highest = self._range
        unit = (outputs - lowest) / (highest - lowest)  # (N, size) in [0, 1]
        values = self._low + unit * (self._high - self._low)  # (N, size) in [low, high]
        values = values.astype(self.space.dtype)
        # Rounding to the space's dtype (float32) may step just past a bound.
        values = np.clip(values, self.space.low.reshape(-1), self.space.high.reshape(-1))
        return values.reshape(len(outputs), *self._shape)
