"""Update rules. An optimizer sees only lists of parameters and their gradients, never a network.

`step(params, grads, lr)` updates every array of `params` in place from the matching array of
`grads` (dL/dparam). Like the Go library, an optimizer also carries the batch size: SGD() takes
one sample per step, MBGD(n) n samples, GD() the whole set (batch_size None).

State (velocities, moments) is created on the first step, one array per parameter, and is
exposed by `state()` / `load_state()` so a saved model resumes training exactly.
"""

import math

import numpy as np

from gone._described import Described, from_registry
from gone.errors import ConfigError


class Optimizer(Described):
    """Base class. `name` is the registry key; `params()` rebuilds the hyperparameters."""

    name = ""

    def __init__(self, batch_size: int | None):
        if batch_size is not None and (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, (int, np.integer))
            or batch_size < 1
        ):
            raise ConfigError(
                f"batch_size: expected an int >= 1 or None (whole set), got {batch_size!r}"
            )
        self.batch_size = None if batch_size is None else int(batch_size)
        self.steps = 0
        self._slots: dict[str, list[np.ndarray]] = {}

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], lr: float) -> None:
        """Update `params` in place. `grads` may be overwritten."""
        if not self._slots:
            self._slots = {slot: [np.zeros_like(p) for p in params] for slot in self.slot_names}
        self.steps += 1
        self._update(params, grads, float(lr))

    #: Names of the per-parameter state arrays this optimizer keeps.
    slot_names: tuple[str, ...] = ()

    def _update(self, params, grads, lr) -> None:
        raise NotImplementedError

    def params(self) -> dict:
        """Return the constructor arguments that rebuild this optimizer (without its state)."""
        return {"batch_size": self.batch_size}

    def state(self) -> dict:
        """Return {"steps": int, "slots": {name: [arrays]}}: everything learned while training."""
        return {
            "steps": self.steps,
            "slots": {k: [a.copy() for a in v] for k, v in self._slots.items()},
        }

    def load_state(self, state: dict) -> None:
        """Restore what `state()` returned."""
        slots = state.get("slots", {})
        if slots and set(slots) != set(self.slot_names):
            raise ConfigError(
                f"{type(self).__name__} state: expected slots {sorted(self.slot_names)}, got {sorted(slots)}"
            )
        self.steps = int(state.get("steps", 0))
        self._slots = {k: [np.array(a) for a in v] for k, v in slots.items()}


def _check_unit_interval(name: str, value: float, *, closed: bool = True) -> float:
    value = float(value)
    ok = 0 <= value < 1 if closed else 0 < value < 1
    if not ok:
        interval = "[0, 1)" if closed else "(0, 1)"
        raise ConfigError(f"{name}: expected a number in {interval}, got {value}")
    return value


class MBGD(Optimizer):
    """Mini-batch gradient descent, optionally with momentum or Nesterov momentum.

    Plain:     W -= lr * dW
    Momentum:  V = momentum * V - lr * dW;  W += V
    Nesterov:  V = momentum * V - lr * dW;  W += momentum * V - lr * dW   (Sutskever et al. 2013)
    """

    name = "mbgd"
    slot_names = ()

    def __init__(self, batch_size: int | None = 32, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(batch_size)
        self.momentum = _check_unit_interval("momentum", momentum)
        self.nesterov = bool(nesterov)
        if self.nesterov and self.momentum == 0:
            raise ConfigError("nesterov: expected momentum > 0 with nesterov=True, got momentum=0")
        if self.momentum:
            self.slot_names = ("velocity",)

    def _update(self, params, grads, lr):
        if not self.momentum:
            for p, g in zip(params, grads, strict=True):
                g *= lr
                p -= g
            return
        for p, g, v in zip(params, grads, self._slots["velocity"], strict=True):
            g *= lr  # lr * dW
            v *= self.momentum
            v -= g
            if self.nesterov:
                p += self.momentum * v
                p -= g
            else:
                p += v

    def params(self):
        return {**super().params(), "momentum": self.momentum, "nesterov": self.nesterov}


class SGD(MBGD):
    """Stochastic gradient descent: MBGD with one sample per step (Go's SGD())."""

    name = "sgd"

    def __init__(self, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(1, momentum=momentum, nesterov=nesterov)

    def params(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}


class GD(MBGD):
    """Batch gradient descent: one step per epoch on the whole data set (Go's GD())."""

    name = "gd"

    def __init__(self, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(None, momentum=momentum, nesterov=nesterov)

    def params(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): per-parameter steps from running moments of the gradient.

    M = beta1 M + (1 - beta1) dW;  S = beta2 S + (1 - beta2) dW^2
    W -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * M / (sqrt(S) + epsilon)
    """

    name = "adam"
    slot_names = ("m", "v")

    def __init__(
        self,
        batch_size: int | None = 32,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ):
        super().__init__(batch_size)
        self.beta1 = _check_unit_interval("beta1", beta1)
        self.beta2 = _check_unit_interval("beta2", beta2)
        self.epsilon = float(epsilon)
        if not self.epsilon > 0:
            raise ConfigError(f"epsilon: expected a number > 0, got {epsilon}")

    def _update(self, params, grads, lr):
        t = self.steps
        step_size = lr * math.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        for p, g, m, v in zip(params, grads, self._slots["m"], self._slots["v"], strict=True):
            m *= self.beta1
            m += (1 - self.beta1) * g
            g *= g
            v *= self.beta2
            v += (1 - self.beta2) * g  # g now holds dW^2
            denominator = np.sqrt(v)
            denominator += self.epsilon
            p -= step_size * (m / denominator)

    def params(self):
        return {
            **super().params(),
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
        }


class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012): steps scaled by a running mean of squared gradients.

    S = rho S + (1 - rho) dW^2;  W -= lr * dW / (sqrt(S) + epsilon)
    """

    name = "rmsprop"
    slot_names = ("square",)

    def __init__(self, batch_size: int | None = 32, rho: float = 0.9, epsilon: float = 1e-8):
        super().__init__(batch_size)
        self.rho = _check_unit_interval("rho", rho)
        self.epsilon = float(epsilon)
        if not self.epsilon > 0:
            raise ConfigError(f"epsilon: expected a number > 0, got {epsilon}")

    def _update(self, params, grads, lr):
        for p, g, s in zip(params, grads, self._slots["square"], strict=True):
            s *= self.rho
            s += (1 - self.rho) * (g * g)
            denominator = np.sqrt(s)
            denominator += self.epsilon
            g /= denominator
            g *= lr
            p -= g

    def params(self):
        return {**super().params(), "rho": self.rho, "epsilon": self.epsilon}


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, MBGD, GD, Adam, RMSProp)}


def optimizer_from_name(name: str, **params) -> Optimizer:
    """Build an optimizer from its name ("sgd", "mbgd", "gd", "adam", "rmsprop") and parameters."""
    return from_registry(OPTIMIZERS, name, "optimizer", **params)
