"""Unpacking a tar archive's one folder: atomically, and never anything that could escape it."""

import io
import tarfile

import pytest

from examples.digits.archive import ArchiveError, extract_folder

TOP = "cifar-10-batches-bin"
REQUIRED = ("data_batch_1.bin", "batches.meta.txt")


def add_file(tar: tarfile.TarFile, name: str, data: bytes = b"x") -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    tar.addfile(member, io.BytesIO(data))


def add_entry(tar: tarfile.TarFile, name: str, kind: bytes, linkname: str = "") -> None:
    """A member without data: a folder, a link or a special file."""
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = linkname
    tar.addfile(member)


def make_archive(path, extra=None, files=REQUIRED):
    """A .tar.gz with TOP/ holding `files`, then whatever `extra(tar)` adds."""
    with tarfile.open(path, "w:gz") as tar:
        add_entry(tar, TOP, tarfile.DIRTYPE)
        for name in files:
            add_file(tar, f"{TOP}/{name}", name.encode())
        if extra is not None:
            extra(tar)
    return path


@pytest.fixture
def folder(tmp_path):
    """The folder to unpack into, apart from where the archive lies."""
    destination = tmp_path / "cache"
    destination.mkdir()
    return destination


def test_the_folder_is_unpacked_and_nothing_else_is_left(tmp_path, folder):
    archive = make_archive(tmp_path / "a.tar.gz")
    target = extract_folder(archive, folder, TOP, REQUIRED)
    assert target == folder / TOP
    assert sorted(p.name for p in target.iterdir()) == sorted(REQUIRED)
    assert (target / "data_batch_1.bin").read_bytes() == b"data_batch_1.bin"
    assert [p.name for p in folder.iterdir()] == [TOP]  # no staging folder left


def test_an_uncompressed_tar_is_unpacked_too(tmp_path, folder):
    archive = tmp_path / "a.tar"
    with tarfile.open(archive, "w") as tar:
        for name in REQUIRED:
            add_file(tar, f"{TOP}/{name}")
    assert (extract_folder(archive, folder, TOP, REQUIRED) / "batches.meta.txt").is_file()


def test_a_leading_dot_slash_is_still_inside(tmp_path, folder):
    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in REQUIRED:
            add_file(tar, f"./{TOP}/{name}")
    assert extract_folder(archive, folder, TOP, REQUIRED) == folder / TOP


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            lambda tar: add_file(tar, f"{TOP}/../../evil.sh"),
            f"member '{TOP}/../../evil.sh': expected a plain file or folder inside {TOP}/, "
            "got a path with '..', leading outside the folder",
        ),
        (
            lambda tar: add_file(tar, "/tmp/evil.sh"),
            "member '/tmp/evil.sh': expected a plain file or folder inside "
            f"{TOP}/, got an absolute path",
        ),
        (
            lambda tar: add_entry(tar, f"{TOP}/link", tarfile.SYMTYPE, "/etc/passwd"),
            f"member '{TOP}/link': expected a plain file or folder inside {TOP}/, "
            "got a symbolic link (to '/etc/passwd')",
        ),
        (
            lambda tar: add_entry(tar, f"{TOP}/inner", tarfile.SYMTYPE, "batches.meta.txt"),
            f"member '{TOP}/inner': expected a plain file or folder inside {TOP}/, "
            "got a symbolic link (to 'batches.meta.txt')",
        ),
        (
            lambda tar: add_entry(tar, f"{TOP}/hard", tarfile.LNKTYPE, f"{TOP}/batches.meta.txt"),
            f"member '{TOP}/hard': expected a plain file or folder inside {TOP}/, "
            f"got a hard link (to '{TOP}/batches.meta.txt')",
        ),
        (
            lambda tar: add_entry(tar, f"{TOP}/fifo", tarfile.FIFOTYPE),
            f"member '{TOP}/fifo': expected a plain file or folder inside {TOP}/, "
            "got a special file (device or FIFO)",
        ),
        (
            lambda tar: add_file(tar, "readme.txt"),
            f"member 'readme.txt': expected a plain file or folder inside {TOP}/, "
            f"got a path outside {TOP}/",
        ),
    ],
    ids=["dot-dot", "absolute", "symlink-out", "symlink-in", "hard-link", "fifo", "outside-top"],
)
def test_an_unsafe_member_stops_everything_and_leaves_nothing(tmp_path, folder, extra, problem):
    archive = make_archive(tmp_path / "a.tar.gz", extra)
    with pytest.raises(ArchiveError) as caught:
        extract_folder(archive, folder, TOP, REQUIRED)
    assert str(caught.value) == f"{archive}: {problem}"
    assert caught.value.path == archive
    assert list(folder.iterdir()) == []  # not even the safe members before it
    assert not (tmp_path / "evil.sh").exists()


def test_a_cut_archive_is_damaged(tmp_path, folder):
    archive = make_archive(tmp_path / "a.tar.gz")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match=r"a.tar.gz: damaged or not a tar archive \("):
        extract_folder(archive, folder, TOP, REQUIRED)
    assert list(folder.iterdir()) == []


def test_a_file_that_is_no_archive_is_refused(tmp_path, folder):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(b"<html>Not Found</html>")
    with pytest.raises(ArchiveError, match="damaged or not a tar archive"):
        extract_folder(archive, folder, TOP, REQUIRED)


def test_an_archive_without_a_required_file_is_refused(tmp_path, folder):
    archive = make_archive(tmp_path / "a.tar.gz", files=("data_batch_1.bin",))
    with pytest.raises(ArchiveError) as caught:
        extract_folder(archive, folder, TOP, REQUIRED)
    assert str(caught.value) == (
        f"{archive}: incomplete archive: expected {TOP}/ with data_batch_1.bin, "
        "batches.meta.txt, got it without batches.meta.txt"
    )
    assert list(folder.iterdir()) == []


def test_a_folder_unpacked_meanwhile_by_another_run_is_kept(tmp_path, folder):
    archive = make_archive(tmp_path / "a.tar.gz")
    first = extract_folder(archive, folder, TOP, REQUIRED)
    (first / "mine").write_text("kept")
    assert extract_folder(archive, folder, TOP, REQUIRED) == first
    assert (first / "mine").read_text() == "kept"
    assert [p.name for p in folder.iterdir()] == [TOP]


def test_a_different_folder_in_the_way_is_not_replaced(tmp_path, folder):
    archive = make_archive(tmp_path / "a.tar.gz")
    (folder / TOP).mkdir()
    (folder / TOP / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError) as caught:
        extract_folder(archive, folder, TOP, REQUIRED)
    assert str(caught.value) == (
        f"{folder / TOP}: expected no folder (or an empty one) to unpack a.tar.gz into, "
        "got a folder holding other files; move it away and run again"
    )
    assert [p.name for p in (folder / TOP).iterdir()] == ["notes.txt"]


def test_an_empty_folder_in_the_way_is_filled(tmp_path, folder):
    archive = make_archive(tmp_path / "a.tar.gz")
    (folder / TOP).mkdir()
    assert (extract_folder(archive, folder, TOP, REQUIRED) / "data_batch_1.bin").is_file()
