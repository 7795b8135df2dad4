"""Training speed of a 784-128-64-10 MLP, side by side: gone, a minimal numpy loop, PyTorch, scikit-learn.

Every contender trains the same model (ReLU hidden layers, Softmax + cross-entropy, plain mini-batch
gradient descent, batch 128, learning rate 0.05, no momentum, no weight decay) on the same synthetic
MNIST-shaped data (20,000 samples, 784 inputs in [0, 1], 10 classes) for 2 epochs, shuffled each
epoch, with the data already in the dtype measured (float32 arrays are handed to gone as a user
would: `DataSet.from_arrays(X32, one_hot(labels, 10))`, no dtype=).

Every run is a fresh Python process that first trains a throw-away model on 10 batches (imports,
thread pools and first-call costs stay out of the time), then times one training run. The
contenders take turns in every round; the table gives the median over rounds and the range.

    python -m benchmarks.train_mlp            # all contenders that are installed
    python -m benchmarks.train_mlp --quick    # fewer samples, one round

The contenders:
- "matmul ceiling": the 8 matrix products of every step alone (3 forward, 3 dW, 2 dA), same
  shapes, dtypes and layouts, written into preallocated arrays: no training can be faster.
- "numpy loop": the same math written by hand as tightly as numpy allows without preallocating:
  columns as samples, one matmul per product, each batch gathered by fancy indexing (faster than
  gathering the shuffled set each epoch), in-place activations and parameter updates. It computes
  no loss; "numpy loop + loss" also computes each batch's loss and the epoch's mean, as the
  others do (gone reports it in its History).
- PyTorch eager (CPU, as many threads as numpy's BLAS): nn.Linear layers, CrossEntropyLoss,
  autograd, optim.SGD, zero_grad(set_to_none=True), each batch gathered by indexing.
- scikit-learn's MLPClassifier with the same settings (solver "sgd", no momentum, alpha 0).

"matmul share" is the ceiling's time over the contender's: the fraction of its time the products
alone would take.
"""

import argparse
import importlib.metadata
import os
import statistics
import time

import numpy as np

import gone
from benchmarks.side_by_side import blas_threads, in_fresh_process, spread

SIZES = (784, 128, 64, 10)
BATCH = 128
LEARNING_RATE = 0.05
WARM_UP_SAMPLES = 10 * BATCH


def make_data(n_samples: int, dtype, seed: int = 0):
    """Blurry class prototypes plus noise: learnable, MNIST-shaped, no download. X (N, 784) in
    `dtype`, labels (N,) ints."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, 784))  # (classes, features)
    labels = rng.integers(0, 10, n_samples)
    X = np.clip(prototypes[labels] + rng.normal(0, 0.5, (n_samples, 784)), 0, 1)  # (N, 784)
    return X.astype(dtype), labels


def train_gone(X, labels, epochs):
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
        dtype=X.dtype,
        initializer=gone.He(),
    )
    data = gone.DataSet.from_arrays(X, gone.one_hot(labels, 10))  # keeps X's dtype
    start = time.perf_counter()
    net.train(gone.MBGD(BATCH), data, epochs)
    seconds = time.perf_counter() - start
    return seconds, net.evaluate(data).accuracy


def train_numpy(X, labels, epochs, with_loss=False):
    """The same math written out by hand: what numpy itself does without preallocated arrays.

    `with_loss` also computes each batch's cross-entropy (the stable log-softmax form) and the
    epoch's mean, as gone, PyTorch and scikit-learn do; without it the loop does less than they do.
    """
    rng = np.random.default_rng(0)
    Y = np.eye(10, dtype=X.dtype)[labels]  # (N, 10)
    W1, W2, W3 = [
        rng.normal(0, np.sqrt(2 / a), (b, a)).astype(X.dtype) for a, b in zip(SIZES, SIZES[1:])
    ]
    b1, b2, b3 = [np.zeros((b, 1), X.dtype) for b in SIZES[1:]]
    losses = []
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for s in range(0, len(X), BATCH):
            rows = order[s : s + BATCH]
            A0, T = X[rows].T, Y[rows].T  # (784, B), (10, B)
            Z1 = W1 @ A0
            Z1 += b1
            A1 = np.maximum(Z1, 0, out=Z1)
            Z2 = W2 @ A1
            Z2 += b2
            A2 = np.maximum(Z2, 0, out=Z2)
            Z3 = W3 @ A2
            Z3 += b3
            Z3 -= Z3.max(axis=0)
            P = np.exp(Z3)
            sums = P.sum(axis=0)
            if with_loss:  # -sum(T log softmax(Z)), log softmax = Z - max - log(sum(exp(Z - max)))
                total -= float(np.vdot(T, Z3 - np.log(sums)))
            P /= sums
            dZ3 = P
            dZ3 -= T
            dZ3 /= A0.shape[1]
            dW3, db3 = dZ3 @ A2.T, dZ3.sum(axis=1, keepdims=True)
            dZ2 = W3.T @ dZ3
            dZ2 *= A2 > 0
            dW2, db2 = dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)
            dZ1 = W2.T @ dZ2
            dZ1 *= A1 > 0
            dW1, db1 = dZ1 @ A0.T, dZ1.sum(axis=1, keepdims=True)
            for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2), (W3, dW3), (b3, db3)):
                g *= LEARNING_RATE
                p -= g
        losses.append(total / len(X))
    seconds = time.perf_counter() - start
    A = X.T
    for W, b in ((W1, b1), (W2, b2)):
        A = np.maximum(W @ A + b, 0)
    accuracy = float(np.mean((W3 @ A + b3).argmax(axis=0) == labels))
    return seconds, accuracy


def train_numpy_with_loss(X, labels, epochs):
    return train_numpy(X, labels, epochs, with_loss=True)


def matmul_ceiling(X, labels, epochs):
    """Time the products of one training run alone: per batch 3 forward, 3 dW and 2 dA, each
    written into a preallocated array."""
    rng = np.random.default_rng(0)
    Ws = [rng.random((b, a)).astype(X.dtype) / a for a, b in zip(SIZES, SIZES[1:])]
    sizes = sorted({min(BATCH, len(X) - s) for s in range(0, len(X), BATCH)})
    Zs = {n: [np.empty((m, n), X.dtype) for m in SIZES[1:]] for n in sizes}  # (n_l, B)
    dAs = {n: [np.empty((m, n), X.dtype) for m in SIZES[1:-1]] for n in sizes}
    dWs = [np.empty_like(W) for W in Ws]
    start = time.perf_counter()
    for _ in range(epochs):
        for s in range(0, len(X), BATCH):
            A0 = X[s : s + BATCH].T  # (784, B): the layout of a gathered batch
            (Z1, Z2, Z3), (dA1, dA2) = Zs[A0.shape[1]], dAs[A0.shape[1]]
            np.matmul(Ws[0], A0, out=Z1)
            np.matmul(Ws[1], Z1, out=Z2)
            np.matmul(Ws[2], Z2, out=Z3)
            np.matmul(Z3, Z2.T, out=dWs[2])
            np.matmul(Ws[2].T, Z3, out=dA2)
            np.matmul(dA2, Z1.T, out=dWs[1])
            np.matmul(Ws[1].T, dA2, out=dA1)
            np.matmul(dA1, A0.T, out=dWs[0])
    return time.perf_counter() - start, None  # (seconds, no accuracy), like the trainers


def train_torch(X, labels, epochs):
    import torch

    torch.set_num_threads(blas_threads())
    torch.manual_seed(0)
    Xt = torch.from_numpy(X)  # float32 or float64, as X
    yt = torch.from_numpy(labels)
    layers = []
    for a, b in zip(SIZES, SIZES[1:]):
        layers += [torch.nn.Linear(a, b, dtype=Xt.dtype), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(Xt), generator=generator)
        for s in range(0, len(Xt), BATCH):
            rows = order[s : s + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[rows]), yt[rows])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = float((model(Xt).argmax(dim=1) == yt).double().mean())
    return seconds, accuracy


def train_sklearn(X, labels, epochs):
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
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, labels)
    seconds = time.perf_counter() - start
    return seconds, float(model.score(X, labels))


CONTENDERS = {  # name -> (trainer, the module it needs, or None)
    "matmul ceiling": (matmul_ceiling, None),
    "gone": (train_gone, None),
    "numpy loop": (train_numpy, None),
    "numpy loop + loss": (train_numpy_with_loss, None),
    "PyTorch": (train_torch, "torch"),
    "scikit-learn": (train_sklearn, "sklearn"),
}


def run_in_process(name: str, dtype: str, samples: int, epochs: int):
    """The body of one run (in its own process): warm up on a throw-away model, then time one."""
    trainer = CONTENDERS[name][0]
    X, labels = make_data(samples, dtype)
    trainer(X[:WARM_UP_SAMPLES], labels[:WARM_UP_SAMPLES], 1)
    return trainer(X, labels, epochs)


def run_one(name: str, dtype: str, samples: int, epochs: int) -> tuple[float, float | None]:
    """Time one training run of `name` in a fresh Python process; return (seconds, accuracy).

    A process of its own per run: PyTorch's thread pool, OpenBLAS's and the allocator's state of
    one contender then cannot slow down the next (measured: importing PyTorch in the same process
    made the numpy loop's float64 run twice as slow).
    """
    call = f"b.run_in_process({name!r}, {dtype!r}, {samples}, {epochs})"
    seconds, accuracy = in_fresh_process("train_mlp", call)
    return seconds, accuracy


def version(module: str | None) -> str | None:
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
        default=5,
        help="rounds, the contenders taking turns in each (default: %(default)s)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="4,000 samples, one round (default: off)"
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

    load = os.getloadavg()[0]
    print(
        f"784-128-64-10 ReLU/Softmax+CE, MBGD({BATCH}), {args.samples} samples x {args.epochs} "
        f"epochs, {args.repeats} rounds, every run in a process of its own; numpy "
        f"{np.__version__}, {blas_threads()} BLAS threads, {os.cpu_count()} CPUs, "
        f"load average {load:.2f} at the start\n"
    )
    rows = []
    for dtype in ("float32", "float64"):
        seconds = {name: [] for name in names}
        accuracy = {}
        for _ in range(args.repeats):  # the contenders take turns in every round
            for name in names:
                time_taken, accuracy[name] = run_one(name, dtype, args.samples, args.epochs)
                seconds[name].append(time_taken)
        ceiling = statistics.median(seconds["matmul ceiling"])
        for name in names:
            rates = [args.samples * args.epochs / s for s in seconds[name]]
            # gone's time over the contender's, round by round: >1x means gone is faster.
            ratios = [c / g for c, g in zip(seconds[name], seconds["gone"], strict=True)]
            share = ceiling / statistics.median(seconds[name])
            label = name + version(CONTENDERS[name][1])
            rows.append(
                f"| {dtype} | {label} | {spread(rates, ',.0f')} | "
                f"{'' if name == 'gone' else spread(ratios, '.2f', 'x')} | {share:.0%} | "
                + ("" if accuracy[name] is None else f"{accuracy[name]:.3f}")
                + " |"
            )
    print(
        "| dtype | contender | samples/s, median (range) | gone is faster by, median (range) "
        "| matmul share | train accuracy |"
    )
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(
        f"\nLoad average {os.getloadavg()[0]:.2f} at the end. 'gone is faster by' compares gone's "
        "time with the contender's in the same round (1.30x: gone takes 1/1.3 of the time); "
        "'matmul share' is the ceiling's median time over the contender's."
    )


if __name__ == "__main__":
    main()
