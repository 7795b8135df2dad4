"""Bad arguments at the genetic API: every one is a GoneError saying what was expected and what
came, raised by the call that took it, never a TypeError or ValueError from deep inside numpy."""

import warnings

import numpy as np
import pytest

import gone
from gone.errors import ConfigError, DataError, ShapeError
from gone.genetic import (
    ArithmeticCrossover,
    GaussianMutation,
    GenomeLayout,
    Population,
    Rank,
    Tournament,
    Truncation,
    UniformCrossover,
    crossover_from_name,
    evolve,
    selection_from_name,
)
from gone.genetic.operators import mutate

LAYERS = [gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(1)]
P = 4


def population() -> Population:
    return Population(LAYERS, P, seed=0)


def net(seed=0) -> gone.NeuralNetwork:
    return gone.NeuralNetwork(LAYERS, seed=seed)


def never_called(*args):
    pytest.fail("the fitness ran although a setting was bad")


def evolving(**settings):
    return lambda: evolve(never_called, population(), 3, **settings)


def fitness_of(values):
    """Evaluate a population with a vectorized fitness that returns `values`."""
    return lambda: population().evaluate(lambda _: values, vectorized=True)


W, B = population().weights, population().biases
C, D = ConfigError, DataError

BAD = [
    # mutation
    (lambda: GaussianMutation(None, 1), C, "GaussianMutation rate: expected a finite number in [0, 1], got None"),
    (lambda: GaussianMutation("0.1", 1), C, "GaussianMutation rate: expected a finite number in [0, 1], got '0.1'"),
    (lambda: GaussianMutation(True, 1), C, "GaussianMutation rate: expected a finite number in [0, 1], got True"),
    (lambda: GaussianMutation(0.1j, 1), C, "GaussianMutation rate: expected a finite number in [0, 1], got 0.1j"),
    (lambda: GaussianMutation(0.1, None), C, "GaussianMutation stddev: expected a finite number >= 0, got None"),
    (lambda: GaussianMutation(0.1, 1, "0"), C, "GaussianMutation mean: expected a finite number, got '0'"),
    (lambda: net().mutate(None), C, "mutation: expected a gone mutation such as gone.GaussianMutation"),
    (lambda: net().mutate(GaussianMutation(0.1, 1), seed="1"), C, "a numpy Generator or None, got '1'"),
    (lambda: mutate(None, GaussianMutation(0.1, 1)), C, "mutated net: expected a gone.NeuralNetwork, got None"),
    # selection
    (lambda: Tournament("3"), C, "Tournament size: expected an int >= 1, got '3'"),
    (lambda: Tournament(None), C, "Tournament size: expected an int >= 1, got None"),
    (lambda: Tournament(2.0), C, "Tournament size: expected an int >= 1, got 2.0"),
    (lambda: Rank("1.5"), C, "Rank pressure: expected a finite number in [1, 2], got '1.5'"),
    (lambda: Rank(None), C, "Rank pressure: expected a finite number in [1, 2], got None"),
    (lambda: Truncation(None), C, "Truncation fraction: expected a finite number in (0, 1], got None"),
    (lambda: Truncation("0.5"), C, "Truncation fraction: expected a finite number in (0, 1], got '0.5'"),
    (lambda: selection_from_name("tournament", size="3"), C, "Tournament size: expected an int >= 1"),
    (lambda: selection_from_name(None), C, "selection: expected one of rank, roulette, tournament, truncation"),
    # crossover
    (lambda: UniformCrossover("0.5"), C, "UniformCrossover p_first: expected a finite number in [0, 1], got '0.5'"),
    (lambda: UniformCrossover(None), C, "UniformCrossover p_first: expected a finite number in [0, 1], got None"),
    (lambda: ArithmeticCrossover("0.5"), C, "ArithmeticCrossover alpha: expected a finite number in [0, 1], got '0.5'"),
    (lambda: ArithmeticCrossover(per_gene="no"), C, "ArithmeticCrossover per_gene: expected True or False, got 'no'"),
    (lambda: ArithmeticCrossover(per_gene=None), C, "ArithmeticCrossover per_gene: expected True or False, got None"),
    (lambda: crossover_from_name("uniform", p_first=None), C, "UniformCrossover p_first: expected a finite number"),
    (lambda: net().crossover(None), C, "crossover parent b: expected a gone.NeuralNetwork, got None"),
    (lambda: net().crossover("net"), C, "crossover parent b: expected a gone.NeuralNetwork, got 'net'"),
    (lambda: net().crossover(net(1), method=None), C, "crossover: expected one of arithmetic, single_point, uniform"),
    (lambda: net().crossover(net(1), seed=1.5), C, "a numpy Generator or None, got 1.5"),
    # the genome's layout
    (lambda: GenomeLayout(None), C, "weight_shapes: expected (next nodes, current nodes) pairs, got None"),
    (lambda: GenomeLayout([3]), C, "weight_shapes: expected (next nodes, current nodes) pairs, got [3]"),
    (lambda: GenomeLayout([(2, "3")]), C, "weight_shapes nodes: expected an int >= 1, got '3'"),
    # Population: building it
    (lambda: Population(LAYERS, "10"), C, "population size: expected an int >= 1, got '10'"),
    (lambda: Population(LAYERS, None), C, "population size: expected an int >= 1, got None"),
    (lambda: Population(LAYERS, 4, seed="0"), C, "a numpy Generator or None, got '0'"),
    (lambda: Population.from_networks(None), C, "networks: expected a list of gone.NeuralNetwork, got NoneType"),
    (lambda: Population.from_networks([net(), "x"]), C, "networks[1]: expected a gone.NeuralNetwork, got 'x'"),
    (lambda: Population.from_parameters(LAYERS, None, B), C, "weights: expected a list of stacks"),
    (lambda: Population.from_parameters(LAYERS, W, 3), C, "biases: expected a list of stacks (P, n_{l+1}, 1), got int"),
    (lambda: Population.from_parameters(LAYERS, W, B, generation="3"), C, "generation: expected an int >= 0, got '3'"),
    # Population: using it
    (lambda: population().predict("abc"), DataError, "inputs: expected real numbers, got values of dtype <U3"),
    (lambda: population().predict(None), DataError, "inputs: expected real numbers, got values of dtype object"),
    (lambda: population().predict(np.ones((P, 2)) * 1j), D, "inputs: expected real numbers, got values of dtype c"),
    (lambda: population().predict([[1, 2], [3]]), ShapeError, "inputs: expected a rectangular array, got ragged rows"),
    (lambda: population()[None], C, "population index: expected an int, got None"),
    (lambda: population()["0"], C, "population index: expected an int, got '0'"),
    (lambda: population().evaluate(never_called, vectorized="yes"), C, "vectorized: expected True or False, got 'yes'"),
    (lambda: population().evaluate(never_called, chunksize="2"), C, "chunksize: expected an int >= 1, got '2'"),
    (lambda: population().evaluate(never_called, executor="pool"), C, "executor: expected a concurrent.futures"),
    # a fitness function that returns what is no real number per individual
    (fitness_of(np.ones(P) * (1 + 2j)), DataError, "fitness: expected real numbers, got values of dtype complex128"),
    (fitness_of([1, 2, 3, 1j]), DataError, "fitness: expected real numbers, got values of dtype complex128"),
    (fitness_of(["1", "2", "3", "4"]), DataError, "fitness: expected real numbers, got values of dtype <U1"),
    (fitness_of(None), DataError, "fitness: expected real numbers, got values of dtype object"),
    (fitness_of([1, 2, [3], 4]), ShapeError, "fitness: expected a rectangular array, got ragged rows"),
    (fitness_of([1.0, np.nan, 0, 0]), DataError, "fitness: expected numbers, got NaN for individual 1"),
    (fitness_of(np.ones(P + 1)), ShapeError, "fitness: expected shape (4,), one number per individual, got (5,)"),
    # breeding
    (lambda: population().next_generation(np.ones(P) * 1j), DataError, "fitness: expected real numbers, got values"),
    (lambda: population().next_generation(np.ones(P), elite="1"), C, "elite: expected an int in [0, 4], got '1'"),
    (lambda: population().next_generation(np.ones(P), selection=None), C, "selection: expected one of rank"),
    (lambda: population().next_generation(np.ones(P), crossover=3), C, "crossover: expected one of arithmetic"),
    (lambda: population().next_generation(np.ones(P), mutation="gaussian"), C, "mutation: expected a gone mutation"),
    (lambda: population().next_generation(np.ones(P), seed="1"), C, "a numpy Generator or None, got '1'"),
    # evolve: every setting checked before the first evaluation
    (evolving(target="abc"), C, "target: expected a finite number, got 'abc'"),
    (evolving(target=float("nan")), C, "target: expected a finite number, got nan"),
    (evolving(target=True), C, "target: expected a finite number, got True"),
    (evolving(target=1j), C, "target: expected a finite number, got 1j"),
    (evolving(vectorized="yes"), C, "vectorized: expected True or False, got 'yes'"),
    (evolving(vectorized=None), C, "vectorized: expected True or False, got None"),
    (evolving(progress="yes"), C, "progress: expected True or False, got 'yes'"),
    (evolving(verbose="abc"), C, "verbose: expected an int >= 0, got 'abc'"),
    (evolving(verbose=-1), C, "verbose: expected an int >= 0, got -1"),
    (evolving(elite=None), C, "elite: expected an int in [0, 4], got None"),
    (evolving(chunksize=0), C, "chunksize: expected an int >= 1, got 0"),
    (evolving(executor=object()), C, "executor: expected a concurrent.futures.Executor"),
    (evolving(selection="best"), C, "selection: expected one of rank, roulette, tournament, truncation"),
    (evolving(mutation=0.1), C, "mutation: expected a gone mutation"),
    (evolving(seed="0"), C, "a numpy Generator or None, got '0'"),
    (evolving(on_generation=3), C, "on_generation: expected"),
    (lambda: evolve(never_called, population(), "3"), C, "generations: expected an int >= 0, got '3'"),
    (lambda: evolve(never_called, population(), None), C, "generations: expected an int >= 0, got None"),
    (lambda: evolve(None, population(), 3), C, "fitness: expected a callable, got None"),
    (lambda: evolve(never_called, "population", 3), C, "population: expected a gone.Population, got 'population'"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "fragment"), BAD, ids=[row[2] for row in BAD])
def test_a_bad_argument_is_a_gone_error_that_says_what_came(call, error, fragment):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's ComplexWarning, say, would be a silent loss
        with pytest.raises(error) as raised:
            call()
    assert isinstance(raised.value, gone.GoneError)
    assert fragment in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: GaussianMutation(np.float32(0.1), np.int64(1), np.float64(0.0)),
        lambda: Rank(np.float64(1.5)),
        lambda: Truncation(1),
        lambda: ArithmeticCrossover(np.float32(0.5), per_gene=np.bool_(True)),
        lambda: population().predict(np.ones((P, 2), dtype=np.int64)),
        lambda: population().predict([[True, False]] * P),
        lambda: fitness_of(np.arange(P, dtype=np.int32))(),
        lambda: fitness_of([True, False, True, True])(),
        lambda: fitness_of([np.inf, -np.inf, 0, 1])(),  # a fitness may be infinite
        lambda: evolve(lambda p: -np.ones(P), population(), 1, vectorized=True, target=-1),
    ],
)
def test_numbers_of_any_real_type_are_accepted(call):
    call()


def test_a_fitness_array_is_copied_so_the_caller_may_reuse_it():
    values = np.arange(P, dtype=float)
    pop = population()
    fitness = pop.evaluate(lambda _: values, vectorized=True)
    values[:] = -1
    assert fitness.tolist() == [0.0, 1.0, 2.0, 3.0]
