"""CMA-ES through pycma: Hansen's reference implementation, its ask/tell mapped to Populations.

CMA-ES (Hansen & Ostermeier 2001; Hansen 2016, "The CMA Evolution Strategy: A Tutorial")
samples each generation from N(m, sigma^2 C) over the G genes of one layout and adapts the
mean m, the step size sigma and the whole covariance matrix C (G x G) from the ranked samples.
The algorithm is pycma's, not gone's (`pip install "gone[cma]"`): this adapter only
1. gives pycma a standard-normal sampler that draws from the strategy's own numpy Generator
   (pycma's option `randn`), so a seed gives the same run bit for bit and numpy's global
   random state is never used; pycma's output files and messages are switched off;
2. turns pycma's solutions, a list of P vectors (G,), into one Population (P, G) on ask;
3. hands pycma minus the fitness on tell: pycma minimises, gone's fitness is maximised.

Checkpoints: pycma documents one way to save and resume its state, pickling the whole
CMAEvolutionStrategy object (`es.pickle_dumps()`, read back with `pickle.loads`; see the
"resume" example in `cma.CMAEvolutionStrategy`'s docstring). Loading a pickle runs code, and
.gone files never hold one, so CMAES cannot be saved: `save` raises a ConfigError saying so.
"""

from collections.abc import Sequence

import numpy as np

from gone._checks import check_int, check_number
from gone._random import Seed, make_rng
from gone.errors import ConfigError
from gone.genetic.layout import GenomeLayout
from gone.genetic.population import Population, network_from_genome
from gone.genetic.strategy import Strategy
from gone.initializers import Initializer
from gone.layers import Layer
from gone.losses import Loss
from gone.network import NeuralNetwork

PIP_INSTALL = 'pip install "gone[cma]"'

#: pycma's options that keep it quiet and stateless outside the strategy: no console output,
#: no files written (outcmaes/), no signals file read, and numpy's global seed left alone (the
#: samples come from the strategy's Generator through the option `randn`).
QUIET_OPTIONS = {
    "verbose": -9,
    "verb_disp": 0,
    "verb_log": 0,
    "verb_time": False,
    "signals_filename": "",
    "seed": float("nan"),
}


class CMAES(Strategy):
    """CMA-ES through pycma (Hansen's `cma` package), on the genes of one network layout.

    Parameters: `layers` (Layer list, input first), `population_size` (P, pycma's `popsize`;
    None: pycma's default 4 + floor(3 ln G)), `sigma` (the initial step size), `options` (a dict
    of further pycma options, e.g. {"CMA_diagonal": True} for a large G), `loss`, `dtype` and
    `initializer` (the individuals' configuration, as for NeuralNetwork; the mean starts as a
    network drawn with `initializer`), `seed` (int or Generator) for every draw.

    `es` is the pycma CMAEvolutionStrategy itself (`es.sigma`, `es.result`, `es.stop()`, ...).
    `best()` is the fittest sample of the last generation told; `mean_network()` the mean m.
    Requires the optional extra: `pip install "gone[cma]"`. Not saveable (module docstring).

    >>> strategy = gone.CMAES(layers, population_size=None, sigma=0.5, seed=0)
    >>> gone.evolve(fitness, strategy, 100, vectorized=True, target=-0.01)
    >>> strategy.best()
    """

    name = "cmaes"

    def __init__(
        self,
        layers: Sequence[Layer],
        population_size: int | None = None,
        sigma: float = 0.5,
        *,
        options: dict | None = None,
        loss: Loss | None = None,
        dtype=np.float64,
        initializer: Initializer | None = None,
        seed: Seed = None,
    ):
        cma = _import_cma()
        rng = make_rng(seed)
        template = NeuralNetwork(layers, loss=loss, dtype=dtype, initializer=initializer, seed=rng)
        self._template = template
        self.layout = GenomeLayout(template.weight_shapes)
        sigma = check_number(sigma, "sigma", above=0)
        if options is not None and not isinstance(options, dict):
            raise ConfigError(f"options: expected a dict of pycma options, got {options!r}")
        settings = {**(options or {}), **QUIET_OPTIONS, "randn": self._standard_normal}
        if population_size is not None:
            settings["popsize"] = check_int(population_size, "population_size", 2)
        mean = self.layout.flatten(self.layout.stacks_of(template))[0].astype(np.float64)  # (G,)
        self.rng = rng  # before pycma's constructor, which may draw already
        self.es = cma.CMAEvolutionStrategy(mean, sigma, settings)
        super().__init__(int(self.es.popsize), rng)
        self._solutions = None  # pycma's solutions of the population asked for, until told

    def _standard_normal(self, *shape) -> np.ndarray:
        """pycma's `randn(lam, N)`: standard normal numbers from the strategy's Generator."""
        return self.rng.standard_normal(shape)

    def _sample(self, generation: int) -> Population:
        self._solutions = self.es.ask()  # P arrays (G,)
        genes = np.array(self._solutions)  # (P, G)
        # seed: the Population's own Generator, which the strategy never draws from.
        return Population.from_genes(genes, self._template, seed=generation, generation=generation)

    def _learn(self, population: Population, fitness: np.ndarray) -> None:
        self.es.tell(self._solutions, (-fitness).tolist())  # pycma minimises
        self._solutions = None

    def mean_network(self) -> NeuralNetwork:
        """Return pycma's mean m (its `es.mean`) as a NeuralNetwork."""
        return network_from_genome(self.es.mean, self._template, seed=0)

    def _state(self) -> dict:
        raise ConfigError(
            "CMAES.save: expected a strategy whose state gone can write, got CMA-ES, whose "
            "state pycma saves only by pickling it (es.pickle_dumps()), and loading a pickle "
            "runs code: checkpoint gone.OpenAIES or gone.GeneticAlgorithm instead"
        )


def _import_cma():
    """Import pycma on first use, so that `import gone` does not need it."""
    from gone.errors import MissingDependencyError

    try:
        import cma
    except ImportError as error:
        raise MissingDependencyError(
            f"gone.CMAES runs pycma: expected the package cma installed, got {error}; "
            f"install it with {PIP_INSTALL}"
        ) from error
    return cma
