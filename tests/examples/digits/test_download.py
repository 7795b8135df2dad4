"""Downloads against a local HTTP server on 127.0.0.1: small MNIST IDX files, a small CIFAR-10
archive."""

import contextlib
import functools
import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest

from examples.digits.archive import ArchiveError
from examples.digits.datasets import load_cifar10, load_mnist
from examples.digits.download import (
    CIFAR10_ARCHIVE,
    CIFAR10_FILES,
    CIFAR10_MIRRORS,
    CIFAR10_SHA256,
    MNIST_FILES,
    MNIST_SHA256,
    ChecksumError,
    DownloadError,
    MissingFolderError,
    default_cache_dir,
    ensure_cifar10,
    ensure_mnist,
    fetch_file,
)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder, records request paths, and under /cut/ sends half a body."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path.startswith("/cut/"):
            body = (self.server.folder / self.path.removeprefix("/cut/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        super().do_GET()


@contextlib.contextmanager
def serving(folder):
    """(base URL, server) of a local server over `folder`, for the length of the block."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requests = []
    httpd.folder = folder
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def server(tmp_path, write_mnist):
    """(base URL, server) of a local server over a folder with the four synthetic MNIST files."""
    served = tmp_path / "served"
    write_mnist(served)
    with serving(served) as base_and_server:
        yield base_and_server


def make_cache(tmp_path):
    """An empty folder for downloads: a folder given to ensure_mnist must exist."""
    cache = tmp_path / "cache"
    cache.mkdir()
    return cache


def checksums_of(folder):
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in MNIST_FILES}


def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens: connecting is refused, as with no network."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_the_real_checksum_table_covers_the_four_files():
    assert set(MNIST_SHA256) == set(MNIST_FILES)
    assert MNIST_FILES == (
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    )
    for digest in MNIST_SHA256.values():
        assert len(digest) == 64
        int(digest, 16)


def test_download_verifies_and_stores_all_four_files(server, tmp_path):
    base, httpd = server
    cache = make_cache(tmp_path)
    paths = ensure_mnist(cache, [base], checksums_of(httpd.folder))
    assert set(paths) == set(MNIST_FILES)
    for name, path in paths.items():
        assert path == cache / name
        assert path.read_bytes() == (httpd.folder / name).read_bytes()
    assert sorted(httpd.requests) == sorted(f"/{name}" for name in MNIST_FILES)
    assert sorted(p.name for p in cache.iterdir()) == sorted(MNIST_FILES)  # no temp files left


def test_files_already_there_are_not_fetched_again(server, tmp_path):
    base, httpd = server
    cache = make_cache(tmp_path)
    ensure_mnist(cache, [base], checksums_of(httpd.folder))
    httpd.requests.clear()
    ensure_mnist(cache, [base], checksums_of(httpd.folder))
    assert httpd.requests == []


def test_raw_files_put_in_by_hand_count_as_present(server, tmp_path, write_mnist):
    base, httpd = server
    cache = make_cache(tmp_path)
    write_mnist(cache, compress=False)
    paths = ensure_mnist(cache, [base], checksums_of(httpd.folder))
    assert httpd.requests == []
    assert paths["t10k-labels-idx1-ubyte.gz"] == cache / "t10k-labels-idx1-ubyte"


def test_checksum_mismatch_is_rejected_and_nothing_is_kept(server, tmp_path):
    base, httpd = server
    cache = make_cache(tmp_path)
    wrong = checksums_of(httpd.folder)
    wrong["train-labels-idx1-ubyte.gz"] = "0" * 64
    with pytest.raises(DownloadError) as caught:
        ensure_mnist(cache, [base], wrong)
    message = str(caught.value)
    assert "SHA-256 mismatch" in message
    assert "0" * 64 in message
    assert not (cache / "train-labels-idx1-ubyte.gz").exists()
    assert all(not p.name.startswith(".") for p in cache.iterdir())  # no temp files either


def test_fetch_file_raises_checksum_error(server, tmp_path):
    base, _ = server
    target = tmp_path / "cache" / "t10k-labels-idx1-ubyte.gz"
    with pytest.raises(ChecksumError):
        fetch_file(base + target.name, target, "f" * 64)
    assert list(target.parent.iterdir()) == []


def test_a_cut_connection_leaves_nothing_behind(server, tmp_path):
    base, httpd = server
    cache = make_cache(tmp_path)
    with pytest.raises(DownloadError):
        ensure_mnist(cache, [base + "cut/"], checksums_of(httpd.folder))
    assert list(cache.iterdir()) == []


def test_next_mirror_is_tried_when_one_fails(server, tmp_path):
    base, httpd = server
    cache = make_cache(tmp_path)
    tried = []
    ensure_mnist(
        cache, [base + "missing/", base], checksums_of(httpd.folder), on_fetch=tried.append
    )
    assert tried[:2] == [base + "missing/" + MNIST_FILES[0], base + MNIST_FILES[0]]
    assert sorted(p.name for p in cache.iterdir()) == sorted(MNIST_FILES)


def test_no_network_error_names_the_folder_and_the_files(tmp_path):
    cache = make_cache(tmp_path)
    with pytest.raises(DownloadError) as caught:
        ensure_mnist(cache, [closed_port_url()], MNIST_SHA256, timeout=5)
    message = str(caught.value)
    assert "could not download MNIST" in message
    assert f"put these files (gzip or raw IDX) into {cache}" in message
    for name in MNIST_FILES:
        assert name in message
    assert "--data" in message
    assert isinstance(caught.value, OSError)


def test_without_network_only_the_first_file_is_tried(tmp_path):
    tried = []
    with pytest.raises(DownloadError):
        ensure_mnist(tmp_path, [closed_port_url()], MNIST_SHA256, timeout=5, on_fetch=tried.append)
    assert len(tried) == 1


def test_load_mnist_downloads_then_reads(server, tmp_path):
    base, httpd = server
    data = load_mnist(make_cache(tmp_path), mirrors=[base], checksums=checksums_of(httpd.folder))
    assert data.x_train.shape == (100, 784)
    assert data.x_test.shape == (40, 784)
    assert data.x_train.dtype == np.float32
    assert data.x_train.min() >= 0.0 and data.x_train.max() == 1.0
    assert set(data.y_train.tolist()) == set(range(10))


def test_load_mnist_without_download_says_where_the_files_go(tmp_path):
    with pytest.raises(DownloadError, match=f"put these files .* into {tmp_path}"):
        load_mnist(tmp_path, download=False)


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GONE_DATA_DIR", str(tmp_path / "data"))
    assert default_cache_dir() == tmp_path / "data" / "mnist"
    monkeypatch.delenv("GONE_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "gone" / "mnist"


def test_a_folder_that_does_not_exist_is_named_and_not_created(server, tmp_path):
    base, httpd = server
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(MissingFolderError) as caught:
        ensure_mnist(missing, [base], checksums_of(httpd.folder))
    message = str(caught.value)
    assert f"MNIST folder {missing}: expected an existing folder, got no such folder" in message
    assert isinstance(caught.value, DownloadError) and isinstance(caught.value, FileNotFoundError)
    assert not (tmp_path / "no").exists()
    assert httpd.requests == []  # nothing was fetched either


def test_a_file_given_as_the_folder_is_refused(tmp_path):
    not_a_folder = tmp_path / "mnist.tar"
    not_a_folder.write_bytes(b"")
    with pytest.raises(MissingFolderError, match="expected an existing folder, got a file"):
        load_mnist(not_a_folder, download=False)


def test_only_the_default_cache_folder_is_created(server, tmp_path, monkeypatch):
    base, httpd = server
    monkeypatch.setenv("GONE_DATA_DIR", str(tmp_path / "data"))
    paths = ensure_mnist(None, [base], checksums_of(httpd.folder))
    assert (tmp_path / "data" / "mnist").is_dir()
    assert set(paths.values()) == {tmp_path / "data" / "mnist" / name for name in MNIST_FILES}


# CIFAR-10: one archive, fetched, verified and unpacked once.


@pytest.fixture
def cifar_server(tmp_path, write_cifar_archive):
    """(base URL, server, SHA-256) of a local server holding a small cifar-10-binary.tar.gz."""
    served = tmp_path / "served-cifar"
    served.mkdir()
    archive = write_cifar_archive(served / CIFAR10_ARCHIVE, records=20)
    with serving(served) as (base, httpd):
        yield base, httpd, hashlib.sha256(archive.read_bytes()).hexdigest()


def test_the_cifar10_checksum_is_a_sha256_of_the_official_archive():
    assert set(CIFAR10_SHA256) == {"cifar-10-binary.tar.gz"}
    digest = CIFAR10_SHA256["cifar-10-binary.tar.gz"]
    assert len(digest) == 64
    int(digest, 16)
    assert CIFAR10_MIRRORS == ("https://www.cs.toronto.edu/~kriz/",)
    assert CIFAR10_FILES == (
        "data_batch_1.bin",
        "data_batch_2.bin",
        "data_batch_3.bin",
        "data_batch_4.bin",
        "data_batch_5.bin",
        "test_batch.bin",
        "batches.meta.txt",
    )


def test_cifar10_is_downloaded_verified_and_unpacked(cifar_server, tmp_path):
    base, httpd, sha256 = cifar_server
    cache = make_cache(tmp_path)
    folder = ensure_cifar10(cache, [base], {CIFAR10_ARCHIVE: sha256})
    assert folder == cache / "cifar-10-batches-bin"
    assert sorted(p.name for p in folder.iterdir()) == sorted(CIFAR10_FILES)
    assert httpd.requests == ["/cifar-10-binary.tar.gz"]
    # The verified archive is kept; no temporary file or staging folder is left.
    assert sorted(p.name for p in cache.iterdir()) == ["cifar-10-batches-bin", CIFAR10_ARCHIVE]
    assert (cache / CIFAR10_ARCHIVE).read_bytes() == (httpd.folder / CIFAR10_ARCHIVE).read_bytes()


def test_cifar10_is_unpacked_once(cifar_server, tmp_path):
    base, httpd, sha256 = cifar_server
    cache = make_cache(tmp_path)
    folder = ensure_cifar10(cache, [base], {CIFAR10_ARCHIVE: sha256})
    (cache / CIFAR10_ARCHIVE).unlink()  # were it unpacked or fetched again, this would show
    httpd.requests.clear()
    assert ensure_cifar10(cache, [base], {CIFAR10_ARCHIVE: sha256}) == folder
    assert httpd.requests == []
    assert not (cache / CIFAR10_ARCHIVE).exists()


def test_a_cifar10_checksum_mismatch_keeps_nothing(cifar_server, tmp_path):
    base, _, _ = cifar_server
    cache = make_cache(tmp_path)
    with pytest.raises(DownloadError) as caught:
        ensure_cifar10(cache, [base], {CIFAR10_ARCHIVE: "0" * 64})
    message = str(caught.value)
    assert message.startswith("could not download CIFAR-10:\n")
    assert f"{base}cifar-10-binary.tar.gz: SHA-256 mismatch: expected {'0' * 64}, got " in message
    assert list(cache.iterdir()) == []  # no archive, no temporary file, nothing unpacked


def test_a_folder_holding_the_batch_files_is_used_as_it_is(cifar_server, tmp_path, write_cifar10):
    base, httpd, sha256 = cifar_server
    folder = tmp_path / "mine"
    write_cifar10(folder)
    assert ensure_cifar10(folder, [base], {CIFAR10_ARCHIVE: sha256}) == folder
    assert httpd.requests == []


def test_a_folder_holding_the_unpacked_folder_is_used(cifar_server, tmp_path, write_cifar10):
    base, httpd, sha256 = cifar_server
    write_cifar10(tmp_path / "mine" / "cifar-10-batches-bin")
    found = ensure_cifar10(tmp_path / "mine", [base], {CIFAR10_ARCHIVE: sha256})
    assert found == tmp_path / "mine" / "cifar-10-batches-bin"
    assert httpd.requests == []


def test_an_archive_put_in_by_hand_is_unpacked_without_network(tmp_path, write_cifar_archive):
    cache = make_cache(tmp_path)
    write_cifar_archive(cache / CIFAR10_ARCHIVE)
    folder = ensure_cifar10(cache, [], {CIFAR10_ARCHIVE: "0" * 64})  # not hashed: not fetched
    assert sorted(p.name for p in folder.iterdir()) == sorted(CIFAR10_FILES)


def test_an_incomplete_cifar10_folder_names_what_is_missing(cifar_server, tmp_path, write_cifar10):
    base, httpd, sha256 = cifar_server
    folder = tmp_path / "mine"
    write_cifar10(folder)
    (folder / "test_batch.bin").unlink()
    with pytest.raises(DownloadError) as caught:
        ensure_cifar10(folder, [base], {CIFAR10_ARCHIVE: sha256})
    assert str(caught.value) == (
        f"CIFAR-10 folder {folder}: expected all 7 files ({', '.join(CIFAR10_FILES)}), "
        "got 6 (missing: test_batch.bin)"
    )
    assert httpd.requests == []  # nothing fetched over what is there


def test_a_damaged_archive_put_in_by_hand_is_named(tmp_path):
    cache = make_cache(tmp_path)
    (cache / CIFAR10_ARCHIVE).write_bytes(b"\x1f\x8b" + b"\0" * 100)
    with pytest.raises(ArchiveError, match=r"cifar-10-binary.tar.gz: damaged or not a tar archive"):
        ensure_cifar10(cache, [])
    assert [p.name for p in cache.iterdir()] == [CIFAR10_ARCHIVE]


def test_a_cifar10_folder_that_does_not_exist_is_named_and_not_created(cifar_server, tmp_path):
    base, httpd, sha256 = cifar_server
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(MissingFolderError) as caught:
        ensure_cifar10(missing, [base], {CIFAR10_ARCHIVE: sha256})
    message = str(caught.value)
    assert f"CIFAR-10 folder {missing}: expected an existing folder, got no such folder" in message
    assert str(default_cache_dir("cifar10")) in message
    assert not (tmp_path / "no").exists()
    assert httpd.requests == []


def test_cifar10_without_network_says_what_to_put_where(tmp_path):
    cache = make_cache(tmp_path)
    with pytest.raises(DownloadError) as caught:
        ensure_cifar10(cache, [closed_port_url()], timeout=5)
    message = str(caught.value)
    assert message.startswith("could not download CIFAR-10:\n")
    assert (
        "Without network, put this archive, or the cifar-10-batches-bin folder it holds "
        f"(or that folder's files), into {cache}:\n  cifar-10-binary.tar.gz\n"
    ) in message
    assert message.endswith("or point --data at a folder that holds them.")


def test_load_cifar10_downloads_then_reads(cifar_server, tmp_path):
    base, _, sha256 = cifar_server
    data = load_cifar10(make_cache(tmp_path), mirrors=[base], checksums={CIFAR10_ARCHIVE: sha256})
    assert data.name == "cifar10"
    assert data.x_train.shape == (100, 3072) and data.x_test.shape == (20, 3072)
    assert data.class_names[0] == "airplane"


def test_load_cifar10_without_download_says_where_the_files_go(tmp_path):
    with pytest.raises(DownloadError, match=f"CIFAR-10 files are missing; put .* into {tmp_path}"):
        load_cifar10(tmp_path, download=False)


def test_the_default_cifar10_folder_is_created_and_filled(cifar_server, tmp_path, monkeypatch):
    base, _, sha256 = cifar_server
    monkeypatch.setenv("GONE_DATA_DIR", str(tmp_path / "data"))
    folder = ensure_cifar10(None, [base], {CIFAR10_ARCHIVE: sha256})
    assert folder == tmp_path / "data" / "cifar10" / "cifar-10-batches-bin"
