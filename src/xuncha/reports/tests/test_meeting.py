"""The 书记专题会: recorded by the office or the leading group for inspections whose report is final, with
its guards; required before 反馈 when the committee's setting says so (the default); read by the office,
the leading group and (its own decision) the team; its record as an official document; page and API."""

import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import docx
import pytest
from django.test import Client
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.orgs.actions import update_committee_settings
from xuncha.rounds.actions import transition_inspection
from xuncha.rounds.choices import Stage

from .. import meeting
from ..choices import MeetingOutcome
from ..models import MeetingDecision, SecretaryMeeting
from .support import final, prepare, secretary_meeting, set_stage

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return prepare(world)


def test_the_meeting_is_recorded_with_its_decision_and_audit_event(w: SimpleNamespace) -> None:
    final(w)
    recorded = secretary_meeting(w, persona="leader")
    assert list(recorded.attendees.order_by("username")) == [w.users["leader"], w.users["office"]]
    decision = recorded.decisions.get()
    assert decision.inspection == w.inspection1 and decision.outcome == MeetingOutcome.AGREED
    assert decision.feedback_points.startswith("突出违规公款宴请问题")
    event = AuditEvent.objects.get(action="secretary_meeting.recorded")
    assert event.details["outcomes"] == {str(w.inspection1.pk): "agreed"}
    assert "陈立新" not in str(event.details)  # the opinions stay out of the audit trail


def test_only_a_final_report_is_heard(w: SimpleNamespace) -> None:
    with pytest.raises(Refused, match="尚未经领导小组同意定稿"):
        secretary_meeting(w)
    assert not SecretaryMeeting.objects.exists()


@pytest.mark.parametrize("persona", ["t1_leader", "t1_member", "liaison1", "county_office"])
def test_only_the_office_and_leading_group_record_it(w: SimpleNamespace, persona: str) -> None:
    final(w)
    with pytest.raises(NotAllowed):
        secretary_meeting(w, persona=persona)


def test_the_guards_name_the_field(w: SimpleNamespace) -> None:
    final(w)
    with pytest.raises(Refused) as refused:
        secretary_meeting(w, outcome=MeetingOutcome.SUPPLEMENT)
    assert refused.value.field == "decisions" and "补充要求" in refused.value.message
    data = meeting.MeetingInput(
        held_on=timezone.localdate(),
        place="会议室",
        chair="书记",
        secretary_opinions="同意。",
        attendees=[w.users["t1_leader"]],  # not of the leading group or the office
    )
    item = meeting.MeetingItem(w.inspection1, MeetingOutcome.AGREED)
    with pytest.raises(Refused) as refused:
        meeting.record_secretary_meeting(w.round, data=data, items=[item], by=w.users["office"])
    assert refused.value.field == "attendees"
    data.attendees, data.held_on = [], timezone.localdate() + timezone.timedelta(days=1)
    with pytest.raises(Refused) as refused:
        meeting.record_secretary_meeting(w.round, data=data, items=[item], by=w.users["office"])
    assert refused.value.field == "held_on"


def test_feedback_needs_the_meeting_to_agree(w: SimpleNamespace) -> None:
    office = w.users["office"]
    final(w)
    with pytest.raises(Refused, match="不能进入“反馈”阶段：书记专题会尚未听取本巡察情况汇报"):
        transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office)
    secretary_meeting(w, outcome=MeetingOutcome.SUPPLEMENT, remarks="补充领导班子成员情况。")
    with pytest.raises(Refused, match="书记专题会要求补充完善巡察报告"):
        transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office)
    secretary_meeting(w)  # heard again: the latest decision counts
    assert transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office).stage == Stage.FEEDBACK


def test_the_committee_may_switch_the_requirement_off(w: SimpleNamespace) -> None:
    office = w.users["office"]
    final(w)
    update_committee_settings(w.city.settings, secretary_meeting_required=False, by=office)
    assert transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office).stage == Stage.FEEDBACK


def test_an_inspection_past_feedback_is_not_heard(w: SimpleNamespace) -> None:
    final(w)
    set_stage(w.inspection1, Stage.RECTIFYING)
    assert not meeting.hearable(w.round).exists()
    with pytest.raises(Refused, match="已过反馈阶段"):
        secretary_meeting(w)


def test_who_reads_the_meeting_and_its_decisions(w: SimpleNamespace) -> None:
    final(w)
    secretary_meeting(w)
    u = w.users
    for persona in ("office", "leader"):
        assert SecretaryMeeting.objects.visible_to(u[persona]).count() == 1
    for persona in ("t1_leader", "t2_member", "liaison1", "county_office", "jiwei"):
        assert not SecretaryMeeting.objects.visible_to(u[persona]).exists()
    assert MeetingDecision.objects.visible_to(u["t1_member"]).count() == 1  # its own inspection's
    assert not MeetingDecision.objects.visible_to(u["t2_member"]).exists()
    assert not MeetingDecision.objects.visible_to(u["liaison1"]).exists()


def test_the_record_is_an_official_document(w: SimpleNamespace) -> None:
    final(w)
    data = meeting.meeting_docx(secretary_meeting(w))
    assert layout_problems(data) == []
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "书记专题会议纪要" in text and "一、书记意见" in text and "三、会议议定事项" in text
    assert "会议决定：同意报告。" in text and "反馈意见要点：突出违规公款宴请问题" in text
    assert "出席和列席人员：" in text and "市纪委监委、市委组织部负责同志" in text


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_page_records_it(w: SimpleNamespace, client_for: ClientFor) -> None:
    final(w)
    client = client_for("office")
    url = f"/reports/rounds/{w.round.pk}/secretary-meeting/"
    page = client.get(url)
    assert page.status_code == 200 and "市财政局" in page.content.decode()
    pk = w.inspection1.pk
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "市委常委会议室",
            "chair": "市委书记 陈立新",
            "attendees": [w.users["leader"].pk],
            "secretary_opinions": "同意反馈。",
            f"outcome_{pk}": "agreed",
            f"points_{pk}": "反馈要点",
        },
    )
    recorded = SecretaryMeeting.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/secretary-meetings/{recorded.pk}/"
    detail = client.get(response.url).content.decode()
    assert "同意报告" in detail and "反馈要点" in detail
    download = client.get(f"/reports/secretary-meetings/{recorded.pk}/download/")
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action="secretary_meeting.read").count() == 1
    report_page = client_for("t1_member").get(f"/reports/{w.inspection1.reports.get().pk}/")
    assert "反馈要点" in report_page.content.decode()


def test_the_api_records_it(w: SimpleNamespace, client_for: ClientFor) -> None:
    final(w)
    api = client_for("leader")
    body = {
        "held_on": timezone.localdate().isoformat(),
        "place": "市委常委会议室",
        "chair": "市委书记 陈立新",
        "attendees": [w.users["office"].pk],
        "secretary_opinions": "同意反馈。",
        "decisions": [{"inspection": w.inspection1.pk, "outcome": "supplement"}],
    }
    refused = _post(api, f"/api/v1/rounds/{w.round.pk}/secretary-meetings", body)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "decisions"
    body["decisions"][0]["outcome"] = "agreed"
    created = _post(api, f"/api/v1/rounds/{w.round.pk}/secretary-meetings", body)
    assert created.status_code == 200, created.content
    data = created.json()
    assert data["attendee_ids"] == [w.users["office"].pk]
    assert data["decisions"][0]["outcome_label"] == "同意报告"
    listed = api.get(f"/api/v1/secretary-meetings/?round={w.round.pk}").json()
    assert listed["count"] == 1
    assert client_for("t1_leader").get(f"/api/v1/secretary-meetings/{data['id']}").status_code == 404
