"""Gymnasium itself: imported on first use, its environments made, its errors said in gone's words.

Gymnasium is an optional dependency (`pip install "gone[gym]"`): `import gone` and `import gone.gym`
never import it, and the first call that needs it raises MissingDependencyError without it.
"""

from __future__ import annotations

import contextlib

from gone.errors import ConfigError, MissingDependencyError

PIP_INSTALL = 'pip install "gone[gym]"'
#: The oldest Gymnasium with `make_vec`, vector `autoreset_mode` and seeded vector resets.
MINIMUM_VERSION = (1, 0)
#: How make_vec may vectorize; None lets Gymnasium choose (the vector entry point where there is one).
VECTORIZATION_MODES = (None, "vector_entry_point", "sync", "async")


def gymnasium():
    """Import Gymnasium and return it, or raise MissingDependencyError saying how to install it."""
    try:
        import gymnasium
    except ImportError as error:
        raise MissingDependencyError(
            f"gone.gym runs Gymnasium environments: expected gymnasium >= 1.0 installed, "
            f"got {error}; install it with {PIP_INSTALL}"
        ) from error
    if _version(gymnasium.__version__) < MINIMUM_VERSION:
        raise MissingDependencyError(
            f"gone.gym: expected gymnasium >= 1.0 (make_vec, vector autoreset modes), "
            f"got gymnasium {gymnasium.__version__}; upgrade it with {PIP_INSTALL}"
        )
    return gymnasium


def _version(text: str) -> tuple[int, ...]:
    """(1, 4) of "1.4.0" or "1.4.0rc1": the numbers that order releases."""
    numbers = []
    for part in text.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit()) or "0"
        numbers.append(int(digits))
    return tuple(numbers)


def spec_of(env_id):
    """Return Gymnasium's EnvSpec of `env_id`, or raise ConfigError for an id it does not know."""
    gym = gymnasium()
    if not isinstance(env_id, str):
        raise ConfigError(
            f"env_id: expected a Gymnasium environment id such as 'CartPole-v1', got {env_id!r}"
        )
    try:
        return gym.spec(env_id)
    except gym.error.Error as error:  # NameNotFound, VersionNotFound, NamespaceNotFound, ...
        raise ConfigError(
            f"env_id: expected a registered Gymnasium environment such as 'CartPole-v1', "
            f"got {env_id!r} ({error})"
        ) from None


def make_vector(env_id: str, num_envs: int, vectorization_mode, make_kwargs: dict):
    """Return `gymnasium.make_vec(env_id, num_envs, vectorization_mode, **make_kwargs)`.

    An environment that needs a package of its own (box2d for LunarLander) raises
    MissingDependencyError with Gymnasium's install hint.
    """
    gym = gymnasium()
    if vectorization_mode not in VECTORIZATION_MODES:
        raise ConfigError(
            f"vectorization_mode: expected one of {', '.join(map(repr, VECTORIZATION_MODES))}, "
            f"got {vectorization_mode!r}"
        )
    with _environment_errors(env_id, make_kwargs):
        return gym.make_vec(
            env_id, num_envs=num_envs, vectorization_mode=vectorization_mode, **make_kwargs
        )


def make_single(env_id: str, make_kwargs: dict):
    """Return `gymnasium.make(env_id, **make_kwargs)`: one environment, e.g. to render it."""
    gym = gymnasium()
    with _environment_errors(env_id, make_kwargs):
        return gym.make(env_id, **make_kwargs)


@contextlib.contextmanager
def _environment_errors(env_id: str, make_kwargs: dict):
    """Turn Gymnasium's refusal to build an environment into a gone error that names it."""
    gym = gymnasium()
    try:
        yield
    except gym.error.DependencyNotInstalled as error:  # e.g. LunarLander without box2d
        raise MissingDependencyError(
            f"{env_id}: expected the packages it simulates with installed, got {error}"
        ) from error
    except (gym.error.Error, TypeError) as error:  # TypeError: a keyword the environment lacks
        settings = f" with {make_kwargs}" if make_kwargs else ""
        raise ConfigError(f"{env_id}: Gymnasium could not make it{settings}: {error}") from error
