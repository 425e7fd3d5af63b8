"""Work a serving process does once at start, so that no request pays for it.

Apps register loaders from ``AppConfig.ready`` (intake: jieba's dictionaries, which take seconds to load);
``warm_up()`` runs them where a process is about to serve: the WSGI module (so gunicorn's workers load them
at boot, before accepting a request) and ``xuncha worker``. Tests and other commands never call it, so they
do not pay for what they do not use. A loader must not touch the database: it may run before a fork.
"""

from collections.abc import Callable

_loaders: list[Callable[[], object]] = []


def register_warmup(loader: Callable[[], object]) -> None:
    if loader not in _loaders:
        _loaders.append(loader)


def warm_up() -> int:
    """Run every registered loader; how many ran."""
    for loader in _loaders:
        loader()
    return len(_loaders)
