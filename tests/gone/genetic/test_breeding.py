"""Breeding: the next generation in whole-array steps, elites first, from the population's draws."""

import numpy as np
import pytest

import gone
from gone.genetic import GaussianMutation, Population, SinglePointCrossover, UniformCrossover
from gone.genetic.breeding import breed, breeding_settings

LAYERS = [
    gone.Layer(5),
    gone.Layer(8, gone.Tanh()),
    gone.Layer(3, gone.ReLU()),
    gone.Layer(2, gone.Sigmoid()),
]


def population(size=12, seed=0, **options):
    return Population(LAYERS, size, seed=seed, **options)


def test_breed_is_the_operators_applied_in_turn_to_the_parents_stacks():
    # The steps of `breed`, by hand on the public operators, give the same children bit for bit.
    pop = population(size=20)
    fitness = np.random.default_rng(3).standard_normal(20)
    selection, crossover, mutation, elite = breeding_settings(
        "tournament", "uniform", GaussianMutation(0.3, 0.5), 2, 20
    )
    rng = np.random.default_rng(11)
    fittest = np.argsort(-fitness)[:2]
    parents = selection(fitness, 2 * 18, rng)
    layout = pop.layout
    first, second = (layout.unflatten(pop.genes[p]) for p in (parents[:18], parents[18:]))
    children = crossover(first, second, layout, rng)
    mutation(children, rng)
    by_hand = np.concatenate([pop.genes[fittest], layout.flatten(children)])  # (P, G)

    columns = breed(
        pop.genes.T.copy(),
        fitness,
        layout,
        selection,
        crossover,
        mutation,
        elite,
        np.random.default_rng(11),
    )  # (G, P)
    assert columns.shape == (layout.size, 20) and columns.flags.c_contiguous
    np.testing.assert_array_equal(columns.T, by_hand)


def test_elites_survive_unchanged_best_first_and_the_parents_stay_as_they_were():
    pop = population(size=20)
    genes = pop.genes.copy()
    fitness = np.random.default_rng(2).standard_normal(20)
    children = pop.next_generation(fitness, mutation=GaussianMutation(1.0, 1.0), elite=3, seed=1)
    best = np.argsort(fitness)[::-1][:3]
    np.testing.assert_array_equal(children.genes[:3], genes[best])
    np.testing.assert_array_equal(pop.genes, genes)
    # Every other child is mutated (rate 1): no row is a copy of any parent.
    assert not (children.genes[3:, None, :] == genes[None, :, :]).all(axis=2).any()
    assert children.generation == pop.generation + 1 and children.fitness is None


@pytest.mark.parametrize("crossover", [SinglePointCrossover(), UniformCrossover(), None])
def test_without_mutation_every_child_gene_comes_from_a_parent(crossover):
    pop = population(size=30)
    fitness = np.arange(30.0)
    children = pop.next_generation(fitness, crossover=crossover, mutation=None, elite=0, seed=4)
    # Each gene column of each child appears in the same column of some parent.
    same = children.genes[:, None, :] == pop.genes[None, :, :]  # (P, P, G)
    assert same.any(axis=1).all()
    if crossover is None:
        assert same.all(axis=2).any(axis=1).all()  # plain copies of selected parents


def test_selection_pressure_favours_the_fittest_parents():
    pop = population(size=40)
    fitness = np.arange(40.0)  # individual 39 is the best
    children = pop.next_generation(
        fitness, selection="truncation", crossover=None, mutation=None, elite=0, seed=0
    )
    origin = (children.genes[:, None, :] == pop.genes[None, :, :]).all(axis=2).argmax(axis=1)
    assert origin.min() >= 20  # truncation keeps the best half


def test_float32_populations_stay_float32():
    pop = population(dtype=np.float32)
    for crossover in ("single_point", "uniform", "arithmetic"):
        children = pop.next_generation(np.arange(12.0), crossover=crossover, seed=0)
        assert children.genes.dtype == np.float32
        assert children.predict(np.zeros((12, 5), np.float32)).dtype == np.float32


def test_a_seeded_generation_step_is_reproducible_and_draws_from_the_population_rng():
    fitness = np.random.default_rng(0).standard_normal(12)
    a = population(seed=5).next_generation(fitness, crossover="arithmetic")
    b = population(seed=5).next_generation(fitness, crossover="arithmetic")
    np.testing.assert_array_equal(a.genes, b.genes)
    c = population(seed=6).next_generation(fitness, crossover="arithmetic")
    assert not np.array_equal(a.genes, c.genes)


def test_bad_fitness_and_settings_are_refused():
    pop = population()
    with pytest.raises(gone.ShapeError, match=r"fitness: expected shape \(12,\)"):
        pop.next_generation(np.zeros(11))
    with pytest.raises(gone.DataError, match="NaN for individual 3"):
        pop.next_generation(np.where(np.arange(12) == 3, np.nan, 0.0))
    with pytest.raises(gone.ConfigError, match="call population.evaluate"):
        pop.next_generation()
    with pytest.raises(gone.ConfigError, match=r"elite: expected an int in \[0, 12\]"):
        pop.next_generation(np.zeros(12), elite=13)
    with pytest.raises(gone.ConfigError, match="selection: expected one of"):
        pop.next_generation(np.zeros(12), selection="best")
    with pytest.raises(gone.ConfigError, match="mutation: expected a gone mutation"):
        pop.next_generation(np.zeros(12), mutation="gaussian")
