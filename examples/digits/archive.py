"""Unpack one folder of a downloaded tar archive, refusing anything that could escape it.

A tar member can be named `../../.bashrc` or `/etc/profile`, be a link to anywhere, or be a
device file: unpacking an archive as it comes lets whoever made it write wherever the user
can. So before anything is written, every member must be a plain file or folder, named by a
relative path without `..`, inside the one top folder the data set is published in; one
that is not stops the whole unpacking with `ArchiveError`. Python's own `tarfile.data_filter`
then checks each member again and drops permission bits a data file does not need.

Unpacking goes into a hidden temporary folder beside the target and is renamed into place
once every expected file is there, so an interrupted run leaves no half-filled folder that a
later run would take for a complete one.
"""

from __future__ import annotations

import gzip
import os
import platform
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath

# What a damaged or foreign archive raises while it is read: not a tar or gzip file at all,
# cut short, or corrupt compressed data.
DAMAGED_ARCHIVE_ERRORS = (
    tarfile.ReadError,
    tarfile.CompressionError,
    EOFError,
    zlib.error,
    gzip.BadGzipFile,
)


class ArchiveError(ValueError):
    """An archive is damaged, unsafe or not the expected one; `.path` names it."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def unsafe_because(member: tarfile.TarInfo, top: str) -> str | None:
    """Why unpacking `member` is unsafe or foreign; None for a plain file or folder in `top/`."""
    name = member.name
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        return "an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "a path with '..', leading outside the folder"
    if member.issym():
        return f"a symbolic link (to {member.linkname!r})"
    if member.islnk():
        return f"a hard link (to {member.linkname!r})"
    if not (member.isfile() or member.isdir()):
        return "a special file (device or FIFO)"
    if not parts or parts[0] != top:
        return f"a path outside {top}/"
    return None


def member_filter(archive: Path, top: str) -> Callable[[tarfile.TarInfo, str], tarfile.TarInfo]:
    """A `tarfile` extraction filter: our checks on each member, then `tarfile.data_filter`'s."""

    def check(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo:
        problem = unsafe_because(member, top)
        if problem is not None:
            raise ArchiveError(
                archive,
                f"member {member.name!r}: expected a plain file or folder inside {top}/, "
                f"got {problem}",
            )
        return tarfile.data_filter(member, destination)

    return check


def extract_folder(
    archive: str | os.PathLike, destination: str | os.PathLike, top: str, required: Iterable[str]
) -> Path:
    """Unpack the folder `top` of a tar archive (gzip or not) into `destination`, atomically.

    Parameters:
        archive: the .tar.gz (or .tar) file.
        destination: an existing folder; `destination/top` must not exist yet, or be empty.
        top: the one folder every member must be inside, e.g. "cifar-10-batches-bin".
        required: file names that `top/` must hold once unpacked.

    Returns:
        destination / top.

    Raises:
        ArchiveError: a member is unsafe or outside `top/`, the archive is damaged, or a
            required file is not in it; nothing is left in `destination` then.
        FileExistsError: `destination/top` exists and holds other files (it is left alone).

    Example:
        >>> extract_folder("cifar-10-binary.tar.gz", ".", "cifar-10-batches-bin", ["test_batch.bin"])
        PosixPath('cifar-10-batches-bin')
    """
    archive, destination = Path(archive), Path(destination)
    required = list(required)
    if not hasattr(tarfile, "data_filter"):
        raise ArchiveError(
            archive,
            "cannot unpack safely: expected a Python with tarfile.data_filter (3.10.12, 3.11.4, "
            f"3.12 or newer), got {platform.python_version()}",
        )
    target = destination / top
    staging = Path(tempfile.mkdtemp(prefix=f".{top}.", dir=destination))
    try:
        try:
            with tarfile.open(archive, "r:*") as tar:  # r:* reads gzip, bzip2, xz or plain tar
                tar.extractall(staging, filter=member_filter(archive, top))
        except tarfile.FilterError as error:  # what data_filter refuses that our checks let by
            raise ArchiveError(archive, f"unsafe member: {error}") from None
        except DAMAGED_ARCHIVE_ERRORS as error:
            raise ArchiveError(archive, f"damaged or not a tar archive ({error})") from None
        unpacked = staging / top
        missing = [name for name in required if not (unpacked / name).is_file()]
        if missing:
            raise ArchiveError(
                archive,
                f"incomplete archive: expected {top}/ with {', '.join(required)}, "
                f"got it without {', '.join(missing)}",
            )
        try:
            unpacked.rename(target)  # onto nothing, or an empty folder
        except OSError:
            # Another run may have unpacked the same archive meanwhile; its copy will do.
            if not all((target / name).is_file() for name in required):
                raise FileExistsError(
                    f"{target}: expected no folder (or an empty one) to unpack {archive.name} "
                    "into, got a folder holding other files; move it away and run again"
                ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
