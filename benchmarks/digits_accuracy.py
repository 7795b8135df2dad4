"""Digit accuracy side by side: the digits example's gone settings against scikit-learn's MLP.

All learn from the same training digits and are scored on the same test digits, in one run:

    python -m benchmarks.digits_accuracy                                    # the 8x8 digits
    python -m benchmarks.digits_accuracy --dataset mnist --data ../shared/data/mnist-sample
    python -m benchmarks.digits_accuracy --dataset mnist --data DIR --seeds 1 2 3 --only cnn

gone trains three times: an MLP with the example's preset for the data set (see
examples/digits/cli.py PRESETS), the same MLP like for like with scikit-learn's settings, and a
CNN with the example's `--model cnn` preset (training.CNN_BLOCKS); scikit-learn's MLPClassifier
with hidden layers 128-64, adam (lr 0.001, batch 200) and 40 epochs, the reference the MNIST
sample's README quotes. Seconds are the training's alone; those of the preset runs include
their per-epoch validation, as the example's runs do.

A line per training run comes as each finishes (the runs' own epoch lines are quiet); the
table comes last, alone.
"""

import argparse
import time
import warnings

import numpy as np

from examples.digits import cli
from examples.digits.download import DownloadError, default_cache_dir
from examples.digits.idx import IdxError
from examples.digits.training import CNN_BLOCKS, blocks_text
from examples.flags import int_at_least


def sklearn_accuracy(data, seed: int) -> tuple[float, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=(128, 64), solver="adam", max_iter=40, random_state=seed
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 40 epochs is the setting, not a lapse
        model.fit(data.x_train, data.y_train)
    seconds = time.perf_counter() - start
    return float(np.mean(model.predict(data.x_test) == data.y_test)), seconds


# mlp: the MLP preset; like-sklearn: that MLP with scikit-learn's settings; sklearn: scikit-learn's
# MLPClassifier; cnn: the CNN preset.
CONTENDERS = ("mlp", "like-sklearn", "sklearn", "cnn")


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.digits_accuracy", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--dataset",
        choices=("digits", "mnist"),
        default="digits",
        help="digits: scikit-learn's 8x8 digits; mnist: IDX files from --data "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="folder of the four MNIST IDX files, never downloaded into "
        f"(default: {default_cache_dir()}, the digits example's cache folder)",
    )
    parser.add_argument(
        "--only",
        choices=CONTENDERS,
        nargs="+",
        metavar="NAME",
        help=f"run only these contenders, of {', '.join(CONTENDERS)} (default: all of them)",
    )
    parser.add_argument(
        "--seeds",
        type=int_at_least(0),
        nargs="+",
        default=[1],
        metavar="SEED",
        help="one run of each contender per seed (default: 1)",
    )
    return parser


def main(argv=None):
    """Train every contender on every seed, a line each as it finishes, then the table alone."""
    args = build_parser().parse_args(argv)
    only = [name for name in CONTENDERS if name in (args.only or CONTENDERS)]

    name = {"digits": "8x8 digits", "mnist": "MNIST sample"}[args.dataset]
    like_sklearn = ["--hidden", "128", "64", "--optimizer", "adam", "--learning-rate", "0.001",
                    "--batch-size", "200", "--epochs", "40", "--lr-decay", "1", "--shift", "0",
                    "--val-fraction", "0"]  # fmt: skip
    gone_runs = {
        "mlp": ("preset", []),
        "like-sklearn": ("sklearn's settings", like_sklearn),
        "cnn": ("preset", ["--model", "cnn"]),
    }
    rows = []
    for seed in args.seeds:
        flags = ["--dataset", args.dataset, "--seed", str(seed), "--no-plot", "--no-download"]
        if args.data:
            flags += ["--data", args.data]
        data = None
        for contender in only:
            if contender == "sklearn":
                data = data or load(cli.parse_args(flags))
                accuracy, seconds = sklearn_accuracy(data, seed)
                rows.append(("scikit-learn MLP 128-64, adam, 40 epochs", seed, accuracy, seconds))
            else:
                label, extra = gone_runs[contender]
                settings = cli.parse_args(flags + extra)
                data = data or load(settings)
                start = time.perf_counter()
                net, _ = cli.train_network(settings, data, log=lambda line: None)  # no epoch lines
                seconds = time.perf_counter() - start
                accuracy = cli.score_on_test(net, data, settings.dtype).accuracy
                rows.append((f"gone {describe(settings)}, {label}", seed, accuracy, seconds))
            print(
                f"trained {rows[-1][0]}, seed {seed}: {rows[-1][2]:.4f} in {rows[-1][3]:.1f} s",
                flush=True,
            )

    print()
    print("| data | contender | seed | test accuracy | seconds |")
    print("|---|---|---:|---:|---:|")
    for contender, seed, accuracy, seconds in rows:
        print(f"| {name} | {contender} | {seed} | {accuracy:.4f} | {seconds:.1f} |")


def load(settings):
    """The data set the settings name; a missing folder or a damaged file ends the run."""
    try:
        return cli.load_data(settings)
    except (DownloadError, IdxError) as error:  # no folder, missing or damaged files
        raise SystemExit(f"error: {error}") from None


def describe(settings) -> str:
    """A gone contender's network in a few words: "128-64", "CNN 16-32-64, dense 128"."""
    hidden = "-".join(str(n) for n in settings.hidden)
    if settings.model == "mlp":
        return hidden
    return f"CNN {blocks_text(CNN_BLOCKS[settings.dataset])}, dense {hidden or 'none'}"


if __name__ == "__main__":
    main()
