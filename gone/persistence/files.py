"""Reading and writing .gone files: whole reads, atomic writes, parsing that trusts no byte.

Every failure names the user's path (file_errors.FileError, a GoneError and an OSError), never
the temporary file a save writes through.
"""

import contextlib
import hashlib
import os
import secrets
import stat
import time

from google.protobuf.message import DecodeError

from gone.errors import ConfigError, FileError, FormatError, IsAFolderError
from gone.persistence.file_errors import file_error, name_too_long, not_a_regular_file

try:
    import fcntl
except ImportError:  # Windows: a file open in a live save cannot be deleted, which is lock enough
    fcntl = None

#: protobuf cannot encode or parse a message of 2 GiB or more, so a larger file is not ours.
MAX_FILE_BYTES = 2**31 - 1

#: A temporary file untouched this long, whose save holds no lock on it, was left by a save that
#: was killed; the next save of the same path removes it.
STALE_SECONDS = 60

_TOKEN_HEX = 8  # random hex digits that make each temporary file name new
_SUFFIX = ".tmp"


def user_path(path) -> str:
    """Return `path` (str, bytes or os.PathLike) as a str; ConfigError for anything else.

    An int is refused although open() takes one: it is a file descriptor, and load(0) would read
    (and close) stdin. bytes are decoded as the system does (os.fsdecode), so the str names the
    same file and works for saving as for loading.
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise ConfigError(
            f"path: expected a str, bytes or os.PathLike file name, got {type(path).__name__}"
        )
    try:
        text = os.fsdecode(path)
    except TypeError as error:  # an os.PathLike whose __fspath__ returns something else
        raise ConfigError(f"path: expected a str or bytes from __fspath__, got {error}") from None
    if not text or "\0" in text:
        raise ConfigError(
            f"path: expected a non-empty file name without NUL characters, got {text!r}"
        )
    return text


# ---- reading -------------------------------------------------------------------------------


def read_file(path: str) -> bytes:
    """Return the bytes of the regular file at `path`; FileError if it cannot be read or is no
    regular file (a folder, a pipe, a device), FormatError if it is too big to be a .gone file."""
    # O_NONBLOCK: opening a named pipe waits for a writer, forever; with it the open returns and
    # fstat refuses the pipe. It changes nothing for regular files. O_NOCTTY: a terminal device
    # never becomes ours. Checking the open descriptor, not the path, leaves no gap to swap files.
    flags = (
        os.O_RDONLY
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
    )
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise file_error(error, path, writing=False) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise not_a_regular_file(info.st_mode, path)
        if info.st_size > MAX_FILE_BYTES:
            raise FormatError(
                f"file size: expected at most {MAX_FILE_BYTES} bytes (protobuf's), "
                f"got {info.st_size}",
                path,
            )
        with open(descriptor, "rb", closefd=False) as file:
            return file.read()
    except FileError:
        raise
    except OSError as error:
        raise file_error(error, path, writing=False) from None
    finally:
        os.close(descriptor)


def parse(message_class, data: bytes, what: str, path=None):
    """Return `data` parsed as `message_class`; FormatError (naming `path`) if protobuf cannot."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ConfigError(
            f"data: expected bytes (the contents of a .gone file; gone.load reads a path), "
            f"got {type(data).__name__}"
        )
    if len(data) == 0:
        raise FormatError(f"file: expected a serialized {what}, got 0 bytes", path)
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(f"size: expected at most {MAX_FILE_BYTES} bytes, got {len(data)}", path)
    message = message_class()
    try:
        message.ParseFromString(bytes(data))
    except DecodeError as error:
        # What protobuf says about a truncated, corrupted or foreign file ("Error parsing message").
        raise FormatError(
            f"contents: expected a serialized {what}, got bytes that are not one "
            f"(damaged or foreign file?): {error}",
            path,
        ) from None
    return message


# ---- writing -------------------------------------------------------------------------------


def write_atomically(path: str, data: bytes) -> None:
    """Write `data` to the file `path` through a temporary file in the same folder, renamed into
    place (os.replace: atomic on POSIX and Windows).

    A failure at any point (a full disk, an exception) leaves the old file as it was and no
    temporary file behind; a save killed outright leaves its temporary file, which the next save
    of the same path removes (`sweep_temporaries`). A symlink at `path` is followed: its target
    is written and the link stays. A file that is replaced keeps its permission bits.
    """
    target = _link_target(path) if os.path.islink(path) else path
    folder, name = os.path.split(os.path.abspath(target))
    # Errors name the folder as the user wrote it, or the link target's when a link was followed.
    shown_folder = os.path.dirname(target) or "."
    if os.path.isdir(target):
        raise IsAFolderError("file: expected a file to save to, got a folder", path)
    limit = _name_limit(folder)
    if len(os.fsencode(name)) > limit:
        raise name_too_long(name, limit, path)
    prefix = temporary_prefix(name, limit)
    sweep_temporaries(folder, prefix)

    temporary = os.path.join(folder, prefix + secrets.token_hex(_TOKEN_HEX // 2) + _SUFFIX)
    # O_EXCL never reuses an existing file; mode 0o666 lets the umask decide, as open() would.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(temporary, flags, 0o666)
    except OSError as error:
        raise file_error(error, path, writing=True, folder=shown_folder) from None
    try:
        _hold_lock(descriptor)
        _keep_permissions(descriptor, target)
        with open(descriptor, "wb") as file:
            write_and_sync(file, data)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise file_error(error, path, writing=True, folder=shown_folder) from None
        raise
    _sync_folder(folder)


def _link_target(path: str) -> str:
    """Return the file the symlink `path` ends at, existing or not (a dangling link's target is
    created, as open() would); FileError for a loop of links, which ends nowhere."""
    try:
        return os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return os.path.realpath(path)
    except OSError as error:  # ELOOP
        raise file_error(error, path, writing=True) from None


def write_and_sync(file, data: bytes) -> None:
    """Write all of `data` and push it to the disk before the rename makes it visible."""
    file.write(data)
    file.flush()
    os.fsync(file.fileno())


def temporary_prefix(name: str, limit: int = 255) -> str:
    """Return how the names of `name`'s temporary files start: ".{name}.", followed by 8 random
    hex digits and ".tmp".

    When that would not fit the folder's `limit` bytes per name (a name near 255 bytes), the name
    is shortened and a hash of all of it added, so the temporary name is still this name's alone.

    >>> temporary_prefix("xor.gone")
    '.xor.gone.'
    """
    prefix = f".{name}."
    if len(os.fsencode(prefix)) + _TOKEN_HEX + len(_SUFFIX) <= limit:
        return prefix
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    room = limit - len(f".~{digest}.") - _TOKEN_HEX - len(_SUFFIX)
    short = name
    while len(os.fsencode(short)) > room:
        short = short[:-1]
    return f".{short}~{digest}."


def sweep_temporaries(folder: str, prefix: str) -> None:
    """Remove from `folder` the temporary files that killed saves of the same path left behind.

    A file goes only if all of these hold: its name is a temporary name of this path (`prefix`,
    8 hex digits, ".tmp"); it is a regular file; it has been untouched for STALE_SECONDS; and no
    save holds its lock. A live save locks its temporary file from creation to rename, and the
    system drops the lock when the process dies, so a slow save (a long fsync, a stopped process)
    keeps its file; the age rule covers the instant between creating the file and locking it, and
    systems without the lock. Cleaning up is a courtesy: any error here is ignored.
    """
    try:
        entries = list(os.scandir(folder))  # one listing per save, not per temporary file
    except OSError:
        return
    for entry in entries:
        if _is_temporary_name(entry.name, prefix):
            with contextlib.suppress(OSError):
                _remove_if_stale(entry.path)


def _is_temporary_name(name: str, prefix: str) -> bool:
    token = name[len(prefix) : -len(_SUFFIX)]
    return (
        name.startswith(prefix)
        and name.endswith(_SUFFIX)
        and len(token) == _TOKEN_HEX
        and all(c in "0123456789abcdef" for c in token)
    )


def _remove_if_stale(path: str) -> None:
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < STALE_SECONDS:
        return
    if _locked(path):
        return
    os.unlink(path)  # Windows refuses while the file is open in a save: in use, kept


def _hold_lock(descriptor: int) -> None:
    """Lock the new temporary file for as long as it is open: the sign that its save is alive."""
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a file system without locks: the age rule remains
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _locked(path: str) -> bool:
    """Whether a live save holds the lock of the temporary file at `path`."""
    if fcntl is None:
        return False
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # also lets go of our own lock
    return False


def _keep_permissions(descriptor: int, target: str) -> None:
    """Give the temporary file the permission bits of the file it will replace, if there is one."""
    try:
        mode = os.stat(target).st_mode
    except OSError:  # a new file: the umask decides, as for open()
        return
    if stat.S_ISREG(mode) and hasattr(os, "fchmod"):
        os.fchmod(descriptor, stat.S_IMODE(mode))


def _name_limit(folder: str) -> int:
    """The longest file name, in bytes, that `folder` takes (255 on most file systems)."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # Windows has no pathconf; a missing folder
        return 255
    return limit if limit > 0 else 255


def _sync_folder(folder: str) -> None:
    """Flush the folder entry of the rename too (POSIX); where folders cannot be opened, skip."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
