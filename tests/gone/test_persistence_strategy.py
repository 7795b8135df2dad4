"""Strategy files: an ask/tell strategy's state round trips bit for bit, and bad files are refused
with a FormatError that names the path and what is wrong."""

import numpy as np
import pytest

import gone
from gone import gone_pb2
from gone.errors import ConfigError, DataError, FormatError, ShapeError
from gone.persistence import (
    StrategyRecord,
    load_strategy_record,
    save_strategy,
    strategy_from_bytes,
    strategy_to_bytes,
)

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
Y = np.array([0, 1, 1, 0], dtype=float)  # (4,)
LAYERS = [gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Layer(1, gone.Sigmoid())]


def xor_fitness(population) -> np.ndarray:
    outputs = population.predict(X[None])[:, :, 0]  # (P, 4)
    return -np.mean((outputs - Y) ** 2, axis=1)


def evolved_es(generations=3, **settings) -> gone.OpenAIES:
    strategy = gone.OpenAIES(LAYERS, 6, sigma=0.2, learning_rate=0.05, seed=0, **settings)
    gone.evolve(xor_fitness, strategy, generations, vectorized=True)
    return strategy


def test_a_record_round_trips_bit_for_bit():
    record = evolved_es(dtype=np.float32).to_record()
    back = strategy_from_bytes(strategy_to_bytes(record))
    assert (back.kind, back.generation, back.evaluated) == ("openai_es", 3, True)
    assert back.settings == record.settings and back.counters == {"steps": 4}
    assert back.rng_state == record.rng_state and back.history == record.history
    assert sorted(back.arrays) == ["m", "mean", "v"]
    for name, array in record.arrays.items():
        np.testing.assert_array_equal(back.arrays[name], array)  # float64, exact
    assert back.network.dtype == np.float32 and list(back.network.layers) == LAYERS
    assert back.population.generation == 3
    np.testing.assert_array_equal(back.population.fitness, record.population.fitness)
    for a, b in zip(back.population.weights, record.population.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_genetic_algorithms_operators_travel_by_name(tmp_path):
    strategy = gone.GeneticAlgorithm(
        LAYERS, 6, selection=gone.Truncation(0.3), crossover=None, elite=2, seed=0
    )
    save_strategy(tmp_path / "ga.gone", strategy.to_record())
    record = load_strategy_record(tmp_path / "ga.gone")
    assert record.parts == {
        "selection": ("truncation", {"fraction": 0.3}),
        "mutation": ("gaussian", {"rate": 0.1, "stddev": 0.5, "mean": 0.0}),
    }  # crossover None: absent
    assert record.settings == {"population_size": 6, "elite": 2} and not record.evaluated


def test_the_file_is_a_strategy_message_and_nothing_else(tmp_path):
    evolved_es().save(tmp_path / "es.gone")
    message = gone_pb2.Strategy()
    message.ParseFromString((tmp_path / "es.gone").read_bytes())
    assert message.Kind == "openai_es" and message.HasField("Population")
    # Read as a network or a population, a strategy file holds neither.
    with pytest.raises(FormatError, match="expected a gone NeuralNetwork"):
        gone.load(tmp_path / "es.gone")
    with pytest.raises(FormatError, match="expected a gone Population with its network"):
        gone.load_population(tmp_path / "es.gone")


def test_other_gone_files_are_named_when_read_as_a_strategy(tmp_path):
    net = gone.NeuralNetwork(LAYERS, seed=0)
    net.save(tmp_path / "net.gone")
    gone.Population(LAYERS, 3, seed=0).save(tmp_path / "population.gone")
    with pytest.raises(FormatError, match="network file: load it with gone.load") as raised:
        gone.load_strategy(tmp_path / "net.gone")
    assert raised.value.path == str(tmp_path / "net.gone")
    with pytest.raises(FormatError, match="population file: load it with gone.load_population"):
        gone.load_strategy(tmp_path / "population.gone")


def message_of(strategy) -> gone_pb2.Strategy:
    return gone_pb2.Strategy.FromString(strategy_to_bytes(strategy.to_record()))


@pytest.mark.parametrize(
    ("damage", "complaint"),
    [
        (lambda m: setattr(m, "FormatVersion", 99), "format version: expected at most"),
        (lambda m: setattr(m, "RandomState", ""), "random state: expected the strategy"),
        (lambda m: m.ClearField("Network"), "network: expected the individuals' configuration"),
        (lambda m: setattr(m, "Kind", "nes"), "strategy kind: expected one of"),
        (lambda m: m.Arrays.add(Name="mean", Values=[0.0]), "state 'mean': expected once"),
        (lambda m: m.Arrays[0].Values.append(1.0), "state mean: expected 13 values, got 14"),
        (lambda m: m.Arrays[1].Values.__setitem__(0, np.nan), "state 'm': expected finite"),
        (lambda m: m.Settings[1].__setattr__("Number", -1.0), "sigma: expected a finite number"),
        (lambda m: setattr(m, "Generation", 7), "generation: expected the population's, 3"),
        (lambda m: m.History[0].Values.append(1.0), "history: expected one value per"),
        (lambda m: m.Population.Weights[0].Data.pop(), "population: weights"),
        (lambda m: m.Counters[0].__setattr__("Integer", -2), "counter 'steps': expected an int"),
        (
            lambda m: m.Network.Modules.add(Kind="input"),
            "network: layers: expected dense layers only",
        ),
        (
            lambda m: m.Settings.add(Name="sigma2").Integers.Values.append(1),
            "settings parameter 'sigma2': expected a bool, int, float or None, got a tuple",
        ),
    ],
)
def test_damaged_files_are_refused_naming_the_path(tmp_path, damage, complaint):
    message = message_of(evolved_es())
    damage(message)
    path = tmp_path / "damaged.gone"
    path.write_bytes(message.SerializeToString())
    with pytest.raises(FormatError, match=complaint) as raised:
        gone.load_strategy(path)
    assert str(path) in str(raised.value)


def test_truncated_and_foreign_bytes_are_refused(tmp_path):
    data = strategy_to_bytes(evolved_es().to_record())
    with pytest.raises(FormatError, match="expected a serialized gone Strategy"):
        strategy_from_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match="got 0 bytes"):
        strategy_from_bytes(b"")
    (tmp_path / "text.gone").write_text("not a model at all")
    with pytest.raises(FormatError):
        gone.load_strategy(tmp_path / "text.gone")
    with pytest.raises(gone.FileError):
        gone.load_strategy(tmp_path / "missing.gone")


def test_what_would_not_load_again_is_not_saved(tmp_path):
    record = evolved_es().to_record()
    record.arrays["mean"] = record.arrays["mean"].copy()
    record.arrays["mean"][2] = np.inf
    with pytest.raises(DataError, match="state mean: expected finite numbers to save"):
        save_strategy(tmp_path / "bad.gone", record)
    assert not (tmp_path / "bad.gone").exists()
    with pytest.raises(ConfigError, match="record: expected a StrategyRecord"):
        save_strategy(tmp_path / "bad.gone", {"kind": "openai_es"})
    record = evolved_es().to_record()
    record.history["best"].append(1.0)
    with pytest.raises(ShapeError, match="record.history: expected one value per generation"):
        strategy_to_bytes(record)
    record.history = {"best": [float("nan")]}
    with pytest.raises(DataError, match=r"record.history 'best'\[0\]: expected a number to save"):
        strategy_to_bytes(record)
    assert isinstance(record, StrategyRecord)


def test_a_strategy_of_other_layers_than_dense_is_not_saved():
    record = evolved_es().to_record()
    record.network = gone.NeuralNetwork(
        [gone.Layer(2), gone.Layer(3, gone.Tanh()), gone.Dropout(0.5), gone.Layer(1)], seed=0
    )
    with pytest.raises(ConfigError, match=r"record.network: expected a network of dense layers"):
        strategy_to_bytes(record)
