"""NeuralNetwork: the weights and configuration of a feedforward network, and how it learns.

The math lives in `backprop`; the update rules in `optimizers`; everything a training run does
besides the math (early stopping, progress, the user's on_epoch) in `callbacks`. This module
validates what users give it, keeps the parameters, and runs the training loop: shuffle, batch,
forward, backward, step.
"""

import copy
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
from gone.layers import Layer
from gone.losses import MSE, Loss
from gone.optimizers import Optimizer
from gone.progress import EpochTable, ProgressBar
from gone.schedules import Schedule
from gone.workspace import Workspace
from matrigo import Matrix

DTYPES = FLOAT_DTYPES  # float64 (as Go) or float32


class Snapshot(NamedTuple):
    """A network's training state at one moment (`NeuralNetwork.snapshot()`), to go back to."""

    parameters: list[np.ndarray]  # copies, in the order of parameters()
    optimizer: Optimizer | None  # the network's optimizer then (the object itself)...
    optimizer_state: dict | None  # ... and a copy of its state and step count


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
        """Build a network with given weights (next, current) and biases (next, 1), copied.

        The arrays must be finite: a NaN weight would make every prediction NaN.
        """
        net = cls.__new__(cls)
        net._configure(layers, loss, learning_rate, seed, dtype, initializer)
        weights = _parameter_arrays(weights, "weights", net.weight_shapes, net.dtype)
        biases = _parameter_arrays(
            biases, "biases", [(n, 1) for n, _ in net.weight_shapes], net.dtype
        )
        net._set_parameters(weights, biases)
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
            check_instance(layer, Layer, f"layers[{i}]", "a gone.Layer")
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
        check_instance(loss, Loss, "loss", "a gone loss such as gone.MSE()")
        loss.check_output(output.activation)
        initializer = Uniform() if initializer is None else initializer
        check_instance(
            initializer, Initializer, "initializer", "a gone initializer such as gone.Xavier()"
        )
        self.layers = tuple(layers)
        self.loss = loss
        self.learning_rate = check_number(learning_rate, "learning_rate", above=0)
        self.dtype = check_float_dtype(dtype)
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

    def gradients(self, data) -> list[np.ndarray]:
        """Return dL/dp for every parameter, in the order and shapes of `parameters()`.

        L is the loss averaged over all of `data` taken as one batch, by backpropagation (no
        weight decay). `data` is a DataSet or an (inputs, targets) pair.

        >>> dW0, db0, dW1, db1 = net.gradients(data)
        """
        data = self._check_data(data, "data")
        A0, Y = data.inputs.T, data.targets.T  # (n_in, N), (n_out, N)
        Zs, As = backprop.forward(self._weights, self._biases, self._activations, A0)
        dWs, dbs = backprop.backward(self._weights, self._activations, self.loss, Zs, As, Y)
        return _interleave(dWs, dbs)

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
        - `weight_decay`: adds the L2 penalty (weight_decay / 2) * sum(W^2) on weights (not
          biases; the loss reported stays the data's loss alone).
        - `schedule`: the learning rate per epoch, `schedule(net.learning_rate, epoch) -> lr`.
        - `progress=True` draws a progress bar on stderr; `verbose=n` prints a table row every
          n epochs; both say so when early stopping or a divergence ends the call.
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
        return _Run(
            optimizer=optimizer,
            data=data,
            validation=validation,
            batch_size=min(optimizer.batch_size or len(data), len(data)),
            schedule=schedule,
            weight_decay=check_number(weight_decay, "weight_decay", minimum=0),
            rng=self.rng if seed is None else make_rng(seed),
            started=time.perf_counter(),
            workspace=Workspace(self._weights, self.dtype),
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

        Every step computes backprop.forward and backprop.backward's formulas into the run's
        workspace (forward_into, backward_into), and the optimizer updates in place: after the
        first batch of each size, a step allocates nothing.
        """
        data, batch_size, work = run.data, run.batch_size, run.workspace
        X, Y = data.inputs, data.targets  # (N, n_in), (N, n_out)
        weights, biases, activations = self._weights, self._biases, self._activations
        loss = self.loss
        whole = batch_size >= len(data)  # one batch: no shuffle, the data's own arrays
        order = None if whole else work.permutation(run.rng, len(data))
        total = 0.0
        for start in range(0, len(data), batch_size):
            if whole:
                batch = work.batch(len(data))
                A0, Yb = X.T, Y.T  # (n_in, N), (n_out, N): views
            else:
                rows = order[start : start + batch_size]
                batch = work.batch(len(rows))
                A0, Yb = batch.gather(X, Y, rows)  # (n_in, B), (n_out, B): this batch's samples
            layers = batch.layers
            backprop.forward_into(weights, biases, activations, A0, layers)
            total += loss.value_into(activations[-1], layers[-1], Yb) * A0.shape[1]
            backprop.backward_into(weights, activations, loss, A0, Yb, layers, work.dWs, work.dbs)
            if run.weight_decay:
                work.add_weight_decay(weights, run.weight_decay)  # dW += weight_decay * W
            run.optimizer.step(self._parameters, work.gradients, lr)
        return total / len(data)

    # ---- going back ----------------------------------------------------------------------

    def snapshot(self, into: Snapshot | None = None) -> Snapshot:
        """Return copies of the parameters and of the optimizer's state and step count: what
        `restore` puts back. Early stopping keeps one of its best epoch, divergence of the last
        good one.

        `into`, an earlier snapshot of this network, is overwritten in place where its arrays
        fit (no new arrays: `train` keeps one per call to undo a diverged epoch).
        """
        optimizer = self.optimizer
        shapes = [(p.shape, p.dtype) for p in self._parameters]
        if into is not None and [(p.shape, p.dtype) for p in into.parameters] == shapes:
            for saved, p in zip(into.parameters, self._parameters, strict=True):
                np.copyto(saved, p)
            parameters = into.parameters
        else:
            parameters = [p.copy() for p in self._parameters]
        state = None
        if optimizer is not None:
            earlier = into.optimizer_state if into and into.optimizer is optimizer else None
            state = optimizer.state(into=earlier)
        return Snapshot(parameters=parameters, optimizer=optimizer, optimizer_state=state)

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
        if snapshot.optimizer is not None:
            snapshot.optimizer.load_state(snapshot.optimizer_state)
        self.optimizer = snapshot.optimizer

    # ---- copies, evolution and files (the last two live in their own packages) -------------

    def copy(self) -> "NeuralNetwork":
        """Return an independent twin: same layout, weights, history and random state."""
        twin = copy.copy(self)
        twin._set_parameters([W.copy() for W in self._weights], [b.copy() for b in self._biases])
        twin.rng = clone_rng(self.rng)
        twin.history = copy.deepcopy(self.history)
        twin._optimizer = None
        twin.optimizer = None if self.optimizer is None else self.optimizer.copy()
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


def _interleave(dWs: list[np.ndarray], dbs: list[np.ndarray]) -> list[np.ndarray]:
    """Return [dW0, db0, dW1, db1, ...]: gradients in the order of the parameters."""
    return [g for pair in zip(dWs, dbs, strict=True) for g in pair]


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


def _accuracy(output, A: np.ndarray, Y: np.ndarray) -> float | None:
    """Fraction of samples classified right: argmax for Softmax, every output on the right side of
    0.5 for Sigmoid (binary and multi-label); None for other outputs (regression)."""
    if isinstance(output, Softmax):
        return float(np.mean(A.argmax(axis=0) == Y.argmax(axis=0)))
    if isinstance(output, Sigmoid):
        return float(np.mean(np.all((A > 0.5) == (Y > 0.5), axis=0)))
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
    if check_int(verbose, "verbose (a table row every n epochs, 0: none)", 0):
        callbacks.append(EpochTable(every=verbose))
    return callbacks
