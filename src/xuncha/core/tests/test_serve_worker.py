"""`xuncha serve --with-worker` (the default under XUNCHA_DEMO): the worker starts with the server, at a
lower CPU priority, and stops with it, stopped only by the process that started it."""

import sys
from typing import Any

import pytest
from django.core.management import call_command

from xuncha.core.management.commands import serve


class Recorder:
    """Stands for gunicorn and for the worker's process: what was started, and what stopped."""

    def __init__(self) -> None:
        self.started: list[list[str]] = []
        self.niced: list[int] = []
        self.stopped = 0
        self.served = 0

    def popen(self, command: list[str], preexec_fn: Any) -> "Recorder":
        self.started.append(command)
        self.preexec_fn = preexec_fn
        return self

    def terminate(self) -> None:
        self.stopped += 1

    def wait(self, timeout: float) -> int:
        return 0

    def run(self) -> None:
        self.served += 1
        raise SystemExit(0)  # as gunicorn's arbiter leaves, on a signal


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorded = Recorder()
    monkeypatch.setattr(serve.subprocess, "Popen", recorded.popen)
    monkeypatch.setattr(serve, "WSGIApplication", lambda usage: recorded)
    monkeypatch.setattr(serve.os, "nice", recorded.niced.append)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    return recorded


@pytest.mark.parametrize(
    ("demo", "flags", "with_worker"),
    [
        (True, [], True),
        (False, [], False),
        (False, ["--with-worker"], True),
        (True, ["--no-with-worker"], False),
    ],
)
def test_the_worker_runs_with_the_server_when_asked_or_in_the_demo(
    recorder: Recorder, settings: Any, demo: bool, flags: list[str], with_worker: bool
) -> None:
    settings.XUNCHA_DEMO = demo
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123", *flags)
    assert recorder.served == 1
    if not with_worker:
        assert recorder.started == [] and recorder.stopped == 0
        return
    assert recorder.started == [[sys.executable, "-m", "xuncha.cli", "worker"]]
    assert recorder.stopped == 1  # stopped when the server stops
    recorder.preexec_fn()  # run in the worker's process before it starts
    assert recorder.niced == [serve.WORKER_NICE]


def test_a_forked_server_process_leaving_does_not_stop_the_worker(
    recorder: Recorder, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.XUNCHA_DEMO = True
    pids = iter([100])  # the server, then a gunicorn worker forked from it, leaving through handle
    monkeypatch.setattr(serve.os, "getpid", lambda: next(pids, 200))
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123")
    assert recorder.started and recorder.stopped == 0
