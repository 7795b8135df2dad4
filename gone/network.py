"""NeuralNetwork: a sequence of layers, their parameters and configuration, and how it learns.

The layers (gone.layers) hold their own math and arrays; `backprop` walks them; the update rules
live in `optimizers`; everything a training run does besides the math (early stopping, progress,
the user's on_epoch) in `callbacks`. This module validates what users give it, builds the
network's own copy of every layer, and runs the training loop: shuffle, batch, forward,
backward, step.
"""

import contextlib
import copy
import math
import time
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import numpy as np

from gone import backprop
from gone._checks import (
    FLOAT_DTYPES,
    check_bool,
    check_callable,
    check_finite_array,
    check_float_dtype,
    check_instance,
    check_int,
    check_number,
    shown,
)
from gone._random import Seed, clone_rng, make_rng
from gone.activations import Identity, Sigmoid, Softmax
from gone.callbacks import Callback, EarlyStopping, as_training_callbacks
from gone.data import DataSet
from gone.errors import ConfigError, DataError, DivergenceError, ShapeError
from gone.history import EpochRecord, History
from gone.initializers import Initializer, Uniform
from gone.layers import Dropout, Input, Layer, Module
from gone.layers.module import internal, public, shape_text
from gone.losses import MSE, Loss
from gone.optimizers import Optimizer
from gone.progress import EpochTable, ProgressBar
from gone.schedules import Schedule
from gone.workspace import Workspace
from matrigo import Matrix

DTYPES = FLOAT_DTYPES  # float64 (as Go) or float32

#: A query (predict, evaluate) of a network with other layers than dense ones goes through the
#: data in chunks whose largest array holds about this many numbers (2**22: 16 MB of float32),
#: so a convolution's image patches of a large data set never fill the memory at once.
CHUNK_NUMBERS = 2**22


class Snapshot(NamedTuple):
    """A network's training state at one moment (`NeuralNetwork.snapshot()`), to go back to."""

    parameters: list[np.ndarray]  # copies, in the order of parameters()
    optimizer: Optimizer | None  # the network's optimizer then (the object itself)...
    optimizer_state: dict | None  # ... and a copy of its state and step count
    statistics: tuple | list[np.ndarray] = ()  # copies of what layers learn without gradients


class _Run(NamedTuple):
    """The settings of one `train` call, checked, as every epoch of it uses them."""

    optimizer: Optimizer
    data: DataSet
    validation: DataSet | None
    batch_size: int
    schedule: Callable | None
    weight_decay: float
    rng: np.random.Generator
    started: float  # time.perf_counter() at the start of the call
    workspace: Workspace  # the arrays every step writes, made once for the call


class Evaluation(NamedTuple):
    """The result of `evaluate`: the mean loss and, for classifiers, the accuracy (else None)."""

    loss: float
    accuracy: float | None


class NeuralNetwork:
    """A feedforward network: an input layer, the layers that compute, and a dense output layer.

    Parameters: `layers` (input first: gone.Layer(n) for n features, as Go, or
    gone.Input((channels, height, width)) for images; then any gone layers, the last a dense
    gone.Layer), `loss` (default MSE()), `learning_rate` (the step size every optimizer uses),
    `seed` (int or Generator: weights, shuffling, dropout), `dtype` (float64 or float32),
    `initializer` (default Uniform(-1, 1), as Go).

    The network builds its own copy of every layer (`net.layers`, equal to the ones given), which
    holds that layer's arrays. For dense layers, `weights[i]` is a Matrix (nodes of the next
    layer, nodes of this one) and `biases[i]` (nodes of the next layer, 1).

    >>> net = NeuralNetwork([Layer(2), Layer(4, Sigmoid()), Layer(1)], learning_rate=0.1, seed=1)
    >>> net.predict([1, 0]).shape
    (1,)
    >>> cnn = NeuralNetwork([Input((1, 28, 28)), Conv2D(8, 5, padding=2, activation=ReLU()),
    ...                      MaxPool2D(2), Flatten(), Layer(10, Softmax())], loss=CrossEntropy())
    >>> cnn.predict(np.zeros((5, 1, 28, 28))).shape
    (5, 10)
    """

    def __init__(
        self,
        layers: Sequence[Module],
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        seed: Seed = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
    ):
        self._configure(layers, loss, learning_rate, seed, dtype, initializer)
        for layer in self._modules:  # drawn in layer order, W then b, as Go does
            layer.initialize(self.rng, self.initializer)
        self._adopt_arrays()

    @classmethod
    def from_parameters(
        cls,
        layers: Sequence[Module],
        weights,
        biases,
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        seed: Seed = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
    ) -> "NeuralNetwork":
        """Build a network with given weights and biases, copied, one pair per layer that has
        them (dense: W (next, current), b (next, 1); convolution: W (filters, channels, kh, kw),
        b (filters, 1)). Layers with other arrays (BatchNorm) need `from_layer_states`.

        The arrays must be finite: a NaN weight would make every prediction NaN.
        """
        net = cls.__new__(cls)
        net._configure(layers, loss, learning_rate, seed, dtype, initializer)
        weighted = [layer for layer in net._modules if layer.parameter_names]
        for i, layer in enumerate(net.layers):
            if layer.parameter_names not in ((), ("W", "b")):
                raise ConfigError(
                    f"from_parameters: expected layers with weights and biases, got "
                    f"{type(layer).__name__} at layers[{i}] with {', '.join(layer.parameter_names)}"
                    ": use NeuralNetwork.from_layer_states"
                )
        shapes = [layer.parameter_shapes() for layer in weighted]
        weights = _parameter_arrays(weights, "weights", [s[0] for s in shapes], net.dtype)
        biases = _parameter_arrays(biases, "biases", [s[1] for s in shapes], net.dtype)
        for layer, W, b in zip(weighted, weights, biases, strict=True):
            layer.W, layer.b = W, b
        net._adopt_arrays()
        return net

    @classmethod
    def from_layer_states(
        cls,
        layers: Sequence[Module],
        states,
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        seed: Seed = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
    ) -> "NeuralNetwork":
        """Build a network from every layer's arrays: `states[i]` is what `layers[i].state()`
        returns (name -> array: W and b, or gamma, beta, running_mean and running_var; {} for
        layers without arrays, the input among them), copied. What `layer_states()` returns.

        >>> twin = NeuralNetwork.from_layer_states(net.layers, net.layer_states(), loss=net.loss)
        """
        net = cls.__new__(cls)
        net._configure(layers, loss, learning_rate, seed, dtype, initializer)
        if not isinstance(states, Iterable) or isinstance(states, (str, bytes, dict)):
            raise ConfigError(
                f"states: expected a list of {len(net.layers)} dicts, one per layer, got "
                f"{shown(states)}"
            )
        states = list(states)
        if len(states) != len(net.layers):
            raise ShapeError(
                f"states: expected {len(net.layers)} dicts (one per layer, the input's {{}}), "
                f"got {len(states)}"
            )
        if states[0] not in ({}, None):
            raise ConfigError(
                f"states[0]: the input layer has no arrays: expected {{}}, got {shown(states[0])}"
            )
        for i, (layer, state) in enumerate(zip(net._modules, states[1:], strict=True), 1):
            layer.load_state(state, where=f"states[{i}]")
            for name, array in layer.state().items():
                check_finite_array(array, f"states[{i}] {name}")
        net._adopt_arrays()
        return net

    def _configure(self, layers, loss, learning_rate, seed, dtype, initializer):
        if not isinstance(layers, Iterable) or isinstance(layers, (str, bytes)):
            raise ConfigError(
                f"layers: expected a list of gone.Layer, input first, got {shown(layers)}"
            )
        layers = list(layers)
        if len(layers) < 2:
            raise ConfigError(
                f"layers: expected at least an input and an output layer, got {len(layers)}"
            )
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ConfigError(
                    f"layers[{i}]: expected a gone.Layer, got {shown(layer)} (or another kind of "
                    "layer: gone.Input, gone.Conv2D, gone.MaxPool2D, gone.Flatten, gone.Dropout, ...)"
                )
        first, output = layers[0], layers[-1]
        if not isinstance(first, (Layer, Input)):
            raise ConfigError(
                "layers[0] is the input: expected gone.Layer(n) for n features or "
                f"gone.Input((channels, height, width)) for images, got {first!r}"
            )
        if isinstance(first, Layer) and not isinstance(first.activation, Identity):
            raise ConfigError(
                "layers[0] is the input layer, whose activation is never applied: expected Identity, "
                f"got {first.activation!r}"
            )
        for i, layer in enumerate(layers[1:], 1):
            if isinstance(layer, Input):
                raise ConfigError(
                    f"layers[{i}]: expected gone.Input only as the first layer, got {layer!r}"
                )
        if not isinstance(output, Layer):
            raise ConfigError(
                f"layers[{len(layers) - 1}] is the output layer, whose activation feeds the loss: "
                f"expected a dense gone.Layer, got {output!r}"
            )
        if isinstance(output.activation, Softmax) and output.nodes == 1:
            raise ConfigError(
                "Softmax output over 1 node always gives 1: expected >= 2 nodes or Sigmoid"
            )
        loss = MSE() if loss is None else loss
        check_instance(loss, Loss, "loss", "a gone loss such as gone.MSE()")
        loss.check_output(output.activation)
        initializer = Uniform() if initializer is None else initializer
        check_instance(
            initializer, Initializer, "initializer", "a gone initializer such as gone.Xavier()"
        )
        self.dtype = check_float_dtype(dtype)
        # The network's own layers: copies of the hyperparameters, built for this input and dtype.
        own = [layer.unbuilt() for layer in layers]
        shape = (first.nodes,) if isinstance(first, Layer) else first.shape
        for i, layer in enumerate(own[1:], 1):
            shape = layer.build(shape, self.dtype, where=f"layers[{i}]")
        self.layers = tuple(own)
        self._modules = own[1:]  # the layers that compute: everything after the input
        self._dense = all(isinstance(layer, Layer) for layer in own)
        self.loss = loss
        self.learning_rate = check_number(learning_rate, "learning_rate", above=0)
        self.initializer = initializer
        self.rng = make_rng(seed)
        self.history = History()
        self._optimizer: Optimizer | None = None

    def __setstate__(self, state: dict) -> None:
        # Unpickled or deep-copied: the optimizer came unbound (see Optimizer.__getstate__) and
        # belongs to these parameters, the copies of the arrays it stepped.
        self.__dict__.update(state)
        if self._optimizer is not None:
            self._optimizer.bind(self._parameters)

    def _adopt_arrays(self) -> None:
        """Collect the layers' arrays after they were made or replaced."""
        # One flat list of the arrays themselves, in layer order (dense: Go's W0, b0, W1, b1, ...):
        # what optimizers update.
        self._parameters = [p for layer in self._modules for p in layer.parameters()]
        self._statistics = [
            getattr(layer, name) for layer in self._modules for name in layer.statistic_names
        ]

    @property
    def rng(self) -> np.random.Generator:
        """The network's Generator: initial weights, shuffling, dropout masks."""
        return self._rng

    @rng.setter
    def rng(self, rng: np.random.Generator) -> None:
        self._rng = rng
        for layer in self._modules:
            if layer.uses_rng:  # dropout draws its masks from the network's own Generator
                layer.rng = rng

    # ---- what the network is -------------------------------------------------------------

    @property
    def _weights(self) -> list[np.ndarray]:
        return [layer.W for layer in self._modules if isinstance(layer, Layer)]

    @property
    def _biases(self) -> list[np.ndarray]:
        return [layer.b for layer in self._modules if isinstance(layer, Layer)]

    @property
    def _activations(self) -> list:
        return [layer.activation for layer in self._modules if isinstance(layer, Layer)]

    @property
    def weights(self) -> list[Matrix]:
        """The dense layers' weight matrices as matrigo Matrices, views of the network's arrays."""
        return [Matrix.from_numpy(W) for W in self._weights]

    @property
    def biases(self) -> list[Matrix]:
        """The dense layers' bias columns as matrigo Matrices, views of the network's arrays."""
        return [Matrix.from_numpy(b) for b in self._biases]

    @property
    def weight_shapes(self) -> list[tuple[int, int]]:
        """(next nodes, current nodes) of every weight layer, for a network of dense layers."""
        self._check_dense("weight_shapes")
        return [(b.nodes, a.nodes) for a, b in zip(self.layers, self.layers[1:])]

    def _check_dense(self, what: str) -> None:
        """Raise ConfigError unless every layer is dense (what Go's gone and populations know)."""
        for i, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise ConfigError(
                    f"{what}: expected a network of dense layers (gone.Layer) only, got "
                    f"{type(layer).__name__} at layers[{i}]"
                )

    @property
    def input_shape(self) -> tuple[int, ...]:
        """The shape of one input sample: (n,) for features, (channels, height, width) for images."""
        first = self.layers[0]
        return (first.nodes,) if isinstance(first, Layer) else first.shape

    @property
    def n_inputs(self) -> int:
        """The number of input values per sample (channels * height * width for images)."""
        return math.prod(self.input_shape)

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].nodes

    @property
    def parameter_count(self) -> int:
        return sum(p.size for p in self._parameters)

    def parameters(self) -> list[np.ndarray]:
        """The parameter arrays themselves (not copies), in layer order: W, b of dense and
        convolution layers, gamma, beta of batch norms (dense only: W0, b0, W1, b1, ...)."""
        return list(self._parameters)

    def layer_states(self) -> list[dict[str, np.ndarray]]:
        """Copies of every layer's arrays, one dict per layer ({} for the input): what
        `from_layer_states` takes back."""
        states = [{}]
        for layer in self._modules:
            states.append({name: array.copy() for name, array in layer.state().items()})
        return states

    @property
    def optimizer(self) -> Optimizer | None:
        """The optimizer this network last trained with, its state and step count included:
        `net.train(net.optimizer, ...)` continues exactly (after save and load too)."""
        return self._optimizer

    @optimizer.setter
    def optimizer(self, optimizer: Optimizer | None) -> None:
        # Binding makes the state this network's: an optimizer that stepped another network's
        # parameters is refused here, before anything changes (see Optimizer.bind).
        if optimizer is not None:
            check_instance(optimizer, Optimizer, "optimizer", "a gone optimizer such as gone.SGD()")
            optimizer.bind(self._parameters)
        self._optimizer = optimizer

    def summary(self) -> str:
        """Return a table of the layers: kind, output shape, activation, arrays and parameter counts."""
        rows = [("layer", "kind", "output", "activation", "weights", "biases", "parameters")]
        rows.append(("0 (input)", "input", shape_text(self.input_shape), "-", "-", "-", "0"))
        for i, layer in enumerate(self._modules, 1):
            shapes = [shape_text(s) for s in layer.parameter_shapes()] + ["-", "-"]
            activation = getattr(layer, "activation", None)
            count = sum(math.prod(s) for s in layer.parameter_shapes())
            rows.append(
                (
                    str(i),
                    layer.kind,
                    shape_text(layer.output_shape),
                    "-" if activation is None else _describe(activation),
                    shapes[0],
                    shapes[1],
                    str(count),
                )
            )
        widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "-" * len(lines[0]))
        lines.append(
            f"loss: {_describe(self.loss)}   learning rate: {self.learning_rate:g}   "
            f"dtype: {self.dtype}   parameters: {self.parameter_count}"
        )
        return "\n".join(lines)

    def __str__(self):
        return self.summary()

    def __repr__(self):
        if self._dense:
            sizes = "-".join(str(layer.nodes) for layer in self.layers)
        else:
            sizes = " -> ".join(
                [shape_text(self.input_shape)]
                + [f"{layer.kind} {shape_text(layer.output_shape)}" for layer in self._modules]
            )
        return f"<NeuralNetwork {sizes} loss={self.loss.name} parameters={self.parameter_count}>"

    # ---- using it ------------------------------------------------------------------------

    def predict(self, inputs) -> np.ndarray:
        """Return the outputs for one sample, (n_in,) -> (n_out,) or (C, H, W) -> (n_out,), or
        for many, (samples, n_in) or (samples, C, H, W) -> (samples, n_out).

        Dropout is off and batch norms use their running statistics.
        """
        X = self._check_inputs(inputs)
        one = X.ndim == len(self.input_shape)
        rows = X[None] if one else X  # (samples, ...)
        if self._dense:  # all rows at once, no chunking: a game's per-frame call stays short
            try:
                Y = public(backprop.forward_layers(self._modules, internal(rows)))
            finally:
                self._forget()
        else:
            outputs = [public(A) for _, _, A in self._forward_chunks(rows)]  # (chunk, n_out) each
            Y = outputs[0] if len(outputs) == 1 else np.concatenate(outputs)
        return Y[0] if one else Y

    def _forward_chunks(self, X: np.ndarray):
        """Yield (start, Z, A), the output layer's Z and A (n_out, chunk) for the rows X[start:]
        of a chunk, in inference mode: all of X at once for dense networks, else in chunks."""
        size = self._chunk_size(len(X))
        try:
            for start in range(0, len(X), size):
                backprop.forward_layers(self._modules, internal(X[start : start + size]))
                _, Z, A = self._modules[-1].saved
                yield start, Z, A
        finally:
            self._forget()

    def _forget(self) -> None:
        """Keep no batch alive after a query: every layer drops what its forward saved."""
        for layer in self._modules:
            layer.forget()

    def _chunk_size(self, n: int) -> int:
        """Samples per chunk of a query: all of them for dense networks (one product per layer,
        as before layers of other kinds), else as many as CHUNK_NUMBERS allows."""
        if self._dense:
            return max(n, 1)
        largest = max(layer.numbers_per_sample() for layer in self._modules)
        return max(1, min(n, CHUNK_NUMBERS // largest))

    def _check_inputs(self, inputs) -> np.ndarray:
        shape = self.input_shape
        try:
            X = np.asarray(inputs, dtype=self.dtype)
        except (TypeError, ValueError) as error:
            arrays = "a 1-D or 2-D array" if len(shape) == 1 else "an image or an array of images"
            raise DataError(f"inputs: expected real numbers in {arrays}, got {error}") from None
        if X.ndim not in (len(shape), len(shape) + 1) or X.shape[X.ndim - len(shape) :] != shape:
            one = shape[0] if len(shape) == 1 else shape
            many = ", ".join(str(n) for n in shape)
            raise ShapeError(
                f"inputs: expected shape ({one},) or (samples, {many}), got {X.shape}"
                if len(shape) == 1
                else f"inputs: expected shape {shape} or (samples, {many}), got {X.shape}"
            )
        if not np.isfinite(X).all():
            raise DataError("inputs: expected finite numbers, got NaN or infinity")
        return X

    def evaluate(self, data: DataSet) -> Evaluation:
        """Return the mean loss on `data` and, for classifiers (Softmax or Sigmoid output), the
        accuracy. Dropout is off and batch norms use their running statistics."""
        data = self._check_data(data, "data")
        output, n = self.layers[-1].activation, len(data)
        whole = self._chunk_size(n) >= n  # one batch: the loss of the whole set as it is
        total, correct = 0.0, 0
        for start, Z, A in self._forward_chunks(data.inputs):
            Y = data.targets[start : start + A.shape[1]].T  # (n_out, chunk)
            value = self.loss.value(output, Z, A, Y)
            total = value if whole else total + value * Y.shape[1]
            hits = _correct(output, A, Y)
            correct = None if hits is None else correct + hits
        loss = total if whole else total / n
        return Evaluation(loss, None if correct is None else correct / n)

    def gradients(self, data) -> list[np.ndarray]:
        """Return dL/dp for every parameter, in the order and shapes of `parameters()`.

        L is the loss averaged over all of `data` taken as one batch, by backpropagation in
        training mode, as a training step computes it (batch statistics in batch norms, dropout
        masks drawn from `net.rng`; no weight decay). The running statistics stay as they were.
        `data` is a DataSet or an (inputs, targets) pair.

        >>> dW0, db0, dW1, db1 = net.gradients(data)
        """
        data = self._check_data(data, "data")
        with self._queried():
            A0, Y = internal(data.inputs), data.targets.T  # (n_in, N) or (C, H, W, N); (n_out, N)
            backprop.forward_layers(self._modules, A0, training=True)
            backprop.backward_layers(self._modules, self.loss, Y)
            return [g for layer in self._modules for g in layer.gradients()]

    def _training_loss(self, data: DataSet) -> float:
        """The loss of `data` as one batch in training mode (what `gradients` differentiates),
        the running statistics left as they were: what gradient checks nudge."""
        with self._queried():
            backprop.forward_layers(self._modules, internal(data.inputs), training=True)
            _, Z, A = self._modules[-1].saved
            return self.loss.value(self.layers[-1].activation, Z, A, data.targets.T)

    @contextlib.contextmanager
    def _queried(self):
        """Run a query in training mode: afterwards the running statistics are as before and no
        layer keeps the batch."""
        statistics = [s.copy() for s in self._statistics]
        try:
            yield
        finally:
            for own, saved in zip(self._statistics, statistics, strict=True):
                own[...] = saved
            for layer in self._modules:
                layer.forget()

    @contextlib.contextmanager
    def _fixed_dropout(self):
        """Inside, every dropout layer draws its mask once and then reuses it (gradient checks
        compare one function of the parameters); afterwards the Generator is as before."""
        state = self.rng.bit_generator.state  # a copy
        dropouts = [layer for layer in self._modules if isinstance(layer, Dropout)]
        for layer in dropouts:
            layer.fix_mask(True)
        try:
            yield
        finally:
            for layer in dropouts:
                layer.fix_mask(False)
            self.rng.bit_generator.state = state

    def _check_data(self, data, what: str) -> DataSet:
        if isinstance(data, tuple) and len(data) == 2:
            data = DataSet.from_arrays(*data, dtype=self.dtype)
        if not isinstance(data, DataSet):
            raise DataError(
                f"{what}: expected a gone.DataSet or an (inputs, targets) pair, got {type(data).__name__}"
            )
        if len(self.input_shape) == 1 and data.input_shape != self.input_shape:
            got = data.n_inputs if len(data.input_shape) == 1 else data.input_shape
            raise ShapeError(
                f"{what} inputs: expected {self.n_inputs} columns (input nodes), got {got}"
            )
        if data.input_shape != self.input_shape:
            hint = ""
            if data.n_inputs == self.n_inputs:
                hint = f" (reshape them: X.reshape(-1, {', '.join(map(str, self.input_shape))}))"
            raise ShapeError(
                f"{what} inputs: expected samples of shape {self.input_shape}, got "
                f"{data.input_shape}{hint}"
            )
        if data.n_outputs != self.n_outputs:
            hint = (
                " (class labels? use gone.one_hot(labels, n_classes))"
                if data.n_outputs == 1
                else ""
            )
            raise ShapeError(
                f"{what} targets: expected {self.n_outputs} columns (output nodes), got {data.n_outputs}{hint}"
            )
        return data.astype(self.dtype)

    # ---- learning ------------------------------------------------------------------------

    def train(
        self,
        optimizer: Optimizer,
        data: DataSet,
        epochs: int = 1,
        *,
        validation: DataSet | None = None,
        on_epoch: Callable | Callback | Sequence[Callable | Callback] | None = None,
        early_stopping: EarlyStopping | None = None,
        weight_decay: float = 0.0,
        schedule: Schedule | Callable | None = None,
        progress: bool = False,
        verbose: int = 0,
        seed: Seed = None,
    ) -> History:
        """Train by backpropagation for `epochs` passes over `data`; return this call's History.

        Each epoch shuffles the samples (unless the batch is the whole set), then steps the optimizer
        once per batch of `optimizer.batch_size` samples: every sample once, the last batch possibly
        shorter. After each epoch an EpochRecord goes to the callbacks, which may stop the call.

        - `optimizer`: becomes `net.optimizer`; one that stepped another network is refused.
        - `validation`: adds val_loss / val_accuracy per epoch.
        - `on_epoch`: a function of the EpochRecord, a gone.Callback, or a list of them.
        - `early_stopping`: an EarlyStopping (needs `validation`), started afresh by every call;
          it restores the best epoch's weights and optimizer state at the end.
        - `weight_decay`: adds the L2 penalty (weight_decay / 2) * sum(W^2) on weights (dense
          and convolution kernels; not biases, nor a batch norm's gamma and beta; the loss
          reported stays the data's loss alone).
        - `schedule`: the learning rate per epoch, `schedule(net.learning_rate, epoch) -> lr`.
        - `progress=True` draws a progress bar on stderr; `verbose=n` prints a table row every
          n epochs (True: every epoch, False: none, as 1 and 0); both say so when early
          stopping or a divergence ends the call.
        - `seed`: shuffles from its own Generator instead of the network's.

        Raises DivergenceError when an epoch's loss is NaN or inf, with the weights and the
        optimizer's state (moments and step count) put back as they were before that epoch.

        >>> history = net.train(gone.SGD(), data, epochs=1500)
        """
        run = self._check_run(optimizer, data, validation, weight_decay, schedule, seed)
        epochs = check_int(epochs, "epochs", 0)
        callbacks = _callbacks(on_epoch, early_stopping, run.validation, progress, verbose, epochs)
        self.optimizer = optimizer  # binds its state to these parameters (or refuses)

        history = History()
        for callback in callbacks:
            callback.on_train_begin(self)
        try:
            for _ in range(epochs):
                record = self._epoch(run)
                history.append(record)
                self.history.append(record)
                # Every callback hears every epoch, even after one of them has asked to stop.
                if any([callback.on_epoch_end(record) for callback in callbacks]):
                    history.stopped_epoch = record.epoch
                    break
        except DivergenceError as error:
            history.diverged_epoch = error.epoch
            raise
        finally:
            for callback in callbacks:
                callback.on_train_end(history)
        return history

    def _check_run(self, optimizer, data, validation, weight_decay, schedule, seed) -> _Run:
        """Check a `train` call's settings and data, before anything changes."""
        check_instance(optimizer, Optimizer, "optimizer", "a gone optimizer such as gone.SGD()")
        data = self._check_data(data, "data")
        if validation is not None:
            validation = self._check_data(validation, "validation")
        if schedule is not None:
            check_callable(schedule, "schedule (such as gone.StepDecay(10))")
        batch_size = min(optimizer.batch_size or len(data), len(data))
        for i, layer in enumerate(self._modules, 1):
            layer.check_batch_size(batch_size, f"layers[{i}]")
        return _Run(
            optimizer=optimizer,
            data=data,
            validation=validation,
            batch_size=batch_size,
            schedule=schedule,
            weight_decay=check_number(weight_decay, "weight_decay", minimum=0),
            rng=self.rng if seed is None else make_rng(seed),
            started=time.perf_counter(),
            workspace=Workspace(self._modules, self.input_shape, self.dtype),
        )

    def _epoch(self, run: _Run) -> EpochRecord:
        """Train one epoch and return its record; on a NaN or infinite loss, undo it and raise."""
        epoch = self.history.epochs + 1  # counted from 1 over all training so far
        lr = self._learning_rate(run.schedule, epoch)
        before = run.workspace.snapshot = self.snapshot(into=run.workspace.snapshot)
        loss = self._train_epoch(run, lr)
        if not np.isfinite(loss):
            self.restore(before)  # weights and optimizer state: momentum would be NaN too
            raise DivergenceError(
                f"training diverged at epoch {epoch}: loss is {loss}; the weights and the "
                f"optimizer's state are those before that epoch. Try a smaller learning rate "
                f"(now {lr:g}).",
                epoch=epoch,
            )
        val_loss = val_accuracy = None
        if run.validation is not None:
            val_loss, val_accuracy = self.evaluate(run.validation)
        seconds = time.perf_counter() - run.started
        return EpochRecord(epoch, loss, lr, seconds, val_loss, val_accuracy)

    def _learning_rate(self, schedule, epoch: int) -> float:
        """The step size of `epoch` (from 1): the network's own, or what the schedule makes of it."""
        if schedule is None:
            return self.learning_rate
        # A schedule gets the 0-based epoch; a negative or NaN rate would train backwards or ruin
        # every weight, so it is refused at the epoch that produced it.
        return check_number(
            schedule(self.learning_rate, epoch - 1),
            f"learning rate from the schedule for epoch {epoch}",
            minimum=0,
        )

    def _train_epoch(self, run: _Run, lr: float) -> float:
        """Run one pass over the data; return the mean loss over its batches.

        Every step computes the layers' forward and backward formulas into the run's workspace
        (backprop.forward_layers_into, backward_layers_into), and the optimizer updates in
        place: after the first batch of each size, a step allocates nothing.
        """
        data, batch_size, work = run.data, run.batch_size, run.workspace
        X, Y = data.inputs, data.targets  # (N, n_in) or (N, C, H, W); (N, n_out)
        layers, loss = self._modules, self.loss
        output = layers[-1].activation
        whole = batch_size >= len(data)  # one batch: no shuffle, the data's own arrays
        order = None if whole else work.permutation(run.rng, len(data))
        total = 0.0
        for start in range(0, len(data), batch_size):
            if whole:
                batch = work.batch(len(data))
                A0, Yb = internal(X), Y.T  # (n_in, N) or (C, H, W, N); (n_out, N): views
            else:
                rows = order[start : start + batch_size]
                batch = work.batch(len(rows))
                A0, Yb = batch.gather(X, Y, rows)  # (n_in, B) or (C, H, W, B); (n_out, B)
            buffers = batch.layers
            backprop.forward_layers_into(layers, A0, buffers, training=True)
            total += loss.value_into(output, buffers[-1], Yb) * A0.shape[-1]  # B, the samples
            backprop.backward_layers_into(layers, loss, Yb, buffers, work.layer_gradients)
            if run.weight_decay:
                work.add_weight_decay(run.weight_decay)  # dW += weight_decay * W
            run.optimizer.step(self._parameters, work.gradients, lr)
        return total / len(data)

    # ---- going back ----------------------------------------------------------------------

    def snapshot(self, into: Snapshot | None = None) -> Snapshot:
        """Return copies of the parameters, of the running statistics (batch norms) and of the
        optimizer's state and step count: what `restore` puts back. Early stopping keeps one of
        its best epoch, divergence of the last good one.

        `into`, an earlier snapshot of this network, is overwritten in place where its arrays
        fit (no new arrays: `train` keeps one per call to undo a diverged epoch).
        """
        optimizer = self.optimizer
        parameters = _copies(self._parameters, None if into is None else into.parameters)
        statistics = _copies(self._statistics, None if into is None else into.statistics)
        state = None
        if optimizer is not None:
            earlier = into.optimizer_state if into and into.optimizer is optimizer else None
            state = optimizer.state(into=earlier)
        return Snapshot(parameters, optimizer, state, statistics)

    def restore(self, snapshot: Snapshot) -> None:
        """Put back the parameters, the optimizer and its state from `snapshot()` (in place: the
        arrays stay the same objects, so views such as `net.weights[i]` see the change)."""
        check_instance(snapshot, Snapshot, "snapshot", "what net.snapshot() returns")
        shapes = [p.shape for p in self._parameters]
        if [p.shape for p in snapshot.parameters] != shapes:
            raise ShapeError(
                f"snapshot: expected parameters of shapes {shapes}, got "
                f"{[p.shape for p in snapshot.parameters]} (another network's?)"
            )
        for p, saved in zip(self._parameters, snapshot.parameters, strict=True):
            p[...] = saved
        if len(snapshot.statistics) == len(self._statistics):
            for s, saved in zip(self._statistics, snapshot.statistics, strict=True):
                s[...] = saved
        if snapshot.optimizer is not None:
            snapshot.optimizer.load_state(snapshot.optimizer_state)
        self.optimizer = snapshot.optimizer

    # ---- copies, evolution and files (the last two live in their own packages) -------------

    def copy(self) -> "NeuralNetwork":
        """Return an independent twin: same layout, weights, history and random state."""
        twin = copy.copy(self)
        twin.layers = tuple(layer.copy() if layer.built else layer for layer in self.layers)
        twin._modules = list(twin.layers[1:])
        twin._adopt_arrays()
        twin.rng = clone_rng(self.rng)  # and its dropout layers draw from it
        twin.history = copy.deepcopy(self.history)
        twin._optimizer = None
        twin.optimizer = None if self.optimizer is None else self.optimizer.copy()
        return twin

    def crossover(
        self, other: "NeuralNetwork", seed: Seed = None, method: str = "single_point"
    ) -> "NeuralNetwork":
        """Return a child mixing this network's genes with `other`'s (see gone.genetic.crossover);
        both must be networks of dense layers."""
        from gone.genetic.operators import crossover

        self._check_dense("crossover")
        if isinstance(other, NeuralNetwork):
            other._check_dense("crossover")
        return crossover(self, other, seed=seed, method=method)

    def mutate(self, mutation, seed: Seed = None) -> "NeuralNetwork":
        """Mutate this network's weights and biases in place with `mutation`; return self."""
        from gone.genetic.operators import mutate

        mutate(self, mutation, seed=seed)
        return self

    def save(self, path) -> None:
        """Write the network to a .gone file (atomically: a temporary file renamed into place)."""
        from gone.persistence import save

        save(self, path)

    def to_bytes(self) -> bytes:
        """Return the network as .gone bytes."""
        from gone.persistence import to_bytes

        return to_bytes(self)


def _copies(arrays: list[np.ndarray], into: list[np.ndarray] | None) -> list[np.ndarray]:
    """Return copies of `arrays`, written into the arrays of `into` when they fit (no new arrays)."""
    if into is not None and [(a.shape, a.dtype) for a in into] == [
        (a.shape, a.dtype) for a in arrays
    ]:
        for saved, array in zip(into, arrays, strict=True):
            np.copyto(saved, array)
        return into
    return [a.copy() for a in arrays]


def _parameter_arrays(arrays, what: str, shapes: list[tuple], dtype) -> list[np.ndarray]:
    """Return `arrays` copied into `dtype`, checked: one per shape, each that shape, finite."""
    if not isinstance(arrays, Iterable) or isinstance(arrays, (str, bytes)):
        raise ShapeError(f"{what}: expected a list of {len(shapes)} matrices, got {shown(arrays)}")
    arrays = list(arrays)
    if len(arrays) != len(shapes):
        raise ShapeError(f"{what}: expected {len(shapes)} matrices, got {len(arrays)}")
    copies = []
    for i, (array, shape) in enumerate(zip(arrays, shapes, strict=True)):
        try:
            array = np.array(array, dtype=dtype)
        except (TypeError, ValueError):  # strings, ragged rows, None
            raise DataError(
                f"{what}[{i}]: expected real numbers of shape {shape}, got {shown(array)}"
            ) from None
        if array.shape != shape:
            raise ShapeError(f"{what}[{i}]: expected shape {shape}, got {array.shape}")
        copies.append(check_finite_array(array, f"{what}[{i}]"))
    return copies


def _describe(thing) -> str:
    params = thing.params()
    return thing.name + (
        f"({', '.join(f'{k}={v:g}' for k, v in params.items())})" if params else ""
    )


def _correct(output, A: np.ndarray, Y: np.ndarray) -> int | None:
    """Samples classified right: argmax for Softmax, every output on the right side of 0.5 for
    Sigmoid (binary and multi-label); None for other outputs (regression)."""
    if isinstance(output, Softmax):
        return int(np.count_nonzero(A.argmax(axis=0) == Y.argmax(axis=0)))
    if isinstance(output, Sigmoid):
        return int(np.count_nonzero(np.all((A > 0.5) == (Y > 0.5), axis=0)))
    return None


def _callbacks(on_epoch, early_stopping, validation, progress, verbose, epochs) -> list[Callback]:
    """Return the callbacks of a `train` call, in the order they hear each event: early stopping
    first (so at the end it has restored the best epoch before the others report it), then
    on_epoch's, the progress bar, the table."""
    callbacks = []
    if early_stopping is not None:
        check_instance(early_stopping, EarlyStopping, "early_stopping", "a gone.EarlyStopping")
        if validation is None:
            raise ConfigError(
                "early_stopping: expected validation data to watch, got validation=None"
            )
        callbacks.append(early_stopping)
    callbacks += as_training_callbacks(on_epoch, "on_epoch")
    if check_bool(progress, "progress"):
        callbacks.append(ProgressBar(epochs))
    # verbose=True/False is meant as every epoch / never, so a bool counts here as 1 / 0.
    every = int(verbose) if isinstance(verbose, (bool, np.bool_)) else verbose
    if check_int(every, "verbose (a table row every n epochs, 0: none)", 0):
        callbacks.append(EpochTable(every=every))
    return callbacks
