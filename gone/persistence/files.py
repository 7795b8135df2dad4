"""Reading and writing .gone files: whole reads, atomic writes, parsing that trusts no byte."""

import contextlib
import os
import secrets

from google.protobuf.message import DecodeError

from gone.errors import FormatError

#: protobuf cannot encode or parse a message of 2 GiB or more, so a larger file is not ours.
MAX_FILE_BYTES = 2**31 - 1


def read_file(path) -> bytes:
    """Return the bytes of the file at `path`: OSError if unreadable, FormatError if too big."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise FormatError(
                f"file size: expected at most {MAX_FILE_BYTES} bytes (protobuf's), got {size}",
                os.fspath(path),
            )
        return file.read()


def parse(message_class, data: bytes, what: str, path=None):
    """Return `data` parsed as `message_class`; FormatError (naming `path`) if protobuf cannot."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data: expected bytes, got {type(data).__name__}")
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


def write_atomically(path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed into place.

    A failure at any point (a full disk, a crash, an exception) leaves the old file as it was and
    no temporary file behind. The rename is atomic on POSIX and Windows (os.replace).
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL never reuses an existing file; mode 0o666 lets the umask decide, as open() would.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        with open(descriptor, "wb") as file:
            write_and_sync(file, data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def write_and_sync(file, data: bytes) -> None:
    """Write all of `data` and push it to the disk before the rename makes it visible."""
    file.write(data)
    file.flush()
    os.fsync(file.fileno())


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
