"""OpenAI-ES: the natural evolution strategy of Salimans et al. 2017, on the genes of one network.

Salimans, Ho, Chen, Sidor & Sutskever 2017, "Evolution Strategies as a Scalable Alternative to
Reinforcement Learning". The search distribution is a Gaussian N(theta, sigma^2 I) over the G
genes of one layout (W0 row-major, b0, W1, b1, ..., as GenomeLayout orders them). The strategy
climbs the smoothed fitness J(theta) = E[F(theta + sigma eps)], eps ~ N(0, I), whose gradient
grad J(theta) = E[F(theta + sigma eps) eps] / sigma it estimates from one generation of samples:

1. ask: draw the noise eps (P/2, G), one stacked array, and mirror it (antithetic sampling):
   individual j is theta + sigma eps_j and individual P/2 + j is theta - sigma eps_j. They come
   as one Population, so evaluating them all is one batched matmul per layer;
2. tell: shape the fitness into centred ranks, u_i = rank(F_i) / (P - 1) - 1/2 in [-1/2, 1/2]
   (the worst 0, ties sharing their mean rank): the step no longer depends on the fitness's
   scale, and one lucky outlier cannot drag the mean;
3. estimate the gradient, each mirrored pair j giving one term:
   g = 1 / (P sigma) sum_i u_i eps_i = 1 / (P sigma) sum_j (u_j - u_{P/2+j}) eps_j     (G,)
   (mirroring cancels the noise's own mean exactly, which lowers the variance of g);
4. step theta with Adam (Kingma & Ba 2015) up g, with optional weight decay lambda (L2):
   d = -g + lambda theta;  m = beta1 m + (1 - beta1) d;  v = beta2 v + (1 - beta2) d^2
   theta -= lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + epsilon)
"""

import math
from collections.abc import Sequence

import numpy as np

from gone._checks import check_int, check_number
from gone._random import Seed, make_rng
from gone.errors import ConfigError, ShapeError
from gone.genetic.layout import GenomeLayout
from gone.genetic.population import Population, network_from_genome
from gone.genetic.strategy import Strategy
from gone.initializers import Initializer
from gone.layers import Layer
from gone.losses import Loss
from gone.network import NeuralNetwork


class OpenAIES(Strategy):
    """OpenAI-ES (Salimans et al. 2017): mirrored Gaussian samples around a mean, which Adam
    moves along the centred-rank estimate of the fitness gradient (steps: module docstring).

    Parameters: `layers` (Layer list, input first), `population_size` (P, even: mirrored pairs),
    `sigma` (the noise's standard deviation), `learning_rate` (Adam's step size),
    `weight_decay` (lambda, an L2 pull of the mean towards 0; Salimans et al. used 0.005),
    `beta1`, `beta2`, `epsilon` (Adam's), `loss`, `dtype` and `initializer` (the individuals'
    configuration, as for NeuralNetwork; the mean starts as a network drawn with `initializer`),
    `seed` (int or Generator) for every draw.

    State besides Strategy's: `mean` (G,) float64, the distribution's centre theta; `m` and `v`
    (G,), Adam's moments; `steps` t, the updates made. `best()` is the fittest sample of the
    last generation told; `mean_network()` the centre itself, the network Salimans et al.
    deploy, which is smoother than any one sample but not always as fit.

    >>> strategy = gone.OpenAIES(layers, 256, sigma=0.1, learning_rate=0.01, seed=0)
    >>> population = strategy.ask()                 # 256 networks: 128 mirrored pairs
    >>> strategy.tell(fitness(population))           # (256,)
    >>> gone.evolve(fitness, strategy, 100, vectorized=True, target=-0.01)
    """

    name = "openai_es"

    def __init__(
        self,
        layers: Sequence[Layer],
        population_size: int,
        *,
        sigma: float = 0.1,
        learning_rate: float = 0.01,
        weight_decay: float = 0.0,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        loss: Loss | None = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
        seed: Seed = None,
    ):
        rng = make_rng(seed)
        template = NeuralNetwork(layers, loss=loss, dtype=dtype, initializer=initializer, seed=rng)
        self._configure(
            template,
            dict(
                population_size=population_size,
                sigma=sigma,
                learning_rate=learning_rate,
                weight_decay=weight_decay,
                beta1=beta1,
                beta2=beta2,
                epsilon=epsilon,
            ),
            rng,
        )
        self.mean = self.layout.flatten(self.layout.stacks_of(template))[0].astype(np.float64)
        self.m = np.zeros(self.layout.size)  # (G,)
        self.v = np.zeros(self.layout.size)  # (G,)
        self.steps = 0

    def _configure(self, template: NeuralNetwork, settings: dict, rng) -> None:
        """Check and keep the settings; `template` gives the individuals' configuration."""
        P = check_int(settings.get("population_size"), "population_size", 2)
        if P % 2:
            raise ConfigError(
                f"population_size: expected an even int (mirrored pairs), got {P}; use {P + 1}"
            )
        super().__init__(P, rng)
        self.sigma = check_number(settings.get("sigma"), "sigma", above=0)
        self.learning_rate = check_number(settings.get("learning_rate"), "learning_rate", above=0)
        self.weight_decay = check_number(settings.get("weight_decay"), "weight_decay", minimum=0)
        self.beta1 = check_number(settings.get("beta1"), "beta1", minimum=0, below=1)
        self.beta2 = check_number(settings.get("beta2"), "beta2", minimum=0, below=1)
        self.epsilon = check_number(settings.get("epsilon"), "epsilon", above=0)
        self._template = template
        self.layout = GenomeLayout(template.weight_shapes)
        self._noise = None  # eps (P/2, G) of the population asked for, until it is told

    # ---- one generation ------------------------------------------------------------------------

    def _sample(self, generation: int) -> Population:
        eps = self.rng.standard_normal((self.population_size // 2, self.layout.size))  # (P/2, G)
        self._noise = eps
        genes = self.mean + self.sigma * np.concatenate([eps, -eps])  # (P, G) mirrored
        return self._population(genes, generation)

    def _learn(self, population: Population, fitness: np.ndarray) -> None:
        u = centred_ranks(fitness)  # (P,)
        half = self.population_size // 2
        g = (u[:half] - u[half:]) @ self._noise / (self.population_size * self.sigma)  # (G,)
        self._adam_step(self.weight_decay * self.mean - g)  # descend -J + lambda/2 |theta|^2
        self._noise = None

    def _adam_step(self, d: np.ndarray) -> None:
        """theta -= Adam's step for the gradient d (G,) of what theta should minimise."""
        b1, b2 = self.beta1, self.beta2
        self.steps += 1
        t = self.steps
        self.m = b1 * self.m + (1 - b1) * d  # (G,) running mean of d
        self.v = b2 * self.v + (1 - b2) * d * d  # (G,) running mean of d^2
        # Both bias corrections, 1 / (1 - b1^t) for m and 1 / (1 - b2^t) for v, in the step size.
        step_size = self.learning_rate * math.sqrt(1 - b2**t) / (1 - b1**t)
        self.mean = self.mean - step_size * self.m / (np.sqrt(self.v) + self.epsilon)  # (G,)

    def _population(self, genes: np.ndarray, generation: int) -> Population:
        """The individuals with genes (P, G) as a Population of generation `generation`."""
        # seed: the Population's own Generator, which the strategy never draws from.
        return Population.from_genes(genes, self._template, seed=generation, generation=generation)

    def mean_network(self) -> NeuralNetwork:
        """Return the distribution's centre theta as a NeuralNetwork (in the strategy's dtype)."""
        return network_from_genome(self.mean, self._template, seed=0)

    # ---- files -------------------------------------------------------------------------------

    def _state(self) -> dict:
        arrays = {"mean": self.mean, "m": self.m, "v": self.v}
        if self._noise is not None:  # asked for and not told yet: tell will need the noise
            arrays["noise"] = self._noise.ravel()
        return dict(
            network=self.mean_network(),
            settings=dict(
                population_size=self.population_size,
                sigma=self.sigma,
                learning_rate=self.learning_rate,
                weight_decay=self.weight_decay,
                beta1=self.beta1,
                beta2=self.beta2,
                epsilon=self.epsilon,
            ),
            arrays={name: np.array(array, dtype=np.float64) for name, array in arrays.items()},
            counters={"steps": self.steps},
        )

    @classmethod
    def _restore(cls, record, rng, population) -> "OpenAIES":
        strategy = cls.__new__(cls)
        strategy._configure(record.network, record.settings, rng)
        G, half = strategy.layout.size, strategy.population_size // 2
        arrays = dict(record.arrays)
        for name, shape in (("mean", (G,)), ("m", (G,)), ("v", (G,))):
            setattr(strategy, name, _array(arrays.pop(name, None), name, shape))
        waiting = population is not None and not record.evaluated
        if waiting:
            strategy._noise = _array(arrays.pop("noise", None), "noise", (half, G))
        if arrays:
            raise ConfigError(f"state arrays: expected mean, m, v, got also {sorted(arrays)}")
        strategy.steps = check_int(record.counters.get("steps"), "steps", 0)
        if population is not None and population.size != strategy.population_size:
            raise ShapeError(
                f"population: expected {strategy.population_size} individuals, "
                f"got {population.size}"
            )
        strategy._resume(population, record.evaluated, record.history)
        return strategy


def centred_ranks(fitness: np.ndarray) -> np.ndarray:
    """Return the centred ranks (P,) of `fitness` (P,): rank / (P - 1) - 1/2, in [-1/2, 1/2].

    The worst gets -1/2 and the best 1/2; equal fitness values share their mean rank, so that
    a mirrored pair of equal fitness adds nothing to the gradient.

    >>> centred_ranks(np.array([3.0, -1.0, 10.0, 3.0]))
    array([ 0.16666667, -0.5       ,  0.5       ,  0.16666667])
    """
    P = len(fitness)
    order = np.argsort(fitness, kind="stable")  # (P,) worst first
    _, first, counts = np.unique(fitness[order], return_index=True, return_counts=True)
    ranks = np.empty(P)
    ranks[order] = np.repeat(first + (counts - 1) / 2, counts)  # the mean rank of each tie
    return ranks / (P - 1) - 0.5


def _array(values, name: str, shape: tuple[int, ...]) -> np.ndarray:
    if values is None:
        raise ConfigError(f"state {name}: expected an array of shape {shape}, got none")
    values = np.asarray(values, dtype=np.float64)
    if values.size != math.prod(shape):
        raise ShapeError(f"state {name}: expected {math.prod(shape)} values, got {values.size}")
    return values.reshape(shape).copy()
