"""The gone side of the example: build a classifier from plain settings, train it, test it.

Two kinds of network: an MLP (`build_network`), which reads an image as one row of pixels,
and a CNN (`build_cnn`), which reads it as an image (channels, rows, columns) through the
convolutions of `CNN_BLOCKS`. Both end in the same dense layers and softmax, and train and
test through the same functions: the data reach each network in its input's shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import gone
from gone.initializers import INITIALIZERS, initializer_from_name

from .augment import random_flips, random_shifts
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
MODELS = ("mlp", "cnn")

# The convolutions of --model cnn, per data set, block by block. Each number is one 3x3
# convolution with that many filters (padding 1 keeps the size), then a batch norm and the
# activation; each block ends with a 2x2 max pool, which halves the height and the width.
# Flatten then hands the last block's maps to the dense layers (--hidden, with --dropout).
CNN_BLOCKS = {
    # (1, 8, 8) -> (16, 4, 4) -> (32, 2, 2): 128 features
    "digits": ((16,), (32,)),
    # (1, 28, 28) -> (16, 14, 14) -> (32, 7, 7) -> (64, 3, 3): 576 features
    "mnist": ((16,), (32,), (64,)),
    # (3, 32, 32) -> (32, 16, 16) -> (64, 8, 8) -> (128, 4, 4): 2,048 features
    "cifar10": ((32,), (64,), (128,)),
}
CNN_KERNEL = 3


def blocks_text(blocks: Sequence[Sequence[int]]) -> str:
    """CNN_BLOCKS' filters in a few characters: ((16,), (32,)) -> "16-32", ((8, 8),) -> "8+8"."""
    return "-".join("+".join(map(str, block)) for block in blocks)


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
    dropout: float = 0.0,
) -> gone.NeuralNetwork:
    """An MLP: `features` inputs, the `hidden` layers, 10 softmax outputs, cross-entropy loss.

    `dropout` > 0 puts a gone.Dropout of that rate after every hidden layer.

    Example:
        >>> net = build_network(64, [128], "relu", learning_rate=0.001, seed=1)
        >>> [layer.nodes for layer in net.layers]
        [64, 128, 10]
    """
    check_activation(activation)
    layers = [gone.Layer(features), *dense_layers(hidden, activation, dropout)]
    return classifier(layers, activation, learning_rate, seed, dtype, initializer)


def build_cnn(
    input_shape: tuple[int, int, int],
    blocks: Sequence[Sequence[int]],
    hidden: Sequence[int],
    activation: str = "relu",
    learning_rate: float = 0.001,
    seed: int | np.random.Generator | None = 0,
    dtype: str = "float32",
    initializer: str | None = None,
    dropout: float = 0.0,
) -> gone.NeuralNetwork:
    """A CNN: convolution blocks (see CNN_BLOCKS), then the dense `hidden` layers and softmax.

    Parameters:
        input_shape: (channels, rows, columns) of one image, `Digits.input_shape`.
        blocks: filters of every convolution, block by block: ((16,), (32,)) is conv 16,
            pool, conv 32, pool. Each convolution is followed by a batch norm that applies
            the activation (gone.BatchNorm(activation=...)); each block by a 2x2 max pool.
        hidden, dropout: the dense layers after Flatten, a Dropout after each, as in
            `build_network`.

    Example:
        >>> net = build_cnn((1, 8, 8), CNN_BLOCKS["digits"], [64], dropout=0.3, seed=1)
        >>> [layer.kind for layer in net.layers][:4]
        ['input', 'conv2d', 'batch_norm', 'max_pool2d']
    """
    check_activation(activation)
    layers = [gone.Input(tuple(input_shape))]
    for block in blocks:
        for filters in block:
            # No activation on the convolution: the batch norm normalises Z and applies it.
            # (The convolution's bias is then redundant, the norm's beta shifts alike.)
            layers.append(gone.Conv2D(filters, CNN_KERNEL, padding=CNN_KERNEL // 2))
            layers.append(gone.BatchNorm(activation=ACTIVATIONS[activation]()))
        layers.append(gone.MaxPool2D(2))
    layers += [gone.Flatten(), *dense_layers(hidden, activation, dropout)]
    return classifier(layers, activation, learning_rate, seed, dtype, initializer)


def check_activation(activation: str) -> None:
    """Refuse an --activation name the example does not know, listing those it does."""
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation: expected one of {', '.join(ACTIVATIONS)}, got {activation!r}"
        )


def dense_layers(hidden: Sequence[int], activation: str, dropout: float) -> list[gone.Layer]:
    """The hidden dense layers, each followed by a Dropout when `dropout` > 0."""
    layers = []
    for nodes in hidden:
        layers.append(gone.Layer(nodes, ACTIVATIONS[activation]()))
        if dropout > 0:
            layers.append(gone.Dropout(dropout))
    return layers


def classifier(layers, activation, learning_rate, seed, dtype, initializer) -> gone.NeuralNetwork:
    """`layers` with the 10 softmax outputs on top, cross-entropy loss, the initializer named."""
    return gone.NeuralNetwork(
        [*layers, gone.Layer(CLASSES, gone.Softmax())],
        loss=gone.CrossEntropy(),
        learning_rate=learning_rate,
        seed=seed,
        dtype=dtype,
        initializer=initializer_from_name(initializer or default_initializer(activation)),
    )


def model_kind(net: gone.NeuralNetwork) -> str:
    """What `net` is: "mlp" when it takes rows (features), "cnn" when images (C, H, W)."""
    return "mlp" if len(net.input_shape) == 1 else "cnn"


def hidden_sizes(net: gone.NeuralNetwork) -> list[int]:
    """The nodes of the dense layers between the input (or the convolutions) and the output."""
    return [layer.nodes for layer in net.layers[1:-1] if isinstance(layer, gone.Layer)]


def as_inputs(x: np.ndarray, input_shape: tuple[int, ...]) -> np.ndarray:
    """Rows (samples, features) as a network takes them: the same rows for an MLP, images
    (samples, channels, rows, columns) for a CNN. A view, no copy."""
    return x.reshape(-1, *input_shape)


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


def to_dataset(
    x: np.ndarray,
    labels: np.ndarray,
    dtype: str = "float32",
    input_shape: tuple[int, ...] | None = None,
) -> gone.DataSet:
    """Inputs (samples, features) and labels (samples,) -> a gone DataSet with one-hot targets.

    With `input_shape` (a network's, such as (1, 8, 8)) the inputs take that shape per sample.
    """
    targets = gone.one_hot(labels, CLASSES, dtype=dtype)  # (samples, 10)
    inputs = x if input_shape is None else as_inputs(x, input_shape)
    return gone.DataSet.from_arrays(inputs, targets, dtype=dtype)


@dataclass
class Split:
    """The training data cut into the part learned from and the validation part (maybe empty)."""

    train: gone.DataSet
    validation: gone.DataSet | None
    train_samples: int
    validation_samples: int


def split_validation(
    data: Digits,
    fraction: float,
    seed: int | np.random.Generator | None,
    dtype: str = "float32",
    input_shape: tuple[int, ...] | None = None,
) -> Split:
    """Hold out a stratified `fraction` of the training set for validation (none at 0).

    `input_shape` is the network's (see `to_dataset`): None or (features,) keeps rows.
    """
    kept, held = stratified_split(data.y_train, fraction, seed)
    train = to_dataset(data.x_train[kept], data.y_train[kept], dtype, input_shape)
    validation = None
    if len(held):
        validation = to_dataset(data.x_train[held], data.y_train[held], dtype, input_shape)
    return Split(train, validation, len(kept), len(held))


def fit(
    net: gone.NeuralNetwork,
    optimizer: gone.Optimizer,
    split: Split,
    epochs: int,
    image_shape: tuple[int, ...],
    shift: int = 0,
    lr_decay: float = 1.0,
    weight_decay: float = 0.0,
    patience: int = 0,
    seed: int | np.random.Generator | None = 0,
    on_epoch: Callable | None = None,
    flip: bool = False,
) -> gone.History:
    """Train `net` for up to `epochs` epochs; returns the History of this run.

    Without `shift` and `flip` this is one `net.train` call. With them, every epoch trains on
    freshly shifted (and, with `flip`, half of them mirrored) copies of the training images
    (see augment.py), one `net.train` call per epoch: the optimizer's state, the learning-rate
    schedule and the epoch count carry over from call to call. `patience` > 0 stops when the
    validation loss has not improved for that many epochs and gives the network back the
    weights and optimizer state of its best epoch, as gone.EarlyStopping does within one
    `train` call. `image_shape` is the data set's (rows, columns) or (channels, rows, columns);
    the training inputs may be rows or images (see `split_validation`).
    """
    schedule = gone.ExponentialDecay(lr_decay) if lr_decay < 1.0 else None
    if shift == 0 and not flip:
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
        moved = random_shifts(split.train.inputs, image_shape, shift, rng)  # as the inputs
        if flip:  # in place when the shifts made a fresh copy
            moved = random_flips(moved, image_shape, rng, copy=moved is split.train.inputs)
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
    result = net.evaluate(to_dataset(data.x_test, data.y_test, dtype, net.input_shape))
    probabilities = net.predict(as_inputs(data.x_test, net.input_shape))  # (samples, 10)
    return Scores(float(result.loss), float(result.accuracy), probabilities.argmax(axis=1))


def probability_function(net: gone.NeuralNetwork) -> Callable[[np.ndarray], np.ndarray]:
    """The network as `predict_proba(x (features,)) -> (10,)`, what the drawing window takes.

    The drawing's row goes in as the network's input: the row itself, (64,), for an MLP; the
    image (1, 8, 8) or (1, 28, 28) for a CNN.
    """

    def predict_proba(x: np.ndarray) -> np.ndarray:
        return net.predict(np.asarray(x).reshape(net.input_shape))

    return predict_proba
