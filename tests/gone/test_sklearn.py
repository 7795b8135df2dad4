"""gone.sklearn: scikit-learn's own estimator checks, accuracy beside MLPClassifier, and that the
estimators are gone networks underneath (same seed, same weights; saved and loaded, same outputs)."""

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import gone

pytest.importorskip("sklearn", minversion="1.6", reason="gone.sklearn needs scikit-learn >= 1.6")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_digits, load_iris, make_regression  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.exceptions import NotFittedError as SklearnNotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from gone.sklearn import GoneClassifier, GoneRegressor, NotFittedError  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def split(loader):
    """A dataset's 75/25 split, stratified and fixed: the same digits for gone and scikit-learn."""
    X, y = loader(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


def blobs(n=120, classes=3, seed=0):
    """Well separated clusters in 4 dimensions: any working classifier learns them."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    centres = rng.normal(0, 4, size=(classes, 4))
    return centres[y] + rng.normal(size=(n, 4)), y


def small(**params) -> GoneClassifier:
    """A classifier that learns blobs() in a fraction of a second."""
    return GoneClassifier(
        **{"hidden_layer_sizes": (8,), "learning_rate": 0.01, "epochs": 30, "random_state": 0}
        | params
    )


def assert_same_parameters(a: gone.NeuralNetwork, b: gone.NeuralNetwork):
    assert len(a.parameters()) == len(b.parameters())
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)


# ---- scikit-learn's estimator checks ------------------------------------------------------------

# Small networks trained long enough for check_classifiers_train (accuracy > 0.83 on blobs) and
# check_regressors_train (R^2 > 0.5); between them they take every branch of fit: the optimizers
# by name, both dtypes, early stopping, weight decay, multilabel targets (the checks send them).
CHECKED = [
    GoneClassifier(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=50),
    GoneRegressor(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=50),
    GoneClassifier(
        hidden_layer_sizes=(16, 8),
        activation="tanh",
        optimizer="sgd",
        learning_rate=0.01,
        epochs=20,
        early_stopping=True,
    ),
    GoneRegressor(
        optimizer="rmsprop", batch_size=16, alpha=1e-4, learning_rate=0.01, early_stopping=True
    ),
    GoneClassifier(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=50, dtype="float32"),
    GoneRegressor(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=50, dtype="float32"),
]

# Every check runs on every estimator above except these, on the float32 ones only. They
# compare predictions with float64 tolerances: float32 is what dtype="float32" asks for.
FLOAT32_FAILURES = {
    "check_methods_sample_order_invariance": (
        "compares predictions of permuted rows at rtol 1e-7, under float32's resolution (1.2e-7):"
        " BLAS sums a batch in a different order"
    ),
    "check_methods_subset_invariance": (
        "compares predictions of batches with those of the whole set at rtol 1e-7, under"
        " float32's resolution"
    ),
}
FLOAT32_REGRESSOR_FAILURES = {
    "check_regressor_multioutput": "asks for float64 predictions; dtype='float32' predicts float32",
}


def expected_failures(estimator) -> dict[str, str]:
    if estimator.dtype != "float32":
        return {}
    if isinstance(estimator, GoneRegressor):
        return {**FLOAT32_FAILURES, **FLOAT32_REGRESSOR_FAILURES}
    return dict(FLOAT32_FAILURES)


# Not strict: the invariance checks fail or pass depending on the BLAS build's summation order.
@parametrize_with_checks(CHECKED, expected_failed_checks=expected_failures, xfail_strict=False)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_the_default_estimators_pass_the_checks_of_their_parameters():
    """The full checks run on small settings above; the defaults must at least be well formed."""
    from sklearn.utils.estimator_checks import (
        check_get_params_invariance,
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
    )

    for estimator in (GoneClassifier(), GoneRegressor()):
        name = type(estimator).__name__
        check_parameters_default_constructible(name, estimator)
        check_no_attributes_set_in_init(name, estimator)
        check_get_params_invariance(name, estimator)


# ---- scikit-learn stays optional ----------------------------------------------------------------


def test_import_gone_does_not_import_sklearn():
    result = run_python("import sys, gone\nassert 'sklearn' not in sys.modules\n")
    assert result.returncode == 0, result.stderr


def test_without_sklearn_importing_gone_sklearn_raises_a_gone_error_naming_the_pip_command():
    result = run_python(
        "import sys\n"
        "sys.modules['sklearn'] = None  # what an uninstalled package looks like to import\n"
        "import gone\n"
        "try:\n"
        "    import gone.sklearn\n"
        "except gone.GoneError as error:\n"
        "    assert isinstance(error, ImportError)\n"
        "    print(error)\n"
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "gone[scikit-learn]"' in result.stdout
    assert "scikit-learn" in result.stdout


# ---- the contract and what fit leaves -----------------------------------------------------------


def test_the_design_example_trains_a_gone_network_on_the_digits():
    X_train, X_test, y_train, y_test = split(load_digits)
    model = GoneClassifier(hidden_layer_sizes=(32,), learning_rate=0.001, epochs=20, random_state=0)
    assert model.fit(X_train / 16, y_train) is model
    assert isinstance(model.network_, gone.NeuralNetwork)
    assert [layer.nodes for layer in model.network_.layers] == [64, 32, 10]
    assert isinstance(model.network_.layers[1].activation, gone.ReLU)
    assert isinstance(model.network_.layers[-1].activation, gone.Softmax)
    assert isinstance(model.network_.loss, gone.CrossEntropy)
    assert isinstance(model.history_, gone.History) and model.history_.epochs == 20
    assert model.n_iter_ == 20 and model.loss_ == model.history_.loss[-1]
    assert model.n_features_in_ == 64
    np.testing.assert_array_equal(model.classes_, np.arange(10))
    assert model.score(X_test / 16, y_test) > 0.9


def test_a_fitted_estimator_is_gone_network_train_and_nothing_more():
    """Same seed and settings by hand give the same weights bit for bit."""
    X, y = blobs()
    model = GoneClassifier(hidden_layer_sizes=(8,), epochs=5, batch_size=16, random_state=3)
    model.fit(X, y)
    net = gone.NeuralNetwork(
        [gone.Layer(4), gone.Layer(8, gone.ReLU()), gone.Layer(3, gone.Softmax())],
        loss=gone.CrossEntropy(),
        learning_rate=0.001,
        seed=3,
        initializer=gone.He(),
    )
    net.train(gone.Adam(batch_size=16), gone.DataSet.from_arrays(X, gone.one_hot(y, 3)), 5)
    assert_same_parameters(model.network_, net)
    np.testing.assert_array_equal(model.predict_proba(X), net.predict(X))


def test_the_saved_network_predicts_what_the_estimator_does(tmp_path):
    X, y = blobs()
    model = GoneClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=0).fit(X, y)
    model.network_.save(tmp_path / "model.gone")
    loaded = gone.load(tmp_path / "model.gone")
    np.testing.assert_array_equal(loaded.predict(X), model.predict_proba(X))
    np.testing.assert_array_equal(
        model.classes_[loaded.predict(X).argmax(axis=1)], model.predict(X)
    )


def test_unfitted_estimators_raise_a_gone_error_that_is_also_sklearns():
    with pytest.raises(NotFittedError, match="expected a fitted estimator") as caught:
        GoneClassifier().predict([[0.0]])
    assert isinstance(caught.value, gone.GoneError)
    assert isinstance(caught.value, SklearnNotFittedError)
    with pytest.raises(NotFittedError):
        GoneRegressor().predict([[0.0]])


# ---- classifiers ------------------------------------------------------------------------------


def test_binary_labels_get_one_sigmoid_output_and_two_probability_columns():
    X, y = blobs(classes=2)
    labels = np.array(["no", "yes"])[y]
    model = small().fit(X, labels)
    assert model.network_.n_outputs == 1
    assert isinstance(model.network_.layers[-1].activation, gone.Sigmoid)
    assert isinstance(model.network_.loss, gone.BinaryCrossEntropy)
    np.testing.assert_array_equal(model.classes_, ["no", "yes"])
    P = model.predict_proba(X)  # (120, 2)
    np.testing.assert_array_equal(P[:, 1], model.network_.predict(X)[:, 0])
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), np.where(P[:, 1] > 0.5, "yes", "no"))
    assert model.score(X, labels) > 0.95


def test_multiclass_string_labels_come_back_in_the_order_of_classes():
    X, y = blobs(classes=3)
    names = np.array(["setosa", "versicolor", "virginica"])
    model = small().fit(X, names[y])
    np.testing.assert_array_equal(model.classes_, names)
    P = model.predict_proba(X)  # (120, 3)
    assert P.shape == (120, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), names[P.argmax(axis=1)])
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(P))
    assert model.score(X, names[y]) > 0.95


def test_multilabel_indicator_targets_get_one_sigmoid_per_label():
    X, y = blobs(classes=3)
    Y = np.stack([y == 0, y != 1], axis=1).astype(int)  # (120, 2): two labels, not exclusive
    model = small().fit(X, Y)
    np.testing.assert_array_equal(model.classes_, [0, 1])
    assert isinstance(model.network_.layers[-1].activation, gone.Sigmoid)
    P = model.predict_proba(X)  # (120, 2): each label's own probability
    np.testing.assert_array_equal(model.predict(X), (P > 0.5).astype(int))
    assert model.score(X, Y) > 0.9  # subset accuracy: both labels right


def test_multiclass_multioutput_targets_are_refused():
    X, y = blobs()
    with pytest.raises(gone.DataError, match="got 2 columns of multiclass labels"):
        GoneClassifier(epochs=1).fit(X, np.stack([y, y], axis=1))


def test_one_class_is_refused_by_name():
    with pytest.raises(gone.DataError, match="at least 2 classes, got 1 class"):
        GoneClassifier(epochs=1).fit([[0.0], [1.0]], ["a", "a"])


def test_accuracy_on_the_digits_is_that_of_mlpclassifier_with_the_same_settings():
    """Defaults against MLPClassifier set like them: 100 ReLU, Adam lr 0.001, batch 32, 100 epochs."""
    X_train, X_test, y_train, y_test = split(load_digits)
    ours = make_pipeline(StandardScaler(), GoneClassifier(random_state=0))
    theirs = make_pipeline(
        StandardScaler(),
        MLPClassifier(alpha=0.0, batch_size=32, max_iter=100, n_iter_no_change=100, random_state=0),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # MLP runs all 100 epochs, as gone
        theirs.fit(X_train, y_train)
    ours.fit(X_train, y_train)
    accuracy, reference = ours.score(X_test, y_test), theirs.score(X_test, y_test)
    # Measured: 0.978 both (450 test digits).
    assert accuracy >= 0.96
    assert accuracy >= reference - 0.02


def test_accuracy_on_iris_is_that_of_mlpclassifier_with_the_same_settings():
    X_train, X_test, y_train, y_test = split(load_iris)
    ours = make_pipeline(StandardScaler(), GoneClassifier(random_state=0))
    theirs = make_pipeline(
        StandardScaler(),
        MLPClassifier(alpha=0.0, batch_size=32, max_iter=100, n_iter_no_change=100, random_state=0),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X_train, y_train)
    ours.fit(X_train, y_train)
    accuracy, reference = ours.score(X_test, y_test), theirs.score(X_test, y_test)
    # Measured: 0.974 both (37 of 38 test flowers); one flower is 0.026.
    assert accuracy >= 0.92
    assert accuracy >= reference - 0.03


# ---- regressors -------------------------------------------------------------------------------


def test_regression_reaches_r2_on_held_out_data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(600, 2))
    y = np.sin(X[:, 0]) * X[:, 1] + 0.05 * rng.normal(size=600)  # smooth, not linear
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    model = GoneRegressor(hidden_layer_sizes=(32, 32), learning_rate=0.01, random_state=0)
    model.fit(X_train, y_train)
    assert isinstance(model.network_.layers[-1].activation, gone.Identity)
    assert isinstance(model.network_.loss, gone.MSE)
    assert model.predict(X_test).shape == (150,)
    assert model.score(X_test, y_test) > 0.95


def test_two_targets_give_two_outputs_and_two_columns():
    X, Y = make_regression(n_samples=100, n_features=3, n_targets=2, noise=0.1, random_state=0)
    model = GoneRegressor(hidden_layer_sizes=(), learning_rate=0.01, random_state=0)
    model.fit(X, Y / Y.std(axis=0))
    assert model.network_.n_outputs == 2
    assert model.predict(X).shape == (100, 2)
    assert model.score(X, Y / Y.std(axis=0)) > 0.99  # linear targets, a linear network


# ---- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "kind", "batch_size"),
    [
        ({}, gone.Adam, 32),
        ({"optimizer": "adam", "batch_size": 64}, gone.Adam, 64),
        ({"optimizer": "rmsprop", "batch_size": 8}, gone.RMSProp, 8),
        ({"optimizer": "mbgd", "batch_size": 8}, gone.MBGD, 8),
        ({"optimizer": "sgd"}, gone.SGD, 1),
        ({"optimizer": "gd"}, gone.GD, None),
        ({"optimizer": gone.SGD(momentum=0.9)}, gone.SGD, 1),
    ],
)
def test_optimizers_by_name_are_gones_with_their_batch_size(params, kind, batch_size):
    X, y = blobs()
    model = GoneClassifier(hidden_layer_sizes=(4,), epochs=1, random_state=0, **params).fit(X, y)
    assert type(model.network_.optimizer) is kind
    assert model.network_.optimizer.batch_size == batch_size


def test_a_gone_optimizer_given_is_copied_so_a_refit_starts_without_its_state():
    X, y = blobs()
    adam = gone.Adam(batch_size=16, beta1=0.8)
    model = GoneClassifier(hidden_layer_sizes=(4,), optimizer=adam, epochs=2, random_state=0)
    model.fit(X, y)
    assert adam.steps == 0  # the user's object is untouched
    assert model.network_.optimizer == adam and model.network_.optimizer.steps == 16


def test_sgd_and_gd_fix_their_batch_so_a_batch_size_is_an_error():
    X, y = blobs()
    with pytest.raises(gone.ConfigError, match="batch_size: expected None with optimizer='sgd'"):
        GoneClassifier(optimizer="sgd", batch_size=16, epochs=1).fit(X, y)
    with pytest.raises(gone.ConfigError, match="carries its own batch size"):
        GoneClassifier(optimizer=gone.Adam(), batch_size=16, epochs=1).fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"hidden_layer_sizes": (8, 0)}, "hidden_layer_sizes: expected ints >= 1, got 0"),
        ({"hidden_layer_sizes": "8"}, "hidden_layer_sizes: expected ints >= 1, got '8'"),
        ({"activation": "logistic"}, "activation: expected one of id, leaky_relu, relu"),
        ({"optimizer": "lbfgs"}, "optimizer: expected one of adam, gd, mbgd, rmsprop, sgd"),
        ({"initializer": "glorot"}, "initializer: expected one of auto, he, normal"),
        ({"learning_rate": 0}, "learning_rate: expected a finite number > 0"),
        ({"epochs": 0}, "epochs: expected an int >= 1, got 0"),
        ({"alpha": -1.0}, "alpha: expected a number >= 0, got -1.0"),
        ({"dtype": "float16"}, "dtype: expected 'float64' or 'float32', got 'float16'"),
        ({"dtype": None}, "dtype: expected 'float64' or 'float32', got None"),
        ({"early_stopping": "yes"}, "early_stopping: expected True or False"),
        ({"early_stopping": True, "validation_fraction": 1.0}, "validation_fraction: expected"),
        ({"early_stopping": True, "n_iter_no_change": 0}, "n_iter_no_change: expected an int"),
        ({"random_state": "seven"}, "random_state: expected None, an int, a numpy RandomState"),
    ],
)
def test_bad_parameters_are_config_errors_raised_by_fit_not_by_init(params, message):
    model = GoneClassifier(**params)  # scikit-learn's rule: __init__ only stores
    X, y = blobs()
    with pytest.raises(gone.ConfigError, match=message):
        model.fit(X, y)


def test_bad_data_are_gone_data_errors_in_scikit_learns_words():
    X, y = blobs()
    with pytest.raises(gone.DataError, match="Input X contains NaN"):
        GoneClassifier(epochs=1).fit(np.where(X > 3, np.nan, X), y)
    model = GoneClassifier(epochs=1).fit(X, y)
    with pytest.raises(gone.DataError, match="X has 3 features, but GoneClassifier is expecting 4"):
        model.predict(X[:, :3])
    with pytest.raises(gone.DataError, match="Unknown label type"):
        GoneClassifier(epochs=1).fit(X, X[:, 0])
    with pytest.raises(gone.DataError, match="n_samples=3"):
        GoneClassifier(epochs=1, early_stopping=True).fit(X[:3], y[:3])


def test_activation_and_initializer_by_name_or_instance():
    X, y = blobs()
    model = GoneClassifier(activation="tanh", epochs=1, random_state=0).fit(X, y)
    assert isinstance(model.network_.layers[1].activation, gone.Tanh)
    assert isinstance(model.network_.initializer, gone.Xavier)  # "auto": Glorot for tanh
    assert isinstance(GoneClassifier(epochs=1).fit(X, y).network_.initializer, gone.He)
    leaky = gone.LeakyReLU(0.2)
    model = GoneClassifier(activation=leaky, initializer="uniform", epochs=1).fit(X, y)
    assert model.network_.layers[1].activation == leaky
    assert model.network_.initializer == gone.Uniform()


def test_hidden_layer_sizes_take_an_int_or_nothing():
    X, y = blobs()
    assert [layer.nodes for layer in GoneClassifier(7, epochs=1).fit(X, y).network_.layers] == [
        4,
        7,
        3,
    ]
    logistic = GoneClassifier(hidden_layer_sizes=(), epochs=1).fit(X, y)
    assert [layer.nodes for layer in logistic.network_.layers] == [4, 3]


def test_float32_trains_and_predicts_in_float32():
    X, y = blobs()
    model = small(dtype="float32").fit(X, y)
    assert model.network_.dtype == np.float32
    assert model.predict_proba(X).dtype == np.float32
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0, rtol=1e-6)
    assert model.score(X, y) > 0.95


def test_weight_decay_shrinks_the_weights():
    X, y = blobs()
    settings = {"hidden_layer_sizes": (16,), "learning_rate": 0.01, "epochs": 30, "random_state": 0}
    plain = GoneClassifier(**settings).fit(X, y).network_
    decayed = GoneClassifier(alpha=0.1, **settings).fit(X, y).network_
    norm = [sum(float(np.sum(W.data**2)) for W in net.weights) for net in (plain, decayed)]
    assert norm[1] < 0.5 * norm[0]


def test_early_stopping_holds_out_a_seeded_split_and_keeps_the_best_epoch():
    X, y = blobs(n=200)
    settings = {"learning_rate": 0.05, "epochs": 300, "early_stopping": True, "random_state": 0}
    settings |= {"validation_fraction": 0.2, "n_iter_no_change": 5}
    model = GoneClassifier(**settings).fit(X, y)
    history = model.history_
    assert model.n_iter_ < 300  # stopped
    assert None not in history.val_loss
    best = int(np.argmin(history.val_loss))
    assert model.n_iter_ == best + 1 + 5  # five epochs without improvement after the best
    twin = GoneClassifier(**settings).fit(X, y)  # the same split, the same stop
    assert twin.n_iter_ == model.n_iter_
    assert_same_parameters(model.network_, twin.network_)


# ---- random_state, clone and refits -------------------------------------------------------------


def test_the_same_int_random_state_gives_the_same_network_bit_for_bit():
    X, y = blobs()
    a = GoneClassifier(hidden_layer_sizes=(8,), epochs=3, random_state=7, early_stopping=True)
    b = clone(a)
    assert_same_parameters(a.fit(X, y).network_, b.fit(X, y).network_)
    c = GoneClassifier(hidden_layer_sizes=(8,), epochs=3, random_state=8, early_stopping=True)
    assert not np.array_equal(c.fit(X, y).network_.parameters()[0], a.network_.parameters()[0])


def test_a_randomstate_is_followed_and_advances_as_in_scikit_learn():
    X, y = blobs()
    first = GoneClassifier(epochs=1, random_state=np.random.RandomState(0)).fit(X, y)
    again = GoneClassifier(epochs=1, random_state=np.random.RandomState(0)).fit(X, y)
    assert_same_parameters(first.network_, again.network_)
    shared = np.random.RandomState(0)
    model = GoneClassifier(epochs=1, random_state=shared)
    one, two = model.fit(X, y).network_, model.fit(X, y).network_
    assert not np.array_equal(one.parameters()[0], two.parameters()[0])


def test_a_refit_starts_afresh():
    X, y = blobs()
    model = GoneClassifier(hidden_layer_sizes=(8,), epochs=3, random_state=0)
    once = model.fit(X, y).network_
    model.fit(X[:, ::-1], np.where(y == 2, 1, y))  # other features, now binary
    assert model.network_ is not once and model.network_.n_outputs == 1
    np.testing.assert_array_equal(model.classes_, [0, 1])
    assert_same_parameters(model.fit(X, y).network_, once)  # and back: the same network again


def test_clone_gives_an_unfitted_twin_with_the_same_parameters():
    X, y = blobs()
    model = GoneClassifier(hidden_layer_sizes=(8, 4), optimizer="rmsprop", random_state=0)
    twin = clone(model.fit(X, y))
    assert twin.get_params() == model.get_params()
    assert not hasattr(twin, "network_") and not hasattr(twin, "classes_")
    assert twin.set_params(learning_rate=0.1) is twin and twin.learning_rate == 0.1


# ---- scikit-learn's tools -----------------------------------------------------------------------


def test_pipeline_grid_search_and_cross_validation():
    X_train, X_test, y_train, y_test = split(load_iris)
    pipeline = make_pipeline(StandardScaler(), GoneClassifier(epochs=30, random_state=0))
    grid = {
        "goneclassifier__hidden_layer_sizes": [(4,), (16,)],
        "goneclassifier__learning_rate": [0.001, 0.01],
    }
    search = GridSearchCV(pipeline, grid, cv=3).fit(X_train, y_train)
    assert search.cv_results_["mean_test_score"].shape == (4,)
    assert (
        search.best_params_["goneclassifier__learning_rate"] == 0.01
    )  # 30 epochs: the bigger step
    best = search.best_estimator_[-1]
    assert isinstance(best.network_, gone.NeuralNetwork)
    assert search.score(X_test, y_test) > 0.9
    scores = cross_val_score(pipeline, X_train, y_train, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.6


def test_cross_val_score_of_a_regressor_is_r2():
    X, y = make_regression(n_samples=120, n_features=4, noise=1.0, random_state=0)
    model = GoneRegressor(hidden_layer_sizes=(), learning_rate=0.05, epochs=50, random_state=0)
    scores = cross_val_score(model, X, y / y.std(), cv=3)
    assert scores.shape == (3,) and scores.min() > 0.95
