"""Turning `seed=` arguments into numpy Generators, in one place."""

import numpy as np

from gone._checks import shown
from gone.errors import ConfigError

Seed = int | np.random.Generator | None


def make_rng(seed: Seed) -> np.random.Generator:
    """Return a Generator for `seed`: an int >= 0 (or None, fresh entropy) seeds a new PCG64; a
    Generator is used as is (shared, not copied: its draws continue where the caller's stand)."""
    if isinstance(seed, np.random.Generator):
        return seed
    integer = isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
    if seed is None or (integer and seed >= 0):  # numpy refuses negative seeds
        return np.random.default_rng(seed)
    raise ConfigError(f"seed: expected an int >= 0, a numpy Generator or None, got {shown(seed)}")


def clone_rng(rng: np.random.Generator) -> np.random.Generator:
    """Return an independent Generator in exactly the same state (same future draws)."""
    bit_generator = type(rng.bit_generator)()
    bit_generator.state = rng.bit_generator.state
    return np.random.Generator(bit_generator)
