"""Update rules. An optimizer sees only lists of parameters and their gradients, never a network.

`step(params, grads, lr)` updates every array of `params` in place from the matching array of
`grads` (dL/dparam). Like the Go library, an optimizer also carries the batch size: SGD() takes
one sample per step, MBGD(n) n samples, GD() the whole set (batch_size None).

State (velocities, moments) is created on the first step, one array per parameter, and is
exposed by `state()` / `load_state()` so a saved model resumes training exactly. The state
belongs to the parameters it was made for: an optimizer binds to the first parameters it steps
(or is bound to, see `bind`) and refuses any others, so one optimizer never carries a
network's moments into another network. Give each network its own optimizer, or `reset()` one.

Every update is in place: where a rule needs an intermediate array (Nesterov's look-ahead, Adam's
and RMSProp's moments of the gradient), it is written into a working array kept per parameter
(never part of the state), so that a step allocates nothing.
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
        self._scratch: list[np.ndarray] | None = None  # working arrays, if the rule needs them
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
        if self.needs_scratch and self._scratch is None:
            self._scratch = [np.empty_like(p) for p in params]
        self.steps += 1
        self._update(params, grads, float(lr))

    #: Names of the per-parameter state arrays this optimizer keeps.
    slot_names: tuple[str, ...] = ()
    #: True when the update writes intermediates into one working array per parameter.
    needs_scratch = False

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
        self._scratch = None  # made again, in these parameters' shapes, by the next step

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
        self._scratch = None
        self._owner = None

    def __getstate__(self) -> dict:
        # Weak references cannot be pickled, and would mean nothing in another process: a pickled
        # or deep-copied optimizer is bound to no parameters (a network holding it binds it again).
        state = self.__dict__.copy()
        state["_owner"] = None
        state["_scratch"] = None  # working arrays only, made again by the next step
        return state

    def copy(self) -> "Optimizer":
        """Return an independent twin with the same settings, steps and state, bound to nothing
        yet (what copying a network needs: the twin binds to the copied parameters)."""
        twin = copy.copy(self)
        twin._slots = {name: [a.copy() for a in arrays] for name, arrays in self._slots.items()}
        twin._scratch = None
        twin._owner = None
        return twin

    # ---- the state itself -------------------------------------------------------------------

    def params(self) -> dict:
        """Return the constructor arguments that rebuild this optimizer (without its state)."""
        return {"batch_size": self.batch_size}

    def state(self, into: dict | None = None) -> dict:
        """Return {"steps": int, "slots": {name: [arrays]}}: everything learned while training.

        The arrays are copies. `into`, a dict that `state()` returned before, is filled in place
        and returned when its slots have the same names and shapes (no new arrays: the training
        loop keeps one per call to undo a diverged epoch); otherwise new copies are made.
        """
        if into is not None and _same_layout(into.get("slots"), self._slots):
            for name, arrays in self._slots.items():
                for saved, array in zip(into["slots"][name], arrays, strict=True):
                    np.copyto(saved, array)
            into["steps"] = self.steps
            return into
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
        self._scratch = None
        self._owner = None

    def state_is_finite(self) -> bool:
        """Tell whether every number of the state is finite. A diverged step leaves NaN moments,
        which would make every later step NaN, and a saved file that loading refuses."""
        return all(np.isfinite(a).all() for arrays in self._slots.values() for a in arrays)


def _same_layout(saved, slots: dict[str, list[np.ndarray]]) -> bool:
    """Tell whether `saved` has the slot names of `slots` and arrays of the same shapes and dtypes."""
    return (
        isinstance(saved, dict)
        and saved.keys() == slots.keys()
        and all(
            len(saved[name]) == len(arrays)
            and all(
                isinstance(a, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                for a, b in zip(saved[name], arrays, strict=True)
            )
            for name, arrays in slots.items()
        )
    )


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
        self.needs_scratch = self.nesterov

    def _update(self, params, grads, lr):
        if not self.momentum:
            for p, g in zip(params, grads, strict=True):
                g *= lr
                p -= g  # W -= lr * dW
            return
        scratch = self._scratch or [None] * len(params)
        for p, g, v, s in zip(params, grads, self._slots["velocity"], scratch, strict=True):
            g *= lr  # lr * dW
            v *= self.momentum
            v -= g  # V = momentum * V - lr * dW
            if self.nesterov:
                p += np.multiply(v, self.momentum, out=s)  # W += momentum * V ...
                p -= g  # ... - lr * dW
            else:
                p += v  # W += V

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
    needs_scratch = True

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
        moments = zip(params, grads, self._slots["m"], self._slots["v"], self._scratch, strict=True)
        for p, g, m, v, s in moments:
            m *= self.beta1
            m += np.multiply(g, 1 - self.beta1, out=s)  # M = beta1 M + (1 - beta1) dW
            g *= g  # dW^2
            v *= self.beta2
            v += np.multiply(g, 1 - self.beta2, out=s)  # S = beta2 S + (1 - beta2) dW^2
            denominator = np.sqrt(v, out=s)
            denominator += self.epsilon
            step = np.divide(m, denominator, out=s)  # M / (sqrt(S) + epsilon)
            step *= step_size
            p -= step  # W -= step_size * M / (sqrt(S) + epsilon)

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
    needs_scratch = True

    def __init__(self, batch_size: int | None = 32, rho: float = 0.9, epsilon: float = 1e-8):
        super().__init__(batch_size)
        self.rho = check_number(rho, "rho", minimum=0, below=1)
        self.epsilon = check_number(epsilon, "epsilon", above=0)

    def _update(self, params, grads, lr):
        for p, g, s, work in zip(params, grads, self._slots["square"], self._scratch, strict=True):
            s *= self.rho
            square = np.multiply(g, g, out=work)  # dW^2
            square *= 1 - self.rho
            s += square  # S = rho S + (1 - rho) dW^2
            denominator = np.sqrt(s, out=work)
            denominator += self.epsilon
            g /= denominator
            g *= lr
            p -= g  # W -= lr * dW / (sqrt(S) + epsilon)

    def params(self):
        return {**super().params(), "rho": self.rho, "epsilon": self.epsilon}


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, MBGD, GD, Adam, RMSProp)}


def optimizer_from_name(name: str, **params) -> Optimizer:
    """Build an optimizer from its name ("sgd", "mbgd", "gd", "adam", "rmsprop") and parameters."""
    return from_registry(OPTIMIZERS, name, "optimizer", **params)
