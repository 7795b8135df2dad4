"""Ways to watch training and evolution, built on their per-epoch / per-generation callbacks.

They write to a stream; the rest of the library never writes anywhere. A live bar and a table
share their mechanics here; what a row or a bar says is the only thing subclasses add. For
training they are gone.Callbacks: after the last epoch they also say how the call ended when
early stopping or a divergence shaped it (History.ending()).
"""

import sys
import time
from collections.abc import Iterable

from gone._checks import check_int, check_number, shown
from gone.callbacks import Callback
from gone.errors import ConfigError
from gone.history import EpochRecord


class ProgressBar(Callback):
    """A one-line live bar on a terminal stream: count, what `describe` says, rate and time left.

    For training it shows the loss (and validation when there is some):

    >>> net.train(gone.SGD(), data, 100, on_epoch=ProgressBar(100))   # or train(..., progress=True)
    """

    unit = "epochs"

    def __init__(self, total: int, stream=None, width: int = 24, min_interval: float = 0.1):
        self.total = max(check_int(total, "ProgressBar total", 0), 1)
        self.width = check_int(width, "ProgressBar width", 1)
        self.min_interval = check_number(min_interval, "ProgressBar min_interval", minimum=0)
        self.stream = sys.stderr if stream is None else stream
        self._count = 0
        self._last_draw = float("-inf")
        self._last_line = ""
        self._undrawn = None  # the latest record, while the bar does not show it yet

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
        self._undrawn = record
        now = time.perf_counter()
        if self._count < self.total and now - self._last_draw < self.min_interval:
            return  # redrawing thousands of times a second would cost more than it shows
        self._last_draw = now
        self._draw(record)

    def _draw(self, record) -> None:
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
        self._undrawn = None

    def close(self) -> None:
        """Show the last record if the bar skipped it, and end the bar's line."""
        if self._undrawn is not None:
            self._draw(self._undrawn)  # a run that stops early stops between two redraws
        if self._last_line:
            self.stream.write("\n")
            self.stream.flush()

    # ---- as a training callback -------------------------------------------------------------

    def on_epoch_end(self, record) -> bool:
        self(record)
        return False

    def on_train_end(self, history) -> None:
        self.close()
        ending = history.ending()
        if ending:
            self.stream.write(ending + "\n")
            self.stream.flush()


class Table:
    """A table row every `every` records. Subclasses list `columns` as (header, width) and
    give `counter(record)` (which row it is) and `cells(record)` (the formatted values)."""

    columns: tuple[tuple[str, int], ...] = ()

    def __init__(self, every: int = 1, stream=None):
        self.every = check_int(every, f"{type(self).__name__} every", 1)
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


class EpochTable(Table, Callback):
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

    def on_epoch_end(self, record) -> bool:
        self(record)
        return False

    def on_train_end(self, history) -> None:
        ending = history.ending()
        if ending:
            self.stream.write(ending + "\n")


def as_callbacks(value, what: str) -> list:
    """Return `value` (None, one callable or several) as a list of callables."""
    if value is None:
        return []
    if callable(value):
        return [value]
    if not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        raise ConfigError(f"{what}: expected callables (one or a list), got {shown(value)}")
    callbacks = list(value)
    for callback in callbacks:
        if not callable(callback):
            raise ConfigError(f"{what}: expected callables, got {shown(callback)}")
    return callbacks
