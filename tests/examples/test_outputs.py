"""Free output names: a run writes where it was told, or where it replaces nothing."""

from pathlib import Path

import pytest

import gone
from examples.outputs import claim_free, numbered, out_help, release, save_output


def test_numbered_names_put_the_number_before_the_suffix():
    assert numbered(Path("out/digits.gone"), 1) == Path("out/digits.gone")
    assert numbered(Path("out/digits.gone"), 2) == Path("out/digits-2.gone")
    assert numbered(Path("out/my.model.gone"), 12) == Path("out/my.model-12.gone")


def test_the_default_name_is_claimed_when_free_and_the_folder_made(tmp_path):
    default = tmp_path / "out" / "flappy.gone"
    assert claim_free([default]) == [default]
    assert default.read_bytes() == b""  # claimed: it exists, empty, until written over


def test_a_taken_name_is_kept_and_the_next_number_is_used(tmp_path):
    default = tmp_path / "flappy.gone"
    default.write_bytes(b"mine")
    (tmp_path / "flappy-2.gone").write_bytes(b"mine too")
    assert claim_free([default]) == [tmp_path / "flappy-3.gone"]
    assert default.read_bytes() == b"mine"
    assert (tmp_path / "flappy-2.gone").read_bytes() == b"mine too"


def test_a_group_shares_one_number_free_for_all_of_them(tmp_path):
    (tmp_path / "digits.gone").write_bytes(b"model")
    (tmp_path / "digits-2.png").write_bytes(b"a report without its model")
    claimed = claim_free([tmp_path / "digits.gone", tmp_path / "digits.png"])
    assert claimed == [tmp_path / "digits-3.gone", tmp_path / "digits-3.png"]
    assert not (tmp_path / "digits.png").exists()  # number 1 was not free as a pair
    assert not (tmp_path / "digits-2.gone").exists()


def test_a_file_appearing_after_the_check_is_not_replaced(tmp_path, monkeypatch):
    """The exclusive create is what protects a file, not the look before it."""
    default = tmp_path / "flappy.gone"
    default.write_bytes(b"written by another run meanwhile")
    monkeypatch.setattr(Path, "exists", lambda self: False)  # the look misses it
    assert claim_free([default]) == [tmp_path / "flappy-2.gone"]
    assert default.read_bytes() == b"written by another run meanwhile"


def test_a_dangling_link_counts_as_taken(tmp_path):
    (tmp_path / "flappy.gone").symlink_to(tmp_path / "gone-elsewhere")
    assert claim_free([tmp_path / "flappy.gone"]) == [tmp_path / "flappy-2.gone"]


def test_release_removes_only_claims_left_empty(tmp_path):
    empty, written = claim_free([tmp_path / "a.gone", tmp_path / "a.png"])
    written.write_bytes(b"a report")
    release([empty, written, tmp_path / "never-claimed"])
    assert not empty.exists() and written.read_bytes() == b"a report"


def test_save_output_writes_a_named_path_even_over_a_file(tmp_path):
    named = tmp_path / "new" / "bird.gone"
    named.parent.mkdir()
    named.write_bytes(b"old")
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0)
    assert save_output(net.save, named, tmp_path / "default.gone") == named
    assert gone.load(named).to_bytes() == net.to_bytes()
    assert not (tmp_path / "default.gone").exists()


def test_save_output_without_a_name_saves_beside_what_is_there(tmp_path):
    default = tmp_path / "out" / "bird.gone"
    net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(1)], seed=0)
    first = save_output(net.save, None, default)
    second = save_output(net.save, None, default)
    assert (first, second) == (default, tmp_path / "out" / "bird-2.gone")
    assert gone.load(second).to_bytes() == net.to_bytes()
    assert sorted(p.name for p in default.parent.iterdir()) == ["bird-2.gone", "bird.gone"]


def test_a_failed_save_gives_its_claim_back(tmp_path):
    def broken(path):
        raise OSError(f"{path}: disk full")

    with pytest.raises(OSError, match="disk full"):
        save_output(broken, None, tmp_path / "bird.gone")
    assert list(tmp_path.iterdir()) == []


def test_the_out_flags_help_says_what_a_taken_default_becomes():
    assert out_help("the bird", Path("out/flappy.gone"), ", and more") == (
        "save the bird here, replacing the file (default: out/flappy.gone, or "
        "out/flappy-2.gone, -3, ... if taken: nothing is replaced, and more)"
    )
