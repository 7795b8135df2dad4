"""MNIST download against a local HTTP server on 127.0.0.1 that serves small IDX files."""

import functools
import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest

from examples.digits.datasets import load_mnist
from examples.digits.download import (
    MNIST_FILES,
    MNIST_SHA256,
    ChecksumError,
    DownloadError,
    MissingFolderError,
    default_cache_dir,
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


@pytest.fixture
def server(tmp_path, write_mnist):
    """(base URL, server) of a local server over a folder with the four synthetic MNIST files."""
    served = tmp_path / "served"
    write_mnist(served)
    handler = functools.partial(QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requests = []
    httpd.folder = served
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


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
