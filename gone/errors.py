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


class MissingDependencyError(GoneError, ImportError):
    """An optional package that a feature needs is not installed; the message says how to get it."""


class FormatError(GoneError, ValueError):
    """A .gone file (or its bytes) that cannot be read as a model; `.path` names the file."""

    def __init__(self, message: str, path=None):
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)


class FileError(GoneError, OSError):
    """A file that cannot be read or written. `.path` (also `.filename`) is the user's path;
    `.errno` and `.strerror` are the operating system's error, or None when there was none."""

    def __init__(
        self, message: str, path: str, errno: int | None = None, strerror: str | None = None
    ):
        super().__init__(errno, strerror, path)  # OSError's (errno, strerror, filename)
        self.message, self.path = message, path

    def __str__(self):
        return f"{self.path}: {self.message}"

    def __reduce__(self):
        # An error raised in an executor's worker travels back by value: rebuild it from ours.
        return type(self), (self.message, self.path, self.errno, self.strerror)


class MissingFileError(FileError, FileNotFoundError):
    """No file, or no folder, where the path points."""


class IsAFolderError(FileError, IsADirectoryError):
    """The path names a folder where a file was expected."""


class NotAFolderError(FileError, NotADirectoryError):
    """A file stands on the path where a folder was expected."""


class NoPermissionError(FileError, PermissionError):
    """The system refused to read the file or to write into its folder."""
