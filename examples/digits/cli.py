"""Command line of the digit classifier: `python -m examples.digits --help`.

Train (or `--load`) a network, test it on held-out digits, print the accuracy and a
confusion matrix, save the model and a PNG report, and end with one JSON line that
scripts can read. `--draw` then opens a window to draw digits for the network.

A run replaces no file it was not told to: the model goes to `--out PATH` if given, else to
out/<dataset>.gone or, when that exists, the first free out/<dataset>-2.gone, -3, ...; the PNG
goes beside it (out/digits-2.png with out/digits-2.gone) unless `--plot` names it. `--draw`
checks for a display before training, so a machine without one says so at once.
"""

from __future__ import annotations

import argparse
import json
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


def preset_default(name: str) -> str:
    """The help's "(default: ...)" of a flag whose default comes from the --dataset preset.

    Example:
        >>> preset_default("epochs"), preset_default("optimizer")
        ('(default: by --dataset: digits 40, mnist 30)', '(default: adam)')
    """
    shown = {dataset: _shown(preset[name]) for dataset, preset in PRESETS.items()}
    if len(set(shown.values())) == 1:
        return f"(default: {next(iter(shown.values()))})"
    return "(default: by --dataset: " + ", ".join(f"{d} {v}" for d, v in shown.items()) + ")"


def _shown(value) -> str:
    """A preset value as a user would type it: [128, 64] -> "128 64", 0.001 -> "0.001"."""
    if isinstance(value, list):
        return " ".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


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
        "mnist: 28x28 MNIST from IDX files (default: %(default)s)",
    )
    data.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="an existing folder of the four MNIST IDX files, gzip or raw; missing ones are "
        f"downloaded into it (default: {default_cache_dir()}, the cache folder, "
        "$GONE_DATA_DIR/mnist if that is set; the only folder created if missing)",
    )
    data.add_argument(
        "--no-download",
        action="store_true",
        help="never download MNIST; fail if files are missing (default: off, download them)",
    )
    data.add_argument(
        "--mirror",
        action="append",
        metavar="URL",
        help="base URL to download MNIST from, may repeat (default: "
        + ", ".join(MNIST_MIRRORS)
        + ", in this order)",
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

    model = parser.add_argument_group("model and training (defaults depend on --dataset)")
    model.add_argument(
        "--hidden",
        type=int_at_least(1),
        nargs="*",
        metavar="N",
        help="hidden layer sizes, e.g. --hidden 256 128; none for softmax regression "
        + preset_default("hidden"),
    )
    model.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="relu",
        help="of the hidden layers (default: %(default)s)",
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
        help="seed of the weights, the validation split, shuffling and shifts "
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
        help=out_help("the trained model", Path("out") / "<dataset>.gone"),
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
        help="evaluate a saved .gone model instead of training (default: none, train one)",
    )
    output.add_argument(
        "--draw",
        action="store_true",
        help="afterwards, open a window to draw digits (pygame, needs a display) (default: off)",
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the flags and fill in the data set's preset for those not given."""
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, value in PRESETS[args.dataset].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
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
    if args.load is None and model is None:
        defaults["model"] = Path("out") / f"{args.dataset}.gone"
    if not args.no_plot and plot is None:
        if model is not None:
            plot = model.with_suffix(".png")
            if plot == model:  # --out report.png: keep the model, put the PNG beside it
                plot = model.with_name(f"{model.name}.png")
        elif args.load is None:
            defaults["plot"] = Path("out") / f"{args.dataset}.png"
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


def train_network(
    args: argparse.Namespace, data: Digits, log: Callable[[str], None] = print
) -> tuple[gone.NeuralNetwork, dict]:
    """Build and train a network as the flags say; returns it and numbers for the summary.

    `log` receives the network's summary and the progress lines (the benchmark quiets them).
    """
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
    log(net.summary())
    extras = [f"shifts up to {args.shift} px"] if args.shift else []
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
            )
            print(f"saved learning curves and test digits to {plot_path}")
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
    if args.draw:  # before the training, which may take minutes
        try:
            require_display("--draw", "run without --draw, or where there is a screen")
        except NoDisplayError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
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
