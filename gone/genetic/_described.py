"""What every genetic operator shares: a name, its settings, and equality and repr built on them."""


class Described:
    """Base of selections, crossovers and mutations: `params()` rebuilds the operator.

    `type(op)(**op.params())` equals `op`, and two operators are equal when their type and
    settings are.
    """

    name = ""

    def params(self) -> dict:
        """Return the constructor arguments that rebuild this operator."""
        return {}

    def __eq__(self, other):
        return type(self) is type(other) and self.params() == other.params()

    def __hash__(self):
        return hash((type(self), tuple(sorted(self.params().items()))))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"
