"""scikit-learn estimators over gone networks: GoneClassifier and GoneRegressor.

They follow scikit-learn's conventions, so a gone network can be tuned and compared with the
tools Python users already know: `Pipeline`, `GridSearchCV`, `cross_val_score`, `clone`.

    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from gone.sklearn import GoneClassifier

    model = make_pipeline(StandardScaler(), GoneClassifier(hidden_layer_sizes=(32,), random_state=0))
    search = GridSearchCV(model, {"goneclassifier__learning_rate": [0.001, 0.01]}).fit(X, y)
    search.best_estimator_[-1].network_.save("best.gone")  # an ordinary gone.NeuralNetwork

`__init__` only stores the parameters (scikit-learn's rule: `clone` and `set_params` rebuild
estimators from them); `fit` checks them, builds a fresh `gone.NeuralNetwork` and trains it with
`NeuralNetwork.train`. What fit learns ends in an underscore: `network_`, `history_` (the gone
History), `n_iter_` (epochs run), `loss_` (the last epoch's training loss), `n_features_in_`,
and for classifiers `classes_`.

scikit-learn is an optional dependency (`pip install "gone[scikit-learn]"`): `import gone` never
imports it; importing this module does, and says how to install it when it is missing.
"""

from numbers import Integral, Real

import numpy as np

from gone._described import from_name_or_instance
from gone._random import make_rng
from gone.activations import ACTIVATIONS, Activation, Identity, LeakyReLU, ReLU, Sigmoid, Softmax
from gone.data import DataSet, one_hot
from gone.errors import ConfigError, DataError, GoneError, MissingDependencyError
from gone.history import EarlyStopping
from gone.initializers import INITIALIZERS, He, Initializer, Xavier
from gone.layers import Layer
from gone.losses import MSE, BinaryCrossEntropy, CrossEntropy
from gone.network import DTYPES, NeuralNetwork
from gone.optimizers import GD, OPTIMIZERS, SGD, Optimizer

PIP_INSTALL = 'pip install "gone[scikit-learn]"'

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
    from sklearn.utils.multiclass import check_classification_targets, type_of_target
    from sklearn.utils.validation import column_or_1d, validate_data
except ImportError as error:
    raise MissingDependencyError(
        f"gone.sklearn builds scikit-learn estimators: expected scikit-learn >= 1.6 installed, "
        f"got {error}; install it with {PIP_INSTALL}"
    ) from error

__all__ = ["GoneClassifier", "GoneRegressor", "NotFittedError"]

#: Optimizers whose batch is fixed by their name, as in Go: SGD one sample, GD the whole set.
FIXED_BATCH = {SGD.name: "one sample per step", GD.name: "the whole set per step"}


class NotFittedError(GoneError, _SklearnNotFittedError):
    """predict, predict_proba or score before fit; scikit-learn's NotFittedError too."""


class _GoneEstimator(BaseEstimator):
    """What the classifier and the regressor share: the parameters, fit's loop, the forward pass.

    Subclasses set `_numeric_targets` and define `_targets(y)` (validated y -> gone targets
    (samples, n_out)) and `_output()` (the output activation and the loss that fits it).
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        optimizer="adam",
        learning_rate=0.001,
        batch_size=None,
        epochs=100,
        alpha=0.0,
        initializer="auto",
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        dtype="float64",
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.alpha = alpha
        self.initializer = initializer
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.dtype = dtype
        self.random_state = random_state

    # ---- fit ---------------------------------------------------------------------------------

    def fit(self, X, y):
        """Train a fresh network on X (samples, features) and y; return self.

        Every call starts from new weights drawn from `random_state`: the same random_state and
        data give the same network, bit for bit.
        """
        dtype = _dtype(self.dtype)
        X, y = _validated(self, X, y, multi_output=True, y_numeric=self._numeric_targets)
        targets = self._targets(y)  # (samples, n_out); sets classes_ for classifiers
        data = DataSet.from_arrays(X, targets, dtype=dtype)
        network = self._new_network(X.shape[1], targets.shape[1], dtype)
        stopping = self._early_stopping()
        validation = None
        if stopping is not None:
            data, validation = self._split(data, network.rng)
        history = network.train(
            self._optimizer(),
            data,
            _count("epochs", self.epochs),
            validation=validation,
            early_stopping=stopping,
            weight_decay=_non_negative("alpha", self.alpha),
        )
        self.network_ = network
        self.history_ = history
        self.n_iter_ = history.epochs
        self.loss_ = history.loss[-1]
        return self

    def _new_network(self, n_in: int, n_out: int, dtype) -> NeuralNetwork:
        activation = from_name_or_instance(self.activation, Activation, ACTIVATIONS, "activation")
        output, loss = self._output()
        hidden = [Layer(n, activation) for n in _layer_sizes(self.hidden_layer_sizes)]
        return NeuralNetwork(
            [Layer(n_in), *hidden, Layer(n_out, output)],
            loss=loss,
            learning_rate=self.learning_rate,
            seed=_generator(self.random_state),
            dtype=dtype,
            initializer=self._initializer(activation),
        )

    def _initializer(self, activation: Activation) -> Initializer:
        if isinstance(self.initializer, str) and self.initializer == "auto":
            # He et al. (2015) derived their scale for rectifiers; Glorot's suits tanh and sigmoid.
            return He() if isinstance(activation, (ReLU, LeakyReLU)) else Xavier()
        registry = {"auto": Xavier, **INITIALIZERS}  # "auto" only to list it in the error
        return from_name_or_instance(self.initializer, Initializer, registry, "initializer")

    def _optimizer(self) -> Optimizer:
        """A new optimizer for every fit: it keeps state (moments, steps) that a refit must not reuse."""
        if isinstance(self.optimizer, Optimizer):
            if self.batch_size is not None:
                raise ConfigError(
                    "batch_size: expected None when optimizer is a gone optimizer (it carries its "
                    f"own batch size, {self.optimizer.batch_size}), got {self.batch_size!r}"
                )
            return type(self.optimizer)(**self.optimizer.params())
        optimizer = from_name_or_instance(self.optimizer, Optimizer, OPTIMIZERS, "optimizer")
        if self.batch_size is None:
            return optimizer
        if optimizer.name in FIXED_BATCH:
            raise ConfigError(
                f"batch_size: expected None with optimizer={optimizer.name!r} "
                f"({FIXED_BATCH[optimizer.name]}), got {self.batch_size!r}; 'mbgd' takes mini-batches"
            )
        return type(optimizer)(batch_size=self.batch_size)

    def _split(self, data: DataSet, rng: np.random.Generator) -> tuple[DataSet, DataSet]:
        """Hold out validation_fraction of the samples, at random, for early stopping."""
        fraction = _fraction(self.validation_fraction)
        n_train = round((1 - fraction) * len(data))  # as DataSet.split counts
        if not 0 < n_train < len(data):
            raise DataError(
                f"early_stopping: expected enough samples for a training and a validation set "
                f"(validation_fraction={fraction}), got n_samples={len(data)}"
            )
        # The network's Generator, after the weights were drawn: one Generator for all randomness.
        return data.split(1 - fraction, seed=rng)

    def _early_stopping(self) -> EarlyStopping | None:
        if not isinstance(self.early_stopping, (bool, np.bool_)):
            raise ConfigError(
                f"early_stopping: expected True or False, got {self.early_stopping!r}"
            )
        if not self.early_stopping:
            return None
        return EarlyStopping(
            patience=_count("n_iter_no_change", self.n_iter_no_change),
            min_delta=_non_negative("tol", self.tol),
        )

    # ---- predict -----------------------------------------------------------------------------

    def _outputs(self, X) -> np.ndarray:
        """The network's outputs (samples, n_out) for X (samples, features)."""
        if not hasattr(self, "network_"):
            raise NotFittedError(
                f"{type(self).__name__}: expected a fitted estimator (call fit first), got an unfitted one"
            )
        X = _validated(self, X, reset=False)
        return self.network_.predict(X)  # (samples, n_out)


class GoneClassifier(ClassifierMixin, _GoneEstimator):
    """A gone network as a scikit-learn classifier.

    Labels of any type (ints, strings) are mapped through `classes_`, in sorted order. The output:
    - binary: one Sigmoid node and BinaryCrossEntropy, P(classes_[1]) = sigmoid(z), as
      MLPClassifier does: one output is all two classes need; a 2-node Softmax has twice the
      weights for the same function.
    - multiclass: one Softmax node per class and CrossEntropy.
    - multilabel (y a 0/1 indicator matrix (samples, labels)): one Sigmoid node per label and
      BinaryCrossEntropy; predict returns the 0/1 matrix, classes_ is arange(labels).

    Parameters (stored as given; fit checks them):
    - hidden_layer_sizes: nodes of each hidden layer, e.g. (64, 32); () for none.
    - activation: of the hidden layers, a gone name ("relu", "tanh", "sigmoid", "leaky_relu",
      "id") or a gone Activation such as gone.LeakyReLU(0.1).
    - optimizer: "adam", "rmsprop", "mbgd" (batch_size samples a step), "sgd" (one sample, as Go),
      "gd" (the whole set); or a gone Optimizer (then batch_size stays None).
    - learning_rate: the step size of the optimizer.
    - batch_size: samples per step for adam, rmsprop and mbgd; None takes gone's default (32).
    - epochs: passes over the training data (fewer with early stopping).
    - alpha: weight decay, the L2 penalty (alpha / 2) * sum(W^2) on the weights; dW += alpha * W.
    - initializer: "auto" (He for relu and leaky_relu, Xavier otherwise), a gone name ("he",
      "xavier", "normal", "uniform") or a gone Initializer.
    - early_stopping: hold out validation_fraction of the training data (a random split from
      random_state) and stop when its loss has not fallen by tol for n_iter_no_change epochs,
      keeping the weights of the best epoch (gone.EarlyStopping).
    - dtype: "float64" or "float32" (faster), the network's and the inputs' float type.
    - random_state: None, an int, a numpy RandomState or Generator: one Generator for the
      weights, the shuffling and the validation split. An int gives the same network bit for bit.

    Not supported: sparse X, sample_weight, partial_fit, warm_start (a refit starts afresh; to
    train on, call `model.network_.train(model.network_.optimizer, ...)`), multiclass-multioutput y.

    >>> model = GoneClassifier(hidden_layer_sizes=(32,), learning_rate=0.001, epochs=20, random_state=0)
    >>> model.fit(X_train, y_train).score(X_test, y_test)
    >>> model.network_.save("digits.gone")
    """

    _numeric_targets = False

    def _targets(self, y) -> np.ndarray:
        try:
            check_classification_targets(y)
        except ValueError as error:
            raise DataError(f"y: expected class labels, got {error}") from error
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
            self._multilabel = True
            return y.astype(np.float64)  # (samples, labels) of 0 and 1
        if kind == "multiclass-multioutput":
            raise DataError(
                "y: expected class labels (samples,) or a 0/1 indicator matrix (samples, labels), "
                f"got {y.shape[1]} columns of multiclass labels"
            )
        y = column_or_1d(y, warn=True)  # a column (samples, 1) warns, as scikit-learn does
        self.classes_, indices = np.unique(y, return_inverse=True)
        self._multilabel = False
        if len(self.classes_) < 2:
            raise DataError(
                f"y: expected labels of at least 2 classes, got 1 class ({self.classes_[0]!r})"
            )
        if len(self.classes_) == 2:
            return indices[:, None].astype(np.float64)  # (samples, 1): 1 means classes_[1]
        return one_hot(indices, len(self.classes_))  # (samples, classes)

    def _output(self):
        if self._multilabel or len(self.classes_) == 2:
            return Sigmoid(), BinaryCrossEntropy()
        return Softmax(), CrossEntropy()

    def predict_proba(self, X) -> np.ndarray:
        """Return class probabilities (samples, classes) in the order of classes_, each row summing
        to 1; for multilabel, each label's own probability (samples, labels)."""
        P = self._outputs(X)  # (samples, n_out)
        if P.shape[1] == 1 and not self._multilabel:
            return np.hstack([1 - P, P])  # (samples, 2): P(classes_[0]), P(classes_[1])
        return P

    def predict_log_proba(self, X) -> np.ndarray:
        """Return log(predict_proba(X))."""
        return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """Return the most probable class of each sample (samples,); for multilabel, the 0/1 matrix
        (samples, labels) of the labels whose probability is above 0.5."""
        P = self.predict_proba(X)
        if self._multilabel:
            return (P > 0.5).astype(np.int64)
        return self.classes_[P.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class GoneRegressor(RegressorMixin, _GoneEstimator):
    """A gone network as a scikit-learn regressor: Identity outputs and MSE.

    y is (samples,) or (samples, targets); predict returns the same shape (a column
    (samples, 1) is taken as (samples,), with scikit-learn's warning). score is R^2. The loss sees
    y as it comes: scale targets far from unit size (sklearn.compose.TransformedTargetRegressor).

    The parameters are GoneClassifier's (see there).

    >>> GoneRegressor(hidden_layer_sizes=(32,), epochs=200, random_state=0).fit(X, y).score(X, y)
    """

    _numeric_targets = True

    def _targets(self, y) -> np.ndarray:
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return y.reshape(len(y), -1)  # (samples, targets)

    def _output(self):
        return Identity(), MSE()

    def predict(self, X) -> np.ndarray:
        """Return the predictions (samples,) for one target, (samples, targets) for several."""
        Y = self._outputs(X)  # (samples, n_out)
        return Y[:, 0] if Y.shape[1] == 1 else Y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _validated(estimator, *arrays, **checks):
    """scikit-learn's validate_data (it also sets or checks n_features_in_), its ValueErrors as
    gone DataErrors with scikit-learn's own words: NaN, empty data, the wrong number of features."""
    try:
        return validate_data(estimator, *arrays, dtype=DTYPES, **checks)
    except ValueError as error:
        raise DataError(str(error)) from error


# ---- checking parameters (in fit: scikit-learn's __init__ must only store them) ------------------


def _generator(random_state) -> np.random.Generator:
    """One Generator from scikit-learn's random_state: None, an int, a RandomState or a Generator.

    An int seeds the Generator as gone's `seed=` does, so GoneClassifier(random_state=1) starts
    from the weights of gone.NeuralNetwork(..., seed=1). A RandomState gives the seed of a new
    Generator and advances, as scikit-learn's estimators advance a RandomState they are given.
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    try:
        return make_rng(random_state)
    except ConfigError:
        raise ConfigError(
            "random_state: expected None, an int, a numpy RandomState or Generator, "
            f"got {random_state!r}"
        ) from None


def _layer_sizes(sizes) -> tuple[int, ...]:
    sizes = (sizes,) if isinstance(sizes, Integral) else sizes
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise ConfigError(
            f"hidden_layer_sizes: expected an int or a sequence of ints >= 1, got {sizes!r}"
        ) from None
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
            raise ConfigError(f"hidden_layer_sizes: expected ints >= 1, got {size!r} in {sizes!r}")
    return sizes


def _dtype(dtype) -> np.dtype:
    try:
        # np.dtype(None) would be float64: None is refused rather than read as a default.
        ok = dtype is not None and np.dtype(dtype) in DTYPES
    except TypeError:
        ok = False
    if not ok:
        raise ConfigError(f"dtype: expected 'float64' or 'float32', got {dtype!r}")
    return np.dtype(dtype)


def _count(what: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ConfigError(f"{what}: expected an int >= 1, got {value!r}")
    return int(value)


def _non_negative(what: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value < np.inf:
        raise ConfigError(f"{what}: expected a number >= 0, got {value!r}")
    return float(value)


def _fraction(value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value < 1:
        raise ConfigError(f"validation_fraction: expected a number in (0, 1), got {value!r}")
    return float(value)
