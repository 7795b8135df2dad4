# %% [markdown]
# # Convolutions
#
# A dense layer looks at every pixel with a weight of its own, so a stroke it has learned at
# one place means nothing to it one pixel over. A **convolution** looks at the image through
# a small window with one set of weights, the *kernel*, and slides that window everywhere:
# whatever the kernel detects, it detects at every position, with a handful of weights.
#
# 1. **What a convolution computes**: a 3x3 edge detector slid over a digit by hand, the
#    output size `(H + 2p - k) // s + 1`, and the same numbers from gone's `Conv2D`.
# 2. **im2col**: how gone turns all that sliding into one matrix product, and why that is
#    fast.
# 3. **Pooling**, max and average, by hand and by gone; where the gradient of a max goes,
#    and a gradient check of a small convolutional network.
# 4. **Why it works on images**: the parameter count, a convolution as a dense layer with
#    shared weights, and a shifted digit.
# 5. **A small CNN against an MLP** on the 8x8 digits, with the same number of weights: test
#    accuracy, learning curves, the learned kernels, one digit's feature maps, shifted digits.
# 6. **Batch norm and dropout**: what each does in training and what in `predict`.
# 7. **Save, inspect, load** the CNN.
#
# Every claim on this page is printed and asserted: if gone stops doing what the page says, the
# test suite fails.

# %%
# %matplotlib inline
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from scipy.signal import convolve2d, correlate2d
from sklearn.datasets import load_digits

import gone
import gone.plots as gp
from gone.layers.windows import patches

np.set_printoptions(precision=3, suppress=True, linewidth=100)

# %% [markdown]
# ## 1. What a convolution computes
#
# The digits are lesson 2's: 1,797 images of 8x8 ink counts from 0 to 16, which we divide by
# 16. A convolutional network keeps each image as an image, (channels, height, width); these
# have one channel, so an image is (1, 8, 8).

# %%
digits = load_digits()
images = digits.images[:, None] / 16  # (1797, 1, 8, 8): samples, channels, height, width
labels = digits.target  # (1797,)
digit = images[0, 0]  # (8, 8) a 0
print(f"images {images.shape}; the first, a {labels[0]}, in sixteenths of ink:")
print((digit * 16).astype(int))
assert images.shape == (1797, 1, 8, 8) and labels[0] == 0

# %% [markdown]
# A convolution with a k x k kernel puts the kernel on every k x k window of the image,
# multiplies the two element by element and adds the products up: one number per window
# position. Here it is as a loop, with the two options every convolution has: `padding` adds
# rings of zeros around the image first, `stride` is how far the window moves each step.


# %%
def convolve(image, kernel, stride=1, padding=0):
    """out[y, x] = sum(window at (y, x) * kernel), for an image (H, W) and a kernel (k, k)."""
    padded = np.pad(image, padding)  # (H + 2p, W + 2p), zeros around
    k = len(kernel)
    out_h = (padded.shape[0] - k) // stride + 1
    out_w = (padded.shape[1] - k) // stride + 1
    out = np.zeros((out_h, out_w))
    for y in range(out_h):
        for x in range(out_w):
            window = padded[y * stride : y * stride + k, x * stride : x * stride + k]  # (k, k)
            out[y, x] = (window * kernel).sum()
    return out


# %% [markdown]
# The kernel decides what the convolution finds. Sobel's kernel below is large where the window's
# left column has more ink than its right one, and negative where the right has more: it finds
# **vertical edges**, with their direction in the sign. Its transpose finds horizontal ones.

# %%
vertical = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])  # (3, 3): ink left minus ink right
horizontal = vertical.T  # (3, 3): ink above minus ink below
edges_v = convolve(digit, vertical)  # (6, 6)
edges_h = convolve(digit, horizontal)  # (6, 6)
print("vertical edges (positive: ink on the left of the window):")
print(edges_v)
assert edges_v.shape == (6, 6)
# The 0's outside edges: paper then ink on its left side, ink then paper on its right side.
assert edges_v[2, 0] < -2 and edges_v[2, 5] > 2
# The window at (2, 0) covers rows 2-4 and columns 0-2 of the digit:
assert edges_v[2, 0] == (digit[2:5, 0:3] * vertical).sum()


# %%
def beside(image, title, maps, titles, size=(8, 2.6), ratio=2.3, **options) -> Figure:
    """An image (H, W) on the left, a grid of maps (N, h, w) on the right, `ratio` times as
    wide; `options` go to plot_images for the maps (columns=, symmetric=)."""
    figure = Figure(figsize=size, layout="constrained")
    left, right = figure.subfigures(1, 2, width_ratios=[1, ratio])
    gp.plot_images([image], titles=[title], figure=left)
    gp.plot_images(maps, titles=titles, figure=right, **options)
    return figure


beside(
    digit,
    "the digit (8x8)",
    [edges_v, edges_h],
    ["vertical edges (6x6)", "horizontal edges (6x6)"],
    symmetric=True,
)

# %% [markdown]
# Each map lights up red on one side of every stroke and blue on the other. The maps are 6x6,
# not 8x8: a 3x3 window fits in 6 positions along 8 pixels. In general, along a side of `H`
# pixels, with padding `p`, kernel size `k` and stride `s`, there are
# `(H + 2p - k) // s + 1` positions. The loop agrees, and so does gone's `Conv2D`, whose output
# shape a network works out when it is built:

# %%
print("  k  s  p   formula   loop     gone's Conv2D")
for k, s, p in [(3, 1, 0), (3, 1, 1), (3, 2, 1), (5, 1, 2), (2, 2, 0)]:
    size = (8 + 2 * p - k) // s + 1
    loop = convolve(digit, np.ones((k, k)), stride=s, padding=p).shape
    net = gone.NeuralNetwork(
        [gone.Input((1, 8, 8)), gone.Conv2D(2, k, stride=s, padding=p), gone.Flatten()]
        + [gone.Layer(10, gone.Softmax())],
        loss=gone.CrossEntropy(),
    )
    shape = net.layers[1].output_shape  # (filters, height, width) of one sample
    print(f"  {k}  {s}  {p}   {size}x{size}       {loop[0]}x{loop[1]}      {shape}")
    assert loop == (size, size) and shape == (2, size, size)

# %% [markdown]
# Padding by `(k - 1) / 2` keeps the size (3x3 with padding 1: 8x8 in, 8x8 out); a stride of
# 2 halves it.
#
# A `Conv2D(filters, kernel_size)` holds `filters` kernels, each with a bias, in an array
# `W` of shape (filters, channels, kh, kw). So a network whose first layer has our two kernels
# computes our two maps. (A network must end in a dense layer; here it only makes the network
# complete.) Layers work on batches whose samples are the **last** axis, (C, H, W, B), as a
# dense layer's samples are its columns, so one digit is the batch `digit[None, :, :, None]`.

# %%
net = gone.NeuralNetwork(
    [gone.Input((1, 8, 8)), gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(10, gone.Softmax())],
    loss=gone.CrossEntropy(),
    seed=0,
)
conv = net.layers[1]  # the network's own Conv2D layer, which holds the arrays
print("W", conv.W.shape, " b", conv.b.shape)
conv.W[0, 0], conv.W[1, 0] = vertical, horizontal  # filter f, channel 0: a (3, 3) kernel
conv.b[...] = 0
maps = conv.forward(digit[None, :, :, None])  # (1, 8, 8, 1) in -> (2, 6, 6, 1) out
print("gone's maps", maps.shape)
assert conv.W.shape == (2, 1, 3, 3) and conv.b.shape == (2, 1) and maps.shape == (2, 6, 6, 1)
assert np.array_equal(maps[0, :, :, 0], edges_v) and np.array_equal(maps[1, :, :, 0], edges_h)
print("the same numbers as the loop, bit for bit")

# %% [markdown]
# (Bit for bit, because sixteenths times small integers add up exactly in floating point.)
# Strictly speaking this is *cross-correlation*: a mathematician's convolution flips the kernel
# first, as scipy's `convolve2d` does. Neural-network libraries (gone, PyTorch) skip the flip,
# since a learned kernel could as well have been learned flipped:

# %%
assert np.array_equal(correlate2d(digit, vertical, mode="valid"), edges_v)
assert np.array_equal(convolve2d(digit, vertical[::-1, ::-1], mode="valid"), edges_v)
print("ours = scipy's correlate2d = scipy's convolve2d with the kernel flipped")

# %% [markdown]
#
# ## 2. im2col: the sliding as one matrix product
#
# The loop runs Python once per window, per filter, per image. gone never loops like that.
# It copies every window of every image of the batch into a column of one matrix, **the
# patches** ("im2col", image to columns), so that all the sums of products become one matrix
# product. For a batch of two tiny 3x3 images and a 2x2 kernel, there are 2x2 windows per
# image, so 8 columns of 4 numbers each:

# %%
tiny = np.stack([np.arange(9.0).reshape(1, 3, 3), 10 + np.arange(9.0).reshape(1, 3, 3)])
print("two images (B, C, H, W) =", tiny.shape)
print(tiny[:, 0])
A = np.moveaxis(tiny, 0, -1)  # (C, H, W, B) = (1, 3, 3, 2): samples last, as inside gone
cols = patches(A, (2, 2), (1, 1)).reshape(1 * 2 * 2, 2 * 2 * 2)  # (C*kh*kw, Ho*Wo*B)
print("patches (C*kh*kw, Ho*Wo*B) =", cols.shape)
print(cols)

# %% [markdown]
# Column 0 is the top-left window of the first image (0, 1, 3, 4, read row by row), column 1
# the same window of the second image; then both images' next window, and so on: the columns
# run over (y, x, sample), the sample fastest. Built by hand, with a loop that reads the same
# windows:

# %%
by_hand = np.stack(
    [A[:, y : y + 2, x : x + 2, b].ravel() for y in range(2) for x in range(2) for b in range(2)],
    axis=1,
)  # (4, 8)
assert np.array_equal(by_hand, cols)
assert cols[:, 0].tolist() == [0, 1, 3, 4] and cols[:, 1].tolist() == [10, 11, 13, 14]

# %% [markdown]
# With the patches in columns, each filter's kernel, flattened to a row of `K = C*kh*kw`
# numbers, meets every window at once. F filters are F rows:
#
# ```
# Z = W.reshape(F, K) @ cols + b     # (F, K) @ (K, Ho*Wo*B) + (F, 1) -> (F, Ho*Wo*B)
# ```
#
# and that result, read as (F, Ho, Wo, B), already is the next layer's batch of images: no
# transpose, because the columns were in that order. Here is the formula on 100 real digits
# and a network's 8 random 3x3 filters, against the loop of part 1 and against the layer:

# %%
net = gone.NeuralNetwork(
    [gone.Input((1, 8, 8)), gone.Conv2D(8, 3, padding=1), gone.Flatten()]
    + [gone.Layer(10, gone.Softmax())],
    loss=gone.CrossEntropy(),
    seed=0,
)
conv = net.layers[1]
F, K = 8, 1 * 3 * 3
batch = images[:100]  # (100, 1, 8, 8)

start = time.perf_counter()
looped = np.array(
    [
        [convolve(image[0], conv.W[f, 0], padding=1) + conv.b[f, 0] for f in range(F)]
        for image in batch
    ]
)  # (100, 8, 8, 8): sample, filter, height, width
loop_seconds = time.perf_counter() - start

start = time.perf_counter()
A = np.pad(np.moveaxis(batch, 0, -1), ((0, 0), (1, 1), (1, 1), (0, 0)))  # (1, 10, 10, 100)
cols = patches(A, (3, 3), (1, 1)).reshape(K, 8 * 8 * 100)  # (9, 6400)
Z = (conv.W.reshape(F, K) @ cols + conv.b).reshape(F, 8, 8, 100)  # (8, 8, 8, 100)
gemm_seconds = time.perf_counter() - start

layer = conv.forward(np.moveaxis(batch, 0, -1))  # (8, 8, 8, 100)
difference = np.abs(np.moveaxis(Z, -1, 0) - looped).max()
print(f"patches {cols.shape}; Z {Z.shape}; largest difference from the loop {difference:.1e}")
print(
    f"loop: {F * 8 * 8 * len(batch):,} windows one at a time, {loop_seconds * 1e3:.0f} ms; "
    f"im2col and one product: {gemm_seconds * 1e3:.2f} ms ({loop_seconds / gemm_seconds:.0f}x)"
)
print(f"the patches take {cols.nbytes:,} bytes, the images {batch.nbytes:,}")
assert cols.shape == (9, 6400) and difference < 1e-12
assert np.array_equal(layer, Z)  # exactly what Conv2D.forward computes
assert cols.nbytes == 9 * batch.nbytes  # 9 numbers per output pixel: 9 times the images

# %% [markdown]
# The same 460,800 multiplications (51,200 windows of 9), about a hundred times faster (the
# factor varies from run to run; it is timed, not asserted). The loop pays Python's overhead
# for every window; the product is one call into BLAS, which streams through both matrices
# with vector instructions. The price is memory: the patches hold each pixel once per window
# it is in, so 9 times the images for a 3x3 kernel. gone's `Conv2D` is this formula
# (`gone/layers/conv.py`); its backward pass is a dense layer's with patches for samples,
# `dW = dZ @ cols.T`, and "col2im" adds each patch's gradient back onto the pixels it was
# copied from.
#
# ## 3. Pooling
#
# A pooling layer shrinks each map: `MaxPool2D(2)` keeps the largest value of every 2x2
# window, `AvgPool2D(2)` their mean. The window moves by its own size, so windows do not
# overlap and a 4x4 map becomes 2x2. No weights: a pooling layer learns nothing. By hand, a
# reshape cuts the 4x4 array into its 2x2 blocks:

# %%
a = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 1]], dtype=float)  # (4, 4)
blocks = a.reshape(2, 2, 2, 2)  # (block row, row in block, block column, column in block)
by_hand_max, by_hand_mean = blocks.max(axis=(1, 3)), blocks.mean(axis=(1, 3))  # (2, 2) each

max_pool, avg_pool = gone.MaxPool2D(2), gone.AvgPool2D(2)
for pool in (max_pool, avg_pool):
    pool.build((1, 4, 4), np.float64)  # one channel of 4x4 -> (1, 2, 2); a network does this
pooled_max = max_pool.forward(a[None, :, :, None])[0, :, :, 0]  # (2, 2)
pooled_mean = avg_pool.forward(a[None, :, :, None])[0, :, :, 0]  # (2, 2)
print(a)
print("max of each 2x2:", pooled_max.tolist(), " mean:", pooled_mean.tolist())
assert np.array_equal(pooled_max, by_hand_max) and pooled_max.tolist() == [[4, 5], [6, 3]]
assert np.array_equal(pooled_mean, by_hand_mean) and pooled_mean.tolist() == [
    [2.5, 2],
    [2.25, 1.75],
]

# %% [markdown]
# Backward, a pooling layer hands each window's gradient down to the pixels that made its
# value. A mean is made by all four, a quarter each. A max is made by one pixel only: nudge any
# other pixel of the window a little and the max does not change, so its gradient is 0, and the
# whole gradient **goes to the maximum**. With a gradient of 1 on every output:

# %%
routed_max = max_pool.backward(np.ones((1, 2, 2, 1)))[0, :, :, 0]  # (4, 4)
routed_mean = avg_pool.backward(np.ones((1, 2, 2, 1)))[0, :, :, 0]  # (4, 4)
print("max pooling's gradient:")
print(routed_max)
print("average pooling's gradient:")
print(routed_mean)
assert np.array_equal(routed_max, (a == np.kron(pooled_max, np.ones((2, 2)))).astype(float))
assert routed_max.sum() == 4 and np.all(routed_mean == 0.25)

# %% [markdown]
# Each 1 sits on the 4, the 5, the 6 and the 3. (When a window's maximum appears twice, gone
# gives the gradient to the first in reading order, as PyTorch does.)
#
# Is the whole chain right, convolution, tanh, pooling, flatten, softmax? Lesson 1's gradient
# check answers it: every parameter nudged by `eps` both ways, the slope of the loss measured,
# and compared with backpropagation's gradient. A tiny network on random images:

# %%
rng = np.random.default_rng(0)
tiny_net = gone.NeuralNetwork(
    [
        gone.Input((2, 6, 6)),
        gone.Conv2D(3, 3, activation=gone.Tanh()),  # (3, 4, 4)
        gone.MaxPool2D(2),  # (3, 2, 2)
        gone.Conv2D(4, 2, padding=1, activation=gone.Tanh()),  # (4, 3, 3)
        gone.AvgPool2D(2, stride=1),  # (4, 2, 2): overlapping windows
        gone.Flatten(),  # 16
        gone.Layer(3, gone.Softmax()),
    ],
    loss=gone.CrossEntropy(),
    seed=0,
)
X_tiny = rng.normal(size=(5, 2, 6, 6))  # 5 random images of 2 channels
Y_tiny = gone.one_hot(rng.integers(0, 3, size=5), 3)  # (5, 3)
check = gone.gradient_check(tiny_net, (X_tiny, Y_tiny))
print(check)
assert check.max_error < 1e-7 and len(check.errors) == 6  # W0, b0, W1, b1, W2, b2

# %% [markdown]
# Relative errors between 1e-10 and 1e-8: finite differences and backpropagation agree to
# about as many digits as finite differences can resolve.
#
# ## 4. Why convolutions suit images
#
# ### Few weights
#
# A convolution's weights are its kernels and biases, `F*C*kh*kw + F`, whatever the image's
# size. A dense layer that made as many outputs from the same pixels would need a weight for
# every (output, pixel) pair:

# %%
print(f"{'input':<8} {'layer':<12} {'outputs':>8} {'conv weights':>13} {'dense weights':>14}")
for (C, H, W), (F, k, p) in [((1, 8, 8), (16, 3, 1)), ((1, 28, 28), (8, 5, 2))]:
    net = gone.NeuralNetwork(
        [gone.Input((C, H, W)), gone.Conv2D(F, k, padding=p), gone.Flatten()]
        + [gone.Layer(10, gone.Softmax())],
        loss=gone.CrossEntropy(),
    )
    conv = net.layers[1]
    conv_count = conv.W.size + conv.b.size
    outputs = np.prod(conv.output_shape)  # F * H * W: the padding keeps the size
    dense_count = C * H * W * outputs + outputs  # W (outputs, pixels) and b (outputs, 1)
    shape, kind = f"{C}x{H}x{W}", f"{F}@{k}x{k} pad {p}"
    print(f"{shape:<8} {kind:<12} {outputs:>8,} {conv_count:>13,} {dense_count:>14,}")
    assert conv_count == F * C * k * k + F
assert (conv_count, dense_count) == (208, 4_923_520)  # MNIST: 8@5x5, as the README's LeNet

# %% [markdown]
# ### A dense layer with shared weights
#
# A convolution *is* a dense layer, with most weights fixed at 0 and the others tied together.
# Give a layer of one random 3x3 filter a batch of the 64 images that have a single pixel of
# ink each. Its answer, (1, 8, 8, 64) with the samples last, read as (64, 64), has one column
# per pixel: it is the (64 outputs, 64 pixels) weight matrix of the dense layer that computes
# the same thing.

# %%
net = gone.NeuralNetwork(
    [gone.Input((1, 8, 8)), gone.Conv2D(1, 3, padding=1), gone.Flatten()]
    + [gone.Layer(10, gone.Softmax())],
    loss=gone.CrossEntropy(),
    seed=2,
)
conv = net.layers[1]  # W (1, 1, 3, 3): one kernel, drawn at random
conv.b[...] = 0
pixels = np.eye(64).reshape(64, 1, 8, 8)  # (64, 1, 8, 8): image j has pixel j at 1, the rest 0
D = conv.forward(np.moveaxis(pixels, 0, -1)).reshape(64, 64)  # (1, 8, 8, 64) -> (64, 64)
x = digit.ravel()  # (64,) the 0, as lesson 2's dense networks see it
assert np.allclose(D @ x, conv.forward(digit[None, :, :, None]).ravel())
nonzero = np.count_nonzero(D)
print(f"the dense matrix {D.shape}: {nonzero} of {D.size} weights nonzero ({nonzero / D.size:.0%})")
print(f"distinct values among them: {len(np.unique(D[D != 0]))}, the kernel's 9")
assert nonzero == 22 * 22 and len(np.unique(D[D != 0])) == 9
gp.plot_images(
    [D],
    titles=["a 3x3 convolution of 8x8 images as a (64, 64) matrix"],
    symmetric=True,
    figure=Figure(figsize=(5, 4.2), layout="constrained"),
)

# %% [markdown]
# Row `i` holds output pixel `i`'s weights: 9 of them at most (fewer at the border, where the
# window covers padding), the same 9 numbers in every row, shifted along. The three bands of
# three diagonals are the kernel's three rows: a row of the kernel covers three neighbouring
# pixels, and the next row of the kernel the three pixels 8 further on, a row of the image
# below; the bands break every 8 rows, at the image's left and right borders. That structure
# is what a convolution assumes about images: what matters is nearby, and what matters here
# matters anywhere.
#
# ### Shifted input, shifted output
#
# So a convolution of a shifted image is the shifted convolution: slide the digit one pixel to
# the right and its feature map slides with it. A dense layer with random weights of its own
# (all 64 x 64 of them free) answers the shifted digit with something unrelated:

# %%
assert not digit[:, 7].any()  # the 0's last column is blank: nothing falls off the edge
shifted = np.roll(digit, 1, axis=1)  # (8, 8) one pixel to the right
before = conv.forward(digit[None, :, :, None])[0, :, :, 0]  # (8, 8) the map
after = conv.forward(shifted[None, :, :, None])[0, :, :, 0]  # (8, 8) the shifted digit's map
conv_gap = np.abs(after[:, 1:] - before[:, :-1]).max()  # after, against before moved right
dense = np.random.default_rng(1).normal(0, 1 / 8, size=(64, 64))  # a free dense layer
d_before, d_after = (dense @ digit.ravel()).reshape(8, 8), (dense @ shifted.ravel()).reshape(8, 8)
dense_gap = np.abs(d_after[:, 1:] - d_before[:, :-1]).max()
print(
    f"conv : largest difference between the shifted digit's map and the map shifted {conv_gap:.1e}"
)
print(f"dense: the same, for a dense layer's 64 outputs read as 8x8 {dense_gap:.2f}")
print(f"       (its outputs are {np.abs(d_before).mean():.2f} in size on average)")
assert conv_gap < 1e-12 and dense_gap > np.abs(d_before).mean()

# %% [markdown]
# The convolution's maps agree to the last bit; a dense layer's outputs have no positions to
# move, and its answer for the shifted digit has to be learned separately. A network of
# convolutions learns a stroke once and finds it anywhere. (The dense layer at the end of a
# CNN still sees where things are; part 5 measures what that costs.)
#
# ## 5. A small CNN against an MLP
#
# Lesson 2's split: 80% of the digits to learn from and 20% for the test, the 80% again cut
# into train and validation. The CNN: 16 3x3 filters (padding 1, so the maps stay 8x8),
# batch norm then ReLU, 2x2 max pooling to 16 maps of 4x4, dropout, and a dense softmax layer
# on the 256 pooled values. The MLP: 64 pixels, 36 ReLU units, 10 softmax outputs, which makes
# about as many weights. Both start from He's initialization and train with Adam for 30 epochs
# of batches of 32, from the same seed.

# %%
data = gone.DataSet.from_arrays(images, gone.one_hot(labels, 10))  # inputs (1797, 1, 8, 8)
learn, test = data.split(0.8, seed=0)
train, val = learn.split(0.8, seed=1)


def flat(part):
    """The same digits as lesson 2's rows of 64 pixels, for the MLP."""
    return gone.DataSet.from_arrays(part.inputs.reshape(len(part), 64), part.targets)


def new_cnn(seed):
    return gone.NeuralNetwork(
        [
            gone.Input((1, 8, 8)),
            gone.Conv2D(16, 3, padding=1),  # (16, 8, 8); no activation: the batch norm's ReLU
            gone.BatchNorm(activation=gone.ReLU()),  # (16, 8, 8), normalized per channel
            gone.MaxPool2D(2),  # (16, 4, 4)
            gone.Flatten(),  # 256
            gone.Dropout(0.25),  # training only
            gone.Layer(10, gone.Softmax()),
        ],
        loss=gone.CrossEntropy(),
        learning_rate=0.003,
        seed=seed,
        initializer=gone.He(),
    )


def new_mlp(seed):
    return gone.NeuralNetwork(
        [gone.Layer(64), gone.Layer(36, gone.ReLU()), gone.Layer(10, gone.Softmax())],
        loss=gone.CrossEntropy(),
        learning_rate=0.003,
        seed=seed,
        initializer=gone.He(),
    )


cnn, mlp = new_cnn(0), new_mlp(0)
print(cnn)
print(f"\nMLP 64-36-10: {mlp.parameter_count} parameters")
assert (len(train), len(val), len(test)) == (1150, 288, 359)
assert cnn.parameter_count == 160 + 32 + 2570 == 2762 and mlp.parameter_count == 2710

# %% [markdown]
# Of the CNN's 2,762 parameters only 160 are the convolution's; the final dense layer has
# 2,570. The MLP spends 2,340 of its 2,710 on the first layer's weights, one per (unit, pixel).

# %%
epochs, optimizer = 30, lambda: gone.Adam(batch_size=32)
start = time.perf_counter()
cnn_history = cnn.train(optimizer(), train, epochs, validation=val)
cnn_seconds = time.perf_counter() - start
start = time.perf_counter()
mlp_history = mlp.train(optimizer(), flat(train), epochs, validation=flat(val))
mlp_seconds = time.perf_counter() - start
cnn_test, mlp_test = cnn.evaluate(test), mlp.evaluate(flat(test))
print(f"CNN: {cnn_seconds:.1f} s, test accuracy {cnn_test.accuracy:.4f}, loss {cnn_test.loss:.3f}")
print(f"MLP: {mlp_seconds:.1f} s, test accuracy {mlp_test.accuracy:.4f}, loss {mlp_test.loss:.3f}")
assert cnn_test.accuracy >= 0.985 and mlp_test.accuracy >= 0.97
assert cnn_test.accuracy > mlp_test.accuracy and cnn_test.loss < mlp_test.loss


# %%
def side_by_side(histories: dict) -> Figure:
    """The learning curves of several trainings, one panel each, titled by the dict's keys."""
    figure = Figure(figsize=(11, 3.8), layout="constrained")
    panels = figure.subplots(1, len(histories), sharey=True)
    for ax, (title, history) in zip(panels, histories.items()):
        gp.plot_history(history, ax=ax)
        ax.set_title(title, pad=30)  # above plot_history's legend
    return figure


side_by_side({"CNN, 2,762 parameters": cnn_history, "MLP 64-36-10, 2,710 parameters": mlp_history})

# %%
for name, history in (("CNN", cnn_history), ("MLP", mlp_history)):
    print(
        f"{name}: validation loss {history.val_loss[0]:.3f} after epoch 1, "
        f"{history.val_loss[9]:.3f} after 10, {history.val_loss[-1]:.3f} after {epochs}"
    )
assert cnn_history.val_loss[-1] < 0.5 * mlp_history.val_loss[-1]
assert all(c < m for c, m in zip(cnn_history.val_loss[4:], mlp_history.val_loss[4:]))

# %% [markdown]
# From the fifth epoch on the CNN's validation loss is below the MLP's, and it ends at less
# than half of it. One split and one seed could be luck, so two more seeds, on the same split:

# %%
for seed in (1, 2):
    other_cnn, other_mlp = new_cnn(seed), new_mlp(seed)
    other_cnn.train(optimizer(), train, epochs)
    other_mlp.train(optimizer(), flat(train), epochs)
    c, m = other_cnn.evaluate(test).accuracy, other_mlp.evaluate(flat(test)).accuracy
    ahead = round((c - m) * len(test))  # test digits
    print(f"seed {seed}: CNN {c:.4f}, MLP {m:.4f}: the CNN reads {ahead} more test digits right")
    assert c >= 0.985 and m >= 0.97 and c > m

# %% [markdown]
# With about the same number of weights the CNN is ahead at every seed, by a few of the 359
# test digits (one digit is 0.28 points; with seed 0 it was 6 ahead). Both are good: 8x8
# digits are small enough for a dense layer to see whole. The difference is in how the
# weights are spent.
#
# ### What the filters learned
#
# The 16 trained kernels, each a (1, 3, 3) slice of `W`, red positive and blue negative:

# %%
kernels = cnn.layers[1].W[:, 0]  # (16, 3, 3)
gp.plot_images(kernels, titles=[str(f) for f in range(16)], columns=8, symmetric=True)

# %%
balance = kernels.sum(axis=(1, 2)) / np.abs(kernels).sum(axis=(1, 2))  # (16,) in [-1, 1]
print("sum of weights / sum of |weights|, per kernel:", balance.round(2))
print(f"Sobel's: {vertical.sum() / np.abs(vertical).sum():.0f}")
print(f"kernels whose weights mostly cancel (|ratio| < 0.5): {(np.abs(balance) < 0.5).sum()} of 16")
assert (np.abs(balance) < 0.5).sum() >= 12

# %% [markdown]
# They are not tidy Sobel kernels, but most are, like Sobel's, made of red and blue that
# nearly cancel: they answer *differences* of ink inside the window, an edge of some direction
# or a corner, and not the amount of ink. A kernel that sums to far from 0 (filter 1 here)
# measures ink, or paper. Here is what the 16 make of one test digit, after the batch norm and
# its ReLU: the maps that the pooling sees.

# %%
x = test.inputs[5:6]  # (1, 1, 8, 8) one test digit, a 7
A = np.moveaxis(x, 0, -1)  # (1, 8, 8, 1): samples last
for layer in cnn.layers[1:3]:  # Conv2D, then BatchNorm with its ReLU, in predict mode
    A = layer.forward(A)  # (16, 8, 8, 1)
feature_maps = A[..., 0]  # (16, 8, 8)
assert test.targets[5].argmax() == 7 and feature_maps.shape == (16, 8, 8)

titles = [str(f) for f in range(16)]
beside(x[0, 0], "the digit", feature_maps, titles, size=(11, 2.6), ratio=8, columns=8)

# %%
ink = x.ravel()  # (64,) the digit's pixels
with_ink = np.array([np.corrcoef(m.ravel(), ink)[0, 1] for m in feature_maps])  # (16,)
print("correlation of each map with the digit's ink:", with_ink.round(2))
A = np.moveaxis(test.inputs, 0, -1)  # (1, 8, 8, 359) every test digit
for layer in cnn.layers[1:3]:
    A = layer.forward(A)  # (16, 8, 8, 359)
on = (A > 0).mean(axis=(1, 2, 3))  # (16,) share of the pixels where each map is above 0
print(f"share of the test digits' pixels where a map is on: {on.min():.2f} to {on.max():.2f}")
assert with_ink[1] < -0.5 and balance[1] < -0.5  # filter 1: paper
assert on.min() > 0.25 and on.max() < 0.7

# %% [markdown]
# Every map is the digit seen through one kernel. Map 1, from the kernel of mostly negative
# weights, is bright where the digit is paper. The others light up along one side of the
# strokes: map 9 along the top edge of the 7's bar, maps 11 and 12 left of its stem, map 2
# right of it. Each map is on for roughly a third to a half of the pixels: the batch norm
# centres every channel on its mean, and the ReLU cuts away what falls below.
#
# ### Shifted digits
#
# Part 4 showed that a convolution's maps move with the image. Does the whole network cope
# with a digit moved by one pixel? These digits were all centred by their makers, so neither
# network has ever seen one off-centre:


# %%
def shift(X, dy, dx):
    """Images X (N, C, H, W) moved by dy rows and dx columns, zeros coming in."""
    moved = np.zeros_like(X)
    H, W = X.shape[-2:]
    moved[..., max(dy, 0) : H + min(dy, 0), max(dx, 0) : W + min(dx, 0)] = X[
        ..., max(-dy, 0) : H + min(-dy, 0), max(-dx, 0) : W + min(-dx, 0)
    ]
    return moved


true = test.targets.argmax(axis=1)  # (359,)
accuracy = {"CNN": [], "MLP": []}
for dy, dx in [(0, 1), (0, -1), (1, 0), (-1, 0)]:
    moved = shift(test.inputs, dy, dx)  # (359, 1, 8, 8)
    accuracy["CNN"].append((cnn.predict(moved).argmax(axis=1) == true).mean())
    accuracy["MLP"].append((mlp.predict(moved.reshape(-1, 64)).argmax(axis=1) == true).mean())
for name, scores in accuracy.items():
    print(f"{name}: right, left, down, up: {np.round(scores, 3)}, mean {np.mean(scores):.3f}")
assert all(c > m for c, m in zip(accuracy["CNN"], accuracy["MLP"]))
assert np.mean(accuracy["CNN"]) > np.mean(accuracy["MLP"]) + 0.1
assert max(accuracy["CNN"]) < 0.85  # and yet far below its 0.99 on centred digits

# %% [markdown]
# Both networks lose a lot: one pixel is an eighth of the image's width. The CNN loses less,
# in every direction, because its filters find the strokes wherever they are. What it does
# not have is invariance: the 2x2 pooling forgives a shift within a window, not across
# windows, and the dense layer at the end has a weight for every (map, position). Deeper
# networks pool several times, and the usual cure is to train on shifted copies of the
# images (*data augmentation*), as the digits example's MNIST preset does.
#
# ## 6. Batch norm and dropout: training is not predicting
#
# Two of the CNN's layers behave differently while it trains. **Dropout(0.25)** sets each
# value to 0 with probability 0.25 in training, so that no unit can rely on any single other
# one, and scales the rest by `1 / (1 - 0.25)` so that their sum stays the same on average;
# in `predict` and `evaluate` it passes everything through:

# %%
dropout = cnn.layers[5]  # the network's Dropout, which draws its masks from cnn.rng
features = np.ones((256, 1000))  # (features, samples) inside the network: 256,000 ones
trained, predicted = dropout.forward(features, training=True), dropout.forward(features)
for mode, out in (("training", trained), ("predict", predicted)):
    print(
        f"{mode:8}: {(out == 0).mean():.4f} zeroed, the rest {out.max():.4f}, mean {out.mean():.4f}"
    )
assert abs((trained == 0).mean() - 0.25) < 0.005 and set(np.unique(trained)) == {0, 4 / 3}
assert abs(trained.mean() - 1) < 0.01 and np.array_equal(predicted, features)
assert np.array_equal(cnn.predict(test.inputs), cnn.predict(test.inputs))  # no randomness

# %% [markdown]
# **BatchNorm** normalizes each channel: it subtracts the channel's mean and divides by its
# standard deviation, then scales by a learned `gamma` and shifts by a learned `beta`. In
# training the mean and variance are the batch's own, over all its pixels and samples, and it
# keeps running averages of them; in `predict` it uses those running averages. So in training
# a digit's output depends on which other digits share its batch, and in `predict` it does not:

# %%
twin = cnn.copy()  # a twin: a training pass moves the running statistics, and cnn's stay
conv, norm = twin.layers[1], twin.layers[2]
batches = [test.inputs[[0, *range(1, 32)]], test.inputs[[0, *range(32, 63)]]]  # digit 0 + 31
Zs = [conv.forward(np.moveaxis(batch, 0, -1)) for batch in batches]  # (16, 8, 8, 32) each
predicted = [norm.forward(Z)[..., 0] for Z in Zs]  # digit 0's maps (16, 8, 8), predict mode
running = norm.running_mean.copy()  # (16, 1)
trained = [norm.forward(Z, training=True)[..., 0] for Z in Zs]  # with each batch's statistics
moved = np.abs(norm.running_mean - running).max()
for mode, (one, other) in (("predict", predicted), ("training", trained)):
    gap = np.abs(one - other).max()
    print(f"{mode:8}: digit 0's maps in the two batches differ by up to {gap:.3f}")
print(f"the two training passes moved the running means by up to {moved:.3f}")
assert np.abs(np.subtract(*trained)).max() > 0.1 and moved > 0
assert np.abs(np.subtract(*predicted)).max() < 1e-12

# %% [markdown]
# The running averages should be the statistics of the convolution's outputs over the training
# digits, which we can measure directly:

# %%
norm = cnn.layers[2]
Z = cnn.layers[1].forward(np.moveaxis(train.inputs, 0, -1))  # (16, 8, 8, 1150)
channels = Z.reshape(16, -1)  # (16, 8*8*1150): one row per channel
mean, std = channels.mean(axis=1), channels.std(axis=1)  # (16,) each
print("channel            ", np.arange(6))
print("running mean       ", norm.running_mean[:6, 0])
print("mean over train    ", mean[:6])
print("running std        ", np.sqrt(norm.running_var[:6, 0]))
print("std over train     ", std[:6])
gap = np.abs(norm.running_mean[:, 0] - mean) / std  # (16,) in standard deviations
print(f"largest gap between running and measured mean: {gap.max():.3f} standard deviations")
assert gap.max() < 0.05
assert np.allclose(np.sqrt(norm.running_var[:, 0]), std, rtol=0.05)

# %% [markdown]
# They match to a few hundredths of a standard deviation: the running averages follow the last
# ten or so batches (momentum 0.9), and the weights hardly moved during those batches at the
# end of training. With `activation=gone.ReLU()` the batch norm also applies the ReLU, so the
# network reads conv, norm, ReLU, the usual order.
#
# ## 7. Save, inspect, load
#
# A `.gone` file holds a CNN as it holds a dense network (lesson 2): every layer with its
# hyperparameters, the kernels and weights, the batch norm's running statistics, the optimizer
# with its state, and the history.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "cnn.gone"
    cnn.save(path)
    print(f"{path.name}: {path.stat().st_size:,} bytes")
    inspected = subprocess.run(
        [sys.executable, "-m", "gone", "inspect", str(path)], capture_output=True, text=True
    )
    print(inspected.stdout)
    loaded = gone.load(path)

assert inspected.returncode == 0 and "conv2d 16x8x8" in inspected.stdout
assert np.array_equal(loaded.predict(test.inputs), cnn.predict(test.inputs))  # bit for bit
assert np.array_equal(loaded.layers[2].running_var, cnn.layers[2].running_var)
assert loaded.layers[1:] == cnn.layers[1:] and len(loaded.history) == epochs
print(f"loaded: the same predictions on all {len(test)} test digits, bit for bit")

# %% [markdown]
# ## What we saw
#
# - A convolution slides a kernel over the image: each output is a sum of a window times the
#   kernel, `(H + 2p - k) // s + 1` positions along each side.
# - gone copies every window into a column of one matrix and computes all of them as one
#   product, `Z = W.reshape(F, K) @ cols + b`: about a hundred times faster than a loop, at the
#   price of the patches' memory.
# - Pooling keeps the largest (or the mean) value of each window; the gradient of a max goes
#   to the maximum alone. Backpropagation through all of it agrees with finite differences.
# - A convolution is a dense layer with a few weights shared across positions: far fewer
#   parameters, and maps that move with the image.
# - With the same number of weights, a small CNN beat an MLP on the digits, and coped better
#   with shifted ones, without becoming shift-invariant.
# - Dropout and batch norm act in training; in `predict` dropout is off and batch norm uses its
#   running statistics.
#
# ## Where to go from here
#
# The digits example trains a CNN from the command line (`--help` lists every flag):
#
# ```sh
# python -m examples.digits --model cnn                              # these 8x8 digits
# python -m examples.digits --model cnn --dataset mnist --data DIR   # real MNIST, 28x28
# ```
#
# - `--model cnn` stacks blocks of 3x3 convolutions with batch norm, each block ending in a 2x2
#   max pool, before the dense layers (`--hidden`, `--dropout`); `--dataset mnist --data DIR`
#   reads the four MNIST IDX files from `DIR` and downloads the missing ones, as in lesson 2.
#   On the 10,000-digit MNIST sample that CNN scores 0.986-0.9885 over five seeds in about a
#   minute and a half of training, where the example's MLP scores 0.976 (README, "Digits").
# - The README's "Images" section has the whole layer API, and a deeper network that reaches
#   0.983 on these digits; `gone/layers/` holds each layer's forward and backward side by side.
# - On a LeNet-like network for MNIST (two convolutions, two poolings, two dense layers),
#   gone trains at about 0.74x the speed of PyTorch on 2 cores, and 4x that of a minimal
#   numpy im2col loop: `python -m benchmarks.train_cnn` (numbers in the README).
