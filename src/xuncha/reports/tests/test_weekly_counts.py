"""A 周报 is prefilled with what the platform's lists show for that week and inspection: interviews held,
document items provided and received, petitions received (by scope decision), findings (by 三个聚焦 item),
clues (by kind), surveys, other activities and work-log entries. Records of the week before, of the week
after and of the other team's inspection are made too, and must not be counted."""

import datetime
import uuid
from collections import Counter
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.fieldwork.choices import ActivityKind, InterviewStatus, ItemStatus
from xuncha.fieldwork.models import Activity, DocumentItem, DocumentRequest, Interview, Survey
from xuncha.findings.clues import actions as clue_actions
from xuncha.findings.models import Clue, Finding
from xuncha.findings.tests.clue_support import clue_input
from xuncha.findings.tests.support import category, draft, petition, setup
from xuncha.intake.models import Petition
from xuncha.taxonomy.choices import SchemeKind

from .. import weekly
from ..models import WorkLogEntry

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _moved(queryset: QuerySet[Any], **values: Any) -> None:
    """Put records made through the actions at another moment (their dates are set by the actions)."""
    queryset.update(**values)


def _interview(w: SimpleNamespace, inspection: Any, when: datetime.datetime, status: str) -> None:
    Interview(
        inspection=inspection,
        name="谈话对象",
        source="added",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=1),
        status=status,
        created_by=w.users["t1_member"],
    ).save()


def _activity(w: SimpleNamespace, inspection: Any, when: datetime.datetime, kind: str) -> None:
    Activity(
        inspection=inspection,
        kind=kind,
        title="听取工作汇报",
        starts_at=when,
        place="会议室",
        created_by=w.users["t1_member"],
    ).save()


def _survey(inspection: Any, opened: datetime.datetime | None, closed: datetime.datetime | None) -> None:
    Survey(
        inspection=inspection,
        kind="leadership",
        title="民主测评",
        public_code=uuid.uuid4().hex[:16],
        opened_at=opened,
        closed_at=closed,
    ).save()


def _items(w: SimpleNamespace, inspection: Any, rows: list[tuple[datetime.datetime, str]]) -> None:
    request = DocumentRequest(
        inspection=inspection,
        number=1,
        title="调阅资料清单",
        due_on=timezone.localdate(),
        created_by=w.users["t1_member"],
    )
    request.save()
    for position, (when, status) in enumerate(rows, start=1):
        DocumentItem(
            request=request,
            position=position,
            what="会议记录",
            status=status,
            answered_at=when,
            reviewed_at=when if status == ItemStatus.ACCEPTED else None,
        ).save()


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    """Records of inspection1 in last week, the week before and this week, and of inspection2 last week."""
    w = setup(world)
    today = timezone.localdate()
    w.week = weekly.monday(today) - datetime.timedelta(days=7)
    inside, before, after = (
        w.week + datetime.timedelta(days=2),
        w.week - datetime.timedelta(days=2),
        w.week + datetime.timedelta(days=7),
    )
    w.inside = inside
    i1, i2 = w.inspection1, w.inspection2
    with action_scope("test.fieldwork"):
        for inspection, day, status in (
            (i1, inside, InterviewStatus.DONE),
            (i1, w.week, InterviewStatus.DONE),  # Monday 10:00
            (i1, inside, InterviewStatus.PLANNED),  # not held
            (i1, before, InterviewStatus.DONE),
            (i1, after, InterviewStatus.DONE),
            (i2, inside, InterviewStatus.DONE),
        ):
            _interview(w, inspection, _at(day), status)
        for inspection, day, kind in (
            (i1, inside, ActivityKind.BRIEFING),
            (i1, inside, ActivityKind.SYMPOSIUM),
            (i1, w.week + datetime.timedelta(days=6), ActivityKind.BRIEFING),  # Sunday
            (i1, before, ActivityKind.BRIEFING),
            (i2, inside, ActivityKind.MEETING),
        ):
            _activity(w, inspection, _at(day, 23), kind)
        _survey(i1, _at(inside), None)
        _survey(i1, _at(before), _at(inside))
        _survey(i2, _at(inside), _at(inside))
        _items(
            w,
            i1,
            [
                (_at(inside), ItemStatus.PROVIDED),
                (_at(inside), ItemStatus.ACCEPTED),
                (_at(before), ItemStatus.ACCEPTED),
            ],
        )
        _items(w, i2, [(_at(inside), ItemStatus.ACCEPTED)])
        for inspection, day in ((i1, inside), (i1, inside), (i1, before), (i2, inside)):
            WorkLogEntry(inspection=inspection, on_date=day, content="谈话", by=w.users["t1_member"]).save()
        record("test.fieldwork", None, by=None)

    # Petitions: two in the week (one in scope, one not yet decided), one before, one of inspection2.
    in_scope = petition(w, i1, "t1_member", "反映财政局副局长李文华违规报销差旅费。")
    undecided = petition(w, i1, "t1_member", "反映国库支付中心工作人员态度生硬。")
    old = petition(w, i1, "t1_member", "反映会计科账目不清。")
    _moved(Petition.objects.filter(pk=in_scope.pk), received_at=_at(inside), scope="in")
    _moved(Petition.objects.filter(pk=undecided.pk), received_at=_at(inside, 18))
    _moved(Petition.objects.filter(pk=old.pk), received_at=_at(before), scope="out")
    _moved(Petition.objects.filter(pk=w.petition2.pk), received_at=_at(inside))

    # Findings: two in the week under two 三个聚焦 items, one the week before.
    banquet = draft(w)
    promotion = draft(w, title="破格提拔", focus=category(SchemeKind.FOCUS, "3.2"), evidence=[])
    older = draft(w, title="早先的问题", evidence=[])
    _moved(Finding.objects.filter(pk__in=[banquet.pk, promotion.pk]), created_at=_at(inside))
    _moved(Finding.objects.filter(pk=older.pk), created_at=_at(before))

    # Clues: two in the week of two kinds, one withdrawn (not counted), one after the week.
    kept = [
        clue_actions.draft_clue(i1, data=clue_input(w, kind=kind), by=w.users["t1_member"], problem=None)
        for kind in ("discipline", "selection", "discipline", "general")
    ]
    _moved(Clue.objects.filter(pk__in=[c.pk for c in kept[:3]]), created_at=_at(inside))
    _moved(Clue.objects.filter(pk=kept[2].pk), status="withdrawn")
    _moved(Clue.objects.filter(pk=kept[3].pk), created_at=_at(after))
    return w


def _items_of(client: Client, url: str) -> list[dict[str, Any]]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return list(response.json()["items"])


def _days(week: datetime.date) -> list[datetime.date]:
    return [week + datetime.timedelta(days=n) for n in range(7)]


def test_the_prefilled_counts_equal_what_the_lists_show_for_the_week(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    leader = client_for("t1_leader")
    report = weekly.start_weekly_report(w.inspection1, week_start=w.inside, by=w.users["t1_member"])
    counts = report.counts
    assert report.week_start == w.week and report.due_on == w.week + datetime.timedelta(days=7)
    i1 = w.inspection1.pk
    since, until = w.week.isoformat(), (w.week + datetime.timedelta(days=6)).isoformat()

    held = sum(
        len(_items_of(leader, f"/api/v1/interviews/?inspection={i1}&status=done&date={day.isoformat()}"))
        for day in _days(w.week)
    )
    assert counts["interviews_held"] == held == 2

    activities = _items_of(leader, f"/api/v1/activities/?inspection={i1}&since={since}&until={until}")
    assert counts["activities"] == len(activities) == 3
    assert counts["activities_by_kind"] == dict(Counter(a["kind"] for a in activities))

    petitions = _items_of(
        leader, f"/api/v1/petitions/?inspection={i1}&received_from={since}&received_to={until}"
    )
    assert counts["petitions_received"] == len(petitions) == 2
    in_scope = _items_of(
        leader, f"/api/v1/petitions/?inspection={i1}&received_from={since}&received_to={until}&scope=in"
    )
    assert counts["petitions_by_scope"] == {"in": len(in_scope), "undecided": len(petitions) - len(in_scope)}

    start, end = _at(w.week, 0), _at(w.week + datetime.timedelta(days=7), 0)
    listed = {f["id"]: f for f in _items_of(leader, f"/api/v1/findings/?inspection={i1}")}
    in_week = Finding.objects.filter(pk__in=listed, created_at__gte=start, created_at__lt=end)
    assert counts["findings"] == in_week.count() == 2
    by_focus = Counter(listed[pk]["focus_id"] for pk in in_week.values_list("pk", flat=True))
    assert sorted(row["count"] for row in counts["findings_by_focus"]) == sorted(by_focus.values())
    assert {row["code"] for row in counts["findings_by_focus"]} == {"2.4", "3.2"}

    clues = [
        c
        for c in _items_of(leader, f"/api/v1/clues/?inspection={i1}")
        if c["status"] != "withdrawn" and start <= datetime.datetime.fromisoformat(c["created_at"]) < end
    ]
    assert counts["clues"] == len(clues) == 2
    assert counts["clues_by_kind"] == dict(Counter(c["kind"] for c in clues))

    surveys = _items_of(leader, f"/api/v1/surveys/?inspection={i1}")

    def within(value: str | None) -> bool:
        return value is not None and start <= datetime.datetime.fromisoformat(value) < end

    assert counts["surveys_opened"] == sum(within(s["opened_at"]) for s in surveys) == 1
    assert counts["surveys_closed"] == sum(within(s["closed_at"]) for s in surveys) == 1

    items = DocumentItem.objects.visible_to(w.users["t1_leader"]).filter(request__inspection=w.inspection1)
    assert counts["documents_provided"] == items.filter(answered_at__gte=start, answered_at__lt=end).count()
    assert counts["documents_provided"] == 2 and counts["documents_reviewed"] == 1

    log = _items_of(leader, f"/api/v1/work-log-entries/?inspection={i1}&since={since}&until={until}")
    assert counts["work_log_entries"] == len(log) == 2

    # The narrative starts from the same figures.
    assert "个别谈话（已谈话）2人次" in report.narrative and "受理信访件2件" in report.narrative


def test_the_counts_are_a_few_aggregate_queries_whatever_the_data(
    w: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    from .. import weekly_counts

    with django_assert_max_num_queries(10):
        weekly_counts.week_counts(w.inspection1, w.week)
