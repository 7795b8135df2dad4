# %% [markdown]
# # Reading handwriting
#
# A network that reads handwritten digits, trained in well under a second, offline. On the way:
#
# 1. **The data**: what an 8x8 digit is, and how it becomes a row of 64 numbers.
# 2. **Train, validation, test**: why we hide two sets from the network.
# 3. **Softmax and cross-entropy**, worked by hand for one digit, and their gradient `p - y`.
# 4. **Epochs and batches**, then training with **early stopping**, and the learning curves.
# 5. **The test**: accuracy, a confusion matrix, and every digit it gets wrong, with how sure it
#    was.
# 6. **The first layer's weights** drawn as images, and what they do and do not show.
# 7. **Save, inspect, load**, and where to go next: real MNIST and a window to draw in.
#
# Every claim on this page is printed and asserted: if gone stops doing what the page says, the
# test suite fails.

# %%
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

import gone
import gone.plots as gp

# %% [markdown]
# ## 1. The data
#
# scikit-learn ships 1,797 handwritten digits from 43 people (the UCI "optical recognition of
# handwritten digits" set), so nothing is downloaded. Each digit was scanned as a 32x32
# black-and-white bitmap; then every 4x4 block was replaced by the number of inked pixels in
# it. So an image is 8x8 and a pixel is a count from 0 (paper) to 16 (all ink).

# %%
digits = load_digits()
images = digits.images  # (1797, 8, 8) ink counts 0..16
labels = digits.target  # (1797,) the digit that was written, 0..9
print("images", images.shape, " labels", labels.shape, " pixels", images.min(), "to", images.max())
print("digits of each class:", np.bincount(labels))
print(f"the first image, a {labels[0]}:")
print(images[0].astype(int))

assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
assert images.min() == 0 and images.max() == 16
assert np.bincount(labels).min() == 174 and np.bincount(labels).max() == 183  # no rare class

# %% [markdown]
# You can just about see the 0 in the numbers: a ring of high counts around a hollow middle.
#
# The network takes a flat row of numbers, so each image becomes one row of 64, read line by
# line. Dividing by 16 puts every input in [0, 1]: the starting weights are scaled for inputs of
# about that size, and raw counts would make the first layer's sums 16 times too large.

# %%
X = images.reshape(len(images), 64) / 16  # (1797, 64): row i is image i, line by line
assert X.shape == (1797, 64) and X.min() == 0.0 and X.max() == 1.0
assert np.array_equal(X[0].reshape(8, 8) * 16, images[0])  # a row folds back into its image

gp.plot_images(
    X[:30],
    image_shape=(8, 8),
    titles=[str(label) for label in labels[:30]],
)

# %% [markdown]
# At 8x8 a digit is a few blobs of ink. Most are easy to read; some (the 8 and the 9 of the
# second row) take a second look.
#
# A classifier with 10 outputs learns from targets with 10 columns: the **one-hot** row of a
# label has a 1 in that label's column and 0 everywhere else.

# %%
print(gone.one_hot([0, 3], 10))
Y = gone.one_hot(labels, 10)  # (1797, 10)
assert Y.shape == (1797, 10) and np.array_equal(Y.argmax(axis=1), labels)

# %% [markdown]
# ## 2. Train, validation, test
#
# A network with enough weights can learn its training digits by heart, so its score on them
# says little about handwriting it has not seen. So we keep two sets out of training:
#
# - **validation** digits are scored after every epoch, to see whether the network still gets
#   better at digits it does not learn from, and to decide when to stop;
# - **test** digits are scored once, at the very end. The validation set has helped choose the
#   weights (we keep the epoch where it scored best), so its score flatters a little; the test
#   set has had no say in anything, so its score is the honest one.
#
# `split(fraction, seed=...)` shuffles with its seed and cuts: 80% to learn from and 20% for the
# test, then the 80% again into 80% train and 20% validation.

# %%
data = gone.DataSet.from_arrays(X, Y)  # inputs (1797, 64), targets (1797, 10)
learn, test = data.split(0.8, seed=0)
train, val = learn.split(0.8, seed=1)
print(f"train {len(train)}, validation {len(val)}, test {len(test)}")
assert (len(train), len(val), len(test)) == (1150, 288, 359)
assert train.inputs.shape == (1150, 64) and train.targets.shape == (1150, 10)

# %% [markdown]
# ## 3. The network, and what its output means
#
# 64 inputs (one per pixel), a hidden layer of 32 ReLU units and 10 softmax outputs, one per
# digit. The weights start random; `gone.He()` draws them from a normal distribution with a
# spread of `sqrt(2 / inputs)`, 0.18 for the 64 pixels (He et al. 2015), so that the ReLU layer
# starts neither silent nor too loud. The biases start at 0.


# %%
def new_network():
    """64 -> 32 ReLU -> 10 softmax, cross-entropy, He start; the same weights on every call."""
    return gone.NeuralNetwork(
        [gone.Layer(64), gone.Layer(32, gone.ReLU()), gone.Layer(10, gone.Softmax())],
        loss=gone.CrossEntropy(),
        learning_rate=0.003,
        seed=1,
        initializer=gone.He(),
    )


net = new_network()
print(net)
W0, b0, W1, b1 = net.parameters()  # (32, 64), (32, 1), (10, 32), (10, 1): the arrays themselves
assert (W0.shape, b0.shape, W1.shape, b1.shape) == ((32, 64), (32, 1), (10, 32), (10, 1))
assert net.parameter_count == 32 * 64 + 32 + 10 * 32 + 10 == 2410
assert abs(W0.std() - math.sqrt(2 / 64)) < 0.01 and not b0.any()

untrained = net.evaluate(test)
print(f"untrained: test accuracy {untrained.accuracy:.3f}, loss {untrained.loss:.3f}")
print(f"a uniform guess: accuracy 0.1, loss -log(1/10) = {math.log(10):.3f}")
assert untrained.accuracy < 0.25 and untrained.loss > math.log(10)

# %% [markdown]
# Untrained, it does about as well as guessing, and its loss is worse than the 2.303 of a
# uniform guess: random weights make it confidently random.
#
# ### Softmax, by hand
#
# Here is what `net.predict` computes for one test digit. The last layer gives 10 **scores**
# `z`, of any size and sign. Softmax turns them into probabilities: `exp` makes them all positive
# and keeps their order, dividing by the sum makes them add up to 1. Subtracting `max(z)` first
# leaves the result unchanged and keeps `exp` from overflowing.

# %%
x, y = test.inputs[0], test.targets[0]  # (64,) pixels, (10,) one-hot
h = np.maximum(W0 @ x + b0[:, 0], 0)  # (32,) hidden layer: ReLU(W0 x + b0)
z = W1 @ h + b1[:, 0]  # (10,) scores
p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()  # (10,) softmax
print("scores       ", z.round(2))
print("probabilities", p.round(3), " sum", p.sum().round(12))
assert np.allclose(p, net.predict(x)) and np.isclose(p.sum(), 1)

# %% [markdown]
# ### Cross-entropy
#
# The loss on one digit is `-log(p[true digit])`: all that counts is the probability given to
# the right answer. A sure right answer costs almost nothing; a sure wrong one costs a lot, with
# no upper limit:

# %%
for p_true in (0.99, 0.9, 0.5, 0.1, 0.01):
    print(f"p(true digit) = {p_true:<4}  loss = {-math.log(p_true):.3f}")

probabilities = net.predict(test.inputs)  # (359, 10)
mean_loss = -np.mean(np.log((probabilities * test.targets).sum(axis=1)))  # over the test set
print(f"this digit: p(true) = {p @ y:.3f}, loss {-np.log(p @ y):.3f}; test mean {mean_loss:.3f}")
assert np.isclose(mean_loss, net.evaluate(test).loss)  # gone's loss is this mean over samples

# %% [markdown]
# Why this pair? Because of its gradient. The slope of the loss with respect to the scores is
# simply `p - y`: raise the true digit's score by `1 - p[true]`, lower every other score by its
# probability. It is largest when the network is confidently wrong, exactly when it should learn
# most; squared error through a squashing output has a nearly flat slope there. Finite
# differences agree:


# %%
def cross_entropy(z, y):
    """-log softmax(z)[true digit], for scores z (10,) and a one-hot y (10,)."""
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    return -np.log(p @ y)


eps = 1e-6
numeric = np.array(
    [
        (cross_entropy(z + eps * e, y) - cross_entropy(z - eps * e, y)) / (2 * eps)
        for e in np.eye(10)
    ]
)  # (10,): nudge one score at a time
print("p - y    ", (p - y).round(6))
print("numerical", numeric.round(6))
assert np.allclose(numeric, p - y, atol=1e-8)

# %% [markdown]
# Backpropagation starts from this `p - y` (gone's `CrossEntropy` uses it directly when the
# output is `Softmax`) and carries it back through `W1`, the ReLU and `W0`, as tutorial 1 did
# by hand.
#
# ## 4. Epochs, batches, and training that knows when to stop
#
# An **epoch** is one pass over the training set: every training digit once, in a fresh random
# order. The digits go through in **batches**: 32 at a time travel through the network as one
# (64, 32) matrix, their gradients are averaged, and the optimizer takes one step. Small batches
# give many cheap, noisy steps per epoch; the whole set at once would give one smooth step.

# %%
batch_size = 32
steps = math.ceil(len(train) / batch_size)
last = len(train) - (steps - 1) * batch_size
print(f"{len(train)} digits / {batch_size} per batch = {steps} steps per epoch, the last of {last}")
assert (steps, last) == (36, 30)

# %% [markdown]
# The step is Adam's (Kingma & Ba 2015): each weight moves against a running average of its
# gradient, divided by a running average of the gradient's size, so every weight takes steps of
# about `learning_rate`, whether its gradients are large or tiny.
#
# We ask for up to 100 epochs and let `EarlyStopping(patience=10)` watch the validation loss:
# once 10 epochs in a row have not beaten the best so far, training stops and the network gets
# back the weights of its best epoch, with Adam's state from that epoch. `verbose=5` prints a row
# every 5 epochs, and a last line saying where training stopped.

# %%
W0_start, b0_start = W0.copy(), b0.copy()  # (32, 64), (32, 1) the start, to compare with later
stopping = gone.EarlyStopping(patience=10)
history = net.train(
    gone.Adam(batch_size=batch_size),
    train,
    100,
    validation=val,
    early_stopping=stopping,
    verbose=5,
)
best = stopping.best_epoch
print(f"stopped after {len(history)} of 100 epochs; the best validation loss was at epoch {best}")

assert len(history) < 100  # stopped early
assert best == int(np.argmin(history.val_loss)) + 1  # the epoch of the lowest validation loss
assert len(history) == best + stopping.patience  # then 10 epochs without a better one
assert net.evaluate(val).loss == history.val_loss[best - 1]  # its weights are back, exactly
assert net.optimizer.steps == best * steps  # 36 Adam steps per epoch, up to the best epoch

# %% [markdown]
# ### Learning curves

# %%
gp.plot_history(history, best_epoch=best)

# %%
for name, curve in (("training loss  ", history.loss), ("validation loss", history.val_loss)):
    print(
        f"{name}: epoch 1 {curve[0]:.3f}, epoch {best} {curve[best - 1]:.3f}, "
        f"epoch {len(history)} {curve[-1]:.3f}"
    )
assert history.loss[-1] < 0.7 * history.loss[best - 1]  # it kept learning the training digits...
assert history.val_loss[-1] > history.val_loss[best - 1]  # ... and no longer the others
assert abs(history.val_loss[best - 1] - 0.16) < 0.01

# %% [markdown]
# Both losses fall steeply for the first five epochs, then part. The training loss keeps
# falling, by more than a third after the best epoch; the validation loss levels off around
# 0.16 and then creeps up. From there on the network is learning these 1,150 particular digits
# rather than handwriting, which is what *overfitting* means. Early stopping kept the weights of
# the dotted epoch.
#
# ## 5. The test
#
# Now, once, the 359 digits kept aside from the start:

# %%
probabilities = net.predict(test.inputs)  # (359, 10)
predicted = probabilities.argmax(axis=1)  # (359,) the most probable digit
true = test.targets.argmax(axis=1)  # (359,)
right = predicted == true  # (359,) bools
scores = {
    name: net.evaluate(part) for name, part in (("train", train), ("val", val), ("test", test))
}
for name, result in scores.items():
    print(f"{name:5} accuracy {result.accuracy:.4f}, loss {result.loss:.4f}")
assert scores["test"].accuracy >= 0.96
assert scores["test"].accuracy == right.mean()
assert scores["train"].accuracy > scores["test"].accuracy  # it knows its own digits best
assert scores["val"].accuracy < scores["test"].accuracy

# %% [markdown]
# Here the validation digits came out harder than the test digits. Both are small samples of
# handwriting, and which digits land where is luck. The same network, trained the same way on
# five other splits, shows how much:

# %%
splits = []
for seed in range(2, 7):
    other_learn, other_test = data.split(0.8, seed=seed)
    other_train, other_val = other_learn.split(0.8, seed=seed + 1)
    other = new_network()
    other.train(
        gone.Adam(batch_size=batch_size),
        other_train,
        100,
        validation=other_val,
        early_stopping=gone.EarlyStopping(patience=10),
    )
    splits.append((other.evaluate(other_val).accuracy, other.evaluate(other_test).accuracy))
    print(f"split seed {seed}: validation {splits[-1][0]:.4f}, test {splits[-1][1]:.4f}")
tests = [test_accuracy for _, test_accuracy in splits]
print(f"test accuracy over the five: {min(tests):.3f} to {max(tests):.3f}")
assert min(tests) >= 0.94 and max(tests) - min(tests) >= 0.01
assert scores["test"].accuracy >= max(tests)  # ours is at the easy end

# %% [markdown]
# Our test set is at the easy end of that range. One test digit is 0.28 points of accuracy
# here, so two or three points between splits is ordinary: a score from a few hundred digits is
# good to about a point or two, and the third decimal means little.
#
# ### Which digits it confuses
#
# The confusion matrix counts, for every true digit (rows), what the network answered
# (columns). The diagonal holds the right answers; everything else is a mistake.

# %%
confusion = gp.confusion_matrix(true, predicted)  # (10, 10) counts
print(confusion)
assert confusion.shape == (10, 10) and confusion.sum() == len(test)
assert np.trace(confusion) == right.sum()
assert np.array_equal(confusion.sum(axis=1), np.bincount(true, minlength=10))

gp.plot_confusion_matrix(true, predicted)

# %%
pairs = [(t, p) for t, p in zip(*np.nonzero(confusion)) if t != p]  # (true, answer), each once
print(f"{(~right).sum()} mistakes:", ", ".join(f"a {t} read as {p}" for t, p in pairs))
assert (~right).sum() == 6 and len(pairs) == 6  # no confusion happens twice
assert (predicted[~right] == 8).sum() == 3

# %% [markdown]
# Six mistakes in six different cells: no pair of digits is confused twice, so nothing here is
# systematic yet, though three of the six answers are 8. Next, the digits themselves.

# %% [markdown]
# ### The digits it gets wrong
#
# Every mistake, titled with the true digit, the answer with its probability, and the second
# guess with its own:

# %%
wrong = np.flatnonzero(~right)  # (mistakes,) positions in the test set
ranked = np.argsort(-probabilities, axis=1)  # (359, 10) digits from most to least probable
top, second = ranked[:, 0], ranked[:, 1]  # (359,), (359,)
every = np.arange(len(test))  # (359,)
p_top, p_second = probabilities[every, top], probabilities[every, second]  # (359,), (359,)
titles = [
    f"{true[i]} as {top[i]} ({p_top[i]:.2f})\n2nd: {second[i]} ({p_second[i]:.2f})" for i in wrong
]
gp.plot_images(
    test.inputs[wrong], image_shape=(8, 8), titles=titles, title_colors=["red"] * len(wrong)
)

# %%
sure = p_top >= 0.9  # (359,) answers given with at least 90% probability
print(
    f"mean probability of the answer: {p_top[right].mean():.3f} when right, "
    f"{p_top[wrong].mean():.3f} when wrong"
)
print(
    f"the true digit was the second guess in {(second[wrong] == true[wrong]).sum()} "
    f"of {len(wrong)} mistakes"
)
print(
    f"answers with p >= 0.9: {sure.sum()}, wrong {(sure & ~right).sum()}; "
    f"answers with p < 0.9: {(~sure).sum()}, wrong {(~sure & ~right).sum()}"
)
assert p_top[wrong].mean() < p_top[right].mean() - 0.2
assert (second[wrong] == true[wrong]).sum() > len(wrong) / 2
assert not (sure & ~right).any()  # every answer given with p >= 0.9 was right
assert (~sure).sum() == 43

digit_ink = test.inputs.sum(axis=1)  # (359,) total ink of each test digit, out of 64
ones = wrong[true[wrong] == 1]  # the 1s it got wrong
class_ink = np.array([X[labels == c].sum(axis=1).mean() for c in range(10)])  # (10,) all 1,797
print(
    f"ink of the 1s read wrong: {digit_ink[ones].round(1)}, of the 1s read right: "
    f"{digit_ink[right & (true == 1)].mean():.1f} on average; test digits with as much: "
    f"{(digit_ink >= digit_ink[ones].min()).mean():.1%}"
)
print("mean ink of each digit, 0 to 9:", class_ink.round(1))
assert len(ones) == 2 and (digit_ink >= digit_ink[ones].min()).mean() <= 0.01  # the inkiest 1%
assert class_ink.argmax() == 8

# %% [markdown]
# What the mistakes have in common is doubt. The network gave its wrong answers much lower
# probabilities than its right ones, and in most of them the true digit was its second guess.
# Every answer it gave with 90% or more was right; all six mistakes are among the 43 answers
# below 90%. A probability is not a guarantee, but here a low one was a fair warning.
#
# They also share ink. The two 1s it missed are written so thickly that they are among the
# inkiest 1% of the test digits, and half of the wrong answers are 8, the digit with the most
# ink on average: a blot of ink looks more like an 8 than like a thin stroke.
#
# ## 6. What the first layer learned
#
# Row `i` of `W0` holds the 64 weights with which hidden unit `i` looks at the pixels:
# `z_i = W0[i] @ x + b0[i]`, then `h_i = max(z_i, 0)`. Drawn as an 8x8 image, a red (positive)
# weight adds that pixel's ink to `z_i`, a blue (negative) one subtracts it, a white one (near
# 0) ignores it. `net.weights[0]` is a
# matrigo Matrix over the network's own array; `.data` is that numpy array.

# %%
W0 = net.weights[0].data  # (32, 64) the trained first layer, a view (no copy)
assert np.shares_memory(W0, net.parameters()[0])
gp.plot_images(
    W0,
    image_shape=(8, 8),
    titles=[str(i) for i in range(32)],
    columns=8,
    symmetric=True,
)

# %% [markdown]
# None of them looks like a digit or a stroke. They are 32 weighted sums, each of which the
# output layer mixes into all ten scores, and each picture is still partly the noise it started
# from. Some are pale; those are units that hardly ever switch on:

# %%
H = np.maximum(train.inputs @ W0.T + net.parameters()[1][:, 0], 0)  # (1150, 32) hidden outputs
on = (H > 0).mean(axis=0)  # (32,) share of the training digits each unit is on for
silent = np.flatnonzero(on == 0)  # (dead units,)
H_start = np.maximum(train.inputs @ W0_start.T + b0_start[:, 0], 0)  # (1150, 32) untrained
born_silent = np.flatnonzero((H_start == 0).all(axis=0))  # off before training began
similarity = np.array([np.corrcoef(W0[i], W0_start[i])[0, 1] for i in range(32)])  # (32,)
print(f"units off for every training digit: {silent}; {32 - len(silent)} of 32 do the work")
print("  of which off from the start:", born_silent)
print(
    f"correlation of a unit's weights with its random start: {similarity[silent].min():.2f} "
    f"or more for those, {np.median(similarity[on > 0]):.2f} (median) for the others"
)
assert set(born_silent) <= set(silent) and len(born_silent) >= 1 and len(silent) == 5
assert all(np.array_equal(W0[i], W0_start[i]) for i in born_silent)  # never moved, bit for bit
assert similarity[silent].min() > 0.9 and np.median(similarity[on > 0]) < 0.7

# %% [markdown]
# A ReLU that is off passes no gradient back (its slope is 0), so a unit that is off for every
# training digit learns nothing: units that started off kept their random weights bit for bit;
# the others that are off now moved a little, then switched off. They are **dead** units: this
# network's 32 hidden units are really 27.
#
# The same reasoning works per pixel. The gradient of `W0` is `dZ @ X`, a sum over digits of
# each pixel's value, so a pixel that is blank in every training digit gives its weights nothing
# to learn from:

# %%
blank = np.flatnonzero((train.inputs == 0).all(axis=0))  # (4,) pixels no training digit inks
print("pixels blank in every training digit (row, column):", [divmod(int(j), 8) for j in blank])
assert np.array_equal(W0[:, blank], W0_start[:, blank])  # their weights: the random start
ink = (train.inputs > 0).mean(axis=0)  # (64,) share of the training digits with ink there
rare = (ink > 0) & (ink < 0.05)  # (64,) pixels inked in under 5% of the digits, not never
moved = np.abs(W0 - W0_start)[on > 0]  # (live units, 64) how far each weight went
moved_rare, moved_busy = moved[:, rare].mean(), moved[:, ink >= 0.05].mean()
print(
    f"{rare.sum()} pixels are inked in some but under 5% of the digits; the live units' "
    f"weights moved {moved_rare:.2f} on average on them, {moved_busy:.2f} on the other pixels"
)
assert moved_rare > 0.8 * moved_busy  # about as far

# %% [markdown]
# The top-left and bottom-left corners and both ends of row 4 (counting from 0) never have ink,
# and their weights are exactly the random start. They do no harm, since they multiply zeros,
# but they are noise in the pictures. The pixels that are *almost* never inked are noisy too,
# for another reason: Adam gives every weight steps of about the same size however rare its
# gradients are, so their weights moved about as far as those of the busy middle pixels, on the
# evidence of a handful of digits.
#
# **Weight decay** (`weight_decay=`, an L2 penalty on the weights) pulls every weight towards 0
# unless the data keeps pulling it back. The same network trained with it:

# %%
decayed = new_network()
decayed.train(
    gone.Adam(batch_size=batch_size),
    train,
    100,
    validation=val,
    early_stopping=gone.EarlyStopping(patience=10),
    weight_decay=1e-2,
)
W0_decayed = decayed.weights[0].data  # (32, 64)
gp.plot_images(
    W0_decayed,
    image_shape=(8, 8),
    titles=[str(i) for i in range(32)],
    columns=8,
    symmetric=True,
)


# %%
def share_on_rare(W):
    """The part of all the weights' size (sum of |w|) on pixels inked in under 5% of digits."""
    return np.abs(W[:, ink < 0.05]).sum() / np.abs(W).sum()


H_decayed = np.maximum(train.inputs @ W0_decayed.T + decayed.parameters()[1][:, 0], 0)
dead = np.flatnonzero((H_decayed == 0).all(axis=0))  # (dead units,)
print(
    f"share of |weights| on the {(ink < 0.05).sum()} pixels inked in under 5% of digits: "
    f"{share_on_rare(W0):.0%} without decay, {share_on_rare(W0_decayed):.0%} with"
)
print(f"dead units with decay: {dead}, their largest |weight| {np.abs(W0_decayed[dead]).max():.1e}")
print(
    f"test accuracy: {scores['test'].accuracy:.4f} without decay, "
    f"{decayed.evaluate(test).accuracy:.4f} with"
)
assert share_on_rare(W0_decayed) < share_on_rare(W0) / 10
assert dead.tolist() == [3, 29, 31] and np.abs(W0_decayed[dead]).max() < 1e-2
assert decayed.evaluate(test).accuracy >= 0.95

# %% [markdown]
# With decay the weights gather in the middle columns, where the digits have their ink, and the
# rarely inked edges go pale (their share of the weights falls more than tenfold). Each live unit
# is now a few patches of red and blue: it adds up the ink in some places and subtracts the ink
# in others. The dead units (3, 29 and 31) are wiped blank: decay pulled their unused weights
# to 0. The price is a slightly lower test accuracy on this small data set: decay trades a
# little fit for simpler weights.
#
# ## 7. Save, inspect, load
#
# A `.gone` file holds the layers, the weights, the loss, the optimizer with its state and the
# training history. `python -m gone inspect` describes one, and `gone.load` gives back the same
# network:

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "digits.gone"
    net.save(path)
    print(f"{path.name}: {path.stat().st_size:,} bytes")
    inspected = subprocess.run(
        [sys.executable, "-m", "gone", "inspect", str(path)], capture_output=True, text=True
    )
    print(inspected.stdout)
    loaded = gone.load(path)

assert inspected.returncode == 0 and "64 -> 32 relu -> 10 softmax" in inspected.stdout
assert f"{len(history)} epochs" in inspected.stdout
assert np.array_equal(loaded.predict(test.inputs), probabilities)  # bit for bit
assert all(np.array_equal(a, b) for a, b in zip(loaded.parameters(), net.parameters()))
print(f"loaded: the same predictions on all {len(test)} test digits, bit for bit")

# %% [markdown]
# The history in the file runs to the last epoch trained, while the weights (and the optimizer's
# state) are those of the best epoch, which early stopping restored.
#
# ## What we saw
#
# - An image is a row of numbers; a label is a one-hot row. Scale inputs to about [0, 1].
# - Softmax turns scores into probabilities; cross-entropy charges `-log p[true]`; together their
#   gradient on the scores is `p - y`.
# - An epoch visits every training digit once, in batches; each batch is one optimizer step.
# - The validation set tells when the network stops learning handwriting and starts learning
#   its training digits; early stopping keeps the best epoch. The test set is scored once.
# - The mistakes came with low probabilities. The first layer's pictures are weighted sums, not
#   digits: dead units and never-inked pixels keep their random start, and weight decay clears
#   what the data does not support.
#
# ## Where to go from here
#
# The digits example does all of this from the command line (`--help` lists every flag):
#
# ```sh
# python -m examples.digits                              # these 8x8 digits, a 64-128-64-10 net
# python -m examples.digits --patience 10 --weight-decay 1e-2   # this lesson's two ideas
# python -m examples.digits --dataset mnist --data DIR   # real MNIST, 28x28
# python -m examples.digits --draw                       # train, then draw digits yourself
# ```
#
# - Each run prints the epochs, the test accuracy and a confusion matrix, and saves the model
#   (`--out PATH`, by default `out/digits.gone`) with a PNG of its learning curves and test
#   digits. `--load PATH` evaluates a saved model instead of training one.
# - `--dataset mnist --data DIR` reads the four MNIST IDX files (gzip or raw) from `DIR` and
#   downloads the missing ones, checked by SHA-256 (`--no-download` forbids it). Its preset, a
#   784-512-256-10 network trained on copies of the images shifted at random by up to 2 pixels,
#   reached a test accuracy of 0.976 on a 10,000-digit sample of MNIST (8,000 digits to learn
#   from, 2,000 to test) in 10-25 s on 2 cores, as measured in the example's README.
# - `--draw` opens a pygame window once the model is trained (or loaded with `--load`): draw a
#   digit with the mouse and watch the ten probabilities move as you draw. It needs a display.
#
# Lesson 4, [Convolutions](04-convolutions.py), reads these digits as images, with convolutions.
