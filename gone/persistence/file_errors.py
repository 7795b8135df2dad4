"""File errors that name the user's path, made from the OSError the system raised.

The classes live in gone.errors (FileError and its kinds); this module turns a system error into
the right one, with a message in gone's form.

The operating system's own errors name whatever file the library was touching (for a save, the
hidden temporary file `.x.gone.7cd93a2d.tmp`) and say it the system's way. These name the path
the user gave and say, in gone's form, what is wrong with it:

    no/such/dir/x.gone: folder 'no/such/dir': expected an existing folder, got none

Each is also the OSError subclass the system raised (FileNotFoundError, PermissionError, ...), so
`except FileNotFoundError:` keeps working, and `.errno` and `.strerror` are the system's.
"""

import errno as errnos
import os
import stat

from gone.errors import (
    FileError,
    IsAFolderError,
    MissingFileError,
    NoPermissionError,
    NotAFolderError,
)

#: The OSError subclass each system error number is, as Python's own OSError maps it.
_KINDS = {
    errnos.ENOENT: MissingFileError,
    errnos.ENOTDIR: NotAFolderError,
    errnos.EISDIR: IsAFolderError,
    errnos.EACCES: NoPermissionError,
    errnos.EPERM: NoPermissionError,
}


def file_error(error: OSError, path: str, writing: bool, folder: str | None = None) -> FileError:
    """Return the OSError `error`, met while reading or `writing` `path`, as a FileError naming
    `path`. `folder` is the folder written into (default: the one `path` names)."""
    folder = folder if folder is not None else os.path.dirname(path) or "."
    code, said = error.errno, error.strerror or str(error)
    kind = _KINDS.get(code, FileError)
    return kind(_problem(code, said, writing, folder), path, code, said)


def _problem(code, said: str, writing: bool, folder: str) -> str:
    """What was wrong, in gone's form, from the system's error number."""
    if code == errnos.ENOENT and not os.path.isdir(folder):
        return f"folder {folder!r}: expected an existing folder, got none"
    if code == errnos.ENOENT and not writing:
        return "file: expected an existing file, got none"
    if code == errnos.ENOTDIR:
        return f"folder {_existing_part(folder)!r}: expected a folder, got a file"
    if code == errnos.EISDIR:
        return "file: expected a file, got a folder"
    if code == errnos.ELOOP:
        return "file: expected symlinks that end at a file, got a loop of symlinks"
    if code in (errnos.EACCES, errnos.EPERM):
        if writing:
            return f"folder {folder!r}: expected permission to create files in it, got {said}"
        return f"file: expected permission to read it, got {said}"
    action = "writing the file" if writing else "reading the file"
    return f"{action}: expected no error from the operating system, got {said}"


def not_a_regular_file(mode: int, path: str) -> FileError:
    """Return the error for a path that is no regular file: a folder, a pipe, a device, ..."""
    if stat.S_ISDIR(mode):
        return IsAFolderError(
            "file: expected a file, got a folder", path, errnos.EISDIR, os.strerror(errnos.EISDIR)
        )
    kinds = (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "something else")
    return FileError(f"file: expected a regular file, got {kind}", path)


def name_too_long(name: str, limit: int, path: str) -> FileError:
    """Return the error for a file name longer than its folder allows."""
    return FileError(
        f"file name: expected at most {limit} bytes, got {len(os.fsencode(name))}",
        path,
        errnos.ENAMETOOLONG,
        os.strerror(errnos.ENAMETOOLONG),
    )


def _existing_part(folder: str) -> str:
    """The longest start of `folder` that exists: where a file blocks the way (ENOTDIR)."""
    part = folder
    while part and not os.path.lexists(part) and os.path.dirname(part) != part:
        part = os.path.dirname(part)
    return part or "."
