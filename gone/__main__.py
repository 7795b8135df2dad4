"""The gone command line: `python -m gone inspect model.gone` (also installed as `gone`).

    $ python -m gone inspect xor.gone
    xor.gone: gone network, format version 0 (written by Go gone)
    layer      nodes  activation  weights  biases  parameters
    ...

`inspect` describes a network file (architecture, activations, loss, parameter count, format
version, optimizer, training history) or a population file; on a file it cannot read it prints
one line to stderr and exits with status 1.
"""

import argparse
import sys

from google.protobuf.message import DecodeError

from gone import gone_pb2
from gone.errors import GoneError
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
    architecture = " -> ".join(
        [str(net.layers[0].nodes)]
        + [f"{layer.nodes} {_call(layer.activation)}" for layer in net.layers[1:]]
    )
    lines = [
        f"{path}: gone network, {_version(message.FormatVersion)}",
        f"architecture: {architecture}",
        net.summary(),
        f"initializer: {_call(net.initializer)}{_stored(message.HasField('Initializer'))}",
        f"optimizer: {_optimizer(net.optimizer)}",
        f"history: {_network_history(net.history)}",
        f"random state: {_random_state(message, net)}",
    ]
    return "\n".join(lines)


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
