"""The errors gone raises: one base class, and the standard exception each one also is."""

from matrigo import ShapeError as _MatrigoShapeError


class GoneError(Exception):
    """Base class of every error the library raises on purpose."""


class ShapeError(GoneError, _MatrigoShapeError):
    """Arrays, layers or data whose shapes do not fit together."""


class ConfigError(GoneError, ValueError):
    """A setting that cannot work: an unknown name, a bad value, a loss that does not fit its layer."""


class DataError(GoneError, ValueError):
    """Data that cannot be learned from: empty, ragged, NaN or infinite."""


class DivergenceError(GoneError, ArithmeticError):
    """Training produced a NaN or infinite loss."""

    def __init__(self, message: str, epoch: int):
        super().__init__(message)
        self.epoch = epoch


class FormatError(GoneError, ValueError):
    """A .gone file (or its bytes) that cannot be read as a model; `.path` names the file."""

    def __init__(self, message: str, path=None):
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)
