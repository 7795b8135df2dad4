"""Learning-rate schedules: the step size of epoch `epoch` (0-based, counted over the network's
whole training history) from the network's base learning rate.

`train(schedule=...)` takes one of these or any callable `(base_lr, epoch) -> lr`; it refuses a
rate that is negative, NaN or infinite at the epoch that returns it.
"""

from gone._checks import check_int, check_number
from gone._described import Described


class Schedule(Described):
    """Base class: `schedule(base_lr, epoch) -> lr`."""

    name = ""

    def __call__(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError


def _check_factor(factor: float, what: str) -> float:
    return check_number(factor, what, above=0, maximum=1)


class StepDecay(Schedule):
    """lr = base_lr * factor ** (epoch // every): drop by `factor` every `every` epochs."""

    name = "step"

    def __init__(self, every: int, factor: float = 0.5):
        self.every = check_int(every, "StepDecay every", 1)
        self.factor = _check_factor(factor, "StepDecay factor")

    def __call__(self, base_lr, epoch):
        return base_lr * self.factor ** (epoch // self.every)

    def params(self):
        return {"every": self.every, "factor": self.factor}


class ExponentialDecay(Schedule):
    """lr = base_lr * factor ** epoch: a smooth decay by `factor` per epoch."""

    name = "exponential"

    def __init__(self, factor: float = 0.95):
        self.factor = _check_factor(factor, "ExponentialDecay factor")

    def __call__(self, base_lr, epoch):
        return base_lr * self.factor**epoch

    def params(self):
        return {"factor": self.factor}
