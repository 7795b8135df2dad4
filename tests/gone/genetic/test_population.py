"""Population: networks as genes in columns, views of them as stacks, prediction in one pass."""

import json

import numpy as np
import pytest

import gone
from gone.genetic import Population, forward
from gone.genetic.population import network_from_genome

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
    large = rng.standard_normal((12, forward.MATMUL_BATCH, 5))  # a matmul per individual
    out_one, out_batch, out_shared, out_large, out_large_shared = (
        pop.predict(one_each),
        pop.predict(batches),
        pop.predict(shared[None]),
        pop.predict(large),
        pop.predict(large[:1]),
    )
    assert out_one.shape == (12, 2) and out_batch.shape == out_shared.shape == (12, 7, 2)
    assert out_large.shape == out_large_shared.shape == (12, forward.MATMUL_BATCH, 2)
    assert out_one.dtype == out_batch.dtype == out_large.dtype == dtype
    for i, net in enumerate(pop):
        np.testing.assert_allclose(out_one[i], net.predict(one_each[i]), rtol=0, atol=tolerance)
        np.testing.assert_allclose(out_batch[i], net.predict(batches[i]), rtol=0, atol=tolerance)
        np.testing.assert_allclose(out_shared[i], net.predict(shared), rtol=0, atol=tolerance)
        np.testing.assert_allclose(out_large[i], net.predict(large[i]), rtol=0, atol=tolerance)
        np.testing.assert_allclose(
            out_large_shared[i], net.predict(large[0]), rtol=0, atol=tolerance
        )


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


def test_from_genes_rebuilds_genome_rows_in_the_configuration_of_another():
    pop = population(size=5, dtype=np.float32, learning_rate=0.2)
    twin = Population.from_genes(pop.genes, pop, seed=0, generation=3)
    np.testing.assert_array_equal(twin.genes, pop.genes)
    assert (twin.dtype, twin.learning_rate, twin.generation) == (np.float32, 0.2, 3)
    one = network_from_genome(pop.genes[4], pop, seed=0)
    assert (one.dtype, one.learning_rate) == (np.float32, 0.2)
    for mine, theirs in zip(one.parameters(), pop[4].parameters(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    with pytest.raises(gone.ShapeError, match=r"genes: expected shape \(P, 83\), got \(5, 82\)"):
        Population.from_genes(pop.genes[:, 1:], pop)


def test_the_genes_are_one_matrix_of_columns_and_the_stacks_are_views_of_it():
    pop = population()
    genes = pop.genes
    assert genes.shape == (12, 8 * 5 + 8 + 3 * 8 + 3 + 2 * 3 + 2) and genes.flags.c_contiguous
    W0, b0 = pop.weights[0], pop.biases[0]
    assert W0.shape == (12, 8, 5) and b0.shape == (12, 8, 1)
    np.testing.assert_array_equal(genes[:, :40], W0.reshape(12, 40))
    np.testing.assert_array_equal(genes[:, 40:48], b0.reshape(12, 8))
    # In memory the individuals are the last axis: every weight's 12 values side by side.
    assert W0.strides[0] == W0.itemsize and not W0.flags.c_contiguous
    bounds = [np.lib.array_utils.byte_bounds(stack) for stack in pop.weights + pop.biases]
    span = max(high for _, high in bounds) - min(low for low, _ in bounds)
    assert span == genes.size * genes.itemsize  # all of them tile one (G, P) block of memory


def test_writing_into_a_stack_changes_the_population():
    pop = population()
    observations = np.random.default_rng(0).standard_normal((12, 5))
    before = pop.predict(observations)
    pop.weights[2][7, 1, 0] = 3.0  # individual 7's last layer
    pop.biases[0][4] += 1.0  # individual 4's first layer
    assert pop[7].parameters()[4][1, 0] == 3.0
    assert pop.genes[7, 40 + 8 + 24 + 3 + 1 * 3 + 0] == 3.0  # W2 starts after W0, b0, W1, b1
    after = pop.predict(observations)
    changed = np.flatnonzero((after != before).any(axis=1))
    np.testing.assert_array_equal(changed, [4, 7])


def test_an_individuals_outputs_do_not_depend_on_the_others():
    # The sum over each node's inputs runs in order for every individual, wherever it sits.
    pop = population(size=40)
    rng = np.random.default_rng(5)
    one_each, batches = rng.standard_normal((40, 5)), rng.standard_normal((40, 3, 5))
    shared = rng.standard_normal((1, 3, 5))
    some = np.array([39, 0, 17, 17, 5])
    few = pop.take(some)
    np.testing.assert_array_equal(few.predict(one_each[some]), pop.predict(one_each)[some])
    np.testing.assert_array_equal(few.predict(batches[some]), pop.predict(batches)[some])
    np.testing.assert_array_equal(few.predict(shared), pop.predict(shared)[some])
    # The shared batch is the same as giving everyone a copy of it.
    np.testing.assert_array_equal(pop.predict(shared), pop.predict(np.repeat(shared, 40, axis=0)))


def test_take_gathers_individuals_into_a_new_population():
    pop = population(size=10, dtype=np.float32, learning_rate=0.5)
    pop.evaluate(lambda p: np.arange(10.0), vectorized=True)
    taken = pop.take([9, 2, 2])
    assert len(taken) == 3 and taken.dtype == np.float32 and taken.learning_rate == 0.5
    assert taken.generation == pop.generation and taken.layers == pop.layers
    np.testing.assert_array_equal(taken.genes, pop.genes[[9, 2, 2]])
    np.testing.assert_array_equal(taken.fitness, [9.0, 2.0, 2.0])
    taken.weights[0][...] = 0  # a copy: the population keeps its genes
    assert np.all(pop.weights[0] != 0)
    assert taken.rng.random() == pop.rng.random()  # a copy of the Generator
    with pytest.raises(IndexError, match=r"expected -10 <= index < 10, got 3 to 10"):
        pop.take([3, 10])
    with pytest.raises(gone.ConfigError, match="a 1-D array of at least one int"):
        pop.take([])
    with pytest.raises(gone.ConfigError, match="a 1-D array of at least one int"):
        pop.take(np.ones(10, dtype=bool))


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


def test_a_population_is_dense_layers_only():
    image = [gone.Input((1, 4, 4)), gone.Conv2D(2, 3), gone.Flatten(), gone.Layer(1)]
    message = (
        r"Population layers\[0\]: expected dense gone.Layer layers only .*one product per layer"
    )
    with pytest.raises(gone.ConfigError, match=message):
        gone.Population(image, 3, seed=0)
    with pytest.raises(gone.ConfigError, match=r"Population layers\[1\]: .* got Dropout"):
        gone.Population.from_parameters(
            [gone.Layer(2), gone.Dropout(0.5), gone.Layer(1)],
            [np.ones((3, 1, 2))],
            [np.ones((3, 1, 1))],
        )
    cnn = gone.NeuralNetwork(image, seed=0)
    with pytest.raises(
        gone.ConfigError, match=r"Population networks\[0\].layers\[0\]: expected dense"
    ):
        gone.Population.from_networks([cnn, cnn])
