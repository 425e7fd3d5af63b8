import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone


@pytest.fixture
def set_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """Freeze ``timezone.localdate()`` (what the actions, lights and panels call "today") at a given day."""

    def freeze(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return freeze
