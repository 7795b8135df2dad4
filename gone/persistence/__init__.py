"""Saving and loading: networks, populations and strategies as protobuf .gone files (schema:
proto/gone.proto).

A .gone network file is wire-compatible with the Go library fr3fou/gone: its fields 1-7 are Go's,
so Go-made files load here with the same predictions and files saved here with Go's features
load in Go. gone's additions (activation parameters, dtype, optimizer state, history, random
state, ...) live in fields Go skips. A network with other layers than dense ones (images,
pooling, dropout, batch norm) keeps its layers, with their hyperparameters, weights and running
statistics, in gone's own field (format version 2) and leaves Go's layer fields empty, so Go's
Load refuses it rather than reading some other network. Loading never runs code: no pickle; a
damaged, foreign or inconsistent file raises FormatError naming the path; a file that cannot be
read or written, FileError (a GoneError and an OSError) naming the path. Saving is atomic.

    net.save("xor.gone")                  # or gone.save(net, "xor.gone")
    net = gone.load("xor.gone")
    data = net.to_bytes(); net = gone.from_bytes(data)
    population.save("run.gone"); population = gone.Population.load("run.gone")
    strategy.save("es.gone"); strategy = gone.load_strategy("es.gone")
"""

from gone.errors import FileError
from gone.persistence.fields import generator_from_state
from gone.persistence.network import FORMAT_VERSION, from_bytes, load, save, to_bytes
from gone.persistence.population import (
    PopulationRecord,
    load_population,
    population_from_bytes,
    population_to_bytes,
    save_population,
)
from gone.persistence.strategy import (
    StrategyRecord,
    load_strategy_record,
    save_strategy,
    strategy_from_bytes,
    strategy_to_bytes,
)

__all__ = [
    "FORMAT_VERSION",
    "FileError",
    "PopulationRecord",
    "StrategyRecord",
    "from_bytes",
    "generator_from_state",
    "load",
    "load_population",
    "load_strategy_record",
    "population_from_bytes",
    "population_to_bytes",
    "save",
    "save_population",
    "save_strategy",
    "strategy_from_bytes",
    "strategy_to_bytes",
    "to_bytes",
]
