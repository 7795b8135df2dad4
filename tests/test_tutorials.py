"""Every tutorial runs top to bottom in a fresh Jupyter kernel, and its own asserts hold.

The tutorials are docs/tutorials/NN-name.py, jupytext percent-format files (`# %%` starts a
cell). Each one asserts the numbers it teaches, so a lesson that stops being true fails here.
They run as a reader's notebook would: a new kernel of this Python, in an empty folder, with
matplotlib's Agg backend and SDL's dummy video driver (no display), and a time limit per cell.
"""

import ast
import os
import re
import sys
import time
from pathlib import Path

import pytest

try:
    import jupytext
    from jupyter_client import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as error:  # part of the dev extra: a broken environment, not a reason to skip
    pytest.fail(
        f"the tutorials need jupytext, nbclient and ipykernel (pip install -e '.[dev]'): {error}",
        pytrace=False,
    )

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL_DIR = ROOT / "docs" / "tutorials"
TUTORIALS = sorted(TUTORIAL_DIR.glob("[0-9][0-9]-*.py"))
KERNEL = "python3"
CELL_TIMEOUT = 120  # seconds; a whole lesson should take under a minute on 2 cores
LESSON_LIMIT = 120  # seconds: twice that minute, for machines shared with other work
ANSI = re.compile(r"\x1b\[[0-9;]*m")

tutorials = pytest.mark.parametrize("path", TUTORIALS, ids=[path.name for path in TUTORIALS])


def test_there_are_tutorials():
    # A glob that finds nothing would let every parametrized test below pass by not running.
    assert TUTORIALS, f"expected tutorials named NN-name.py in {TUTORIAL_DIR}, found none"


def test_kernel_is_this_python():
    """The kernel the tutorials run in is this interpreter, with this environment's packages."""
    command = KernelManager(kernel_name=KERNEL).format_kernel_cmd()  # what nbclient launches
    assert Path(command[0]).resolve() == Path(sys.executable).resolve(), (
        f"kernel {KERNEL!r}: expected {sys.executable}, got {command[0]} "
        "(a kernelspec installed elsewhere shadows ipykernel's own)"
    )


@tutorials
def test_tutorial_is_a_percent_format_lesson(path):
    text = path.read_text(encoding="utf-8")
    notebook = jupytext.reads(text, fmt="py:percent")
    assert jupytext.writes(notebook, fmt="py:percent") == text, (
        f"{path.name}: expected jupytext percent format (it rewrites the file differently)"
    )
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        f"{path.name}: expected a first markdown cell starting with '# <Title>', "
        f"got a {first.cell_type} cell: {first.source[:60]!r}"
    )
    # Percent format keeps magics commented out, so the file is plain Python to ast.
    asserts = [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Assert)]
    assert asserts, f"{path.name}: a lesson must assert its numbers; it has no assert"


@tutorials
def test_tutorial_runs(path, tmp_path, monkeypatch, record_property):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    notebook = jupytext.read(path)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working folder
    )
    running = {}
    client.on_cell_start = lambda cell, cell_index: running.update(index=cell_index, cell=cell)
    before = _repository_files()
    start = time.perf_counter()
    failure = None
    try:
        client.execute()
    except CellExecutionError as error:  # its text holds the cell's source and the traceback
        failure = f"{_where(path, notebook, running)} raised\n{_plain(error)}"
    except (CellTimeoutError, DeadKernelError) as error:
        failure = (
            f"{_where(path, notebook, running)} did not finish: {_plain(error)}\n"
            f"--- cell source ---\n{running['cell'].source}"
        )
    if failure:  # failed out here, so pytest shows no chain of nbclient's exceptions
        pytest.fail(failure, pytrace=False)
    seconds = time.perf_counter() - start
    record_property("seconds", round(seconds, 2))
    print(f"{path.name}: ran in {seconds:.1f} s")
    written = sorted(_repository_files() - before)
    assert not written, (
        f"{path.name}: wrote into the repository (use a temporary folder): {written}"
    )
    assert seconds < LESSON_LIMIT, (
        f"{path.name}: expected under {LESSON_LIMIT} s (a lesson should take under a minute), "
        f"took {seconds:.1f} s"
    )


def _where(path: Path, notebook, running: dict) -> str:
    """Where the running cell is, as "NN-name.py, cell i of n (line k)"."""
    index = running["index"]
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [number for number, line in enumerate(lines, 1) if line.startswith("# %%")]
    line = f" (line {starts[index]})" if len(starts) == len(notebook.cells) else ""
    return f"{path.name}, cell {index + 1} of {len(notebook.cells)}{line}"


def _plain(error: Exception) -> str:
    """The error's text without the terminal colour codes of IPython's tracebacks."""
    return ANSI.sub("", str(error))


def _repository_files() -> set[str]:
    """Files in the repository's top folder and under docs/: where a stray relative write lands."""
    found = {entry.name for entry in ROOT.iterdir()}
    for folder, dirs, files in os.walk(ROOT / "docs"):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.update(str(Path(folder, name).relative_to(ROOT)) for name in files)
    return found
