"""Module: what every layer kind has, and the one convention of the arrays that flow between them.

A network is a sequence of layers; each layer kind is a Module subclass in a file of its own
(dense, conv, pooling, flatten, dropout, batchnorm, input), which holds its whole math:

    layer = Conv2D(8, 5, padding=2)      # hyperparameters only: config(), equality, repr
    layer.build((1, 28, 28), dtype)      # -> (8, 28, 28): shapes per sample, checked
    layer.initialize(rng, initializer)   # draws its parameters (or set_parameters / load_state)
    A = layer.forward(A_prev, training)  # keeps in layer.saved what backward needs
    dA_prev = layer.backward(dA)         # fills layer.gradients(), returns dL/dA_prev

The same math runs in place in the training loop: `buffers(batch_size, dtype)` makes the arrays
one batch size needs, once; `forward_into` writes the output into them and `backward_into` the
gradients (bit for bit what `forward` and `backward` compute), so a step allocates nothing big.

Inside a network the samples are always on the last axis: a batch of features is (n, B), one
column per sample, as the dense layers of Go's gone keep it (`Z = W @ A + b`), and a batch of
images is (C, H, W, B). At the public API samples come first, (B, n) and (B, C, H, W); `internal`
and `public` move that axis, a view, not a copy. With the samples last, a convolution is the dense
layer's product on image patches, `Z = W @ cols + b`, whose (F, Ho*Wo*B) result already is the
next layer's (F, Ho, Wo, B); a batch norm per channel is the batch norm per feature of the
(C, H*W*B) view; Flatten is a reshape to (C*H*W, B), in the order of the samples' own reshape;
and every window a convolution or a pooling reads is a run of whole (W, B) rows, which numpy
copies and adds fastest (measured against (C, B, H, W): see benchmarks/train_cnn.py).

A network builds its own copy of every layer it is given (`unbuilt()`), so one list of layers can
make many networks; two layers are equal when their kinds and hyperparameters are.
"""

import copy
import math

import numpy as np

from gone.errors import ConfigError, ShapeError


def internal(X: np.ndarray) -> np.ndarray:
    """(B, n) -> (n, B), (B, C, H, W) -> (C, H, W, B): the samples from the first axis to the
    last, a view. (np.moveaxis(X, 0, -1) does the same, at several times the cost of a call:
    `predict` on one sample pays it on every frame of a game.)"""
    return X.transpose(*range(1, X.ndim), 0)


def public(A: np.ndarray) -> np.ndarray:
    """The inverse of `internal`: the samples back on the first axis, a view."""
    return A.transpose(A.ndim - 1, *range(A.ndim - 1))


def shape_text(shape: tuple[int, ...]) -> str:
    """(8, 28, 28) -> "8x28x28"; (120,) -> "120"."""
    return "x".join(str(n) for n in shape)


class Module:
    """Base class of the layer kinds (see the module docstring for the life of a layer).

    Subclasses set `kind` (the name a file will store), `parameter_names` (trainable arrays, in
    the order of `parameters()`), `statistic_names` (arrays learned without gradients, such as a
    batch norm's running mean) and `decayed` (the parameters weight decay applies to), and define
    `config`, `_build`, `initialize`, `forward`, `backward` and their in-place forms.
    """

    kind = ""
    parameter_names: tuple[str, ...] = ()
    statistic_names: tuple[str, ...] = ()
    decayed: tuple[str, ...] = ()
    #: True for a layer that draws random numbers in training (it gets the network's Generator).
    uses_rng = False

    input_shape: tuple[int, ...] | None = None  # per sample, set by build
    output_shape: tuple[int, ...] | None = None
    dtype: np.dtype | None = None
    saved = None  # what the last forward kept for backward (None: nothing)

    # ---- what the layer is ---------------------------------------------------------------

    def config(self) -> dict:
        """Return the constructor arguments (hyperparameters) that rebuild this layer."""
        return {}

    def unbuilt(self) -> "Module":
        """Return a new layer of the same kind and hyperparameters, without arrays."""
        return type(self)(**self.config())

    def __eq__(self, other):
        return type(self) is type(other) and self.config() == other.config()

    def __hash__(self):
        return hash((type(self), tuple(self.config().items())))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"

    def __getattr__(self, name):
        # Only called for a missing attribute: say why a layer's arrays are not there.
        if name in type(self).parameter_names + type(self).statistic_names:
            raise AttributeError(
                f"{type(self).__name__} has no {name}: a network builds its own copy of every "
                f"layer it is given, and those copies hold the arrays (net.layers[i].{name}; the "
                "input layer has none)"
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self):
        # A copy or a pickle carries the layer's arrays, not what a forward pass left behind.
        state = self.__dict__.copy()
        state.pop("saved", None)
        return state

    @property
    def built(self) -> bool:
        return self.output_shape is not None

    # ---- shapes and arrays ---------------------------------------------------------------

    def build(self, input_shape: tuple[int, ...], dtype, where: str = "layer") -> tuple[int, ...]:
        """Fix the input shape (per sample) and dtype; return the output shape per sample.

        Raises ConfigError or ShapeError, naming `where` (such as "layers[3]"), when the input
        does not fit this kind of layer.
        """
        if self.built:
            raise ConfigError(
                f"{where}: expected a layer not yet in a network, got a built {self!r}"
            )
        output_shape = self._build(tuple(input_shape), where)
        self.input_shape, self.output_shape = tuple(input_shape), tuple(output_shape)
        self.dtype = np.dtype(dtype)
        return self.output_shape

    def _build(self, input_shape: tuple[int, ...], where: str) -> tuple[int, ...]:
        raise NotImplementedError

    def parameter_shapes(self) -> list[tuple[int, ...]]:
        """The shapes of `parameters()`, known once built."""
        return []

    def statistic_shapes(self) -> list[tuple[int, ...]]:
        """The shapes of the statistics (`statistic_names`), known once built."""
        return []

    def initialize(self, rng: np.random.Generator, initializer) -> None:
        """Make the starting arrays: parameters drawn by `initializer` from `rng`, statistics."""

    def parameters(self) -> list[np.ndarray]:
        """The trainable arrays themselves (not copies), in the order of `parameter_names`."""
        return [getattr(self, name) for name in self.parameter_names]

    def gradients(self) -> list[np.ndarray]:
        """dL/dp for every parameter, as the last `backward` computed them."""
        return [getattr(self, "d" + name) for name in self.parameter_names]

    def state(self) -> dict[str, np.ndarray]:
        """Every array the layer holds (parameters, then statistics): what a file saves."""
        names = self.parameter_names + self.statistic_names
        return {name: getattr(self, name) for name in names}

    def load_state(self, state: dict, where: str = "layer") -> None:
        """Take copies of `state` (name -> array, as `state()` returns) in this layer's dtype."""
        names = self.parameter_names + self.statistic_names
        shapes = self.parameter_shapes() + self.statistic_shapes()
        if not isinstance(state, dict) or set(state) != set(names):
            got = sorted(state) if isinstance(state, dict) else type(state).__name__
            raise ConfigError(f"{where} state: expected arrays {list(names)}, got {got}")
        for name, shape in zip(names, shapes, strict=True):
            try:
                array = np.array(state[name], dtype=self.dtype)
            except (TypeError, ValueError):
                raise ConfigError(
                    f"{where} {name}: expected real numbers of shape {shape}"
                ) from None
            if array.shape != shape:
                raise ShapeError(f"{where} {name}: expected shape {shape}, got {array.shape}")
            setattr(self, name, array)

    def copy(self) -> "Module":
        """Return a twin with copies of every array (and nothing a forward pass kept)."""
        twin = copy.copy(self)
        twin.saved = None
        for name in self.parameter_names + self.statistic_names:
            setattr(twin, name, getattr(self, name).copy())
        return twin

    def numbers_per_sample(self) -> int:
        """About how many numbers a forward and backward pass holds per sample (to size chunks)."""
        return math.prod(self.output_shape)

    def check_batch_size(self, batch_size: int, where: str) -> None:
        """Raise ConfigError when training batches of `batch_size` cannot work for this layer."""

    def forget(self) -> None:
        """Drop what the last forward kept for backward (the network calls it after a query)."""
        self.saved = None

    # ---- the math --------------------------------------------------------------------------

    def forward(self, A: np.ndarray, training: bool = False) -> np.ndarray:
        """Return this layer's output for the batch A; keep in `saved` what backward needs."""
        raise NotImplementedError

    def backward(self, dA: np.ndarray, input_gradient: bool = True) -> np.ndarray | None:
        """From dA = dL/d(output) of the last forward, fill the gradients and return dL/d(input)
        (None when `input_gradient` is False: the first layer skips it). May overwrite dA."""
        raise NotImplementedError

    # ---- the same math in place --------------------------------------------------------------

    def buffers(self, batch_size: int, dtype, output: bool = False):
        """Return the arrays `forward_into` / `backward_into` use at this batch size. Its `dA` is
        where the layer above writes dL/d(output); `output` marks the network's output layer."""
        raise NotImplementedError

    def forward_into(self, A: np.ndarray, buffers, training: bool = False) -> np.ndarray:
        """`forward` into `buffers`; return the output (an array of the buffers)."""
        raise NotImplementedError

    def backward_into(self, buffers, gradients: list[np.ndarray], dA_prev) -> None:
        """`backward` after `forward_into`: buffers.dA holds dL/d(output); write the parameters'
        gradients into `gradients` and dL/d(input) into `dA_prev` (skipped when None)."""
        raise NotImplementedError


class Buffers:
    """A namespace of arrays for one layer at one batch size (attributes set by the layer)."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)


def check_image_input(input_shape, kind: str, where: str) -> tuple[int, int, int]:
    """Return (C, H, W), or raise ShapeError when the input is no image."""
    if len(input_shape) != 3:
        hint = " (a dense layer's output: image layers come before gone.Flatten())"
        raise ShapeError(
            f"{where} {kind}: expected an image input (channels, height, width), got shape "
            f"{input_shape}{hint if len(input_shape) == 1 else ''}"
        )
    return input_shape
