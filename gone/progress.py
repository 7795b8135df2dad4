"""Ways to watch training, built on the per-epoch callback. They write to a stream; the rest of
the library never writes anywhere."""

import sys
import time

from gone.history import EpochRecord


class ProgressBar:
    """A one-line live bar on a terminal stream: epoch, loss, validation, rate and time left.

    >>> net.train(gone.SGD(), data, 100, on_epoch=ProgressBar(100))   # or train(..., progress=True)
    """

    def __init__(self, total: int, stream=None, width: int = 24, min_interval: float = 0.1):
        self.total, self.width, self.min_interval = max(total, 1), width, min_interval
        self.stream = sys.stderr if stream is None else stream
        self._count = 0
        self._last_draw = float("-inf")
        self._last_line = ""

    def __call__(self, record: EpochRecord) -> None:
        self._count += 1
        now = time.perf_counter()
        if self._count < self.total and now - self._last_draw < self.min_interval:
            return  # redrawing thousands of times a second would cost more than the training
        self._last_draw = now
        done = min(self._count / self.total, 1.0)
        filled = int(round(done * self.width))
        rate = self._count / record.seconds if record.seconds > 0 else float("inf")
        left = (self.total - self._count) / rate if rate > 0 else 0.0
        line = (
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self._count}/{self.total} "
            f"loss {record.loss:.4g}"
        )
        if record.val_loss is not None:
            line += f" val {record.val_loss:.4g}"
        if record.val_accuracy is not None:
            line += f" acc {record.val_accuracy:.3f}"
        line += f"  {rate:.1f} epochs/s, {left:.0f}s left"
        self.stream.write(line.ljust(len(self._last_line)))
        self.stream.flush()
        self._last_line = line

    def close(self) -> None:
        """End the bar's line."""
        if self._last_line:
            self.stream.write("\n")
            self.stream.flush()


class EpochTable:
    """A table row every `every` epochs, like go-deep's verbose mode: epoch, elapsed, loss, validation.

    >>> net.train(gone.Adam(), data, 50, validation=val, verbose=10)
    """

    HEADER = f"{'epoch':>7}  {'elapsed':>9}  {'loss':>12}  {'val loss':>12}  {'val acc':>8}\n"

    def __init__(self, every: int = 1, stream=None):
        self.every = max(int(every), 1)
        self.stream = sys.stdout if stream is None else stream
        self._header_written = False

    def __call__(self, record: EpochRecord) -> None:
        if record.epoch % self.every:
            return
        if not self._header_written:
            self.stream.write(self.HEADER)
            self._header_written = True
        val_loss = "-" if record.val_loss is None else f"{record.val_loss:.6g}"
        val_acc = "-" if record.val_accuracy is None else f"{record.val_accuracy:.4f}"
        self.stream.write(
            f"{record.epoch:>7}  {record.seconds:>8.2f}s  {record.loss:>12.6g}  "
            f"{val_loss:>12}  {val_acc:>8}\n"
        )
