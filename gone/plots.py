"""Pictures for the tutorials: learning curves, decision boundaries, the network, confusion, images.

Every function returns a `matplotlib.figure.Figure` and draws nothing on screen and writes no
file: save it with `figure.savefig("name.png")`, or let Jupyter show it. Pass `ax=` (or `figure=`
for the image grid) to draw into a picture of your own; the function then returns that figure.

    import gone.plots as gp
    history = net.train(gone.SGD(), data, epochs=1500)
    gp.plot_history(history).savefig("history.png")
    gp.plot_decision_boundary(net, X, labels)
    gp.plot_network(net, inputs=[1, 0])

Why Figure and not pyplot: pyplot keeps a global list of open figures and may open a window.
A Figure with an Agg canvas lives only in memory, and in Jupyter a returned Figure is shown once,
as a PNG (pyplot does not know it, so it is not shown a second time at the end of the cell).

matplotlib is an optional dependency (`pip install "gone[examples]"`), imported by `_matplotlib()`
the first time a picture is drawn, so that `import gone` and `import gone.plots` need only numpy.
`confusion_matrix` is plain numpy and works without it.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from gone import backprop
from gone.activations import Sigmoid
from gone.errors import ConfigError, DataError, MissingDependencyError, ShapeError
from gone.history import History
from gone.layers import Layer
from gone.network import NeuralNetwork

if TYPE_CHECKING:  # for the annotations only: nothing of matplotlib is imported at run time here
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "MAX_DRAWN_NODES",
    "MissingDependencyError",
    "confusion_matrix",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_images",
    "plot_network",
]

#: plot_network refuses layers wider than this: 64 still fits the 8x8 digits' inputs in one
#: column; MNIST's 784 would be a grey smear (draw its first weights with plot_images instead).
MAX_DRAWN_NODES = 64

POSITIVE = "#1f5fbf"  # blue: a positive weight
NEGATIVE = "#d62728"  # red: a negative weight
# Blue below the threshold, red above it: the same two colours as class 0 and class 1 points.
DIVERGING = "RdBu_r"
ACTIVATION_COLORMAP = "viridis"  # node values: dark = low, yellow = high; no sign to confuse with
PIP_INSTALL = 'pip install "gone[examples]"'


def _matplotlib():
    """Import matplotlib on first use and return it, with the submodules this module uses loaded."""
    try:
        import matplotlib
        import matplotlib.axes
        import matplotlib.backends.backend_agg
        import matplotlib.collections
        import matplotlib.colors
        import matplotlib.figure
        import matplotlib.lines
        import matplotlib.ticker
    except ImportError as error:
        raise MissingDependencyError(
            f"gone.plots draws with matplotlib: expected it installed, got {error}; "
            f"install it with {PIP_INSTALL}"
        ) from error
    return matplotlib


def _new_figure(mpl, size: tuple[float, float]) -> Figure:
    """Return an empty Figure (width, height in inches) that draws into memory, never a window."""
    figure = _shown_figure_class(mpl)(figsize=size, layout="constrained")
    mpl.backends.backend_agg.FigureCanvasAgg(figure)  # attaches itself: figure.canvas
    return figure


@functools.cache
def _shown_figure_class(mpl) -> type:
    """A Figure that Jupyter shows as a PNG, whether or not matplotlib's display is switched on."""

    class ShownFigure(mpl.figure.Figure):
        def _repr_png_(self) -> bytes:
            # IPython asks any object for _repr_png_; with `%matplotlib inline` on, matplotlib's
            # own formatter for Figures answers first, so a figure is still shown once.
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", bbox_inches="tight")
            return buffer.getvalue()

    return ShownFigure


def _figure_and_axes(mpl, ax, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """Return the caller's Axes and its figure, or a new figure of `size` with one Axes."""
    if ax is None:
        figure = _new_figure(mpl, size)
        return figure, figure.add_subplot()
    if not isinstance(ax, mpl.axes.Axes):
        raise ConfigError(f"ax: expected a matplotlib Axes, got {type(ax).__name__}")
    return ax.figure, ax


# ---- learning curves ---------------------------------------------------------------------------


def plot_history(
    history, ax: Axes | None = None, *, log_loss: bool = False, best_epoch: int | None = None
) -> Figure:
    """Draw how learning went: loss per epoch for a History, fitness per generation for evolution.

    Parameters:
        history: a `gone.History` (what `net.train` returns, or `net.history` for all of a
            network's training) or a `gone.EvolutionHistory` (what `gone.evolve` returns).
        ax: a matplotlib Axes to draw into; by default a new figure.
        log_loss: a logarithmic loss axis, which shows the slow late epochs better (History only).
        best_epoch: draw a dotted line at this epoch, counted from 1 as the history's first epoch,
            e.g. `early_stopping.best_epoch` after training a fresh network (History only).

    For a History: training loss and, if there was validation data, validation loss; validation
    accuracy (classifiers) on a second y axis at the right. For an EvolutionHistory: best and
    mean fitness per generation (from 0) over a band that reaches down to the worst.

    Returns the figure drawn into.

    >>> gp.plot_history(net.train(gone.Adam(), train, 50, validation=val), log_loss=True)
    """
    from gone.genetic import EvolutionHistory  # local: the core never imports gone.genetic at load

    if isinstance(history, History):
        loss = _per_epoch(history.loss, "history.loss")
        val_loss = _per_epoch(history.val_loss, "history.val_loss", len(loss))
        val_accuracy = _per_epoch(history.val_accuracy, "history.val_accuracy", len(loss))
        if best_epoch is not None:
            _check_best_epoch(best_epoch, len(loss))
        mpl = _matplotlib()
        figure, ax = _figure_and_axes(mpl, ax, (6.4, 4.0))
        _draw_training(mpl, ax, loss, val_loss, val_accuracy, log_loss, best_epoch)
        return figure
    if isinstance(history, EvolutionHistory):
        for name, value in (("log_loss", log_loss), ("best_epoch", best_epoch)):
            if value not in (None, False):
                raise ConfigError(
                    f"{name}: expected it unset for an EvolutionHistory (fitness has no epochs "
                    f"or loss), got {value!r}"
                )
        best = _per_epoch(history.best, "history.best")
        mean = _per_epoch(history.mean, "history.mean", len(best))
        worst = _per_epoch(history.worst, "history.worst", len(best))
        mpl = _matplotlib()
        figure, ax = _figure_and_axes(mpl, ax, (6.4, 4.0))
        _draw_evolution(mpl, ax, best, mean, worst)
        return figure
    raise ConfigError(
        "history: expected a gone.History (from net.train) or a gone.EvolutionHistory "
        f"(from gone.evolve), got {type(history).__name__}"
    )


def _per_epoch(values, what: str, length: int | None = None) -> np.ndarray:
    """Return one float per epoch (NaN where a value is None, which matplotlib leaves as a gap).

    With `length` (the number of epochs) an empty list means absent: all NaN.
    """
    array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)  # (epochs,)
    if length is None and array.size == 0:
        raise DataError(f"{what}: expected at least one epoch or generation, got an empty history")
    if length is not None and array.size == 0:
        return np.full(length, np.nan)
    if length is not None and array.size != length:
        raise ShapeError(f"{what}: expected {length} values (one per epoch), got {array.size}")
    return array


def _check_best_epoch(best_epoch, epochs: int) -> None:
    """Refuse a best epoch that is not one of the history's epochs 1..epochs."""
    if isinstance(best_epoch, bool) or not isinstance(best_epoch, (int, np.integer)):
        raise ConfigError(f"best_epoch: expected an int, got {best_epoch!r}")
    if not 1 <= best_epoch <= epochs:
        raise ConfigError(
            f"best_epoch: expected an epoch in 1..{epochs} (counted from this history's first), "
            f"got {best_epoch}"
        )


def _draw_training(mpl, ax, loss, val_loss, val_accuracy, log_loss, best_epoch) -> None:
    """Loss curves on `ax`, validation accuracy on a twin y axis, one legend for both axes."""
    epochs = np.arange(1, loss.size + 1)  # (epochs,): epoch 1 is the first pass over the data
    marker = "." if loss.size <= 30 else None  # a few epochs: show where the points are
    ax.plot(epochs, loss, marker=marker, color="C0", label="training loss")
    if not np.isnan(val_loss).all():
        ax.plot(epochs, val_loss, marker=marker, color="C1", label="validation loss")
    if best_epoch is not None:
        ax.axvline(best_epoch, color="0.4", linestyle=":", label=f"best epoch ({best_epoch})")
    if log_loss:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (log scale)" if log_loss else "loss")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    axes = [ax]
    if not np.isnan(val_accuracy).all():
        # Accuracy is a fraction, loss is not: each gets its own scale, accuracy on the right.
        twin = ax.twinx()
        twin.plot(epochs, val_accuracy, marker=marker, color="C2", label="validation accuracy")
        twin.set_ylabel("validation accuracy", color="C2")
        twin.tick_params(axis="y", colors="C2")
        twin.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0))
        axes.append(twin)
    _legend_above(axes)


def _draw_evolution(mpl, ax, best, mean, worst) -> None:
    """Best and mean fitness as lines over a shaded band from the worst to the best."""
    generations = np.arange(best.size)  # (generations,): generation 0 is the first population
    marker = "." if best.size <= 30 else None
    ax.fill_between(generations, worst, best, color="C0", alpha=0.15, label="worst to best")
    ax.plot(generations, worst, color="C0", linewidth=0.8, alpha=0.6, label="worst")
    ax.plot(generations, mean, marker=marker, color="C1", label="mean")
    ax.plot(generations, best, marker=marker, color="C0", label="best")
    ax.set_xlabel("generation")
    ax.set_ylabel("fitness")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    _legend_above([ax])


def _legend_above(axes) -> None:
    """One legend for the lines of all `axes`, above the first, where it can cover no data."""
    handles = [h for a in axes for h in a.get_legend_handles_labels()[0]]
    axes[0].legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=min(len(handles), 4),
        frameon=False,
        fontsize="small",
    )


# ---- decision boundary ---------------------------------------------------------------------------


def plot_decision_boundary(
    net: NeuralNetwork,
    X,
    y,
    ax: Axes | None = None,
    resolution: int = 200,
    *,
    margin: float = 0.1,
    threshold: float = 0.5,
) -> Figure:
    """Draw what a 2-input classifier answers everywhere in the plane, under the samples.

    The network predicts once on a resolution x resolution grid that covers X plus `margin`
    (a fraction of X's extent) on every side. One output (Sigmoid, Identity, ...): its value in
    a blue-to-red colour scale centred on `threshold`, the line where it equals `threshold`
    (the decision boundary) and a colour bar. Several outputs (Softmax): each point of the plane
    takes the colour of its most likely class.

    Parameters:
        net: a NeuralNetwork with 2 inputs.
        X: (samples, 2) the points to draw.
        y: their targets: (samples,) class labels or values, (samples, 1) targets or
            (samples, classes) one-hot rows.
        ax: a matplotlib Axes to draw into; by default a new figure.
        resolution: grid points per axis.

    Returns the figure drawn into.

    >>> gp.plot_decision_boundary(xor_net, XOR_X, XOR_Y)
    """
    if not isinstance(net, NeuralNetwork):
        raise ConfigError(f"net: expected a gone.NeuralNetwork, got {type(net).__name__}")
    if net.n_inputs != 2:
        raise ShapeError(
            f"net: expected 2 inputs (the two axes of the plane), got {net.n_inputs} inputs"
        )
    X = _points(X)
    k = net.n_outputs
    targets = _targets(y, len(X), k)
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)):
        raise ConfigError(f"resolution: expected an int >= 2, got {resolution!r}")
    if resolution < 2:
        raise ConfigError(f"resolution: expected an int >= 2, got {resolution}")
    if not margin >= 0:
        raise ConfigError(f"margin: expected a fraction >= 0 of X's extent, got {margin}")

    gx, gy = _grid(X, resolution, margin)  # (R, R) each
    grid = np.column_stack([gx.ravel(), gy.ravel()])  # (R*R, 2): one row per point of the plane
    outputs = net.predict(grid)  # (R*R, k): all points in one batch, one matmul per layer

    mpl = _matplotlib()
    figure, ax = _figure_and_axes(mpl, ax, (6.0, 4.8))
    if k == 1:
        probability = isinstance(net.layers[-1].activation, Sigmoid)
        z = outputs[:, 0].reshape(gx.shape)  # (R, R)
        _draw_output(mpl, figure, ax, gx, gy, z, X, targets, threshold, probability)
    else:
        classes = outputs.argmax(axis=1).reshape(gx.shape)  # (R, R): the most likely class
        _draw_classes(mpl, ax, gx, gy, classes, X, targets, k)
    ax.set(xlim=(gx[0, 0], gx[0, -1]), ylim=(gy[0, 0], gy[-1, 0]), xlabel="x[0]", ylabel="x[1]")
    return figure


def _points(X) -> np.ndarray:
    """Return X as a (samples, 2) float array of finite numbers."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ShapeError(f"X: expected shape (samples, 2), got {X.shape}")
    if len(X) == 0:
        raise DataError("X: expected at least one sample, got 0")
    if not np.isfinite(X).all():
        raise DataError("X: expected finite numbers, got NaN or infinity")
    return X


def _targets(y, samples: int, k: int) -> np.ndarray:
    """Return y as one value per sample: (samples,) values for k == 1, else class labels 0..k-1."""
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != samples:
        raise ShapeError(f"y: expected {samples} targets (one per row of X), got shape {y.shape}")
    if k == 1:
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ShapeError(
                f"y: expected shape ({samples},) or ({samples}, 1) for 1 output, got {y.shape}"
            )
        return y.astype(np.float64)
    if y.ndim == 2 and y.shape[1] != k:
        raise ShapeError(
            f"y: expected ({samples},) labels or ({samples}, {k}) one-hot rows, got {y.shape}"
        )
    return _class_labels(y, "y", k)


def _grid(X, resolution: int, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the (R, R) x and y coordinates of a grid over X's bounding box plus the margin."""
    low, high = X.min(axis=0), X.max(axis=0)  # (2,) each
    extent = np.where(high > low, high - low, 1.0)  # one point or a line still gets an area
    low, high = low - margin * extent, high + margin * extent
    xs = np.linspace(low[0], high[0], resolution)  # (R,)
    ys = np.linspace(low[1], high[1], resolution)  # (R,)
    return np.meshgrid(xs, ys)  # row i holds y = ys[i]: (R, R) each


def _draw_output(mpl, figure, ax, gx, gy, z, X, targets, threshold, probability) -> None:
    """One output: its value as colour, its threshold line, the samples in the same colours."""
    if probability:
        norm = mpl.colors.Normalize(0.0, 1.0)  # a probability: the whole scale always
    else:
        # Centre the scale on the threshold, so white is the boundary and both sides look alike.
        reach = max(np.abs(z - threshold).max(), np.abs(targets - threshold).max(), 1e-9)
        norm = mpl.colors.Normalize(threshold - reach, threshold + reach)
    levels = np.linspace(norm.vmin, norm.vmax, 21)
    regions = ax.contourf(gx, gy, z, levels=levels, cmap=DIVERGING, norm=norm, alpha=0.6)
    if z.min() < threshold < z.max():  # else there is no boundary inside the picture
        ax.contour(gx, gy, z, levels=[threshold], colors="black", linewidths=1.5)
    ax.scatter(
        X[:, 0], X[:, 1], c=targets, cmap=DIVERGING, norm=norm, edgecolors="black", linewidths=0.8
    )
    label = "P(class 1)" if probability else "network output"
    colorbar = figure.colorbar(regions, ax=ax, label=f"{label}; line at {threshold:g}")
    colorbar.set_ticks(np.linspace(norm.vmin, norm.vmax, 5))


def _draw_classes(mpl, ax, gx, gy, classes, X, labels, k) -> None:
    """Several outputs: a region per class, the samples on top in their class's colour."""
    palette = _class_colors(mpl, k)  # (k, 4) RGBA
    # Levels halfway between the class numbers: region c is where argmax == c.
    ax.contourf(gx, gy, classes, levels=np.arange(k + 1) - 0.5, colors=palette, alpha=0.35)
    for c in range(k):  # one scatter per class (not per sample), so the legend names each
        points = X[labels == c]  # (samples of class c, 2)
        if len(points):
            style = {"edgecolors": "black", "linewidths": 0.8}
            ax.scatter(points[:, 0], points[:, 1], color=palette[c], label=f"class {c}", **style)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize="small")


def _class_colors(mpl, k: int) -> np.ndarray:
    """Return k distinct RGBA colours (k, 4): tab10 or tab20 while they last, then a spectrum."""
    if k <= 10:
        return mpl.colormaps["tab10"](np.arange(k))
    if k <= 20:
        return mpl.colormaps["tab20"](np.arange(k))
    return mpl.colormaps["turbo"](np.linspace(0.0, 1.0, k))


# ---- the network ---------------------------------------------------------------------------------


def plot_network(
    net: NeuralNetwork,
    inputs=None,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    *,
    output_labels: Sequence[str] | None = None,
) -> Figure:
    """Draw a dense network: nodes in columns, one line per weight, optionally one sample's values.

    Each weight `W[l][i, j]` is a line from node j of layer l to node i of layer l + 1: blue when
    positive, red when negative, wider and more opaque the larger |w| is relative to the largest
    |w| in the network (the strongest lines are drawn last, on top). With `inputs`, the network
    computes that sample and every node takes the colour of its value (colour bar "node
    activation"); the values are written beside the input and output nodes.

    Layers wider than MAX_DRAWN_NODES (64) nodes are refused: the 8x8 digits' 64 inputs are the
    most that stay legible in one column.

    Parameters:
        net: a NeuralNetwork of gone.Layer layers.
        inputs: (n_inputs,) one sample, or None for the weights only.
        ax: a matplotlib Axes to draw into; by default a new figure.
        labels: n_inputs names written beside the input nodes.
        output_labels: n_outputs names written beside the output nodes.

    Returns the figure drawn into.

    >>> gp.plot_network(xor_net, inputs=[1, 0], labels=["a", "b"], output_labels=["a xor b"])
    """
    if not isinstance(net, NeuralNetwork):
        raise ConfigError(f"net: expected a gone.NeuralNetwork, got {type(net).__name__}")
    for i, layer in enumerate(net.layers):
        if not isinstance(layer, Layer):
            raise ConfigError(
                f"net.layers[{i}]: expected a dense gone.Layer to draw, got {type(layer).__name__}"
            )
        if layer.nodes > MAX_DRAWN_NODES:
            raise ConfigError(
                f"net.layers[{i}]: expected at most {MAX_DRAWN_NODES} nodes to draw legibly, got "
                f"{layer.nodes}; a wide input layer reads better as images of its weights, e.g. "
                "plot_images(net.parameters()[0], image_shape=(28, 28), symmetric=True) for MNIST"
            )
    sizes = [layer.nodes for layer in net.layers]  # n_0 (inputs), n_1, ..., n_L (outputs)
    labels = _names(labels, sizes[0], "labels")
    output_labels = _names(output_labels, sizes[-1], "output_labels")
    parameters = net.parameters()  # W0 (n_1, n_0), b0 (n_1, 1), W1 (n_2, n_1), b1, ...
    weights, biases = parameters[0::2], parameters[1::2]
    values = None
    if inputs is not None:
        x = np.asarray(inputs, dtype=np.float64)
        if x.shape != (sizes[0],):
            raise ShapeError(f"inputs: expected shape ({sizes[0]},) (one sample), got {x.shape}")
        activations = [layer.activation for layer in net.layers[1:]]
        _, As = backprop.forward(weights, biases, activations, x[:, None])  # As[l] (n_l, 1)
        values = [A[:, 0] for A in As]  # values[l] (n_l,): every node's value for this sample

    mpl = _matplotlib()
    tallest = max(sizes)
    size = (min(max(2.2 * len(sizes) + 2.5, 6.0), 14.0), min(max(0.4 * tallest + 1.8, 3.5), 10.0))
    figure, ax = _figure_and_axes(mpl, ax, size)
    # Nodes are one unit apart, column l at x = l; half a unit of room around the tallest column.
    reach = (tallest - 1) / 2 + 0.5
    ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-reach, reach))
    spacing = _node_spacing_points(ax, 2 * reach)
    diameter = min(0.7 * spacing, 24.0)  # points: nodes never touch, nor grow huge in small nets
    widest = float(np.clip(diameter / 4, 1.0, 4.0))  # points: the line width of the largest |w|

    largest = _draw_edges(mpl, ax, sizes, weights, widest)
    _draw_nodes(mpl, figure, ax, sizes, values, diameter)
    fontsize = float(np.clip(0.8 * spacing, 5.0, 9.0))
    first, last = (None, None) if values is None else (values[0], values[-1])
    _write_beside(ax, 0, labels, first, -1, diameter, fontsize)
    _write_beside(ax, len(sizes) - 1, output_labels, last, 1, diameter, fontsize)
    # The captions are the x tick labels: matplotlib then keeps them clear of everything else.
    ax.set_xticks(
        range(len(sizes)), [_caption(l, len(sizes), layer) for l, layer in enumerate(net.layers)]
    )
    ax.tick_params(axis="x", length=0)
    ax.set_yticks([])
    ax.set_frame_on(False)
    _weight_legend(mpl, ax, largest, widest)
    return figure


def _names(names, count: int, what: str) -> list[str] | None:
    """Return the names as strings, one per node, or None when none were given."""
    if names is None:
        return None
    names = [str(name) for name in names]
    if len(names) != count:
        raise ShapeError(f"{what}: expected {count} names (one per node), got {len(names)}")
    return names


def _node_spacing_points(ax, units: float) -> float:
    """Return how many points (1/72 inch) one data unit of height is: the room for one node."""
    # Before layout the Axes has its provisional size; close enough for sizing markers.
    height_inches = ax.get_position().height * ax.figure.get_size_inches()[1]
    return 72.0 * height_inches / units


def _column(n: int) -> np.ndarray:
    """Return the y of n nodes one unit apart, top to bottom, centred on 0: (n,)."""
    return (n - 1) / 2 - np.arange(n)


def _draw_edges(mpl, ax, sizes, weights, widest: float) -> float:
    """Draw one line per weight, width and opacity by |w|, colour by sign; return the largest |w|."""
    segments, values = [], []
    for l, W in enumerate(weights):  # W (n_{l+1}, n_l): W[i, j] joins node j to node i
        n_out, n_in = W.shape
        ends = np.empty((n_out, n_in, 2, 2))  # (i, j, start/end, x/y)
        ends[:, :, 0, 0] = l
        ends[:, :, 0, 1] = _column(n_in)[None, :]  # starts at node j of layer l
        ends[:, :, 1, 0] = l + 1
        ends[:, :, 1, 1] = _column(n_out)[:, None]  # ends at node i of layer l + 1
        segments.append(ends.reshape(-1, 2, 2))  # (n_out * n_in, 2, 2), row-major like W
        values.append(np.asarray(W, dtype=np.float64).ravel())  # (n_out * n_in,)
    segments = np.concatenate(segments)  # (edges, 2, 2)
    w = np.concatenate(values)  # (edges,)
    largest = float(np.abs(w).max())
    strength = np.abs(w) / (largest or 1.0)  # (edges,) in [0, 1]: 1 for the largest |w|
    order = np.argsort(strength, kind="stable")  # weak first, so the strong lines end on top
    colors = np.where(
        (w >= 0)[:, None], mpl.colors.to_rgba(POSITIVE), mpl.colors.to_rgba(NEGATIVE)
    )  # (edges, 4)
    colors[:, 3] = 0.15 + 0.85 * strength  # weak weights fade, so the strong ones stand out
    lines = mpl.collections.LineCollection(
        segments[order],
        colors=colors[order],
        linewidths=_edge_width(strength[order], widest),
        zorder=1,
    )
    ax.add_collection(lines)
    return largest


def _edge_width(strength, widest: float):
    """Return line widths in points for |w| / max|w| in [0, 1]: thin but visible at 0."""
    return 0.3 + (widest - 0.3) * strength


def _draw_nodes(mpl, figure, ax, sizes, values, diameter: float):
    """Draw every node as a circle, coloured by its value if there are values; return the artist."""
    x = np.concatenate([np.full(n, l, dtype=np.float64) for l, n in enumerate(sizes)])  # (nodes,)
    y = np.concatenate([_column(n) for n in sizes])  # (nodes,)
    style = {"s": diameter**2, "edgecolors": "0.2", "linewidths": 0.8, "zorder": 2}
    if values is None:
        return ax.scatter(x, y, color="white", **style)
    v = np.concatenate(values)  # (nodes,)
    low, high = float(v.min()), float(v.max())
    if low == high:  # every node equal: any scale shows that, this one avoids dividing by 0
        low, high = low - 0.5, high + 0.5
    nodes = ax.scatter(x, y, c=v, cmap=ACTIVATION_COLORMAP, vmin=low, vmax=high, **style)
    figure.colorbar(nodes, ax=ax, label="node activation", shrink=0.7)
    return nodes


def _write_beside(ax, column: int, names, values, side: int, diameter, fontsize) -> None:
    """Write names and/or values to the left (side -1) or right (side 1) of one column's nodes."""
    if names is None and values is None:
        return
    n = len(names if values is None else values)
    for i, y in enumerate(_column(n)):
        parts = [] if names is None else [names[i]]
        if values is not None:
            parts.append(f"{values[i]:.2f}")
        ax.annotate(
            " = ".join(parts),
            (column, y),
            xytext=(side * (diameter / 2 + 4), 0),  # points: clear of the node's edge
            textcoords="offset points",
            ha="right" if side < 0 else "left",
            va="center",
            fontsize=fontsize,
        )


def _caption(l: int, layers: int, layer: Layer) -> str:
    """'input 2', 'hidden 4\\nsigmoid', 'output 1\\nid': what a column is."""
    if l == 0:
        return f"input {layer.nodes}"  # the input layer's activation is never applied
    kind = "output" if l == layers - 1 else "hidden"
    return f"{kind} {layer.nodes}\n{layer.activation.name}"


def _weight_legend(mpl, ax, largest: float, widest: float) -> None:
    """Explain the two edge scales (colour = sign, width = |w|) above the picture."""

    def line(color, strength, label):
        width = _edge_width(strength, widest)
        return mpl.lines.Line2D([], [], color=color, linewidth=width, label=label)

    handles = [
        line(POSITIVE, 1.0, "positive weight"),
        line(NEGATIVE, 1.0, "negative weight"),
        line("0.45", 1.0, f"|w| = {largest:.3g} (max)"),
        line("0.45", 0.5, f"|w| = {largest / 2:.3g}"),
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=4,
        frameon=False,
        fontsize="small",
        handlelength=2.5,
    )


# ---- confusion matrix ----------------------------------------------------------------------------


def confusion_matrix(labels, predictions, n_classes: int | None = None) -> np.ndarray:
    """Return the (k, k) int counts: row t, column p = how many samples of class t were called p.

    `labels` and `predictions` are (samples,) class numbers, or 2-D rows taken as their argmax
    (one-hot targets, softmax outputs) or, with one column, as class 1 where the value >= 0.5.
    So `confusion_matrix(y_test, net.predict(x_test))` works directly. `n_classes` defaults to
    the largest class seen + 1. Plain numpy: no matplotlib needed.

    >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    if n_classes is not None and (
        isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1
    ):
        raise ConfigError(f"n_classes: expected an int >= 1, got {n_classes!r}")
    true = _class_labels(labels, "labels", n_classes)  # (samples,)
    predicted = _class_labels(predictions, "predictions", n_classes)  # (samples,)
    if true.shape != predicted.shape:
        raise ShapeError(f"predictions: expected {true.size} (one per label), got {predicted.size}")
    if n_classes is None:
        if true.size == 0:
            raise DataError("labels: expected at least one sample (or n_classes), got 0")
        n_classes = int(max(true.max(), predicted.max())) + 1
    k = n_classes
    # Number each (true, predicted) pair t * k + p; counting those numbers counts every cell at once.
    counts = np.bincount(true * k + predicted, minlength=k * k)  # (k * k,)
    return counts.reshape(k, k)  # (k, k): rows true, columns predicted


def _class_labels(values, what: str, n_classes: int | None) -> np.ndarray:
    """Return (samples,) int class numbers from labels, one-hot rows or network outputs."""
    values = np.asarray(values)
    if values.ndim == 2:
        # A one-column output is a probability of class 1 (Sigmoid); wider rows vote by argmax.
        values = (values[:, 0] >= 0.5) if values.shape[1] == 1 else values.argmax(axis=1)
    if values.ndim != 1:
        raise ShapeError(
            f"{what}: expected (samples,) class numbers or (samples, classes) rows, got {values.shape}"
        )
    if values.size == 0:
        return values.astype(np.int64)
    if values.dtype == bool:
        values = values.astype(np.int64)
    if not np.issubdtype(values.dtype, np.number) or not np.all(np.mod(values, 1) == 0):
        raise DataError(f"{what}: expected whole class numbers, got values like {values[:3]}")
    values = values.astype(np.int64)
    top = "" if n_classes is None else f"..{n_classes - 1}"
    if values.min() < 0 or (n_classes is not None and values.max() >= n_classes):
        raise DataError(
            f"{what}: expected class numbers 0{top}, got {values.min()}..{values.max()}"
        )
    return values


def plot_confusion_matrix(
    labels,
    predictions,
    ax: Axes | None = None,
    classes: Sequence[str] | None = None,
    normalize: bool = False,
) -> Figure:
    """Draw the confusion matrix as a heat map, each cell written with its count.

    Rows are the true classes, columns the predicted ones: the diagonal is what was right.
    `labels` and `predictions` are taken as `confusion_matrix` takes them. `classes` names the
    classes (and fixes their number); `normalize=True` shows each row as fractions of its class,
    so that rare classes are as visible as common ones. Cells are written for up to 20 classes.

    Returns the figure drawn into.

    >>> gp.plot_confusion_matrix(y_test, net.predict(x_test), classes=[str(d) for d in range(10)])
    """
    names = None if classes is None else [str(c) for c in classes]
    counts = confusion_matrix(labels, predictions, None if names is None else len(names))  # (k, k)
    k = len(counts)
    names = names or [str(c) for c in range(k)]
    if normalize:
        per_class = counts.sum(axis=1, keepdims=True)  # (k, 1): samples of each true class
        shown = np.divide(counts, per_class, out=np.zeros(counts.shape), where=per_class > 0)
    else:
        shown = counts

    mpl = _matplotlib()
    side = min(max(0.5 * k + 2.5, 4.0), 11.0)
    figure, ax = _figure_and_axes(mpl, ax, (side + 0.8, side))
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    figure.colorbar(
        image, ax=ax, shrink=0.8, label="fraction of the class" if normalize else "samples"
    )
    if k <= 20:
        dark = shown > 0.6 * shown.max()  # (k, k): white text where the blue is deep
        for t in range(k):  # a loop over cells, not samples: at most 400 texts
            for p in range(k):
                text = f"{shown[t, p]:.2f}" if normalize else f"{counts[t, p]}"
                color = "white" if dark[t, p] else "black"
                ax.text(p, t, text, ha="center", va="center", color=color, fontsize="small")
    ax.set_xticks(np.arange(k), names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(np.arange(k), names)
    ax.set(xlabel="predicted class", ylabel="true class")
    total = int(counts.sum())
    correct = int(np.trace(counts))
    if total:
        ax.set_title(f"accuracy {correct / total:.1%} ({correct} of {total})", fontsize="medium")
    return figure


# ---- image grid ----------------------------------------------------------------------------------


def plot_images(
    images,
    image_shape: tuple[int, int] | None = None,
    titles: Sequence[str] | None = None,
    columns: int = 10,
    cmap: str | None = None,
    symmetric: bool = False,
    title_colors: Sequence | None = None,
    figure: Figure | None = None,
) -> Figure:
    """Draw images in a grid, one small Axes each, all on one colour scale.

    Parameters:
        images: (N, H, W), or (N, H*W) rows such as a data set's inputs (then `image_shape`
            gives (H, W); a square H*W is guessed).
        titles: N titles, one per image.
        columns: images per row.
        cmap: a matplotlib colormap name; default "gray_r" (ink on paper), or "RdBu_r" with
            `symmetric`.
        symmetric: one scale centred on 0 (-m..m, m the largest |value|) and a colour bar,
            for signed images such as first-layer weights: plot_images(W0, (8, 8), symmetric=True).
        title_colors: N colours for the titles (e.g. red where a guess was wrong).
        figure: a matplotlib Figure to add the grid to; by default a new one.

    Returns the figure drawn into.

    >>> gp.plot_images(x_test[:20], (8, 8), titles=[str(p) for p in guesses[:20]])
    """
    images = _image_stack(images, image_shape)  # (N, H, W)
    n = len(images)
    titles = None if titles is None else [str(t) for t in titles]
    for what, given in (("titles", titles), ("title_colors", title_colors)):
        if given is not None and len(given) != n:
            raise ShapeError(f"{what}: expected {n} (one per image), got {len(given)}")
    if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)) or columns < 1:
        raise ConfigError(f"columns: expected an int >= 1, got {columns!r}")
    columns = min(columns, n)
    rows = -(-n // columns)  # ceiling division
    if symmetric:
        reach = float(np.abs(images).max()) or 1.0
        low, high = -reach, reach
    else:
        # One scale for all, so that a faint image looks faint next to a dark one.
        low, high = float(images.min()), float(images.max())
    cmap = cmap or (DIVERGING if symmetric else "gray_r")

    mpl = _matplotlib()
    if figure is None:
        # An inch per image, more where titles are long (about 0.07 inch a character at size 8).
        lines = [line for title in titles or [] for line in title.splitlines()] or [""]
        tall = max(len(title.splitlines()) for title in titles) if titles else 0
        cell = (max(1.0, 0.07 * max(map(len, lines)) + 0.1), 1.0 + 0.15 * tall)  # inches
        width = cell[0] * columns + (1.0 if symmetric else 0.0)
        figure = _new_figure(mpl, (max(width, 2.0), cell[1] * rows + 0.2))
    elif not isinstance(figure, mpl.figure.FigureBase):
        raise ConfigError(f"figure: expected a matplotlib Figure, got {type(figure).__name__}")
    grid = figure.add_gridspec(rows, columns)
    axes = []
    for i in range(n):  # one Axes per image: each gets its own title
        ax = figure.add_subplot(grid[i // columns, i % columns])
        picture = ax.imshow(images[i], cmap=cmap, vmin=low, vmax=high)
        ax.set_xticks([])
        ax.set_yticks([])
        if titles is not None:
            colour = {} if title_colors is None else {"color": title_colors[i]}
            ax.set_title(titles[i], fontsize=8, pad=2, **colour)
        axes.append(ax)
    if symmetric:
        figure.colorbar(picture, ax=axes, shrink=0.8)
    return figure


def _image_stack(images, image_shape) -> np.ndarray:
    """Return images as (N, H, W) floats from (N, H, W) or (N, H*W) with `image_shape` (H, W)."""
    images = np.asarray(images, dtype=np.float64)
    if images.ndim not in (2, 3):
        raise ShapeError(f"images: expected shape (N, H*W) or (N, H, W), got {images.shape}")
    if len(images) == 0:
        raise DataError("images: expected at least one image, got 0")
    if images.ndim == 3:
        if image_shape is not None and tuple(image_shape) != images.shape[1:]:
            raise ShapeError(
                f"image_shape: expected {images.shape[1:]} (the images' own), got {tuple(image_shape)}"
            )
        return images
    pixels = images.shape[1]
    if image_shape is None:
        side = int(round(np.sqrt(pixels)))
        if side * side != pixels:
            raise ShapeError(
                f"image_shape: expected (H, W) for rows of {pixels} pixels (not a square), got None"
            )
        image_shape = (side, side)
    image_shape = tuple(int(s) for s in image_shape)
    if len(image_shape) != 2 or image_shape[0] * image_shape[1] != pixels:
        raise ShapeError(
            f"image_shape: expected (H, W) with H * W = {pixels} (the length of each row), "
            f"got {image_shape}"
        )
    return images.reshape(len(images), *image_shape)  # (N, H, W), a view
