"""XOR: the Go tutorial (fr3fou/gone examples/xor), ported.

A 2-4-1 network with a sigmoid hidden layer learns exclusive-or by stochastic gradient descent:

    python -m examples.xor
"""

import argparse
import time

import gone

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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train a 2-4-1 network on XOR.")
    parser.add_argument("--epochs", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", default="xor.gone", help="where to save the trained network")
    args = parser.parse_args(argv)

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
    net.save(args.model)
    loaded = gone.load(args.model)
    same = all(loaded.predict(inputs) == net.predict(inputs) for inputs, _ in SAMPLES)
    print(f"\nsaved {args.model}; loaded it back: {'same' if same else 'DIFFERENT'} predictions")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
