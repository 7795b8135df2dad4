"""The one mechanism of train's extras: hooks in order, stopping, and EarlyStopping."""

import numpy as np
import pytest

import gone
from gone.callbacks import EachEpoch, as_training_callbacks


def noise_task(seed=0):
    """Pure noise: a 5-32-1 tanh network overfits it, so early stopping stops within ~10 epochs."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 5))
    train = gone.DataSet.from_arrays(X[:20], rng.normal(size=(20, 1)))
    val = gone.DataSet.from_arrays(X[20:], rng.normal(size=(20, 1)))
    return train, val


def noise_net(seed=0):
    return gone.NeuralNetwork(
        [gone.Layer(5), gone.Layer(32, gone.Tanh()), gone.Layer(1)], learning_rate=0.05, seed=seed
    )


class Recorder(gone.Callback):
    def __init__(self, log, name, stop_at=None):
        self.log, self.name, self.stop_at = log, name, stop_at

    def on_train_begin(self, network):
        self.log.append((self.name, "begin", type(network).__name__))

    def on_epoch_end(self, record):
        self.log.append((self.name, "epoch", record.epoch))
        return record.epoch == self.stop_at

    def on_train_end(self, history):
        self.log.append((self.name, "end", len(history), history.stopped_epoch))


def test_hooks_are_called_in_order_and_a_callback_can_stop():
    log = []
    train, _ = noise_task()
    history = noise_net().train(
        gone.GD(),
        train,
        10,
        on_epoch=[Recorder(log, "a", stop_at=2), log.append, Recorder(log, "b")],
    )
    assert len(history) == 2 and history.stopped_epoch == 2
    assert log[0] == ("a", "begin", "NeuralNetwork")
    assert [entry[:2] for entry in log if isinstance(entry, tuple)] == [
        ("a", "begin"),
        ("b", "begin"),
        ("a", "epoch"),
        ("b", "epoch"),
        ("a", "epoch"),
        ("b", "epoch"),  # every callback hears the epoch that stopped the call
        ("a", "end"),
        ("b", "end"),
    ]
    assert [e.epoch for e in log if isinstance(e, gone.EpochRecord)] == [1, 2]  # plain function


def test_plain_functions_cannot_stop_training_by_what_they_return():
    history = noise_net().train(gone.GD(), noise_task()[0], 3, on_epoch=lambda record: True)
    assert len(history) == 3 and history.stopped_epoch is None


def test_callbacks_hear_the_end_of_a_diverged_call():
    log = []
    net = gone.NeuralNetwork([gone.Layer(1), gone.Layer(1)], learning_rate=10.0, seed=0)
    data = gone.DataSet.from_arrays(np.linspace(-100, 100, 20)[:, None], np.linspace(0, 1, 20))
    ends = []

    class End(gone.Callback):
        def on_train_end(self, history):
            ends.append(history.diverged_epoch)

    with pytest.raises(gone.DivergenceError) as info:
        net.train(gone.GD(), data, 1000, on_epoch=[Recorder(log, "a"), End()])
    assert ends == [info.value.epoch] and log[-1][1] == "end"


def test_as_training_callbacks():
    recorder = Recorder([], "r")
    assert as_training_callbacks(None) == []
    assert as_training_callbacks(recorder) == [recorder]
    (wrapped,) = as_training_callbacks(print)
    assert isinstance(wrapped, EachEpoch) and wrapped.function is print
    with pytest.raises(
        gone.ConfigError,
        match="on_epoch: expected a callable, a gone.Callback or a list of them, got 3",
    ):
        as_training_callbacks(3)
    with pytest.raises(
        gone.ConfigError, match="on_epoch: expected callables or gone.Callbacks, got 'x'"
    ):
        as_training_callbacks([print, "x"])


# ---- EarlyStopping ----------------------------------------------------------------------------


def test_early_stopping_restores_the_best_epoch_and_says_so():
    train, val = noise_task()
    net = noise_net()
    stopping = gone.EarlyStopping(patience=5)
    history = net.train(gone.Adam(5), train, 500, validation=val, early_stopping=stopping)
    best = stopping.best_epoch
    assert best == int(np.argmin(history.val_loss)) + 1
    assert len(history) == best + 5 == stopping.stopped_epoch == history.stopped_epoch
    assert history.restored_epoch == best
    assert net.evaluate(val).loss == history.val_loss[best - 1]  # exactly
    assert "stopped early after epoch" in repr(history)


def test_early_stopping_restores_the_optimizer_state_of_the_best_epoch_too():
    # The weights of epoch `best` came with Adam's moments and step count of epoch `best`: a
    # network trained exactly `best` epochs has both, bit for bit, so saving or training on
    # from the restored network is as if it had stopped right there.
    train, val = noise_task()
    stopped = noise_net()
    stopping = gone.EarlyStopping(patience=5)
    stopped.train(gone.Adam(5), train, 500, validation=val, early_stopping=stopping)
    straight = noise_net()
    straight.train(gone.Adam(5), train, stopping.best_epoch)
    for p, q in zip(stopped.parameters(), straight.parameters()):
        assert p.tobytes() == q.tobytes()
    assert stopped.optimizer.steps == straight.optimizer.steps == stopping.best_epoch * 4
    a, b = stopped.optimizer.state()["slots"], straight.optimizer.state()["slots"]
    for name in ("m", "v"):
        for x, y in zip(a[name], b[name]):
            assert x.tobytes() == y.tobytes()


def test_each_train_call_starts_early_stopping_afresh():
    train, val = noise_task()
    stopping = gone.EarlyStopping(patience=5)
    first = noise_net(seed=0)
    first.train(gone.GD(), train, 500, validation=val, early_stopping=stopping)
    # A second network: it used to stop at once (its losses never beat the first's best) and
    # could be handed the first network's weights.
    second = noise_net(seed=1)
    history = second.train(gone.GD(), train, 500, validation=val, early_stopping=stopping)
    assert stopping.best_epoch == int(np.argmin(history.val_loss)) + 1
    assert len(history) == stopping.best_epoch + 5
    assert second.evaluate(val).loss == min(history.val_loss)
    # A second call on the same network: the best is that call's, counted on from its epochs.
    again = second.train(gone.GD(), train, 500, validation=val, early_stopping=stopping)
    assert stopping.best_epoch > len(history)
    assert second.evaluate(val).loss == min(again.val_loss)


def test_without_restore_best_the_last_weights_stay():
    train, val = noise_task()
    net = noise_net()
    stopping = gone.EarlyStopping(patience=3, restore_best=False)
    history = net.train(gone.GD(), train, 500, validation=val, early_stopping=stopping)
    assert history.restored_epoch is None and history.stopped_epoch == len(history)
    assert net.evaluate(val).loss == history.val_loss[-1]
    assert net.optimizer.steps == len(history)


def test_a_call_that_runs_out_of_epochs_still_restores_the_best():
    train, val = noise_task()
    net = noise_net()
    history = net.train(gone.GD(), train, 4, validation=val, early_stopping=gone.EarlyStopping(50))
    assert history.stopped_epoch is None
    assert history.restored_epoch == int(np.argmin(history.val_loss)) + 1
    assert net.evaluate(val).loss == min(history.val_loss)


def test_early_stopping_needs_a_validation_loss():
    train, _ = noise_task()
    with pytest.raises(gone.ConfigError, match="early_stopping: expected validation data"):
        noise_net().train(gone.GD(), train, 5, early_stopping=gone.EarlyStopping())
    with pytest.raises(
        gone.ConfigError, match="EarlyStopping: expected a validation loss to watch"
    ):
        noise_net().train(gone.GD(), train, 5, on_epoch=gone.EarlyStopping())


def test_early_stopping_settings():
    assert gone.EarlyStopping(np.int64(5)).patience == 5  # numpy ints, as everywhere
    assert gone.EarlyStopping(3, min_delta=np.float32(0.5)).min_delta == 0.5
    assert (
        repr(gone.EarlyStopping(3)) == "EarlyStopping(patience=3, min_delta=0.0, restore_best=True)"
    )
