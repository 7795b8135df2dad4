"""Population files: a whole neuroevolution run round trips bit for bit, and bad files are refused."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gone
from gone import gone_pb2
from gone.errors import ConfigError, DataError, FormatError, ShapeError
from gone.persistence import (
    PopulationRecord,
    generator_from_state,
    load_population,
    population_from_bytes,
    population_to_bytes,
    save_population,
)
from gone.persistence import files as persistence_files
from gone.persistence.population import MAX_GENERATION

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def make_record(size=6, dtype=np.float64, fitness=True, seed=0) -> PopulationRecord:
    rng = np.random.default_rng(seed)
    layers = [
        gone.Layer(4),
        gone.Layer(5, gone.Tanh()),
        gone.Layer(3, gone.ReLU()),
        gone.Layer(1, gone.Sigmoid()),
    ]
    template = gone.NeuralNetwork(
        layers, learning_rate=0.1, seed=1, dtype=dtype, initializer=gone.Normal(0, 0.5)
    )
    weights = [rng.normal(size=(size, *W.shape)).astype(dtype) for W in template._weights]
    biases = [rng.normal(size=(size, *b.shape)).astype(dtype) for b in template._biases]
    network = gone.NeuralNetwork.from_parameters(
        layers,
        [W[0] for W in weights],
        [b[0] for b in biases],
        learning_rate=0.1,
        seed=1,
        dtype=dtype,
        initializer=gone.Normal(0, 0.5),
    )
    rng.random(5)  # the evolution has drawn already
    return PopulationRecord(
        network=network,
        weights=weights,
        biases=biases,
        generation=42,
        rng_state=rng.bit_generator.state,
        fitness=rng.uniform(-5, 50, size=size) if fitness else None,
        history={"best": [3.0, 7.5, 11.25], "mean": [1.0, 2.0, 3.5], "worst": [-1.0, 0.0, 0.5]},
    )


def assert_same_record(a: PopulationRecord, b: PopulationRecord) -> None:
    assert b.generation == a.generation
    assert b.size == a.size
    for x, y in zip([*a.weights, *a.biases], [*b.weights, *b.biases], strict=True):
        assert y.shape == x.shape and y.dtype == x.dtype and y.tobytes() == x.tobytes()
    if a.fitness is None:
        assert b.fitness is None
    else:
        assert b.fitness.tobytes() == np.asarray(a.fitness, dtype=np.float64).tobytes()
    assert b.history == a.history
    assert b.network.layers == a.network.layers
    assert b.network.dtype == a.network.dtype
    assert b.network.initializer == a.network.initializer
    assert b.network.learning_rate == a.network.learning_rate
    for p, q in zip(a.network.parameters(), b.network.parameters(), strict=True):
        assert p.tobytes() == q.tobytes()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_population_round_trip_is_bit_for_bit(tmp_path, dtype):
    record = make_record(dtype=dtype)
    save_population(tmp_path / "run.gone", record)
    assert_same_record(record, load_population(tmp_path / "run.gone"))
    assert_same_record(record, population_from_bytes(population_to_bytes(record)))


def test_population_without_fitness_or_history(tmp_path):
    record = make_record(fitness=False)
    record.history = {}
    loaded = population_from_bytes(population_to_bytes(record))
    assert loaded.fitness is None
    assert loaded.history == {}


def test_fitness_may_be_infinite():
    record = make_record()
    record.fitness[1] = -np.inf  # e.g. an individual that failed at once
    assert population_from_bytes(population_to_bytes(record)).fitness[1] == -np.inf


def test_rng_state_gives_the_same_future_draws():
    rng = np.random.default_rng(123)
    record = make_record()
    rng.normal(size=7)
    record.rng_state = rng.bit_generator.state
    loaded = population_from_bytes(population_to_bytes(record))
    assert loaded.rng_state == rng.bit_generator.state  # PCG64: a dict of plain ints
    resumed = generator_from_state(loaded.rng_state)
    assert np.array_equal(resumed.random(10), rng.random(10))
    assert np.array_equal(resumed.integers(0, 1000, 10), rng.integers(0, 1000, 10))


def test_mt19937_rng_state_with_arrays_round_trips():
    rng = np.random.Generator(np.random.MT19937(9))
    rng.random(3)
    record = make_record()
    record.rng_state = rng.bit_generator.state
    resumed = generator_from_state(population_from_bytes(population_to_bytes(record)).rng_state)
    assert np.array_equal(resumed.random(10), rng.random(10))


def test_each_individual_predicts_as_before():
    record = make_record()
    loaded = population_from_bytes(population_to_bytes(record))
    x = np.linspace(-1, 1, 4)
    for i in range(record.size):

        def individual(r, i=i):
            return gone.NeuralNetwork.from_parameters(
                r.network.layers, [W[i] for W in r.weights], [b[i] for b in r.biases]
            )

        assert individual(loaded).predict(x).tobytes() == individual(record).predict(x).tobytes()


def test_network_of_the_file_is_individual_0():
    record = make_record()
    other = make_record(seed=5).network  # same layout, other weights
    record.network = other
    loaded = population_from_bytes(population_to_bytes(record))
    for l in range(len(record.weights)):
        assert np.array_equal(loaded.network._weights[l], record.weights[l][0])


def test_version_1_population_reference_file_still_loads():
    expected = json.loads((FIXTURES / "gone-v1" / "population.json").read_text())
    record = load_population(FIXTURES / "gone-v1" / "population.gone")
    assert record.size == expected["individuals"]
    assert record.generation == expected["generation"]
    assert record.fitness.tolist() == expected["fitness"]
    assert generator_from_state(record.rng_state).random(3).tolist() == expected["next_draws"]
    for i, output in enumerate(expected["individual_outputs"]):
        net = gone.NeuralNetwork.from_parameters(
            record.network.layers, [W[i] for W in record.weights], [b[i] for b in record.biases]
        )
        np.testing.assert_allclose(net.predict([0.5, -1.0]), output, rtol=0, atol=1e-15)


def test_version_1_population_file_loads_as_a_population_and_saves_again(tmp_path):
    expected = json.loads((FIXTURES / "gone-v1" / "population.json").read_text())
    population = gone.Population.load(FIXTURES / "gone-v1" / "population.gone")
    record = load_population(FIXTURES / "gone-v1" / "population.gone")
    for stack, own in zip(record.weights + record.biases, population.weights + population.biases):
        assert own.tobytes() == np.ascontiguousarray(stack).tobytes()
    outputs = population.predict(np.tile([0.5, -1.0], (record.size, 1)))  # (P, 1)
    np.testing.assert_allclose(outputs, expected["individual_outputs"], rtol=0, atol=1e-15)
    assert population.rng.random(3).tolist() == expected["next_draws"]
    # Its history has "best" and "mean" only (version 1 had no "worst"): it saves nonetheless.
    population.save(tmp_path / "again.gone")
    again = gone.Population.load(tmp_path / "again.gone")
    np.testing.assert_array_equal(again.genes, population.genes)
    assert again.history == population.history and again.generation == 7


def test_the_record_of_a_population_rebuilds_it():
    population = gone.Population(
        [gone.Layer(3), gone.Layer(2, gone.ReLU())],
        4,
        dtype=np.float32,
        seed=2,
        learning_rate=0.3,
        initializer=gone.Xavier(),
    )
    population.evaluate(lambda p: np.arange(4.0), vectorized=True)
    record = PopulationRecord.of(population)
    assert [W.shape for W in record.weights] == [(4, 2, 3)] and record.weights[0].flags.c_contiguous
    back = gone.Population.from_parameters(
        record.network.layers, record.weights, record.biases, **record.population_settings()
    )
    np.testing.assert_array_equal(back.genes, population.genes)
    assert back.dtype == np.float32 and back.learning_rate == 0.3
    assert back.initializer == gone.Xavier() and back.rng.random() == population.rng.random()


def test_save_population_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "run.gone"
    save_population(path, make_record(seed=1))
    before = path.read_bytes()

    def fail(file, data):
        file.write(data[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persistence_files, "write_and_sync", fail)
    with pytest.raises(OSError, match="No space left"):
        save_population(path, make_record(seed=2))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.gone"]


# ---- what cannot be saved ------------------------------------------------------------------------


def test_save_refuses_stacks_that_do_not_fit_the_network(tmp_path):
    record = make_record()
    record.weights[1] = record.weights[1][:, :, :-1]
    with pytest.raises(ShapeError, match=r"record.weights\[1\]: expected shape \(P, 3, 5\)"):
        save_population(tmp_path / "run.gone", record)
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_stacks_of_different_sizes():
    record = make_record()
    record.biases[0] = record.biases[0][:-1]
    with pytest.raises(ShapeError, match=r"record.biases\[0\]: .*same P >= 1"):
        population_to_bytes(record)


@pytest.mark.parametrize("generation", [-1, 2.5, True, "7", 2**53 + 1, 2**63 - 1])
def test_save_refuses_a_bad_generation(generation):
    record = make_record()
    record.generation = generation
    with pytest.raises(ConfigError, match=r"record.generation: expected an int in \[0, 2\^53\]"):
        population_to_bytes(record)


def test_the_largest_generation_round_trips():
    record = make_record()
    record.generation = MAX_GENERATION
    assert population_from_bytes(population_to_bytes(record)).generation == 2**53


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([1.0, 2.0], r"record.history: expected a dict of str -> list of floats, got list"),
        ({1: [0.5]}, r"record.history: expected str keys, got 1"),
    ],
)
def test_save_refuses_a_bad_history(history, message):
    record = make_record()
    record.history = history
    with pytest.raises(ConfigError, match=message):
        population_to_bytes(record)


def test_save_refuses_history_series_of_different_lengths():
    record = make_record()
    record.history["worst"].append(1.0)
    with pytest.raises(
        ShapeError, match=r"record.history: expected one value per generation in every series"
    ):
        population_to_bytes(record)


def test_save_refuses_a_nan_in_the_history_and_keeps_infinities():
    record = make_record()
    record.history["worst"][1] = -np.inf  # an individual that failed at once
    assert population_from_bytes(population_to_bytes(record)).history["worst"][1] == -np.inf
    record.history["mean"][2] = np.nan
    with pytest.raises(
        DataError, match=r"record.history 'mean'\[2\]: expected a number to save, got NaN"
    ):
        population_to_bytes(record)


def test_save_refuses_fitness_of_the_wrong_length_or_nan():
    record = make_record()
    record.fitness = record.fitness[:-1]
    with pytest.raises(ShapeError, match=r"record.fitness: expected \(6,\)"):
        population_to_bytes(record)
    record.fitness = np.full(6, np.nan)
    with pytest.raises(ShapeError, match="not NaN"):
        population_to_bytes(record)


def test_save_refuses_an_rng_state_that_is_not_numpy_s():
    record = make_record()
    record.rng_state = {"bit_generator": "Mersenne", "state": 1}
    with pytest.raises(ConfigError, match="random state: expected a bit_generator of MT19937"):
        population_to_bytes(record)


# ---- bad files -----------------------------------------------------------------------------------


def edited(edit) -> bytes:
    message = gone_pb2.Population.FromString(population_to_bytes(make_record()))
    edit(message)
    return message.SerializeToString()


def set_field(target, name, value):
    setattr(target, name, value)


DEGENERATE_PCG64 = {
    "bit_generator": "PCG64",
    "state": {"state": 0, "inc": 0},  # numpy takes it; evolve then hung inside numpy
    "has_uint32": 0,
    "uinteger": 0,
}


def mt19937_json(key: list[int]) -> str:
    state = {"key": {"ndarray": "uint32", "values": key}, "pos": 624}
    return json.dumps({"bit_generator": "MT19937", "state": state})


def philox_json(key=(1, 2), buffer_pos=4) -> str:
    def array(values):
        return {"ndarray": "uint64", "values": list(values)}

    return json.dumps(
        {
            "bit_generator": "Philox",
            "state": {"counter": array([0] * 4), "key": array(key)},
            "buffer": array([0] * 4),
            "buffer_pos": buffer_pos,
            "has_uint32": 0,
            "uinteger": 0,
        }
    )


CASES = {
    "individual 0 differs": (
        lambda m: m.Network.Weights[0].Data.__setitem__(0, 123.0),
        r"network layer 0: expected individual 0's weights and biases, got others",
    ),
    "stack size": (
        lambda m: set_field(m.Weights[1], "Individuals", 7),
        r"weights\[1\]: expected 6x3x5",
    ),
    "stack rows": (lambda m: set_field(m.Biases[2], "Rows", 2), r"biases\[2\]: expected 6x1x1"),
    "stack data count": (
        lambda m: m.Weights[0].Data.append(1.0),
        r"weights\[0\]: expected 120 values",
    ),
    "stack nan": (
        lambda m: m.Biases[0].Data.__setitem__(7, float("nan")),
        r"biases\[0\]: expected finite",
    ),
    "missing stack": (lambda m: m.Weights.pop(), r"weights: expected 3 stacks"),
    "no individuals": (
        lambda m: set_field(m.Weights[0], "Individuals", 0),
        r"individuals: expected an int >= 1",
    ),
    "negative generation": (
        lambda m: set_field(m, "Generation", -2),
        r"generation: expected an int in \[0, 2\^53\], got -2",
    ),
    "generation near 2^63": (
        lambda m: set_field(m, "Generation", 2**63 - 1),
        r"generation: expected an int in \[0, 2\^53\], got 9223372036854775807",
    ),
    "history lengths": (
        lambda m: m.History[1].Values.append(4.0),
        r"history: expected one value per generation in every series, got lengths "
        r"\{'best': 3, 'mean': 4, 'worst': 3\}",
    ),
    "history nan": (
        lambda m: m.History[2].Values.__setitem__(1, float("nan")),
        r"history 'worst'\[1\]: expected a number, got NaN",
    ),
    "pcg64 state and increment 0": (
        lambda m: set_field(m, "RandomState", json.dumps(DEGENERATE_PCG64)),
        r"random state \(PCG64\) state inc: expected an odd increment, got 0",
    ),
    "mt19937 all-zero key": (
        lambda m: set_field(m, "RandomState", mt19937_json([0] * 624)),
        r"random state \(MT19937\) state key: expected a nonzero state",
    ),
    "mt19937 key of the wrong length": (
        lambda m: set_field(m, "RandomState", mt19937_json([1] * 700)),
        r"random state \(MT19937\) state key: expected 624 uint32 values, got uint32 of shape "
        r"\(700,\)",
    ),
    "philox key of the wrong length": (
        lambda m: set_field(m, "RandomState", philox_json(key=[1, 2, 3])),
        r"random state \(Philox\) state key: expected 2 uint64 values",
    ),
    "philox buffer position": (
        lambda m: set_field(m, "RandomState", philox_json(buffer_pos=5)),
        r"random state \(Philox\) buffer_pos: expected an int in \[0, 4\], got 5",
    ),
    "extra key in the state": (
        lambda m: set_field(
            m, "RandomState", json.dumps({**DEGENERATE_PCG64, "more": 1, "inc": 1})
        ),
        r"random state \(PCG64\): expected the keys \['has_uint32', 'state', 'uinteger'\]",
    ),
    "pcg64 buffered half out of range": (
        lambda m: set_field(m, "RandomState", json.dumps({**DEGENERATE_PCG64, "uinteger": 2**32})),
        r"random state \(PCG64\) uinteger: expected an int in \[0, 4294967295\], got 4294967296",
    ),
    "fitness count": (
        lambda m: m.Fitness.append(1.0),
        r"fitness: expected 6 numbers, not NaN, got 7",
    ),
    "fitness nan": (
        lambda m: m.Fitness.__setitem__(0, float("nan")),
        r"fitness: expected 6 numbers, not NaN",
    ),
    "no rng state": (
        lambda m: m.ClearField("RandomState"),
        r"random state: expected the evolution",
    ),
    "bad rng state": (
        lambda m: set_field(m, "RandomState", "[]"),
        r"random state: expected ints, strings, arrays and objects, got list",
    ),
    "duplicate history": (lambda m: m.History.add(Name="best"), r"history 'best': expected once"),
    "newer version": (
        lambda m: set_field(m, "FormatVersion", 3),
        r"format version: expected at most 2, got 3",
    ),
    "bad network": (
        lambda m: set_field(m.Network.Layers[1], "Activator", "swish"),
        r"network: layers\[1\]",
    ),
    "network of other layers": (
        lambda m: m.Network.Modules.add(Kind="input"),
        r"network: layers: expected dense layers only \(Go's Layers field\), got 1 layers of "
        r"other kinds",
    ),
    "no network": (
        lambda m: m.ClearField("Network"),
        r"network: expected a gone Population with its network, got none",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_inconsistent_population_file_raises_format_error(tmp_path, case):
    edit, pattern = CASES[case]
    path = tmp_path / "run.gone"
    path.write_bytes(edited(edit))
    with pytest.raises(FormatError, match=pattern) as raised:
        load_population(path)
    assert raised.value.path == str(path)


def test_empty_and_foreign_files_are_format_errors(tmp_path):
    with pytest.raises(
        FormatError, match="file: expected a serialized gone Population, got 0 bytes"
    ):
        population_from_bytes(b"")
    with pytest.raises(
        FormatError,
        match="contents: expected a serialized gone Population, got bytes that are not one",
    ):
        population_from_bytes((FIXTURES / "broken" / "image.png").read_bytes())


VALID = population_to_bytes(make_record(size=3))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["truncate", "flip", "overwrite"]),
    st.integers(0, len(VALID) * 8 - 1),
    st.binary(min_size=1, max_size=12),
)
def test_fuzzed_population_loads_consistently_or_raises_format_error(kind, position, patch):
    data = bytearray(VALID)
    if kind == "truncate":
        data = data[: position // 8]
    elif kind == "flip":
        data[position // 8] ^= 1 << (position % 8)
    else:
        data[position // 8 : position // 8 + len(patch)] = patch
    try:
        record = population_from_bytes(bytes(data))
    except FormatError:
        return
    shapes = record.network.weight_shapes
    assert [W.shape for W in record.weights] == [(record.size, *s) for s in shapes]
    assert [b.shape for b in record.biases] == [(record.size, n, 1) for n, _ in shapes]
    assert all(np.isfinite(a).all() for a in [*record.weights, *record.biases])
    generator_from_state(record.rng_state).random()
