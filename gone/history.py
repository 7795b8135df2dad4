"""What training leaves behind: one EpochRecord per epoch, collected in a History, and early stopping."""

from dataclasses import dataclass, field

from gone.errors import ConfigError


@dataclass(frozen=True)
class EpochRecord:
    """What `train(on_epoch=...)` receives after each epoch.

    `epoch` counts from 1 over the network's whole training (resumed runs go on counting);
    `loss` is the mean training loss over the epoch's batches; the validation fields are None
    without validation data (and `val_accuracy` for regression); `seconds` is the time since
    this `train` call started.
    """

    epoch: int
    loss: float
    learning_rate: float
    seconds: float
    val_loss: float | None = None
    val_accuracy: float | None = None


@dataclass
class History:
    """Per-epoch lists: loss, learning_rate, seconds, val_loss, val_accuracy (None where absent)."""

    loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)

    FIELDS = ("loss", "learning_rate", "seconds", "val_loss", "val_accuracy")

    def append(self, record: EpochRecord) -> None:
        for name in self.FIELDS:
            getattr(self, name).append(getattr(record, name))

    def extend(self, other: "History") -> None:
        for name in self.FIELDS:
            getattr(self, name).extend(getattr(other, name))

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def __len__(self) -> int:
        return len(self.loss)

    def __repr__(self):
        if not self.loss:
            return "History(0 epochs)"
        last = f"loss {self.loss[-1]:.6g}"
        if self.val_loss[-1] is not None:
            last += f", val_loss {self.val_loss[-1]:.6g}"
        return f"History({self.epochs} epochs, last {last})"


class EarlyStopping:
    """Stop when the validation loss has not improved by `min_delta` for `patience` epochs.

    With `restore_best` the network gets back the weights of its best validation epoch.

    >>> net.train(gone.Adam(), train, 500, validation=val, early_stopping=gone.EarlyStopping(10))
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, restore_best: bool = True):
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ConfigError(f"EarlyStopping patience: expected an int >= 1, got {patience!r}")
        if not min_delta >= 0:
            raise ConfigError(f"EarlyStopping min_delta: expected a number >= 0, got {min_delta}")
        self.patience, self.min_delta, self.restore_best = patience, float(min_delta), restore_best
        self.best_loss = float("inf")
        self.best_epoch = None
        self.best_parameters = None
        self._waited = 0

    def should_stop(self, record: EpochRecord, parameters) -> bool:
        """Note this epoch's validation loss; return True when patience has run out."""
        if record.val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self._waited = record.val_loss, record.epoch, 0
            if self.restore_best:
                self.best_parameters = [p.copy() for p in parameters]
            return False
        self._waited += 1
        return self._waited >= self.patience
