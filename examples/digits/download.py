"""Fetch a data set's published files into a folder, verifying each one's SHA-256.

MNIST comes as four gzip files, CIFAR-10 as one tar archive; both go through the same
fetch. A file already in the folder is used as it is (the readers check its structure);
a file that has to be fetched is streamed into a temporary file beside its final name,
hashed on the way, and renamed into place only when the hash matches. So the folder
never holds a half-written or unverified download, and a mismatching copy is deleted.
The CIFAR-10 archive is then unpacked once, beside itself (see archive.py).
Only the standard library is used (urllib), so this works on a fresh machine.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .archive import extract_folder

# The file names of the original distribution (LeCun, Cortes & Burges).
MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

# SHA-256 of the official gzip files, as listed by torchvision
# (pytorch/vision, torchvision/prototype/datasets/_builtin/mnist.py, _CHECKSUMS);
# the same values appear in many independent download scripts.
MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
    ),
    "train-labels-idx1-ubyte.gz": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
    ),
}

# Tried in order. yann.lecun.com, the original host, often refuses scripted downloads now,
# so it comes last.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

# CIFAR-10's binary version (Krizhevsky 2009), one archive holding one folder of seven files.
CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz"
CIFAR10_FOLDER = "cifar-10-batches-bin"
CIFAR10_TRAIN_FILES = tuple(f"data_batch_{number}.bin" for number in range(1, 6))
CIFAR10_TEST_FILE = "test_batch.bin"
CIFAR10_META_FILE = "batches.meta.txt"
CIFAR10_FILES = (*CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE, CIFAR10_META_FILE)

# The authors publish only an MD5 of the archive (c32a1d4ab5d03f1284b67883e8d87530, on
# https://www.cs.toronto.edu/~kriz/cifar.html; torchvision checks the same). This SHA-256 and
# the size, 170,052,171 bytes, are TensorFlow Datasets' record of the same URL
# (tensorflow_datasets/url_checksums/cifar10.txt); a second, independent record that checked
# the authors' MD5 first lists the same SHA-256.
CIFAR10_SHA256 = {
    CIFAR10_ARCHIVE: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
}

# The authors' own server is the only source; the checksum is what makes another one safe.
CIFAR10_MIRRORS = ("https://www.cs.toronto.edu/~kriz/",)

CHUNK_BYTES = 1 << 16

# What a failed fetch can raise: refused or unreachable host, timeout, HTTP error
# status (HTTPError is a URLError), or a connection cut mid-body.
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError)


class DownloadError(OSError):
    """A data set could not be fetched; the message says where to put the files by hand."""


class ChecksumError(DownloadError):
    """A fetched file's SHA-256 differs from the expected one."""


class MissingFolderError(DownloadError, FileNotFoundError):
    """The folder named for a data set does not exist; nothing was created or fetched."""


@dataclass(frozen=True)
class Distribution:
    """How the messages and the cache name a data set, and what a user may put in by hand.

    Attributes:
        title: the data set's name in messages, "MNIST".
        cache_name: its folder in the cache, "mnist" (see `default_cache_dir`).
        by_hand: what to put into the folder instead of downloading, as a message says it.
    """

    title: str
    cache_name: str
    by_hand: str


MNIST = Distribution("MNIST", "mnist", "these files (gzip or raw IDX)")
CIFAR10 = Distribution(
    "CIFAR-10",
    "cifar10",
    f"this archive, or the {CIFAR10_FOLDER} folder it holds (or that folder's files),",
)


def default_cache_dir(name: str = "mnist") -> Path:
    """Where the data set `name` ("mnist", "cifar10") is kept by default.

    $GONE_DATA_DIR/<name> if that is set, else $XDG_CACHE_HOME/gone/<name>, else
    ~/.cache/gone/<name>.
    """
    if os.environ.get("GONE_DATA_DIR"):
        return Path(os.environ["GONE_DATA_DIR"]).expanduser() / name
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home).expanduser() / "gone" / name


def find_file(folder: str | os.PathLike, gz_name: str) -> Path | None:
    """Return the gzip or the raw (decompressed) copy of a file in `folder`, or None if neither is."""
    for name in (gz_name, gz_name.removesuffix(".gz")):
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def sha256_of(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_file(url: str, destination: Path, sha256: str, timeout: float = 30.0) -> Path:
    """Download `url` to `destination` atomically, keeping it only if its SHA-256 matches.

    Raises:
        ChecksumError: the body arrived but hashes to something else (nothing is kept).
        urllib.error.URLError, OSError: the network failed (nothing is kept).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    temp_path = Path(temp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as body:
            while chunk := body.read(CHUNK_BYTES):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256.lower():
            raise ChecksumError(
                f"{url}: SHA-256 mismatch: expected {sha256.lower()}, got {digest.hexdigest()}"
            )
        os.replace(temp_path, destination)
    finally:
        temp_path.unlink(missing_ok=True)
    return destination


def missing_files_message(
    folder: Path,
    names: Iterable[str],
    reasons: Iterable[str],
    distribution: Distribution = MNIST,
) -> str:
    """The text shown when files cannot be fetched: what failed and where to put them."""
    reasons = list(reasons)
    title, by_hand = distribution.title, distribution.by_hand
    if reasons:
        lines = [f"could not download {title}:"] + [f"  {reason}" for reason in reasons]
        lines.append(f"Without network, put {by_hand} into {folder}:")
    else:
        lines = [f"{title} files are missing; put {by_hand} into {folder}:"]
    lines += [f"  {name}" for name in names]
    lines.append("or point --data at a folder that holds them.")
    return "\n".join(lines)


def checked_folder(folder: str | os.PathLike | None, distribution: Distribution) -> Path:
    """The folder to use: the one given, which must exist, or else the cache folder.

    The cache folder is the only one created when missing (by the first download into it):
    a folder the caller names that is not there is more likely a typo than a wish for a new one.

    Raises:
        MissingFolderError: `folder` was given and does not exist (or is not a folder).
    """
    if folder is None:
        return default_cache_dir(distribution.cache_name)
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        got = "a file" if folder.exists() else "no such folder"
        raise MissingFolderError(
            f"{distribution.title} folder {folder}: expected an existing folder, got {got} "
            f"(create it, or leave out --data to use the cache folder "
            f"{default_cache_dir(distribution.cache_name)})"
        )
    return folder


def fetch_missing(
    folder: Path,
    distribution: Distribution,
    mirrors: Iterable[str],
    checksums: Mapping[str, str],
    timeout: float = 30.0,
    on_fetch: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Fetch every file of `checksums` that `folder` lacks; returns file name -> its path there.

    A file counts as present in its gzip or its raw form (see `find_file`). Mirrors are tried
    in order for each file; when none delivers one, DownloadError lists why, the folder and
    every file still missing.
    """
    mirrors = list(mirrors)
    paths = {name: find_file(folder, name) for name in checksums}
    missing = [name for name, path in paths.items() if path is None]
    for name in missing:
        reasons = []
        for base in mirrors:
            url = base.rstrip("/") + "/" + name
            if on_fetch is not None:
                on_fetch(url)
            try:
                paths[name] = fetch_file(url, folder / name, checksums[name], timeout)
                break
            except ChecksumError as error:
                reasons.append(str(error))
            except NETWORK_ERRORS as error:
                reasons.append(f"{url}: {getattr(error, 'reason', None) or error}")
        else:
            # No mirror delivered this file; without network the others would only
            # repeat the same timeouts, so stop here and list everything still missing.
            still_missing = [name for name in missing if paths[name] is None]
            raise DownloadError(missing_files_message(folder, still_missing, reasons, distribution))
    return paths


def ensure_mnist(
    folder: str | os.PathLike | None = None,
    mirrors: Iterable[str] = MNIST_MIRRORS,
    checksums: Mapping[str, str] = MNIST_SHA256,
    timeout: float = 30.0,
    on_fetch: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Make sure every file named in `checksums` is in `folder`, fetching the missing ones.

    Parameters:
        folder: where the files live and downloads go; it must exist. Default
            `default_cache_dir()`, the only folder created when missing.
        mirrors: base URLs tried in order; a file's URL is base + file name.
        checksums: file name -> expected SHA-256 (hex) of the file as served.
        timeout: seconds to wait on each connection.
        on_fetch: called with each URL before it is tried (the CLI prints it).

    Returns:
        file name -> path of the copy in `folder` (gzip or raw).

    Raises:
        MissingFolderError: `folder` was given and does not exist (or is not a folder).
        DownloadError: some file could not be fetched from any mirror; the message lists
            why, the folder, and the file names to put there by hand.

    Example:
        >>> paths = ensure_mnist("~/mnist")
        >>> paths["t10k-labels-idx1-ubyte.gz"]
        PosixPath('/home/me/mnist/t10k-labels-idx1-ubyte.gz')
    """
    folder = checked_folder(folder, MNIST)
    return fetch_missing(folder, MNIST, mirrors, checksums, timeout, on_fetch)


def find_cifar10_folder(folder: Path) -> Path | None:
    """The folder holding the seven CIFAR-10 files: `folder` itself or its cifar-10-batches-bin.

    Returns None when neither holds any of them.

    Raises:
        DownloadError: one of the two holds some of the files but not all (they are named).
    """
    for candidate in (folder, folder / CIFAR10_FOLDER):
        present = [name for name in CIFAR10_FILES if (candidate / name).is_file()]
        if len(present) == len(CIFAR10_FILES):
            return candidate
        if present:
            missing = [name for name in CIFAR10_FILES if name not in present]
            raise DownloadError(
                f"CIFAR-10 folder {candidate}: expected all {len(CIFAR10_FILES)} files "
                f"({', '.join(CIFAR10_FILES)}), got {len(present)} (missing: {', '.join(missing)})"
            )
    return None


def ensure_cifar10(
    folder: str | os.PathLike | None = None,
    mirrors: Iterable[str] = CIFAR10_MIRRORS,
    checksums: Mapping[str, str] = CIFAR10_SHA256,
    timeout: float = 30.0,
    on_fetch: Callable[[str], None] | None = None,
) -> Path:
    """Make sure CIFAR-10's binary files are in `folder`: found there, unpacked, or fetched.

    In this order: the seven files (`data_batch_1.bin` ... `data_batch_5.bin`,
    `test_batch.bin`, `batches.meta.txt`) directly in `folder` or in its
    `cifar-10-batches-bin/`; else the archive `cifar-10-binary.tar.gz` in `folder`, unpacked
    once into `folder/cifar-10-batches-bin/` (and kept: it is the verified original); else
    the archive fetched first, kept only if its SHA-256 matches. An archive put in the
    folder by hand is not hashed, as MNIST files put there are not: unpacking and the
    batch reader check its structure.

    Parameters:
        folder: where the files are or go; it must exist. Default
            `default_cache_dir("cifar10")`, the only folder created when missing.
        mirrors: base URLs tried in order for the archive; empty: never download.
        checksums: archive name -> expected SHA-256 (hex).
        timeout: seconds to wait on each connection.
        on_fetch: called with each URL before it is tried (the CLI prints it).

    Returns:
        the folder that holds the seven files.

    Raises:
        MissingFolderError: `folder` was given and does not exist (or is not a folder).
        DownloadError: the files are incomplete, or the archive could not be fetched; the
            message says what is missing and where to put it.
        ArchiveError: the archive is damaged or holds anything but plain files inside
            cifar-10-batches-bin/ (nothing is unpacked then).

    Example:
        >>> ensure_cifar10("~/cifar")
        PosixPath('/home/me/cifar/cifar-10-batches-bin')
    """
    folder = checked_folder(folder, CIFAR10)
    found = find_cifar10_folder(folder)
    if found is not None:
        return found
    paths = fetch_missing(folder, CIFAR10, mirrors, checksums, timeout, on_fetch)
    return extract_folder(paths[CIFAR10_ARCHIVE], folder, CIFAR10_FOLDER, CIFAR10_FILES)
