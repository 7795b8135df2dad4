"""Command line of the digit classifier: `python -m examples.digits --help`.

Train (or `--load`) a network, an MLP or a CNN (`--model`), test it on held-out images, print
the accuracy and a confusion matrix, save the model and a PNG report, and end with one JSON
line that scripts can read. `--draw` then opens a window to draw digits for the network.

A run replaces no file it was not told to: the model goes to `--out PATH` if given, else to
out/<name>.gone (<name>: the data set, "-cnn" added for a CNN: out/mnist-cnn.gone) or, when
that exists, the first free out/<name>-2.gone, -3, ...; the PNG goes beside it
(out/digits-2.png with out/digits-2.gone) unless `--plot` names it. `--draw` checks for a
display before training, so a machine without one says so at once.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import gone

from ..display import NoDisplayError, require_display
from ..flags import int_at_least, number_above, number_at_least, number_in
from ..outputs import claim_free, out_help, release
from . import report
from .cifar import CifarError
from .datasets import (
    IMAGE_SHAPES,
    Digits,
    load_cifar10,
    load_mnist,
    load_sklearn_digits,
    network_input_shape,
)
from .download import CIFAR10_MIRRORS, MNIST_MIRRORS, DownloadError, default_cache_dir
from .idx import IdxError
from .plots import save_report_png
from .training import (
    ACTIVATIONS,
    CNN_BLOCKS,
    DTYPES,
    INITIALIZER_NAMES,
    MODELS,
    OPTIMIZERS,
    blocks_text,
    build_cnn,
    build_network,
    fit,
    hidden_sizes,
    make_optimizer,
    model_kind,
    probability_function,
    score_on_test,
    split_validation,
)

# The settings each data set and model train with unless a flag says otherwise; the CNNs'
# convolutions are training.CNN_BLOCKS. Times on 2 cores.
PRESETS = {
    "digits": {
        # 0.978 test accuracy on the 8x8 digits (0.976-0.984 over seeds) in a second or two.
        "mlp": {
            "hidden": [128, 64],
            "dropout": 0.0,
            "epochs": 40,
            "batch_size": 32,
            "learning_rate": 0.001,
            "lr_decay": 1.0,
            "shift": 0,
            "flip": False,
            "optimizer": "adam",
        },
        # 0.984-0.993 on the 8x8 digits over seeds 1-5 (0.984 for seed 1) in about a second.
        "cnn": {
            "hidden": [64],
            "dropout": 0.3,
            "epochs": 30,
            "batch_size": 32,
            "learning_rate": 0.003,
            "lr_decay": 0.9,
            "shift": 0,
            "flip": False,
            "optimizer": "adam",
        },
    },
    "mnist": {
        # 0.976 on the 10,000-digit MNIST sample: random 2-pixel shifts every epoch and a
        # learning rate shrinking by 7% per epoch; without the shifts it gets 0.958.
        "mlp": {
            "hidden": [512, 256],
            "dropout": 0.0,
            "epochs": 30,
            "batch_size": 64,
            "learning_rate": 0.001,
            "lr_decay": 0.93,
            "shift": 2,
            "flip": False,
            "optimizer": "adam",
        },
        # 0.986-0.9885 on the MNIST sample over seeds 1-5 (0.9885 for seed 1), 82-87 s of
        # training; 20 epochs give 0.9835-0.9875.
        "cnn": {
            "hidden": [128],
            "dropout": 0.5,
            "epochs": 30,
            "batch_size": 64,
            "learning_rate": 0.003,
            "lr_decay": 0.9,
            "shift": 1,
            "flip": False,
            "optimizer": "adam",
        },
    },
    # Not measured here (no copy of CIFAR-10 on the machine these were tuned on); what to
    # expect and why is in README.md.
    "cifar10": {
        "mlp": {
            "hidden": [512, 256],
            "dropout": 0.2,
            "epochs": 20,
            "batch_size": 128,
            "learning_rate": 0.001,
            "lr_decay": 0.9,
            "shift": 0,
            "flip": True,
            "optimizer": "adam",
        },
        "cnn": {
            "hidden": [256],
            "dropout": 0.5,
            "epochs": 30,
            "batch_size": 64,
            "learning_rate": 0.003,
            "lr_decay": 0.92,
            "shift": 2,
            "flip": True,
            "optimizer": "adam",
        },
    },
}
DATASET_TITLES = {
    "digits": "8x8 digits (scikit-learn)",
    "mnist": "MNIST 28x28",
    "cifar10": "CIFAR-10 32x32 colour",
}
# What a loaded model's input size says it was trained on, for the hint of a mismatch.
DATASET_OF_INPUTS = {math.prod(shape): name for name, shape in IMAGE_SHAPES.items()}
DIGIT_SETS = ("digits", "mnist")  # handwriting: drawn in the window, never mirrored


def preset_default(name: str) -> str:
    """The help's "(default: ...)" of a flag whose default comes from the presets.

    Example:
        >>> preset_default("optimizer"), preset_default("flip")
        ('(default: adam)', '(default: by --dataset: digits off, mnist off, cifar10 on)')
        >>> preset_default("epochs")
        '(default: by --model and --dataset: mlp: digits 40, mnist 30, cifar10 20; cnn 30)'
    """
    shown = {
        model: {dataset: _shown(PRESETS[dataset][model][name]) for dataset in PRESETS}
        for model in MODELS
    }
    first = next(iter(shown.values()))
    if all(by_dataset == first for by_dataset in shown.values()):
        if len(set(first.values())) == 1:
            return f"(default: {next(iter(first.values()))})"
        return "(default: by --dataset: " + _listed(first) + ")"
    parts = []
    for model, by_dataset in shown.items():
        if len(set(by_dataset.values())) == 1:
            parts.append(f"{model} {next(iter(by_dataset.values()))}")
        else:
            parts.append(f"{model}: " + _listed(by_dataset))
    return "(default: by --model and --dataset: " + "; ".join(parts) + ")"


def _listed(by_dataset: dict[str, str]) -> str:
    """{"digits": "40", "mnist": "30"} -> "digits 40, mnist 30"."""
    return ", ".join(f"{dataset} {value}" for dataset, value in by_dataset.items())


def _shown(value) -> str:
    """A preset value as a user would type it: [128, 64] -> "128 64", 0.001 -> "0.001"."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return " ".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def build_parser() -> argparse.ArgumentParser:
    """All flags; data-set-dependent defaults are None here and filled from PRESETS."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.digits",
        description="Train a gone network to read handwritten digits (or to tell CIFAR-10's "
        "photos apart), test it, draw digits for it.",
    )
    data = parser.add_argument_group("data")
    data.add_argument(
        "--dataset",
        choices=list(PRESETS),
        default="digits",
        help="digits: the 1,797 8x8 digits scikit-learn ships (offline); "
        "mnist: 28x28 MNIST from IDX files; cifar10: CIFAR-10's 60,000 32x32 colour photos "
        "of 10 classes, downloaded once (170 MB) (default: %(default)s)",
    )
    data.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="an existing folder of the four MNIST IDX files, gzip or raw, or for cifar10 of "
        "cifar-10-binary.tar.gz or its cifar-10-batches-bin files; missing ones are "
        f"downloaded into it (default: the cache folder, {default_cache_dir()} for mnist, "
        f"{default_cache_dir('cifar10')} for cifar10, under $GONE_DATA_DIR if that is set; the "
        "only folder created if missing)",
    )
    data.add_argument(
        "--no-download",
        action="store_true",
        help="never download MNIST or CIFAR-10; fail if files are missing "
        "(default: off, download them)",
    )
    data.add_argument(
        "--mirror",
        action="append",
        metavar="URL",
        help="base URL to download MNIST or CIFAR-10 from, may repeat (default: for mnist "
        + ", ".join(MNIST_MIRRORS)
        + ", in this order; for cifar10 "
        + ", ".join(CIFAR10_MIRRORS)
        + ")",
    )
    data.add_argument(
        "--test-fraction",
        type=number_in(0, 1, "()"),
        default=0.25,
        help="share of the 8x8 digits held out for testing (default: %(default)s)",
    )
    data.add_argument(
        "--split-seed",
        type=int_at_least(0),
        default=0,
        help="seed of the 8x8 digits' train/test split; keep it when evaluating with --load "
        "so the test digits are ones the model never saw (default: %(default)s)",
    )
    data.add_argument(
        "--val-fraction",
        type=number_in(0, 1, "[)"),
        default=0.1,
        help="share of the training set held out for validation, 0 for none (default: %(default)s)",
    )

    model = parser.add_argument_group(
        "model and training (defaults depend on --model and --dataset)"
    )
    model.add_argument(
        "--model",
        choices=MODELS,
        default="mlp",
        help="mlp: dense layers over the image's pixels as one row; cnn: 3x3 convolutions "
        "with batch norm and 2x2 max pooling (their filters by --dataset: "
        + ", ".join(f"{d} {blocks_text(b)}" for d, b in CNN_BLOCKS.items())
        + "), then the dense layers (default: %(default)s)",
    )
    model.add_argument(
        "--hidden",
        type=int_at_least(1),
        nargs="*",
        metavar="N",
        help="hidden dense layer sizes (after the convolutions with --model cnn), e.g. "
        "--hidden 256 128; none for softmax regression " + preset_default("hidden"),
    )
    model.add_argument(
        "--dropout",
        type=number_in(0, 1, "[)"),
        help="dropout rate after every hidden dense layer, 0 for none " + preset_default("dropout"),
    )
    model.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="relu",
        help="of the hidden layers, and with --model cnn of the batch norms after the "
        "convolutions (default: %(default)s)",
    )
    model.add_argument(
        "--init",
        choices=INITIALIZER_NAMES,
        help="weight initializer (default: he for relu/leakyrelu, xavier otherwise)",
    )
    model.add_argument(
        "--optimizer", choices=OPTIMIZERS, help="update rule " + preset_default("optimizer")
    )
    model.add_argument(
        "--learning-rate",
        "--lr",
        type=number_above(0),
        help="step size " + preset_default("learning_rate"),
    )
    model.add_argument(
        "--batch-size",
        type=int_at_least(1),
        help="samples per step for adam/rmsprop/mbgd " + preset_default("batch_size"),
    )
    model.add_argument(
        "--momentum",
        type=number_in(0, 1, "[)"),
        default=0.0,
        help="for sgd/mbgd/gd (default: %(default)s)",
    )
    model.add_argument(
        "--nesterov",
        action="store_true",
        help="Nesterov momentum for sgd/mbgd/gd, needs --momentum > 0 (default: off)",
    )
    model.add_argument(
        "--lr-decay",
        type=number_in(0, 1, "(]"),
        help="multiply the learning rate by this every epoch, 1 for constant "
        + preset_default("lr_decay"),
    )
    model.add_argument(
        "--shift",
        type=int_at_least(0),
        help="augment: move training images by up to this many pixels, fresh each epoch "
        + preset_default("shift"),
    )
    model.add_argument(
        "--flip",
        action=argparse.BooleanOptionalAction,
        help="augment: mirror a random half of the training images left to right each epoch, "
        "for photos, not digits " + preset_default("flip"),
    )
    model.add_argument(
        "--weight-decay",
        type=number_at_least(0),
        default=0.0,
        help="L2 penalty on weights (default: %(default)s)",
    )
    model.add_argument(
        "--epochs",
        type=int_at_least(0),
        help="passes over the training set " + preset_default("epochs"),
    )
    model.add_argument(
        "--patience",
        type=int_at_least(0),
        default=0,
        help="stop after this many epochs without a better validation loss and keep the best "
        "weights (default: %(default)s, off)",
    )
    model.add_argument(
        "--seed",
        type=int_at_least(0),
        default=1,
        help="seed of the weights, the validation split, shuffling, dropout, shifts and flips "
        "(default: %(default)s)",
    )
    model.add_argument(
        "--dtype",
        choices=DTYPES,
        default="float32",
        help="float type of the weights and the data (default: %(default)s)",
    )

    output = parser.add_argument_group("output")
    output.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=out_help(
            "the trained model",
            Path("out") / "<dataset>.gone",
            "; a CNN's name ends in -cnn: out/mnist-cnn.gone",
        ),
    )
    output.add_argument(
        "--plot",
        type=Path,
        metavar="PATH",
        help="write the PNG report here, replacing the file (default: the model's path with "
        ".png: out/digits-2.png for out/digits-2.gone, a.png for --out a.gone; with --load, "
        "out/<model name>.png, numbered if taken)",
    )
    output.add_argument("--no-plot", action="store_true", help="skip the PNG (default: off)")
    output.add_argument(
        "--load",
        type=Path,
        metavar="MODEL",
        help="evaluate a saved .gone model instead of training; the training flags whose "
        "defaults come from the presets are refused with it (default: none, train one)",
    )
    output.add_argument(
        "--draw",
        action="store_true",
        help="afterwards, open a window to draw digits (pygame, needs a display; digits and "
        "mnist) (default: off)",
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the flags and fill in the data set's preset for those not given."""
    parser = build_parser()
    args = parser.parse_args(argv)
    preset = PRESETS[args.dataset][args.model]
    given = [name for name in preset if getattr(args, name) is not None]
    if args.load is not None and given:
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        parser.error(
            f"--load: evaluates the saved model as it is, expected no training flags, got {flags}"
        )
    for name, value in preset.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.draw and args.dataset not in DIGIT_SETS:
        parser.error(
            f"--draw: expected --dataset {' or '.join(DIGIT_SETS)}, got --dataset {args.dataset} "
            "(the window is for drawing digits; photos are not drawn)"
        )
    if args.flip and args.dataset in DIGIT_SETS:
        parser.error(
            f"--flip: expected --dataset cifar10 (photos), got --dataset {args.dataset} "
            "(a mirrored digit is no digit: a mirrored 2 is not a 2)"
        )
    if args.patience and args.val_fraction == 0:
        parser.error("--patience: expected a validation set to watch, got --val-fraction 0")
    if args.nesterov and args.optimizer in ("sgd", "mbgd", "gd") and args.momentum == 0:
        parser.error("--nesterov: expected --momentum > 0, got --momentum 0")
    if args.load is not None and args.out is not None:
        parser.error(f"--out: expected a model to save, got --load {args.load} (nothing trained)")
    return args


def output_paths(args: argparse.Namespace) -> tuple[Path | None, Path | None, list[Path]]:
    """Where this run writes its model and its PNG (None: not written), and the names claimed.

    A path the user named (--out, --plot) is used as it is, and so is the PNG beside an --out
    model (PATH.png: the report of the model they named). Any other name is a default, claimed
    free with the model's number, so that out/digits-2.png is the report of out/digits-2.gone
    (see examples/outputs.py). Call it after training: claiming creates the files empty, and
    `release` gives back those that nothing was written to.
    """
    model = args.out if args.load is None else None
    plot = None if args.no_plot else args.plot
    defaults = {}
    name = args.dataset if args.model == "mlp" else f"{args.dataset}-{args.model}"
    if args.load is None and model is None:
        defaults["model"] = Path("out") / f"{name}.gone"
    if not args.no_plot and plot is None:
        if model is not None:
            plot = model.with_suffix(".png")
            if plot == model:  # --out report.png: keep the model, put the PNG beside it
                plot = model.with_name(f"{model.name}.png")
        elif args.load is None:
            defaults["plot"] = Path("out") / f"{name}.png"
        else:
            defaults["plot"] = Path("out") / f"{args.load.stem}.png"
    claimed = dict(zip(defaults, claim_free(list(defaults.values())), strict=True))
    return claimed.get("model", model), claimed.get("plot", plot), list(claimed.values())


def load_data(args: argparse.Namespace) -> Digits:
    """The data set the flags ask for."""
    if args.dataset == "digits":
        data = load_sklearn_digits(args.test_fraction, seed=args.split_seed)
        if not len(data.y_train) or not len(data.y_test):
            raise ValueError(
                f"--test-fraction: expected a share that leaves digits to train and to test, "
                f"got {args.test_fraction} ({len(data.y_train)} train, {len(data.y_test)} test)"
            )
        return data
    if args.dataset == "cifar10":
        return load_cifar10(
            args.data,
            download=not args.no_download,
            mirrors=args.mirror or CIFAR10_MIRRORS,
            on_fetch=lambda url: print(f"downloading {url} (170 MB)", flush=True),
        )
    return load_mnist(
        args.data,
        download=not args.no_download,
        mirrors=args.mirror or MNIST_MIRRORS,
        on_fetch=lambda url: print(f"downloading {url}", flush=True),
    )


def print_epoch(epochs: int, log: Callable[[str], None] = print):
    """An on_epoch callback logging one progress line per epoch, with the time so far."""
    started = time.perf_counter()

    def callback(record) -> None:
        elapsed = time.perf_counter() - started
        line = report.format_epoch(
            record.epoch, epochs, record.loss, record.val_loss, record.val_accuracy, elapsed
        )
        log(line)

    return callback


def build_model(args: argparse.Namespace, data: Digits) -> gone.NeuralNetwork:
    """The untrained network the flags describe: an MLP over rows, or a CNN over images."""
    settings = {
        "activation": args.activation,
        "learning_rate": args.learning_rate,
        "seed": args.seed,
        "dtype": args.dtype,
        "initializer": args.init,
        "dropout": args.dropout,
    }
    if args.model == "cnn":
        return build_cnn(data.input_shape, CNN_BLOCKS[data.name], args.hidden, **settings)
    return build_network(data.features, args.hidden, **settings)


def train_network(
    args: argparse.Namespace, data: Digits, log: Callable[[str], None] = print
) -> tuple[gone.NeuralNetwork, dict]:
    """Build and train a network as the flags say; returns it and numbers for the summary.

    `log` receives the network's summary and the progress lines (the benchmark quiets them).
    """
    net = build_model(args, data)
    split = split_validation(data, args.val_fraction, args.seed, args.dtype, net.input_shape)
    optimizer = make_optimizer(args.optimizer, args.batch_size, args.momentum, args.nesterov)
    log(net.summary())
    extras = [f"shifts up to {args.shift} px"] if args.shift else []
    extras += ["mirrored at random"] if args.flip else []
    extras += [f"learning rate x{args.lr_decay:g} per epoch"] if args.lr_decay < 1 else []
    log(
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
        on_epoch=print_epoch(args.epochs, log),
        flip=args.flip,
    )
    numbers = {
        "train_samples": split.train_samples,
        "val_samples": split.validation_samples,
        "epochs": history.epochs,
        "train_seconds": round(time.perf_counter() - started, 3),
    }
    return net, numbers


def load_network(args: argparse.Namespace) -> tuple[gone.NeuralNetwork, dict]:
    """Load the `--load` model and check it fits the --dataset, before any data is read (a
    model for other images costs no download)."""
    net = gone.load(args.load)
    image_shape = IMAGE_SHAPES[args.dataset]
    features, images = math.prod(image_shape), network_input_shape(image_shape)
    if net.input_shape not in ((features,), images) or net.n_outputs != 10:
        other = DATASET_OF_INPUTS.get(net.n_inputs)
        hint = f" (try --dataset {other})" if other and other != args.dataset else ""
        raise ValueError(
            f"{args.load}: expected a model with {features} inputs (or images {images}) and "
            f"10 outputs for --dataset {args.dataset}, got {_inputs_text(net)} and "
            f"{net.n_outputs} outputs{hint}"
        )
    print(f"loaded {args.load}")
    print(net.summary())
    numbers = {"train_samples": 0, "val_samples": 0, "epochs": 0, "train_seconds": 0.0}
    return net, numbers


def _inputs_text(net: gone.NeuralNetwork) -> str:
    """A network's input as an error names it: "784 inputs", "images (1, 28, 28)"."""
    if len(net.input_shape) == 1:
        return f"{net.n_inputs} inputs"
    return f"images {net.input_shape}"


def run(args: argparse.Namespace) -> tuple[dict, gone.NeuralNetwork, Digits]:
    """Everything but the drawing window; returns the summary, the network and the data."""
    started = time.perf_counter()
    if args.load is not None:
        net, numbers = load_network(args)
    data = load_data(args)
    print(
        f"data: {DATASET_TITLES[data.name]}, {len(data.x_train)} train / "
        f"{len(data.x_test)} test samples"
    )
    if args.load is None:
        net, numbers = train_network(args, data)

    scores = score_on_test(net, data, args.dtype)
    correct = int(np.sum(scores.predictions == data.y_test))
    print(
        f"test accuracy: {scores.accuracy:.4f} ({correct}/{len(data.y_test)}), loss {scores.loss:.4f}"
    )
    if data.name in DIGIT_SETS:
        print("confusion matrix (rows: true digit, columns: predicted):")
    else:
        print("confusion matrix (rows: true class, columns: predicted), classes:")
        print("  " + ", ".join(f"{label} {name}" for label, name in enumerate(data.class_names)))
    print(report.format_confusion(report.confusion_matrix(data.y_test, scores.predictions)))

    model_path, plot_path, claimed = output_paths(args)
    try:
        if model_path is not None:
            model_path.parent.mkdir(parents=True, exist_ok=True)
            net.save(model_path)
            print(f"saved model to {model_path}")
        if plot_path is not None:
            save_report_png(
                plot_path,
                net.history.loss,
                net.history.val_loss,
                net.history.val_accuracy,
                data.x_test,
                data.y_test,
                scores.predictions,
                data.image_shape,
                title=f"{DATASET_TITLES[data.name]}: test accuracy {scores.accuracy:.4f}",
                class_names=data.class_names,
            )
            shown = "digits" if data.name in DIGIT_SETS else "images"
            print(f"saved learning curves and test {shown} to {plot_path}")
    finally:
        release(claimed)  # a claimed name nothing was written to (an error) is given back
    if args.load is not None:
        model_path = args.load

    summary = {
        "dataset": data.name,
        **numbers,
        "test_samples": len(data.y_test),
        "test_accuracy": round(scores.accuracy, 6),
        "test_loss": round(scores.loss, 6),
        "seconds": round(time.perf_counter() - started, 3),
        "model_path": str(model_path),
        "plot_path": None if plot_path is None else str(plot_path),
        "model": model_kind(net),
        "parameters": net.parameter_count,
        "hidden": hidden_sizes(net),
        "activation": args.activation if args.load is None else None,
        "optimizer": args.optimizer if args.load is None else None,
        "learning_rate": args.learning_rate if args.load is None else None,
        "batch_size": args.batch_size if args.load is None else None,
        "lr_decay": args.lr_decay if args.load is None else None,
        "shift": args.shift if args.load is None else None,
        # Dropout sits after hidden dense layers: without any, none was trained with.
        "dropout": (args.dropout if args.hidden else 0.0) if args.load is None else None,
        "flip": args.flip if args.load is None else None,
        "seed": args.seed,
        "split_seed": args.split_seed if data.name == "digits" else None,
    }
    return summary, net, data


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parse_args(argv)
    if args.draw:  # before the training, which may take minutes
        try:
            require_display("--draw", "run without --draw, or where there is a screen")
        except NoDisplayError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    try:
        summary, net, data = run(args)
    except (IdxError, CifarError, DownloadError, gone.GoneError, ValueError, OSError) as error:
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
