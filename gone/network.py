"""NeuralNetwork: the weights and configuration of a feedforward network, and how it learns.

The math lives in `backprop`; the update rules in `optimizers`. This module validates what users
give it, keeps the parameters, and runs the training loop: shuffle, batch, forward, backward, step.
"""

import copy
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from gone import backprop
from gone._random import Seed, clone_rng, make_rng
from gone.activations import Identity, Sigmoid, Softmax
from gone.data import DataSet
from gone.errors import ConfigError, DataError, DivergenceError, ShapeError
from gone.history import EarlyStopping, EpochRecord, History
from gone.initializers import Initializer, Uniform
from gone.layers import Layer
from gone.losses import MSE, Loss
from gone.optimizers import Optimizer
from gone.progress import EpochTable, ProgressBar, as_callbacks
from gone.schedules import Schedule
from matrigo import Matrix

DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


class Evaluation(NamedTuple):
    """The result of `evaluate`: the mean loss and, for classifiers, the accuracy (else None)."""

    loss: float
    accuracy: float | None


class NeuralNetwork:
    """A feedforward network: an input layer, optional hidden layers and an output layer.

    Parameters: `layers` (Layer list, input first), `loss` (default MSE()), `learning_rate` (the step
    size every optimizer uses), `seed` (int or Generator: weights, shuffling), `dtype` (float64 or
    float32), `initializer` (default Uniform(-1, 1), as Go).

    `weights[i]` is a Matrix (nodes of layer i+1, nodes of layer i); `biases[i]` (nodes of layer i+1, 1).

    >>> net = NeuralNetwork([Layer(2), Layer(4, Sigmoid()), Layer(1)], learning_rate=0.1, seed=1)
    >>> net.predict([1, 0]).shape
    (1,)
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        seed: Seed = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
    ):
        self._configure(layers, loss, learning_rate, seed, dtype, initializer)
        shapes = self.weight_shapes
        initial = [self.initializer(n_in, n_out, self.rng, self.dtype) for n_out, n_in in shapes]
        self._set_parameters([W for W, _ in initial], [b for _, b in initial])

    @classmethod
    def from_parameters(
        cls,
        layers: Sequence[Layer],
        weights,
        biases,
        loss: Loss | None = None,
        learning_rate: float = 0.01,
        seed: Seed = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
    ) -> "NeuralNetwork":
        """Build a network with given weights (next, current) and biases (next, 1), copied."""
        net = cls.__new__(cls)
        net._configure(layers, loss, learning_rate, seed, dtype, initializer)
        weights = [np.array(np.asarray(W), dtype=net.dtype) for W in weights]
        biases = [np.array(np.asarray(b), dtype=net.dtype) for b in biases]
        for what, arrays, shapes in (
            ("weights", weights, net.weight_shapes),
            ("biases", biases, [(n, 1) for n, _ in net.weight_shapes]),
        ):
            if len(arrays) != len(shapes):
                raise ShapeError(f"{what}: expected {len(shapes)} matrices, got {len(arrays)}")
            for i, (array, shape) in enumerate(zip(arrays, shapes, strict=True)):
                if array.shape != shape:
                    raise ShapeError(f"{what}[{i}]: expected shape {shape}, got {array.shape}")
        net._set_parameters(weights, biases)
        return net

    def _configure(self, layers, loss, learning_rate, seed, dtype, initializer):
        layers = list(layers)
        if len(layers) < 2:
            raise ConfigError(
                f"layers: expected at least an input and an output layer, got {len(layers)}"
            )
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ConfigError(f"layers[{i}]: expected a gone.Layer, got {layer!r}")
        if not isinstance(layers[0].activation, Identity):
            raise ConfigError(
                "layers[0] is the input layer, whose activation is never applied: expected Identity, "
                f"got {layers[0].activation!r}"
            )
        output = layers[-1]
        if isinstance(output.activation, Softmax) and output.nodes == 1:
            raise ConfigError(
                "Softmax output over 1 node always gives 1: expected >= 2 nodes or Sigmoid"
            )
        loss = MSE() if loss is None else loss
        if not isinstance(loss, Loss):
            raise ConfigError(f"loss: expected a gone loss such as gone.MSE(), got {loss!r}")
        loss.check_output(output.activation)
        initializer = Uniform() if initializer is None else initializer
        if not isinstance(initializer, Initializer):
            raise ConfigError(
                f"initializer: expected a gone initializer such as gone.Xavier(), got {initializer!r}"
            )
        dtype = np.dtype(dtype)
        if dtype not in DTYPES:
            raise ConfigError(f"dtype: expected float64 or float32, got {dtype}")
        self.layers = tuple(layers)
        self.loss = loss
        self.learning_rate = _check_learning_rate(learning_rate)
        self.dtype = dtype
        self.initializer = initializer
        self.rng = make_rng(seed)
        self.history = History()
        self.optimizer: Optimizer | None = None  # the last one trained with, state and all

    def _set_parameters(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        self._weights = weights  # W[l] (n_{l+1}, n_l)
        self._biases = biases  # b[l] (n_{l+1}, 1)
        # One flat list of the same arrays, in Go's order W0, b0, W1, b1, ...: what optimizers update.
        self._parameters = [p for pair in zip(weights, biases, strict=True) for p in pair]
        self._activations = [layer.activation for layer in self.layers[1:]]

    # ---- what the network is -------------------------------------------------------------

    @property
    def weights(self) -> list[Matrix]:
        """The weight matrices as matrigo Matrices, views of the network's own arrays."""
        return [Matrix.from_numpy(W) for W in self._weights]

    @property
    def biases(self) -> list[Matrix]:
        """The bias columns as matrigo Matrices, views of the network's own arrays."""
        return [Matrix.from_numpy(b) for b in self._biases]

    @property
    def weight_shapes(self) -> list[tuple[int, int]]:
        """(next nodes, current nodes) of every weight layer."""
        return [(b.nodes, a.nodes) for a, b in zip(self.layers, self.layers[1:])]

    @property
    def n_inputs(self) -> int:
        return self.layers[0].nodes

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].nodes

    @property
    def parameter_count(self) -> int:
        return sum(p.size for p in self._parameters)

    def parameters(self) -> list[np.ndarray]:
        """The parameter arrays themselves (not copies), in the order W0, b0, W1, b1, ..."""
        return list(self._parameters)

    def summary(self) -> str:
        """Return a table of the layers: nodes, activation, weight shapes and parameter counts."""
        rows = [("layer", "nodes", "activation", "weights", "biases", "parameters")]
        rows.append(("0 (input)", str(self.n_inputs), "-", "-", "-", "0"))
        for i, (layer, (n_out, n_in)) in enumerate(zip(self.layers[1:], self.weight_shapes), 1):
            rows.append(
                (
                    str(i),
                    str(layer.nodes),
                    _describe(layer.activation),
                    f"{n_out}x{n_in}",
                    f"{n_out}x1",
                    str(n_out * n_in + n_out),
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
        sizes = "-".join(str(layer.nodes) for layer in self.layers)
        return f"<NeuralNetwork {sizes} loss={self.loss.name} parameters={self.parameter_count}>"

    # ---- using it ------------------------------------------------------------------------

    def predict(self, inputs) -> np.ndarray:
        """Return the outputs for one sample (1-D, n_in) -> (n_out,) or many (samples, n_in) -> (samples, n_out)."""
        X = self._check_inputs(inputs)
        A0 = X[:, None] if X.ndim == 1 else X.T  # (n_in, samples), a view
        A = backprop.predict(self._weights, self._biases, self._activations, A0)  # (n_out, samples)
        return A[:, 0] if X.ndim == 1 else A.T

    def _check_inputs(self, inputs) -> np.ndarray:
        try:
            X = np.asarray(inputs, dtype=self.dtype)
        except (TypeError, ValueError) as error:
            raise DataError(
                f"inputs: expected real numbers in a 1-D or 2-D array, got {error}"
            ) from None
        if X.ndim not in (1, 2) or X.shape[-1] != self.n_inputs:
            raise ShapeError(
                f"inputs: expected shape ({self.n_inputs},) or (samples, {self.n_inputs}), got {X.shape}"
            )
        if not np.isfinite(X).all():
            raise DataError("inputs: expected finite numbers, got NaN or infinity")
        return X

    def evaluate(self, data: DataSet) -> Evaluation:
        """Return the mean loss on `data` and, for classifiers (Softmax or Sigmoid output), the accuracy."""
        data = self._check_data(data, "data")
        A0 = data.inputs.T  # (n_in, N)
        Y = data.targets.T  # (n_out, N)
        Zs, As = backprop.forward(self._weights, self._biases, self._activations, A0)
        loss = self.loss.value(self._activations[-1], Zs[-1], As[-1], Y)
        return Evaluation(loss, _accuracy(self._activations[-1], As[-1], Y))

    def _check_data(self, data, what: str) -> DataSet:
        if isinstance(data, tuple) and len(data) == 2:
            data = DataSet.from_arrays(*data, dtype=self.dtype)
        if not isinstance(data, DataSet):
            raise DataError(
                f"{what}: expected a gone.DataSet or an (inputs, targets) pair, got {type(data).__name__}"
            )
        if data.n_inputs != self.n_inputs:
            raise ShapeError(
                f"{what} inputs: expected {self.n_inputs} columns (input nodes), got {data.n_inputs}"
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
        on_epoch: Callable | Sequence[Callable] | None = None,
        early_stopping: EarlyStopping | None = None,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
        progress: bool = False,
        verbose: int = 0,
        seed: Seed = None,
    ) -> History:
        """Train by backpropagation for `epochs` passes over `data`; return this call's History.

        Each epoch shuffles the samples (unless the batch is the whole set), then steps the optimizer
        once per batch of `optimizer.batch_size` samples: every sample once, the last batch possibly
        shorter. `validation` adds val_loss / val_accuracy per epoch; `on_epoch` (a callable or a
        list) receives an EpochRecord after each epoch; `early_stopping` needs `validation`;
        `weight_decay` adds the L2 penalty (weight_decay / 2) * sum(W^2) on weights (not biases;
        the loss reported stays the data's loss alone);
        `schedule` sets the learning rate per epoch. `progress=True` draws a progress bar on stderr,
        `verbose=n` prints a table row every n epochs. `seed` shuffles from its own Generator
        instead of the network's.

        Raises DivergenceError (weights restored to the last finite epoch) when the loss is NaN or inf.

        >>> history = net.train(gone.SGD(), data, epochs=1500)
        """
        if not isinstance(optimizer, Optimizer):
            raise ConfigError(
                f"optimizer: expected a gone optimizer such as gone.SGD(), got {optimizer!r}"
            )
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ConfigError(f"epochs: expected an int >= 0, got {epochs!r}")
        weight_decay = float(weight_decay)
        if not (np.isfinite(weight_decay) and weight_decay >= 0):
            raise ConfigError(f"weight_decay: expected a number >= 0, got {weight_decay}")
        data = self._check_data(data, "data")
        if validation is not None:
            validation = self._check_data(validation, "validation")
        if early_stopping is not None and validation is None:
            raise ConfigError(
                "early_stopping: expected validation data to watch, got validation=None"
            )
        callbacks = _callbacks(on_epoch, progress, verbose, epochs)
        rng = self.rng if seed is None else make_rng(seed)
        batch_size = min(optimizer.batch_size or len(data), len(data))
        self.optimizer = optimizer

        history = History()
        started = time.perf_counter()
        for _ in range(epochs):
            epoch_index = self.history.epochs  # 0-based over all training so far
            lr = (
                self.learning_rate
                if schedule is None
                else float(schedule(self.learning_rate, epoch_index))
            )
            before = [p.copy() for p in self._parameters]
            loss = self._train_epoch(optimizer, data, batch_size, lr, weight_decay, rng)
            if not np.isfinite(loss):
                for p, saved in zip(self._parameters, before, strict=True):
                    p[...] = saved
                raise DivergenceError(
                    f"training diverged at epoch {epoch_index + 1}: loss is {loss}; the weights are "
                    f"those before that epoch. Try a smaller learning rate (now {lr:g}).",
                    epoch=epoch_index + 1,
                )
            val_loss = val_accuracy = None
            if validation is not None:
                val_loss, val_accuracy = self.evaluate(validation)
            record = EpochRecord(
                epoch_index + 1, loss, lr, time.perf_counter() - started, val_loss, val_accuracy
            )
            history.append(record)
            self.history.append(record)
            for callback in callbacks:
                callback(record)
            if early_stopping is not None and early_stopping.should_stop(record, self._parameters):
                break
        if early_stopping is not None and early_stopping.best_parameters is not None:
            for p, best in zip(self._parameters, early_stopping.best_parameters, strict=True):
                p[...] = best
        for callback in callbacks:
            getattr(callback, "close", lambda: None)()
        return history

    def _train_epoch(self, optimizer, data, batch_size, lr, weight_decay, rng) -> float:
        """Run one pass over `data`; return the mean loss over its batches."""
        X, Y = data.inputs, data.targets  # (N, n_in), (N, n_out)
        if batch_size < len(data):
            order = rng.permutation(len(data))
            X, Y = X[order], Y[order]  # one gather per epoch; every batch below is a view
        total = 0.0
        for start in range(0, len(data), batch_size):
            A0 = X[start : start + batch_size].T  # (n_in, B), a transposed view
            Yb = Y[start : start + batch_size].T  # (n_out, B)
            Zs, As = backprop.forward(self._weights, self._biases, self._activations, A0)
            total += self.loss.value(self._activations[-1], Zs[-1], As[-1], Yb) * A0.shape[1]
            dWs, dbs = backprop.backward(self._weights, self._activations, self.loss, Zs, As, Yb)
            if weight_decay:
                for dW, W in zip(dWs, self._weights, strict=True):
                    dW += weight_decay * W
            optimizer.step(self._parameters, [g for pair in zip(dWs, dbs) for g in pair], lr)
        return total / len(data)

    # ---- copies, evolution and files (the last two live in their own packages) -------------

    def copy(self) -> "NeuralNetwork":
        """Return an independent twin: same layout, weights, history and random state."""
        twin = copy.copy(self)
        twin._set_parameters([W.copy() for W in self._weights], [b.copy() for b in self._biases])
        twin.rng = clone_rng(self.rng)
        twin.history = copy.deepcopy(self.history)
        twin.optimizer = copy.deepcopy(self.optimizer)
        return twin

    def crossover(
        self, other: "NeuralNetwork", seed: Seed = None, method: str = "single_point"
    ) -> "NeuralNetwork":
        """Return a child mixing this network's genes with `other`'s (see gone.genetic.crossover)."""
        from gone.genetic.operators import crossover

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


def _check_learning_rate(learning_rate) -> float:
    try:
        value = float(learning_rate)
    except (TypeError, ValueError):
        raise ConfigError(f"learning_rate: expected a number > 0, got {learning_rate!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise ConfigError(f"learning_rate: expected a finite number > 0, got {learning_rate!r}")
    return value


def _describe(thing) -> str:
    params = thing.params()
    return thing.name + (
        f"({', '.join(f'{k}={v:g}' for k, v in params.items())})" if params else ""
    )


def _accuracy(output, A: np.ndarray, Y: np.ndarray) -> float | None:
    """Fraction of samples classified right: argmax for Softmax, every output on the right side of
    0.5 for Sigmoid (binary and multi-label); None for other outputs (regression)."""
    if isinstance(output, Softmax):
        return float(np.mean(A.argmax(axis=0) == Y.argmax(axis=0)))
    if isinstance(output, Sigmoid):
        return float(np.mean(np.all((A > 0.5) == (Y > 0.5), axis=0)))
    return None


def _callbacks(on_epoch, progress: bool, verbose: int, epochs: int) -> list:
    callbacks = as_callbacks(on_epoch, "on_epoch")
    if progress:
        callbacks.append(ProgressBar(epochs))
    if verbose:
        callbacks.append(EpochTable(every=verbose))
    return callbacks
