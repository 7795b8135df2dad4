"""NeuralNetwork <-> .gone bytes: everything a network is, in the Go schema plus gone's new fields.

A network of dense layers only is written with its layers in Go's fields, as Go writes them (so
Go gone loads the file), as format version 1. Any other network (images, dropout, batch norm)
keeps its layers in gone's Modules field (gone.persistence.modules), format version 2, and
leaves Go's layer fields empty. Then come gone's own fields: activation, loss and initializer
parameters, dtype, the optimizer with its state, the training history and the random
generator's state. Loading checks every field and builds the network only from a consistent
whole; anything else is a FormatError naming the file.
"""

from operator import attrgetter

import numpy as np
from google.protobuf.message import DecodeError

from gone import gone_pb2
from gone._random import make_rng
from gone.activations import ACTIVATIONS, Identity
from gone.errors import ConfigError, DataError, FormatError, GoneError
from gone.history import History
from gone.initializers import INITIALIZERS, Uniform
from gone.layers import Layer
from gone.losses import LOSSES
from gone.network import NeuralNetwork
from gone.optimizers import OPTIMIZERS, Optimizer
from gone.persistence.fields import (
    DENSE_VERSION,
    FORMAT_VERSION,
    add_array,
    add_matrix,
    add_parameters,
    array_from_array,
    array_from_matrix,
    build,
    check_finite,
    check_version,
    generator_from_state,
    nan_at,
    parameters_from,
    quoted,
    random_state_from_json,
    random_state_json,
)
from gone.persistence.files import parse, read_file, user_path, write_atomically
from gone.persistence.modules import (
    add_modules,
    check_no_go_layers,
    check_registered,
    is_dense,
    layers_and_states,
)

#: Names of the dtypes a file may hold, as numpy spells them; "" (absent) is Go's float64.
DTYPES = {
    "": np.dtype(np.float64),
    "float64": np.dtype(np.float64),
    "float32": np.dtype(np.float32),
}


# ---- the public functions ------------------------------------------------------------------


def save(net: NeuralNetwork, path) -> None:
    """Write `net` to the .gone file `path`, atomically: a temporary file renamed into place.

    Parameters: `net` (a NeuralNetwork), `path` (str, bytes or os.PathLike; a symlink is
    followed). Raises DataError, before anything is written, when a weight, bias or optimizer
    state array holds NaN or infinity, and FileError (a GoneError and an OSError naming `path`:
    a missing folder, no permission, a full disk) leaving any existing file at `path` untouched.

    >>> gone.save(net, "xor.gone")          # same as net.save("xor.gone")
    """
    path = user_path(path)
    write_atomically(path, to_bytes(net))


def load(path) -> NeuralNetwork:
    """Read the .gone file at `path`, written by gone or by Go gone, and return the network.

    Raises FormatError (naming the path) when the file is damaged, foreign or inconsistent, and
    FileError (a GoneError and an OSError naming the path) when it is missing, unreadable or no
    regular file (a folder, a pipe, a device).

    >>> net = gone.load("xor.gone")
    >>> net.predict([1, 0])
    array([0.99793935])
    """
    path = user_path(path)
    return from_bytes(read_file(path), path=path)


def to_bytes(net: NeuralNetwork) -> bytes:
    """Return `net` serialized as the bytes of a .gone file."""
    return network_message(net).SerializeToString()


def from_bytes(data: bytes, path=None) -> NeuralNetwork:
    """Return the network in .gone bytes; `path`, if given, is named in errors."""
    return network_from_message(parse_network(data, path), path)


# ---- NeuralNetwork -> message -------------------------------------------------------------


def network_message(net: NeuralNetwork, weights=None, biases=None) -> gone_pb2.NeuralNetwork:
    """Return the message of `net`, with other `weights` and `biases` (same shapes) if given
    (a network of dense layers only: a population's individual)."""
    if not isinstance(net, NeuralNetwork):
        raise ConfigError(f"net: expected a gone.NeuralNetwork, got {type(net).__name__}")
    if not is_dense(net):
        if weights is not None or biases is not None:
            raise ConfigError(
                "weights, biases: expected a network of dense layers to save with other "
                f"weights, got {net!r}"
            )
        return _modules_message(net)
    parameters = net.parameters()  # W0, b0, W1, b1, ... (the arrays themselves)
    weights = parameters[0::2] if weights is None else weights
    biases = parameters[1::2] if biases is None else biases
    message = gone_pb2.NeuralNetwork()
    # Go's fields, filled the way Go fills them.
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        check_finite(W, f"weights[{i}]")
        check_finite(b, f"biases[{i}]")
        add_matrix(message.Weights, W)
        add_matrix(message.Biases, b)
    for layer in net.layers:
        # An untrained Go net's forward-pass cache: a zero column per layer, the input's included.
        message.Activations.add(Rows=layer.nodes, Columns=1, Data=[0.0] * layer.nodes)
    message.LearningRate = net.learning_rate
    for i, layer in enumerate(net.layers):
        _check_registered(ACTIVATIONS, layer.activation, f"layers[{i}] activation")
        entry = message.Layers.add(Nodes=layer.nodes, Activator=layer.activation.name)
        add_parameters(entry.ActivatorParameters, layer.activation.params(), entry.Activator)
    message.DebugMode = False
    _check_registered(LOSSES, net.loss, "loss")
    message.Loss = net.loss.name
    # gone's fields.
    message.FormatVersion = DENSE_VERSION
    _add_gone_fields(message, net)
    return message


def _modules_message(net: NeuralNetwork) -> gone_pb2.NeuralNetwork:
    """The message of a network with other layers than dense ones: its layers in Modules, Go's
    Weights, Biases, Activations and Layers empty (so Go's Load refuses the file)."""
    message = gone_pb2.NeuralNetwork()
    message.LearningRate = net.learning_rate  # Go's fields 4 and 7 keep their meaning
    _check_registered(LOSSES, net.loss, "loss")
    message.Loss = net.loss.name
    message.FormatVersion = FORMAT_VERSION
    _add_gone_fields(message, net)
    add_modules(message.Modules, net)
    return message


def _add_gone_fields(message, net: NeuralNetwork) -> None:
    """gone's fields 9-14, the same for every network: loss and initializer parameters, dtype,
    optimizer, history, random state."""
    add_parameters(message.LossParameters, net.loss.params(), "loss")
    _check_registered(INITIALIZERS, net.initializer, "initializer")
    message.Initializer.Name = net.initializer.name
    add_parameters(message.Initializer.Parameters, net.initializer.params(), "initializer")
    message.DType = net.dtype.name
    if net.optimizer is not None:
        _add_optimizer(message.Optimizer, net.optimizer, matrices=is_dense(net))
    _add_history(message.History, net.history)
    message.RandomState = random_state_json(net.rng.bit_generator.state)


def _check_registered(registry: dict, thing, what: str) -> None:
    check_registered(registry, "name", thing, what)


def _add_optimizer(entry, optimizer: Optimizer, matrices: bool) -> None:
    """The optimizer and its state; each slot's arrays as Matrix Values (`matrices`: a network
    of dense layers, as version 1) or as Arrays with their shapes (a convolution's are 4-D)."""
    _check_registered(OPTIMIZERS, optimizer, "optimizer")
    entry.Name = optimizer.name
    add_parameters(entry.Parameters, optimizer.params(), "optimizer")
    if not optimizer.state_is_finite():  # e.g. the moments a diverged step left
        raise DataError(
            f"optimizer state: expected finite numbers to save, got NaN or infinity in "
            f"{optimizer.name}'s {', '.join(optimizer.slot_names)} (optimizer.reset() clears it)"
        )
    state = optimizer.state()
    entry.Steps = state["steps"]
    for name, arrays in state["slots"].items():
        slot = entry.Slots.add(Name=name)
        for array in arrays:
            if matrices:
                add_matrix(slot.Values, array)
            else:
                add_array(slot.Arrays, array)


def _add_history(repeated, history: History) -> None:
    for name in History.FIELDS:
        at = nan_at(getattr(history, name))
        if at is not None:  # it would not load again
            raise DataError(f"history {name}[{at}]: expected a number to save, got NaN")
    for loss, learning_rate, seconds, val_loss, val_accuracy in zip(
        history.loss,
        history.learning_rate,
        history.seconds,
        history.val_loss,
        history.val_accuracy,
        strict=True,
    ):
        epoch = repeated.add(
            Loss=float(loss), LearningRate=float(learning_rate), Seconds=float(seconds)
        )
        if val_loss is not None:  # absent, not NaN: "no validation" is not a number
            epoch.ValLoss = float(val_loss)
        if val_accuracy is not None:
            epoch.ValAccuracy = float(val_accuracy)


# ---- message -> NeuralNetwork -------------------------------------------------------------


def parse_network(data: bytes, path=None) -> gone_pb2.NeuralNetwork:
    """Return `data` parsed as a NeuralNetwork message, refusing what is plainly no network."""
    message = parse(gone_pb2.NeuralNetwork, data, "gone NeuralNetwork", path)
    if not message.Layers and not message.Modules:
        population = gone_pb2.Population()
        try:
            population.ParseFromString(bytes(data))
        except DecodeError:  # not a population either
            population.Clear()
        if population.HasField("Network"):
            raise FormatError(
                "contents: expected a gone NeuralNetwork, got a population "
                "(load it with gone.load_population)",
                path,
            )
        raise FormatError(
            "layers: expected a gone NeuralNetwork's input and output layers, got none", path
        )
    return message


def network_from_message(message: gone_pb2.NeuralNetwork, path=None) -> NeuralNetwork:
    """Return the network a message describes; FormatError (naming `path`) if it cannot."""
    try:
        return _network_from_message(message)
    except FormatError as error:
        raise FormatError(str(error), path) from None


def _network_from_message(message) -> NeuralNetwork:
    # Cheap checks first: a file is refused by comparing counts before any work per layer or
    # epoch, and the history, the only part that may be long without being parameters, comes last.
    check_version(message.FormatVersion)
    modules = bool(message.Modules)  # layers of other kinds than dense, in gone's field
    if modules:
        check_no_go_layers(message)
    else:
        check_counts(message)
    dtype = DTYPES.get(message.DType)
    if dtype is None:
        raise FormatError(f"dtype: expected float64 or float32, got {quoted(message.DType)}")
    if modules:
        layers, states = layers_and_states(message.Modules, dtype)
    else:
        layers = _layers(message.Layers)
        weights, biases = _weights_and_biases(message, layers, dtype)
    loss = build(LOSSES, message.Loss, parameters_from(message.LossParameters, "loss"), "loss")
    initializer = Uniform()  # Go's way, for files without the field
    if message.HasField("Initializer"):
        entry = message.Initializer
        initializer = build(
            INITIALIZERS,
            entry.Name,
            parameters_from(entry.Parameters, "initializer"),
            "initializer",
        )
    rng = make_rng(None)  # a Go file has no generator state: start a fresh one
    if message.RandomState:
        rng = generator_from_state(random_state_from_json(message.RandomState))
    settings = {
        "loss": loss,
        "learning_rate": message.LearningRate,
        "seed": rng,
        "dtype": dtype,
        "initializer": initializer,
    }
    try:
        if modules:
            net = NeuralNetwork.from_layer_states(layers, states, **settings)
        else:
            net = NeuralNetwork.from_parameters(layers, weights, biases, **settings)
    except GoneError as error:  # e.g. CrossEntropy after an Identity output, a learning rate <= 0
        raise FormatError(f"inconsistent model: {error}") from None
    if message.HasField("Optimizer"):
        net.optimizer = _optimizer(message.Optimizer, net, matrices=not modules)
    net.history = _history(message.History)
    return net


def check_counts(message) -> None:
    """Refuse a file whose layers, weights and biases cannot pair up, before reading any of them,
    and one whose layers are not all dense (gone's Modules: no population or strategy has them)."""
    if message.Modules:
        raise FormatError(
            f"layers: expected dense layers only (Go's Layers field), got {len(message.Modules)} "
            "layers of other kinds (gone's Modules field)"
        )
    n_layers = len(message.Layers)
    if n_layers < 2:
        raise FormatError(f"layers: expected at least 2 (input and output), got {n_layers}")
    for what, repeated in (("weights", message.Weights), ("biases", message.Biases)):
        if len(repeated) != n_layers - 1:
            raise FormatError(
                f"{what}: expected {n_layers - 1} matrices (one per layer after the input of "
                f"{n_layers} layers), got {len(repeated)}"
            )


def _layers(repeated) -> list[Layer]:
    layers = []
    for i, entry in enumerate(repeated):
        if entry.Nodes < 1:
            raise FormatError(f"layers[{i}] nodes: expected an int >= 1, got {entry.Nodes}")
        what = f"layers[{i}] activator"
        activation = build(
            ACTIVATIONS, entry.Activator, parameters_from(entry.ActivatorParameters, what), what
        )
        try:
            # Go never applies the input layer's activator, whatever its name ("id" as Go saves
            # it): ours must be Identity, which computes the same.
            layers.append(Layer(entry.Nodes, Identity() if i == 0 else activation))
        except GoneError as error:  # a size Layer refuses
            raise FormatError(f"layers[{i}]: {error}") from None
    return layers


def _weights_and_biases(message, layers: list[Layer], dtype) -> tuple[list, list]:
    shapes = [
        (after.nodes, before.nodes) for before, after in zip(layers, layers[1:], strict=False)
    ]
    weights = [
        array_from_matrix(W, shape, dtype, f"weights[{i}]")
        for i, (W, shape) in enumerate(zip(message.Weights, shapes, strict=True))
    ]
    biases = [
        array_from_matrix(b, (shape[0], 1), dtype, f"biases[{i}] (a column)")
        for i, (b, shape) in enumerate(zip(message.Biases, shapes, strict=True))
    ]
    return weights, biases


#: History's lists and the Epoch fields they are stored in; the last two may be absent.
_EPOCH_FIELDS = {
    "loss": "Loss",
    "learning_rate": "LearningRate",
    "seconds": "Seconds",
    "val_loss": "ValLoss",
    "val_accuracy": "ValAccuracy",
}
_OPTIONAL = ("val_loss", "val_accuracy")


def _history(repeated) -> History:
    """Read the epochs one field at a time, into compact arrays: a NaN is refused before the next
    field is read, and only a whole, valid history becomes History's lists of floats."""
    n = len(repeated)
    columns = {}
    for name, field in _EPOCH_FIELDS.items():
        values = np.fromiter(map(attrgetter(field), repeated), np.float64, count=n)  # (n,)
        present = None
        if name in _OPTIONAL:
            present = np.fromiter((e.HasField(field) for e in repeated), bool, count=n)  # (n,)
        nan = np.flatnonzero(np.isnan(values) if present is None else np.isnan(values) & present)
        if nan.size:
            raise FormatError(f"history {name}[{nan[0]}]: expected a number, got NaN")
        if present is None:
            columns[name] = values.tolist()
        else:  # absent, not NaN: "no validation" is not a number
            columns[name] = [v if p else None for v, p in zip(values.tolist(), present.tolist())]
    return History(**columns)


def _optimizer(entry, net: NeuralNetwork, matrices: bool = True) -> Optimizer:
    optimizer = build(
        OPTIMIZERS, entry.Name, parameters_from(entry.Parameters, "optimizer"), "optimizer"
    )
    if entry.Steps < 0:
        raise FormatError(f"optimizer steps: expected an int >= 0, got {entry.Steps}")
    # State arrays appear with the first step: none before it, all of the optimizer's after.
    # The names are compared before any array is read.
    expected = sorted(optimizer.slot_names) if entry.Steps > 0 else []
    names = sorted(slot.Name for slot in entry.Slots)
    if names != expected:
        raise FormatError(
            f"optimizer slots after {entry.Steps} steps: expected {expected}, got {quoted(names)}"
        )
    shapes = [p.shape for p in net.parameters()]  # W0, b0, W1, b1, ... (or gamma, beta, ...)
    # A dense network's state arrays are Matrix Values, as version 1 wrote them; any other
    # network's are Arrays with their shapes. The other field must be empty.
    field, other = ("Values", "Arrays") if matrices else ("Arrays", "Values")
    read = array_from_matrix if matrices else array_from_array
    slots = {}
    for slot in entry.Slots:
        what = f"optimizer slot {slot.Name!r}"
        if getattr(slot, other):
            raise FormatError(
                f"{what} {other}: expected none (this network's state is in {field}), got "
                f"{len(getattr(slot, other))}"
            )
        arrays = getattr(slot, field)
        if len(arrays) != len(shapes):
            raise FormatError(
                f"{what}: expected {len(shapes)} arrays (W0, b0, ...), got {len(arrays)}"
            )
        slots[slot.Name] = [
            read(values, shape, net.dtype, f"{what}[{k}]")
            for k, (values, shape) in enumerate(zip(arrays, shapes, strict=True))
        ]
    optimizer.load_state({"steps": entry.Steps, "slots": slots})
    return optimizer
