"""The triage decision: a person confirms or overrides the suggestions, recorded with who and when; the
statuses it leads to; refusals on their field; the page, and the API with its 404s out of scope."""

import json

import pytest

from xuncha.core.api import NOT_FOUND
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.intake.actions.triage import triage_petition
from xuncha.intake.choices import Decision, Scope, ScopeReason, Status
from xuncha.intake.models import Petition
from xuncha.rounds.choices import Stage

from .conftest import letter
from .triage_support import with_defaults

CANARY = "欧阳金丝雀"


@pytest.fixture
def w(world):
    return with_defaults(world)


def accept(w, petition, *, by="t1_member", **changes):
    data = {
        "decision": Decision.ACCEPT,
        "scope": Scope.IN,
        "scope_reason": ScopeReason.LEADERSHIP,
        "discipline": w.integrity,
        "focus": w.eight_rules,
        "persons": [w.principal1],
        "important": False,
        "note": "",
    }
    data.update(changes)
    return triage_petition(petition, by=w.users[by], **data)


def test_accepting_records_who_and_which_suggestions_were_taken(w):
    petition = letter(w, "张局长公款吃喝", anonymous=False, reporter_name=CANARY)
    accept(w, petition, important=True)
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and petition.decision == Decision.ACCEPT
    assert petition.decided_by == w.users["t1_member"] and petition.decided_at is not None
    assert list(petition.persons.all()) == [w.principal1]
    event = AuditEvent.objects.get(action="petition.triaged")
    assert (event.actor_name, event.role) == ("t1_member", "team_member")
    accepted = {(a["field"], a["source"]) for a in event.details["accepted"]}
    assert {("person", "roster"), ("scope", "roster"), ("discipline", "rule"), ("focus", "rule")} <= accepted
    assert "important" in {field for field, _ in accepted}
    overridden = {(o["field"], o["value"]) for o in event.details["overridden"]}
    assert ("scope", "in:discipline") in overridden  # the rule said 六项纪律; the decision says 领导班子
    assert event.details["changes"]["status"] == ["new", "accepted"]
    assert CANARY not in json.dumps(event.details, ensure_ascii=False)


def test_filing_disposes_and_a_transfer_waits_for_the_transfer(w):
    filed = letter(w, "反映情况不清")
    triage_petition(
        filed,
        decision=Decision.FILE,
        scope=Scope.OUT,
        scope_reason=ScopeReason.OTHER_MATTER,
        note="内容无具体事实，存查。",
        by=w.users["t1_leader"],
    )
    assert Petition.objects.get(pk=filed.pk).status == Status.FILED
    claim = letter(w, "被拖欠工资三个月")
    triage_petition(
        claim,
        decision=Decision.TRANSFER,
        scope=Scope.OUT,
        scope_reason=ScopeReason.PERSONAL_CLAIM,
        by=w.users["office"],
    )
    claim.refresh_from_db()
    assert (claim.status, claim.decision, claim.decided_by) == (
        Status.NEW,
        Decision.TRANSFER,
        w.users["office"],
    )
    # A decision can be changed until the petition is transferred.
    accept(w, claim, scope_reason=ScopeReason.DISCIPLINE, persons=[])
    assert Petition.objects.get(pk=claim.pk).status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision": "approve"}, "decision", "请选择分拣意见"),
        ({"scope": ""}, "scope", "请选择是否属于受理范围"),
        ({"scope_reason": "whim"}, "scope_reason", "请选择受理范围的依据"),
        ({"scope_reason": ScopeReason.PERSONAL_CLAIM}, "scope_reason", "属于受理范围时"),
        ({"scope": Scope.OUT, "scope_reason": ScopeReason.LEADERSHIP}, "scope_reason", "不属于受理范围时"),
        ({"scope": Scope.OUT, "scope_reason": ScopeReason.LITIGATION}, "decision", "不能受理"),
        ({"decision": Decision.TRANSFER}, "decision", "不能转交"),
        ({"decision": Decision.FILE}, "note", "存查时请填写分拣说明"),
        ({"scope_reason": ScopeReason.DISCIPLINE, "discipline": None}, "discipline", "请选择所涉纪律"),
        ({"persons": []}, "persons", "请在被反映人中选择相应的人员"),
        ({"scope_reason": ScopeReason.KEY_POST}, "persons", "请在被反映人中选择相应的人员"),
        ({"important": True}, "important", "匿名反映无法约谈"),
        ({"note": "长" * 2_001}, "note", "分拣说明过长"),
    ],
)
def test_bad_decisions_are_refused_on_their_field(w, changes, field, message):
    petition = letter(w, "张局长公款吃喝")
    with pytest.raises(Refused) as refusal:
        accept(w, petition, **changes)
    assert refusal.value.field == field
    assert message in refusal.value.message
    petition.refresh_from_db()
    assert petition.decided_by is None and petition.status == Status.NEW
    assert not AuditEvent.objects.filter(action="petition.triaged").exists()


def test_categories_and_persons_must_fit(w):
    petition = letter(w, "张局长公款吃喝")
    with pytest.raises(Refused) as wrong_kind:
        accept(w, petition, discipline=w.eight_rules)
    assert wrong_kind.value.field == "discipline"
    with pytest.raises(Refused) as other_unit:
        accept(w, petition, persons=[w.principal1, w.principal2])
    assert other_unit.value.field == "persons"


def test_who_may_decide(w):
    petition = letter(w, "张局长公款吃喝")
    for persona in ("t2_member", "liaison1", "leader", "county_office", "custodian"):
        with pytest.raises(NotAllowed):
            accept(w, petition, by=persona)
    with pytest.raises(NotAllowed):
        triage_petition(petition, decision="accept", scope="in", scope_reason="leadership", by=None)
    about_us = letter(w, "巡察组的周敏收受红包")
    with pytest.raises(NotAllowed):
        accept(w, about_us, by="t1_leader")
    triage_petition(
        about_us,
        decision=Decision.ACCEPT,
        scope=Scope.OUT,
        scope_reason=ScopeReason.ABOUT_INSPECTORS,
        by=w.users["office"],
    )
    assert Petition.objects.get(pk=about_us.pk).status == Status.ACCEPTED


def test_no_decision_once_transferred_or_archived(w):
    petition = letter(w, "张局长公款吃喝")
    Petition.objects.filter(pk=petition.pk).update(status=Status.TRANSFERRED)
    petition.refresh_from_db()
    with pytest.raises(Refused, match="已转交"):
        accept(w, petition)
    other = letter(w, "李文华收受礼金")
    other.inspection.stage = Stage.ARCHIVED
    with pytest.raises(Refused, match="已归档"):
        accept(w, other, persons=[w.deputy1])


# The page -------------------------------------------------------------------------------------------


def test_the_petition_page_shows_the_suggestions_and_a_prefilled_form(w, client_for):
    petition = letter(w, "张局长经常公款吃喝")
    page = client_for("t1_member").get(f"/intake/petitions/{petition.pk}/")
    html = page.content.decode()
    assert "正文提到“张局长”，花名册中张建国任党组书记、局长" in html
    assert "规则「廉洁纪律」命中“公款吃喝”" in html
    assert 'text-bg-success">花名册' in html and 'text-bg-primary">规则' in html
    assert f'action="/intake/petitions/{petition.pk}/triage/"' in html
    form = client_for("t1_member").get(f"/intake/petitions/{petition.pk}/triage/").context["form"]
    assert form.initial["decision"] == Decision.ACCEPT
    assert (form.initial["scope"], form.initial["scope_reason"]) == (Scope.IN, ScopeReason.LEADERSHIP)
    assert form.initial["discipline"] == w.integrity.pk and form.initial["focus"] == w.eight_rules.pk
    assert form.initial["persons"] == [w.principal1.pk]


def test_deciding_on_the_page(w, client_for):
    petition = letter(w, "张局长经常公款吃喝")
    url = f"/intake/petitions/{petition.pk}/triage/"
    client = client_for("t1_leader")
    data = {
        "decision": "accept",
        "scope": "in",
        "scope_reason": "leadership",
        "discipline": w.integrity.pk,
        "focus": w.eight_rules.pk,
        "persons": [],
        "note": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "请在被反映人中选择相应的人员" in str(refused.context["form"].errors["persons"])
    response = client.post(url, {**data, "persons": [w.principal1.pk]})
    assert response.status_code == 302 and response.url == f"/intake/petitions/{petition.pk}/"
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and petition.decided_by == w.users["t1_leader"]
    assert "已由 t1_leader" in client.get(f"/intake/petitions/{petition.pk}/").content.decode()
    for persona in ("t2_member", "liaison1", "county_office", "leader"):
        assert client_for(persona).get(url).status_code == 404, persona
        assert client_for(persona).post(url, data).status_code == 404, persona


# About the inspectors: the team hands it to the office and loses sight of it -------------------------


def test_a_team_cannot_keep_a_petition_it_finds_to_be_about_itself(w):
    petition = letter(w, "反映有人打着检查的名义吃拿卡要")  # missed by the automatic check
    with pytest.raises(Refused) as refused:
        accept(w, petition, scope=Scope.OUT, scope_reason=ScopeReason.ABOUT_INSPECTORS)
    assert refused.value.field == "scope_reason" and "移交巡察办" in refused.value.message
    assert not Petition.objects.get(pk=petition.pk).about_inspectors


def test_handing_over_on_the_page_undoes_the_decision_and_leaves_the_office_alone(w, client_for):
    petition = letter(w, "反映有人打着检查的名义吃拿卡要")
    accept(w, petition)  # first accepted as an ordinary petition, then read again
    url = f"/intake/petitions/{petition.pk}/triage/"
    data = {
        "decision": "accept",
        "scope": "out",
        "scope_reason": "about_inspectors",
        "note": "所述为本组人员",
    }
    response = client_for("t1_member").post(url, data)
    assert response.status_code == 302 and response.url == "/intake/petitions/"
    petition.refresh_from_db()
    assert petition.about_inspectors and petition.status == Status.NEW and petition.decision == ""
    assert petition.decided_by is None and petition.decision_note == "所述为本组人员"
    event = AuditEvent.objects.get(action="petition.handed_to_office")
    assert event.actor_name == "t1_member" and event.details["changes"]["status"] == ["accepted", "new"]
    for persona in ("t1_member", "t1_leader"):
        assert client_for(persona).get(f"/intake/petitions/{petition.pk}/").status_code == 404, persona
    assert client_for("office").get(f"/intake/petitions/{petition.pk}/").status_code == 200
    accept(w, petition, by="office", scope=Scope.OUT, scope_reason=ScopeReason.ABOUT_INSPECTORS)
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_handing_over_by_the_api_needs_a_note_and_answers_204(w, client_for):
    petition = letter(w, "反映有人打着检查的名义吃拿卡要")
    url = f"/api/v1/petitions/{petition.pk}/hand-to-office"
    client = client_for("t1_member")
    blank = client.post(url, json.dumps({"note": "  "}), content_type="application/json")
    assert blank.status_code == 422 and blank.json()["detail"][0]["field"] == "note"
    assert client_for("t2_member").post(
        url, json.dumps({"note": "x"}), content_type="application/json"
    ).json() == (NOT_FOUND)
    done = client.post(url, json.dumps({"note": "反映本组人员"}), content_type="application/json")
    assert done.status_code == 204
    assert client.get(f"/api/v1/petitions/{petition.pk}").status_code == 404


# The API --------------------------------------------------------------------------------------------


def _post(client, petition, body):
    return client.post(
        f"/api/v1/petitions/{petition.pk}/triage", json.dumps(body), content_type="application/json"
    )


def test_the_api_decides_like_the_page(w, client_for):
    petition = letter(w, "李副局长收受礼金")
    body = {
        "decision": "accept",
        "scope": "in",
        "scope_reason": "leadership",
        "discipline": w.integrity.pk,
        "persons": [w.deputy1.pk],
    }
    response = _post(client_for("t1_member"), petition, body)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["status"] == "accepted" and out["decided_by"] == "t1_member"
    assert out["persons"] == [w.deputy1.pk] and out["discipline_id"] == w.integrity.pk
    suggestions = client_for("t1_member").get(f"/api/v1/petitions/{petition.pk}/suggestions").json()
    sources = {(s["field"], s["source_label"]) for s in suggestions["items"]}
    assert ("person", "花名册") in sources and ("discipline", "规则") in sources
    assert all(s["reason"] for s in suggestions["items"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision": "transfer"}, "decision"),
        ({"discipline": 10**9}, "discipline"),
        ({"focus": "abc"}, "focus"),
        ({"persons": ["x"]}, "persons.0"),
        ({"scope": None}, "scope"),
    ],
)
def test_api_refusals_name_the_field(w, client_for, changes, field):
    petition = letter(w, "李副局长收受礼金")
    body = {"decision": "accept", "scope": "in", "scope_reason": "leadership", "persons": [w.deputy1.pk]}
    body.update(changes)
    response = _post(client_for("office"), petition, body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["detail"]}


def test_a_person_of_another_unit_is_refused_in_the_api(w, client_for):
    petition = letter(w, "李副局长收受礼金")
    body = {"decision": "accept", "scope": "in", "scope_reason": "leadership", "persons": [w.principal2.pk]}
    response = _post(client_for("office"), petition, body)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "persons", "message": "被反映人不存在或无权访问。"}]


def test_the_api_answers_404_outside_scope(w, client_for):
    petition = letter(w, "李副局长收受礼金")
    body = {"decision": "accept", "scope": "in", "scope_reason": "leadership", "persons": [w.deputy1.pk]}
    for persona in ("t2_member", "liaison1", "county_office", "leader", "jiwei"):
        client = client_for(persona)
        response = _post(client, petition, body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), persona
        assert client.get(f"/api/v1/petitions/{petition.pk}/suggestions").status_code == 404, persona
    assert Petition.objects.get(pk=petition.pk).decided_by is None
