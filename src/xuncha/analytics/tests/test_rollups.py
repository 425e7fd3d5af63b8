"""The dashboard's rollups stay exact: after each write that changes the counts (a petition registered,
triaged again, merged into a matter or out of it; a finding signed off; an item closed, given a milestone,
deleted; a plan approved) they equal a recount of the base tables, and ``xuncha analytics rollup`` finds and
repairs a difference."""

import contextlib
import datetime
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.analytics import rollups
from xuncha.analytics.models import Dimension, ItemTally, Tally
from xuncha.core.audit import action_scope, record
from xuncha.findings.choices import FindingStatus
from xuncha.intake.actions.duplicates import confirm_duplicates, leave_group
from xuncha.intake.actions.triage import triage_petition
from xuncha.intake.choices import Channel, Decision, Scope, ScopeReason
from xuncha.intake.tests.conftest import letter
from xuncha.intake.tests.triage_support import with_defaults
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.models import Milestone
from xuncha.rounds.models import Inspection

from .figures_support import build, days, finding, item


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return with_defaults(world)


def _tally(inspection: Inspection, dimension: Dimension) -> dict[str | int | None, int]:
    rows = Tally.objects.filter(inspection=inspection, dimension=dimension)
    return {r.category_id or r.value: r.n for r in rows}


def _closed_items(inspection: Inspection) -> int:
    return sum(ItemTally.objects.filter(inspection=inspection, closed=True).values_list("n", flat=True))


def _exact() -> bool:
    return rollups.check() == []


def test_registering_triaging_and_merging_petitions_keep_the_tallies_exact(w):
    i1 = w.inspection1
    first = letter(w, "张局长公款吃喝")
    second = letter(w, "张局长用公款吃喝")
    assert _exact()
    assert _tally(i1, Dimension.CHANNEL) == {"letter": 2}
    assert _tally(i1, Dimension.SCOPE) == {"": 2}

    triage_petition(
        first,
        decision=Decision.ACCEPT,
        scope=Scope.IN,
        scope_reason=ScopeReason.LEADERSHIP,
        discipline=w.integrity,
        focus=w.eight_rules,
        persons=[w.principal1],
        by=w.users["t1_member"],
    )
    assert _exact()
    assert _tally(i1, Dimension.SCOPE) == {"": 1, Scope.IN: 1}
    assert _tally(i1, Dimension.FOCUS) == {"": 1, w.eight_rules.pk: 1}

    # Merged into one matter with one UPDATE of the petitions (no signal): its audit event is the hook.
    confirm_duplicates(first, others=[second], by=w.users["t1_member"])
    assert _exact()
    (group,) = _tally(i1, Dimension.GROUP)
    assert _tally(i1, Dimension.GROUP) == {group: 2}

    # Leaving dissolves the group (deleted: its last petition's group is set to null by the database).
    second.refresh_from_db()  # moved into the group by an UPDATE
    leave_group(second, by=w.users["t1_member"], reason="确认有误")
    assert _exact()
    assert _tally(i1, Dimension.GROUP) == {}


def test_findings_and_items_keep_the_tallies_exact(world):
    w = build(world)
    i1 = w.inspection1
    assert _exact()
    signed = sum(_tally(i1, Dimension.FINDING_FOCUS).values())
    with action_scope("test.rollups"):
        draft = finding(i1, w.focus_b, FindingStatus.DRAFT)
        assert sum(_tally(i1, Dimension.FINDING_FOCUS).values()) == signed
        draft.status = FindingStatus.SIGNED_OFF
        draft.save()
        assert _tally(i1, Dimension.FINDING_FOCUS)[w.focus_b.pk] == 2
        assert _exact()

        late = item(i1, days(-3))
        assert ItemTally.objects.get(inspection=i1, next_due=days(-3)).n == 1
        # An open milestone brings the next deadline forward; closing the item moves it to the closed ones.
        milestone = Milestone(item=late, sequence=1, goal="第一阶段", due_on=days(-20))
        milestone.save()
        assert ItemTally.objects.filter(inspection=i1, next_due=days(-3)).count() == 0
        assert _exact()
        milestone.status = ItemStatus.CLOSED
        milestone.save()
        late.status, late.closed_at = ItemStatus.CLOSED, timezone.now()
        late.save()
        assert _exact()
        closed = _closed_items(i1)
        late.delete()
        assert _closed_items(i1) == closed - 1
        record("test.rollups", by=None)
    assert _exact()


def test_the_command_reports_a_difference_and_the_rebuild_repairs_it(world, capsys):
    w = build(world)
    call_command("analytics", "rollup", "--check")
    assert "一致" in capsys.readouterr().out
    row = Tally.objects.filter(inspection=w.inspection1, dimension=Dimension.CHANNEL).first()
    assert row is not None
    Tally.objects.filter(pk=row.pk).update(n=row.n + 1)
    ItemTally.objects.filter(inspection=w.inspection1).delete()
    with pytest.raises(SystemExit) as exited:
        call_command("analytics", "rollup", "--check")
    assert exited.value.code == 1
    assert "不一致" in capsys.readouterr().err
    call_command("analytics", "rollup", "--rebuild")
    assert _exact()


@contextlib.contextmanager
def _action() -> Iterator[None]:
    """A direct save as an audited action (every save is one, in a transaction)."""
    with action_scope("test.rollups"):
        yield
        record("test.rollups", by=None)


def _statements(queries: CaptureQueriesContext) -> str:
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_a_petition_save_applies_its_difference_without_recounting(w):
    """A registration or a triage adds the petition's row to its tallies and takes it out of the old ones
    (no GROUP BY over the inspection's petitions); a month or a channel not yet counted gets its row, a
    count falling to zero loses it."""
    i1 = w.inspection1
    first = letter(w, "张局长公款吃喝")
    with CaptureQueriesContext(connection) as queries, _action():
        first.channel, first.received_at = Channel.PHONE, timezone.now() - datetime.timedelta(days=400)
        first.save(update_fields=["channel", "received_at"])
    assert "GROUP BY" not in _statements(queries)
    assert _exact()
    assert _tally(i1, Dimension.CHANNEL) == {Channel.PHONE: 1}  # the letter's row is gone
    assert len(_tally(i1, Dimension.MONTH)) == 1
    with CaptureQueriesContext(connection) as queries:
        triage_petition(
            first,
            decision=Decision.ACCEPT,
            scope=Scope.IN,
            scope_reason=ScopeReason.LEADERSHIP,
            discipline=w.integrity,
            focus=w.eight_rules,
            persons=[w.principal1],
            by=w.users["t1_member"],
        )
    assert "GROUP BY" not in _statements(queries)
    assert _exact()
    assert _tally(i1, Dimension.DISCIPLINE) == {w.integrity.pk: 1}
    # The worker's analysis names only columns that are not counted: nothing is read for the rollups.
    with CaptureQueriesContext(connection) as queries, _action():
        first.save(update_fields=["analysed_at"])
    assert "analytics_tally" not in _statements(queries)


def test_a_petition_moved_to_another_inspection_leaves_one_and_joins_the_other(w):
    first = letter(w, "张局长公款吃喝")
    with _action():
        first.inspection = w.inspection2
        first.save()
    assert _exact()
    assert _tally(w.inspection1, Dimension.CHANNEL) == {}
    assert _tally(w.inspection2, Dimension.CHANNEL)[Channel.LETTER] >= 1


def test_a_rollup_that_is_not_what_the_difference_assumes_is_recounted(w):
    """Deltas cannot make a difference worse: a row to lower that is missing or too low makes the save
    recount its inspection."""
    i1 = w.inspection1
    first = letter(w, "张局长公款吃喝")
    letter(w, "李局长违规发放津贴")
    Tally.objects.filter(inspection=i1, dimension=Dimension.CHANNEL).delete()  # lost somehow
    with CaptureQueriesContext(connection) as queries, _action():
        first.channel = Channel.VISIT
        first.save()
    assert "GROUP BY" in _statements(queries)
    assert _exact()
    assert _tally(i1, Dimension.CHANNEL) == {Channel.LETTER: 1, Channel.VISIT: 1}
    Tally.objects.filter(inspection=i1, dimension=Dimension.SCOPE).update(n=0)
    with _action():
        first.scope = Scope.IN
        first.save()
    assert _exact()
    assert _tally(i1, Dimension.SCOPE) == {"": 1, Scope.IN: 1}
