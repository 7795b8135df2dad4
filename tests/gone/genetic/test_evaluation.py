"""Evaluation: a fitness of the whole population or of one network at a time, and its check."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import gone
from gone.genetic import Population

LAYERS = [gone.Layer(5), gone.Layer(8, gone.Tanh()), gone.Layer(2, gone.Sigmoid())]


def population(size=12, seed=0, **options):
    return Population(LAYERS, size, seed=seed, **options)


def test_evaluate_stores_the_fitness_and_best_returns_the_champion():
    pop = population(size=5)
    fitness = pop.evaluate(lambda net: float(net.predict(np.ones(5))[0]))
    assert pop.fitness is fitness and fitness.shape == (5,)
    assert pop.best_index == int(np.argmax(fitness))
    np.testing.assert_array_equal(pop.best().parameters()[0], pop.weights[0][pop.best_index])
    vectorized = pop.evaluate(lambda p: p.predict(np.ones((5, 5)))[:, 0], vectorized=True)
    np.testing.assert_allclose(vectorized, fitness, rtol=0, atol=1e-12)
    with pytest.raises(gone.ShapeError, match=r"expected shape \(5,\)"):
        pop.evaluate(lambda p: np.zeros(4), vectorized=True)


def test_on_an_executor_in_chunks_the_fitness_is_the_same_in_the_same_order():
    def first_output(net):
        return float(net.predict(np.ones(5))[0])

    serial = population(size=7).evaluate(first_output)
    with ThreadPoolExecutor(2) as executor:
        for chunksize in (1, 3, 7):
            pop = population(size=7)
            values = pop.evaluate(first_output, executor=executor, chunksize=chunksize)
            np.testing.assert_array_equal(values, serial)
