"""Digit accuracy side by side: the digits example's gone settings against scikit-learn's MLP.

Both learn from the same training digits and are scored on the same test digits, in one run:

    python -m benchmarks.digits_accuracy                                    # the 8x8 digits
    python -m benchmarks.digits_accuracy --dataset mnist --data ../shared/data/mnist-sample

gone trains twice: with the example's preset for the data set (see examples/digits/cli.py
PRESETS), and like for like with scikit-learn's settings; scikit-learn's MLPClassifier with hidden
layers 128-64, adam (lr 0.001, batch 200) and 40 epochs, the reference the MNIST sample's README
quotes.
"""

import argparse
import time
import warnings

import numpy as np

from examples.digits import cli


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("digits", "mnist"), default="digits")
    parser.add_argument("--data", default=None, help="folder of the four MNIST IDX files")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args(argv)

    print("| data | contender | seed | test accuracy | seconds |")
    print("|---|---|---:|---:|---:|")
    name = {"digits": "8x8 digits", "mnist": "MNIST sample"}[args.dataset]
    like_sklearn = ["--hidden", "128", "64", "--optimizer", "adam", "--learning-rate", "0.001",
                    "--batch-size", "200", "--epochs", "40", "--lr-decay", "1", "--shift", "0",
                    "--val-fraction", "0"]  # fmt: skip
    for seed in args.seeds:
        flags = ["--dataset", args.dataset, "--seed", str(seed), "--no-plot", "--no-download",
                 "--model", f"out/benchmark-{args.dataset}.gone"]  # fmt: skip
        if args.data:
            flags += ["--data", args.data]
        for label, extra in (("preset", []), ("sklearn's settings", like_sklearn)):
            settings = cli.parse_args(flags + extra)
            data = cli.load_data(settings)
            start = time.perf_counter()
            net, _ = cli.train_network(settings, data)
            seconds = time.perf_counter() - start
            accuracy = cli.score_on_test(net, data, settings.dtype).accuracy
            hidden = "-".join(str(n) for n in settings.hidden)
            print(f"| {name} | gone {hidden}, {label} | {seed} | {accuracy:.4f} | {seconds:.1f} |")
        sk_accuracy, sk_seconds = sklearn_accuracy(data, seed)
        print(
            f"| {name} | scikit-learn MLP 128-64, adam, 40 epochs | {seed} | {sk_accuracy:.4f} "
            f"| {sk_seconds:.1f} |"
        )


if __name__ == "__main__":
    main()
