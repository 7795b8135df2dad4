"""A whole neuroevolution run in one file: the shared network layout, every individual's weights,
the generation, the evolution's random state, the last fitness and the per-generation history.
"""

from dataclasses import dataclass, field

import numpy as np
from google.protobuf.message import DecodeError

from gone import gone_pb2
from gone.errors import ConfigError, DataError, FormatError, ShapeError
from gone.network import NeuralNetwork
from gone.persistence.fields import (
    DENSE_VERSION,
    array_from_values,
    check_finite,
    check_version,
    generator_from_state,
    nan_at,
    quoted,
    random_state_from_json,
    random_state_json,
)
from gone.persistence.files import parse, read_file, user_path, write_atomically
from gone.persistence.network import (
    check_counts,
    network_from_message,
    network_message,
)

#: The largest generation counter a file may hold. The field is an int64, but a counter this
#: high (2^53, exact as a float) is never reached by evolving; near 2^63 it would overflow.
MAX_GENERATION = 2**53


@dataclass
class PopulationRecord:
    """Everything needed to resume a neuroevolution run, as plain values.

    `network` holds the shared configuration (layers, loss, learning rate, dtype, initializer);
    a saved file stores individual 0's weights in it. `weights[l]` is (P, n_{l+1}, n_l) and
    `biases[l]` (P, n_{l+1}, 1) for P individuals; `rng_state` is the evolution Generator's
    `bit_generator.state`; `fitness` the last evaluated fitness (P,) or None; `history` maps a
    statistic ("best", "mean", ...) to one value per generation.

    >>> state = rng.bit_generator.state
    >>> record = PopulationRecord(net, weights, biases, generation=12, rng_state=state)
    >>> gone.save_population("flappy.gone", record)
    """

    network: NeuralNetwork
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    generation: int
    rng_state: dict
    fitness: np.ndarray | None = None
    history: dict[str, list[float]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """The number of individuals P."""
        return int(self.weights[0].shape[0])

    @classmethod
    def of(cls, population) -> "PopulationRecord":
        """Return the record of a gone.Population, its arrays copied.

        Read through the population's public attributes only, so persistence needs no import of
        gone.genetic. `network` is individual 0, which carries the shared configuration. Series
        of the history with no values are left out: a version 1 file kept only "best" and
        "mean", and its population, loaded with an empty "worst", saves again."""
        fitness = population.fitness
        history = {name: values for name, values in population.history.as_dict().items() if values}
        return cls(
            network=population[0],
            weights=[np.ascontiguousarray(W) for W in population.weights],  # (P, n_{l+1}, n_l)
            biases=[np.ascontiguousarray(b) for b in population.biases],  # (P, n_{l+1}, 1)
            generation=population.generation,
            rng_state=population.rng.bit_generator.state,
            fitness=None if fitness is None else np.array(fitness, dtype=np.float64),
            history=history,
        )

    def population_settings(self) -> dict:
        """The keyword arguments of `Population.from_parameters` that rebuild the population
        from `weights` and `biases`: the configuration, the Generator and the generation."""
        network = self.network
        return {
            "loss": network.loss,
            "learning_rate": network.learning_rate,
            "dtype": network.dtype,
            "initializer": network.initializer,
            "seed": generator_from_state(self.rng_state),
            "generation": self.generation,
        }


def save_population(path, record: PopulationRecord) -> None:
    """Write `record` to the file `path`, atomically (a temporary file renamed into place).

    Raises as `gone.save` does: a DataError for NaN or infinite weights before writing, a
    FileError (a GoneError and an OSError naming `path`) when the file cannot be written."""
    path = user_path(path)
    write_atomically(path, population_to_bytes(record))


def load_population(path) -> PopulationRecord:
    """Read a file written by `save_population`; FormatError (naming the path) if it is bad,
    FileError if it cannot be read."""
    path = user_path(path)
    return population_from_bytes(read_file(path), path=path)


def population_to_bytes(record: PopulationRecord) -> bytes:
    """Return `record` serialized as the bytes of a population file."""
    return population_message(record).SerializeToString()


def population_from_bytes(data: bytes, path=None) -> PopulationRecord:
    """Return the PopulationRecord in `data`; `path`, if given, is named in errors."""
    message = parse(gone_pb2.Population, data, "gone Population", path)
    if not message.HasField("Network"):
        network = gone_pb2.NeuralNetwork()
        try:
            network.ParseFromString(bytes(data))
        except DecodeError:  # not a network either
            network.Clear()
        is_network = network.Layers or network.Modules
        hint = " (this is a network file: load it with gone.load)" if is_network else ""
        raise FormatError(
            f"network: expected a gone Population with its network, got none{hint}", path
        )
    try:
        return _record_from_message(message)
    except FormatError as error:
        raise FormatError(str(error), path) from None


# ---- record -> message ----------------------------------------------------------------------


def population_message(record: PopulationRecord) -> gone_pb2.Population:
    """Return the Population message of `record`, after checking that its parts fit together."""
    size = _check_record(record)
    message = gone_pb2.Population(
        FormatVersion=DENSE_VERSION,
        Generation=record.generation,
        RandomState=random_state_json(record.rng_state),
    )
    individual_0 = network_message(
        record.network, weights=[W[0] for W in record.weights], biases=[b[0] for b in record.biases]
    )
    message.Network.CopyFrom(individual_0)
    for what, stacks, repeated in (
        ("weights", record.weights, message.Weights),
        ("biases", record.biases, message.Biases),
    ):
        for l, stack in enumerate(stacks):
            check_finite(stack, f"{what}[{l}]")
            _, rows, columns = stack.shape
            repeated.add(Individuals=size, Rows=rows, Columns=columns, Data=stack.ravel().tolist())
    if record.fitness is not None:
        message.Fitness.extend(np.asarray(record.fitness, dtype=np.float64).tolist())
    add_history(message.History, record.history)
    return message


def _check_record(record: PopulationRecord) -> int:
    """Raise ShapeError or ConfigError unless the record is complete and consistent; return P."""
    if not isinstance(record, PopulationRecord):
        raise ConfigError(f"record: expected a PopulationRecord, got {type(record).__name__}")
    if not isinstance(record.network, NeuralNetwork):
        raise ConfigError(
            f"record.network: expected a gone.NeuralNetwork, got {type(record.network).__name__}"
        )
    shapes = record.network.weight_shapes
    size = None
    for what, stacks, expected in (
        ("weights", record.weights, shapes),
        ("biases", record.biases, [(n, 1) for n, _ in shapes]),
    ):
        if len(stacks) != len(expected):
            raise ShapeError(
                f"record.{what}: expected {len(expected)} stacked arrays, got {len(stacks)}"
            )
        for l, (stack, shape) in enumerate(zip(stacks, expected, strict=True)):
            stack_shape = np.shape(stack)
            size = stack_shape[0] if size is None and len(stack_shape) == 3 else size
            if size is None or size < 1 or stack_shape != (size, *shape):
                raise ShapeError(
                    f"record.{what}[{l}]: expected shape (P, {shape[0]}, {shape[1]}) "
                    f"with the same P >= 1 throughout, got {stack_shape}"
                )
    check_generation(record.generation)
    if record.fitness is not None:
        fitness = np.asarray(record.fitness, dtype=np.float64)
        if fitness.shape != (size,) or np.isnan(fitness).any():
            raise ShapeError(
                f"record.fitness: expected ({size},) numbers, not NaN, got shape {fitness.shape}"
            )
    check_history_to_save(record.history)
    return size


def check_history_to_save(history) -> None:
    """Refuse a history that would not load again: not a dict of str -> series, series of
    different lengths, a NaN. Population and strategy files hold it alike."""
    if not isinstance(history, dict):
        raise ConfigError(
            f"record.history: expected a dict of str -> list of floats, got {type(history).__name__}"
        )
    for name in history:
        if not isinstance(name, str):
            raise ConfigError(f"record.history: expected str keys, got {name!r}")
    lengths = {name: len(values) for name, values in history.items()}
    if len(set(lengths.values())) > 1:
        raise ShapeError(
            f"record.history: expected one value per generation in every series, got lengths "
            f"{lengths}"
        )
    for name, values in history.items():
        at = nan_at(values)
        if at is not None:  # it would not load again
            raise DataError(f"record.history {name!r}[{at}]: expected a number to save, got NaN")


# ---- message -> record ----------------------------------------------------------------------


def _record_from_message(message) -> PopulationRecord:
    # Cheap checks first: counts and single fields, before any network, stack or history is read.
    check_version(message.FormatVersion)
    if not 0 <= message.Generation <= MAX_GENERATION:
        raise FormatError(f"generation: expected an int in [0, 2^53], got {message.Generation}")
    if not message.RandomState:
        raise FormatError("random state: expected the evolution generator's state, got none")
    try:
        check_counts(message.Network)
    except FormatError as error:
        raise FormatError(f"network: {error}") from None
    n_stacks = len(message.Network.Layers) - 1  # one per weight layer
    for what, repeated in (("weights", message.Weights), ("biases", message.Biases)):
        if len(repeated) != n_stacks:
            raise FormatError(
                f"{what}: expected {n_stacks} stacks (one per weight layer), got {len(repeated)}"
            )
    size = message.Weights[0].Individuals if message.Weights else 0
    if size < 1:
        raise FormatError(f"weights[0] individuals: expected an int >= 1, got {size}")
    if message.Fitness and len(message.Fitness) != size:
        raise FormatError(
            f"fitness: expected {size} numbers, not NaN, got {len(message.Fitness)} values"
        )
    check_history_series(message.History)

    try:
        network = network_from_message(message.Network)
    except FormatError as error:
        raise FormatError(f"network: {error}") from None
    shapes = network.weight_shapes
    weights = _stacks(message.Weights, "weights", shapes, size, network.dtype)
    biases = _stacks(message.Biases, "biases", [(n, 1) for n, _ in shapes], size, network.dtype)
    # The network carries individual 0: a disagreement means one of the two copies is damaged.
    own = network.parameters()  # W0, b0, W1, b1, ...
    for l, (W, b) in enumerate(zip(weights, biases, strict=True)):
        if not (np.array_equal(W[0], own[2 * l]) and np.array_equal(b[0], own[2 * l + 1])):
            raise FormatError(
                f"network layer {l}: expected individual 0's weights and biases, got others"
            )
    rng_state = random_state_from_json(message.RandomState)
    fitness = None
    if message.Fitness:
        fitness = np.array(message.Fitness, dtype=np.float64)  # (P,)
        if np.isnan(fitness).any():
            raise FormatError(f"fitness: expected {size} numbers, not NaN, got a NaN")
    history = history_from(message.History)
    return PopulationRecord(
        network, weights, biases, message.Generation, rng_state, fitness, history
    )


# ---- the generation and the history, which strategy files hold too ------------------------------


def check_generation(generation) -> None:
    """Raise ConfigError unless a record's `generation` is an int a file can hold."""
    if (
        isinstance(generation, bool)
        or not isinstance(generation, (int, np.integer))
        or not 0 <= generation <= MAX_GENERATION
    ):
        raise ConfigError(f"record.generation: expected an int in [0, 2^53], got {generation!r}")


def add_history(repeated, history: dict) -> None:
    """Append a record's history, one value per generation by statistic, to a repeated Series."""
    for name, values in history.items():
        repeated.add(Name=name, Values=[float(v) for v in values])


def check_history_series(repeated) -> None:
    """Refuse history series that repeat a name or differ in length, before reading a value.

    Values may be -inf or inf (a fitness may be, and best, mean and worst summarise it), never
    NaN: that is checked as they are read (`history_from`)."""
    lengths = {}
    for series in repeated:
        if series.Name in lengths:
            raise FormatError(f"history {quoted(series.Name)}: expected once, got twice")
        lengths[series.Name] = len(series.Values)
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{quoted(name)}: {n}" for name, n in lengths.items())
        raise FormatError(
            f"history: expected one value per generation in every series, got lengths {{{shown}}}"
        )


def history_from(repeated) -> dict[str, list[float]]:
    """Return the history in a repeated Series, checked by `check_history_series` first;
    FormatError at a NaN."""
    series_values = {}  # every series checked as a compact array before any becomes a list
    for series in repeated:
        values = np.array(series.Values, dtype=np.float64)  # (generations,)
        nan = np.flatnonzero(np.isnan(values))
        if nan.size:
            raise FormatError(
                f"history {quoted(series.Name)}[{nan[0]}]: expected a number, got NaN"
            )
        series_values[series.Name] = values
    # One array at a time becomes a list and is let go: the lists are 4x the arrays' memory.
    return {name: series_values.pop(name).tolist() for name in list(series_values)}


def _stacks(repeated, what: str, shapes, size: int, dtype) -> list[np.ndarray]:
    stacks = []
    for l, (stack, (rows, columns)) in enumerate(zip(repeated, shapes, strict=True)):
        got = (stack.Individuals, stack.Rows, stack.Columns)
        if got != (size, rows, columns):
            raise FormatError(
                f"{what}[{l}]: expected {size}x{rows}x{columns} (individuals x rows x "
                f"columns), got {'x'.join(map(str, got))}"
            )
        stacks.append(array_from_values(stack.Data, got, dtype, f"{what}[{l}]"))
    return stacks
