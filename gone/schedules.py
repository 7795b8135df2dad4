"""Learning-rate schedules: the step size of epoch `epoch` (0-based, counted over the network's
whole training history) from the network's base learning rate."""

import math

from gone._described import Described
from gone.errors import ConfigError


class Schedule(Described):
    """Base class: `schedule(base_lr, epoch) -> lr`."""

    name = ""

    def __call__(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError


def _check_factor(factor: float) -> float:
    factor = float(factor)
    if not (math.isfinite(factor) and 0 < factor <= 1):
        raise ConfigError(f"decay factor: expected a number in (0, 1], got {factor}")
    return factor


class StepDecay(Schedule):
    """lr = base_lr * factor ** (epoch // every): drop by `factor` every `every` epochs."""

    name = "step"

    def __init__(self, every: int, factor: float = 0.5):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ConfigError(f"StepDecay every: expected an int >= 1, got {every!r}")
        self.every, self.factor = every, _check_factor(factor)

    def __call__(self, base_lr, epoch):
        return base_lr * self.factor ** (epoch // self.every)

    def params(self):
        return {"every": self.every, "factor": self.factor}


class ExponentialDecay(Schedule):
    """lr = base_lr * factor ** epoch: a smooth decay by `factor` per epoch."""

    name = "exponential"

    def __init__(self, factor: float = 0.95):
        self.factor = _check_factor(factor)

    def __call__(self, base_lr, epoch):
        return base_lr * self.factor**epoch

    def params(self):
        return {"factor": self.factor}
