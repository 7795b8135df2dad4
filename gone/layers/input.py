"""Input: the first layer of a network, the shape of one sample; it computes nothing.

`Input((channels, height, width))` starts a network of images; `Input(n)` or `Input((n,))` one
of n features, the same as a first `gone.Layer(n)` (Go's way of naming the input). Inside the
network a batch of images is (C, H, W, B) and a batch of features (n, B) (see gone.layers.module).
"""

from gone._checks import check_int, shown
from gone.errors import ConfigError
from gone.layers.dense import MAX_NODES
from gone.layers.module import Module


class Input(Module):
    """The input of a network: samples of `shape`, (n,) features or (channels, height, width).

    >>> Input((1, 28, 28))
    Input(shape=(1, 28, 28))
    """

    kind = "input"

    def __init__(self, shape):
        if not isinstance(shape, (tuple, list)):
            shape = (shape,)
        if len(shape) not in (1, 3):
            raise ConfigError(
                f"Input shape: expected (n,) features or (channels, height, width), got {shown(shape)}"
            )
        self.shape = tuple(check_int(n, "Input shape sizes", 1, MAX_NODES) for n in shape)

    def config(self) -> dict:
        return {"shape": self.shape}

    def _build(self, input_shape, where):
        raise ConfigError(f"{where}: expected gone.Input only as the first layer, got {self!r}")
