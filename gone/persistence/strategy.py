"""A strategy file: an ask/tell strategy's whole state (gone.OpenAIES, gone.GeneticAlgorithm), so
that a run resumed from it continues exactly: the configuration, the settings and operators, the
generation, the random state, the population last asked for, the state arrays and the history.

Persistence knows the strategies only through their StrategyRecord, plain values: operators
travel as (registry name, parameters) pairs, which gone.genetic turns back into objects.
"""

from dataclasses import dataclass, field

import numpy as np
from google.protobuf.message import DecodeError

from gone import gone_pb2
from gone.errors import ConfigError, FormatError
from gone.network import NeuralNetwork
from gone.persistence.fields import (
    DENSE_VERSION,
    add_parameters,
    check_finite,
    check_version,
    parameters_from,
    quoted,
    random_state_from_json,
    random_state_json,
)
from gone.persistence.files import parse, read_file, user_path, write_atomically
from gone.persistence.modules import is_dense
from gone.persistence.network import (
    check_counts,
    network_from_message,
    network_message,
)
from gone.persistence.population import (
    MAX_GENERATION,
    PopulationRecord,
    add_history,
    check_generation,
    check_history_series,
    check_history_to_save,
    history_from,
    population_from_bytes,
    population_to_bytes,
)

#: The longest state array a file may hold: 2^28 doubles (2 GiB), more than protobuf can carry.
MAX_ARRAY_VALUES = 2**28


@dataclass
class StrategyRecord:
    """Everything needed to resume an ask/tell strategy, as plain values.

    `kind` is the strategy's registry name ("openai_es", "genetic_algorithm"); `network` its
    individuals' configuration (for an evolution strategy, its weights are the mean);
    `settings` the hyperparameters (bools, ints, floats, None); `parts` the operators by role,
    {"selection": ("tournament", {"size": 3}), "crossover": None, ...}; `generation` that of
    the population last asked for; `rng_state` the strategy Generator's
    `bit_generator.state`; `evaluated` whether that population was told its fitness;
    `population` its PopulationRecord (None before the first ask); `arrays` flat float64 state
    arrays by name ("mean", "m", "v"); `counters` integer state by name ("steps"); `history`
    one value per generation by statistic ("best", "mean", "worst").

    >>> record = strategy.to_record()
    >>> gone.persistence.save_strategy("run.gone", record)
    """

    kind: str
    network: NeuralNetwork
    generation: int
    rng_state: dict
    evaluated: bool = False
    population: PopulationRecord | None = None
    settings: dict = field(default_factory=dict)
    parts: dict = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)


def save_strategy(path, record: StrategyRecord) -> None:
    """Write `record` to the file `path`, atomically (a temporary file renamed into place).

    Raises a DataError for NaN or infinite state before writing, a FileError (a GoneError and an
    OSError naming `path`) when the file cannot be written."""
    path = user_path(path)
    write_atomically(path, strategy_to_bytes(record))


def load_strategy_record(path) -> StrategyRecord:
    """Read a file written by `save_strategy`; FormatError (naming the path) if it is bad,
    FileError if it cannot be read. `gone.load_strategy(path)` makes the strategy of it."""
    path = user_path(path)
    return strategy_from_bytes(read_file(path), path=path)


def strategy_to_bytes(record: StrategyRecord) -> bytes:
    """Return `record` serialized as the bytes of a strategy file."""
    return strategy_message(record).SerializeToString()


def strategy_from_bytes(data: bytes, path=None) -> StrategyRecord:
    """Return the StrategyRecord in `data`; `path`, if given, is named in errors."""
    message = parse(gone_pb2.Strategy, data, "gone Strategy", path)
    if not message.Kind:
        raise FormatError(f"kind: expected a gone Strategy's kind, got none{_hint(data)}", path)
    try:
        return _record_from_message(message, path)
    except FormatError as error:
        raise FormatError(str(error), path) from None


def _hint(data: bytes) -> str:
    """Say what a file that is no strategy file is, if it is another gone file."""
    population, network = gone_pb2.Population(), gone_pb2.NeuralNetwork()
    for message in (population, network):
        try:
            message.ParseFromString(bytes(data))
        except DecodeError:
            message.Clear()
    if population.HasField("Network"):
        return " (this is a population file: load it with gone.load_population)"
    if network.Layers or network.Modules:
        return " (this is a network file: load it with gone.load)"
    return ""


# ---- record -> message ----------------------------------------------------------------------


def strategy_message(record: StrategyRecord) -> gone_pb2.Strategy:
    """Return the Strategy message of `record`, after checking its parts."""
    _check_record(record)
    message = gone_pb2.Strategy(
        FormatVersion=DENSE_VERSION,
        Kind=record.kind,
        Generation=record.generation,
        RandomState=random_state_json(record.rng_state),
        Evaluated=bool(record.evaluated),
    )
    message.Network.CopyFrom(network_message(record.network))
    add_parameters(message.Settings, record.settings, "settings")
    for role, part in record.parts.items():
        if part is not None:
            name, params = part
            entry = message.Parts.add(Role=role)
            entry.Component.Name = name
            add_parameters(entry.Component.Parameters, params, role)
    if record.population is not None:
        # The population file's own message, written and checked by its own code.
        message.Population.ParseFromString(population_to_bytes(record.population))
    for name, array in record.arrays.items():
        check_finite(array, f"state {name}")
        message.Arrays.add(Name=name, Values=np.asarray(array, dtype=np.float64).ravel().tolist())
    add_parameters(message.Counters, record.counters, "counters")
    add_history(message.History, record.history)
    return message


def _check_record(record: StrategyRecord) -> None:
    """Raise ConfigError or DataError unless the record can be written and read back."""
    if not isinstance(record, StrategyRecord):
        raise ConfigError(f"record: expected a StrategyRecord, got {type(record).__name__}")
    if not isinstance(record.kind, str) or not record.kind:
        raise ConfigError(f"record.kind: expected a strategy's name, got {record.kind!r}")
    if not isinstance(record.network, NeuralNetwork):
        raise ConfigError(
            f"record.network: expected a gone.NeuralNetwork, got {type(record.network).__name__}"
        )
    if not is_dense(record.network):  # as a population's, its file holds dense layers only
        raise ConfigError(
            f"record.network: expected a network of dense layers, got {record.network!r}"
        )
    check_generation(record.generation)
    for name, part in record.parts.items():
        if part is not None and not (
            isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], dict)
        ):
            raise ConfigError(
                f"record.parts[{name!r}]: expected None or (name, parameters), got {part!r}"
            )
    for name, values in record.counters.items():
        if isinstance(values, bool) or not isinstance(values, (int, np.integer)) or values < 0:
            raise ConfigError(f"record.counters[{name!r}]: expected an int >= 0, got {values!r}")
    check_history_to_save(record.history)


# ---- message -> record ----------------------------------------------------------------------


def _record_from_message(message, path) -> StrategyRecord:
    # Cheap checks first: counts and single fields, before the network, population or arrays.
    check_version(message.FormatVersion)
    if not 0 <= message.Generation <= MAX_GENERATION:
        raise FormatError(f"generation: expected an int in [0, 2^53], got {message.Generation}")
    if not message.RandomState:
        raise FormatError("random state: expected the strategy generator's state, got none")
    if not message.HasField("Network"):
        raise FormatError("network: expected the individuals' configuration, got none")
    try:
        check_counts(message.Network)
    except FormatError as error:
        raise FormatError(f"network: {error}") from None
    names = [series.Name for series in message.Arrays]
    for name in set(names):
        if names.count(name) > 1:
            raise FormatError(f"state {quoted(name)}: expected once, got twice")
    for series in message.Arrays:
        if len(series.Values) > MAX_ARRAY_VALUES:
            raise FormatError(
                f"state {quoted(series.Name)}: expected at most {MAX_ARRAY_VALUES} values, "
                f"got {len(series.Values)}"
            )
    check_history_series(message.History)

    try:
        network = network_from_message(message.Network)
    except FormatError as error:
        raise FormatError(f"network: {error}") from None
    settings = parameters_from(message.Settings, "settings")
    parts = {}
    for entry in message.Parts:
        if entry.Role in parts:
            raise FormatError(f"part {quoted(entry.Role)}: expected once, got twice")
        component = entry.Component
        parts[entry.Role] = (component.Name, parameters_from(component.Parameters, entry.Role))
    population = None
    if message.HasField("Population"):
        try:
            population = population_from_bytes(message.Population.SerializeToString())
        except FormatError as error:
            raise FormatError(f"population: {error}") from None
    arrays = {}
    for series in message.Arrays:
        values = np.array(series.Values, dtype=np.float64)  # (n,)
        if not np.isfinite(values).all():
            raise FormatError(f"state {quoted(series.Name)}: expected finite numbers, got others")
        arrays[series.Name] = values
    counters = parameters_from(message.Counters, "counters")
    for name, value in counters.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FormatError(f"counter {quoted(name)}: expected an int >= 0, got {value!r}")
    history = history_from(message.History)
    return StrategyRecord(
        kind=message.Kind,
        network=network,
        generation=message.Generation,
        rng_state=random_state_from_json(message.RandomState),
        evaluated=message.Evaluated,
        population=population,
        settings=settings,
        parts=parts,
        arrays=arrays,
        counters=counters,
        history=history,
    )
