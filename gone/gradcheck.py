"""Check backpropagation against central finite differences, parameter by parameter."""

from dataclasses import dataclass

import numpy as np

from gone import backprop


@dataclass(frozen=True)
class GradientCheck:
    """Per parameter ("W0", "b0", "W1", ...): the relative error ||analytic - numeric|| /
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

    The whole data set is one batch. Run it in float64 (float32 cannot resolve eps-sized steps)
    and on an untrained network: at a minimum the gradients vanish and only noise is compared.
    Parameters are restored afterwards.

    >>> print(gone.gradient_check(net, data))
    """
    data = net._check_data(data, "data")
    A0, Y = data.inputs.T, data.targets.T  # (n_in, N), (n_out, N)
    weights, biases, activations = net._weights, net._biases, net._activations

    def loss() -> float:
        Zs, As = backprop.forward(weights, biases, activations, A0)
        return net.loss.value(activations[-1], Zs[-1], As[-1], Y)

    Zs, As = backprop.forward(weights, biases, activations, A0)
    dWs, dbs = backprop.backward(weights, activations, net.loss, Zs, As, Y)
    errors, worst, norms = {}, {}, {}
    for l in range(len(weights)):
        for name, param, analytic in ((f"W{l}", weights[l], dWs[l]), (f"b{l}", biases[l], dbs[l])):
            numeric = np.zeros_like(param)
            for index in np.ndindex(param.shape):  # a loop is the point here: one nudge per entry
                saved = param[index]
                param[index] = saved + epsilon
                plus = loss()
                param[index] = saved - epsilon
                minus = loss()
                param[index] = saved
                numeric[index] = (plus - minus) / (2 * epsilon)
            norms[name] = float(np.linalg.norm(analytic))
            scale = norms[name] + np.linalg.norm(numeric)
            errors[name] = float(np.linalg.norm(analytic - numeric) / scale) if scale else 0.0
            worst[name] = tuple(
                int(i) for i in np.unravel_index(np.argmax(np.abs(analytic - numeric)), param.shape)
            )
    return GradientCheck(errors, worst, tolerance, norms)
