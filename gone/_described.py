"""What every configurable piece shares: a registry name, its settings, and equality and repr
built on them. Activations, losses, initializers, optimizers, schedules and the genetic
operators all derive from it, so `type(x)(**x.params())` rebuilds any of them."""


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
