"""History: the per-epoch series, and how a train call ended."""

from gone.history import EpochRecord, History


def history_of(n, **ending):
    history = History(**ending)
    for epoch in range(1, n + 1):
        history.append(EpochRecord(epoch, 1.0 / epoch, 0.1, 0.01 * epoch, 2.0 / epoch, None))
    return history


def test_the_series_and_their_length():
    history = history_of(3)
    assert len(history) == history.epochs == 3
    assert history.val_loss == [2.0, 1.0, 2.0 / 3]
    assert history.val_accuracy == [None, None, None]
    assert repr(history) == "History(3 epochs, last loss 0.333333, val_loss 0.666667)"
    assert repr(History()) == "History(0 epochs)"


def test_how_a_call_ended():
    assert history_of(3).ending() is None
    stopped = history_of(8, stopped_epoch=8, restored_epoch=3)
    assert stopped.ending() == (
        "stopped early after epoch 8; restored the weights and optimizer state of epoch 3 "
        "(the best validation loss)"
    )
    assert repr(stopped).endswith("; stopped early after epoch 8; restored the weights and "
                                  "optimizer state of epoch 3 (the best validation loss))")  # fmt: skip
    assert history_of(4, restored_epoch=4).ending().startswith("restored the weights")
    assert history_of(2, diverged_epoch=3).ending().startswith("diverged at epoch 3")


def test_equality_is_about_the_series():
    # Two runs of the same epochs are equal however they ended; net.history keeps only series.
    assert history_of(3) == history_of(3, stopped_epoch=3)
    whole = History()
    whole.extend(history_of(2, stopped_epoch=2))
    assert whole == history_of(2) and whole.stopped_epoch is None
