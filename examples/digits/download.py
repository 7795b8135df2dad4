"""Fetch the four MNIST files into a folder, verifying each one's SHA-256.

A file already in the folder is used as it is (the IDX reader checks its structure);
a file that has to be fetched is streamed into a temporary file beside its final name,
hashed on the way, and renamed into place only when the hash matches. So the folder
never holds a half-written or unverified download, and a mismatching copy is deleted.
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
from pathlib import Path

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

CHUNK_BYTES = 1 << 16

# What a failed fetch can raise: refused or unreachable host, timeout, HTTP error
# status (HTTPError is a URLError), or a connection cut mid-body.
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError)


class DownloadError(OSError):
    """MNIST could not be fetched; the message says where to put the files by hand."""


class ChecksumError(DownloadError):
    """A fetched file's SHA-256 differs from the expected one."""


class MissingFolderError(DownloadError, FileNotFoundError):
    """The folder named for the MNIST files does not exist; nothing was created or fetched."""


def default_cache_dir() -> Path:
    """Where MNIST is kept by default.

    $GONE_DATA_DIR/mnist if that is set, else $XDG_CACHE_HOME/gone/mnist, else ~/.cache/gone/mnist.
    """
    if os.environ.get("GONE_DATA_DIR"):
        return Path(os.environ["GONE_DATA_DIR"]).expanduser() / "mnist"
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home).expanduser() / "gone" / "mnist"


def find_file(folder: str | os.PathLike, gz_name: str) -> Path | None:
    """Return the gzip or raw copy of an MNIST file in `folder`, or None if neither is there."""
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


def missing_files_message(folder: Path, names: Iterable[str], reasons: Iterable[str]) -> str:
    """The text shown when files cannot be fetched: what failed and where to put them."""
    reasons = list(reasons)
    if reasons:
        lines = ["could not download MNIST:"] + [f"  {reason}" for reason in reasons]
        lines.append(f"Without network, put these files (gzip or raw IDX) into {folder}:")
    else:
        lines = [f"MNIST files are missing; put these files (gzip or raw IDX) into {folder}:"]
    lines += [f"  {name}" for name in names]
    lines.append("or point --data at a folder that holds them.")
    return "\n".join(lines)


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
            `default_cache_dir()`, the only folder created when missing: a folder the caller
            names that is not there is more likely a typo than a wish for a new one.
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
    if folder is None:
        folder = default_cache_dir()
    else:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            got = "a file" if folder.exists() else "no such folder"
            raise MissingFolderError(
                f"MNIST folder {folder}: expected an existing folder, got {got} (create it, or "
                f"leave out --data to use the cache folder {default_cache_dir()})"
            )
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
            raise DownloadError(missing_files_message(folder, still_missing, reasons))
    return paths
