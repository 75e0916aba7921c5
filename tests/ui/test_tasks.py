"""The database worker: work off the UI thread, answers on it, in order, and drainable."""

from __future__ import annotations

import threading
import time

import pytest

from iro_desktop.ui.tasks import TaskManager


@pytest.fixture
def threaded(qtbot):
    tasks = TaskManager()
    yield tasks
    tasks.shutdown()


def test_work_runs_on_the_worker_and_answers_on_the_main_thread(threaded, qtbot):
    seen = {}

    def work():
        seen["work"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value):
        seen["done"] = threading.current_thread() is threading.main_thread()
        seen["value"] = value

    threaded.run(work, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen == {"work": False, "done": True, "value": 42}


def test_operations_run_one_at_a_time_in_the_order_asked(threaded, qtbot):
    order = []
    active = []

    def job(i):
        def work():
            active.append(i)
            assert len(active) == 1, "two operations ran at once"
            time.sleep(0.01)
            active.remove(i)
            return i

        return work

    for i in range(6):
        threaded.run(job(i), order.append)
    qtbot.waitUntil(lambda: len(order) == 6, timeout=3000)
    assert order == list(range(6))


def test_failures_reach_on_error_or_the_error_handler(threaded, qtbot):
    caught = []
    threaded.error_handler = lambda exc: caught.append(("handler", str(exc)))

    def boom():
        raise ValueError("the date 31 February is not possible")

    threaded.run(boom, on_error=lambda exc: caught.append(("own", str(exc))))
    threaded.run(boom)
    qtbot.waitUntil(lambda: len(caught) == 2, timeout=3000)
    assert caught == [
        ("own", "the date 31 February is not possible"),
        ("handler", "the date 31 February is not possible"),
    ]


def test_drain_waits_for_a_save_in_progress_and_its_callback(threaded):
    saved = []
    threaded.run(lambda: time.sleep(0.2) or "saved", saved.append)
    assert threaded.drain(timeout=5)
    assert saved == ["saved"]
    assert threaded.pending == 0


def test_busy_signal_brackets_the_work(threaded, qtbot):
    states = []
    threaded.busy_changed.connect(states.append)
    threaded.run(lambda: time.sleep(0.05))
    threaded.drain()
    assert states == [True, False]


def test_synchronous_mode_answers_before_run_returns():
    tasks = TaskManager(synchronous=True)
    got = []
    tasks.run(lambda: threading.current_thread().name, got.append)
    assert got == [threading.main_thread().name]


def test_a_failing_callback_is_reported_and_the_queue_goes_on(threaded, qtbot):
    reported, later = [], []
    threaded.error_handler = reported.append

    def broken(_value):
        raise KeyError("a bug in a screen")

    threaded.run(lambda: 1, broken)
    threaded.run(lambda: 2, later.append)
    qtbot.waitUntil(lambda: later == [2], timeout=3000)
    assert [type(e) for e in reported] == [KeyError]
    assert threaded.pending == 0
