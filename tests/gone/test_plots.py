"""gone.plots: the pictures hold what they show (lines = history, edges = weights, cells = counts)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gone
import gone.plots as gp

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def nothing_written(tmp_path, monkeypatch):
    """Every test runs in an empty directory that must stay empty: drawing writes no file."""
    monkeypatch.chdir(tmp_path)
    yield
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def mpl():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")  # no pyplot is used, but nothing here may ever look for a display
    return matplotlib


def drawn(figure):
    """Render into memory, so that colours computed at draw time (colormaps) are set."""
    figure.canvas.draw()
    return figure


def rgb(color):
    return np.asarray(color)[..., :3]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


# ---- matplotlib stays optional -------------------------------------------------------------


def test_import_gone_and_gone_plots_do_not_import_matplotlib():
    result = run_python(
        "import sys, gone, gone.plots as gp\n"
        "assert 'matplotlib' not in sys.modules, 'imported at import time'\n"
        "gp.confusion_matrix([0, 1], [1, 1])\n"
        "assert 'matplotlib' not in sys.modules, 'confusion_matrix needs only numpy'\n"
    )
    assert result.returncode == 0, result.stderr


def test_without_matplotlib_drawing_raises_a_gone_error_naming_the_pip_command():
    result = run_python(
        "import sys\n"
        "sys.modules['matplotlib'] = None  # what an uninstalled package looks like to import\n"
        "import gone, gone.plots as gp\n"
        "try:\n"
        "    gp.plot_history(gone.History(loss=[1.0, 0.5]))\n"
        "except gone.GoneError as error:\n"
        "    assert isinstance(error, ImportError)\n"
        "    print(error)\n"
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "gone[examples]"' in result.stdout
    assert "matplotlib" in result.stdout


# ---- plot_history ----------------------------------------------------------------------------


def training_history():
    return gone.History(
        loss=[0.9, 0.5, 0.3, 0.2],
        val_loss=[1.0, 0.6, 0.4, 0.35],
        val_accuracy=[0.5, 0.75, 0.75, 1.0],
    )


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_history_lines_are_the_history_lists_and_accuracy_has_its_own_axis(mpl):
    history = training_history()
    figure = gp.plot_history(history)
    assert isinstance(figure, mpl.figure.Figure)
    ax, twin = figure.axes  # the loss axes and its twin on the right
    lines = lines_by_label(ax)
    np.testing.assert_array_equal(lines["training loss"].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(lines["training loss"].get_ydata(), history.loss)
    np.testing.assert_array_equal(lines["validation loss"].get_ydata(), history.val_loss)
    (accuracy,) = twin.get_lines()
    np.testing.assert_array_equal(accuracy.get_ydata(), history.val_accuracy)
    assert twin.get_ylabel() == "validation accuracy"
    assert twin.get_shared_x_axes().joined(ax, twin)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["training loss", "validation loss", "validation accuracy"]
    assert ax.get_xlabel() == "epoch" and ax.get_yscale() == "linear"


def test_history_without_validation_has_one_axis_and_one_line(mpl):
    history = gone.History(loss=[0.9, 0.5], val_loss=[None, None], val_accuracy=[None, None])
    figure = gp.plot_history(history)
    (ax,) = figure.axes
    assert list(lines_by_label(ax)) == ["training loss"]


def test_history_of_a_regression_has_validation_loss_but_no_accuracy_axis(mpl):
    history = gone.History(loss=[0.9, 0.5], val_loss=[1.0, 0.7], val_accuracy=[None, None])
    (ax,) = gp.plot_history(history).axes
    assert list(lines_by_label(ax)) == ["training loss", "validation loss"]


def test_history_log_scale_and_best_epoch_mark(mpl):
    figure = gp.plot_history(training_history(), log_loss=True, best_epoch=3)
    ax = figure.axes[0]
    assert ax.get_yscale() == "log"
    best = lines_by_label(ax)["best epoch (3)"]
    np.testing.assert_array_equal(best.get_xdata(), [3, 3])


def test_history_of_a_real_training_run(mpl):
    X = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], dtype=float)
    Y = np.array([[1], [1], [0], [0]], dtype=float)
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(3, gone.Sigmoid()), gone.Layer(1)], seed=0)
    history = net.train(gone.GD(), gone.DataSet.from_arrays(X, Y), 5, validation=(X, Y))
    ax = gp.plot_history(history).axes[0]
    np.testing.assert_array_equal(
        lines_by_label(ax)["validation loss"].get_ydata(), history.val_loss
    )


def test_evolution_history_draws_best_and_mean_over_a_band_to_the_worst(mpl):
    history = gone.EvolutionHistory(
        best=[1.0, 2.0, 4.0], mean=[0.5, 1.0, 2.5], worst=[0.0, 0.2, 1.0]
    )
    (ax,) = gp.plot_history(history).axes
    lines = lines_by_label(ax)
    for name in ("best", "mean", "worst"):
        np.testing.assert_array_equal(lines[name].get_xdata(), [0, 1, 2])  # generation 0 first
        np.testing.assert_array_equal(lines[name].get_ydata(), getattr(history, name))
    (band,) = ax.collections
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == 0.0 and vertices[:, 1].max() == 4.0
    assert ax.get_xlabel() == "generation" and ax.get_ylabel() == "fitness"


@pytest.mark.parametrize(
    ("history", "kwargs", "error", "message"),
    [
        (gone.History(), {}, gone.DataError, "expected at least one epoch"),
        ([0.5, 0.4], {}, gone.ConfigError, "expected a gone.History (from net.train)"),
        (
            training_history(),
            {"best_epoch": 5},
            gone.ConfigError,
            "best_epoch: expected an epoch in 1..4 (counted from this history's first), got 5",
        ),
        (training_history(), {"best_epoch": 0}, gone.ConfigError, "expected an epoch in 1..4"),
        (
            gone.EvolutionHistory(best=[1.0], mean=[1.0], worst=[1.0]),
            {"log_loss": True},
            gone.ConfigError,
            "log_loss: expected it unset for an EvolutionHistory",
        ),
        (gone.EvolutionHistory(), {}, gone.DataError, "expected at least one epoch or generation"),
        (
            gone.History(loss=[1.0, 0.5], val_loss=[1.0], val_accuracy=[]),
            {},
            gone.ShapeError,
            "history.val_loss: expected 2 values (one per epoch), got 1",
        ),
    ],
)
def test_history_errors(history, kwargs, error, message):
    with pytest.raises(error) as raised:
        gp.plot_history(history, **kwargs)
    assert message in str(raised.value)


# ---- plot_decision_boundary ------------------------------------------------------------------


def first_input_net():
    """2 inputs, 1 identity output equal to x[0]: the 0.5 line is the vertical x[0] = 0.5."""
    return gone.NeuralNetwork.from_parameters(
        [gone.Layer(2), gone.Layer(1)], [np.array([[1.0, 0.0]])], [np.zeros((1, 1))]
    )


def sign_classifier():
    """2 inputs, softmax over 2 classes: class 0 where x[0] > 0, class 1 where x[0] < 0."""
    return gone.NeuralNetwork.from_parameters(
        [gone.Layer(2), gone.Layer(2, gone.Softmax())],
        [np.array([[1.0, 0.0], [-1.0, 0.0]])],
        [np.zeros((2, 1))],
        loss=gone.CrossEntropy(),
    )


def spy_on_predict(net, monkeypatch):
    calls = []
    predict = net.predict

    def spy(inputs):
        calls.append(np.array(inputs))
        return predict(inputs)

    monkeypatch.setattr(net, "predict", spy)
    return calls


def test_decision_boundary_predicts_once_on_a_grid_covering_the_points(mpl, monkeypatch):
    net = first_input_net()
    calls = spy_on_predict(net, monkeypatch)
    X = np.array([[0.0, 2.0], [1.0, 3.0], [0.5, 2.5]])
    figure = gp.plot_decision_boundary(net, X, [0, 1, 1], resolution=20)
    (grid,) = calls
    assert grid.shape == (20 * 20, 2)
    assert (grid.min(axis=0) < X.min(axis=0)).all() and (grid.max(axis=0) > X.max(axis=0)).all()
    ax = figure.axes[0]
    low, high = ax.get_xlim()
    assert low == grid[:, 0].min() and high == grid[:, 0].max()


def test_single_output_draws_its_value_the_threshold_line_and_points_in_class_colours(mpl):
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    figure = drawn(gp.plot_decision_boundary(first_input_net(), X, [[0.0], [1.0]], resolution=30))
    ax, colorbar = figure.axes
    regions, boundary, points = ax.collections
    assert len(regions.levels) > 2  # a range of values, not a few classes
    for path in boundary.get_paths():
        np.testing.assert_allclose(path.vertices[:, 0], 0.5)  # output = x[0] = 0.5 there
    zero, one = rgb(points.get_facecolors())
    assert zero[2] > zero[0] and one[0] > one[2]  # 0 blue, 1 red, as the regions
    assert "line at 0.5" in colorbar.get_ylabel()


def test_sigmoid_output_is_a_probability_on_the_whole_scale(mpl):
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(1, gone.Sigmoid())], seed=0)
    figure = gp.plot_decision_boundary(net, [[0.0, 0.0], [0.1, 0.1]], [0, 1])
    regions = figure.axes[0].collections[0]
    assert (regions.norm.vmin, regions.norm.vmax) == (0.0, 1.0)
    assert figure.axes[1].get_ylabel().startswith("P(class 1)")


@pytest.mark.parametrize("one_hot", [False, True], ids=["labels", "one-hot"])
def test_softmax_draws_a_region_per_class_and_points_in_their_region_colour(mpl, one_hot):
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [-0.5, 0.5]])
    labels = np.array([1, 0, 1])
    y = gone.one_hot(labels, 2) if one_hot else labels
    figure = drawn(gp.plot_decision_boundary(sign_classifier(), X, y, resolution=40))
    (ax,) = figure.axes  # classes have a legend, not a colour bar
    regions, *points = ax.collections
    class_0, class_1 = regions.get_paths()  # one filled area per class
    assert class_0.vertices[:, 0].min() > -1e-9 and class_1.vertices[:, 0].max() < 1e-9
    by_label = {p.get_label(): p for p in points}
    np.testing.assert_array_equal(by_label["class 1"].get_offsets(), X[labels == 1])
    for c in (0, 1):
        np.testing.assert_allclose(
            rgb(by_label[f"class {c}"].get_facecolors()[0]), rgb(regions.get_facecolor()[c])
        )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]


@pytest.mark.parametrize(
    ("net", "X", "y", "error", "message"),
    [
        (
            gone.NeuralNetwork([gone.Layer(3), gone.Layer(1)], seed=0),
            np.zeros((2, 3)),
            [0, 1],
            gone.ShapeError,
            "net: expected 2 inputs (the two axes of the plane), got 3 inputs",
        ),
        (
            first_input_net(),
            np.zeros((2, 3)),
            [0, 1],
            gone.ShapeError,
            "expected shape (samples, 2), got (2, 3)",
        ),
        (
            first_input_net(),
            np.zeros(2),
            [0],
            gone.ShapeError,
            "expected shape (samples, 2), got (2,)",
        ),
        (
            first_input_net(),
            np.zeros((0, 2)),
            [],
            gone.DataError,
            "X: expected at least one sample",
        ),
        (
            first_input_net(),
            np.zeros((3, 2)),
            [0, 1],
            gone.ShapeError,
            "y: expected 3 targets (one per row of X), got shape (2,)",
        ),
        (
            sign_classifier(),
            np.zeros((2, 2)),
            [0, 2],
            gone.DataError,
            "y: expected class numbers 0..1, got 0..2",
        ),
        (
            sign_classifier(),
            np.zeros((2, 2)),
            np.zeros((2, 3)),
            gone.ShapeError,
            "(2, 2) one-hot rows, got (2, 3)",
        ),
        (
            "not a net",
            np.zeros((2, 2)),
            [0, 1],
            gone.ConfigError,
            "net: expected a gone.NeuralNetwork, got str",
        ),
    ],
)
def test_decision_boundary_errors(net, X, y, error, message):
    with pytest.raises(error) as raised:
        gp.plot_decision_boundary(net, X, y)
    assert message in str(raised.value)


def test_decision_boundary_resolution_must_be_a_grid(mpl):
    with pytest.raises(gone.ConfigError, match="resolution: expected an int >= 2, got 1"):
        gp.plot_decision_boundary(first_input_net(), np.zeros((2, 2)), [0, 1], resolution=1)


# ---- plot_network ----------------------------------------------------------------------------

W0 = np.array([[1.0, -2.0], [0.5, 3.0], [-0.25, 1.5]])  # (3, 2): distinct |w| everywhere
W1 = np.array([[-4.0, 2.5, 0.1]])  # (1, 3)


def hand_made_net():
    return gone.NeuralNetwork.from_parameters(
        [gone.Layer(2), gone.Layer(3, gone.Sigmoid()), gone.Layer(1)],
        [W0, W1],
        [np.zeros((3, 1)), np.array([[0.5]])],
    )


def network_artists(figure, mpl):
    ax = figure.axes[0]
    (edges,) = [c for c in ax.collections if isinstance(c, mpl.collections.LineCollection)]
    (nodes,) = [c for c in ax.collections if isinstance(c, mpl.collections.PathCollection)]
    return ax, edges, nodes


def weight_of(segment):
    """Find the weight a drawn line stands for, from where it starts and ends (layout: column l at
    x = l, its n nodes at y = (n - 1) / 2 - index)."""
    (x0, y0), (_, y1) = segment
    W = [W0, W1][int(round(x0))]
    n_out, n_in = W.shape
    j = int(round((n_in - 1) / 2 - y0))
    i = int(round((n_out - 1) / 2 - y1))
    return W[i, j]


def test_network_draws_one_line_per_weight_wider_with_abs_w_coloured_by_sign(mpl):
    figure = drawn(gp.plot_network(hand_made_net()))
    ax, edges, nodes = network_artists(figure, mpl)
    segments = edges.get_segments()
    assert len(segments) == 2 * 3 + 3 * 1
    w = np.array([weight_of(s) for s in segments])  # in drawing order
    assert sorted(np.abs(w)) == list(np.abs(w))  # weak first: the strong lines end on top
    assert set(w) == set(W0.ravel()) | set(W1.ravel())  # every weight exactly once
    widths = np.asarray(edges.get_linewidths())
    assert (np.diff(widths) > 0).all()  # |w| are all distinct here, so widths strictly grow
    colors = rgb(edges.get_colors())
    assert ((colors[:, 2] > colors[:, 0]) == (w > 0)).all()  # blue positive, red negative
    assert len(nodes.get_offsets()) == 2 + 3 + 1
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["positive weight", "negative weight", "|w| = 4 (max)"]
    captions = [t.get_text() for t in ax.get_xticklabels()]
    assert captions == ["input 2", "hidden 3\nsigmoid", "output 1\nid"]
    assert len(figure.axes) == 1  # no sample, no activation colour bar
    assert len({tuple(c) for c in nodes.get_facecolors()}) == 1  # plain nodes


def test_network_with_inputs_colours_nodes_by_activation_and_writes_the_values(mpl):
    net = hand_made_net()
    figure = drawn(gp.plot_network(net, inputs=[1.0, 0.0], labels=["a", "b"], output_labels=["y"]))
    ax, _, nodes = network_artists(figure, mpl)
    hidden = 1 / (1 + np.exp(-W0 @ [1.0, 0.0]))  # (3,)
    expected = np.concatenate([[1.0, 0.0], hidden, net.predict([1.0, 0.0])])  # (6,)
    np.testing.assert_allclose(nodes.get_array(), expected)
    assert figure.axes[1].get_ylabel() == "node activation"
    texts = {t.get_text() for t in ax.texts}
    assert {"a = 1.00", "b = 0.00", f"y = {net.predict([1.0, 0.0])[0]:.2f}"} <= texts

    other = drawn(gp.plot_network(net, inputs=[0.0, 1.0]))
    _, _, other_nodes = network_artists(other, mpl)
    assert not np.allclose(other_nodes.get_facecolors(), nodes.get_facecolors())


def test_network_of_a_softmax_classifier_draws_all_its_layers(mpl):
    net = gone.NeuralNetwork(
        [gone.Layer(4), gone.Layer(5, gone.ReLU()), gone.Layer(3, gone.Softmax())],
        loss=gone.CrossEntropy(),
        seed=0,
    )
    _, edges, nodes = network_artists(gp.plot_network(net, inputs=np.ones(4)), mpl)
    assert len(edges.get_segments()) == 4 * 5 + 5 * 3
    assert len(nodes.get_offsets()) == 4 + 5 + 3


@pytest.mark.parametrize(
    ("net", "kwargs", "error", "message"),
    [
        (
            gone.NeuralNetwork([gone.Layer(65), gone.Layer(1)], seed=0),
            {},
            gone.ConfigError,
            "net.layers[0]: expected at most 64 nodes to draw legibly, got 65",
        ),
        (
            hand_made_net(),
            {"inputs": [1.0, 2.0, 3.0]},
            gone.ShapeError,
            "inputs: expected shape (2,) (one sample), got (3,)",
        ),
        (hand_made_net(), {"inputs": [[1.0, 2.0]]}, gone.ShapeError, "got (1, 2)"),
        (
            hand_made_net(),
            {"labels": ["a"]},
            gone.ShapeError,
            "labels: expected 2 names (one per node), got 1",
        ),
        (
            hand_made_net(),
            {"output_labels": ["a", "b"]},
            gone.ShapeError,
            "output_labels: expected 1 names",
        ),
        (object(), {}, gone.ConfigError, "net: expected a gone.NeuralNetwork, got object"),
    ],
)
def test_network_errors(net, kwargs, error, message):
    with pytest.raises(error) as raised:
        gp.plot_network(net, **kwargs)
    assert message in str(raised.value)


def test_too_big_a_network_gets_a_hint_towards_images():
    with pytest.raises(gone.ConfigError, match=r"plot_images\(net.parameters\(\)\[0\]"):
        gp.plot_network(gone.NeuralNetwork([gone.Layer(784), gone.Layer(10)], seed=0))


# ---- confusion matrix --------------------------------------------------------------------------

LABELS = [0, 0, 1, 2, 2, 2]
PREDICTIONS = [0, 1, 1, 2, 0, 2]
COUNTS = [[1, 1, 0], [0, 1, 0], [1, 0, 2]]  # rows true, columns predicted, counted by hand


def test_confusion_matrix_counts_by_hand():
    counts = gp.confusion_matrix(LABELS, PREDICTIONS)
    np.testing.assert_array_equal(counts, COUNTS)
    assert np.issubdtype(counts.dtype, np.integer)
    assert gp.confusion_matrix([1], [1], n_classes=3).tolist() == [[0, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_confusion_matrix_takes_one_hot_targets_and_network_outputs():
    one_hot = gone.one_hot(LABELS, 3)
    outputs = gone.one_hot(PREDICTIONS, 3) * 0.8 + 0.05  # softmax-like rows, argmax = prediction
    np.testing.assert_array_equal(gp.confusion_matrix(one_hot, outputs), COUNTS)
    sigmoid_outputs = np.array([[0.9], [0.2], [0.5]])  # one column: class 1 where >= 0.5
    np.testing.assert_array_equal(gp.confusion_matrix([1, 1, 0], sigmoid_outputs), [[0, 1], [1, 1]])


@pytest.mark.parametrize(
    ("labels", "predictions", "n_classes", "error", "message"),
    [
        (
            [0, 1, 2],
            [0, 1],
            None,
            gone.ShapeError,
            "predictions: expected 3 (one per label), got 2",
        ),
        ([0, 3], [0, 1], 3, gone.DataError, "labels: expected class numbers 0..2, got 0..3"),
        ([0, -1], [0, 1], None, gone.DataError, "labels: expected class numbers 0, got -1..0"),
        ([0, 0.5], [0, 1], None, gone.DataError, "labels: expected whole class numbers"),
        (
            [],
            [],
            None,
            gone.DataError,
            "labels: expected at least one sample (or n_classes), got 0",
        ),
        ([0], [0], 0, gone.ConfigError, "n_classes: expected an int >= 1, got 0"),
        (
            np.zeros((2, 2, 2)),
            [0, 1],
            None,
            gone.ShapeError,
            "labels: expected (samples,) class numbers",
        ),
    ],
)
def test_confusion_matrix_errors(labels, predictions, n_classes, error, message):
    with pytest.raises(error) as raised:
        gp.confusion_matrix(labels, predictions, n_classes)
    assert message in str(raised.value)


def cell_texts(ax):
    """The written cells as a (k, k) array of strings, placed by their (column, row) position."""
    k = len(ax.get_yticks())
    cells = np.full((k, k), "", dtype=object)
    for text in ax.texts:
        p, t = text.get_position()
        cells[int(t), int(p)] = text.get_text()
    return cells


def test_confusion_heatmap_shows_and_writes_the_counts(mpl):
    figure = gp.plot_confusion_matrix(LABELS, PREDICTIONS, classes=["cat", "dog", "emu"])
    ax = figure.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), COUNTS)
    np.testing.assert_array_equal(cell_texts(ax), np.array(COUNTS).astype(str))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "emu"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cat", "dog", "emu"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    assert ax.get_title() == "accuracy 66.7% (4 of 6)"


def test_normalized_confusion_shows_each_true_class_as_fractions(mpl):
    figure = gp.plot_confusion_matrix(LABELS, PREDICTIONS, normalize=True)
    ax = figure.axes[0]
    shown = np.asarray(ax.images[0].get_array())
    np.testing.assert_allclose(shown.sum(axis=1), 1.0)
    assert cell_texts(ax)[2].tolist() == ["0.33", "0.00", "0.67"]


def test_confusion_classes_fix_the_number_of_classes(mpl):
    ax = gp.plot_confusion_matrix([0, 1], [0, 1], classes=["a", "b", "c"]).axes[0]
    assert ax.images[0].get_array().shape == (3, 3)


# ---- plot_images -----------------------------------------------------------------------------


def image_axes(figure):
    return [ax for ax in figure.axes if ax.images]


def test_images_one_axes_each_with_titles_and_their_colours(mpl):
    images = np.arange(5 * 12, dtype=float).reshape(5, 12)  # (N, H*W)
    titles = ["0", "1", "2", "3", "4"]
    colors = ["black", "red", "black", "black", "red"]
    figure = gp.plot_images(images, (3, 4), titles=titles, columns=3, title_colors=colors)
    axes = image_axes(figure)
    assert len(axes) == len(figure.axes) == 5
    for i, ax in enumerate(axes):
        np.testing.assert_array_equal(ax.images[0].get_array(), images[i].reshape(3, 4))
        assert ax.get_title() == titles[i]
        assert mpl.colors.same_color(ax.title.get_color(), colors[i])
        assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
        assert ax.images[0].get_clim() == (0.0, 59.0)  # one scale for all
    rows, columns = axes[0].get_subplotspec().get_geometry()[:2]
    assert (rows, columns) == (2, 3)


def test_images_with_titles_and_no_colours_get_the_default_title_colour(mpl):
    figure = gp.plot_images(np.zeros((2, 4)), (2, 2), titles=["a", "b"])
    assert [ax.get_title() for ax in image_axes(figure)] == ["a", "b"]
    default = mpl.rcParams["axes.titlecolor"]
    default = mpl.rcParams["text.color"] if default == "auto" else default
    assert all(mpl.colors.same_color(ax.title.get_color(), default) for ax in image_axes(figure))


def test_square_images_need_no_shape_and_3d_stacks_are_taken_as_they_are(mpl):
    assert image_axes(gp.plot_images(np.zeros((2, 64))))[0].images[0].get_array().shape == (8, 8)
    assert image_axes(gp.plot_images(np.zeros((2, 3, 5))))[0].images[0].get_array().shape == (3, 5)


def test_symmetric_images_share_a_scale_centred_on_zero_and_a_colour_bar(mpl):
    weights = np.array([[0.5, -2.0, 1.0, 0.0], [1.5, 0.25, -0.5, 0.0]])  # (2, 4)
    figure = gp.plot_images(weights, (2, 2), symmetric=True)
    axes = image_axes(figure)
    assert len(axes) == 2 and len(figure.axes) == 3  # and the colour bar
    for ax in axes:
        assert ax.images[0].get_clim() == (-2.0, 2.0)
        assert ax.images[0].get_cmap().name == gp.DIVERGING


def test_images_draw_into_a_given_figure(mpl):
    figure = mpl.figure.Figure()
    assert gp.plot_images(np.zeros((3, 4)), (2, 2), figure=figure) is figure
    assert len(figure.axes) == 3


@pytest.mark.parametrize(
    ("images", "kwargs", "error", "message"),
    [
        (
            np.zeros((2, 12)),
            {},
            gone.ShapeError,
            "image_shape: expected (H, W) for rows of 12 pixels",
        ),
        (
            np.zeros((2, 12)),
            {"image_shape": (3, 3)},
            gone.ShapeError,
            "H * W = 12 (the length of each row), got (3, 3)",
        ),
        (
            np.zeros((2, 3, 4)),
            {"image_shape": (4, 3)},
            gone.ShapeError,
            "expected (3, 4) (the images' own), got (4, 3)",
        ),
        (
            np.zeros(4),
            {},
            gone.ShapeError,
            "images: expected shape (N, H*W) or (N, H, W), got (4,)",
        ),
        (np.zeros((0, 4)), {}, gone.DataError, "images: expected at least one image, got 0"),
        (
            np.zeros((2, 4)),
            {"titles": ["a"]},
            gone.ShapeError,
            "titles: expected 2 (one per image), got 1",
        ),
        (np.zeros((2, 4)), {"title_colors": ["r"]}, gone.ShapeError, "title_colors: expected 2"),
        (
            np.zeros((2, 4)),
            {"columns": 0},
            gone.ConfigError,
            "columns: expected an int >= 1, got 0",
        ),
    ],
)
def test_images_errors(images, kwargs, error, message):
    with pytest.raises(error) as raised:
        gp.plot_images(images, **kwargs)
    assert message in str(raised.value)


# ---- drawing into the caller's Axes ------------------------------------------------------------

DRAWINGS = {
    "history": lambda ax: gp.plot_history(training_history(), ax=ax),
    "evolution": lambda ax: gp.plot_history(
        gone.EvolutionHistory(best=[1.0, 2.0], mean=[0.5, 1.0], worst=[0.0, 0.5]), ax=ax
    ),
    "boundary": lambda ax: gp.plot_decision_boundary(
        sign_classifier(), [[-1.0, 0.0], [1.0, 0.0]], [1, 0], ax=ax, resolution=10
    ),
    "network": lambda ax: gp.plot_network(hand_made_net(), ax=ax),
    "confusion": lambda ax: gp.plot_confusion_matrix(LABELS, PREDICTIONS, ax=ax),
}


@pytest.mark.parametrize("draw", DRAWINGS.values(), ids=DRAWINGS.keys())
def test_ax_draws_into_the_given_axes_and_returns_its_figure(mpl, draw):
    figure = mpl.figure.Figure()
    left, right = figure.subplots(1, 2)
    assert draw(right) is figure
    assert right.has_data() and not left.has_data()


def test_ax_must_be_an_axes(mpl):
    with pytest.raises(gone.ConfigError, match="ax: expected a matplotlib Axes, got Figure"):
        gp.plot_history(training_history(), ax=mpl.figure.Figure())


@pytest.mark.parametrize("draw", DRAWINGS.values(), ids=DRAWINGS.keys())
def test_a_new_figure_shows_itself_in_jupyter_as_a_png(mpl, draw):
    # IPython asks an object for _repr_png_ when no formatter of matplotlib's is switched on.
    png = draw(None)._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
