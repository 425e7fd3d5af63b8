"""Findings through the actions: draft → 组务会 → sign-off with evidence, the guards of each step, the
versions kept, and the refusals of bad input."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.fieldwork.actions.activities import ActivityInput, create_activity
from xuncha.fieldwork.choices import ActivityKind
from xuncha.rounds.choices import Stage
from xuncha.taxonomy.choices import SchemeKind

from .. import actions
from ..choices import FindingStatus
from ..models import EvidenceLink, Finding, Regulation
from .support import category, content, draft, set_stage, setup

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def discuss(w: SimpleNamespace, finding: Finding, persona: str = "t1_leader") -> Finding:
    return actions.discuss_finding(
        finding, meeting_on=TODAY(), opinion="同意上报，事实清楚、定性准确。", by=w.users[persona]
    )


def test_a_finding_goes_from_draft_to_signed_off_with_evidence_links(w: SimpleNamespace) -> None:
    finding = draft(w)
    assert finding.number == "底稿001" and finding.status == FindingStatus.DRAFT
    assert finding.drafted_by == w.users["t1_member"]
    link = EvidenceLink.objects.get(finding=finding)
    assert (link.kind, link.object_id) == ("petition", str(w.petition1.pk))

    discuss(w, finding)
    assert finding.status == FindingStatus.DISCUSSED and finding.meeting_on == TODAY()
    actions.sign_off_finding(finding, by=w.users["t1_leader"])

    finding.refresh_from_db()
    assert finding.status == FindingStatus.SIGNED_OFF
    assert finding.signed_off_by == w.users["t1_leader"] and finding.signed_off_at is not None
    assert finding.evidence.count() == 1
    assert [v.event for v in finding.versions.order_by("number")] == ["drafted", "discussed", "signed_off"]
    assert list(
        AuditEvent.objects.filter(object_type="findings.finding", object_id=str(finding.pk)).values_list(
            "action", flat=True
        )
    ) == [
        "finding.signed_off",
        "finding.discussed",
        "finding.drafted",
    ]
    # The audit names what changed, never the content (the auditor reads no case content).
    drafted = AuditEvent.objects.get(action="finding.drafted")
    assert "问题表现" in drafted.details["fields"] and "滨江酒店" not in str(drafted.details)


def test_a_leader_who_drafted_cannot_sign_off_their_own_finding(w: SimpleNamespace) -> None:
    finding = draft(w, "t1_leader")
    discuss(w, finding)
    with pytest.raises(Refused, match="起草人不能审签本人起草的问题底稿"):
        actions.sign_off_finding(finding, by=w.users["t1_leader"])
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISCUSSED and finding.signed_off_by is None


def test_only_a_team_leader_discusses_signs_off_and_returns(w: SimpleNamespace) -> None:
    finding = draft(w)
    for persona in ("t1_member", "office", "leader"):
        with pytest.raises(NotAllowed):
            discuss(w, finding, persona)
    discuss(w, finding)
    for persona in ("t1_member", "office", "t2_member"):
        with pytest.raises(NotAllowed):
            actions.sign_off_finding(finding, by=w.users[persona])
        with pytest.raises(NotAllowed):
            actions.return_finding(finding, reason="补充证据", by=w.users[persona])


def test_only_the_team_drafts(w: SimpleNamespace) -> None:
    for persona in ("office", "leader", "t2_member", "liaison1"):
        with pytest.raises(NotAllowed):
            draft(w, persona)
    assert not Finding.objects.exists()


def test_sign_off_needs_the_meeting_first(w: SimpleNamespace) -> None:
    finding = draft(w)
    with pytest.raises(Refused, match="须经组务会研究"):
        actions.sign_off_finding(finding, by=w.users["t1_leader"])


def test_a_returned_finding_goes_back_to_draft_with_its_reason(w: SimpleNamespace) -> None:
    finding = draft(w)
    discuss(w, finding)
    with pytest.raises(Refused, match="退回理由"):
        actions.return_finding(finding, reason="  ", by=w.users["t1_leader"])
    actions.return_finding(finding, reason="请补充报销凭证作为证据。", by=w.users["t1_leader"])
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DRAFT and finding.return_reason == "请补充报销凭证作为证据。"
    assert finding.meeting_on is None and finding.meeting_opinion == ""
    # Edited again and discussed again, then signed off; the reason is cleared by the meeting.
    actions.update_finding(
        finding, data=content(w, title="违规公款宴请（补充凭证）"), by=w.users["t1_member"]
    )
    discuss(w, finding)
    assert finding.return_reason == ""
    actions.sign_off_finding(finding, by=w.users["t1_leader"])
    events = list(finding.versions.order_by("number").values_list("event", flat=True))
    assert events == ["drafted", "discussed", "returned", "updated", "discussed", "signed_off"]


def test_signed_off_and_discussed_findings_are_read_only(w: SimpleNamespace) -> None:
    finding = draft(w)
    discuss(w, finding)
    with pytest.raises(Refused, match="请组长退回后再改"):
        actions.update_finding(finding, data=content(w, title="改"), by=w.users["t1_member"])
    actions.sign_off_finding(finding, by=w.users["t1_leader"])
    with pytest.raises(Refused, match="已经组长审签"):
        actions.update_finding(finding, data=content(w, title="改"), by=w.users["t1_member"])
    with pytest.raises(Refused):
        actions.return_finding(finding, reason="再改改", by=w.users["t1_leader"])
    assert Finding.objects.get().title == "违规公款宴请"


def test_every_edit_keeps_a_version_with_who_and_what_changed(w: SimpleNamespace) -> None:
    finding = draft(w)
    actions.update_finding(
        finding,
        data=content(w, title="违规公款宴请问题", persons=[w.principal1, w.deputy1], evidence=[]),
        by=w.users["t1_leader"],
    )
    first, second = finding.versions.order_by("number")
    assert (first.number, first.by, second.number, second.by) == (
        1,
        w.users["t1_member"],
        2,
        w.users["t1_leader"],
    )
    assert first.data["title"] == "违规公款宴请" and second.data["title"] == "违规公款宴请问题"
    assert first.data["evidence"] == [f"信访件 {w.petition1.number}"] and second.data["evidence"] == []
    changed = {label: (before, after) for label, before, after in actions.diff(first.data, second.data)}
    assert set(changed) == {"问题标题", "责任人", "证据"}
    assert changed["责任人"] == ("张建国（党组书记、局长）", "张建国（党组书记、局长）\n李文华（副局长）")
    assert not finding.evidence.exists()


def test_the_meeting_needs_a_complete_finding_and_a_sensible_date(w: SimpleNamespace) -> None:
    finding = draft(
        w, regulations=[], basis_note="", unit_responsible=False, persons=[], nature=None, root_cause=""
    )
    with pytest.raises(Refused, match="尚缺定性依据、责任主体、问题性质、问题根源"):
        discuss(w, finding)
    finding = draft(w)
    leader = w.users["t1_leader"]
    for day, message in (
        (None, "请填写组务会日期"),
        (TODAY() + datetime.timedelta(days=1), "不能晚于今天"),
        (TODAY() - datetime.timedelta(days=30), "不能早于问题底稿起草日期"),
    ):
        with pytest.raises(Refused, match=message):
            actions.discuss_finding(finding, meeting_on=day, opinion="同意", by=leader)
    with pytest.raises(Refused, match="请填写组务会意见"):
        actions.discuss_finding(finding, meeting_on=TODAY(), opinion=" \u200b ", by=leader)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DRAFT


def test_bad_content_is_refused_and_nothing_is_saved(w: SimpleNamespace) -> None:
    other_unit_person = w.principal2
    county_rule = actions.create_regulation(committee=w.county_a, name="县规定", by=w.users["county_office"])
    inactive = Regulation.objects.get(committee=w.city, name="《中国共产党巡视工作条例》")
    actions.deactivate_regulation(inactive, by=w.users["office"])
    cases = [
        ({"title": ""}, "title"),
        ({"title": "题" * 201}, "title"),
        ({"description": "\u200b\u200b"}, "description"),
        ({"description": "字" * 10_001}, "description"),
        ({"focus": None}, "focus"),
        ({"focus": category(SchemeKind.DISCIPLINE, "1")}, "focus"),
        ({"persons": [other_unit_person]}, "persons"),
        ({"regulations": [county_rule]}, "regulations"),
        ({"regulations": [inactive]}, "regulations"),
        ({"commonality": "both"}, "commonality"),
        ({"root_cause": "fate"}, "root_cause"),
        ({"evidence": [w.petition2]}, "evidence"),  # a petition of another inspection
    ]
    for overrides, field in cases:
        with pytest.raises(Refused) as refused:
            draft(w, **overrides)
        assert refused.value.field == field, overrides
    assert not Finding.objects.exists() and not EvidenceLink.objects.exists()


def test_text_is_cleaned_and_kept_as_typed(w: SimpleNamespace) -> None:
    finding = draft(w, title=" <script>alert(1)</script>\u200b ", description="第一行\r\n第二行 😀")
    assert finding.title == "<script>alert(1)</script>"
    assert finding.description == "第一行\n第二行 😀"


def test_a_deactivated_regulation_already_cited_stays_citable(w: SimpleNamespace) -> None:
    rule = Regulation.objects.get(committee=w.city, name="中央八项规定及其实施细则精神")
    finding = draft(w, regulations=[rule])
    actions.deactivate_regulation(rule, by=w.users["office"])
    actions.update_finding(
        finding, data=content(w, regulations=[rule], title="新标题"), by=w.users["t1_member"]
    )
    assert list(finding.regulations.all()) == [rule]


def test_numbers_follow_each_other_per_inspection(w: SimpleNamespace) -> None:
    assert [draft(w).number for _ in range(3)] == ["底稿001", "底稿002", "底稿003"]


def test_an_archived_inspection_takes_no_finding(w: SimpleNamespace) -> None:
    finding = draft(w)
    set_stage(w.inspection1, Stage.ARCHIVED)
    with pytest.raises(Refused, match="已归档"):
        draft(w)
    with pytest.raises(Refused, match="已归档"):
        actions.update_finding(finding, data=content(w), by=w.users["t1_member"])


def test_edits_keep_evidence_the_editor_may_not_see(w: SimpleNamespace) -> None:
    """A petition about the inspectors is the office's alone: a link to it survives a member's edit."""
    finding = draft(w)
    hidden = EvidenceLink.objects.get(finding=finding)
    with action_scope("test.hide"):
        w.petition1.about_inspectors = True
        w.petition1.save()
        record("test.hide", w.petition1, by=None)
    actions.update_finding(finding, data=content(w, evidence=[]), by=w.users["t1_member"])
    assert list(finding.evidence.all()) == [hidden]


def deputy_leader(w: SimpleNamespace) -> User:
    """A second leader of team 1 (副组长, who holds the team-leader role)."""
    deputy = w.users["outsider"]
    with action_scope("test.grant"):
        RoleAssignment.objects.create(
            user=deputy, role=Role.TEAM_LEADER, scope_type=ROLE_SCOPE[Role.TEAM_LEADER], scope_id=w.team1.pk
        )
        record("test.grant", None, by=None)
    return User.objects.get(pk=deputy.pk)


def test_another_leader_of_the_team_signs_off_the_leader_s_draft(w: SimpleNamespace) -> None:
    """The deputy leader signs off what the leader drafted."""
    deputy = deputy_leader(w)
    finding = draft(w, "t1_leader")
    discuss(w, finding)
    actions.sign_off_finding(finding, by=deputy)
    assert finding.status == FindingStatus.SIGNED_OFF and finding.signed_off_by == deputy


def test_a_leader_who_rewrote_a_member_s_draft_cannot_sign_it_off(w: SimpleNamespace) -> None:
    """Separation of duties holds for every author of what the finding says, not only its drafter: even
    when the member edits again after the leader's rewrite, the leader's text is in what would be signed."""
    leader, member = w.users["t1_leader"], w.users["t1_member"]
    finding = draft(w)
    actions.update_finding(finding, data=content(w, title="违规公款宴请（组长改写）"), by=leader)
    actions.update_finding(
        finding, data=content(w, title="违规公款宴请（组长改写）", basis_note="组员补充"), by=member
    )
    discuss(w, finding)
    with pytest.raises(Refused, match="您修改过本问题底稿的内容，不能再审签") as refused:
        actions.sign_off_finding(finding, by=leader)
    assert refused.value.field == "status"
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.DISCUSSED
    actions.sign_off_finding(finding, by=deputy_leader(w))
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.SIGNED_OFF


def test_changing_only_evidence_is_changing_the_substance(w: SimpleNamespace) -> None:
    finding = draft(w)
    actions.update_finding(finding, data=content(w, evidence=[]), by=w.users["t1_leader"])
    discuss(w, finding)
    with pytest.raises(Refused, match="您修改过本问题底稿的内容"):
        actions.sign_off_finding(finding, by=w.users["t1_leader"])


def test_saving_unchanged_and_running_the_meeting_do_not_make_a_leader_an_author(w: SimpleNamespace) -> None:
    """What bars a leader is changing what the finding says: saving the form unchanged, recording the
    meeting and returning the finding with a reason do not."""
    leader = w.users["t1_leader"]
    finding = draft(w)
    actions.update_finding(finding, data=content(w), by=leader)
    discuss(w, finding)
    actions.return_finding(finding, reason="请核实报销金额。", by=leader)
    discuss(w, finding)
    actions.sign_off_finding(finding, by=leader)
    assert finding.status == FindingStatus.SIGNED_OFF


def test_fieldwork_records_are_evidence_shown_to_who_may_see_them(w, client_for):
    symposium = create_activity(
        w.inspection1,
        data=ActivityInput(
            kind=ActivityKind.SYMPOSIUM,
            title="中层干部座谈会",
            starts_at=timezone.now() - datetime.timedelta(days=1),
            place="三楼会议室",
        ),
        by=w.users["t1_member"],
    )
    finding = draft(w, evidence=[w.petition1, symposium])
    links = {(link.kind, link.object_id) for link in finding.evidence.all()}
    assert ("activity", str(symposium.pk)) in links
    page = client_for("t1_member").get(f"/findings/{finding.pk}/").content.decode()
    assert "座谈会 中层干部座谈会" in page and f"/fieldwork/activities/{symposium.pk}/" in page
