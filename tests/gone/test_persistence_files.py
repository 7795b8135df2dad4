"""Files: atomic saves that never lose the old file, the user's path in every error, what load
refuses to open, and the temporary files that killed saves leave behind."""

import copy
import errno
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gone
from gone.errors import ConfigError, FormatError, GoneError
from gone.persistence import FileError, load, save
from gone.persistence import files as persistence_files
from gone.persistence import network as persistence_network
from gone.persistence.files import STALE_SECONDS, temporary_prefix

ROOT = Path(__file__).resolve().parent.parent.parent
POSIX = os.name == "posix"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def small_net(seed=0) -> gone.NeuralNetwork:
    return gone.NeuralNetwork([gone.Layer(3), gone.Layer(4, gone.Tanh()), gone.Layer(2)], seed=seed)


def same_weights(a: gone.NeuralNetwork, b: gone.NeuralNetwork) -> bool:
    return all(p.tobytes() == q.tobytes() for p, q in zip(a.parameters(), b.parameters()))


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assert_file_error(raised, path, os_type, fragment: str) -> None:
    """A GoneError and the system's OSError subclass, naming the user's path, never a temporary."""
    error = raised.value
    assert isinstance(error, FileError) and isinstance(error, GoneError)
    assert isinstance(error, os_type)
    assert error.path == error.filename == os.fsdecode(path)
    message = str(error)
    assert message.startswith(f"{os.fsdecode(path)}: ")
    assert fragment in message
    assert ".tmp" not in message and "\n" not in message


# ---- paths -----------------------------------------------------------------------------------


def test_save_and_load_accept_str_bytes_and_pathlike(tmp_path):
    class Where(os.PathLike):
        def __init__(self, path):
            self.path = path

        def __fspath__(self):
            return str(self.path)

    net = small_net()
    paths = [
        str(tmp_path / "a.gone"),
        tmp_path / "b.gone",
        Where(tmp_path / "c.gone"),
        os.fsencode(tmp_path / "d.gone"),  # bytes: saving mixed them with str and failed
        os.fsencode(tmp_path / "é.gone"),
    ]
    for path in paths:
        save(net, path)
        assert same_weights(net, load(path))
    assert names(tmp_path) == ["a.gone", "b.gone", "c.gone", "d.gone", "é.gone"]


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        (None, "path: expected a str, bytes or os.PathLike file name, got NoneType"),
        # An int is a file descriptor to open(): load(0) read stdin and closed it.
        (0, "path: expected a str, bytes or os.PathLike file name, got int"),
        (3.5, "got float"),
        ("", "path: expected a non-empty file name without NUL characters, got ''"),
        ("a\0b.gone", "path: expected a non-empty file name without NUL characters"),
    ],
    ids=repr,
)
def test_a_path_that_is_no_file_name_is_a_config_error(tmp_path, path, fragment):
    for call in (lambda: load(path), lambda: save(small_net(), path)):
        with pytest.raises(ConfigError) as raised:
            call()
        assert fragment in str(raised.value)
    assert names(tmp_path) == []


# ---- atomic saves ----------------------------------------------------------------------------


def test_save_replaces_an_existing_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "model.gone"
    path.write_bytes(b"old")
    net = small_net()
    net.save(path)
    assert path.read_bytes() == net.to_bytes()
    assert names(tmp_path) == ["model.gone"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    path = tmp_path / "model.gone"
    small_net().save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(not POSIX, reason="permission bits are POSIX's")
def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "private.gone"
    small_net(1).save(path)
    path.chmod(0o600)
    small_net(2).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert same_weights(load(path), small_net(2))


@pytest.mark.skipif(not POSIX, reason="symlinks need privileges on Windows")
def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "real.gone"
    small_net(1).save(target)
    target.chmod(0o640)
    link = tmp_path / "latest.gone"
    link.symlink_to(Path("models") / "real.gone")  # relative, as links often are

    small_net(2).save(link)
    assert link.is_symlink() and os.readlink(link) == str(Path("models") / "real.gone")
    assert same_weights(load(target), small_net(2))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names(tmp_path) == ["latest.gone", "models"]
    assert names(tmp_path / "models") == ["real.gone"]


@pytest.mark.skipif(not POSIX, reason="symlinks need privileges on Windows")
def test_saving_through_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "latest.gone"
    link.symlink_to(tmp_path / "new.gone")
    small_net().save(link)
    assert link.is_symlink() and same_weights(load(tmp_path / "new.gone"), small_net())


@pytest.mark.skipif(not POSIX, reason="symlinks need privileges on Windows")
def test_a_loop_of_symlinks_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "a.gone").symlink_to("b.gone")
    (tmp_path / "b.gone").symlink_to("a.gone")
    for call in (lambda: small_net().save(tmp_path / "a.gone"), lambda: load(tmp_path / "a.gone")):
        with pytest.raises(OSError) as raised:
            call()
        assert_file_error(raised, tmp_path / "a.gone", OSError, "got a loop of symlinks")
        assert raised.value.errno == errno.ELOOP
    assert (tmp_path / "a.gone").is_symlink() and names(tmp_path) == ["a.gone", "b.gone"]


def test_a_failing_write_leaves_the_old_file_untouched_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.gone"
    small_net(1).save(path)
    before = path.read_bytes()

    def write_half_then_fail(file, data):
        file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(persistence_files, "write_and_sync", write_half_then_fail)
    with pytest.raises(OSError) as raised:
        small_net(2).save(path)
    assert_file_error(
        raised,
        path,
        OSError,
        "writing the file: expected no error from the operating system, got No space left",
    )
    assert raised.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert names(tmp_path) == ["model.gone"]


def test_a_failing_serialisation_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "model.gone"
    small_net(1).save(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise MemoryError("out of memory while serialising")

    monkeypatch.setattr(persistence_network, "network_message", fail)
    with pytest.raises(MemoryError):
        small_net(2).save(path)
    assert path.read_bytes() == before
    assert names(tmp_path) == ["model.gone"]


def test_an_interrupted_save_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "model.gone"
    small_net(1).save(path)
    before = path.read_bytes()

    def interrupted(file, data):
        file.write(data[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr(persistence_files, "write_and_sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        small_net(2).save(path)
    assert path.read_bytes() == before
    assert names(tmp_path) == ["model.gone"]


def test_a_failing_rename_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refuse(source, target):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(persistence_files.os, "replace", refuse)
    with pytest.raises(PermissionError) as raised:
        small_net().save(tmp_path / "model.gone")
    assert_file_error(raised, tmp_path / "model.gone", PermissionError, "expected permission")
    assert names(tmp_path) == []


# ---- what cannot be saved where --------------------------------------------------------------


def test_saving_into_a_missing_folder_names_the_folder_and_the_users_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = Path("no") / "such" / "dir" / "x.gone"
    with pytest.raises(FileNotFoundError) as raised:
        small_net().save(path)
    assert_file_error(
        raised,
        path,
        FileNotFoundError,
        f"folder {str(path.parent)!r}: expected an existing folder, got none",
    )
    assert names(tmp_path) == []


def test_saving_below_a_file_names_the_file_in_the_way(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    path = tmp_path / "file" / "sub" / "model.gone"
    with pytest.raises(NotADirectoryError) as raised:
        small_net().save(path)
    assert_file_error(
        raised,
        path,
        NotADirectoryError,
        f"folder {str(tmp_path / 'file')!r}: expected a folder, got a file",
    )


def test_saving_onto_a_folder_is_refused_before_writing(tmp_path, monkeypatch):
    (tmp_path / "model.gone").mkdir()
    written = []
    monkeypatch.setattr(persistence_files, "write_and_sync", lambda f, d: written.append(d))
    with pytest.raises(IsADirectoryError) as raised:
        small_net().save(tmp_path / "model.gone")
    assert_file_error(
        raised, tmp_path / "model.gone", IsADirectoryError, "file: expected a file to save to"
    )
    assert written == []
    assert names(tmp_path) == ["model.gone"]


@pytest.mark.skipif(not POSIX or ROOT_USER, reason="root writes into read-only folders")
def test_saving_into_a_read_only_folder_names_the_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError) as raised:
            small_net().save(folder / "model.gone")
        assert_file_error(
            raised,
            folder / "model.gone",
            PermissionError,
            f"folder {str(folder)!r}: expected permission to create files in it",
        )
        assert names(folder) == []
    finally:
        folder.chmod(0o700)


def name_limit(folder: Path) -> int:
    return os.pathconf(folder, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255


def test_a_name_at_the_length_limit_saves_although_its_temporary_would_not_fit(tmp_path):
    limit = name_limit(tmp_path)
    net = small_net()
    for length in (limit - 14, limit - 1, limit):  # ".{name}.12345678.tmp" adds 14 bytes
        name = "m" * (length - 5) + ".gone"
        net.save(tmp_path / name)
        assert same_weights(load(tmp_path / name), net)
    assert len(names(tmp_path)) == 3  # and no temporary file left


def test_a_name_over_the_limit_is_refused_before_writing(tmp_path, monkeypatch):
    limit = name_limit(tmp_path)
    written = []
    monkeypatch.setattr(persistence_files, "write_and_sync", lambda f, d: written.append(d))
    path = tmp_path / ("m" * limit + ".gone")
    with pytest.raises(OSError) as raised:
        small_net().save(path)
    assert_file_error(
        raised, path, OSError, f"file name: expected at most {limit} bytes, got {limit + 5}"
    )
    assert raised.value.errno == errno.ENAMETOOLONG
    assert written == [] and names(tmp_path) == []


@pytest.mark.parametrize("name", ["xor.gone", "m" * 240 + ".gone", "é" * 125 + ".gone"])
def test_temporary_names_fit_the_limit_and_are_the_names_own(name):
    prefix = temporary_prefix(name, 255)
    assert len(os.fsencode(prefix)) + 8 + len(".tmp") <= 255
    other = temporary_prefix(name[:-6] + "X.gone", 255)  # a name sharing all but one character
    assert not prefix.startswith(other) and not other.startswith(prefix)
    if len(os.fsencode(name)) <= 255 - 14:
        assert prefix == f".{name}."


# ---- what load refuses -----------------------------------------------------------------------


def test_loading_a_missing_file_names_it(tmp_path):
    path = tmp_path / "missing.gone"
    with pytest.raises(FileNotFoundError) as raised:
        load(path)
    assert_file_error(raised, path, FileNotFoundError, "file: expected an existing file, got none")


def test_loading_from_a_missing_folder_names_the_folder(tmp_path):
    path = tmp_path / "no" / "such" / "x.gone"
    with pytest.raises(FileNotFoundError) as raised:
        load(path)
    assert_file_error(
        raised, path, FileNotFoundError, f"folder {str(path.parent)!r}: expected an existing folder"
    )


def test_loading_a_folder_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError) as raised:
        load(tmp_path)
    assert_file_error(raised, tmp_path, IsADirectoryError, "file: expected a file, got a folder")


def load_in_a_child(path: Path) -> subprocess.CompletedProcess:
    """Load `path` in a child process: without the fix a pipe hangs and a device reads without
    end, so the child is stopped by a generous timeout instead of the test suite."""
    program = (
        "import sys, gone\n"
        "try:\n"
        "    gone.load(sys.argv[1])\n"
        "except gone.GoneError as error:\n"
        "    print(type(error).__name__, isinstance(error, OSError), error)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
def test_loading_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.gone"
    os.mkfifo(fifo)
    result = load_in_a_child(fifo)
    assert (
        result.stdout
        == f"FileError True {fifo}: file: expected a regular file, got a named pipe (FIFO)\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_loading_a_device_is_refused_before_reading():
    result = load_in_a_child(Path("/dev/zero"))
    assert result.stdout == (
        "FileError True /dev/zero: file: expected a regular file, got a character device\n"
    )


def test_load_errors_name_the_path(tmp_path):
    path = tmp_path / "garbage.gone"
    path.write_bytes(b"\xff" * 40)
    with pytest.raises(FormatError) as raised:
        load(path)
    assert raised.value.path == str(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_file_errors_survive_a_copy_as_executors_send_them():
    error = persistence_files.file_error(
        FileNotFoundError(errno.ENOENT, "No such file or directory"), "x.gone", writing=False
    )
    twin = copy.copy(error)
    assert type(twin) is type(error) and str(twin) == str(error)
    assert (twin.errno, twin.strerror, twin.path) == (error.errno, error.strerror, "x.gone")


# ---- temporary files of killed saves ---------------------------------------------------------


def temporary(folder: Path, name: str, token: str = "0123abcd", age: float = 0) -> Path:
    """A leftover temporary file of `name`, last written `age` seconds ago."""
    path = folder / f"{temporary_prefix(name)}{token}.tmp"
    path.write_bytes(b"half a model")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


OLD = 2 * STALE_SECONDS


def test_a_save_sweeps_stale_temporaries_of_its_path_only(tmp_path):
    stale = [temporary(tmp_path, "model.gone", token, OLD) for token in ("0123abcd", "ffff0000")]
    keep = [
        temporary(tmp_path, "model.gone", "9999aaaa", age=1),  # a save in progress, or just done
        temporary(tmp_path, "other.gone", "0123abcd", OLD),  # another path's
        tmp_path / ".model.gone.NOTHEX00.tmp",  # not a name gone makes
        tmp_path / ".model.gone.0123abcd.tmp.bak",
    ]
    for path in keep[2:]:
        path.write_bytes(b"")
        os.utime(path, (time.time() - OLD,) * 2)
    small_net().save(tmp_path / "model.gone")
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in keep)


@pytest.mark.skipif(not POSIX, reason="folders and symlinks as POSIX has them")
def test_a_folder_or_symlink_named_like_a_temporary_is_left_alone(tmp_path):
    folder = tmp_path / f"{temporary_prefix('model.gone')}0123abcd.tmp"
    folder.mkdir()
    victim = tmp_path / "precious"
    victim.write_bytes(b"keep me")
    link = tmp_path / f"{temporary_prefix('model.gone')}4567abcd.tmp"
    link.symlink_to(victim)
    for path in (folder, victim):
        os.utime(path, (time.time() - OLD,) * 2)
    small_net().save(tmp_path / "model.gone")
    assert folder.is_dir() and link.is_symlink() and victim.read_bytes() == b"keep me"


@pytest.mark.skipif(persistence_files.fcntl is None, reason="POSIX file locks")
def test_a_temporary_locked_by_a_live_save_is_kept_however_old(tmp_path):
    import fcntl

    busy = temporary(tmp_path, "model.gone", age=OLD)  # e.g. a save stuck in a long fsync
    with open(busy, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        small_net().save(tmp_path / "model.gone")
        assert busy.exists()
    small_net().save(tmp_path / "model.gone")  # its save is gone: now it is swept
    assert not busy.exists()


KILLED_SAVE = """
import os, signal, sys
import gone
from gone.persistence import files

def write_half_and_die(file, data):
    file.write(data[: len(data) // 2])
    file.flush()
    os.kill(os.getpid(), signal.SIGKILL)

files.write_and_sync = write_half_and_die
gone.NeuralNetwork([gone.Layer(3), gone.Layer(2)], seed=int(sys.argv[2])).save(sys.argv[1])
"""


@pytest.mark.skipif(not hasattr(os, "kill") or not POSIX, reason="SIGKILL is POSIX's")
def test_killed_saves_keep_the_old_file_and_the_next_save_sweeps_their_leftovers(tmp_path):
    path = tmp_path / "model.gone"
    small_net(1).save(path)
    before = path.read_bytes()
    for seed in range(3):
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_SAVE, str(path), str(seed)], cwd=ROOT, check=False
        )
        assert killed.returncode == -9
    assert path.read_bytes() == before  # atomic: a kill mid-write loses nothing
    leftovers = [p for p in tmp_path.iterdir() if p.name != "model.gone"]
    assert len(leftovers) == 3
    for leftover in leftovers:
        os.utime(leftover, (time.time() - OLD,) * 2)  # a minute has passed
    small_net(2).save(path)
    assert names(tmp_path) == ["model.gone"]
    assert same_weights(load(path), small_net(2))


def test_a_sweep_that_fails_never_fails_the_save(tmp_path, monkeypatch):
    temporary(tmp_path, "model.gone", age=OLD)

    def refuse(path):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(persistence_files.os, "unlink", refuse)
    small_net().save(tmp_path / "model.gone")
    assert same_weights(load(tmp_path / "model.gone"), small_net())
