"""The layers of a network that has other kinds than Go's dense one, as NeuralNetwork.Modules.

A network of dense layers only is written in Go's fields (gone.persistence.network), so Go gone
reads it. Any other network (an Input, a convolution, a pooling, Flatten, Dropout, BatchNorm)
is written here instead, one Module per layer, input first:

    Kind        layer.kind, a key of gone.layers.LAYERS: "conv2d"
    Parameters  layer.config() but the activation: filters=8, kernel_size=(5, 5), ...
    Activation  the activation's name and arguments, for the kinds that have one
    Arrays      layer.state(), each array with its name and shape: W (8, 1, 5, 5), b (8, 1)

and Go's Weights, Biases, Activations and Layers stay empty: Go's Load finds no layers and fails
(a panic) rather than reading the file as some dense network.

Reading trusts no field and does bounded work: every layer is made from its kind and
hyperparameters and built on the shape the layer before it gives (the layers' own `build`
checks: channels, kernel and window sizes against the image, Flatten before a dense layer), and
the names and shapes of every array are compared with what the built layers hold before any
array is read. Everything else (the input first, a dense output, the loss against it) is the
network's own check, in `NeuralNetwork.from_layer_states`.
"""

import math

from gone.activations import ACTIVATIONS
from gone.errors import ConfigError, FormatError, GoneError
from gone.layers import LAYERS, Input, Layer, Module
from gone.persistence.fields import (
    add_array,
    add_parameters,
    array_from_values,
    build,
    check_finite,
    parameters_from,
    quoted,
    shape_shown,
)


def is_dense(net) -> bool:
    """Whether every layer of `net` is a dense gone.Layer (the first one the input): a network
    Go's fields describe whole, written as Go writes it."""
    return all(isinstance(layer, Layer) for layer in net.layers)


# ---- layers -> messages ---------------------------------------------------------------------


def add_modules(repeated, net) -> None:
    """Append one Module per layer of `net` (input first) to the repeated field `repeated`.

    Raises ConfigError for a layer or activation that is not one of gone's own (it could not be
    rebuilt from the file) and DataError for an array holding NaN or infinity."""
    for i, layer in enumerate(net.layers):
        what = f"layers[{i}]"
        check_registered(LAYERS, "kind", layer, what)
        config = layer.config()
        activation = config.pop("activation", None)
        entry = repeated.add(Kind=layer.kind)
        add_parameters(entry.Parameters, config, what, integers=True)
        if activation is not None:
            check_registered(ACTIVATIONS, "name", activation, f"{what} activation")
            entry.Activation.Name = activation.name
            add_parameters(entry.Activation.Parameters, activation.params(), activation.name)
        if i == 0:  # the input has no arrays (a first dense Layer is never built)
            continue
        for name, array in layer.state().items():
            check_finite(array, f"{what} {name}")
            add_array(entry.Arrays, array, name)


def check_registered(registry: dict, key: str, thing, what: str) -> None:
    """Only registry classes can be rebuilt from a file, so only they can be saved."""
    if registry.get(getattr(thing, key, None)) is not type(thing):
        raise ConfigError(
            f"{what}: expected one of gone's own ({', '.join(sorted(registry))}) to save, "
            f"got {type(thing).__name__}"
        )


# ---- messages -> layers ---------------------------------------------------------------------


def check_no_go_layers(message) -> None:
    """Refuse a file that has Modules and Go's layers too: which would describe the network?"""
    for field in ("Layers", "Weights", "Biases", "Activations"):
        count = len(getattr(message, field))
        if count:
            raise FormatError(
                f"{field}: expected none in a file of gone's layers (Modules), got {count} (Go's "
                "fields describe dense networks only)"
            )


def layers_and_states(repeated, dtype) -> tuple[list[Module], list[dict]]:
    """Return the layers the Modules describe (unbuilt, as a network takes them) and their states
    (name -> array; {} for the input), or raise FormatError.

    Every layer is made and built and every array's name and shape compared before the first
    array is read, so a damaged file is refused after work in proportion to its layer count."""
    if len(repeated) < 2:
        raise FormatError(f"layers: expected at least 2 (input and output), got {len(repeated)}")
    layers = [_layer(entry, f"layers[{i}]") for i, entry in enumerate(repeated)]
    built = _built(layers, dtype)
    expected = [[]] + [_array_shapes(layer) for layer in built[1:]]
    for i, (entry, arrays) in enumerate(zip(repeated, expected, strict=True)):
        _check_arrays(entry.Arrays, arrays, built, i)
    states = [
        {
            name: array_from_values(values.Data, shape, dtype, f"layers[{i}] {name}")
            for values, (name, shape) in zip(entry.Arrays, arrays, strict=True)
        }
        for i, (entry, arrays) in enumerate(zip(repeated, expected, strict=True))
    ]
    return layers, states


def _layer(entry, what: str) -> Module:
    """The layer one Module describes, from its kind, hyperparameters and activation."""
    params = parameters_from(entry.Parameters, what, integers=True)
    if entry.HasField("Activation"):
        if "activation" in params:
            raise FormatError(
                f"{what} parameter 'activation': expected it in the Activation field only, got "
                "it twice"
            )
        activation = entry.Activation
        name = f"{what} activation"
        params["activation"] = build(
            ACTIVATIONS, activation.Name, parameters_from(activation.Parameters, name), name
        )
    return build(LAYERS, entry.Kind, params, what)


def _built(layers: list[Module], dtype) -> list[Module]:
    """Built copies of `layers`, each on the shape the one before gives: the layers' own checks
    of how they chain (the network builds its own copies again from the unbuilt ones)."""
    first = layers[0]
    if type(first) is Layer:  # Go's way of naming the input: n features
        shape = (first.nodes,)
    elif type(first) is Input:
        shape = first.shape
    else:
        raise FormatError(
            f"layers[0] is the input: expected the kind 'input' or 'dense', got {first.kind!r}"
        )
    built = [first]
    for i, layer in enumerate(layers[1:], 1):
        copy = layer.unbuilt()
        try:
            shape = copy.build(shape, dtype, where=f"layers[{i}]")
        except GoneError as error:  # an image into a dense layer, a kernel larger than the image
            raise FormatError(str(error)) from None
        built.append(copy)
    return built


def _array_shapes(layer: Module) -> list[tuple[str, tuple[int, ...]]]:
    """(name, shape) of every array a built layer holds, in the order of its state()."""
    names = layer.parameter_names + layer.statistic_names
    shapes = layer.parameter_shapes() + layer.statistic_shapes()
    return list(zip(names, shapes, strict=True))


def _check_arrays(repeated, arrays: list[tuple[str, tuple]], built: list[Module], i: int) -> None:
    """Refuse the Arrays of layers[i] unless their count, names, shapes and numbers of values are
    those of the built layer: read nothing of their data."""
    names = [name for name, _ in arrays]
    if len(repeated) != len(names):
        raise FormatError(
            f"layers[{i}] arrays: expected {len(names)} ({', '.join(names) or 'none'}), got "
            f"{len(repeated)}"
        )
    got = [array.Name for array in repeated]
    if got != names:
        raise FormatError(f"layers[{i}] arrays: expected {names}, got {quoted(got)}")
    for entry, (name, shape) in zip(repeated, arrays, strict=True):
        what = f"layers[{i}] {name}"
        if len(entry.Shape) != len(shape) or tuple(entry.Shape) != shape:
            before = "the input" if i == 1 else f"layers[{i - 1}] {built[i - 1].kind}"
            raise FormatError(
                f"{what}: expected shape {shape_shown(shape)} (a {built[i].kind} layer on the "
                f"{shape_shown(built[i].input_shape)} of {before}), got {shape_shown(entry.Shape)}"
            )
        count = math.prod(shape)
        if len(entry.Data) != count:
            raise FormatError(
                f"{what}: expected {count} values ({shape_shown(shape)}), got {len(entry.Data)}"
            )
