"""What training leaves behind: one EpochRecord per epoch, collected in a History."""

from dataclasses import dataclass, field

from gone.callbacks import EarlyStopping

__all__ = ["EarlyStopping", "EpochRecord", "History"]  # EarlyStopping lived here first


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
    """Per-epoch lists: loss, learning_rate, seconds, val_loss, val_accuracy (None where absent).

    The History a `train` call returns also says how that call ended, when not simply after
    its last epoch (None otherwise; `net.history`, the whole run, keeps only the lists):
    - `stopped_epoch`: early stopping ended the call after this epoch;
    - `restored_epoch`: early stopping gave the network back this epoch's weights and
      optimizer state (its best validation loss), whether or not it stopped the call;
    - `diverged_epoch`: the loss was NaN or infinite in this epoch (DivergenceError).
    Epochs count from 1 over the network's whole training, as EpochRecord.epoch does.
    """

    loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)
    # How the call ended is no per-epoch series: two runs of the same epochs are equal.
    stopped_epoch: int | None = field(default=None, compare=False)
    restored_epoch: int | None = field(default=None, compare=False)
    diverged_epoch: int | None = field(default=None, compare=False)

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

    def ending(self) -> str | None:
        """Return how the call ended, in words, when early stopping or divergence shaped it."""
        if self.diverged_epoch is not None:
            return (
                f"diverged at epoch {self.diverged_epoch}: kept the weights and optimizer state "
                f"from before it"
            )
        parts = []
        if self.stopped_epoch is not None:
            parts.append(f"stopped early after epoch {self.stopped_epoch}")
        if self.restored_epoch is not None:
            parts.append(
                f"restored the weights and optimizer state of epoch {self.restored_epoch} "
                "(the best validation loss)"
            )
        return "; ".join(parts) or None

    def __repr__(self):
        if not self.loss:
            return "History(0 epochs)"
        last = f"loss {self.loss[-1]:.6g}"
        if self.val_loss[-1] is not None:
            last += f", val_loss {self.val_loss[-1]:.6g}"
        ending = self.ending()
        return f"History({self.epochs} epochs, last {last}" + (f"; {ending})" if ending else ")")
