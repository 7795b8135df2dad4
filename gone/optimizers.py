"""Update rules. An optimizer sees only lists of parameters and their gradients, never a network.

`step(params, grads, lr)` updates every array of `params` in place from the matching array of
`grads` (dL/dparam). Like the Go library, an optimizer also carries the batch size: SGD() takes
one sample per step, MBGD(n) n samples, GD() the whole set (batch_size None).

State (velocities, moments) is created on the first step, one array per parameter, and is
exposed by `state()` / `load_state()` so a saved model resumes training exactly. The state
belongs to the parameters it was made for: an optimizer binds to the first parameters it steps
(or is bound to, see `bind`) and refuses any others, so one optimizer never carries a
network's moments into another network. Give each network its own optimizer, or `reset()` one.
"""

import copy
import math
import weakref

import numpy as np

from gone._checks import check_bool, check_int, check_number
from gone._described import Described, from_registry
from gone.errors import ConfigError, ShapeError


class Optimizer(Described):
    """Base class. `name` is the registry key; `params()` rebuilds the hyperparameters."""

    name = ""

    def __init__(self, batch_size: int | None):
        if batch_size is not None:
            batch_size = check_int(batch_size, "batch_size (or None: the whole set)", 1)
        self.batch_size = batch_size
        self.steps = 0
        self._slots: dict[str, list[np.ndarray]] = {}
        # Weak references to the arrays the state belongs to (None: bound to none yet). Weak, so
        # an optimizer kept after its network is gone does not keep the network's arrays alive.
        self._owner: tuple[weakref.ref, ...] | None = None

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], lr: float) -> None:
        """Update `params` in place. `grads` may be overwritten.

        Raises ConfigError when the state belongs to other parameters (see `bind`).
        """
        if not self._owns(params):
            self.bind(params)
        if not self._slots:
            self._slots = {slot: [np.zeros_like(p) for p in params] for slot in self.slot_names}
        self.steps += 1
        self._update(params, grads, float(lr))

    #: Names of the per-parameter state arrays this optimizer keeps.
    slot_names: tuple[str, ...] = ()

    def _update(self, params, grads, lr) -> None:
        raise NotImplementedError

    # ---- whose state it is ----------------------------------------------------------------

    def bind(self, params: list[np.ndarray]) -> None:
        """Make `params` the arrays this optimizer's state belongs to, from now on.

        A fresh optimizer, or one whose state came from `load_state` (a loaded file, a copied
        network), binds to any parameters of the state's shapes; one that has stepped (or is
        bound to) other arrays refuses with ConfigError: continuing one network's moments on
        another's weights mixes two trainings. `reset()` first to start it afresh.
        """
        params = list(params)
        if self._owner is not None and not self._owns(params):
            raise ConfigError(
                f"{type(self).__name__} state: expected the parameters it stepped before, got "
                "other arrays (another network's?): give each network its own optimizer, "
                f"such as {self!r}, or call reset() to start this one afresh"
            )
        self._check_state_shapes(params)
        self._owner = tuple(weakref.ref(p) for p in params)

    def _owns(self, params: list[np.ndarray]) -> bool:
        """Tell whether the state is bound to exactly these arrays (the same objects, in order)."""
        owner = self._owner
        return (
            owner is not None
            and len(owner) == len(params)
            and all(ref() is p for ref, p in zip(owner, params, strict=True))
        )

    def _check_state_shapes(self, params: list[np.ndarray]) -> None:
        expected = [p.shape for p in params]
        for name, arrays in self._slots.items():
            got = [a.shape for a in arrays]
            if got != expected:
                raise ShapeError(
                    f"{type(self).__name__} state {name!r}: expected the parameters' shapes "
                    f"{expected}, got {got}"
                )

    def reset(self) -> None:
        """Forget the state and the step count: the optimizer is as new, bound to nothing."""
        self.steps = 0
        self._slots = {}
        self._owner = None

    def __getstate__(self) -> dict:
        # Weak references cannot be pickled, and would mean nothing in another process: a pickled
        # or deep-copied optimizer is bound to no parameters (a network holding it binds it again).
        state = self.__dict__.copy()
        state["_owner"] = None
        return state

    def copy(self) -> "Optimizer":
        """Return an independent twin with the same settings, steps and state, bound to nothing
        yet (what copying a network needs: the twin binds to the copied parameters)."""
        twin = copy.copy(self)
        twin._slots = {name: [a.copy() for a in arrays] for name, arrays in self._slots.items()}
        twin._owner = None
        return twin

    # ---- the state itself -------------------------------------------------------------------

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
        """Restore what `state()` returned. The state binds to no parameters until the next
        `step` or `bind` (which check that their shapes are the state's)."""
        if not isinstance(state, dict):
            raise ConfigError(
                f"{type(self).__name__} state: expected a dict as state() returns, got "
                f"{type(state).__name__}"
            )
        steps = check_int(state.get("steps", 0), f"{type(self).__name__} state steps", 0)
        slots = state.get("slots", {})
        if not isinstance(slots, dict) or (slots and set(slots) != set(self.slot_names)):
            got = sorted(slots) if isinstance(slots, dict) else type(slots).__name__
            raise ConfigError(
                f"{type(self).__name__} state: expected slots {sorted(self.slot_names)}, got {got}"
            )
        self.steps = steps
        self._slots = {k: [np.array(a) for a in v] for k, v in slots.items()}
        self._owner = None

    def state_is_finite(self) -> bool:
        """Tell whether every number of the state is finite. A diverged step leaves NaN moments,
        which would make every later step NaN, and a saved file that loading refuses."""
        return all(np.isfinite(a).all() for arrays in self._slots.values() for a in arrays)


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
        self.momentum = check_number(momentum, "momentum", minimum=0, below=1)
        self.nesterov = check_bool(nesterov, "nesterov")
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
        self.beta1 = check_number(beta1, "beta1", minimum=0, below=1)
        self.beta2 = check_number(beta2, "beta2", minimum=0, below=1)
        self.epsilon = check_number(epsilon, "epsilon", above=0)

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
        self.rho = check_number(rho, "rho", minimum=0, below=1)
        self.epsilon = check_number(epsilon, "epsilon", above=0)

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
