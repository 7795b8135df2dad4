"""Population: stacked networks, batched prediction, and one vectorized generation step."""

import json

import numpy as np
import pytest

import gone
from gone.genetic import GaussianMutation, Population, SinglePointCrossover, UniformCrossover

LAYERS = [
    gone.Layer(5),
    gone.Layer(8, gone.Tanh()),
    gone.Layer(3, gone.ReLU()),
    gone.Layer(2, gone.Sigmoid()),
]


def population(size=12, seed=0, **options):
    return Population(LAYERS, size, seed=seed, **options)


def test_individual_i_is_the_ith_network_drawn_from_the_same_generator():
    pop = population(size=6, seed=3, initializer=gone.Xavier())
    rng = np.random.default_rng(3)
    for i in range(6):
        net = gone.NeuralNetwork(LAYERS, seed=rng, initializer=gone.Xavier())
        for a, b in zip(pop[i].parameters(), net.parameters(), strict=True):
            np.testing.assert_array_equal(a, b)
    assert [W.shape for W in pop.weights] == [(6, 8, 5), (6, 3, 8), (6, 2, 3)]
    assert [b.shape for b in pop.biases] == [(6, 8, 1), (6, 3, 1), (6, 2, 1)]


def test_an_individuals_generator_depends_only_on_generation_and_index():
    pop = population()
    assert pop[4].rng.random() == pop[4].rng.random() == population()[4].rng.random()
    assert pop[4].rng.random() != pop[5].rng.random()
    later = pop.next_generation(np.arange(12.0), seed=0)
    assert later[4].rng.random() != pop[4].rng.random()


def test_an_individual_is_an_independent_network_with_the_configuration():
    pop = population(loss=gone.BinaryCrossEntropy(), learning_rate=0.3)
    net = pop[-1]
    assert isinstance(net, gone.NeuralNetwork)
    assert net.layers == tuple(LAYERS) and net.loss == gone.BinaryCrossEntropy()
    assert net.learning_rate == 0.3
    net._weights[0][...] = 0
    assert np.all(pop.weights[0][-1] != 0)
    with pytest.raises(IndexError):
        pop[12]


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_predict_equals_predicting_each_individual_alone(dtype, tolerance):
    pop = population(dtype=dtype)
    rng = np.random.default_rng(1)
    one_each = rng.standard_normal((12, 5))  # (P, n_in)
    batches = rng.standard_normal((12, 7, 5))  # (P, B, n_in)
    shared = rng.standard_normal((7, 5))  # (B, n_in)
    out_one, out_batch, out_shared = (
        pop.predict(one_each),
        pop.predict(batches),
        pop.predict(shared[None]),
    )
    assert out_one.shape == (12, 2) and out_batch.shape == out_shared.shape == (12, 7, 2)
    assert out_one.dtype == out_batch.dtype == dtype
    for i, net in enumerate(pop):
        np.testing.assert_allclose(out_one[i], net.predict(one_each[i]), rtol=0, atol=tolerance)
        np.testing.assert_allclose(out_batch[i], net.predict(batches[i]), rtol=0, atol=tolerance)
        np.testing.assert_allclose(out_shared[i], net.predict(shared), rtol=0, atol=tolerance)


def test_predict_names_the_shapes_it_accepts():
    pop = population()
    with pytest.raises(
        gone.ShapeError,
        match=r"expected shape \(12, 5\), \(12, batch, 5\) or "
        r"\(1, batch, 5\), got \(11, 5\)",
    ):
        pop.predict(np.zeros((11, 5)))
    with pytest.raises(gone.ShapeError, match=r"got \(12, 4, 4\)"):
        pop.predict(np.zeros((12, 4, 4)))
    inputs = np.zeros((12, 5))
    for bad in (np.nan, np.inf, -np.inf):
        inputs[7, 2] = bad
        with pytest.raises(gone.DataError, match="expected finite numbers"):
            pop.predict(inputs)


def test_from_networks_stacks_them_and_gives_them_back():
    nets = [gone.NeuralNetwork(LAYERS, seed=s, learning_rate=0.2) for s in range(4)]
    pop = Population.from_networks(nets, seed=0)
    assert len(pop) == 4 and pop.learning_rate == 0.2 and pop.generation == 0
    for net, back in zip(nets, pop, strict=True):
        for a, b in zip(net.parameters(), back.parameters(), strict=True):
            np.testing.assert_array_equal(a, b)


def test_from_networks_refuses_mixed_layouts():
    nets = [gone.NeuralNetwork(LAYERS, seed=0), gone.NeuralNetwork(LAYERS[:3], seed=1)]
    with pytest.raises(
        gone.ShapeError,
        match=r"networks\[0\] and networks\[1\]: expected the same "
        r"layout, got 5-8-3-2 and 5-8-3",
    ):
        Population.from_networks(nets)
    with pytest.raises(gone.ConfigError, match="at least one"):
        Population.from_networks([])


def test_from_parameters_copies_the_stacks_and_checks_them():
    pop = population()
    twin = Population.from_parameters(LAYERS, pop.weights, pop.biases, generation=4)
    np.testing.assert_array_equal(twin.genes, pop.genes)
    assert twin.generation == 4
    for mine, theirs in zip(twin.weights + twin.biases, pop.weights + pop.biases, strict=True):
        assert not np.shares_memory(mine, theirs)
    with pytest.raises(gone.ShapeError, match=r"biases\[2\]: expected shape \(P, 2, 1\)"):
        Population.from_parameters(LAYERS, pop.weights, pop.biases[:2] + [np.zeros((12, 3, 1))])
    with pytest.raises(gone.ShapeError, match=r"biases: expected the same population size P"):
        Population.from_parameters(LAYERS, pop.weights, pop.biases[:2] + [np.zeros((5, 2, 1))])
    with pytest.raises(gone.ShapeError, match=r"expected the same population size P, got 12 and 5"):
        Population.from_parameters(LAYERS, pop.weights, [b[:5] for b in pop.biases])


def test_each_parameter_array_is_one_contiguous_stack_and_genes_flatten_them():
    pop = population()
    genes = pop.genes
    assert genes.shape == (12, 8 * 5 + 8 + 3 * 8 + 3 + 2 * 3 + 2)
    for stack in pop.weights + pop.biases:
        assert stack.flags.c_contiguous
    W0, b0 = pop.weights[0], pop.biases[0]
    np.testing.assert_array_equal(genes[:, :40], W0.reshape(12, 40))
    np.testing.assert_array_equal(genes[:, 40:48], b0.reshape(12, 8))


# ---- one generation ---------------------------------------------------------------------------


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


def test_a_float32_population_saves_and_loads_with_everything(tmp_path):
    pop = population(dtype=np.float32, learning_rate=0.25)
    pop.evaluate(lambda p: p.predict(np.ones((12, 5), np.float32))[:, 0], vectorized=True)
    pop.history.best.append(1.5)
    pop.history.mean.append(0.5)
    pop.history.worst.append(-np.inf)  # a fitness may be infinite, and so its summaries
    pop.save(tmp_path / "population.gone")
    back = Population.load(tmp_path / "population.gone")
    assert back.dtype == np.float32 and back.layers == pop.layers and back.learning_rate == 0.25
    np.testing.assert_array_equal(back.genes, pop.genes)
    np.testing.assert_array_equal(back.fitness, pop.fitness)
    assert back.history == pop.history and back.generation == pop.generation
    assert back.rng.random() == pop.rng.random()


def test_a_saved_generator_that_would_never_draw_is_refused_on_load(tmp_path):
    # numpy accepts PCG64 state 0 with increment 0; its generator then gives only 0, and the
    # first evolve hung inside numpy's rejection loops. The file is refused instead.
    from gone import gone_pb2

    path = tmp_path / "population.gone"
    population(size=3).save(path)
    message = gone_pb2.Population.FromString(path.read_bytes())
    state = {"state": {"state": 0, "inc": 0}, "has_uint32": 0, "uinteger": 0}
    message.RandomState = json.dumps({"bit_generator": "PCG64", **state})
    path.write_bytes(message.SerializeToString())
    with pytest.raises(
        gone.FormatError, match=r"random state \(PCG64\) state inc: expected an odd"
    ):
        Population.load(path)
