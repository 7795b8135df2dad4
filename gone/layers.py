"""Layer: the description of one layer of nodes. It holds no arrays; the network owns the weights."""

from dataclasses import dataclass, field

from gone._checks import check_instance, check_int
from gone.activations import Activation, Identity

#: The most nodes a layer may have: 2**24 = 16,777,216, the pixels of a 4096x4096 image. Beyond
#: it even one weight per node is over 128 MB of float64 and a dense layer to a layer as wide
#: would hold 2**48 weights, so a larger count is a slip (Layer(2**40) would otherwise reach
#: numpy as a request for terabytes, far from the line that made it).
MAX_NODES = 2**24


@dataclass(frozen=True)
class Layer:
    """`nodes` nodes (1 to MAX_NODES) whose values are `activation(W @ previous + b)`.

    The first layer of a network is its input: it has no weights and its activation is never
    applied (as in Go), so it must stay Identity.

    >>> Layer(4, Sigmoid())
    Layer(nodes=4, activation=Sigmoid())
    """

    nodes: int
    activation: Activation = field(default_factory=Identity)

    def __post_init__(self):
        # numpy ints become plain ints
        object.__setattr__(self, "nodes", check_int(self.nodes, "Layer nodes", 1, MAX_NODES))
        check_instance(
            self.activation,
            Activation,
            "Layer activation",
            "an Activation instance such as gone.Sigmoid()",
        )
