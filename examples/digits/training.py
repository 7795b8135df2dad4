"""The gone side of the example: build a classifier from plain settings, train it, test it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import gone
from gone.initializers import INITIALIZERS, initializer_from_name

from .augment import random_shifts
from .datasets import CLASSES, Digits, stratified_split

# The --activation names: gone's registry calls LeakyReLU "leaky_relu" and also holds
# activations (id, softmax) that make no sense in a hidden layer, so the CLI keeps its own.
ACTIVATIONS = {
    "relu": gone.ReLU,
    "leakyrelu": gone.LeakyReLU,
    "tanh": gone.Tanh,
    "sigmoid": gone.Sigmoid,
}
OPTIMIZERS = ("adam", "rmsprop", "mbgd", "sgd", "gd")
INITIALIZER_NAMES = tuple(sorted(INITIALIZERS))
DTYPES = ("float32", "float64")


def default_initializer(activation: str) -> str:
    """He (2015) for the ReLU family, Glorot & Bengio (2010) for the squashing functions."""
    return "he" if activation in ("relu", "leakyrelu") else "xavier"


def build_network(
    features: int,
    hidden: Sequence[int],
    activation: str = "relu",
    learning_rate: float = 0.001,
    seed: int | np.random.Generator | None = 0,
    dtype: str = "float32",
    initializer: str | None = None,
) -> gone.NeuralNetwork:
    """An MLP: `features` inputs, the `hidden` layers, 10 softmax outputs, cross-entropy loss.

    Example:
        >>> net = build_network(64, [128], "relu", learning_rate=0.001, seed=1)
        >>> [layer.nodes for layer in net.layers]
        [64, 128, 10]
    """
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation: expected one of {', '.join(ACTIVATIONS)}, got {activation!r}"
        )
    layers = [gone.Layer(features)]
    layers += [gone.Layer(nodes, ACTIVATIONS[activation]()) for nodes in hidden]
    layers.append(gone.Layer(CLASSES, gone.Softmax()))
    return gone.NeuralNetwork(
        layers,
        loss=gone.CrossEntropy(),
        learning_rate=learning_rate,
        seed=seed,
        dtype=dtype,
        initializer=initializer_from_name(initializer or default_initializer(activation)),
    )


def make_optimizer(
    name: str, batch_size: int = 32, momentum: float = 0.0, nesterov: bool = False
) -> gone.Optimizer:
    """The optimizer called `name`; `batch_size` is ignored by sgd (1) and gd (whole set)."""
    if name == "adam":
        return gone.Adam(batch_size=batch_size)
    if name == "rmsprop":
        return gone.RMSProp(batch_size=batch_size)
    if name == "mbgd":
        return gone.MBGD(batch_size, momentum=momentum, nesterov=nesterov)
    if name == "sgd":
        return gone.SGD(momentum=momentum, nesterov=nesterov)
    if name == "gd":
        return gone.GD(momentum=momentum, nesterov=nesterov)
    raise ValueError(f"optimizer: expected one of {', '.join(OPTIMIZERS)}, got {name!r}")


def to_dataset(x: np.ndarray, labels: np.ndarray, dtype: str = "float32") -> gone.DataSet:
    """Inputs (samples, features) and labels (samples,) -> a gone DataSet with one-hot targets."""
    targets = gone.one_hot(labels, CLASSES, dtype=dtype)  # (samples, 10)
    return gone.DataSet.from_arrays(x, targets, dtype=dtype)


@dataclass
class Split:
    """The training data cut into the part learned from and the validation part (maybe empty)."""

    train: gone.DataSet
    validation: gone.DataSet | None
    train_samples: int
    validation_samples: int


def split_validation(
    data: Digits, fraction: float, seed: int | np.random.Generator | None, dtype: str = "float32"
) -> Split:
    """Hold out a stratified `fraction` of the training set for validation (none at 0)."""
    kept, held = stratified_split(data.y_train, fraction, seed)
    train = to_dataset(data.x_train[kept], data.y_train[kept], dtype)
    validation = to_dataset(data.x_train[held], data.y_train[held], dtype) if len(held) else None
    return Split(train, validation, len(kept), len(held))


def fit(
    net: gone.NeuralNetwork,
    optimizer: gone.Optimizer,
    split: Split,
    epochs: int,
    image_shape: tuple[int, int],
    shift: int = 0,
    lr_decay: float = 1.0,
    weight_decay: float = 0.0,
    patience: int = 0,
    seed: int | np.random.Generator | None = 0,
    on_epoch: Callable | None = None,
) -> gone.History:
    """Train `net` for up to `epochs` epochs; returns the History of this run.

    Without `shift` this is one `net.train` call. With it, every epoch trains on freshly
    shifted copies of the training images (see augment.py), one `net.train` call per
    epoch: the optimizer's state, the learning-rate schedule and the epoch count carry
    over from call to call. `patience` > 0 stops when the validation loss has not
    improved for that many epochs and gives the network back the weights and optimizer state
    of its best epoch, as gone.EarlyStopping does within one `train` call.
    """
    schedule = gone.ExponentialDecay(lr_decay) if lr_decay < 1.0 else None
    if shift == 0:
        stopping = gone.EarlyStopping(patience) if patience else None
        return net.train(
            optimizer,
            split.train,
            epochs,
            validation=split.validation,
            on_epoch=on_epoch,
            early_stopping=stopping,
            weight_decay=weight_decay,
            schedule=schedule,
        )
    rng = np.random.default_rng(seed)
    history = gone.History()
    best_loss, best, waited = np.inf, None, 0
    for _ in range(epochs):
        moved = random_shifts(split.train.inputs, image_shape, shift, rng)  # (samples, features)
        epoch_data = gone.DataSet.from_arrays(moved, split.train.targets, dtype=net.dtype)
        history.extend(
            net.train(
                optimizer,
                epoch_data,
                1,
                validation=split.validation,
                on_epoch=on_epoch,
                weight_decay=weight_decay,
                schedule=schedule,
            )
        )
        if patience:
            if history.val_loss[-1] < best_loss:
                best_loss, waited = history.val_loss[-1], 0
                best = net.snapshot()  # weights and optimizer state of this epoch
            else:
                waited += 1
                if waited >= patience:
                    break
    if best is not None:
        net.restore(best)
    return history


@dataclass
class Scores:
    """How the network does on the held-out test set."""

    loss: float
    accuracy: float
    predictions: np.ndarray  # (samples,) predicted labels


def score_on_test(net: gone.NeuralNetwork, data: Digits, dtype: str = "float32") -> Scores:
    """Evaluate on the test part: mean loss, accuracy and every predicted label."""
    result = net.evaluate(to_dataset(data.x_test, data.y_test, dtype))
    probabilities = net.predict(data.x_test)  # (samples, 10)
    return Scores(float(result.loss), float(result.accuracy), probabilities.argmax(axis=1))


def probability_function(net: gone.NeuralNetwork) -> Callable[[np.ndarray], np.ndarray]:
    """The network as `predict_proba(x (features,)) -> (10,)`, what the drawing window takes."""

    def predict_proba(x: np.ndarray) -> np.ndarray:
        return net.predict(np.asarray(x).reshape(-1))

    return predict_proba
