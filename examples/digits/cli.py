"""Command line of the digit classifier: `python -m examples.digits --help`.

Train (or `--load`) a network, test it on held-out digits, print the accuracy and a
confusion matrix, save the model and a PNG report, and end with one JSON line that
scripts can read. `--draw` then opens a window to draw digits for the network.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

import gone

from . import report
from .datasets import Digits, load_mnist, load_sklearn_digits
from .download import MNIST_MIRRORS, DownloadError, default_cache_dir
from .idx import IdxError
from .plots import save_report_png
from .training import (
    ACTIVATIONS,
    DTYPES,
    INITIALIZER_NAMES,
    OPTIMIZERS,
    build_network,
    fit,
    make_optimizer,
    probability_function,
    score_on_test,
    split_validation,
)

# The settings each data set trains with unless a flag says otherwise.
PRESETS = {
    # 0.978 test accuracy on the 8x8 digits (0.976-0.984 over seeds) in a second or two.
    "digits": {
        "hidden": [128, 64],
        "epochs": 40,
        "batch_size": 32,
        "learning_rate": 0.001,
        "lr_decay": 1.0,
        "shift": 0,
        "optimizer": "adam",
    },
    # 0.976 on the 10,000-digit MNIST sample: random 2-pixel shifts every epoch and a
    # learning rate shrinking by 7% per epoch; without the shifts it gets 0.958.
    "mnist": {
        "hidden": [512, 256],
        "epochs": 30,
        "batch_size": 64,
        "learning_rate": 0.001,
        "lr_decay": 0.93,
        "shift": 2,
        "optimizer": "adam",
    },
}
DATASET_TITLES = {"digits": "8x8 digits (scikit-learn)", "mnist": "MNIST 28x28"}


def build_parser() -> argparse.ArgumentParser:
    """All flags; data-set-dependent defaults are None here and filled from PRESETS."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.digits",
        description="Train a gone network to read handwritten digits, test it, draw for it.",
    )
    data = parser.add_argument_group("data")
    data.add_argument(
        "--dataset",
        choices=sorted(PRESETS),
        default="digits",
        help="digits: the 1,797 8x8 digits scikit-learn ships (offline); "
        "mnist: 28x28 MNIST from IDX files (default: digits)",
    )
    data.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help=f"folder of the four MNIST IDX files, gzip or raw; missing ones are downloaded "
        f"into it (default: {default_cache_dir()})",
    )
    data.add_argument(
        "--no-download", action="store_true", help="never download MNIST; fail if files are missing"
    )
    data.add_argument(
        "--mirror",
        action="append",
        metavar="URL",
        help="base URL to download MNIST from, may repeat (default: public mirrors)",
    )
    data.add_argument(
        "--test-fraction",
        type=float,
        default=0.25,
        help="share of the 8x8 digits held out for testing (default: 0.25)",
    )
    data.add_argument(
        "--split-seed",
        type=int,
        default=0,
        help="seed of the 8x8 digits' train/test split; keep it when evaluating with --load "
        "so the test digits are ones the model never saw (default: 0)",
    )
    data.add_argument(
        "--val-fraction",
        type=float,
        default=0.1,
        help="share of the training set held out for validation, 0 for none (default: 0.1)",
    )

    model = parser.add_argument_group("model and training (defaults depend on --dataset)")
    model.add_argument(
        "--hidden",
        type=int,
        nargs="*",
        metavar="N",
        help="hidden layer sizes, e.g. --hidden 256 128; none for softmax regression "
        f"(digits: {PRESETS['digits']['hidden']}, mnist: {PRESETS['mnist']['hidden']})",
    )
    model.add_argument("--activation", choices=list(ACTIVATIONS), default="relu")
    model.add_argument(
        "--init",
        choices=INITIALIZER_NAMES,
        help="weight initializer (default: he for relu/leakyrelu, xavier otherwise)",
    )
    model.add_argument("--optimizer", choices=OPTIMIZERS, help="update rule (default: adam)")
    model.add_argument("--learning-rate", "--lr", type=float, help="step size (default: 0.001)")
    model.add_argument("--batch-size", type=int, help="samples per step for adam/rmsprop/mbgd")
    model.add_argument("--momentum", type=float, default=0.0, help="for sgd/mbgd/gd")
    model.add_argument("--nesterov", action="store_true", help="Nesterov momentum for sgd/mbgd/gd")
    model.add_argument(
        "--lr-decay",
        type=float,
        help="multiply the learning rate by this every epoch, 1 for constant "
        "(digits: 1, mnist: 0.93)",
    )
    model.add_argument(
        "--shift",
        type=int,
        help="augment: move training images by up to this many pixels, fresh each epoch "
        "(digits: 0, mnist: 2)",
    )
    model.add_argument("--weight-decay", type=float, default=0.0, help="L2 penalty on weights")
    model.add_argument("--epochs", type=int, help="passes over the training set")
    model.add_argument(
        "--patience",
        type=int,
        default=0,
        help="stop after this many epochs without a better validation loss and keep the best "
        "weights (default: 0, off)",
    )
    model.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed of the weights, the validation split, shuffling and shifts (default: 1)",
    )
    model.add_argument("--dtype", choices=DTYPES, default="float32")

    output = parser.add_argument_group("output")
    output.add_argument(
        "--model",
        type=Path,
        metavar="PATH",
        help="where to save the model (default: out/<dataset>.gone)",
    )
    output.add_argument(
        "--plot",
        type=Path,
        metavar="PATH",
        help="where to write the PNG (default: out/<dataset>.png)",
    )
    output.add_argument("--no-plot", action="store_true", help="skip the PNG")
    output.add_argument(
        "--load",
        type=Path,
        metavar="MODEL",
        help="evaluate a saved .gone model instead of training",
    )
    output.add_argument(
        "--draw", action="store_true", help="afterwards, open a window to draw digits (pygame)"
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the flags and fill in the data set's preset for those not given."""
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, value in PRESETS[args.dataset].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.model is None:
        args.model = Path("out") / f"{args.dataset}.gone"
    if args.plot is None:
        args.plot = Path("out") / f"{args.dataset}.png"
    if not 0.0 < args.test_fraction < 1.0:
        parser.error(f"--test-fraction: expected a number in (0, 1), got {args.test_fraction}")
    if not 0.0 <= args.val_fraction < 1.0:
        parser.error(f"--val-fraction: expected a number in [0, 1), got {args.val_fraction}")
    if args.epochs < 0:
        parser.error(f"--epochs: expected an int >= 0, got {args.epochs}")
    if not 0.0 < args.lr_decay <= 1.0:
        parser.error(f"--lr-decay: expected a number in (0, 1], got {args.lr_decay}")
    if args.shift < 0:
        parser.error(f"--shift: expected an int >= 0, got {args.shift}")
    if args.patience and args.val_fraction == 0:
        parser.error("--patience: expected a validation set to watch, got --val-fraction 0")
    return args


def load_data(args: argparse.Namespace) -> Digits:
    """The data set the flags ask for."""
    if args.dataset == "digits":
        return load_sklearn_digits(args.test_fraction, seed=args.split_seed)
    return load_mnist(
        args.data,
        download=not args.no_download,
        mirrors=args.mirror or MNIST_MIRRORS,
        on_fetch=lambda url: print(f"downloading {url}", flush=True),
    )


def print_epoch(epochs: int):
    """An on_epoch callback printing one progress line per epoch, with the time so far."""
    started = time.perf_counter()

    def callback(record) -> None:
        elapsed = time.perf_counter() - started
        line = report.format_epoch(
            record.epoch, epochs, record.loss, record.val_loss, record.val_accuracy, elapsed
        )
        print(line, flush=True)

    return callback


def train_network(args: argparse.Namespace, data: Digits) -> tuple[gone.NeuralNetwork, dict]:
    """Build and train a network as the flags say; returns it and numbers for the summary."""
    split = split_validation(data, args.val_fraction, args.seed, args.dtype)
    net = build_network(
        data.features,
        args.hidden,
        args.activation,
        args.learning_rate,
        seed=args.seed,
        dtype=args.dtype,
        initializer=args.init,
    )
    optimizer = make_optimizer(args.optimizer, args.batch_size, args.momentum, args.nesterov)
    print(net.summary())
    extras = [f"shifts up to {args.shift} px"] if args.shift else []
    extras += [f"learning rate x{args.lr_decay:g} per epoch"] if args.lr_decay < 1 else []
    print(
        f"training on {split.train_samples} samples, validating on {split.validation_samples}, "
        f"{optimizer!r}" + "".join(f", {extra}" for extra in extras)
    )
    started = time.perf_counter()
    history = fit(
        net,
        optimizer,
        split,
        args.epochs,
        data.image_shape,
        shift=args.shift,
        lr_decay=args.lr_decay,
        weight_decay=args.weight_decay,
        patience=args.patience,
        seed=args.seed,
        on_epoch=print_epoch(args.epochs),
    )
    numbers = {
        "train_samples": split.train_samples,
        "val_samples": split.validation_samples,
        "epochs": history.epochs,
        "train_seconds": round(time.perf_counter() - started, 3),
    }
    return net, numbers


def load_network(args: argparse.Namespace, data: Digits) -> tuple[gone.NeuralNetwork, dict]:
    """Load the `--load` model and check it fits the data set."""
    net = gone.load(args.load)
    if net.n_inputs != data.features or net.n_outputs != 10:
        other = {64: "digits", 784: "mnist"}.get(net.n_inputs)
        hint = f" (try --dataset {other})" if other and other != data.name else ""
        raise ValueError(
            f"{args.load}: expected a model with {data.features} inputs and 10 outputs for "
            f"--dataset {data.name}, got {net.n_inputs} inputs and {net.n_outputs} outputs{hint}"
        )
    print(f"loaded {args.load}")
    print(net.summary())
    numbers = {"train_samples": 0, "val_samples": 0, "epochs": 0, "train_seconds": 0.0}
    return net, numbers


def run(args: argparse.Namespace) -> tuple[dict, gone.NeuralNetwork, Digits]:
    """Everything but the drawing window; returns the summary, the network and the data."""
    started = time.perf_counter()
    data = load_data(args)
    print(
        f"data: {DATASET_TITLES[data.name]}, {len(data.x_train)} train / "
        f"{len(data.x_test)} test samples"
    )
    if args.load is not None:
        net, numbers = load_network(args, data)
    else:
        net, numbers = train_network(args, data)

    scores = score_on_test(net, data, args.dtype)
    correct = int(np.sum(scores.predictions == data.y_test))
    print(
        f"test accuracy: {scores.accuracy:.4f} ({correct}/{len(data.y_test)}), loss {scores.loss:.4f}"
    )
    print("confusion matrix (rows: true digit, columns: predicted):")
    print(report.format_confusion(report.confusion_matrix(data.y_test, scores.predictions)))

    if args.load is None:
        args.model.parent.mkdir(parents=True, exist_ok=True)
        net.save(args.model)
        print(f"saved model to {args.model}")
    model_path = args.load if args.load is not None else args.model
    plot_path = None
    if not args.no_plot:
        history = net.history
        save_report_png(
            args.plot,
            history.loss,
            history.val_loss,
            history.val_accuracy,
            data.x_test,
            data.y_test,
            scores.predictions,
            data.image_shape,
            title=f"{DATASET_TITLES[data.name]}: test accuracy {scores.accuracy:.4f}",
        )
        plot_path = args.plot
        print(f"saved learning curves and test digits to {plot_path}")

    summary = {
        "dataset": data.name,
        **numbers,
        "test_samples": len(data.y_test),
        "test_accuracy": round(scores.accuracy, 6),
        "test_loss": round(scores.loss, 6),
        "seconds": round(time.perf_counter() - started, 3),
        "model_path": str(model_path),
        "plot_path": None if plot_path is None else str(plot_path),
        "hidden": list(layer.nodes for layer in net.layers[1:-1]),
        "activation": args.activation if args.load is None else None,
        "optimizer": args.optimizer if args.load is None else None,
        "learning_rate": args.learning_rate if args.load is None else None,
        "batch_size": args.batch_size if args.load is None else None,
        "lr_decay": args.lr_decay if args.load is None else None,
        "shift": args.shift if args.load is None else None,
        "seed": args.seed,
        "split_seed": args.split_seed if data.name == "digits" else None,
    }
    return summary, net, data


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parse_args(argv)
    try:
        summary, net, data = run(args)
    except (IdxError, DownloadError, gone.GoneError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary), flush=True)
    if args.draw:
        # pygame greets on import; keep the JSON summary the last line printed.
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        from .draw import draw_digits
        from .preprocess import INPUT_SHAPES, preprocessor

        draw_digits(probability_function(net), preprocessor(data.name), INPUT_SHAPES[data.name])
    return 0
