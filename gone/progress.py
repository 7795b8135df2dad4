"""Ways to watch training and evolution, built on their per-epoch / per-generation callbacks.

They write to a stream; the rest of the library never writes anywhere. A live bar and a table
share their mechanics here; what a row or a bar says is the only thing subclasses add.
"""

import sys
import time

from gone.errors import ConfigError
from gone.history import EpochRecord


class ProgressBar:
    """A one-line live bar on a terminal stream: count, what `describe` says, rate and time left.

    For training it shows the loss (and validation when there is some):

    >>> net.train(gone.SGD(), data, 100, on_epoch=ProgressBar(100))   # or train(..., progress=True)
    """

    unit = "epochs"

    def __init__(self, total: int, stream=None, width: int = 24, min_interval: float = 0.1):
        self.total, self.width, self.min_interval = max(total, 1), width, min_interval
        self.stream = sys.stderr if stream is None else stream
        self._count = 0
        self._last_draw = float("-inf")
        self._last_line = ""

    def describe(self, record: EpochRecord) -> str:
        """Return what the bar says about `record`."""
        text = f"loss {record.loss:.4g}"
        if record.val_loss is not None:
            text += f" val {record.val_loss:.4g}"
        if record.val_accuracy is not None:
            text += f" acc {record.val_accuracy:.3f}"
        return text

    def __call__(self, record) -> None:
        self._count += 1
        now = time.perf_counter()
        if self._count < self.total and now - self._last_draw < self.min_interval:
            return  # redrawing thousands of times a second would cost more than it shows
        self._last_draw = now
        filled = int(round(min(self._count / self.total, 1.0) * self.width))
        rate = self._count / record.seconds if record.seconds > 0 else float("inf")
        left = (self.total - self._count) / rate if rate > 0 else 0.0
        line = (
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self._count}/{self.total} "
            f"{self.describe(record)}  {rate:.1f} {self.unit}/s, {left:.0f}s left"
        )
        self.stream.write(line.ljust(len(self._last_line)))
        self.stream.flush()
        self._last_line = line

    def close(self) -> None:
        """End the bar's line."""
        if self._last_line:
            self.stream.write("\n")
            self.stream.flush()


class Table:
    """A table row every `every` records. Subclasses list `columns` as (header, width) and
    give `counter(record)` (which row it is) and `cells(record)` (the formatted values)."""

    columns: tuple[tuple[str, int], ...] = ()

    def __init__(self, every: int = 1, stream=None):
        self.every = max(int(every), 1)
        self.stream = sys.stdout if stream is None else stream
        self._header_written = False

    def counter(self, record) -> int:
        raise NotImplementedError

    def cells(self, record) -> list[str]:
        raise NotImplementedError

    def _row(self, cells) -> str:
        return "  ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, self.columns)) + "\n"

    def __call__(self, record) -> None:
        if self.counter(record) % self.every:
            return
        if not self._header_written:
            self.stream.write(self._row([header for header, _ in self.columns]))
            self._header_written = True
        self.stream.write(self._row(self.cells(record)))


class EpochTable(Table):
    """Training as go-deep's verbose mode shows it: epoch, elapsed, loss, validation loss and accuracy.

    >>> net.train(gone.Adam(), data, 50, validation=val, verbose=10)
    """

    columns = (("epoch", 7), ("elapsed", 9), ("loss", 12), ("val loss", 12), ("val acc", 8))

    def counter(self, record: EpochRecord) -> int:
        return record.epoch

    def cells(self, record: EpochRecord) -> list[str]:
        return [
            str(record.epoch),
            f"{record.seconds:.2f}s",
            f"{record.loss:.6g}",
            "-" if record.val_loss is None else f"{record.val_loss:.6g}",
            "-" if record.val_accuracy is None else f"{record.val_accuracy:.4f}",
        ]


def as_callbacks(value, what: str) -> list:
    """Return `value` (None, one callable or several) as a list of callables."""
    if value is None:
        return []
    if callable(value):
        return [value]
    callbacks = list(value)
    for callback in callbacks:
        if not callable(callback):
            raise ConfigError(f"{what}: expected callables, got {callback!r}")
    return callbacks
