# %% [markdown]
# # Learning without gradients
#
# Backpropagation needs the derivative of the loss with respect to every weight. Sometimes
# there is none to take: a bird either clears a pipe or it does not, and "how many pipes"
# has no slope. A genetic algorithm needs only a score per network, its *fitness* (higher is
# better), and breeds:
#
# ```python
# fitness = evaluate(population)               # (P,) one number per network
# parents = select(fitness)                    # indices: fitter networks more often
# children = crossover(genes[mothers], genes[fathers])   # each gene from one parent
# mutate(children)                             # a few genes get a little noise
# population = best_few + children             # and again, from evaluate
# ```
#
# Evolving the weights of networks this way is called *neuroevolution*. Part 1 solves XOR
# with it, one operator at a time on real arrays; part 2 evolves a flock of Flappy Bird
# birds with the same machinery, headless, and saves the champion.

# %%
# %matplotlib inline
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import gone
import gone.plots as gp

np.set_printoptions(precision=3, suppress=True)
OUT = Path(tempfile.mkdtemp(prefix="gone-tutorial-03-"))  # every file this lesson writes

# %% [markdown]
# ## Part 1: XOR by a genetic algorithm
#
# ### A population is one matrix of genes
#
# `gone.Population(layers, P, seed=...)` holds P networks of one layout. It does not keep P
# network objects: it keeps all their numbers in one matrix with an individual per column,
# so that the whole population predicts with one `einsum` per layer, each weight's P values
# side by side in memory. `population.weights[l]` is a (P, n_{l+1}, n_l) view of that
# matrix, one network's weights per index of the first axis.

# %%
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2) the four cases
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,) their XOR

layers = [gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1, gone.Sigmoid())]
P = 50
population = gone.Population(layers, P, seed=1)

for l, (W, b) in enumerate(zip(population.weights, population.biases)):
    print(f"W[{l}] {W.shape}   b[{l}] {b.shape}")
print("genes", population.genes.shape, population.layout)

assert [W.shape for W in population.weights] == [(P, 4, 2), (P, 1, 4)]  # (P, n_{l+1}, n_l)
assert [b.shape for b in population.biases] == [(P, 4, 1), (P, 1, 1)]  # (P, n_{l+1}, 1)
assert population.genes.shape == (P, 17)  # (P, G): 8 + 4 + 4 + 1 numbers per network

# %% [markdown]
# The genetic operators see a network as one row of G *genes*: `W[0]` row by row, then
# `b[0]`, `W[1]`, `b[1]`. `population.layout` (a `GenomeLayout`) knows the shapes, and
# converts between the stacks and the (P, G) gene matrix (`layout.flatten`,
# `layout.unflatten`). Individual `population[i]` is an ordinary `NeuralNetwork`, and its
# parameters, laid end to end, are row i:

# %%
layout = population.layout


def gene_names(layout: gone.genetic.GenomeLayout) -> list[str]:
    """The name of every gene of a genome row: W0[row,col] ..., b0[row] ..., W1 ..."""
    names = []
    for l, (n_out, n_in) in enumerate(layout.weight_shapes):
        names += [f"W{l}[{r},{c}]" for r in range(n_out) for c in range(n_in)]
        names += [f"b{l}[{r}]" for r in range(n_out)]
    return names


NAMES = gene_names(layout)
network = population[0]
row = np.concatenate([p.ravel() for p in network.parameters()])  # (G,)
print(NAMES[:5], "...", NAMES[-5:])
print("population[0]'s parameters:", row[:5], "...")
print("population.genes[0]:        ", population.genes[0, :5], "...")
assert len(NAMES) == layout.size == 17
assert np.array_equal(row, population.genes[0])

# %% [markdown]
# ### Fitness: minus the error, for the whole population at once
#
# `population.predict(X[None])` gives every network the same four inputs, (1, 4, 2) in and
# (P, 4, 1) out. The fitness is minus the mean squared error, so 0 is perfect and higher is
# better:


# %%
def fitness(population: gone.Population) -> np.ndarray:
    """-MSE on the four XOR cases of every individual: (P,), higher is better."""
    outputs = population.predict(X[None])[:, :, 0]  # (P, 4): one einsum per layer
    return -np.mean((outputs - Y) ** 2, axis=1)  # (P,)


fitness0 = fitness(population)  # (P,)
one_by_one = [-np.mean((net.predict(X)[:, 0] - Y) ** 2) for net in population]
print(
    f"generation 0: best {fitness0.max():.4f}  mean {fitness0.mean():.4f}  "
    f"worst {fitness0.min():.4f}"
)
print(f"a network that always answers 0.5 scores {-np.mean((0.5 - Y) ** 2):.4f}")
assert fitness0.shape == (P,)
np.testing.assert_allclose(fitness0, one_by_one, rtol=1e-12)  # one call = P calls
assert fitness0.max() < -0.24  # nobody knows XOR yet

# %% [markdown]
# Fifty random networks, and the best of them is only as good as always answering 0.5.
# Breeding turns these 50 into the next 50 in four steps, which
# `population.next_generation` does:
#
# 1. **elitism**: the `elite` fittest networks go on unchanged;
# 2. **selection** draws parents, the fitter more often;
# 3. **crossover** makes each child from the genes of two parents;
# 4. **mutation** adds noise to a few of the children's genes.
#
# We take one generation through these steps by hand, with one random generator for the
# breeding (`breed`) and another for the experiments on the side (`lab`), and check at the
# end that the library breeds exactly the same children.

# %%
breed = np.random.default_rng(7)  # the draws of the generation we breed by hand
lab = np.random.default_rng(0)  # the draws of the experiments on the side
elite = 2
C = P - elite  # children to breed

# 1. elitism: the indices of the two fittest, best first
fittest = np.argsort(-fitness0, kind="stable")[:elite]  # (elite,)
print("elite:", fittest, fitness0[fittest])

# %% [markdown]
# ### Selection: who becomes a parent
#
# A selection scheme is a callable `(fitness, n, rng) -> indices`: n parents drawn with
# replacement, as an array of indices into the population. `gone.Tournament(k)` draws k
# networks at random and keeps the fittest of them, once per parent:
#
# ```python
# contestants = rng.integers(0, P, size=(n, k))                # (n, k)
# parents = contestants[range(n), fitness[contestants].argmax(axis=1)]   # (n,)
# ```
#
# `Tournament(1)` is a uniform draw, with no preference at all. The other schemes:
# `Rank()` weighs by rank, `Truncation(0.2)` draws from the best fifth only, `Roulette()`
# in proportion to the fitness (shifted so that the worst has weight 0). Measured on
# generation 0, 100,000 parents each:

# %%
schemes = {
    "Tournament(1), uniform": gone.Tournament(1),
    "Tournament(3)": gone.Tournament(3),
    "Tournament(10)": gone.Tournament(10),
    "Rank()": gone.Rank(),
    "Roulette()": gone.Roulette(),
    "Truncation(0.2)": gone.Truncation(0.2),
}
draws = 100_000
picks = {}  # scheme -> how many times each individual was drawn (P,)
mean_parent = {}
for name, select in schemes.items():
    parents = select(fitness0, draws, lab)  # (draws,) indices into the population
    picks[name] = np.bincount(parents, minlength=P)
    mean_parent[name] = fitness0[parents].mean()
    print(f"{name:23s} mean fitness of a parent {mean_parent[name]:.4f}")
print(f"{'the population':23s} mean fitness          {fitness0.mean():.4f}")

assert abs(mean_parent["Tournament(1), uniform"] - fitness0.mean()) < 0.001
assert mean_parent["Tournament(3)"] > mean_parent["Tournament(1), uniform"] + 0.02
assert mean_parent["Tournament(10)"] > mean_parent["Tournament(3)"]

by_rank = np.argsort(fitness0, kind="stable")  # (P,) worst first
children_per_rank = {name: counts[by_rank] / (draws / P) for name, counts in picks.items()}
tournament3, tournament10 = children_per_rank["Tournament(3)"], children_per_rank["Tournament(10)"]
print("expected children of the best, the median and the worst network:")
for name, expected in children_per_rank.items():
    print(f"{name:23s} {expected[-1]:5.2f} {expected[P // 2]:5.2f} {expected[0]:5.2f}")
assert 2.5 < tournament3[-1] < 3.2 and tournament3[0] < 0.05  # best about 3, worst about 0
assert 8.0 < tournament10[-1] < 10.0
assert np.all(children_per_rank["Truncation(0.2)"][:40] == 0)  # the worst 40 never breed
assert children_per_rank["Roulette()"][0] == 0  # the worst has weight fitness - min = 0

# %% [markdown]
# The same draws as a picture, the population sorted from worst to best. A uniform draw
# is flat (one child each); a tournament of 3 gives the best network about 3 children and
# the worst almost none, one of 10 gives the best about 9. That is the *selection
# pressure*: too little and evolution is a random walk, too much and the copies of a few
# networks fill the population before it has found anything (it loses its diversity).


# %%
def plot_children_per_rank(children_per_rank: dict) -> Figure:
    """One line per scheme: expected children (P,) of each individual, worst to best."""
    figure = Figure(figsize=(7, 3.6), layout="constrained")
    ax = figure.add_subplot()
    for name, expected in children_per_rank.items():
        ax.plot(np.arange(len(expected)), expected, label=name)
    ax.set(
        xlabel="individual of generation 0, from the worst (0) to the best (49)",
        ylabel="expected children per generation",
        yscale="log",
        ylim=(0.01, 30),
    )
    ax.legend(fontsize=8, ncol=2)
    return figure


plot_children_per_rank(children_per_rank)

# %% [markdown]
# Now the real draw of our generation: 2 parents per child, from a tournament of 3.

# %%
# 2. selection: C mothers and C fathers
parents = gone.Tournament(3)(fitness0, 2 * C, breed)  # (2C,)
mothers, fathers = parents[:C], parents[C:]  # (C,) each; couple i is (mothers[i], fathers[i])
print("couples:", list(zip(mothers[:6].tolist(), fathers[:6].tolist())), "...")

# %% [markdown]
# ### Crossover: a child from two parents
#
# A crossover is a callable `(A, B, layout, rng) -> children`, where A and B are the stacks
# of the first and second parents (`layout.unflatten` of their gene rows,
# `[W0 (C, 4, 2), b0 (C, 4, 1), W1 (C, 1, 4), b1 (C, 1, 1)]`); couple i is row i of both.
# `gone.UniformCrossover()` tosses a coin for every gene: `child = where(coin, A, B)`.

# %%
A = layout.unflatten(population.genes[mothers])  # [W0 (C, 4, 2), b0 (C, 4, 1), ...]
B = layout.unflatten(population.genes[fathers])
children = gone.UniformCrossover()(A, B, layout, breed)  # the same list of stacks, (C, ...)

genes_A, genes_B = layout.flatten(A), layout.flatten(B)  # (C, G) each
genes_child = layout.flatten(children)  # (C, G)
print(f"couple 0: mother {mothers[0]}, father {fathers[0]}")
print(f"{'gene':>8s} {'mother':>7s} {'father':>7s} {'child':>7s}  from")
for g in range(8):
    a, b, c = genes_A[0, g], genes_B[0, g], genes_child[0, g]
    print(f"{NAMES[g]:>8s} {a:7.3f} {b:7.3f} {c:7.3f}  {'mother' if c == a else 'father'}")


def origins(child, a, b) -> str:
    """One letter per gene: M from the mother, F from the father, = where they agree."""
    return "".join("=" if x == y else ("M" if c == x else "F") for c, x, y in zip(child, a, b))


for i in range(4):
    print(f"couple {i}: {origins(genes_child[i], genes_A[i], genes_B[i])}")

# Gene by gene: every child gene is its mother's or its father's, never anything else.
assert np.all((genes_child == genes_A) | (genes_child == genes_B))
differ = genes_A != genes_B  # (C, G) where the coin matters
share = np.mean(genes_child[differ] == genes_A[differ])
print(f"genes from the mother: {share:.3f} of {differ.sum()} that differ")
assert abs(share - 0.5) < 0.1

# %% [markdown]
# `gone.SinglePointCrossover()` keeps whole layers together instead: layers before a random
# cut come from the first parent, the rest from the second, a layer's `W` and `b` always
# together. Our network has L = 2 weight layers, so there is only one place to cut: layer 0
# (12 genes) from the mother, layer 1 (5 genes) from the father, in every child.

# %%
single = layout.flatten(gone.SinglePointCrossover()(A, B, layout, lab))  # (C, G)
for i in range(4):
    print(f"couple {i}: {origins(single[i], genes_A[i], genes_B[i])}")
assert np.array_equal(single[:, :12], genes_A[:, :12])  # W0 and b0: 4 * 2 + 4 genes
assert np.array_equal(single[:, 12:], genes_B[:, 12:])  # W1 and b1: 1 * 4 + 1 genes

# %% [markdown]
# Why cross over at all? Two parents that each got part of the problem right may have a
# child that gets both parts right. The catch for networks: swap two hidden nodes of a
# network (and their weights) and it computes the same function with its genes in another
# order, so two good parents may use different hidden nodes for the same job, and a child
# that mixes them can be worse than both. That is why the Flappy Bird run in part 2 breeds
# by mutation alone: measured over 30 seeds (examples/flappy/evolve.py), a bird reached 100
# pipes at a median generation of 5.5 without crossover and 10 with uniform crossover.
#
# ### Mutation: a little noise on a few genes
#
# A mutation is a callable `(stacks, rng)` that changes the stacks in place.
# `gone.GaussianMutation(rate, stddev)` picks each gene with probability `rate` and adds
# noise drawn from N(0, stddev²) to it:
#
# ```python
# mutated = rng.random(G) < rate          # (G,) which genes
# genes[mutated] += stddev * rng.standard_normal(mutated.sum())
# ```

# %%
mutation = gone.GaussianMutation(rate=0.1, stddev=0.5)
before = layout.flatten(children)  # (C, G), a copy
mutation(children, breed)  # 4. mutation, in place
after = layout.flatten(children)  # (C, G)

changed = after != before  # (C, G)
delta = (after - before)[changed]  # the noise that was added
print(f"{changed.sum()} of {changed.size} genes changed: {changed.mean():.3f}")
print(f"their noise: mean {delta.mean():+.3f}, standard deviation {delta.std():.3f}")
print(f"child 0 before: {before[0, :8]} ...")
print(f"child 0 after:  {after[0, :8]} ...")
print("child 0's mutated genes:", [NAMES[g] for g in np.flatnonzero(changed[0])])
assert changed.size == C * 17 == 816
assert abs(changed.mean() - 0.1) < 0.03  # rate 0.1: about a tenth of the genes
assert 0.4 < delta.std() < 0.6  # stddev 0.5

# %% [markdown]
# Mutation is the only step that makes gene values nobody had before; selection and
# crossover only choose among and reshuffle the existing ones. `rate` says how many genes
# move, `stddev` how far. On the left, every gene after against before: nine in ten stay
# on the diagonal. On the right, the moves of the others next to the normal curve they
# were drawn from.


# %%
def plot_mutation(before: np.ndarray, after: np.ndarray, stddev: float) -> Figure:
    """Genes after against before (any shape), and the changes next to N(0, stddev²)."""
    changed = after != before
    delta = (after - before)[changed]
    figure = Figure(figsize=(8, 3.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.scatter(before[~changed], after[~changed], s=6, c="0.6", label="unchanged")
    left.scatter(before[changed], after[changed], s=10, c="C3", label="mutated")
    left.set(xlabel="gene before", ylabel="gene after", title=f"{before.size} genes")
    left.legend()
    right.hist(delta, bins=20, density=True, color="C3", alpha=0.7, label="mutated genes")
    z = np.linspace(-4 * stddev, 4 * stddev, 200)
    normal = np.exp(-0.5 * (z / stddev) ** 2) / (stddev * np.sqrt(2 * np.pi))
    right.plot(z, normal, "k", label=f"N(0, {stddev}²)")
    right.set(xlabel="after - before", ylabel="density")
    right.legend()
    return figure


plot_mutation(before, after, stddev=0.5)

# %% [markdown]
# ### The four steps are `next_generation`
#
# Put the elite in front of the 48 children and we have generation 1. The library's
# `population.next_generation`, given the same fitness, operators and seed, makes the very
# same 50 networks, bit for bit:

# %%
by_hand = np.concatenate([population.genes[fittest], after])  # (P, G): elite first
generation1 = population.next_generation(
    fitness0,
    selection=gone.Tournament(3),
    crossover=gone.UniformCrossover(),
    mutation=gone.GaussianMutation(rate=0.1, stddev=0.5),
    elite=2,
    seed=7,
)
fitness1 = fitness(generation1)
print(f"generation 0: best {fitness0.max():.4f}  mean {fitness0.mean():.4f}")
print(f"generation 1: best {fitness1.max():.4f}  mean {fitness1.mean():.4f}")
assert np.array_equal(generation1.genes, by_hand)
assert generation1.generation == 1
assert fitness1.max() >= fitness0.max()  # the elite carried the best over
assert fitness1.mean() > fitness0.mean()

# %% [markdown]
# ### `evolve`: the loop
#
# `gone.evolve(fitness, population, generations, ...)` repeats evaluate, report, breed,
# until `generations` generations have been bred or the best fitness reaches `target`, and
# leaves the last generation in `population`. `vectorized=True` says the fitness takes the
# whole population at once. The library prints nothing: `on_generation` receives a
# `GenerationRecord` per generation (`.generation`, `.best`, `.mean`, `.worst`, and
# `.fitness`, the (P,) array itself) and may record what it likes. We keep every fitness
# array, and the first generation whose best network answers all four cases on the right
# side of 0.5.

# %%
fitness_per_generation = []  # one (P,) array per generation
correct_at = []  # generations whose best network is right on all four cases


def record(r: gone.GenerationRecord) -> None:
    """Keep the generation's fitness; note it if its best network classifies XOR."""
    fitness_per_generation.append(r.fitness)
    answers = r.population.predict(X[None])[r.best_index, :, 0]  # (4,)
    if np.all((answers > 0.5) == Y):
        correct_at.append(r.generation)


started = time.perf_counter()
history = gone.evolve(
    fitness,
    population,
    300,
    vectorized=True,
    target=-0.01,  # MSE below 0.01: outputs within about 0.1 of the targets
    elite=2,
    selection=gone.Tournament(3),
    crossover=gone.UniformCrossover(),
    mutation=gone.GaussianMutation(rate=0.1, stddev=0.5),
    on_generation=record,
)
seconds = time.perf_counter() - started
print(f"{population.generation} generations in {seconds:.3f} s; {history}")
print(f"first generation whose best network answers XOR right: {correct_at[0]}")
best_by_generation = np.array([f.max() for f in fitness_per_generation])

assert population.generation == 66  # for seed 1: the target is reached at generation 66
assert len(fitness_per_generation) == 67  # generations 0 to 66, each reported once
assert history.best[-1] >= -0.01
assert np.array_equal(history.best, best_by_generation)
assert np.all(np.diff(history.best) >= 0)  # elitism: the best never gets worse
assert correct_at[0] == 37  # right on all four cases long before the target

# %% [markdown]
# The whole population, generation by generation: each column is one generation's 50
# fitness values, binned, darker where more networks are. The flat band at -0.25 is
# "answers 0.5 to everything"; the population climbs out of it behind its best networks,
# and mutation keeps a tail of worse children below them all the time.


# %%
def plot_fitness_distribution(fitness_per_generation: list, target: float, bins: int = 45):
    """A histogram of each generation's fitness (P,) as one column, with the best and mean."""
    F = np.array(fitness_per_generation)  # (generations, P)
    top = max(F.max(), target)
    edges = np.linspace(F.min(), top, bins + 1)  # (bins + 1,)
    counts = np.stack([np.histogram(f, bins=edges)[0] for f in F], axis=1)  # (bins, generations)
    figure = Figure(figsize=(8, 3.8), layout="constrained")
    ax = figure.add_subplot()
    image = ax.imshow(
        np.ma.masked_equal(counts, 0),  # empty bins stay white
        origin="lower",
        aspect="auto",
        cmap="viridis_r",
        extent=(-0.5, len(F) - 0.5, edges[0], edges[-1]),
    )
    ax.plot(F.max(axis=1), "C3", lw=1.5, label="best")
    ax.plot(F.mean(axis=1), "k--", lw=1, label="mean")
    ax.axhline(target, color="C3", lw=0.8, ls=":", label=f"target {target}")
    ax.set(xlabel="generation", ylabel="fitness", title=f"{F.shape[1]} networks per generation")
    ax.set_ylim(edges[0], top + 0.03 * (top - edges[0]))
    ax.legend(loc="lower right")
    figure.colorbar(image, ax=ax, label="networks")
    return figure


plot_fitness_distribution(fitness_per_generation, target=-0.01)

# %% [markdown]
# `population.history` (an `EvolutionHistory`) keeps the best, mean and worst of every
# generation; `gone.plots.plot_history` draws them:

# %%
gp.plot_history(population.history)

# %% [markdown]
# ### The champion
#
# `population.best()` is the fittest network of the last generation, as an ordinary
# `NeuralNetwork`: it predicts, saves and loads like any trained by backpropagation.

# %%
best = population.best()
answers = best.predict(X)[:, 0]  # (4,)
for x, y, a in zip(X, Y, answers):
    print(f"{x} -> {a:.3f}  (XOR {y:.0f})")
assert np.all((answers > 0.5) == Y)
assert np.max(np.abs(answers - Y)) < 0.2

# %% [markdown]
# Its network, evaluated on the input [1, 0]:

# %%
gp.plot_network(best, inputs=[1, 0], labels=["a", "b"], output_labels=["a xor b"])

# %% [markdown]
# ## Part 2: Flappy Bird, headless
#
# The same operators fly birds. `examples/flappy` splits the game into pure numpy physics
# (`physics.py`: every bird of the flock steps at once, no pygame), the evolution
# (`evolve.py`, headless) and the window (`render.py`, `app.py`), which we need for one
# picture only. The `examples` folder is not installed, only `gone` is (editable, from this
# checkout), so we put the checkout's root on the import path.

# %%
# examples/ is not installed: find the checkout that holds it, above gone's own files
# (gone is installed editable from it) or above the folder we run in.
starts = [Path(gone.__file__).resolve().parent, Path.cwd().resolve()]
ROOT = next(
    folder
    for start in starts
    for folder in (start, *start.parents)
    if (folder / "examples" / "flappy" / "evolve.py").is_file()
)
sys.path.insert(0, str(ROOT))

from examples.flappy.evolve import (  # noqa: E402
    MISS_FRAMES,
    Evolution,
    Flight,
    Settings,
    course_seed,
    fly,
    network_layers,
)
from examples.flappy.physics import OBSERVATION_NAMES, FlappyWorld  # noqa: E402

# %% [markdown]
# ### What a bird sees
#
# Each frame a bird sees five numbers, scaled to about [-1, 1] (heights: -1 is the ceiling,
# +1 the floor):
#
# | observation | meaning |
# | --- | --- |
# | height | where the bird is |
# | speed | its vertical speed: -0.9 just after a flap, +1 falling flat out |
# | pipe dx | how far ahead the next pipe is, in screen widths (negative: inside it) |
# | gap top, gap bottom | where the next pipe's gap is |
#
# Its network is 5-8-1 (tanh, then sigmoid) and it flaps when the output is above 0.5.
# Here is one bird that never flaps, falling from the start towards the first pipe:

# %%
world = FlappyWorld(1, seed=0)  # one bird, course 0
print(" frame " + "".join(f"{name:>11s}" for name in OBSERVATION_NAMES))
while world.alive[0]:
    if world.frame % 5 == 0:
        print(f"{world.frame:6d} " + "".join(f"{v:11.3f}" for v in world.observations()[0]))
    world.step(np.array([False]))  # (N,) flap or not, for each bird
print(f"without a flap it survives {world.frames[0]} frames, then hits the floor")
assert OBSERVATION_NAMES == ("height", "speed", "pipe dx", "gap top", "gap bottom")
assert not world.alive[0] and world.score[0] == 0

# %% [markdown]
# ### The fitness
#
# A flight scores every bird by how long it stayed alive, less a tie-breaker for how far it
# was from the centre of the gap on its last frame (`miss`, 0 in the centre):
#
# ```python
# fitness = frames_survived - MISS_FRAMES * miss      # (P,), MISS_FRAMES = 5
# ```
#
# Of two birds that crash on the same frame, the one that nearly made it ranks first.
# Pipes passed would be the natural score, but in generation 0 almost every bird passes
# none (see its mean score below), and selection would have nothing to choose by.
#
# `Evolution(Settings(...))` runs the loop of part 1 with that fitness: each generation
# flies a fresh course (so the champion must generalise rather than learn one course by
# heart), the flight stops when a bird passes `target_score` pipes, and breeding keeps 5
# elite birds and fills the rest with mutated winners of tournaments of 10, without
# crossover. `run_generation()` flies one generation and returns its `GenerationResult`.

# %%
settings = Settings(population=200, seed=0, target_score=100)
print(settings)
print(f"MISS_FRAMES = {MISS_FRAMES}")

evolution = Evolution(settings)
started = time.perf_counter()
for _ in range(30):  # a safety cap; seed 0 needs 7 generations
    result = evolution.run_generation()
    print(result.line())
    if result.best_score >= 100:
        break
seconds = time.perf_counter() - started
print(f"a bird passed 100 pipes at generation {result.generation}, in {seconds:.2f} s")

assert result.generation == 6  # for seed 0, as the README says
assert evolution.best_score == 100  # the flight stops at the target
assert len(evolution.results) == 7
assert [r.generation for r in evolution.results] == list(range(7))
assert evolution.results[0].mean_score < 0.05  # generation 0: hardly a bird passes a pipe

# %% [markdown]
# Seven generations of 200 birds: the first are random and hardly pass a pipe, and by
# generation 6 one bird passes 100. The mean stays low because every generation is mostly
# mutated children, many of which crash early; the log scale shows both curves:


# %%
def plot_scores(results: list, target: int) -> Figure:
    """Best and mean pipes passed per generation, from the GenerationResults of a run."""
    generations = [r.generation for r in results]
    figure = Figure(figsize=(7, 3.6), layout="constrained")
    ax = figure.add_subplot()
    ax.plot(generations, [r.best_score for r in results], "o-", label="best bird")
    ax.plot(generations, [r.mean_score for r in results], "s--", label="mean of the flock")
    ax.axhline(target, color="0.5", lw=0.8, ls=":", label=f"target: {target} pipes")
    ax.set(xlabel="generation", ylabel="pipes passed", yscale="log")
    ax.legend(loc="lower right")
    return figure


plot_scores(evolution.results, target=100)

# %% [markdown]
# ### The same run with `gone.evolve`
#
# `Evolution` breeds with `population.next_generation` itself, because the window advances
# it one frame at a time. Headless, the flight is just a vectorized fitness, and
# `gone.evolve` with the same operators breeds the very same birds:

# %%
scores = []  # best pipes passed, per generation


def flight_fitness(population: gone.Population) -> np.ndarray:
    """Fly the whole flock on its generation's course; (P,) fitness."""
    course = course_seed(settings.seed, population.generation)  # fresh for each generation
    flight = Flight(population, course, target_score=100).run()
    scores.append(int(flight.world.score.max()))
    return flight.fitness()  # (P,)


flock = gone.Population(network_layers(), 200, seed=0)  # Evolution's first generation
gone.evolve(
    flight_fitness,
    flock,
    6,
    vectorized=True,
    selection=gone.Tournament(10),
    crossover=None,
    mutation=gone.GaussianMutation(rate=0.1, stddev=0.5),
    elite=5,
)
print("best scores:", scores)
assert scores == [r.best_score for r in evolution.results]
assert np.array_equal(flock.genes, evolution.population.genes)  # the same 200 birds

# %% [markdown]
# ### The champion
#
# `evolution.champion` is the best bird of the best generation, a `NeuralNetwork`. Here it
# is deciding frame 60 of course 3, just inside the first pipe (pipe dx < 0): the five
# observations on the left, its output on the right (a flap if above 0.5).

# %%
champion = evolution.champion
print(champion.summary())
flight = Flight(gone.Population.from_networks([champion], seed=0), course=3)
for _ in range(60):
    flight.step()
observation = flight.observations[0]  # (5,) what it saw on its last frame
output = champion.predict(observation)  # (1,)
print(dict(zip(OBSERVATION_NAMES, observation.round(3).tolist())))
print(f"output {output[0]:.3f}: {'flap' if output[0] > 0.5 else 'no flap'}")
# The flight asked the same network, for all birds at once: equal up to the order in which
# the two ways add up a node's inputs (the last bit or two).
np.testing.assert_allclose(output, flight.outputs[0], rtol=0, atol=1e-15)
assert observation[2] < 0  # inside the pipe

# %%
gp.plot_network(champion, inputs=observation, labels=OBSERVATION_NAMES, output_labels=["flap?"])

# %% [markdown]
# ### Save it, load it, fly it again
#
# A champion is saved like any network. The reloaded one has the same weights bit for bit,
# so on a course that neither evolution nor this lesson has used it flies exactly as far.
# `fly(network, seed, max_score=...)` flies one bird until it crashes or reaches the cap;
# a cap of 200 is twice what the champion passed while it evolved.

# %%
path = OUT / "flappy-champion.gone"
champion.save(path)
reloaded = gone.load(path)

flown = fly(champion, seed=11, max_score=200)
flown_again = fly(reloaded, seed=11, max_score=200)
print(f"saved {path.name} ({path.stat().st_size} bytes)")
print(
    f"champion: {flown.score[0]} pipes in {flown.frame} frames, still flying: "
    f"{bool(flown.alive[0])}"
)
print(f"reloaded: {flown_again.score[0]} pipes in {flown_again.frame} frames")
for W, W_again in zip(champion.parameters(), reloaded.parameters()):
    assert np.array_equal(W, W_again)
assert flown.score[0] == flown_again.score[0] and flown.frame == flown_again.frame
assert flown.score[0] == 200 and flown.alive[0]  # still flying when the cap stopped it

# %% [markdown]
# ### One frame of the game
#
# The window's renderer (`examples/flappy/render.py`, pygame) only draws a state it is
# given, so it can draw onto a surface in memory with no window at all. Here is the last
# generation's flock, 200 birds, 150 frames into a course it has not seen; the red bird is
# bird 0, the best of the generation before, carried over by elitism.

# %%
os.environ["SDL_VIDEODRIVER"] = "dummy"  # before pygame is imported: never open a window
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
import pygame  # noqa: E402

from examples.flappy.render import Hud, Renderer  # noqa: E402

snapshot = Flight(evolution.population, course=5)
for _ in range(150):
    snapshot.step()
renderer = Renderer(snapshot.world.rules, panel_width=0)
canvas = pygame.Surface(renderer.size)
hud = Hud(
    generation=evolution.population.generation,
    alive=snapshot.world.n_alive,
    score=snapshot.world.pipes_passed,
    best_score=evolution.best_score,
    population=snapshot.population.size,
)
renderer.draw(canvas, snapshot.world, hud, highlight=0)
frame = pygame.surfarray.array3d(canvas).transpose(1, 0, 2)  # (height, width, RGB)
print(f"{snapshot.world.n_alive} of 200 birds alive after 150 frames, {hud.score} pipes passed")
assert frame.shape == (512, 288, 3)
assert snapshot.world.alive[0]  # the elite bird is still flying


def show_image(image: np.ndarray) -> Figure:
    """An (height, width, RGB) image at about its own size, without axes."""
    figure = Figure(figsize=(image.shape[1] / 90, image.shape[0] / 90), layout="constrained")
    ax = figure.add_subplot()
    ax.imshow(image)
    ax.set_axis_off()
    return figure


show_image(frame)

# %% [markdown]
# ## Watch it fly
#
# A window needs a display, so this lesson stays headless. On your own machine, from the
# root of the checkout:
#
# ```sh
# python -m examples.flappy                  # watch evolution; space: fast-forward, Esc: quit,
#                                            # S: save the bird on the panel (to out/ or --out)
# python -m examples.flappy --play PATH      # watch a saved bird, e.g. this lesson's champion
# python -m examples.flappy --play           # the committed champion, trained to 1,000 pipes
# python -m examples.flappy --headless --out PATH    # evolve without a window, save the champion
# python -m examples.flappy --play PATH --headless --seed 11 --max-score 200   # print its score
# ```
#
# The last one needs no display, so we can run it here on the champion we saved. The
# command line's `--seed` is the course, and it reports what `fly` reported above:

# %%
command = [sys.executable, "-m", "examples.flappy", "--play", str(path), "--headless"]
command += ["--seed", "11", "--max-score", "200"]
# Run from the lesson's folder, with the checkout on the path, so nothing lands in the checkout.
run = subprocess.run(
    command, cwd=OUT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True
)
print(run.stdout)
assert run.returncode == 0, run.stderr
summary = json.loads(run.stdout.strip().splitlines()[-1])  # its last line is a JSON summary
assert summary["score"] == flown.score[0] and summary["frames"] == flown.frame
print(f"to watch it in a window: python -m examples.flappy --play {path}")

# %% [markdown]
# ## What to take away
#
# - A genetic algorithm needs a score, not a gradient: evaluate, select, cross over,
#   mutate, repeat.
# - Selection decides who breeds (tournament size = pressure), crossover mixes two parents
#   gene by gene or layer by layer, mutation is the only source of new values; elitism
#   keeps the best, so the best fitness never drops.
# - A `Population` is one matrix of genes, so a fitness like `population.predict(X[None])`
#   and every breeding step are a few array operations for the whole population.
# - The same code solved XOR in 66 generations of 50 and flew a bird past 100 pipes in 7
#   generations of 200.
