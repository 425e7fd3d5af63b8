"""Helpers for the rounds tests: a settable "today", objects the world lacks, and walking an inspection
through its stages with the real actions."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.models import User
from xuncha.orgs.models import Committee, CommitteeSettings, Inspector, InspectorRelative, Unit
from xuncha.rounds import actions, checks
from xuncha.rounds.choices import STAGE_ORDER, Stage, TeamRole
from xuncha.rounds.models import Inspection
from xuncha.rounds.tests.plan_support import approve_plan_for_tests


@pytest.fixture(autouse=True)
def stage_machine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage machine without the other apps' transition checks (a team report final before 反馈, …):
    each app tests its own checks; test_archive.py overrides this fixture to test them joined."""
    monkeypatch.setattr(checks, "_checks", {})


@pytest.fixture
def set_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """Freeze ``timezone.localdate()`` (what the actions and models call "today") at a given day."""

    def freeze(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return freeze


def save_for_test(obj: Any) -> Any:
    """Org data the orgs actions would create; saved in an audited scope like the world fixture."""
    with action_scope("test.setup"):
        obj.save()
        record("test.setup", obj, by=None)
    return obj


def new_inspector(
    committee: Committee, name: str, *, user: User | None = None, home_unit: Unit | None = None
):
    return save_for_test(Inspector(committee=committee, name=name, user=user, home_unit=home_unit))


def declare_relative(inspector: Inspector, unit: Unit) -> InspectorRelative:
    return save_for_test(InspectorRelative(inspector=inspector, name="赵某", relation="配偶", unit=unit))


def update_settings(committee: Committee, **values: Any) -> CommitteeSettings:
    committee_settings = CommitteeSettings.objects.get(committee=committee)
    for name, value in values.items():
        setattr(committee_settings, name, value)
    return save_for_test(committee_settings)


@pytest.fixture
def team2_ready(world: SimpleNamespace) -> SimpleNamespace:
    """Give team2 a leader with an account (``t2_leader``), so inspection2 may be stationed."""
    user = User.objects.create_user(username="t2_leader", full_name="郑伟")
    world.users["t2_leader"] = user
    world.inspector_t2_leader = new_inspector(world.city, "郑伟", user=user)
    actions.add_team_member(
        team=world.team2, inspector=world.inspector_t2_leader, role=TeamRole.LEADER, by=world.users["office"]
    )
    approve_plan_for_tests(world.round)  # the new leader trained and committed
    return world


def advance(inspection: Inspection, to: str, *, by: User, set_today: Callable[[datetime.date], None]) -> None:
    """Walk ``inspection`` stage by stage up to ``to``, jumping the clock past each due date."""
    while inspection.stage != to:
        nxt = STAGE_ORDER[STAGE_ORDER.index(inspection.stage) + 1]
        if nxt == Stage.REPORTING and inspection.fieldwork_ends_on:
            set_today(inspection.fieldwork_ends_on)
        actions.transition_inspection(inspection, to=nxt, by=by)
