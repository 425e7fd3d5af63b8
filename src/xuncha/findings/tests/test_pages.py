"""Pages of findings: regulations for the office, an inspection's findings (list, form, detail with
evidence and versions, meeting, sign-off, return), the Excel 台账, common problems and the home panels."""

import io
from collections.abc import Callable
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.models import AuditEvent, RoleAssignment
from xuncha.taxonomy.choices import SchemeKind

from .. import actions
from ..choices import FindingStatus
from ..models import Finding, Regulation
from .support import category, content, draft, setup

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def _signed(w: SimpleNamespace, finding: Finding) -> Finding:
    actions.discuss_finding(finding, meeting_on=timezone.localdate(), opinion="同意", by=w.users["t1_leader"])
    return actions.sign_off_finding(finding, by=w.users["t1_leader"])


# Regulations -----------------------------------------------------------------------------------------


def test_the_office_searches_adds_edits_and_deactivates_regulations(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    office = client_for("office")
    page = office.get("/findings/regulations/?q=廉洁自律").content.decode()
    assert "党员领导干部廉洁自律规范" in page and "第八章" not in page

    response = office.post(
        "/findings/regulations/new/",
        {
            "committee": w.city.pk,
            "name": "《中国共产党问责条例》",
            "article": "第七条",
            "excerpt": "问责情形。",
        },
    )
    assert response.status_code == 302
    rule = Regulation.objects.get(name="《中国共产党问责条例》")
    office.post(
        f"/findings/regulations/{rule.pk}/edit/", {"name": rule.name, "article": "第八条", "excerpt": ""}
    )
    rule.refresh_from_db()
    assert rule.article == "第八条"

    # Deactivating asks first; nothing changes on the question page.
    assert "确认停用定性依据" in office.get(f"/findings/regulations/{rule.pk}/deactivate/").content.decode()
    rule.refresh_from_db()
    assert rule.is_active
    office.post(f"/findings/regulations/{rule.pk}/deactivate/")
    rule.refresh_from_db()
    assert not rule.is_active
    assert AuditEvent.objects.filter(action="regulation.deactivated", object_id=str(rule.pk)).exists()


def test_regulation_form_bad_input(w: SimpleNamespace, client_for: ClientFor) -> None:
    office = client_for("office")
    before = Regulation.objects.count()
    for data, message in (
        ({"name": ""}, "这个字段是必填项"),
        ({"name": "\u200b\u200b"}, "请填写名称"),
        ({"name": "名" * 101}, "不超过 100 字符"),
        ({"name": "中央八项规定及其实施细则精神"}, "已有定性依据"),
    ):
        response = office.post("/findings/regulations/new/", {"committee": w.city.pk, **data})
        assert response.status_code == 200 and message in response.content.decode(), data
    assert Regulation.objects.count() == before
    office.post("/findings/regulations/new/", {"committee": w.city.pk, "name": "<script>alert(1)</script>"})
    page = office.get("/findings/regulations/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_default_regulations_load_once(w: SimpleNamespace, client_for: ClientFor) -> None:
    count = Regulation.objects.filter(committee=w.city).count()
    assert count == 11  # setup loaded them
    client_for("office").post(f"/findings/regulations/defaults/{w.city.pk}/")
    assert Regulation.objects.filter(committee=w.city).count() == count
    event = AuditEvent.objects.filter(action="regulation.defaults_installed").first()
    assert event is not None and event.details == {"created": 0, "skipped": 11}


def test_regulations_are_the_office_s(w: SimpleNamespace, client_for: ClientFor) -> None:
    rule = Regulation.objects.filter(committee=w.city).first()
    assert rule is not None
    assert client_for("t1_member").get("/findings/regulations/").status_code == 403
    assert client_for("t1_member").get(f"/findings/regulations/{rule.pk}/edit/").status_code == 403
    assert client_for("county_office").get(f"/findings/regulations/{rule.pk}/edit/").status_code == 404


# Findings pages --------------------------------------------------------------------------------------


def _form(w: SimpleNamespace, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "违规发放津贴补贴",
        "description": "2025年以加班费名义向局机关干部发放补贴共计36万元。",
        "focus": category(SchemeKind.FOCUS, "2.4").pk,
        "regulations": [Regulation.objects.get(committee=w.city, article="第八章").pk],
        "basis_note": "",
        "unit_responsible": "on",
        "persons": [w.principal1.pk, w.keypost1.pk],
        "discipline": category(SchemeKind.DISCIPLINE, "3").pk,
        "nature": category(SchemeKind.NATURE, "4").pk,
        "four_winds": "",
        "commonality": "common",
        "root_cause": "system",
        "evidence_petition": [str(w.petition1.pk)],
    }
    data.update(overrides)
    return data


def test_a_member_drafts_through_the_form_and_the_leader_signs_off(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    member, leader = client_for("t1_member"), client_for("t1_leader")
    form_page = member.get(f"/findings/inspections/{w.inspection1.pk}/new/").content.decode()
    assert w.petition1.number in form_page and "张建国" in form_page
    assert w.petition2.number not in form_page and "陈志强" not in form_page  # not of this inspection

    response = member.post(f"/findings/inspections/{w.inspection1.pk}/new/", _form(w))
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/findings/{finding.pk}/"
    assert finding.evidence.get().object_id == str(w.petition1.pk)
    assert set(finding.persons.all()) == {w.principal1, w.keypost1}

    response = leader.post(
        f"/findings/{finding.pk}/discuss/",
        {"meeting_on": timezone.localdate().isoformat(), "opinion": "同意上报。"},
    )
    assert response.status_code == 302
    assert "确认审签问题底稿" in leader.get(f"/findings/{finding.pk}/sign-off/").content.decode()
    leader.post(f"/findings/{finding.pk}/sign-off/")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SIGNED_OFF

    page = member.get(f"/findings/{finding.pk}/").content.decode()
    assert "组长已审签" in page and w.petition1.number in page
    assert "第 3 版" in page and "审签" in page
    assert f"/findings/{finding.pk}/edit/" not in page  # read-only: no edit link
    assert member.get(f"/findings/{finding.pk}/edit/").status_code == 302


def test_finding_form_bad_input(w: SimpleNamespace, client_for: ClientFor) -> None:
    member = client_for("t1_member")
    url = f"/findings/inspections/{w.inspection1.pk}/new/"
    for overrides, message in (
        ({"title": ""}, "这个字段是必填项"),
        ({"title": "\u200b"}, "请填写问题标题"),
        ({"title": "题" * 201}, "不超过 200 字符"),
        ({"focus": ""}, "这个字段是必填项"),
        ({"focus": "abc"}, "选择一个有效的选项"),
        ({"persons": [w.principal2.pk]}, "选择一个有效的选项"),
        ({"evidence_petition": [str(w.petition2.pk)]}, "选择一个有效的选项"),
        ({"evidence_petition": ["not-a-uuid"]}, "不是一个有效的UUID"),
    ):
        response = member.post(url, _form(w, **overrides))
        assert response.status_code == 200 and message in response.content.decode(), overrides
    assert not Finding.objects.exists()
    member.post(url, _form(w, title="<script>alert(1)</script>"))
    finding = Finding.objects.get()
    page = member.get(f"/findings/{finding.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_meeting_form_bad_input_and_the_drafting_leader_is_told(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    leader = client_for("t1_leader")
    finding = draft(w, "t1_leader")
    for data, message in (
        ({"meeting_on": "2026-02-30", "opinion": "同意"}, "输入一个有效的日期"),
        ({"meeting_on": "2999-01-01", "opinion": "同意"}, "不能晚于今天"),
        ({"meeting_on": timezone.localdate().isoformat(), "opinion": ""}, "这个字段是必填项"),
    ):
        response = leader.post(f"/findings/{finding.pk}/discuss/", data)
        assert message in response.content.decode(), data
    leader.post(
        f"/findings/{finding.pk}/discuss/",
        {"meeting_on": timezone.localdate().isoformat(), "opinion": "同意"},
    )
    page = leader.get(f"/findings/{finding.pk}/").content.decode()
    assert "须由其他组长（副组长）审签" in page and f"/findings/{finding.pk}/sign-off/" not in page
    leader.post(f"/findings/{finding.pk}/sign-off/")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISCUSSED
    response = leader.post(f"/findings/{finding.pk}/return/", {"reason": "补充证据。"})
    finding.refresh_from_db()
    assert response.status_code == 302 and finding.status == FindingStatus.DRAFT


def test_detail_shows_the_diff_of_each_version(w: SimpleNamespace, client_for: ClientFor) -> None:
    finding = draft(w)
    client_for("t1_member").post(
        f"/findings/{finding.pk}/edit/", _form(w, title="违规公款宴请（修改）", evidence_petition=[])
    )
    page = client_for("t1_leader").get(f"/findings/{finding.pk}/").content.decode()
    assert "第 2 版" in page and "违规公款宴请（修改）" in page
    assert f"信访件 {w.petition1.number}" in page  # what the evidence was before


def test_evidence_out_of_the_reader_s_scope_is_not_shown(w: SimpleNamespace, client_for: ClientFor) -> None:
    """The leading group reads findings but no petition: it sees that there is evidence, not what."""
    finding = draft(w)
    page = client_for("leader").get(f"/findings/{finding.pk}/").content.decode()
    assert "（无权查看）" in page and f"/intake/petitions/{w.petition1.pk}/" not in page
    assert "滨江酒店" in page  # the finding's own text


def test_out_of_scope_is_404(w: SimpleNamespace, client_for: ClientFor) -> None:
    finding = draft(w)
    liaison2 = w.users["outsider"]
    with action_scope("test.grant"):
        RoleAssignment.objects.create(
            user=liaison2,
            role=Role.UNIT_LIAISON,
            scope_type=ROLE_SCOPE[Role.UNIT_LIAISON],
            scope_id=w.unit2.pk,
        )
        record("test.grant", None, by=None)
    for persona in ("liaison1", "t2_member", "jiwei", "county_office", "outsider"):
        client = client_for(persona)
        for url in (
            f"/findings/{finding.pk}/",
            f"/findings/inspections/{w.inspection1.pk}/",
            f"/findings/{finding.pk}/edit/",
        ):
            assert client.get(url).status_code == 404, (persona, url)


def test_list_filters_and_paginates(w: SimpleNamespace, client_for: ClientFor) -> None:
    draft(w, title="公款宴请问题")
    draft(
        w, title="选人用人问题", focus=category(SchemeKind.FOCUS, "3.2"), persons=[w.deputy1], discipline=None
    )
    signed = _signed(w, draft(w, title="津贴补贴问题"))
    member = client_for("t1_member")
    url = f"/findings/inspections/{w.inspection1.pk}/"

    def titles(query: str) -> set[str]:
        page = member.get(f"{url}?{query}").content.decode()
        return {t for t in ("公款宴请问题", "选人用人问题", "津贴补贴问题") if t in page}

    assert titles("") == {"公款宴请问题", "选人用人问题", "津贴补贴问题"}
    assert titles("status=signed_off") == {"津贴补贴问题"} == {signed.title}
    assert titles(f"focus={category(SchemeKind.FOCUS, '3.2').pk}") == {"选人用人问题"}
    assert titles(f"discipline={category(SchemeKind.DISCIPLINE, '3').pk}") == {"公款宴请问题", "津贴补贴问题"}
    assert titles(f"person={w.deputy1.pk}") == {"选人用人问题"}
    assert titles("q=选人") == {"选人用人问题"}
    assert titles("status=nonsense&focus=x&page=999") == {"公款宴请问题", "选人用人问题", "津贴补贴问题"}


def test_list_query_count_does_not_grow(w: SimpleNamespace, client_for: ClientFor) -> None:
    member = client_for("t1_member")
    url = f"/findings/inspections/{w.inspection1.pk}/"
    draft(w)
    member.get(url)
    with CaptureQueriesContext(connection) as few:
        member.get(url)
    for _ in range(5):
        draft(w, persons=[w.principal1, w.deputy1])
    with CaptureQueriesContext(connection) as many:
        assert member.get(url).status_code == 200
    assert len(many) == len(few) == 15  # with the interview problems waiting to become findings


def test_export_is_watermarked_and_audited(w: SimpleNamespace, client_for: ClientFor) -> None:
    _signed(w, draft(w, title='=HYPERLINK("http://x")'))
    draft(w, title="选人用人问题")
    response = client_for("office").get(f"/findings/inspections/{w.inspection1.pk}/export/?status=signed_off")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["问题底稿台账"]
    assert "导出人：office" in sheet["A1"].value
    assert [c.value for c in sheet[2]][:3] == ["编号", "问题标题", "问题表现"]
    assert sheet.max_row == 3  # the filter: one signed-off finding
    assert sheet["B3"].value == '=HYPERLINK("http://x")' and sheet["B3"].data_type == "s"
    assert sheet["L3"].value == "信访件 1 件"
    event = AuditEvent.objects.get(action="finding.exported")
    assert event.details["rows"] == 1 and event.committee_id == w.city.pk and event.role == Role.OFFICE


def test_common_problems_list_items_shared_by_two_inspections(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    _signed(w, draft(w, title="财政局公款宴请"))
    actions.draft_finding(
        w.inspection2,
        data=actions.FindingInput(
            title="交通局公款宴请",
            description="以会议费名义报销宴请费用。",
            focus=category(SchemeKind.FOCUS, "2.4"),
            basis_note="违反中央八项规定精神。",
            unit_responsible=True,
            nature=category(SchemeKind.NATURE, "3"),
            root_cause="system",
        ),
        by=w.users["t2_member"],
    )
    page = client_for("office").get(f"/findings/common/?round={w.round.pk}").content.decode()
    assert "财政局公款宴请" not in page  # the second inspection's finding is not signed off yet
    second = Finding.objects.get(title="交通局公款宴请")
    with action_scope("test.sign"):
        # Team2 has no leader in the world: the system signs off (the guards are tested elsewhere).
        actions.discuss_finding(second, meeting_on=timezone.localdate(), opinion="同意", by=None)
        actions.sign_off_finding(second, by=None)
    page = client_for("leader").get(f"/findings/common/?round={w.round.pk}").content.decode()
    assert "2.4" in page and "财政局公款宴请" in page and "交通局公款宴请" in page
    assert "市交通运输局、市财政局" in page and "2 个单位" in page
    assert client_for("t1_leader").get("/findings/common/").status_code == 403
    assert client_for("county_office").get(f"/findings/common/?round={w.round.pk}").status_code == 404


def test_home_panel_lists_findings_awaiting_the_leader_s_sign_off(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    mine = draft(w, "t1_leader", title="组长本人起草的问题")
    theirs = draft(w, title="组员起草的问题")
    for finding in (mine, theirs):
        actions.discuss_finding(
            finding, meeting_on=timezone.localdate(), opinion="同意", by=w.users["t1_leader"]
        )
    page = client_for("t1_leader").get("/").content.decode()
    assert "待审签的问题底稿" in page and "组员起草的问题" in page and "组长本人起草的问题" not in page
    rewritten = draft(w, title="组员起草、组长改写的问题")
    leader = w.users["t1_leader"]
    actions.update_finding(rewritten, data=content(w, title="组长改写后的问题"), by=leader)
    actions.discuss_finding(rewritten, meeting_on=timezone.localdate(), opinion="同意", by=leader)
    page = client_for("t1_leader").get("/").content.decode()
    assert "组员起草的问题" in page and "组长改写后的问题" not in page
    detail = client_for("t1_leader").get(f"/findings/{rewritten.pk}/").content.decode()
    assert "本底稿由您起草或修改，须由其他组长（副组长）审签。" in detail and ">审签</a>" not in detail
    assert "待审签的问题底稿" not in client_for("t1_member").get("/").content.decode()
