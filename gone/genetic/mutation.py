"""Mutation: random changes to genes, applied to a whole stack of genomes at once."""

import numpy as np

from gone._checks import check_number
from gone._described import Described
from gone.errors import ConfigError


class Mutation(Described):
    """Base class: subclasses define `__call__(stacks, rng)`, changing the stacks in place.

    `stacks` is a list of C-contiguous arrays whose first axis is the individual:
    [W0 (P, ...), b0, W1, ...].
    """

    def __call__(self, stacks: list[np.ndarray], rng: np.random.Generator) -> None:
        raise NotImplementedError


class GaussianMutation(Mutation):
    """Each gene, with probability `rate`, gets noise drawn from N(mean, stddev^2) added to it.

    As Go's `GaussianMutation(rate, std, mean)`, except that there a gene mutated when
    `uniform >= rate`, i.e. with probability 1 - rate; here `rate` is the probability of a mutation.

    >>> net.mutate(GaussianMutation(rate=0.1, stddev=0.5))
    """

    name = "gaussian"

    def __init__(self, rate: float, stddev: float, mean: float = 0.0):
        self.rate = check_number(rate, "GaussianMutation rate", minimum=0, maximum=1)
        self.stddev = check_number(stddev, "GaussianMutation stddev", minimum=0)
        self.mean = check_number(mean, "GaussianMutation mean")

    def __call__(self, stacks, rng):
        for stack in stacks:
            if not stack.flags.c_contiguous:
                raise ConfigError(
                    "mutation stacks: expected C-contiguous arrays (they are changed "
                    "in place through a flat view), got a strided view"
                )
            genes = stack.reshape(-1)  # (P * genes per individual,), a view
            # One mask and one normal draw per stack, of only as many numbers as genes mutate:
            # cheaper than drawing noise for every gene. float32 uniforms resolve rate to 2^-24.
            mutated = np.flatnonzero(rng.random(genes.size, dtype=np.float32) < self.rate)
            noise = rng.standard_normal(mutated.size, dtype=genes.dtype)  # (mutated,)
            noise *= self.stddev
            noise += self.mean
            genes[mutated] += noise

    def params(self):
        return {"rate": self.rate, "stddev": self.stddev, "mean": self.mean}
