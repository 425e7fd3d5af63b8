"""`xuncha serve --with-worker` (the default under XUNCHA_DEMO): the worker starts with the server, at a
lower CPU priority, and stops with it, stopped only by the process that started it. Serving processes load
what requests need (core.warmup) before their first request; the request timeout is an option."""

import importlib
import sys
from typing import Any

import jieba
import pytest
from django.core.management import call_command

from xuncha.core import warmup
from xuncha.core.management.commands import serve, worker
from xuncha.intake import search
from xuncha.intake.triage import words


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


@pytest.mark.parametrize(
    ("flags", "env", "timeout"), [([], None, "120"), ([], "45", "45"), (["--timeout", "300"], "45", "300")]
)
def test_the_request_timeout_is_an_option(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, flags: list[str], env: str | None, timeout: str
) -> None:
    if env is not None:
        monkeypatch.setenv("XUNCHA_TIMEOUT", env)
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123", "--no-with-worker", *flags)
    assert f"--timeout={timeout}" in sys.argv and "--preload" in sys.argv


def test_a_serving_process_loads_what_requests_need_before_the_first_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded: list[str] = []
    monkeypatch.setattr(warmup, "_loaders", [lambda: loaded.append("loader")])
    monkeypatch.delitem(sys.modules, "xuncha.wsgi", raising=False)
    importlib.import_module("xuncha.wsgi")
    assert loaded == ["loader"]
    monkeypatch.setattr(worker, "call_command", lambda *args, **kwargs: loaded.append("worker"))
    call_command("worker", "--batch")
    assert loaded == ["loader", "loader", "worker"]  # the worker loads before its first task


def test_intake_loads_the_jieba_dictionaries_at_start() -> None:
    assert search.loaded in warmup._loaders and words.loaded in warmup._loaders
    warmup.warm_up()
    assert jieba.dt.initialized and words._tokenizer is not None and words._tokenizer.initialized
