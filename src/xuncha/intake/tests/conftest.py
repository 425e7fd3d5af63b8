"""Fixtures of intake's tests: an inspection receiving petitions, with its published announcement."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import TestCase
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.intake.actions.petitions import PetitionInput, register_petition, submit_public_petition
from xuncha.intake.models import Announcement, Petition


def announce(inspection, **overrides) -> Announcement:  # type: ignore[no-untyped-def]
    """A published announcement whose window is open now (built directly: its actions are tested apart)."""
    now = timezone.now()
    values = {
        "public_code": f"test{inspection.pk}",
        "window_starts_at": now - datetime.timedelta(days=5),
        "window_ends_at": now + datetime.timedelta(days=50),
        "phone": "0791-12345678",
        "duty_hours": "每天 8:00—20:00",
        "duty_starts": datetime.time(8),
        "duty_ends": datetime.time(20),
        "postal_box": "江东市 A 信箱",
        "email": "xuncha1@example.cn",
        "box_locations": "市财政局一楼大厅",
        "visit_place": "市财政局 5 楼 501 室",
        "published_at": now - datetime.timedelta(days=5),
    }
    values.update(overrides)
    with action_scope("test.announce"):
        created = Announcement.objects.create(inspection=inspection, **values)
        record("test.announce", created, by=None)
    return created


def letter(world: SimpleNamespace, content: str, *, by: str = "t1_member", **fields) -> Petition:  # type: ignore[no-untyped-def]
    data = PetitionInput(content=content, channel="letter", **fields)
    return register_petition(world.inspection1, data=data, by=world.users[by])


def submitted(announcement: Announcement, data: PetitionInput) -> tuple[Petition, str]:
    """A public submission as committed: its analysis, enqueued on commit, runs (the immediate backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return submit_public_petition(announcement, data=data)


@pytest.fixture
def announcement(world: SimpleNamespace) -> Announcement:
    return announce(world.inspection1)
