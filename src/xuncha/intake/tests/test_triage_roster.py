"""Roster persons named in a petition (jieba with the roster's names and posts), the scope their posts
give, petitions about the inspectors themselves, and important real-name reports."""

import pytest

from xuncha.core.audit import action_scope, record
from xuncha.intake.choices import SuggestionField, SuggestionSource
from xuncha.intake.models import Petition
from xuncha.intake.triage import default_model
from xuncha.orgs.choices import PostCategory, UnitType
from xuncha.orgs.models import Person, Unit

from .conftest import letter
from .triage_support import of, values, with_defaults

PERSON, SCOPE, IMPORTANT = SuggestionField.PERSON, SuggestionField.SCOPE, SuggestionField.IMPORTANT


def persons(petition: Petition) -> set[str]:
    return values(petition, PERSON, SuggestionSource.ROSTER)


@pytest.fixture
def w(world):
    return with_defaults(world, rules=False)


@pytest.fixture(autouse=True)
def without_the_default_model(monkeypatch):
    """The rules' and the roster's own suggestions, alone: the default model is tested apart
    (test_triage_default.py), with the rules and the ranking."""
    monkeypatch.setattr(default_model, "loaded", lambda: None)


def test_zhang_juzhang_is_the_principal_with_the_evidence(w):
    petition = letter(w, "反映市财政局张局长违规插手工程")
    [found] = of(petition, PERSON)
    assert found.value == str(w.principal1.pk) and found.source == SuggestionSource.ROSTER
    assert found.label == "张建国（党组书记、局长）"
    assert found.reason == "正文提到“张局长”，花名册中张建国任党组书记、局长"
    [scope] = of(petition, SCOPE, SuggestionSource.ROSTER)
    assert scope.value == "in:leadership"
    assert scope.reason == "被反映人张建国（党组书记、局长）系被巡察党组织领导班子成员"


@pytest.mark.parametrize(
    "text",
    [
        "王局长违规报销餐费",  # 王海燕 is 会计科科长, not 局长; 张建国 is 局长 but not 王
        "听说财政局的王局长经常打牌",
        "赵局长一直不作为",  # nobody named 赵
    ],
)
def test_a_surname_and_title_nobody_holds_suggests_nobody(w, text):
    petition = letter(w, text)
    assert persons(petition) == set()
    assert str(w.principal1.pk) not in persons(petition)  # "局长" is not read again on its own
    assert not of(petition, SCOPE, SuggestionSource.ROSTER)


@pytest.mark.parametrize(
    ("text", "who", "mention"),
    [
        ("李副局长分管的项目存在围标", "deputy1", "李副局长"),
        ("李文华在项目审批中收受好处", "deputy1", "李文华"),
        ("李局长分管的项目存在围标", "deputy1", "李局长"),  # a deputy is called 局长 too
        ("王科长做假账", "keypost1", "王科长"),
        ("张建国书记搞一言堂", "principal1", "张建国"),
    ],
)
def test_names_and_surname_with_title_find_the_person(w, text, who, mention):
    petition = letter(w, text)
    person = getattr(w, who)
    assert persons(petition) == {str(person.pk)}
    [found] = of(petition, PERSON)
    assert found.reason.startswith(f"正文提到“{mention}”，花名册中{person.name}任{person.post}")


def test_a_post_alone_is_its_only_holder_with_a_lower_score(w):
    petition = letter(w, "会计科科长长期虚报账目")
    [found] = of(petition, PERSON)
    assert found.value == str(w.keypost1.pk) and found.score < 1
    assert "花名册中仅王海燕任此职" in found.reason
    [scope] = of(petition, SCOPE)
    assert scope.value == "in:key_post" and "系重要岗位干部" in scope.reason


def test_the_subject_fields_count(w):
    by_name = letter(w, "反映问题", subject_name="李文华", subject_post="副局长")
    assert persons(by_name) == {str(w.deputy1.pk)}
    assert of(by_name, PERSON)[0].reason.startswith("被反映人填写为“李文华（副局长）”")
    by_surname = letter(w, "反映问题", subject_name="张某", subject_post="局长")
    assert persons(by_surname) == {str(w.principal1.pk)}
    by_post = letter(w, "反映问题", subject_post="会计科科长")
    assert persons(by_post) == {str(w.keypost1.pk)}
    wrong = letter(w, "反映问题", subject_name="王某", subject_post="局长")
    assert persons(wrong) == set()
    stranger = letter(w, "反映问题", subject_name="赵大海", subject_post="局长")
    assert persons(stranger) == set()
    by_title = letter(w, "反映问题", subject_name="张局长")
    assert persons(by_title) == {str(w.principal1.pk)}
    assert persons(letter(w, "反映问题", subject_name="王局长", subject_post="局长")) == set()


def test_a_principal_of_a_unit_below_gives_the_next_level_reason(w):
    with action_scope("test.roster"):
        head = Person.objects.create(
            unit=w.unit1_child, name="欧阳明", post="主任", category=PostCategory.NEXT_LEVEL_PRINCIPAL
        )
        Person.objects.create(unit=w.unit2, name="郑强", post="主任", category=PostCategory.PRINCIPAL)
        record("test.roster", head, by=None)
    petition = letter(w, "国库支付中心欧阳主任违规发放补贴，郑强也知情")
    assert persons(petition) == {str(head.pk)}  # not the other unit's 郑强
    [scope] = of(petition, SCOPE)
    assert scope.value == "in:next_level_principal"
    assert scope.reason == "被反映人欧阳明（市财政局国库支付中心主任）系下一级党组织主要负责人"


def test_a_person_who_left_is_not_suggested(w):
    with action_scope("test.roster"):
        Person.objects.filter(pk=w.deputy1.pk).update(is_active=False)
        record("test.roster", None, by=None)
    assert persons(letter(w, "李文华收受礼金")) == set()


def test_roster_words_do_not_change_search_segmentation(w):
    from xuncha.intake import search

    before = search.query_words("张建国")
    letter(w, "张建国违规")
    assert search.query_words("张建国") == before


# About the inspectors -------------------------------------------------------------------------------


def test_naming_a_team_member_hides_the_petition_from_the_team(w, client_for):
    petition = letter(w, "巡察组的周敏在谈话时透露了反映人的情况")
    petition.refresh_from_db()
    assert petition.about_inspectors
    [scope] = of(petition, SCOPE)
    assert scope.value == "out:about_inspectors"
    assert scope.reason == "正文提到本巡察组成员“周敏”，应由巡察办办理，不交本巡察组"
    for persona in ("t1_member", "t1_leader"):
        assert not Petition.objects.visible_to(w.users[persona]).filter(pk=petition.pk).exists()
        assert client_for(persona).get(f"/intake/petitions/{petition.pk}/").status_code == 404
        assert client_for(persona).get(f"/api/v1/petitions/{petition.pk}/suggestions").status_code == 404
    assert Petition.objects.visible_to(w.users["office"]).filter(pk=petition.pk).exists()
    response = client_for("office").get(f"/api/v1/petitions/{petition.pk}/suggestions")
    assert response.status_code == 200 and response.json()["count"] == 1


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"subject_name": "刘振华"}, "被反映人“刘振华”是本巡察组成员"),
        ({}, "正文反映巡察组或巡察干部的行为"),
    ],
)
def test_the_subject_or_the_conduct_of_the_team_counts(w, fields, reason):
    petition = letter(w, "巡察组成员接受被巡察单位宴请", **fields)
    petition.refresh_from_db()
    assert petition.about_inspectors
    assert of(petition, SCOPE)[0].reason.startswith(reason)


@pytest.mark.parametrize(
    "text",
    [
        "向巡察组反映，张局长收受红包",  # a report to the team, not about it
        "恳请巡察组调查会计科的违规报销",
        "吴涛收受红包",  # 吴涛 is in team2, not the team of this inspection
        "周敏感到很失望，局里违规发放补贴",  # 周敏 inside another word
    ],
)
def test_reports_to_the_team_are_not_about_it(w, text):
    petition = letter(w, text)
    petition.refresh_from_db()
    assert not petition.about_inspectors
    assert "out:about_inspectors" not in values(petition, SCOPE)


# Important real-name reports ------------------------------------------------------------------------


def test_a_named_report_on_a_leader_is_important(w):
    petition = letter(w, "张局长违规插手工程", anonymous=False, reporter_name="赵小明")
    [found] = of(petition, IMPORTANT)
    assert found.value == "1" and found.source == SuggestionSource.ROSTER
    assert found.reason == "实名反映，反映领导班子成员张建国，建议及时约谈反映人"
    assert "赵小明" not in found.reason


def test_a_named_report_with_a_large_sum_is_important(w):
    petition = letter(w, "办公室有人挪用经费十几万元", anonymous=False, reporter_name="赵小明")
    assert of(petition, IMPORTANT)[0].reason == "实名反映，涉及金额“十几万元”，建议及时约谈反映人"


def test_an_anonymous_report_is_never_flagged_important(w):
    assert not of(letter(w, "张局长收受红包二十万元"), IMPORTANT)


def test_a_unit_without_roster_gives_no_person(w):
    with action_scope("test.unit"):
        Unit.objects.create(committee=w.city, name="空单位", unit_type=UnitType.ORGAN)
        record("test.unit", None, by=None)
    petition = letter(w, "反映问题")
    assert not of(petition, PERSON)
