"""Digit accuracy side by side: the digits example's gone settings against scikit-learn's MLP.

Both learn from the same training digits and are scored on the same test digits, in one run:

    python -m benchmarks.digits_accuracy                                    # the 8x8 digits
    python -m benchmarks.digits_accuracy --dataset mnist --data ../shared/data/mnist-sample

gone trains twice: with the example's preset for the data set (see examples/digits/cli.py
PRESETS), and like for like with scikit-learn's settings; scikit-learn's MLPClassifier with hidden
layers 128-64, adam (lr 0.001, batch 200) and 40 epochs, the reference the MNIST sample's README
quotes.

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

    name = {"digits": "8x8 digits", "mnist": "MNIST sample"}[args.dataset]
    like_sklearn = ["--hidden", "128", "64", "--optimizer", "adam", "--learning-rate", "0.001",
                    "--batch-size", "200", "--epochs", "40", "--lr-decay", "1", "--shift", "0",
                    "--val-fraction", "0"]  # fmt: skip
    rows = []
    for seed in args.seeds:
        flags = ["--dataset", args.dataset, "--seed", str(seed), "--no-plot", "--no-download"]
        if args.data:
            flags += ["--data", args.data]
        for label, extra in (("preset", []), ("sklearn's settings", like_sklearn)):
            settings = cli.parse_args(flags + extra)
            try:
                data = cli.load_data(settings)
            except (DownloadError, IdxError) as error:  # no folder, missing or damaged files
                raise SystemExit(f"error: {error}") from None
            start = time.perf_counter()
            net, _ = cli.train_network(settings, data, log=lambda line: None)  # no epoch lines
            seconds = time.perf_counter() - start
            accuracy = cli.score_on_test(net, data, settings.dtype).accuracy
            hidden = "-".join(str(n) for n in settings.hidden)
            rows.append((f"gone {hidden}, {label}", seed, accuracy, seconds))
            print(
                f"trained {rows[-1][0]}, seed {seed}: {accuracy:.4f} in {seconds:.1f} s", flush=True
            )
        sk_accuracy, sk_seconds = sklearn_accuracy(data, seed)
        rows.append(("scikit-learn MLP 128-64, adam, 40 epochs", seed, sk_accuracy, sk_seconds))
        print(
            f"trained {rows[-1][0]}, seed {seed}: {sk_accuracy:.4f} in {sk_seconds:.1f} s",
            flush=True,
        )

    print()
    print("| data | contender | seed | test accuracy | seconds |")
    print("|---|---|---:|---:|---:|")
    for contender, seed, accuracy, seconds in rows:
        print(f"| {name} | {contender} | {seed} | {accuracy:.4f} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
