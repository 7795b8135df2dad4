"""Ways to watch evolution, built on the per-generation callback. They write to a stream; the rest
of the library never writes anywhere."""

import sys
import time

from gone.genetic.history import GenerationRecord


class EvolutionProgress:
    """A one-line live bar on a terminal stream: generation, best and mean fitness, rate, time left.

    >>> gone.evolve(fitness, population, 100, on_generation=EvolutionProgress(101))
    """

    def __init__(self, total: int, stream=None, width: int = 24, min_interval: float = 0.1):
        self.total, self.width, self.min_interval = max(total, 1), width, min_interval
        self.stream = sys.stderr if stream is None else stream
        self._count = 0
        self._last_draw = float("-inf")
        self._last_line = ""

    def __call__(self, record: GenerationRecord) -> None:
        self._count += 1
        now = time.perf_counter()
        if self._count < self.total and now - self._last_draw < self.min_interval:
            return  # redrawing hundreds of times a second would cost more than it shows
        self._last_draw = now
        done = min(self._count / self.total, 1.0)
        filled = int(round(done * self.width))
        rate = self._count / record.seconds if record.seconds > 0 else float("inf")
        left = (self.total - self._count) / rate if rate > 0 else 0.0
        line = (
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] generation {record.generation} "
            f"best {record.best:.4g} mean {record.mean:.4g}  {rate:.1f} gen/s, {left:.0f}s left"
        )
        self.stream.write(line.ljust(len(self._last_line)))
        self.stream.flush()
        self._last_line = line

    def close(self) -> None:
        """End the bar's line."""
        if self._last_line:
            self.stream.write("\n")
            self.stream.flush()


class GenerationTable:
    """A table row every `every` generations: generation, elapsed time, best, mean, worst fitness.

    >>> gone.evolve(fitness, population, 100, verbose=10)
    """

    HEADER = f"{'generation':>10}  {'elapsed':>9}  {'best':>12}  {'mean':>12}  {'worst':>12}\n"

    def __init__(self, every: int = 1, stream=None):
        self.every = max(int(every), 1)
        self.stream = sys.stdout if stream is None else stream
        self._header_written = False

    def __call__(self, record: GenerationRecord) -> None:
        if record.generation % self.every:
            return
        if not self._header_written:
            self.stream.write(self.HEADER)
            self._header_written = True
        self.stream.write(
            f"{record.generation:>10}  {record.seconds:>8.2f}s  {record.best:>12.6g}  "
            f"{record.mean:>12.6g}  {record.worst:>12.6g}\n"
        )
