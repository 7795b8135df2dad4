"""Layer: the description of one layer of nodes. It holds no arrays; the network owns the weights."""

from dataclasses import dataclass, field
from numbers import Integral

from gone.activations import Activation, Identity
from gone.errors import ConfigError


@dataclass(frozen=True)
class Layer:
    """`nodes` nodes whose values are `activation(W @ previous + b)`.

    The first layer of a network is its input: it has no weights and its activation is never
    applied (as in Go), so it must stay Identity.

    >>> Layer(4, Sigmoid())
    Layer(nodes=4, activation=Sigmoid())
    """

    nodes: int
    activation: Activation = field(default_factory=Identity)

    def __post_init__(self):
        if isinstance(self.nodes, bool) or not isinstance(self.nodes, Integral) or self.nodes < 1:
            raise ConfigError(f"Layer nodes: expected an int >= 1, got {self.nodes!r}")
        object.__setattr__(self, "nodes", int(self.nodes))  # numpy ints become plain ints
        if not isinstance(self.activation, Activation):
            raise ConfigError(
                "Layer activation: expected an Activation instance such as gone.Sigmoid(), "
                f"got {self.activation!r}"
            )
