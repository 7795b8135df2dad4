"""What every configurable piece shares: a registry name, its settings, and equality and repr
built on them. Activations, losses, initializers, optimizers, schedules and the genetic
operators all derive from it, so `type(x)(**x.params())` rebuilds any of them."""

from gone.errors import ConfigError


class Described:
    """Base class: `name` is the registry key (and the name written to .gone files); `params()`
    returns the constructor arguments. Two objects are equal when type and settings are."""

    name = ""

    def params(self) -> dict:
        """Return the constructor arguments that rebuild this object."""
        return {}

    def __eq__(self, other):
        return type(self) is type(other) and self.params() == other.params()

    def __hash__(self):
        return hash((type(self), tuple(sorted(self.params().items()))))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"


def from_registry(registry: dict, name, what: str, **params):
    """Return registry[name](**params); an unknown name raises ConfigError listing the valid ones."""
    cls = registry.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ConfigError(f"{what}: expected one of {', '.join(sorted(registry))}, got {name!r}")
    return cls(**params)


def from_name_or_instance(value, base: type, registry: dict, what: str):
    """Return `value` if it is a `base` instance, else build it by name from `registry`."""
    if isinstance(value, base):
        return value
    if isinstance(value, str) and value in registry:
        return registry[value]()
    raise ConfigError(
        f"{what}: expected one of {', '.join(sorted(registry))} or a {base.__name__} instance, "
        f"got {value!r}"
    )
