"""Training speed of a 784-128-64-10 MLP, side by side: gone, a minimal numpy loop, PyTorch, scikit-learn.

Every contender trains the same model (ReLU hidden layers, Softmax + cross-entropy, plain mini-batch
gradient descent, batch 128, learning rate 0.05, no momentum, no weight decay) on the same synthetic
MNIST-shaped data (20,000 samples, 784 inputs in [0, 1], 10 classes) for 2 epochs, shuffled each epoch.
Every run is a fresh Python process; the contenders take turns in each of several rounds and each
keeps its best time.

    python -m benchmarks.train_mlp            # all contenders that are installed
    python -m benchmarks.train_mlp --quick    # fewer samples, one repeat

"matmul share" is the time of the matrix products alone (the same products, shapes, dtypes and memory
layouts, replayed without anything else) divided by the contender's training time.
"""

import argparse
import importlib.metadata
import json
import subprocess
import sys
import time

import numpy as np

import gone

SIZES = (784, 128, 64, 10)
BATCH = 128
LEARNING_RATE = 0.05


def make_data(n_samples: int, seed: int = 0):
    """Blurry class prototypes plus noise: learnable, MNIST-shaped, no download."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, 784))  # (classes, features)
    labels = rng.integers(0, 10, n_samples)
    X = np.clip(prototypes[labels] + rng.normal(0, 0.5, (n_samples, 784)), 0, 1)  # (N, 784)
    return X, labels


def train_gone(X, labels, dtype, epochs):
    net = gone.NeuralNetwork(
        [
            gone.Layer(784),
            gone.Layer(128, gone.ReLU()),
            gone.Layer(64, gone.ReLU()),
            gone.Layer(10, gone.Softmax()),
        ],
        loss=gone.CrossEntropy(),
        learning_rate=LEARNING_RATE,
        seed=0,
        dtype=dtype,
        initializer=gone.He(),
    )
    data = gone.DataSet.from_arrays(X, gone.one_hot(labels, 10), dtype=dtype)
    start = time.perf_counter()
    net.train(gone.MBGD(BATCH), data, epochs)
    seconds = time.perf_counter() - start
    return seconds, net.evaluate(data).accuracy


def train_numpy(X, labels, dtype, epochs):
    """The same math written out by hand: the reference for what numpy itself can do."""
    rng = np.random.default_rng(0)
    X = X.astype(dtype)
    Y = np.eye(10, dtype=dtype)[labels]
    Ws = [(rng.normal(0, np.sqrt(2 / a), (b, a))).astype(dtype) for a, b in zip(SIZES, SIZES[1:])]
    bs = [np.zeros((b, 1), dtype) for b in SIZES[1:]]
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(len(X))
        Xs, Ys = X[order], Y[order]
        for s in range(0, len(X), BATCH):
            A0, T = Xs[s : s + BATCH].T, Ys[s : s + BATCH].T
            Z1 = Ws[0] @ A0 + bs[0]
            A1 = np.maximum(Z1, 0)
            Z2 = Ws[1] @ A1 + bs[1]
            A2 = np.maximum(Z2, 0)
            Z3 = Ws[2] @ A2 + bs[2]
            E = np.exp(Z3 - Z3.max(axis=0))
            P = E / E.sum(axis=0)
            dZ3 = (P - T) / A0.shape[1]
            dW3, db3 = dZ3 @ A2.T, dZ3.sum(axis=1, keepdims=True)
            dZ2 = (Ws[2].T @ dZ3) * (Z2 > 0)
            dW2, db2 = dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)
            dZ1 = (Ws[1].T @ dZ2) * (Z1 > 0)
            dW1, db1 = dZ1 @ A0.T, dZ1.sum(axis=1, keepdims=True)
            for p, g in zip(Ws + bs, [dW1, dW2, dW3, db1, db2, db3]):
                p -= LEARNING_RATE * g
    seconds = time.perf_counter() - start
    A = X.T
    for W, b in zip(Ws[:-1], bs[:-1]):
        A = np.maximum(W @ A + b, 0)
    accuracy = float(np.mean((Ws[-1] @ A + bs[-1]).argmax(axis=0) == labels))
    return seconds, accuracy


def matmul_floor(X, labels, dtype, epochs):
    """Time the products of one training run alone: forward 3, backward 3 dW and 2 dA per batch."""
    rng = np.random.default_rng(0)
    X = X.astype(dtype)
    Ws = [rng.random((b, a)).astype(dtype) for a, b in zip(SIZES, SIZES[1:])]
    start = time.perf_counter()
    for _ in range(epochs):
        for s in range(0, len(X), BATCH):
            A0 = X[s : s + BATCH].T
            A1 = Ws[0] @ A0
            A2 = Ws[1] @ A1
            Z3 = Ws[2] @ A2
            _ = Z3 @ A2.T
            dA2 = Ws[2].T @ Z3
            _ = dA2 @ A1.T
            dA1 = Ws[1].T @ dA2
            _ = dA1 @ A0.T
    return time.perf_counter() - start, None  # (seconds, no accuracy), like the trainers


def train_torch(X, labels, dtype, epochs):
    import torch

    torch.manual_seed(0)
    torch_dtype = torch.float32 if dtype == np.float32 else torch.float64
    Xt = torch.tensor(X, dtype=torch_dtype)
    yt = torch.tensor(labels, dtype=torch.long)
    layers = []
    for a, b in zip(SIZES, SIZES[1:]):
        layers += [torch.nn.Linear(a, b, dtype=torch_dtype), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(Xt), generator=generator)
        Xs, ys = Xt[order], yt[order]
        for s in range(0, len(Xt), BATCH):
            optimizer.zero_grad()
            loss = loss_fn(model(Xs[s : s + BATCH]), ys[s : s + BATCH])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = float((model(Xt).argmax(dim=1) == yt).double().mean())
    return seconds, accuracy


def train_sklearn(X, labels, dtype, epochs):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=SIZES[1:-1],
        activation="relu",
        solver="sgd",
        batch_size=BATCH,
        learning_rate_init=LEARNING_RATE,
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        max_iter=epochs,
        shuffle=True,
        random_state=0,
        tol=0,
        n_iter_no_change=epochs + 1,
    )
    X = X.astype(dtype)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, labels)
    seconds = time.perf_counter() - start
    return seconds, float(model.score(X, labels))


CONTENDERS = {  # name -> (trainer, the module it needs, or None)
    "matmul floor": (matmul_floor, None),
    "gone": (train_gone, None),
    "numpy loop": (train_numpy, None),
    "PyTorch": (train_torch, "torch"),
    "scikit-learn": (train_sklearn, "sklearn"),
}


def run_one(name: str, dtype: str, samples: int, epochs: int) -> tuple[float, float | None]:
    """Time one training run of `name` in a fresh Python process; return (seconds, accuracy).

    A process of its own per run: PyTorch's thread pool, OpenBLAS's and the allocator's state of
    one contender then cannot slow down the next (measured: importing PyTorch in the same process
    made the numpy loop's float64 run twice as slow).
    """
    code = (
        "import json, sys, time; import numpy as np; from benchmarks import train_mlp as b; "
        f"X, y = b.make_data({samples}); time.sleep(0.5); "
        f"print(json.dumps(b.CONTENDERS[{name!r}][0](X, y, np.{dtype}, {epochs})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    seconds, accuracy = json.loads(result.stdout.splitlines()[-1])
    return seconds, accuracy


def version(module: str | None) -> str:
    if module is None:
        return ""
    try:
        return " " + importlib.metadata.version({"sklearn": "scikit-learn"}.get(module, module))
    except importlib.metadata.PackageNotFoundError:
        return None


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samples", type=int, default=20_000, help="training samples (default: %(default)s)"
    )
    parser.add_argument(
        "--epochs", type=int, default=2, help="epochs of every run (default: %(default)s)"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="rounds, each contender keeps its best (default: %(default)s)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="4,000 samples, one repeat (default: off)"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.quick:
        args.samples, args.repeats = 4_000, 1

    names = []
    for name, (_, module) in CONTENDERS.items():
        if version(module) is None:
            print(f"{name} is not installed: pip install torch==2.13.0, pip install -e '.[bench]'")
        else:
            names.append(name)

    print(
        f"784-128-64-10 ReLU/Softmax+CE, MBGD({BATCH}), {args.samples} samples x {args.epochs} "
        f"epochs, best of {args.repeats} rounds, every run in a process of its own\n"
    )
    print(
        "| dtype | contender | samples/s | time (s) | gone speed-up | matmul share | train accuracy |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for dtype in ("float32", "float64"):
        best = {}
        for _ in range(args.repeats):  # the contenders take turns in every round
            for name in names:
                seconds, accuracy = run_one(name, dtype, args.samples, args.epochs)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, accuracy)
        floor, gone_seconds = best["matmul floor"][0], best["gone"][0]
        for name in names[1:]:
            seconds, accuracy = best[name]
            label = name + version(CONTENDERS[name][1])
            print(
                f"| {dtype} | {label} | {args.samples * args.epochs / seconds:,.0f} | "
                f"{seconds:.3f} | {seconds / gone_seconds:.2f}x | {floor / seconds:.0%} | "
                f"{accuracy:.3f} |"
            )
    print(
        "\n'gone speed-up' is the contender's time over gone's: 1.30x means gone trains 1.3 times "
        "as fast."
    )


if __name__ == "__main__":
    main()
