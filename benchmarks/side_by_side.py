"""What every benchmark here shares: runs in fresh processes, BLAS's thread count, the spread.

Contenders are timed side by side, each run in a Python process of its own where it matters (so
one contender's thread pools, allocator and imports cannot slow the next), and every table gives
the median of repeated runs with their range.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class RunFailed(RuntimeError):
    """A run in a fresh process ended with an error; the message holds the end of its stderr."""


def in_fresh_process(module: str, call: str, python: str = sys.executable, env=None):
    """Evaluate `call`, an expression on `benchmarks.<module>` imported as `b`, in a new Python
    process (`python`, with `env` added to the environment); return its JSON-encoded result.

    Example:
        >>> seconds, accuracy = in_fresh_process("train_mlp", "b.run_in_process('gone', 'float32', 4000, 1)")
    """
    code = (
        "import json, warnings; warnings.filterwarnings('ignore'); "
        f"from benchmarks import {module} as b; print(json.dumps({call}))"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        result = subprocess.run(
            [python, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
        )
    except OSError as error:  # no such Python
        raise RunFailed(f"{module}: cannot run {python}: {error}") from None
    if result.returncode != 0:
        raise RunFailed(f"{module}: {call} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def blas_threads() -> int:
    """The number of threads numpy's BLAS uses (what PyTorch is given too)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count()
    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return counts[0] if counts else os.cpu_count()


def spread(values, fmt: str = ".3g", unit: str = "") -> str:
    """'median (min-max)' of `values`, each formatted with `fmt`, the unit after the median.

    Example:
        >>> spread([1.18, 1.23, 1.2], ".2f", "x")
        '1.20x (1.18-1.23)'
    """
    values = [float(value) for value in values]
    return (
        f"{format(statistics.median(values), fmt)}{unit} "
        f"({format(min(values), fmt)}-{format(max(values), fmt)})"
    )
