"""The one check the genetic API makes of its many int arguments (sizes, counts, generations)."""

import numpy as np

from gone.errors import ConfigError


def check_int(value, what: str, minimum: int, maximum: int | None = None) -> int:
    """Return `value` as an int in [minimum, maximum] (no upper bound if None); else ConfigError.

    Bools are refused: `True` is an int to Python but never a meant count.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < minimum
        or (maximum is not None and value > maximum)
    ):
        expected = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ConfigError(f"{what}: expected an int {expected}, got {value!r}")
    return int(value)
