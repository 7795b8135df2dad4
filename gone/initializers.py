"""Initial weights and biases for a layer with `fan_in` inputs and `fan_out` outputs.

Each initializer returns (W, b) with W (fan_out, fan_in) and b (fan_out, 1), drawing W first and
then b, each row-major, as the Go library does layer by layer.
"""

import math

import numpy as np

from gone._checks import check_number
from gone._described import Described, from_registry
from gone.errors import ConfigError


class Initializer(Described):
    """Base class: subclasses define `weights` (and `biases`, zero unless stated)."""

    name = ""

    def __call__(self, fan_in: int, fan_out: int, rng: np.random.Generator, dtype) -> tuple:
        W = self.weights(fan_in, fan_out, rng).astype(dtype, copy=False)  # (fan_out, fan_in)
        b = self.biases(fan_in, fan_out, rng).astype(dtype, copy=False)  # (fan_out, 1)
        return W, b

    def weights(self, fan_in, fan_out, rng) -> np.ndarray:
        raise NotImplementedError

    def biases(self, fan_in, fan_out, rng) -> np.ndarray:
        return np.zeros((fan_out, 1))


class Uniform(Initializer):
    """Weights and biases uniform on [low, high): the Go library's default is [-1, 1)."""

    name = "uniform"

    def __init__(self, low: float = -1.0, high: float = 1.0):
        low = check_number(low, "Uniform low")
        high = check_number(high, "Uniform high")
        if not low < high:
            raise ConfigError(f"Uniform bounds: expected finite low < high, got [{low}, {high})")
        self.low, self.high = low, high

    def weights(self, fan_in, fan_out, rng):
        return rng.uniform(self.low, self.high, size=(fan_out, fan_in))

    def biases(self, fan_in, fan_out, rng):
        return rng.uniform(self.low, self.high, size=(fan_out, 1))

    def params(self):
        return {"low": self.low, "high": self.high}


class Normal(Initializer):
    """Weights and biases drawn from N(mean, std^2)."""

    name = "normal"

    def __init__(self, mean: float = 0.0, std: float = 1.0):
        self.mean = check_number(mean, "Normal mean")
        self.std = check_number(std, "Normal std", above=0)

    def weights(self, fan_in, fan_out, rng):
        return rng.normal(self.mean, self.std, size=(fan_out, fan_in))

    def biases(self, fan_in, fan_out, rng):
        return rng.normal(self.mean, self.std, size=(fan_out, 1))

    def params(self):
        return {"mean": self.mean, "std": self.std}


class Xavier(Initializer):
    """Glorot & Bengio (2010): W uniform on +-sqrt(6 / (fan_in + fan_out)), biases zero.

    Keeps the variance of activations and gradients about equal across layers: for tanh and sigmoid.
    """

    name = "xavier"

    def weights(self, fan_in, fan_out, rng):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_out, fan_in))


class He(Initializer):
    """He et al. (2015): W from N(0, 2 / fan_in), biases zero. Made for ReLU layers."""

    name = "he"

    def weights(self, fan_in, fan_out, rng):
        return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


INITIALIZERS: dict[str, type[Initializer]] = {
    cls.name: cls for cls in (Uniform, Normal, Xavier, He)
}


def initializer_from_name(name: str, **params) -> Initializer:
    """Build an initializer from its name ("uniform", "normal", "xavier", "he")."""
    return from_registry(INITIALIZERS, name, "initializer", **params)
