"""gone's image layers against PyTorch's functional ops: forward and backward on random shapes, and
one training step of a whole LeNet-like network, with the worst differences printed.

PyTorch is a peer here, never a test dependency: the tests check gone by finite differences. This
script checks that gone computes what PyTorch computes, op by op, in float64 (and the whole step in
float32 too):

- Conv2D against torch.nn.functional.conv2d: outputs, and dL/dX, dL/dW, dL/db for a random
  upstream gradient (random batch, channels, sizes, filters, kernel, stride, padding);
- MaxPool2D / AvgPool2D against max_pool2d / avg_pool2d (random windows and strides, overlapping
  ones included), and a pooling over ties, where both give the gradient to the first maximum;
- BatchNorm against batch_norm in training (outputs, the running statistics after the step,
  gradients) and in evaluation, after dense layers (N, C) and convolutions (N, C, H, W);
- one step of plain SGD on conv 8@5x5 pad 2 ReLU, maxpool 2, conv 16@5x5 ReLU, maxpool 2,
  dense 120 ReLU, dense 10 softmax + cross-entropy, from the same weights and batch: the loss
  and every updated parameter.

    python -m benchmarks.conv_equivalence             # 200 random cases per op
    python -m benchmarks.conv_equivalence --cases 20  # quicker

Differences are relative to the largest magnitude of PyTorch's array (max |gone - torch| /
max |torch|), so a value of 1e-16 means the last bits of float64.
"""

import argparse
import sys

import numpy as np

import gone
from benchmarks.train_cnn import gone_network, torch_network
from gone.layers.module import internal, public


def torch_or_exit():
    try:
        import torch
    except ImportError:
        sys.exit("PyTorch is not installed: pip install torch==2.13.0")
    torch.set_num_threads(1)
    return torch


def difference(ours: np.ndarray, theirs) -> float:
    """max |ours - theirs| / max |theirs| (theirs a tensor or an array)."""
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    scale = max(float(np.abs(theirs).max()), 1e-300)
    return float(np.abs(ours - theirs).max()) / scale


def built(layer, input_shape, dtype=np.float64):
    layer.build(input_shape, dtype)
    layer.initialize(np.random.default_rng(0), gone.Normal())
    return layer


def conv_case(torch, rng) -> dict[str, float]:
    N, C, F = rng.integers(1, 5), rng.integers(1, 5), rng.integers(1, 6)
    kh, kw = rng.integers(1, 6, 2)
    sh, sw = rng.integers(1, 4, 2)
    ph, pw = rng.integers(0, 3, 2)
    H, W = kh + rng.integers(0, 9), kw + rng.integers(0, 9)
    layer = built(gone.Conv2D(F, (kh, kw), stride=(sh, sw), padding=(ph, pw)), (C, H, W))
    X = rng.normal(size=(N, C, H, W))
    ours = public(layer.forward(internal(X)))
    G = rng.normal(size=ours.shape)  # dL/d(output)
    dX = public(layer.backward(internal(G).copy()))

    x = torch.tensor(X, requires_grad=True)
    w = torch.tensor(layer.W, requires_grad=True)
    b = torch.tensor(layer.b[:, 0], requires_grad=True)
    out = torch.nn.functional.conv2d(x, w, b, stride=(sh, sw), padding=(ph, pw))
    (out * torch.tensor(G)).sum().backward()
    return {
        "output": difference(ours, out),
        "dX": difference(dX, x.grad),
        "dW": difference(layer.dW, w.grad),
        "db": difference(layer.db[:, 0], b.grad),
    }


def pool_case(torch, rng, kind, ties=False) -> dict[str, float]:
    N, C = rng.integers(1, 5), rng.integers(1, 5)
    kh, kw = rng.integers(1, 5, 2)
    sh, sw = rng.integers(1, 4, 2)
    H, W = kh + rng.integers(0, 9), kw + rng.integers(0, 9)
    layer = built(kind((kh, kw), (sh, sw)), (C, H, W))
    X = rng.integers(0, 3, (N, C, H, W)).astype(float) if ties else rng.normal(size=(N, C, H, W))
    ours = public(layer.forward(internal(X)))
    G = rng.normal(size=ours.shape)
    dX = public(layer.backward(internal(G).copy()))

    x = torch.tensor(X, requires_grad=True)
    function = {
        gone.MaxPool2D: torch.nn.functional.max_pool2d,
        gone.AvgPool2D: torch.nn.functional.avg_pool2d,
    }[kind]
    out = function(x, (kh, kw), (sh, sw))
    (out * torch.tensor(G)).sum().backward()
    return {"output": difference(ours, out), "dX": difference(dX, x.grad)}


def norm_case(torch, rng, image: bool) -> dict[str, float]:
    # At least 4 samples a feature: with 2, every normalized value is +-1 whatever the input, so
    # dX is nothing but rounding and a relative difference of it means nothing.
    N, C = rng.integers(4, 17), rng.integers(1, 6)
    shape = (C, *rng.integers(1, 7, 2)) if image else (C,)
    momentum, epsilon = float(rng.uniform(0.5, 0.99)), float(10.0 ** rng.integers(-6, -2))
    layer = built(gone.BatchNorm(momentum, epsilon), shape)
    layer.gamma[...] = rng.normal(size=layer.gamma.shape)
    layer.beta[...] = rng.normal(size=layer.beta.shape)
    layer.running_mean[...] = rng.normal(size=(C, 1))
    layer.running_var[...] = rng.uniform(0.5, 2, size=(C, 1))
    start_mean, start_var = layer.running_mean[:, 0].copy(), layer.running_var[:, 0].copy()
    X = rng.normal(3.0, 2.0, size=(N, *shape))
    ours = public(layer.forward(internal(X), training=True))
    G = rng.normal(size=ours.shape)
    dX = public(layer.backward(internal(G).copy()))

    x = torch.tensor(X, requires_grad=True)
    gamma = torch.tensor(layer.gamma[:, 0], requires_grad=True)
    beta = torch.tensor(layer.beta[:, 0], requires_grad=True)
    mean, var = torch.tensor(start_mean), torch.tensor(start_var)
    # PyTorch's momentum weighs the new batch: gone's momentum 0.9 is PyTorch's 0.1.
    out = torch.nn.functional.batch_norm(
        x, mean, var, gamma, beta, training=True, momentum=1 - momentum, eps=epsilon
    )
    (out * torch.tensor(G)).sum().backward()
    evaluated = public(layer.forward(internal(X), training=False))
    theirs = torch.nn.functional.batch_norm(
        torch.tensor(X), mean, var, gamma.detach(), beta.detach(), training=False, eps=epsilon
    )
    return {
        "output (training)": difference(ours, out),
        "running mean": difference(layer.running_mean[:, 0], mean),
        "running var": difference(layer.running_var[:, 0], var),
        "dX": difference(dX, x.grad),
        "dgamma": difference(layer.dgamma[:, 0], gamma.grad),
        "dbeta": difference(layer.dbeta[:, 0], beta.grad),
        "output (evaluation)": difference(evaluated, theirs),
    }


def step_case(torch, dtype, rng) -> dict[str, float]:
    """One SGD step of the benchmark's LeNet-like network in both, from the same weights."""
    net = gone_network(dtype, learning_rate=0.1, seed=int(rng.integers(2**31)))
    X = rng.random((64, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, 64)
    model = torch_network(torch).to(torch.float64 if dtype == np.float64 else torch.float32)
    torch_parameters = list(model.parameters())  # W, b of each layer, in gone's order
    with torch.no_grad():
        for theirs, ours in zip(torch_parameters, net.parameters(), strict=True):
            theirs.copy_(torch.from_numpy(ours.reshape(theirs.shape)))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(X)), torch.from_numpy(labels))
    loss.backward()
    optimizer.step()
    history = net.train(gone.GD(), gone.DataSet.from_arrays(X, gone.one_hot(labels, 10, dtype)), 1)
    result = {"loss": abs(history.loss[0] - loss.item()) / loss.item()}
    names = ["conv1 W", "conv1 b", "conv2 W", "conv2 b", "dense1 W", "dense1 b", "dense2 W"]
    names.append("dense2 b")
    for name, theirs, ours in zip(names, torch_parameters, net.parameters(), strict=True):
        result[name] = difference(ours.reshape(theirs.shape), theirs)
    return result


def worst(cases: list[dict[str, float]]) -> dict[str, float]:
    return {key: max(case[key] for case in cases) for key in cases[0]}


def build_parser() -> argparse.ArgumentParser:
    """The script's flags, each help with its default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", type=int, default=200, help="random cases per op (default: %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="of the random cases (default: %(default)s)"
    )
    return parser


def main(argv=None) -> None:
    args = build_parser().parse_args(argv)
    torch = torch_or_exit()
    rng = np.random.default_rng(args.seed)
    n = args.cases
    sections = {
        "Conv2D vs conv2d": worst([conv_case(torch, rng) for _ in range(n)]),
        "MaxPool2D vs max_pool2d": worst([pool_case(torch, rng, gone.MaxPool2D) for _ in range(n)]),
        "MaxPool2D vs max_pool2d, ties (integers 0-2)": worst(
            [pool_case(torch, rng, gone.MaxPool2D, ties=True) for _ in range(n)]
        ),
        "AvgPool2D vs avg_pool2d": worst([pool_case(torch, rng, gone.AvgPool2D) for _ in range(n)]),
        "BatchNorm vs batch_norm, after dense (N, C)": worst(
            [norm_case(torch, rng, image=False) for _ in range(n)]
        ),
        "BatchNorm vs batch_norm, after conv (N, C, H, W)": worst(
            [norm_case(torch, rng, image=True) for _ in range(n)]
        ),
        "one SGD step of the LeNet-like network, float64": worst(
            [step_case(torch, np.float64, rng) for _ in range(max(1, n // 20))]
        ),
        "one SGD step of the LeNet-like network, float32": worst(
            [step_case(torch, np.float32, rng) for _ in range(max(1, n // 20))]
        ),
    }
    print(f"gone vs PyTorch {torch.__version__}: worst relative difference over {n} random cases")
    print("(max |gone - torch| / max |torch|; float64 unless said)\n")
    overall = {}
    for title, differences in sections.items():
        print(title)
        for key, value in differences.items():
            print(f"    {key:<22} {value:.1e}")
        overall[title] = max(differences.values())
    print()
    float64 = [value for title, value in overall.items() if "float32" not in title]
    print(
        f"worst in float64: {max(float64):.1e}; in float32 (one step): {max(overall.values()):.1e}"
    )


if __name__ == "__main__":
    main()
