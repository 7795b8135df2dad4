# %% [markdown]
# # From matrices to XOR
#
# A neural network is a few matrix products with a squashing function between them, and it learns
# by nudging every weight against the slope of its error. This lesson builds that up from nothing:
#
# 1. **matrigo**, gone's small matrix module: build, chain, map, fold, det.
# 2. **One step of backpropagation by hand**, on the 2-2-2 network of Matt Mazur's
#    [A Step by Step Backpropagation Example](https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/):
#    the forward pass, the error, every partial derivative and the updated weights, each checked
#    against the number he published.
# 3. **The same step through gone**, which gives the same numbers, and `gone.gradient_check`,
#    which tells us why they can be trusted.
# 4. **XOR**, which no straight line can solve, learned by a 2-4-1 network: its loss curve, its
#    decision boundary, and the model saved, inspected and loaded again.
#
# Every claim on this page is printed and asserted: if gone stops doing what the page says, the
# test suite fails.

# %%
import inspect
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import gone
import gone.plots as gp
from matrigo import Matrix, ShapeError

# %% [markdown]
# ## 1. matrigo: a matrix you can chain
#
# `matrigo` is the Go library's matrix module, ported whole. A `Matrix` keeps its numbers in a 2-D
# numpy array (`.data`), and every method returns a *new* matrix: nothing changes behind your
# back, so calls chain.

# %%
A = Matrix(2, 3, [[1, 2, 3], [4, 5, 6]])  # from rows: (2, 3)
x = Matrix.from_array([1, 0, -1])  # a column vector: (3, 1)
b = Matrix.from_array([0.5, 3])  # (2, 1)
print(A)
print("A:", A.shape, " x:", x.shape, " b:", b.shape)

# %% [markdown]
# The product `A x` takes each row of A against the column x, so a (2, 3) matrix times a (3, 1)
# column is a (2, 1) column. Chain a bias and a function after it and you have one layer of a
# network, `f(W x + b)`. `map` calls its function with the value and its row and column; here
# the function is ReLU, `max(v, 0)`.

# %%
Ax = A.multiply(x)  # (2, 1): [1*1 + 2*0 + 3*-1, 4*1 + 5*0 + 6*-1]
layer = A.multiply(x).add_matrix(b).map(lambda v, i, j: np.maximum(v, 0))  # (2, 1)
print("A x            =", Ax.flatten())
print("max(A x + b, 0) =", layer.flatten())
assert Ax.flatten().tolist() == [-2.0, -2.0]
assert layer.flatten().tolist() == [0.0, 1.0]
assert A.data.tolist() == [[1, 2, 3], [4, 5, 6]]  # A itself is unchanged

# %% [markdown]
# The rest of the toolbox: `transpose`, `scale`, `hadamard_product` (element by element),
# `sum`, and `fold`, which walks the elements in order carrying an accumulator (Go's `Fold`).
# `fold` calls Python once per element; `sum` is one numpy call. Both give the sum of squares
# here.

# %%
print("A transposed:", A.transpose().shape)
squares = A.hadamard_product(A)  # (2, 3): every element squared
by_fold = A.fold(lambda total, v, i, j: total + v * v, 0.0)
print("sum of squares:", squares.sum(), "by fold:", by_fold)
assert A.transpose().shape == (3, 2)
assert squares.sum() == by_fold == 91.0

# %% [markdown]
# The determinant is exact for whole numbers (Bareiss elimination on Python ints), and the
# product rule `det(MN) = det(M) det(N)` holds to the last digit:

# %%
M = Matrix(2, 2, [[1, 2], [3, 4]])
N = Matrix(2, 2, [[2, 0], [1, 5]])
print("det M =", M.det(), " det N =", N.det(), " det MN =", M.multiply(N).det())
assert M.det() == -2.0 and N.det() == 10.0
assert M.multiply(N).det() == M.det() * N.det() == -20.0

# %% [markdown]
# Shapes that do not fit are refused with both shapes named, never with a numpy traceback from
# deep inside:

# %%
try:
    A.multiply(A)
except ShapeError as error:
    message = str(error)
print(message)
assert "2x3" in message

# %% [markdown]
# ## 2. One step of backpropagation, by hand
#
# Mazur's network has two inputs, two hidden nodes and two outputs, all sigmoid,
# `sigmoid(z) = 1 / (1 + exp(-z))`. Weights are stored as gone and Go store them, one row per
# node of the next layer, so `net_h = W1 x + b1`:
#
# ```
#                 W1 = [[w1, w2],        W2 = [[w5, w6],
#                       [w3, w4]]              [w7, w8]]
#   x = (i1, i2) ──────────────> h1, h2 ───────────────> o1, o2     targets t = (0.01, 0.99)
# ```
#
# His numbers: w1..w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55; the hidden nodes share the
# bias 0.35, the outputs 0.60; input (0.05, 0.10); learning rate 0.5.

# %%
W1 = Matrix(2, 2, [[0.15, 0.20], [0.25, 0.30]])  # (hidden, inputs)
b1 = Matrix.from_array([0.35, 0.35])  # (hidden, 1)
W2 = Matrix(2, 2, [[0.40, 0.45], [0.50, 0.55]])  # (outputs, hidden)
b2 = Matrix.from_array([0.60, 0.60])  # (outputs, 1)
x = Matrix.from_array([0.05, 0.10])  # (inputs, 1)
t = Matrix.from_array([0.01, 0.99])  # (outputs, 1)
learning_rate = 0.5


def sigmoid(v, i, j):
    return 1 / (1 + np.exp(-v))


def check(name: str, ours: float, published: str) -> None:
    """Print our value to 9 digits beside Mazur's and assert that they agree.

    They agree when ours rounds to his in every digit he printed, or is within one unit of his
    last digit: he carried rounded numbers from step to step, so a last digit may be off by one.
    """
    unit = 10.0 ** -len(published.split(".")[1])  # one unit in his last digit
    difference = abs(ours - float(published))
    verdict = "agrees" if difference <= unit / 2 else "last digit off by one"
    print(f"{name:<22} {ours:+.9f}   Mazur {published:>12}   {verdict}")
    assert difference <= unit, (name, ours, published)


# %% [markdown]
# ### The forward pass
# Each layer is the chain from part 1: `W.multiply(A).add_matrix(b).map(sigmoid)`.

# %%
net_h = W1.multiply(x).add_matrix(b1)  # (2, 1): w1 i1 + w2 i2 + b1, w3 i1 + w4 i2 + b1
out_h = net_h.map(sigmoid)  # (2, 1)
net_o = W2.multiply(out_h).add_matrix(b2)  # (2, 1)
out_o = net_o.map(sigmoid)  # (2, 1): the network's answer

check("net_h1", net_h.data[0, 0], "0.3775")
check("out_h1", out_h.data[0, 0], "0.593269992")
check("out_h2", out_h.data[1, 0], "0.596884378")
check("net_o1", net_o.data[0, 0], "1.105905967")
check("out_o1", out_o.data[0, 0], "0.75136507")
check("out_o2", out_o.data[1, 0], "0.772928465")

# %% [markdown]
# ### The error
# Mazur's error is half the squared distance from the targets, summed over the outputs:
# `E_total = sum((t - out_o)^2 / 2)`. The network says 0.75 where it should say 0.01.

# %%
E = t.subtract_matrix(out_o).map(lambda v, i, j: v * v / 2)  # (2, 1): one error per output
E_total = E.sum()
check("E_o1", E.data[0, 0], "0.274811083")
check("E_o2", E.data[1, 0], "0.023560026")
check("E_total", E_total, "0.298371109")

# %% [markdown]
# ### Backward through the output layer
# How much does `E_total` change when w5 changes? w5 reaches the error only through `net_o1`
# and then `out_o1`, so the chain rule multiplies three local slopes:
#
# ```
# dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5
#        = (out_o1 - t1) * out_o1 (1 - out_o1) * out_h1
# ```
#
# (the sigmoid's slope is `s (1 - s)`, cheap from its output). The first two factors form
# `delta_o = dE/dnet_o`, one number per output node; the gradient of every weight of the layer
# is then one outer product, `dE/dW2 = delta_o out_h^T`.

# %%
dE_dout_o = out_o.subtract_matrix(t)  # (2, 1)
dout_dnet_o = out_o.map(lambda s, i, j: s * (1 - s))  # (2, 1)
delta_o = dE_dout_o.hadamard_product(dout_dnet_o)  # (2, 1): dE/dnet_o
dE_dW2 = delta_o.multiply(out_h.transpose())  # (2, 1) x (1, 2) -> (2, 2), like W2

check("dE/dout_o1", dE_dout_o.data[0, 0], "0.74136507")
check("dout_o1/dnet_o1", dout_dnet_o.data[0, 0], "0.186815602")
check("dnet_o1/dw5 = out_h1", out_h.data[0, 0], "0.593269992")
check("dE/dw5", dE_dW2.data[0, 0], "0.082167041")

# %% [markdown]
# ### Backward through the hidden layer
# `out_h1` feeds both outputs, so its slope is the sum of what comes back through each:
# `dE/dout_h1 = delta_o1 w5 + delta_o2 w7`. For all hidden nodes at once that is
# `W2^T delta_o`, the same weights walked backwards. Note that it uses the *old* w5..w8: every
# gradient is computed before any weight moves.

# %%
dE_dout_h = W2.transpose().multiply(delta_o)  # (2, 2)^T x (2, 1) -> (2, 1)
dout_dnet_h = out_h.map(lambda s, i, j: s * (1 - s))  # (2, 1)
delta_h = dE_dout_h.hadamard_product(dout_dnet_h)  # (2, 1): dE/dnet_h
dE_dW1 = delta_h.multiply(x.transpose())  # (2, 1) x (1, 2) -> (2, 2), like W1

check("dE_o1/dnet_o1", delta_o.data[0, 0], "0.138498562")
check("dE_o1/dout_h1", delta_o.data[0, 0] * W2.data[0, 0], "0.055399425")
check("dE_o2/dout_h1", delta_o.data[1, 0] * W2.data[1, 0], "-0.019049119")
check("dE/dout_h1", dE_dout_h.data[0, 0], "0.036350306")
check("dout_h1/dnet_h1", dout_dnet_h.data[0, 0], "0.241300709")
check("dnet_h1/dw1 = i1", x.data[0, 0], "0.05")
check("dE/dw1", dE_dW1.data[0, 0], "0.000438568")

# %% [markdown]
# ### The update
# Gradient descent moves every weight a step against its slope, `w <- w - 0.5 * dE/dw`:

# %%
new_W2 = W2.subtract_matrix(dE_dW2.scale(learning_rate))  # (2, 2)
new_W1 = W1.subtract_matrix(dE_dW1.scale(learning_rate))  # (2, 2)
for name, value, published in zip(
    ["w5", "w6", "w7", "w8", "w1", "w2", "w3", "w4"],
    [*new_W2.flatten(), *new_W1.flatten()],
    ["0.35891648", "0.408666186", "0.511301270", "0.561370121"]
    + ["0.149780716", "0.19956143", "0.24975114", "0.29950229"],
    strict=True,
):
    check(f"new {name}", value, published)

# %% [markdown]
# Every one of the 24 numbers agrees with Mazur's in every digit he printed. One thing he leaves
# out: the biases. He keeps them fixed; a full step moves them too, and since
# `dnet/db = 1`, their gradient is just `delta`:

# %%
new_b2 = b2.subtract_matrix(delta_o.scale(learning_rate))  # (2, 1)
new_b1 = b1.subtract_matrix(delta_h.scale(learning_rate))  # (2, 1)
print("new b1:", new_b1.flatten(), " new b2:", new_b2.flatten())

# %% [markdown]
# ## 3. The same step through gone
#
# Now the network as gone builds it: layers, a loss, a learning rate. `from_parameters` takes
# Mazur's weights instead of random ones. gone's `MSE` is the mean of the squared errors over the
# outputs, which for two outputs is exactly Mazur's `sum((t - out)^2 / 2)`.

# %%
layers = [gone.Layer(2), gone.Layer(2, gone.Sigmoid()), gone.Layer(2, gone.Sigmoid())]
mazur = gone.NeuralNetwork.from_parameters(
    layers, [W1.data, W2.data], [b1.data, b2.data], loss=gone.MSE(), learning_rate=0.5
)
sample = gone.DataSet.from_arrays([[0.05, 0.10]], [[0.01, 0.99]])  # one sample: a row each
print(mazur)
gp.plot_network(mazur, inputs=[0.05, 0.10])

# %% [markdown]
# The picture is the network before its step: edges coloured by the sign of their weight and
# drawn wider the larger it is, nodes coloured by their value for Mazur's input.
#
# Its forward pass and loss are the ones we computed by hand:

# %%
prediction = mazur.predict([0.05, 0.10])  # (2,)
loss = mazur.evaluate(sample).loss
print("gone predicts", prediction, " loss", f"{loss:.9f}")
print("by hand      ", out_o.flatten(), " E_total", f"{E_total:.9f}")
assert np.allclose(prediction, out_o.flatten(), rtol=0, atol=1e-15)
assert abs(loss - E_total) < 1e-15

# %% [markdown]
# They agree to 1e-15, not bit for bit: gone computes the sigmoid as `(1 + tanh(z / 2)) / 2`,
# the same function written so that it can never overflow, which rounds differently in the
# last bit.
#
# Inside gone, the math of one batch lives in `gone.backprop`. Here is its backward pass; compare
# it line by line with the cells above (`dZ` is our `delta`, `dA` our `dE/dout`):

# %%
print(inspect.getsource(gone.backprop.backward))

# %% [markdown]
# Calling it on Mazur's sample gives our gradients. Inside gone samples are *columns*, so the
# input goes in transposed, `X.T  # (2 inputs, 1 sample)`:

# %%
params = mazur.parameters()  # [W0 (2, 2), b0 (2, 1), W1 (2, 2), b1 (2, 1)], the arrays themselves
weights, biases = params[0::2], params[1::2]
activations = [layer.activation for layer in mazur.layers[1:]]
Zs, As = gone.backprop.forward(weights, biases, activations, sample.inputs.T)
dWs, dbs = gone.backprop.backward(weights, activations, mazur.loss, Zs, As, sample.targets.T)
print("dE/dW2 by gone:\n", dWs[1], "\nby hand:\n", dE_dW2.data)
assert np.allclose(dWs[1], dE_dW2.data, rtol=0, atol=1e-15)
assert np.allclose(dWs[0], dE_dW1.data, rtol=0, atol=1e-15)
assert np.allclose(dbs[1], delta_o.data, rtol=0, atol=1e-15)
assert np.allclose(dbs[0], delta_h.data, rtol=0, atol=1e-15)

# %% [markdown]
# And one epoch of full-batch gradient descent, `gone.GD()`, on the one sample is one step:

# %%
mazur.train(gone.GD(), sample, epochs=1)
print("W2 after the step (matrigo prints as Go does, six decimals):\n", mazur.weights[1])
print("W1 after the step:\n", mazur.weights[0])
assert np.allclose(mazur.weights[1].data, new_W2.data, rtol=0, atol=1e-15)
assert np.allclose(mazur.weights[0].data, new_W1.data, rtol=0, atol=1e-15)
assert np.allclose(mazur.biases[1].data, new_b2.data, rtol=0, atol=1e-15)
assert np.allclose(mazur.biases[0].data, new_b1.data, rtol=0, atol=1e-15)

# %% [markdown]
# ### Why gone has matrigo, and why its core does not compute with it
#
# The Go library computes with matrigo sample by sample. gone's core computes the same formulas
# batched with numpy: a batch of B samples travels as one (nodes, B) matrix, so one product
# serves them all. Each matrigo operation is one numpy call, so writing that loop in matrigo
# objects would only add a wrapper per operation. gone hands its weights out as matrigo matrices
# without copying: `net.weights[0]` is a `Matrix` whose `.data` *is* the network's array.
#
# Both ways give the same numbers. Here are 1,000 samples through Mazur's (updated) hidden layer,
# first one at a time with the matrigo chain, then in one batched product:

# %%
rng = np.random.default_rng(0)
X = rng.random((1000, 2))  # (samples, inputs): rows at the API
W, b = mazur.weights[0], mazur.biases[0]  # Matrix (2, 2) and Matrix (2, 1)
assert np.shares_memory(W.data, mazur.parameters()[0])  # a view of the network's own array

started = time.perf_counter()
one_by_one = np.hstack(
    [W.multiply(Matrix.from_array(row)).add_matrix(b).map(sigmoid).data for row in X]
)  # (2, 1000), one column per sample
seconds_one_by_one = time.perf_counter() - started

started = time.perf_counter()
batched = activations[0].forward(W.data @ X.T + b.data)  # (2, 2) @ (2, 1000) + (2, 1)
seconds_batched = time.perf_counter() - started

print(f"largest difference: {np.abs(one_by_one - batched).max():.1e}")
print(f"one by one: {seconds_one_by_one * 1e3:.1f} ms, batched: {seconds_batched * 1e3:.3f} ms")
assert np.allclose(one_by_one, batched, rtol=0, atol=1e-15)

# %% [markdown]
# ### Why the gradients can be trusted: `gradient_check`
#
# A derivative is a slope, and a slope can be measured without any calculus: nudge one weight up
# and down by a tiny `eps` and see how the error moves, `(E(w + eps) - E(w - eps)) / (2 eps)`.
# Here it is for every weight of W2 in the original network, with the forward pass written as a
# function of W2:


# %%
def error_with(W2_: Matrix) -> float:
    """E_total of Mazur's network with output weights W2_ (2, 2)."""
    out = W2_.multiply(out_h).add_matrix(b2).map(sigmoid)  # (2, 1)
    return t.subtract_matrix(out).map(lambda v, i, j: v * v / 2).sum()


def measured_slopes(W2_: Matrix, eps: float = 1e-6) -> np.ndarray:
    """(2, 2): the slope of E_total along each weight of W2_, by central differences."""
    slopes = np.zeros(W2_.shape)
    for r, c in np.ndindex(W2_.shape):  # a loop is the point: one nudge per weight
        nudge = np.zeros(W2_.shape)
        nudge[r, c] = eps
        up, down = W2_.add_matrix(Matrix(2, 2, nudge)), W2_.subtract_matrix(Matrix(2, 2, nudge))
        slopes[r, c] = (error_with(up) - error_with(down)) / (2 * eps)
    return slopes


measured = measured_slopes(W2)
print("measured slopes:\n", measured, "\nbackpropagation:\n", dE_dW2.data)
assert np.allclose(measured, dE_dW2.data, rtol=0, atol=1e-9)

# %% [markdown]
# `gone.gradient_check` does this for every weight and bias of a network and reports, per
# parameter, the relative error `|backprop - measured| / (|backprop| + |measured|)`. Errors of
# 1e-9 and below mean the two agree as closely as finite differences can tell (it calls 1e-6
# and above wrong); a mistake in the math shows up near 1. On a fresh copy of Mazur's network:

# %%
fresh = gone.NeuralNetwork.from_parameters(
    layers, [W1.data, W2.data], [b1.data, b2.data], loss=gone.MSE(), learning_rate=0.5
)
report = gone.gradient_check(fresh, sample)
print(report)
assert report.ok and report.max_error < 1e-7

# %% [markdown]
# What would a mistake look like? Suppose we had forgotten the sigmoid's slope in the output
# layer and used `dE/dout_o` where `delta_o` belongs:

# %%
wrong = dE_dout_o.multiply(out_h.transpose())  # (2, 2): the factor s (1 - s) is missing
relative = np.linalg.norm(wrong.data - measured) / (
    np.linalg.norm(wrong.data) + np.linalg.norm(measured)
)  # the relative error gradient_check reports
print(f"relative error of the wrong gradient: {relative:.2f}")
assert relative > 0.5

# %% [markdown]
# ## 4. XOR
#
# Exclusive-or is 1 when exactly one input is 1. Put the four points on a plane and no straight
# line separates the 1s from the 0s. A network without a hidden layer *is* a straight line,
# `output = w1 a + w2 b + bias`, so the best it can do is the least-squares fit, which predicts
# 0.5 everywhere and has loss 0.25. Training one shows exactly that:

# %%
X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])  # (4 samples, 2 inputs)
y_xor = np.array([0, 1, 1, 0])  # (4,)
xor = gone.DataSet.from_arrays(X_xor, y_xor)  # targets (4, 1)

line = gone.NeuralNetwork(
    [gone.Layer(2), gone.Layer(1)], loss=gone.MSE(), learning_rate=0.5, seed=0
)
line.train(gone.GD(), xor, epochs=500)
print("a line predicts", line.predict(X_xor).ravel().round(3), " loss", line.evaluate(xor).loss)
assert abs(line.evaluate(xor).loss - 0.25) < 1e-6  # the least-squares minimum is exactly 0.25

# %% [markdown]
# Four hidden sigmoid nodes give the network bends to work with. This is the Go library's XOR
# example (and the README's): 2-4-1, an identity output, MSE, stochastic gradient descent
# (`gone.SGD()`: one sample per step), learning rate 0.1, 1,500 epochs.

# %%
net = gone.NeuralNetwork(
    [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1)],
    loss=gone.MSE(),
    learning_rate=0.1,
    seed=1,
)
history = net.train(gone.SGD(), xor, epochs=1500)
predictions = net.predict(X_xor).ravel()  # (4,)
for inputs, p in zip(X_xor, predictions, strict=True):
    print(inputs, f"{p:.3f}")
print(f"loss: epoch 1 {history.loss[0]:.4f} -> epoch 1500 {history.loss[-1]:.6f}")
assert (predictions.round() == y_xor).all()
assert history.loss[-1] < 1e-3

# %%
for epoch in (1, 50, 150, 200, 300, 500, 1000, 1500):
    print(f"epoch {epoch:4d}: loss {history.loss[epoch - 1]:.3g}")
assert min(history.loss[:150]) > 0.2  # the plateau: no better than the straight line
assert history.loss[299] < 1e-3 and history.loss[999] < 1e-20
gp.plot_history(history, log_loss=True)

# %% [markdown]
# For about 150 epochs the loss wanders above 0.2, no better than the straight line, while the
# hidden nodes sort out their roles. Then it falls about a thousandfold every 100 epochs, until
# float64 rounding stops it near 1e-30: with four samples and 17 parameters the network can fit
# XOR exactly. The decision boundary shows what it learned: its output over the whole plane,
# with the line where it crosses 0.5.

# %%
gp.plot_decision_boundary(net, X_xor, y_xor)

# %% [markdown]
# And the trained network itself, deciding `[1, 0]`:

# %%
gp.plot_network(net, inputs=[1, 0])

# %% [markdown]
# ## Save, inspect, load
#
# A `.gone` file is protobuf, readable by the Go library too. `python -m gone inspect` describes
# one without any code of yours; `gone.load` gives back the same weights bit for bit.

# %%
folder = Path(tempfile.mkdtemp())
path = folder / "xor.gone"
net.save(path)
inspected = subprocess.run(
    [sys.executable, "-m", "gone", "inspect", str(path)], capture_output=True, text=True
)
print(inspected.stdout)
assert inspected.returncode == 0 and "1500 epochs" in inspected.stdout

loaded = gone.load(path)
assert np.array_equal(loaded.predict(X_xor), net.predict(X_xor))
print("loaded: the same predictions, bit for bit")

# %% [markdown]
# ## What we saw
#
# - A layer is `f(W x + b)`, one matrigo chain; a network is layers in a row.
# - Backpropagation is the chain rule applied layer by layer from the error backwards: `delta`
#   at each layer, then `dW = delta A^T` and `db = delta`. By hand and by gone, the 24 numbers of
#   Mazur's step agree.
# - `gradient_check` measures the slopes and compares; it is how we know backprop is right.
# - A hidden layer is what lets a network bend its boundary around XOR.
#
# Next: [Reading handwriting](02-reading-handwriting.py) trains a classifier on real digits.
