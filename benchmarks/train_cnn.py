"""Training speed of a LeNet-like CNN, side by side: gone, PyTorch eager, a minimal numpy loop.

Every contender trains the same model (conv 8@5x5 pad 2 ReLU, maxpool 2, conv 16@5x5 ReLU,
maxpool 2, dense 120 ReLU, dense 10 softmax + cross-entropy; plain SGD, batch 64, learning rate
0.01, float32; He's initialisation) on the same synthetic MNIST-shaped images (1x28x28 in
[0, 1], 10 classes), shuffled each epoch. The accuracy column, on the training images after the
timed epochs, shows that each contender learns. float32 arrays go to gone as a user hands
them over: `DataSet.from_arrays(X32, ...)`.

Every run is a fresh Python process that first trains a throw-away model on 10 batches (imports,
thread pools and first-call costs stay out of the time), then times one training run. The
contenders take turns in every round; the table gives the median over rounds and the range, and
each ratio is taken round by round. PyTorch gets as many threads as numpy's BLAS has.

    python -m benchmarks.train_cnn              # all contenders, 5 rounds
    python -m benchmarks.train_cnn --quick      # fewer samples, one round

The contenders:
- gone: gone.NeuralNetwork of gone.Conv2D, MaxPool2D, Flatten and Layer, `net.train(gone.MBGD(64))`.
- PyTorch eager (CPU): nn.Conv2d, nn.MaxPool2d, nn.Linear, CrossEntropyLoss, optim.SGD.
- numpy loop: the same math written the way numpy CNNs are usually written, samples first
  (B, C, H, W): im2col by sliding_window_view, one product per convolution, col2im by a loop over
  the kernel offsets, max pooling by reshape and a mask; nothing preallocated.

Then, in one more process, where gone's step spends its time: every layer's forward and backward
timed on its own, the products of a step (the 8 matrix products of the convolutions and dense
layers, and nothing else) timed alone as a ceiling, and im2col, col2im and pooling with the
images (C, H, W, B), gone's layout, against (C, B, H, W).
"""

import argparse
import functools
import json
import os
import subprocess
import sys
import time

import numpy as np

from benchmarks.side_by_side import blas_threads, in_fresh_process, spread

BATCH = 64
LEARNING_RATE = 0.01
WARM_UP_SAMPLES = 10 * BATCH


def make_data(n_samples: int, seed: int = 0):
    """Blurry class prototypes plus noise, clipped to [0, 1]: X (N, 1, 28, 28) float32, labels (N,)."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, 1, 28, 28))
    labels = rng.integers(0, 10, n_samples)
    X = np.clip(prototypes[labels] + rng.normal(0, 0.5, (n_samples, 1, 28, 28)), 0, 1)
    return X.astype(np.float32), labels


# ---- the contenders ----------------------------------------------------------------------------


def gone_network(dtype=np.float32, learning_rate=LEARNING_RATE, seed=0):
    """The benchmark's LeNet-like network in gone (conv_equivalence steps it too)."""
    import gone

    return gone.NeuralNetwork(
        [
            gone.Input((1, 28, 28)),
            gone.Conv2D(8, 5, padding=2, activation=gone.ReLU()),
            gone.MaxPool2D(2),
            gone.Conv2D(16, 5, activation=gone.ReLU()),
            gone.MaxPool2D(2),
            gone.Flatten(),
            gone.Layer(120, gone.ReLU()),
            gone.Layer(10, gone.Softmax()),
        ],
        loss=gone.CrossEntropy(),
        learning_rate=learning_rate,
        seed=seed,
        dtype=dtype,
        initializer=gone.He(),
    )


def torch_network(torch):
    """The same network in PyTorch, with PyTorch's default initialisation."""
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 10),
    )


def train_gone(X, labels, epochs):
    import gone

    net = gone_network()
    data = gone.DataSet.from_arrays(X, gone.one_hot(labels, 10, dtype=np.float32))
    start = time.perf_counter()
    net.train(gone.MBGD(BATCH), data, epochs)
    seconds = time.perf_counter() - start
    return seconds, net.evaluate(data).accuracy


def train_torch(X, labels, epochs):
    import torch

    torch.set_num_threads(blas_threads())
    torch.manual_seed(0)
    nn = torch.nn
    model = torch_network(torch)
    for layer in model:  # He's initialisation, as gone's: W ~ N(0, 2 / fan_in), biases zero
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(labels)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
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


def train_numpy(X, labels, epochs):
    """The same math written the usual way: samples first, im2col by sliding_window_view."""
    from numpy.lib.stride_tricks import sliding_window_view

    rng = np.random.default_rng(0)
    f32 = np.float32
    Y = np.eye(10, dtype=f32)[labels]

    def he(shape, fan_in):
        return rng.normal(0, np.sqrt(2 / fan_in), shape).astype(f32)

    W1, b1 = he((8, 1, 5, 5), 25), np.zeros(8, f32)
    W2, b2 = he((16, 8, 5, 5), 200), np.zeros(16, f32)
    W3, b3 = he((400, 120), 400), np.zeros(120, f32)
    W4, b4 = he((120, 10), 120), np.zeros(10, f32)

    def conv_forward(A, W, pad):  # A (B, C, H, W) -> cols (B*Ho*Wo, C*k*k), Z (B, F, Ho, Wo)
        A = np.pad(A, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else A
        F, C, k, _ = W.shape
        windows = sliding_window_view(A, (k, k), axis=(2, 3))  # (B, C, Ho, Wo, k, k)
        B, _, Ho, Wo = windows.shape[:4]
        cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(B * Ho * Wo, C * k * k)
        Z = (cols @ W.reshape(F, -1).T).reshape(B, Ho, Wo, F).transpose(0, 3, 1, 2)
        return cols, Z

    def col2im(dcols, shape, k, pad):  # dcols (B*Ho*Wo, C*k*k) -> dA (B, C, H, W)
        B, C, H, W = shape
        Ho, Wo = H + 2 * pad - k + 1, W + 2 * pad - k + 1
        blocks = dcols.reshape(B, Ho, Wo, C, k, k)
        dA = np.zeros((B, C, H + 2 * pad, W + 2 * pad), f32)
        for i in range(k):
            for j in range(k):
                dA[:, :, i : i + Ho, j : j + Wo] += blocks[..., i, j].transpose(0, 3, 1, 2)
        return dA[:, :, pad : pad + H, pad : pad + W]

    def pool_forward(A):  # (B, C, H, W) -> (B, C, H/2, W/2), the mask of the maxima
        B, C, H, W = A.shape
        blocks = A.reshape(B, C, H // 2, 2, W // 2, 2)
        M = blocks.max(axis=(3, 5))
        return M, blocks == M[:, :, :, None, :, None]

    def pool_backward(dM, mask):  # each window's gradient to its maxima (to each of a tie)
        B, C, Ho, Wo = dM.shape
        return (mask * dM[:, :, :, None, :, None]).reshape(B, C, 2 * Ho, 2 * Wo)

    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), BATCH):
            rows = order[s : s + BATCH]
            A0, T = X[rows], Y[rows]
            B = len(rows)
            cols1, Z1 = conv_forward(A0, W1, 2)
            Z1 += b1[:, None, None]
            A1 = np.maximum(Z1, 0)
            P1, mask1 = pool_forward(A1)
            cols2, Z2 = conv_forward(P1, W2, 0)
            Z2 += b2[:, None, None]
            A2 = np.maximum(Z2, 0)
            P2, mask2 = pool_forward(A2)
            F = P2.reshape(B, -1)  # (B, 400)
            Z3 = F @ W3 + b3
            A3 = np.maximum(Z3, 0)
            Z4 = A3 @ W4 + b4
            Z4 -= Z4.max(axis=1, keepdims=True)
            E = np.exp(Z4)
            E /= E.sum(axis=1, keepdims=True)
            dZ4 = (E - T) / B
            dW4, db4 = A3.T @ dZ4, dZ4.sum(axis=0)
            dZ3 = (dZ4 @ W4.T) * (Z3 > 0)
            dW3, db3 = F.T @ dZ3, dZ3.sum(axis=0)
            dP2 = (dZ3 @ W3.T).reshape(P2.shape)
            dZ2 = pool_backward(dP2, mask2) * (Z2 > 0)
            dZ2r = dZ2.transpose(0, 2, 3, 1).reshape(-1, 16)  # (B*Ho*Wo, F)
            dW2, db2 = (dZ2r.T @ cols2).reshape(W2.shape), dZ2r.sum(axis=0)
            dP1 = col2im(dZ2r @ W2.reshape(16, -1), P1.shape, 5, 0)
            dZ1 = pool_backward(dP1, mask1) * (Z1 > 0)
            dZ1r = dZ1.transpose(0, 2, 3, 1).reshape(-1, 8)
            dW1, db1 = (dZ1r.T @ cols1).reshape(W1.shape), dZ1r.sum(axis=0)
            for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2), (W3, dW3), (b3, db3)):
                p -= LEARNING_RATE * g
            W4 -= LEARNING_RATE * dW4
            b4 -= LEARNING_RATE * db4
    seconds = time.perf_counter() - start
    return seconds, None


CONTENDERS = {"gone": train_gone, "PyTorch": train_torch, "numpy loop": train_numpy}


def run_in_process(name: str, samples: int, epochs: int):
    """The body of one run (in its own process): warm up on a throw-away model, then time one."""
    trainer = CONTENDERS[name]
    X, labels = make_data(samples)
    trainer(X[:WARM_UP_SAMPLES], labels[:WARM_UP_SAMPLES], 1)
    return trainer(X, labels, epochs)


def run_one(name: str, samples: int, epochs: int) -> tuple[float, float | None]:
    """Time one training run of `name` in a fresh Python process; return (seconds, accuracy)."""
    call = f"b.run_in_process({name!r}, {samples}, {epochs})"
    seconds, accuracy = in_fresh_process("train_cnn", call)
    return seconds, accuracy


# ---- where gone's step spends its time -----------------------------------------------------------


def timed(function, repeats: int) -> float:
    """Seconds per call of `function`, the best of 5 runs of `repeats` calls."""
    function()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            function()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def breakdown(repeats: int = 50) -> dict:
    """Milliseconds of one gone step (batch 64) by layer and direction, the products alone, and the
    window operations in both layouts."""
    import gone
    from gone import backprop
    from gone.workspace import Workspace

    net = gone_network()
    X, labels = make_data(BATCH)
    data = gone.DataSet.from_arrays(X, gone.one_hot(labels, 10, dtype=np.float32))
    layers = net._modules
    work = Workspace(layers, net.input_shape, np.float32)
    buffers = work.batch(BATCH).layers
    A0, Y = np.moveaxis(data.inputs, 0, -1), data.targets.T
    times = {}
    inputs, A = [], A0
    for layer, buffer in zip(layers, buffers, strict=True):
        inputs.append(A)
        A = layer.forward_into(A, buffer, True)
    for l, (layer, buffer) in enumerate(zip(layers, buffers, strict=True)):
        forward = functools.partial(layer.forward_into, inputs[l], buffer, True)
        times[f"{l + 1} {layer.kind} forward"] = timed(forward, repeats)
    net.loss.delta_into(layers[-1].activation, buffers[-1], Y)
    for l in range(len(layers) - 1, -1, -1):
        layer, buffer, grads = layers[l], buffers[l], work.layer_gradients[l]
        below = buffers[l - 1].dA if l else None
        method = layer.backward_linear_into if l == len(layers) - 1 else layer.backward_into
        times[f"{l + 1} {layer.kind} backward"] = timed(
            functools.partial(method, buffer, grads, below), repeats
        )
    optimizer = gone.MBGD(BATCH)

    def one_step():
        backprop.forward_layers_into(layers, A0, buffers, True)
        net.loss.value_into(layers[-1].activation, buffers[-1], Y)
        backprop.backward_layers_into(layers, net.loss, Y, buffers, work.layer_gradients)
        optimizer.step(net._parameters, work.gradients, LEARNING_RATE)

    step = timed(one_step, repeats)

    # The products of a step alone, with the shapes and layouts gone multiplies.
    conv1, conv2, dense1, dense2 = layers[0], layers[2], layers[5], layers[6]
    b1, b2, b5, b6 = buffers[0], buffers[2], buffers[5], buffers[6]
    products = [
        lambda: np.matmul(conv1.W.reshape(8, -1), b1.cols, out=b1.Z.reshape(8, -1)),
        lambda: np.matmul(b1.cols, b1.dZ.reshape(8, -1).T, out=b1.dW_T),
        lambda: np.matmul(conv2.W.reshape(16, -1), b2.cols, out=b2.Z.reshape(16, -1)),
        lambda: np.matmul(b2.cols, b2.dZ.reshape(16, -1).T, out=b2.dW_T),
        lambda: np.matmul(conv2.W.reshape(16, -1).T, b2.dZ.reshape(16, -1), out=b2.dcols),
        lambda: np.matmul(dense1.W, b5.A_prev, out=b5.Z),
        lambda: np.matmul(b5.dZ, b5.A_prev.T, out=work.layer_gradients[5][0]),
        lambda: np.matmul(dense1.W.T, b5.dZ, out=buffers[4].dA),
        lambda: np.matmul(dense2.W, b6.A_prev, out=b6.Z),
        lambda: np.matmul(b6.dZ, b6.A_prev.T, out=work.layer_gradients[6][0]),
        lambda: np.matmul(dense2.W.T, b6.dZ, out=b5.dA),
    ]
    ceiling = timed(lambda: [product() for product in products], repeats)

    # The window operations of the second convolution and the first pooling in both layouts.
    rng = np.random.default_rng(0)
    layouts = {}
    for layout in ("C, H, W, B", "C, B, H, W"):
        samples_last = layout == "C, H, W, B"
        P1 = rng.random((8, 14, 14, BATCH) if samples_last else (8, BATCH, 14, 14), np.float32)
        A1 = rng.random((8, 28, 28, BATCH) if samples_last else (8, BATCH, 28, 28), np.float32)
        axis = (1, 2) if samples_last else (2, 3)

        def windows(A, k, s, axis=axis, samples_last=samples_last):
            view = np.lib.stride_tricks.sliding_window_view(A, (k, k), axis=axis)
            view = view[:, ::s, ::s] if samples_last else view[:, :, ::s, ::s]
            return view.transpose(0, 4, 5, 1, 2, 3)

        cols = np.empty(windows(P1, 5, 1).shape, np.float32)
        dP1 = np.zeros_like(P1)

        def col2im(cols=cols, dP1=dP1, samples_last=samples_last):
            dP1.fill(0)
            for i in range(5):
                for j in range(5):
                    if samples_last:
                        dP1[:, i : i + 10, j : j + 10] += cols[:, i, j]
                    else:
                        dP1[:, :, i : i + 10, j : j + 10] += cols[:, i, j]

        M = np.empty(windows(A1, 2, 2).shape[:1] + windows(A1, 2, 2).shape[3:], np.float32)
        views = [windows(A1, 2, 2)[:, i, j] for i in range(2) for j in range(2)]

        def pool(M=M, views=views):
            np.copyto(M, views[0])
            for view in views[1:]:
                np.maximum(M, view, out=M)

        layouts[layout] = {
            "im2col (conv 2)": timed(
                lambda cols=cols, P1=P1: np.copyto(cols, windows(P1, 5, 1)), repeats
            ),
            "col2im (conv 2)": timed(col2im, repeats),
            "max pool forward (pool 1)": timed(pool, repeats),
        }
    return {"step": step, "layers": times, "products": ceiling, "layouts": layouts}


# ---- the table ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samples", type=int, default=6_400, help="training images (default: %(default)s)"
    )
    parser.add_argument(
        "--epochs", type=int, default=1, help="epochs of every run (default: %(default)s)"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="rounds, the contenders taking turns in each (default: %(default)s)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1,280 images, one round (default: off)"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.quick:
        args.samples, args.repeats = 1_280, 1
    names = list(CONTENDERS)
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed (pip install torch==2.13.0): its row is left out")
        names.remove("PyTorch")
    else:
        torch_version = torch.__version__
    print(
        f"LeNet-like CNN, float32, SGD batch {BATCH}, {args.samples} images x {args.epochs} "
        f"epochs, {args.repeats} rounds, every run in a process of its own; numpy "
        f"{np.__version__}, {blas_threads()} BLAS threads, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} at the start\n"
    )
    seconds = {name: [] for name in names}
    accuracy = {}
    for _ in range(args.repeats):
        for name in names:
            s, a = run_one(name, args.samples, args.epochs)
            seconds[name].append(s)
            accuracy[name] = a
    images = args.samples * args.epochs
    print("| contender | images/s, median (range) | gone is faster by, median (range) | accuracy |")
    print("|---|---:|---:|---:|")
    for name in names:
        rates = [images / s for s in seconds[name]]
        label = f"PyTorch {torch_version} (CPU, eager)" if name == "PyTorch" else name
        ratio = ""
        if name != "gone":
            ratios = [t / g for g, t in zip(seconds["gone"], seconds[name], strict=True)]
            ratio = spread(ratios, ".2f").replace(" (", "x (", 1)
        shown = "" if accuracy[name] is None else f"{accuracy[name]:.3f}"
        print(f"| {label} | {spread(rates, ',.0f')} | {ratio} | {shown} |")
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")

    code = "import json; from benchmarks import train_cnn as b; print(json.dumps(b.breakdown()))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    parts = json.loads(result.stdout.splitlines()[-1])
    step = parts["step"]
    print(f"\ngone's step, batch {BATCH}: {step * 1e3:.2f} ms (forward, loss, backward, update)")
    print("| layer | ms | share of the step |")
    print("|---|---:|---:|")
    for name, value in parts["layers"].items():
        print(f"| {name} | {value * 1e3:.3f} | {value / step:.0%} |")
    products = parts["products"]
    print(
        f"\nthe 11 matrix products of a step alone: {products * 1e3:.2f} ms, "
        f"{products / step:.0%} of the step"
    )
    print("\n| window operation | (C, H, W, B), gone's | (C, B, H, W) | ratio |")
    print("|---|---:|---:|---:|")
    ours, theirs = parts["layouts"].values()
    for name in ours:
        print(
            f"| {name} | {ours[name] * 1e3:.3f} ms | {theirs[name] * 1e3:.3f} ms | "
            f"{theirs[name] / ours[name]:.1f}x |"
        )


if __name__ == "__main__":
    main()
