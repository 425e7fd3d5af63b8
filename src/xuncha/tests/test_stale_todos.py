"""Stale to-dos end (issue 16, item 6): after archiving an inspection, no home page lists any of its to-dos.

The test world's inspection 1 gets open work of every kind a home page lists: an issued document request
whose items are overdue (the liaison's 待提供 list, the team's 逾期 list), a future interview (the
member's 我的谈话安排, the liaison's 待确认), a 边巡边改 item due soon (every 整改 panel), and notifications
(the reminder engine's overdue notices and escalations, the item's notice to the liaison). Team 1
inspects a second unit, so its roles outlive the archiving (the caveat: access stays, the home pages must
still not list the archived work); the liaison is reappointed after its role ended with the archiving.
Every persona's home page is read before (each marker is listed somewhere) and after (no marker anywhere).
"""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuncha.core import actions as accounts
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import Role
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.notifications import unread_count
from xuncha.core.reminders import send_reminders
from xuncha.fieldwork import closing
from xuncha.fieldwork.actions import documents, interviews
from xuncha.fieldwork.actions.notices import NoticeInput, report_notice
from xuncha.fieldwork.choices import InterviewStatus, ItemStatus
from xuncha.fieldwork.models import DocumentItem, Interview
from xuncha.orgs.choices import UnitType
from xuncha.orgs.models import Unit
from xuncha.rectification.actions import items as rectification
from xuncha.rectification.actions.self_check import SelfCheckInput, report_self_check
from xuncha.rectification.choices import ItemKind
from xuncha.rounds import actions as rounds
from xuncha.rounds import checks
from xuncha.rounds.choices import STAGE_ORDER, Stage
from xuncha.rounds.models import Inspection

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]

PERSONAS = (
    "office",
    "leader",
    "t1_leader",
    "t1_member",
    "t2_member",
    "liaison1",
    "jiwei",
    "zuzhibu",
    "custodian",
    "auditor",
    "sysadmin",
    "county_office",
)


@pytest.fixture(autouse=True)
def stage_machine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Archive with work left open: the other apps' transition checks (every petition disposed …) are
    tested on their own; here the open work must end however the inspection got archived."""
    monkeypatch.setattr(checks, "_checks", {})


def _open_work(w: SimpleNamespace) -> dict[str, str]:
    """Open work of every kind in inspection 1; marker (text or link the home pages show) → what it is."""
    today = timezone.localdate()
    t1_member, t1_leader = w.users["t1_member"], w.users["t1_leader"]
    request = documents.start_document_request(w.inspection1, by=t1_member)
    documents.issue_document_request(request, by=t1_member)
    # Overdue: the liaison is reminded, the team leader and office escalated to, the team's panel lists them.
    with action_scope("test.setup"):
        type(request).objects.filter(pk=request.pk).update(due_on=today - datetime.timedelta(days=2))
        record("test.setup", request, by=None)
    first = request.items.order_by("position").first()
    assert first is not None
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    slot = {"starts_at": start, "ends_at": start + datetime.timedelta(hours=1)}
    pair = [w.inspector_t1_leader, w.inspector_t1_member]
    interview = interviews.add_interview(
        w.inspection1, person=w.deputy1, place="巡察组谈话室", inspectors=pair, by=t1_member, **slot
    )
    item = rectification.issue_item(
        w.inspection1,
        issue="食堂账目不公开",
        measure="食堂账目按月公示",
        kind=ItemKind.IMMEDIATE,
        leader="李文华",
        department="机关服务中心",
        due_on=today + datetime.timedelta(days=2),
        by=t1_leader,
    )
    # What the unit told the team, still waiting for the team's decision.
    liaison = w.users["liaison1"]
    meeting = NoticeInput(
        kind="meeting", subject="局党组理论学习中心组学习", starts_at=start, place="三楼会议室"
    )
    notice = report_notice(w.inspection1, data=meeting, by=liaison)
    problem = SelfCheckInput(
        problem="公务用车登记不全",
        measure="补登记并建立台账",
        leader="李文华",
        department="办公室",
        due_on=today + datetime.timedelta(days=10),
    )
    self_check = report_self_check(w.inspection1, data=problem, by=liaison)
    sent = send_reminders(today)
    assert {n.recipient.username for n in sent} >= {"liaison1", "t1_leader", "office", "leader"}
    return {
        reverse("fieldwork:notice-detail", args=[notice.pk]): "unit notice to decide on",
        reverse("rectification:self-check", args=[self_check.pk]): "self-check problem to decide on",
        f"#item-{first.pk}": "document item owed",
        reverse("fieldwork:interview-detail", args=[interview.pk]): "interview to come",
        reverse("rectification:item", args=[item.pk]): "rectification item due soon",
        f"{w.team1.name}调阅资料清单第{request.number}号": "document reminder notification",
        f"边巡边改事项（{item.code}）": "rectification item notification",
    }


def _homes(client_for: ClientFor, markers: dict[str, str]) -> dict[str, set[str]]:
    """Marker → the personas whose home page shows it."""
    seen: dict[str, set[str]] = {marker: set() for marker in markers}
    for persona in PERSONAS:
        response = client_for(persona).get("/")
        assert response.status_code == 200, persona
        page = response.content.decode()
        for marker in markers:
            if marker in page:
                seen[marker].add(persona)
    return seen


def _archive(inspection: Inspection, w: SimpleNamespace, until: str = Stage.ARCHIVED) -> None:
    office = w.users["office"]
    with action_scope("test.setup"):
        Inspection.objects.filter(pk=inspection.pk).update(fieldwork_ends_on=timezone.localdate())
        record("test.setup", inspection, by=None)
    inspection.refresh_from_db()
    while inspection.stage != until:
        nxt = STAGE_ORDER[STAGE_ORDER.index(inspection.stage) + 1]
        rounds.transition_inspection(inspection, to=nxt, by=office)


def test_after_archiving_no_home_page_lists_any_of_its_to_dos(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    w = world
    with action_scope("test.setup"):
        audit_office = Unit.objects.create(committee=w.city, name="市审计局", unit_type=UnitType.ORGAN)
        record("test.setup", audit_office, by=None)
    # Team 1 inspects a second unit: its roles outlive inspection 1's archiving.
    other = rounds.create_inspection(round=w.round, team=w.team1, unit=audit_office, by=w.users["office"])
    markers = _open_work(w)

    before = _homes(client_for, markers)
    for marker, what in markers.items():
        assert before[marker], f"before archiving, no home page lists the {what}"
    assert before[next(m for m, what in markers.items() if what == "interview to come")] >= {"t1_member"}
    assert "liaison1" in before[next(m for m, what in markers.items() if what == "document item owed")]

    _archive(w.inspection1, w)
    # The liaison's role ended with the unit's last inspection; a later grant gives its read access back.
    accounts.grant_role(
        user=w.users["liaison1"], role=Role.UNIT_LIAISON, scope_id=w.unit1.pk, by=w.users["office"]
    )
    assert client_for("t1_member").get(f"/rounds/inspections/{w.inspection1.pk}/").status_code == 200

    after = _homes(client_for, markers)
    assert {markers[m]: personas for m, personas in after.items() if personas} == {}

    # What closed, and why: each closure is an event.
    owed = DocumentItem.objects.filter(request__inspection=w.inspection1)
    assert set(owed.values_list("status", flat=True)) == {ItemStatus.MISSING}
    assert Interview.objects.get(inspection=w.inspection1).status == InterviewStatus.CANCELLED
    closed = AuditEvent.objects.filter(action__in=("document_item.not_provided", "interview.closed"))
    assert closed.count() == owed.count() + 1
    assert {e.details["reason"] for e in closed} == {
        "了解阶段结束时单位尚未提供",
        "巡察已归档，谈话未进行，自动取消",
    }
    # No notification about the archived work is left to act on (those left are about team 1's other
    # inspection, late in its preparation); the badge counts none of them.
    left = Notification.objects.filter(handled_at__isnull=True)
    assert {(n.subject_type, n.subject_id) for n in left} <= {("rounds.inspection", str(other.pk))}
    assert unread_count(w.users["liaison1"]) == 0
    for persona in ("t1_leader", "office", "leader"):
        assert unread_count(w.users[persona]) == left.filter(recipient=w.users[persona]).count(), persona


def test_the_daily_job_no_longer_reminds_of_an_archived_inspections_work(world: SimpleNamespace) -> None:
    w = world
    _open_work(w)
    _archive(w.inspection1, w)
    assert send_reminders(timezone.localdate() + datetime.timedelta(days=3)) == []


def test_when_fieldwork_ends_the_items_still_owed_are_not_provided_and_the_team_decides(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    w = world
    member, liaison = w.users["t1_member"], w.users["liaison1"]
    request = documents.start_document_request(w.inspection1, by=member)
    documents.issue_document_request(request, by=member)
    answered, asked_again, late = list(request.items.order_by("position"))[:3]
    documents.answer_document_item(answered, answer="已现场提供", by=liaison)
    assert f"#item-{late.pk}" in client_for("liaison1").get("/").content.decode()

    _archive(w.inspection1, w, until=Stage.REPORTING)

    statuses = dict(request.items.values_list("pk", "status"))
    assert statuses.pop(answered.pk) == ItemStatus.PROVIDED
    assert set(statuses.values()) == {ItemStatus.MISSING}
    missing = request.items.filter(status=ItemStatus.MISSING)
    assert set(missing.values_list("closed_reason", flat=True)) == {closing.FIELDWORK_ENDED}
    events = AuditEvent.objects.filter(action="document_item.not_provided")
    assert sorted(int(e.object_id) for e in events) == sorted(statuses)
    assert {(e.actor, e.details["reason"]) for e in events} == {(w.users["office"], closing.FIELDWORK_ENDED)}
    assert all(e.details["changes"]["status"] == ["pending", "missing"] for e in events)
    home = client_for("liaison1").get("/").content.decode()
    assert not any(f"#item-{pk}" in home for pk in statuses)

    # The team sees which items were not provided, and why, and may ask for one again.
    url = reverse("fieldwork:document-request", args=[request.pk])
    page = client_for("t1_member").get(url).content.decode()
    assert "未提供" in page and closing.FIELDWORK_ENDED in page and "要求补充提供" in page
    documents.return_document_item(asked_again, reason="请补充提供2024年度凭证", by=member)
    asked_again.refresh_from_db()
    assert asked_again.status == ItemStatus.RETURNED
    assert f"#item-{asked_again.pk}" in client_for("liaison1").get("/").content.decode()
    # The unit may still answer a 未提供 item late; the team then receives it as any other.
    documents.answer_document_item(late, answer="补充提供", by=liaison)
    documents.accept_document_item(late, by=member)
    assert late.status == ItemStatus.ACCEPTED
    _archive(w.inspection1, w)
    asked_again.refresh_from_db()
    # Only what was still owed closes when the inspection is archived: the item asked for again.
    assert (asked_again.status, asked_again.closed_reason) == (ItemStatus.MISSING, closing.ARCHIVED)
    archived = AuditEvent.objects.filter(
        action="document_item.not_provided", details__reason=closing.ARCHIVED
    )
    assert list(archived.values_list("object_id", flat=True)) == [str(asked_again.pk)]
    late.refresh_from_db()
    assert late.status == ItemStatus.ACCEPTED
