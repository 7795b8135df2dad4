"""Check backpropagation against central finite differences, parameter by parameter.

The loss checked is the one training differentiates: the whole data set as one batch, in training
mode (batch norms on the batch's statistics), with every dropout layer's mask drawn once and then
kept, so that every nudge sees the same function of the parameters.
"""

from dataclasses import dataclass

import numpy as np

from gone._checks import check_instance, check_number
from gone.data import DataSet
from gone.network import NeuralNetwork


@dataclass(frozen=True)
class GradientCheck:
    """Per parameter ("W0", "b0", "W1", ..., "gamma2", "beta2": the name and the number of its
    layer among those with parameters): the relative error ||analytic - numeric|| /
    (||analytic|| + ||numeric||) and the worst single entry. `ok` when every error < tolerance."""

    errors: dict[str, float]
    worst_entries: dict[str, tuple[int, ...]]
    tolerance: float
    #: ||analytic gradient|| per parameter: near zero (a trained minimum) the ratio means nothing.
    gradient_norms: dict[str, float]

    @property
    def max_error(self) -> float:
        return max(self.errors.values())

    @property
    def ok(self) -> bool:
        return self.max_error < self.tolerance

    def __str__(self):
        lines = [f"{'parameter':<10} {'relative error':>15}  worst entry"]
        for name, error in self.errors.items():
            flag = "" if error < self.tolerance else "   <-- wrong"
            lines.append(f"{name:<10} {error:>15.3e}  {self.worst_entries[name]}{flag}")
        if not self.ok and min(self.gradient_norms.values()) < 1e-8:
            lines.append(
                "the gradients are nearly zero (a trained minimum?): finite differences cannot "
                "resolve them there; check an untrained network"
            )
        return "\n".join(lines)


def gradient_check(net, data, epsilon: float = 1e-6, tolerance: float = 1e-6) -> GradientCheck:
    """Compare the network's backprop gradients with (L(p + eps) - L(p - eps)) / (2 eps).

    The whole data set is one batch, in training mode; dropout masks are drawn once and reused.
    Run it in float64 (float32 cannot resolve eps-sized steps) and on an untrained network: at a
    minimum the gradients vanish and only noise is compared. Parameters, running statistics and
    the network's Generator are as before afterwards.

    >>> print(gone.gradient_check(net, data))
    """
    check_instance(net, NeuralNetwork, "net", "a gone.NeuralNetwork")
    epsilon = check_number(epsilon, "epsilon", above=0)
    tolerance = check_number(tolerance, "tolerance", above=0)
    data = _as_dataset(net, data)
    weighted = [layer for layer in net.layers[1:] if layer.parameter_names]  # after the input
    names = [f"{name}{k}" for k, layer in enumerate(weighted) for name in layer.parameter_names]
    errors, worst, norms = {}, {}, {}
    with net._fixed_dropout():
        pairs = zip(names, net.parameters(), net.gradients(data), strict=True)
        for name, param, analytic in pairs:
            numeric = _numeric_gradient(net, data, param, epsilon)
            errors[name], worst[name], norms[name] = _compare(analytic, numeric, param.shape)
    return GradientCheck(errors, worst, tolerance, norms)


def _compare(analytic, numeric, shape) -> tuple[float, tuple[int, ...], float]:
    """(relative error, index of the worst entry, ||analytic||) of one parameter's gradients."""
    norm = float(np.linalg.norm(analytic))
    scale = norm + np.linalg.norm(numeric)
    error = float(np.linalg.norm(analytic - numeric) / scale) if scale else 0.0
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(analytic - numeric)), shape))
    return error, worst, norm


def _as_dataset(net, data) -> DataSet:
    """Return `data` as a DataSet in the network's dtype, converted once for all the nudges."""
    if isinstance(data, tuple) and len(data) == 2:
        return DataSet.from_arrays(*data, dtype=net.dtype)
    if isinstance(data, DataSet):
        return data.astype(net.dtype)
    return data  # net.gradients says what is wrong with it


def _numeric_gradient(net, data, param: np.ndarray, epsilon: float) -> np.ndarray:
    """Return dL/dparam by central differences, nudging one entry of `param` at a time."""
    numeric = np.zeros_like(param)
    for index in np.ndindex(param.shape):  # a loop is the point here: one nudge per entry
        saved = param[index]
        param[index] = saved + epsilon
        plus = net._training_loss(data)
        param[index] = saved - epsilon
        minus = net._training_loss(data)
        param[index] = saved
        numeric[index] = (plus - minus) / (2 * epsilon)
    return numeric
