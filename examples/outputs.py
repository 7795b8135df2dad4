"""Where a run writes its files: where the user said, or a new name that replaces nothing.

A file the user named in this run (`--out PATH`, `--plot PATH`) is written there, replacing
what was there: they asked for it. Otherwise a run never replaces an existing file: it takes
the default name if it is free, else the same name numbered, out/digits.gone, then
out/digits-2.gone, out/digits-3.gone, ... A yesterday's model stays where it was.

The free name is claimed by creating it (exclusive create, O_EXCL), not merely checked: if
another run creates the same name in between, the claim fails and the next number is tried,
so two runs never write the same file. The caller then writes over its empty claim; gone's
save does that atomically (a temporary file renamed onto it), so the name holds either the
empty claim or the whole model, never half of one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path


def numbered(path: Path, number: int) -> Path:
    """`path` itself for 1, else with "-<number>" before its suffix: out/digits-2.gone."""
    path = Path(path)
    return path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def out_help(what: str, default: Path, more: str = "") -> str:
    """The help of an --out flag that saves `what` as this module does; `more` ends the brackets.

    Example:
        >>> out_help("the trained network", Path("out/xor.gone"))
        'save the trained network here, replacing the file (default: out/xor.gone, or
        out/xor-2.gone, -3, ... if taken: nothing is replaced)'
    """
    return (
        f"save {what} here, replacing the file (default: {default}, or {numbered(default, 2)}, "
        f"-3, ... if taken: nothing is replaced{more})"
    )


def claim_free(defaults: Sequence[Path]) -> list[Path]:
    """Create empty files at the first free numbering of `defaults`, one number for all.

    With defaults (out/digits.gone, out/digits.png): number 1 when neither exists, else
    (out/digits-2.gone, out/digits-2.png) when neither of those exists, and so on, so that a
    report keeps its model's number. Missing folders are created. Returns the claimed paths,
    in the order of `defaults`.

    Example:
        >>> claim_free([Path("out/flappy.gone")])     # out/flappy.gone exists already
        [PosixPath('out/flappy-2.gone')]
    """
    defaults = [Path(p) for p in defaults]
    for folder in {p.parent for p in defaults}:
        folder.mkdir(parents=True, exist_ok=True)
    number = 0
    while True:
        number += 1
        candidates = [numbered(p, number) for p in defaults]
        if any(p.exists() or p.is_symlink() for p in candidates):
            continue
        claimed = []
        try:
            for path in candidates:
                with open(path, "x"):  # exclusive: fails if anything appeared there meanwhile
                    pass
                claimed.append(path)
        except FileExistsError:
            release(claimed)  # another run took one of these names: try the next number
            continue
        return claimed


def release(paths: Sequence[Path]) -> None:
    """Remove claimed files that are still empty (nothing was written over them)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_size == 0:
                path.unlink()


def save_output(save: Callable[[Path], object], named: Path | None, default: Path) -> Path:
    """Write one file with `save(path)`: at `named` if the user gave it, else at a free name.

    Returns the path written, for messages and summaries.

    Example:
        >>> save_output(net.save, args.out, Path("out/flappy.gone"))
        PosixPath('out/flappy-2.gone')
    """
    if named is not None:
        named = Path(named)
        named.parent.mkdir(parents=True, exist_ok=True)
        save(named)
        return named
    (path,) = claim_free([default])
    try:
        save(path)
    except BaseException:
        release([path])
        raise
    return path
