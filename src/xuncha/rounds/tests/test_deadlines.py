"""Deadlines from the committee's settings, the fieldwork end, overdue and due-soon flags, coverage."""

import datetime

import pytest

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.rounds import actions
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.coverage import term_coverage
from xuncha.rounds.models import Inspection, Term

from .conftest import advance, update_settings

D = datetime.date
days = datetime.timedelta


def _walk(world, set_today, start):
    """Move inspection1 through every stage, recording each stage's due date."""
    inspection, office = world.inspection1, world.users["office"]
    dues = {}
    for to in (Stage.REPORTING, Stage.FEEDBACK, Stage.RECTIFYING, Stage.REVIEWING):
        set_today(start)
        actions.transition_inspection(inspection, to=to, by=office)
        dues[to] = inspection.stage_due_on
        start += days(3)
    return dues


def test_due_dates_follow_the_committees_settings(world, set_today):
    ends_on = world.inspection1.fieldwork_ends_on
    update_settings(world.city, report_days=20, feedback_days=10, rectification_report_days=90, review_days=5)
    dues = _walk(world, set_today, ends_on)
    assert dues == {
        Stage.REPORTING: ends_on + days(20),
        Stage.FEEDBACK: ends_on + days(3) + days(10),
        Stage.RECTIFYING: ends_on + days(3) + days(90),  # from the feedback date
        Stage.REVIEWING: ends_on + days(9) + days(5),
    }


@pytest.mark.parametrize(("setting", "value"), [("stationing_days", 3), ("fieldwork_days", 45)])
def test_changing_a_setting_changes_the_due_date(world, team2_ready, set_today, setting, value):
    set_today(D(2027, 3, 1))
    office = world.users["office"]
    actions.transition_inspection(world.inspection2, to=Stage.STATIONED, by=office)
    stationed_due = world.inspection2.stage_due_on
    assert stationed_due == D(2027, 3, 1) + days(7)

    update_settings(world.city, **{setting: value})
    actions.transition_inspection(world.inspection2, to=Stage.FIELDWORK, by=office)
    if setting == "fieldwork_days":
        assert world.inspection2.fieldwork_ends_on == D(2027, 3, 1) + days(45)
        assert world.inspection2.stage_due_on == world.inspection2.fieldwork_ends_on
    else:
        assert world.inspection2.fieldwork_ends_on == D(2027, 3, 1) + days(60)


def test_set_fieldwork_end_extends_with_a_reason_and_is_audited(world, set_today):
    set_today(D(2026, 12, 1))
    inspection, office = world.inspection1, world.users["office"]
    old = inspection.fieldwork_ends_on
    actions.set_fieldwork_end(
        inspection, ends_on=D(2027, 6, 30), reason="问题线索较多，时间服从质量", by=office
    )
    inspection.refresh_from_db()
    assert inspection.fieldwork_ends_on == inspection.stage_due_on == D(2027, 6, 30)
    event = AuditEvent.objects.get(action="inspection.fieldwork_end_changed")
    assert event.details["reason"] == "问题线索较多，时间服从质量"
    assert event.details["changes"]["fieldwork_ends_on"] == [old.isoformat(), "2027-06-30"]


@pytest.mark.parametrize(
    ("ends_on", "reason", "field"),
    [(D(2027, 6, 30), " ", "reason"), (D(2026, 11, 30), "缩短", "ends_on")],
)
def test_set_fieldwork_end_refusals(world, set_today, ends_on, reason, field):
    set_today(D(2026, 12, 1))
    with pytest.raises(Refused) as refused:
        actions.set_fieldwork_end(world.inspection1, ends_on=ends_on, reason=reason, by=world.users["office"])
    assert refused.value.field == field


def test_set_fieldwork_end_is_for_the_office_and_for_fieldwork(world):
    with pytest.raises(NotAllowed):
        actions.set_fieldwork_end(
            world.inspection1, ends_on=D(2099, 1, 1), reason="延长", by=world.users["t1_leader"]
        )
    with pytest.raises(Refused):
        actions.set_fieldwork_end(
            world.inspection2, ends_on=D(2099, 1, 1), reason="延长", by=world.users["office"]
        )


def test_overdue_and_due_soon(world, set_today):
    due = world.inspection1.stage_due_on
    states = {}
    for offset in (-8, -7, 0, 1):
        today = due + days(offset)
        states[offset] = (
            world.inspection1.deadline_state(today),
            world.inspection1.is_overdue(today),
            set(Inspection.objects.overdue(today)),
            set(Inspection.objects.due_soon(today)),
        )
    i1 = {world.inspection1}
    assert states[-8] == ("", False, set(), set())
    assert states[-7] == ("due", False, set(), i1)
    assert states[0] == ("due", False, set(), i1)
    assert states[1] == ("overdue", True, i1, set())


def test_due_soon_window_comes_from_the_settings(world):
    today = world.inspection1.stage_due_on - days(10)
    assert not Inspection.objects.due_soon(today).exists()
    update_settings(world.city, due_soon_days=10)
    assert list(Inspection.objects.due_soon(today)) == [world.inspection1]
    assert Inspection.objects.get(pk=world.inspection1.pk).is_due_soon(today)


def test_archived_inspections_are_never_overdue(world, set_today):
    advance(world.inspection1, Stage.ARCHIVED, by=world.users["office"], set_today=set_today)
    far = D(2099, 1, 1)
    assert not world.inspection1.is_overdue(far)
    assert not Inspection.objects.overdue(far).exists()


def test_term_coverage(world):
    office = world.users["office"]
    term = actions.create_term(
        committee=world.city,
        name="十四届",
        starts_on=D(2026, 1, 1),
        ends_on=D(2030, 12, 31),
        units=[world.unit1, world.unit2, world.unit3],
        by=office,
    )
    assert term_coverage(term) == ([], [world.unit1, world.unit2, world.unit3], 0)
    round2 = actions.create_round(
        committee=world.city,
        number=2,
        name="市委第二轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=D(2027, 3, 1),
        planned_end=D(2027, 5, 31),
        term=term,
        by=office,
    )
    team = actions.create_team(round=round2, name="第一巡察组", by=office)
    for unit in (world.unit1, world.unit2, world.unit1_child):  # unit1_child is not expected in the term
        actions.create_inspection(round=round2, team=team, unit=unit, by=office)
    covered, expected, percent = term_coverage(term)
    assert (covered, len(expected), percent) == ([world.unit1, world.unit2], 3, 66)
    annotated = Term.objects.with_coverage().get(pk=term.pk)
    assert (annotated.covered_count, annotated.expected_count) == (2, 3)
