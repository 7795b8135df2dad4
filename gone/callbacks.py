"""Callbacks: what a `train` call tells, as it runs, to whatever watches or steers it.

One mechanism carries everything `train` does besides the math: early stopping, the progress
bar and the table (gone.progress), and the user's `on_epoch` functions. Per `train` call each
callback hears, in this order:
    on_train_begin(network)        once, before the first epoch
    on_epoch_end(record) -> stop?  after every epoch; True ends the call after this epoch
    on_train_end(history)          once, at the end (also when DivergenceError ends it)
"""

from collections.abc import Iterable

from gone._checks import check_bool, check_int, check_number, shown
from gone.errors import ConfigError


class Callback:
    """Base class: override the hooks you need (each does nothing here).

    >>> class Count(gone.Callback):
    ...     def on_epoch_end(self, record):
    ...         return record.loss < 0.01  # stop once the loss is low
    >>> net.train(gone.SGD(), data, 1500, on_epoch=Count())
    """

    def on_train_begin(self, network) -> None:
        """Called before the first epoch with the network being trained."""

    def on_epoch_end(self, record) -> bool:
        """Called with each epoch's EpochRecord; return True to stop after this epoch."""
        return False

    def on_train_end(self, history) -> None:
        """Called once with the call's History (see History.ending() for how it ended)."""


class EachEpoch(Callback):
    """A plain function of the EpochRecord, as `on_epoch=` takes it (its result is ignored)."""

    def __init__(self, function):
        self.function = function

    def on_epoch_end(self, record) -> bool:
        self.function(record)
        return False

    def __repr__(self):
        return f"EachEpoch({self.function!r})"


def as_training_callbacks(value, what: str = "on_epoch") -> list[Callback]:
    """Return `value` (None, a Callback, a function of the record, or a list of them) as Callbacks."""
    if value is None:
        return []
    if isinstance(value, Callback) or callable(value):
        value = [value]
    elif not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        raise ConfigError(
            f"{what}: expected a callable, a gone.Callback or a list of them, got {shown(value)}"
        )
    callbacks = []
    for item in value:
        if isinstance(item, Callback):
            callbacks.append(item)
        elif callable(item):
            callbacks.append(EachEpoch(item))
        else:
            raise ConfigError(f"{what}: expected callables or gone.Callbacks, got {shown(item)}")
    return callbacks


class EarlyStopping(Callback):
    """Stop when the validation loss has not improved by `min_delta` for `patience` epochs.

    With `restore_best` (the default) the network gets back, at the end of the call, the weights
    and the optimizer state (moments and step count) of its best validation epoch: the state
    that produced those weights, so training on from there, or saving, stays consistent. The
    random generator is not rewound, and `net.history` keeps every epoch trained.

    Each `train` call starts it afresh. Afterwards it tells what it saw in that call:
    `best_epoch` (the epoch of the lowest validation loss, counted from 1 over the network's
    whole training like EpochRecord.epoch, so `history.val_loss[best_epoch - 1]` for a fresh
    network), `best_loss`, and `stopped_epoch` (None when it let every epoch run).

    >>> stopping = gone.EarlyStopping(10)
    >>> net.train(gone.Adam(), train, 500, validation=val, early_stopping=stopping)
    >>> stopping.best_epoch
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, restore_best: bool = True):
        self.patience = check_int(patience, "EarlyStopping patience", 1)
        self.min_delta = check_number(min_delta, "EarlyStopping min_delta", minimum=0)
        self.restore_best = check_bool(restore_best, "EarlyStopping restore_best")
        self._start(None)

    def _start(self, network) -> None:
        self.best_loss = float("inf")
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._network = network
        self._best = None  # the network's snapshot at the best epoch
        self._waited = 0

    def on_train_begin(self, network) -> None:
        self._start(network)

    def on_epoch_end(self, record) -> bool:
        if record.val_loss is None:
            raise ConfigError(
                f"EarlyStopping: expected a validation loss to watch (train(validation=...)), "
                f"got none at epoch {record.epoch}"
            )
        if record.val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self._waited = record.val_loss, record.epoch, 0
            if self.restore_best:
                self._best = self._network.snapshot()
            return False
        self._waited += 1
        if self._waited < self.patience:
            return False
        self.stopped_epoch = record.epoch
        return True

    def on_train_end(self, history) -> None:
        # After a divergence the weights stay as DivergenceError says: those before that epoch.
        if self._best is not None and history.diverged_epoch is None:
            self._network.restore(self._best)
            history.restored_epoch = self.best_epoch
        self._network = self._best = None  # keep neither the network nor its copies alive

    def __repr__(self):
        return (
            f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
            f"restore_best={self.restore_best})"
        )
