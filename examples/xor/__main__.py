"""XOR: the Go tutorial (fr3fou/gone examples/xor), ported.

A 2-4-1 network with a sigmoid hidden layer learns exclusive-or by stochastic gradient descent:

    python -m examples.xor                  # saves out/xor.gone (out/xor-2.gone, ... if taken)
    python -m examples.xor --out xor.gone   # saves there, replacing it
"""

import argparse
import sys
import time
from pathlib import Path

import gone

from ..flags import int_at_least
from ..outputs import out_help, save_output

DEFAULT_OUT = Path("out") / "xor.gone"  # numbered when taken: a run replaces no file of yours

# The four samples, in the Go example's order.
SAMPLES = [([1, 0], [1]), ([0, 1], [1]), ([1, 1], [0]), ([0, 0], [0])]


def build(seed: int) -> gone.NeuralNetwork:
    """The Go tutorial's network: 2 inputs, 4 sigmoid nodes, 1 identity output, MSE, lr 0.1."""
    return gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1)],
        loss=gone.MSE(),
        learning_rate=0.1,
        seed=seed,
    )


def build_parser() -> argparse.ArgumentParser:
    """The tutorial's three flags."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.xor", description="Train a 2-4-1 network on XOR."
    )
    parser.add_argument(
        "--epochs",
        type=int_at_least(1),
        default=1500,
        help="passes over the four samples (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int_at_least(0), default=1, help="seed of the weights (default: %(default)s)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=out_help("the trained network", DEFAULT_OUT),
    )
    return parser


def main(argv=None) -> int:
    """Train, print the table, save, load back and compare; return the exit status."""
    args = build_parser().parse_args(argv)

    data = gone.DataSet([gone.DataSample(inputs, targets) for inputs, targets in SAMPLES])
    net = build(args.seed)
    print(net, end="\n\n")

    start = time.perf_counter()
    history = net.train(gone.SGD(), data, epochs=args.epochs, verbose=max(args.epochs // 5, 1))
    print(
        f"\ntrained {args.epochs} epochs in {time.perf_counter() - start:.2f}s, "
        f"final loss {history.loss[-1]:.3g}\n"
    )

    print(" a  b | a xor b | prediction")
    print("------+---------+-----------")
    for inputs, targets in SAMPLES:
        prediction = net.predict(inputs)[0]
        print(f" {inputs[0]}  {inputs[1]} |    {targets[0]}    | {prediction:10.6f}")

    # As the Go example does: save the model, load it back, and check it predicts the same.
    try:
        path = save_output(net.save, args.out, DEFAULT_OUT)
    except OSError as error:
        print(f"error: could not save the network: {error}", file=sys.stderr)
        return 1
    loaded = gone.load(path)
    same = all(loaded.predict(inputs) == net.predict(inputs) for inputs, _ in SAMPLES)
    print(f"\nsaved {path}; loaded it back: {'same' if same else 'DIFFERENT'} predictions")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
