"""The gone command line: `python -m gone inspect model.gone` (also installed as `gone`).

    $ python -m gone inspect xor.gone
    xor.gone: gone network, format version 0 (written by Go gone)
    architecture: 2 -> 4 sigmoid -> 1 id
    layer      kind   output  activation  weights  biases  parameters
    ...

`inspect` describes a network file (every layer's kind, output shape, activation and parameter
count, the layers' hyperparameters, loss, format version, optimizer, training history, whether
Go gone can load it) or a population file; on a file it cannot read it prints one line to stderr
and exits with status 1.
"""

import argparse
import sys

from google.protobuf.message import DecodeError

from gone import gone_pb2
from gone.errors import GoneError
from gone.layers import Layer
from gone.layers.module import shape_text
from gone.persistence.fields import cut
from gone.persistence.files import read_file, user_path
from gone.persistence.network import network_from_message, parse_network
from gone.persistence.population import PopulationRecord, population_from_bytes


def main(argv=None, out=None, err=None) -> int:
    """Run the command line with `argv` (default sys.argv[1:]); return the exit status.

    `out` and `err` are the streams to write to (default stdout and stderr), so tests and other
    programs can capture what is written.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = argparse.ArgumentParser(prog="gone", description="Work with gone's .gone files.")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="describe a .gone network or population file")
    inspect.add_argument("path", help="the .gone file")
    args = parser.parse_args(argv)
    try:
        text = describe_file(args.path)
    except (GoneError, OSError) as error:  # FormatError, FileError, an empty path
        one_line = " ".join(str(error).split())
        err.write(f"gone {args.command}: error: {one_line}\n")
        return 1
    out.write(text + "\n")
    return 0


def describe_file(path) -> str:
    """Return a readable description of the network or population file at `path`."""
    path = user_path(path)
    data = read_file(path)
    population = _population_message(data)
    if population is not None:
        record = population_from_bytes(data, path=path)
        return _describe_population(path, population.FormatVersion, record)
    message = parse_network(data, path=path)
    net = network_from_message(message, path=path)
    return _describe_network(path, message, net)


def _population_message(data: bytes):
    """Return `data` as a Population message if it is one (it has a network), else None."""
    message = gone_pb2.Population()
    try:
        message.ParseFromString(data)
    except DecodeError:
        return None
    return message if message.HasField("Network") else None


def _version(version: int) -> str:
    origin = " (written by Go gone)" if version == 0 else ""
    return f"format version {version}{origin}"


def _describe_network(path: str, message, net) -> str:
    lines = [
        f"{path}: gone network, {_version(message.FormatVersion)}",
        f"architecture: {_architecture(net)}",
        net.summary(),  # every layer's kind, output shape, activation, arrays, parameter count
        *_hyperparameters(net),
        f"initializer: {_call(net.initializer)}{_stored(message.HasField('Initializer'))}",
        f"optimizer: {_optimizer(net.optimizer)}",
        f"history: {_network_history(net.history)}",
        f"random state: {_random_state(message, net)}",
        f"go: {_go(message, net)}",
    ]
    return "\n".join(lines)


def _architecture(net) -> str:
    """Go's way for dense networks, "2 -> 4 sigmoid -> 1 id"; else the kind and output shape of
    every layer, "1x28x28 -> conv2d 8x28x28 relu -> ... -> dense 10 softmax"."""
    if all(isinstance(layer, Layer) for layer in net.layers):
        return " -> ".join(
            [str(net.layers[0].nodes)]
            + [f"{layer.nodes} {_call(layer.activation)}" for layer in net.layers[1:]]
        )
    steps = [shape_text(net.input_shape)]
    for layer in net.layers[1:]:
        activation = getattr(layer, "activation", None)
        shown = "" if activation is None else f" {_call(activation)}"
        steps.append(f"{layer.kind} {shape_text(layer.output_shape)}{shown}")
    return " -> ".join(steps)


def _hyperparameters(net) -> list[str]:
    """A line per layer with settings that the table does not show (a kernel size, a dropout
    rate, a batch norm's momentum and its running statistics); none for dense networks."""
    lines = []
    for i, layer in enumerate(net.layers[1:], 1):
        config = {k: v for k, v in layer.config().items() if k not in ("activation", "nodes")}
        if not config:
            continue
        settings = ", ".join(f"{k}={_value(v)}" for k, v in config.items())
        statistics = [
            f"{name} {shape_text(shape)}"
            for name, shape in zip(layer.statistic_names, layer.statistic_shapes(), strict=True)
        ]
        if statistics:
            settings += f"; statistics {', '.join(statistics)} (learned without gradients)"
        lines.append(f"  {i} {layer.kind}: {settings}")
    return ["hyperparameters:", *lines] if lines else []


def _value(value) -> str:
    if isinstance(value, tuple):
        return shape_text(value)  # a kernel size, a stride: 3x3
    return f"{value:g}" if isinstance(value, float) else str(value)


#: The activation names Go gone computes; it reads any other name as "id" (and has no code
#: behind "softmax": predicting with it panics). Its only loss is "mse", which it also reads any
#: other loss name as.
_GO_ACTIVATIONS = ("id", "sigmoid", "relu")


def _go(message, net) -> str:
    """What Go gone does with the file (its Load at the commit of tests/fixtures/go-gone)."""
    if message.Modules:
        return (
            "Go gone cannot load it: its layers are in gone's own fields and Go's Layers field is "
            "empty (Go's Load panics)"
        )
    notes = []
    others = sorted(
        {layer.activation.name for layer in net.layers[1:]} - {*_GO_ACTIVATIONS, "softmax"}
    )
    if others:
        notes.append(f"Go computes {', '.join(others)} as id")
    if any(layer.activation.name == "softmax" for layer in net.layers[1:]):
        notes.append("Go's softmax panics when predicting")
    if net.loss.name != "mse":
        notes.append(f"Go trains with mse, not {net.loss.name}")
    return "Go gone loads it (dense layers in Go's fields 1-7)" + (
        f", but {'; '.join(notes)}" if notes else ""
    )


def _stored(stored: bool) -> str:
    return "" if stored else " (not stored: the default)"


def _random_state(message, net) -> str:
    if not message.RandomState:
        return "not stored (a fresh generator on load)"
    return net.rng.bit_generator.state["bit_generator"]


def _describe_population(path: str, version: int, record: PopulationRecord) -> str:
    fitness = "not evaluated"
    if record.fitness is not None:
        f = record.fitness
        fitness = f"best {f.max():g}, mean {f.mean():g}, worst {f.min():g}"
    lines = [
        f"{path}: gone population, {_version(version)}",
        f"generation {record.generation}, {record.size} individuals, each:",
        record.network.summary(),
        f"fitness: {fitness}",
        f"history: {_series_history(record.history)}",
        f"random state: {record.rng_state['bit_generator']}",
    ]
    return "\n".join(lines)


def _call(thing) -> str:
    """Return "name(k=v, ...)" for an activation, loss, initializer or optimizer."""
    params = thing.params()
    shown = ", ".join(
        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items()
    )
    return f"{thing.name}({shown})" if params else thing.name


def _optimizer(optimizer) -> str:
    if optimizer is None:
        return "none (never trained by gone)"
    state = optimizer.state()
    slots = f", state {', '.join(sorted(state['slots']))}" if state["slots"] else ""
    return f"{_call(optimizer)}, {state['steps']} steps{slots}"


def _network_history(history) -> str:
    if not history.epochs:
        return "no epochs recorded"
    lowest = min(range(history.epochs), key=history.loss.__getitem__)
    text = (
        f"{history.epochs} epochs, loss {history.loss[0]:.6g} (epoch 1) -> "
        f"{history.loss[-1]:.6g} (epoch {history.epochs}), lowest {history.loss[lowest]:.6g} "
        f"(epoch {lowest + 1})"
    )
    for name in ("val_loss", "val_accuracy"):
        values = [v for v in getattr(history, name) if v is not None]
        if values:
            text += f"; last {name} {values[-1]:.6g}"
    return text


def _series_history(history: dict) -> str:
    if not history:
        return "none recorded"
    parts = []
    for name, values in history.items():
        if values:
            parts.append(f"{cut(name)} {values[0]:.6g} -> {values[-1]:.6g}")
    length = max((len(values) for values in history.values()), default=0)
    return f"{length} generations" + (f"; {'; '.join(parts)}" if parts else "")


if __name__ == "__main__":
    sys.exit(main())
