"""Supervision through the actions: the office issues 督办单 numbered in its committee's yearly series to a
lead unit with cooperating units (三位一体), who see it while other liaisons do not; the lead unit reports
the result, a cooperating unit only how it took part; the office closes or returns it; a closed notice
refuses more; assessments and 回访; the reminder once; the archive check and package."""

import io
import zipfile
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.conftest import _grant, _user
from xuncha.core.audit import action_scope
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.officialdoc import layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.core.reminders import send_reminders
from xuncha.core.todos import todos_for
from xuncha.orgs.models import Unit
from xuncha.rounds.archive import open_items
from xuncha.rounds.choices import Stage

from .. import archive_documents
from ..actions import items
from ..actions import supervision as sv
from ..choices import NoticeStatus
from ..models import Assessment, Item, NoticeResponse, ResponseFile, SupervisionNotice, Visit
from .support import PDF, approved_plan, days, delivered, set_stage

pytestmark = pytest.mark.django_db


def with_liaisons(w: SimpleNamespace) -> SimpleNamespace:
    """``liaison2`` for unit2 (市交通运输局) and ``liaison3`` for unit3 (市城市建设投资集团)."""
    for name, unit in (("liaison2", w.unit2), ("liaison3", w.unit3)):
        w.users[name] = _user(name, name)
        _grant(w.users[name], Role.UNIT_LIAISON, unit)
    return w


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    delivered(world)
    approved_plan(world)
    return with_liaisons(world)


def issue(w: SimpleNamespace, **overrides: object) -> SupervisionNotice:
    values: dict[str, object] = {
        "subject": "违规报销问题整改进度滞后",
        "requirements": "请于期限内完成清退并报送佐证材料。",
        "due_on": days(10),
        "cooperating_units": [w.unit2],
        "items": [w.task_a],
        "by": w.users["office"],
    }
    values.update(overrides)
    return sv.issue_notice(w.inspection1, **values)  # type: ignore[arg-type]


def seen_by(w: SimpleNamespace, persona: str) -> set[int]:
    return set(SupervisionNotice.objects.visible_to(w.users[persona]).values_list("pk", flat=True))


def test_the_office_issues_numbered_notices_and_tells_the_units(w: SimpleNamespace) -> None:
    first = issue(w)
    second = issue(w, cooperating_units=[])
    year = timezone.localdate().year
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.number == f"督办〔{year}〕1号" and first.lead_unit == w.unit1
    assert list(first.items.all()) == [w.task_a] and list(first.cooperating_units.all()) == [w.unit2]
    told = Notification.objects.filter(key__startswith=f"supervision-issued:{first.pk}:")
    assert {n.recipient.username for n in told} == {"liaison1", "liaison2"}
    event = AuditEvent.objects.get(action="supervision_notice.issued", object_id=str(first.pk))
    assert event.details["cooperating_units"] == ["市交通运输局"] and event.role == Role.OFFICE
    # The series is unique per committee and year, whatever the caller.
    with pytest.raises(IntegrityError), transaction.atomic(), action_scope("test.duplicate"):
        SupervisionNotice(
            committee=first.committee,
            inspection=w.inspection1,
            year=year,
            sequence=1,
            subject="重复",
            requirements="重复",
            lead_unit=w.unit1,
            due_on=days(3),
        ).save()


def test_issuing_is_guarded(w: SimpleNamespace) -> None:
    for persona in ("leader", "t1_leader", "liaison1", "county_office"):
        with pytest.raises(NotAllowed):
            issue(w, by=w.users[persona])
    with pytest.raises(Refused, match="办理时限不能早于今天"):
        issue(w, due_on=days(-1))
    with pytest.raises(Refused, match="配合单位不能是牵头单位"):
        issue(w, cooperating_units=[w.unit1])
    county_unit = Unit.objects.exclude(committee=w.city).first()
    assert county_unit is not None
    with pytest.raises(Refused, match="不在本轮巡察的范围内") as refused:
        issue(w, cooperating_units=[county_unit])
    assert refused.value.field == "cooperating_units"
    with pytest.raises(Refused, match="须属于本次巡察"):
        issue(w, items=[_item_of_inspection2(w)])
    with pytest.raises(Refused, match="请填写督办事项"):
        issue(w, subject="  ")
    set_stage(w.inspection1, Stage.ARCHIVED)
    with pytest.raises(Refused, match="“归档”阶段"):
        issue(w)
    assert not SupervisionNotice.objects.exists()


def _item_of_inspection2(w: SimpleNamespace) -> Item:
    set_stage(w.inspection2, Stage.FIELDWORK)
    return items.issue_item(
        w.inspection2,
        issue="车辆管理混乱",
        measure="规范管理",
        kind="immediate",
        leader="局长",
        department="办公室",
        due_on=days(5),
        by=None,
    )


def test_lead_and_cooperating_liaisons_see_the_notice_and_no_one_else(w: SimpleNamespace) -> None:
    notice = issue(w)
    for persona in ("office", "leader", "t1_leader", "t1_member", "liaison1", "liaison2"):
        assert notice.pk in seen_by(w, persona), persona
    for persona in ("liaison3", "t2_member", "jiwei", "county_office", "custodian"):
        assert notice.pk not in seen_by(w, persona), persona
    # Cooperating on two notices does not list one twice.
    issue(w)
    assert SupervisionNotice.objects.visible_to(w.users["liaison2"]).count() == 2


def test_the_lead_unit_reports_the_result_and_a_cooperating_unit_only_takes_part(w: SimpleNamespace) -> None:
    notice = issue(w)
    part = sv.respond(notice, unit=w.unit2, text="已提供报销凭证核查情况。", by=w.users["liaison2"])
    notice.refresh_from_db()
    assert not part.is_result and notice.status == NoticeStatus.ISSUED
    # The cooperating unit's liaison cannot answer for the lead unit, nor a stranger for either.
    with pytest.raises(NotAllowed):
        sv.respond(notice, unit=w.unit1, text="代报结果", by=w.users["liaison2"])
    with pytest.raises(Refused, match="不是本督办单的牵头或配合单位"):
        sv.respond(notice, unit=w.unit3, text="无关", by=w.users["liaison3"])
    with pytest.raises(Refused, match="尚未报送办理结果"):
        sv.close_notice(notice, by=w.users["office"])
    with pytest.raises(Refused, match="请填写办理情况"):
        sv.respond(notice, unit=w.unit1, text=" ", by=w.users["liaison1"])
    result = sv.respond(notice, unit=w.unit1, text="已全部清退。", files=[PDF], by=w.users["liaison1"])
    notice.refresh_from_db()
    assert result.is_result and notice.status == NoticeStatus.ANSWERED
    stored = ResponseFile.objects.get(response=result)
    assert stored.read() == PDF.data and stored.filename == PDF.name
    told = Notification.objects.filter(key__startswith=f"supervision-responded:{notice.pk}")
    assert {n.recipient.username for n in told} == {"office"}


def test_the_office_returns_then_closes_and_a_closed_notice_refuses_more(w: SimpleNamespace) -> None:
    notice = issue(w)
    office = w.users["office"]
    sv.respond(notice, unit=w.unit1, text="已清退部分费用。", by=w.users["liaison1"])
    with pytest.raises(NotAllowed):
        sv.return_notice(notice, reason="不彻底", by=w.users["leader"])
    with pytest.raises(Refused, match="请填写退回理由"):
        sv.return_notice(notice, reason="", by=office)
    sv.return_notice(notice, reason="尚有3笔未清退。", by=office)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RETURNED and notice.return_reason == "尚有3笔未清退。"
    returned = Notification.objects.filter(key__startswith=f"supervision-returned:{notice.pk}")
    assert [n.recipient.username for n in returned] == ["liaison1"]
    sv.respond(notice, unit=w.unit1, text="已全部清退。", by=w.users["liaison1"])
    sv.close_notice(notice, note="同意办结。", by=office)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.closed_by == office
    for attempt in (
        lambda: sv.respond(notice, unit=w.unit2, text="补充", by=w.users["liaison2"]),
        lambda: sv.close_notice(notice, by=office),
        lambda: sv.return_notice(notice, reason="再看看", by=office),
    ):
        with pytest.raises(Refused, match="已办结"):
            attempt()
    assert NoticeResponse.objects.filter(notice=notice).count() == 2


def test_assessments_and_visits(w: SimpleNamespace) -> None:
    office = w.users["office"]
    with pytest.raises(Refused, match="0到100"):
        sv.assess(w.inspection1, score=101, comments="好", by=office)
    with pytest.raises(NotAllowed):
        sv.assess(w.inspection1, score=80, comments="好", by=w.users["t1_leader"])
    sv.assess(w.inspection1, score=75, comments="整改基本到位。", by=office)
    latest = sv.assess(w.inspection1, score=88, comments="长效机制已建立。", by=office)
    assert Assessment.objects.filter(inspection=w.inspection1).first() == latest
    visit = sv.record_visit(
        w.inspection1,
        visited_on=days(0),
        visitors="巡察办 张三",
        method="座谈",
        findings="干部群众反映整改效果明显。",
        by=w.users["t1_leader"],
    )
    assert Visit.objects.get() == visit
    with pytest.raises(Refused, match="不能晚于今天"):
        sv.record_visit(
            w.inspection1, visited_on=days(1), visitors="张三", method="座谈", findings="好", by=office
        )
    for persona in ("t1_member", "liaison1"):
        with pytest.raises(NotAllowed):
            sv.record_visit(
                w.inspection1,
                visited_on=days(0),
                visitors="张三",
                method="座谈",
                findings="好",
                by=w.users[persona],
            )
    set_stage(w.inspection1, Stage.REVIEWING)
    sv.assess(w.inspection1, score=90, comments="复评", by=office)
    set_stage(w.inspection1, Stage.ARCHIVED)
    with pytest.raises(Refused, match="归档"):
        sv.assess(w.inspection1, score=90, comments="再评", by=office)


def test_an_open_notice_is_reminded_and_escalated_once(w: SimpleNamespace, set_today: object) -> None:
    notice = issue(w, due_on=days(3))
    sent = send_reminders(days(1))
    assert [n.recipient.username for n in sent if n.key.startswith(f"supervision-notice:{notice.pk}:")] == [
        "liaison1"
    ]
    late = days(4)
    send_reminders(late)
    escalations = Notification.objects.filter(
        key__startswith=f"supervision-notice:{notice.pk}:", key__endswith=":escalation"
    )
    assert {n.recipient.username for n in escalations} == {"office", "leader"}
    assert [n for n in send_reminders(late) if n.key.startswith("supervision-notice:")] == []
    # An answered notice waits for the office: no more reminders to the unit.
    sv.respond(notice, unit=w.unit1, text="已办理。", by=w.users["liaison1"])
    assert not [n for n in send_reminders(days(5)) if n.key.startswith("supervision-notice:")]
    assert escalations.count() == 2


def test_archiving_lists_an_open_notice_and_the_package_holds_each_notice(w: SimpleNamespace) -> None:
    notice = issue(w)
    assert f"督办单{notice.number}尚未办结" in open_items(w.inspection1)
    sv.respond(notice, unit=w.unit1, text="已办理。", by=w.users["liaison1"])
    sv.close_notice(notice, by=w.users["office"])
    assert not any("督办单" in line for line in open_items(w.inspection1))
    files = {f.path: f.data for f in archive_documents.documents(w.inspection1, w.users["office"])}
    data = files[f"整改/督办单/督办单-{notice.year}-{notice.sequence}.docx"]
    assert layout_problems(data) == []
    with zipfile.ZipFile(io.BytesIO(data)) as docx_zip:
        xml = docx_zip.read("word/document.xml").decode()
    assert notice.number in xml and "市交通运输局配合" in xml and "任务01" in xml


def test_the_document_follows_the_official_layout(w: SimpleNamespace) -> None:
    notice = issue(w, due_on=days(10))
    data = sv.notice_document(notice, [w.task_a])
    assert layout_problems(data) == []


def test_the_notices_are_on_the_units_and_then_the_offices_todo_list(w: SimpleNamespace) -> None:
    notice = issue(w)

    def titles(persona: str) -> list[tuple[str, str]]:
        return [(t.group, t.title) for t in todos_for(w.users[persona]) if "督办单" in t.group]

    to_answer = [("待办理的督办单", f"{notice.number} {notice.subject}")]
    assert titles("liaison1") == titles("liaison2") == to_answer  # the lead and the cooperating unit
    assert titles("liaison3") == titles("office") == []
    sv.respond(notice, unit=w.unit1, text="已全部清退。", files=[PDF], by=w.users["liaison1"])
    assert titles("office") == [("待审核的督办单办理结果", f"{notice.number} {notice.lead_name}")]
    assert titles("liaison1") == []
