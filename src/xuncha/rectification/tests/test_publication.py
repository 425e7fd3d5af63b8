"""Publication (双公开): the exemptions (the principal leader's problems, problems resting on a clue,
items marked 不予公开; 边巡边改 items publishable), names of persons under review refused in any public text,
publishing re-checks and takes a snapshot, withdrawal takes the public page down, the public pages and API
leak nothing internal, and the staff pages."""

import json
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.pagination import EMPTY_PAGE
from xuncha.core.permissions import NotAllowed
from xuncha.findings.clues import actions as clue_actions
from xuncha.findings.models import Clue
from xuncha.rounds.choices import Stage

from .. import publication as rules
from ..actions import items, plans
from ..actions import publication as actions
from ..choices import ItemKind, ItemStatus, PublicationStatus
from ..models import Item, Publication
from .support import approved_plan, days, delivered, set_stage, task, with_evidence

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]
SUMMARY = "巡察反馈问题已逐项制定整改措施，目前整改工作总体有序推进。"
WORDING = "建立报销审核制度，清退违规费用。"
MEASURE_A = "严格执行公务接待制度，清退违规报销费用。"


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    """inspection1 in 整改 with an approved plan (``task_a`` on the problem resting on the banquet finding,
    ``task_b`` long-term), ``task_p`` on the principal leader's problem and ``fieldwork``, a 边巡边改 item."""
    w = delivered(world)
    plan = approved_plan(w)
    w.task_p = plans.add_task(plan, task(w, w.problem_p), by=w.users["office"])
    set_stage(w.inspection1, Stage.FIELDWORK)
    w.fieldwork = items.issue_item(
        w.inspection1,
        issue="食堂账目不公开",
        measure="食堂账目按月公示",
        kind=ItemKind.IMMEDIATE,
        leader="李局长",
        department="机关服务中心",
        due_on=days(10),
        by=w.users["t1_leader"],
    )
    set_stage(w.inspection1, Stage.RECTIFYING)
    return w


def _clue(w: SimpleNamespace, *, finding: object = None, person: object = None) -> Clue:
    data = clue_actions.ClueInput(
        title="收受礼金",
        content="反映收受下属单位负责人礼金。",
        kind="discipline",
        persons=[person or w.principal1],
        finding=finding,  # type: ignore[arg-type]
    )
    return clue_actions.draft_clue(w.inspection1, data=data, by=w.users["t1_member"])


def _draft(w: SimpleNamespace, entries: list[tuple[Item, str]] | None = None, **kwargs: str) -> Publication:
    values = {"title": "关于市财政局巡察整改情况的通报", "summary": SUMMARY, **kwargs}
    return actions.save_draft(
        w.inspection1,
        entries=entries if entries is not None else [(w.task_b, WORDING)],
        by=w.users["office"],
        **values,
    )


def test_the_exemptions_each_with_its_reason(w: SimpleNamespace) -> None:
    assert rules.exemption(w.task_a) is None
    assert rules.exemption(w.task_p) == rules.PRINCIPAL
    assert rules.exemption(w.fieldwork) is None
    # A clue on a finding the problem rests on: a person under review.
    assert w.banquet in w.problem_a.findings.all()
    clue = _clue(w, finding=w.banquet)
    assert rules.exemption(w.task_a) == rules.UNDER_REVIEW
    assert rules.exemption(w.task_b) is None
    # A withdrawn clue no longer exempts.
    Clue.objects.filter(pk=clue.pk).update(status="withdrawn")
    assert rules.exemption(w.task_a) is None
    actions.mark_confidential(w.fieldwork, confidential=True, reason="涉及在办案件", by=w.users["t1_leader"])
    w.fieldwork.refresh_from_db()
    assert rules.exemption(w.fieldwork) == rules.CONFIDENTIAL


def test_the_draft_refuses_exempt_items_with_the_reason(w: SimpleNamespace) -> None:
    with pytest.raises(Refused) as refused:
        _draft(w, [(w.task_p, "整改主要负责人问题")])
    assert refused.value.field == f"text_{w.task_p.pk}" and rules.PRINCIPAL in refused.value.message
    _clue(w, finding=w.banquet)
    with pytest.raises(Refused) as refused:
        _draft(w, [(w.task_a, WORDING)])
    assert refused.value.field == f"text_{w.task_a.pk}" and rules.UNDER_REVIEW in refused.value.message
    actions.mark_confidential(w.fieldwork, confidential=True, reason="涉密", by=w.users["office"])
    with pytest.raises(Refused, match="不予公开"):
        _draft(w, [(w.fieldwork, "食堂账目按月公示")])
    assert not Publication.objects.exists()


def test_a_draft_needs_the_summary_and_each_entry_s_wording(w: SimpleNamespace) -> None:
    with pytest.raises(Refused) as refused:
        _draft(w, summary=" ")
    assert refused.value.field == "summary"
    with pytest.raises(Refused) as refused:
        _draft(w, [(w.task_b, "  ")])
    assert refused.value.field == f"text_{w.task_b.pk}"
    publication = _draft(w, [])
    assert publication.status == PublicationStatus.DRAFT and not publication.entries.exists()


@pytest.mark.parametrize("where", ["summary", "entry", "title"])
def test_a_name_under_review_is_refused_in_any_public_text(w: SimpleNamespace, where: str) -> None:
    _clue(w, person=w.deputy1)  # a clue without a finding: the name is what matters
    name = w.deputy1.name
    text = f"{name}同志已作出深刻检查。"
    with pytest.raises(Refused) as refused:
        if where == "entry":
            _draft(w, [(w.task_b, text)])
        else:
            _draft(w, **{where: text})
    field = f"text_{w.task_b.pk}" if where == "entry" else where
    assert refused.value.field == field
    assert refused.value.message == f"公开内容含有正在审查调查的人员姓名“{name}”，请修改。"


def test_only_the_office_drafts_and_publishes_and_only_in_its_stages(w: SimpleNamespace) -> None:
    for persona in ("t1_leader", "leader", "liaison1", "county_office"):
        with pytest.raises(NotAllowed):
            actions.save_draft(w.inspection1, title="通报", summary=SUMMARY, entries=[], by=w.users[persona])
    publication = _draft(w)
    with pytest.raises(NotAllowed):
        actions.publish(publication, by=w.users["t1_leader"])
    set_stage(w.inspection1, Stage.FEEDBACK)
    with pytest.raises(Refused, match="只能在“整改、评估回访”阶段"):
        actions.publish(publication, by=w.users["office"])
    set_stage(w.inspection1, Stage.REVIEWING)
    actions.publish(publication, by=w.users["office"])


def test_a_clue_appearing_after_the_draft_blocks_publishing(w: SimpleNamespace) -> None:
    publication = _draft(w, [(w.task_a, WORDING), (w.task_b, "持续完善报销制度")])
    _clue(w, finding=w.banquet)
    with pytest.raises(Refused) as refused:
        actions.publish(publication, by=w.users["office"])
    assert refused.value.field == f"text_{w.task_a.pk}"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.DRAFT and publication.published_at is None


def test_publishing_takes_a_snapshot_that_does_not_follow_the_item(w: SimpleNamespace) -> None:
    publication = _draft(
        w, [(w.task_a, WORDING), (w.task_b, "持续完善报销制度"), (w.fieldwork, "食堂账目公示")]
    )
    actions.publish(publication, by=w.users["office"])
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and publication.published_by == w.users["office"]
    assert rules.counts(publication.entries.all()) == {"done": 0, "ongoing": 2, "long_term": 1}
    event = AuditEvent.objects.get(action="rectification_publication.published")
    assert event.details["counts"] == {"done": 0, "ongoing": 2, "long_term": 1}
    # The item closes later: the published page still says what it said.
    with_evidence(w, w.task_a)
    items.submit_item(w.task_a, by=w.users["liaison1"])
    items.close_item(w.task_a, by=w.users["office"])
    entry = publication.entries.get(item=w.task_a)
    assert entry.status == ItemStatus.OPEN and rules.public_state(entry) == rules.ONGOING
    # Publishing again takes the new status.
    actions.publish(publication, by=w.users["office"])
    entry.refresh_from_db()
    assert rules.public_state(entry) == rules.DONE


def test_withdrawing_needs_a_reason_and_takes_the_public_page_down(
    w: SimpleNamespace, client: Client, client_for: ClientFor
) -> None:
    publication = actions.publish(_draft(w), by=w.users["office"])
    url = f"/portal/gongkai/{publication.public_id}/"
    assert client.get(url).status_code == 200
    with pytest.raises(Refused) as refused:
        actions.withdraw(publication, reason=" ", by=w.users["office"])
    assert refused.value.field == "reason"
    actions.withdraw(publication, reason="发现涉及在办案件", by=w.users["office"])
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/public/rectification/{publication.public_id}").status_code == 404
    assert publication.title not in client.get("/portal/gongkai/").content.decode()
    with pytest.raises(Refused, match="重新编辑"):
        actions.publish(publication, by=w.users["office"])
    # Edited again, it is a draft (still not public) until published.
    publication = _draft(w)
    assert publication.status == PublicationStatus.DRAFT and client.get(url).status_code == 404
    actions.publish(publication, by=w.users["office"])
    assert client.get(url).status_code == 200


def test_a_draft_is_not_public(w: SimpleNamespace, client: Client) -> None:
    publication = _draft(w)
    assert client.get(f"/portal/gongkai/{publication.public_id}/").status_code == 404
    assert client.get(f"/portal/gongkai/{uuid.uuid4()}/").status_code == 404
    assert client.get("/api/v1/public/rectification/").json() == EMPTY_PAGE


def test_the_public_page_shows_the_wording_and_leaks_nothing(
    w: SimpleNamespace, client: Client, client_for: ClientFor
) -> None:
    publication = _draft(w, [(w.task_a, WORDING), (w.task_b, "持续完善报销制度")])
    actions.publish(publication, by=w.users["office"])
    response = client.get(f"/portal/gongkai/{publication.public_id}/")
    page = response.content.decode()
    assert response.status_code == 200 and "max-age=60" in response["Cache-Control"]
    assert WORDING in page and SUMMARY in page and "长期坚持" in page and "整改中" in page
    office = w.users["office"]
    hidden = [
        MEASURE_A,  # the internal measure, the wording differs
        w.task_a.leader,
        w.task_a.department,
        w.principal1.name,
        w.deputy1.name,
        w.problem_a.title,
        w.problem_p.title,
        office.username,
        office.get_full_name() or office.username,
        w.task_a.code,
        f"/rectification/items/{w.task_a.pk}/",
    ]
    for text in hidden:
        assert text not in page, text
    staff = client_for("office").get(f"/portal/gongkai/{publication.public_id}/")
    assert (
        staff.status_code == 200
        and "no-store" in staff["Cache-Control"]
        and "public" not in staff["Cache-Control"]
    )
    listing = client.get("/portal/gongkai/").content.decode()
    assert publication.title in listing and w.inspection1.unit.name in listing
    # Marked 不予公开 after publishing: gone from the page at once.
    actions.mark_confidential(w.task_b, confidential=True, reason="涉及在办案件", by=w.users["office"])
    assert "持续完善报销制度" not in client.get(f"/portal/gongkai/{publication.public_id}/").content.decode()


def test_the_public_api(w: SimpleNamespace, client: Client) -> None:
    publication = actions.publish(_draft(w, [(w.task_a, WORDING)]), by=w.users["office"])
    listing = client.get("/api/v1/public/rectification/").json()
    assert listing["count"] == 1
    assert listing["items"][0]["public_id"] == str(publication.public_id)
    assert listing["items"][0]["unit"] == w.inspection1.unit.name
    detail = client.get(f"/api/v1/public/rectification/{publication.public_id}")
    body = detail.json()
    assert body["counts"] == {"done": 0, "ongoing": 1, "long_term": 0}
    assert body["entries"] == [{"text": WORDING, "state": "整改中"}]
    raw = detail.content.decode()
    for text in (MEASURE_A, w.task_a.leader, '"id"', "item_id", "office"):
        assert text not in raw, text


def test_the_staff_api(w: SimpleNamespace, client_for: ClientFor) -> None:
    publication = _draft(w)
    office, leader, other = client_for("office"), client_for("t1_leader"), client_for("t2_member")
    url = f"/api/v1/rectification-publications/{publication.pk}"
    assert office.get("/api/v1/rectification-publications/").json()["count"] == 1
    assert other.get("/api/v1/rectification-publications/").json()["count"] == 0
    assert other.get(url).status_code == 404
    assert leader.get(url).json()["entries"][0]["public_text"] == WORDING
    assert leader.post(f"{url}/publish").status_code == 403
    body = office.post(f"{url}/publish").json()
    assert body["status"] == "published" and body["entries"][0]["status"] == "open"
    response = office.post(f"{url}/withdraw", json.dumps({"reason": ""}), content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"
    response = office.post(f"{url}/withdraw", json.dumps({"reason": "有误"}), content_type="application/json")
    assert response.json()["status"] == "withdrawn"


def test_marking_confidential_is_for_the_office_and_the_team_leader(w: SimpleNamespace) -> None:
    for persona in ("t1_member", "liaison1", "leader"):
        with pytest.raises(NotAllowed):
            actions.mark_confidential(w.task_b, confidential=True, reason="涉密", by=w.users[persona])
    with pytest.raises(Refused) as refused:
        actions.mark_confidential(w.task_b, confidential=True, reason="", by=w.users["t1_leader"])
    assert refused.value.field == "reason"
    actions.mark_confidential(w.task_b, confidential=True, reason="涉密", by=w.users["t1_leader"])
    with pytest.raises(Refused, match="已标为不予公开"):
        actions.mark_confidential(w.task_b, confidential=True, reason="涉密", by=w.users["office"])
    actions.mark_confidential(w.task_b, confidential=False, reason="已结案", by=w.users["office"])
    w.task_b.refresh_from_db()
    assert not w.task_b.confidential
    assert AuditEvent.objects.filter(action="rectification_item.confidentiality_marked").count() == 2


def test_archived_is_read_only(w: SimpleNamespace) -> None:
    publication = _draft(w)
    set_stage(w.inspection1, Stage.ARCHIVED)
    with pytest.raises(Refused, match="归档"):
        actions.publish(publication, by=w.users["office"])
    with pytest.raises(Refused, match="归档"):
        actions.mark_confidential(w.task_b, confidential=True, reason="涉密", by=w.users["office"])


def test_the_editor_shows_the_exemptions_and_saves(w: SimpleNamespace, client_for: ClientFor) -> None:
    _clue(w, finding=w.banquet)
    office = client_for("office")
    url = f"/rectification/inspections/{w.inspection1.pk}/publication/edit/"
    page = office.get(url).content.decode()
    assert rules.PRINCIPAL in page and rules.UNDER_REVIEW in page
    assert f'name="text_{w.task_b.pk}"' in page and f'name="text_{w.task_a.pk}"' not in page
    data = {
        "title": "整改情况通报",
        "summary": SUMMARY,
        f"include_{w.task_b.pk}": "on",
        f"text_{w.task_b.pk}": "",
    }
    response = office.post(url, data)
    assert response.status_code == 200 and "公开表述" in response.content.decode()
    data[f"text_{w.task_b.pk}"] = WORDING
    data[f"include_{w.fieldwork.pk}"] = ""
    response = office.post(url, data)
    assert response.status_code == 302
    publication = Publication.objects.get(inspection=w.inspection1)
    assert [(e.item_id, e.public_text) for e in publication.entries.all()] == [(w.task_b.pk, WORDING)]
    # A name under review typed into the summary comes back on that field.
    response = office.post(url, {**data, "summary": f"{w.principal1.name}已整改"})
    assert response.status_code == 200 and "正在审查调查的人员姓名" in response.content.decode()
    assert client_for("t1_leader").get(url).status_code == 403


def test_the_staff_page_hides_why_from_the_liaison(w: SimpleNamespace, client_for: ClientFor) -> None:
    _clue(w, finding=w.banquet)
    _draft(w)
    url = f"/rectification/inspections/{w.inspection1.pk}/publication/"
    team = client_for("t1_member").get(url).content.decode()
    assert rules.UNDER_REVIEW in team and WORDING in team
    liaison = client_for("liaison1").get(url).content.decode()
    assert WORDING in liaison and rules.UNDER_REVIEW not in liaison and rules.PRINCIPAL not in liaison
    assert client_for("t2_member").get(url).status_code == 404
    section = client_for("office").get(f"/rectification/inspections/{w.inspection1.pk}/").content.decode()
    assert "整改情况公开" in section


def test_the_lists_do_not_query_per_row(
    w: SimpleNamespace, client: Client, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    publication = actions.publish(
        _draft(w, [(w.task_a, WORDING), (w.task_b, "持续完善报销制度"), (w.fieldwork, "食堂账目公示")]),
        by=w.users["office"],
    )
    with django_assert_max_num_queries(3):
        assert client.get("/portal/gongkai/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/portal/gongkai/{publication.public_id}/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/public/rectification/").status_code == 200
    office = client_for("office")
    with django_assert_max_num_queries(16):
        assert office.get(f"/rectification/inspections/{w.inspection1.pk}/publication/").status_code == 200
    with django_assert_max_num_queries(16):
        assert (
            office.get(f"/rectification/inspections/{w.inspection1.pk}/publication/edit/").status_code == 200
        )
