"""Triage rules: each match kind with the reason it gives, the default rules (个人诉求, 涉法涉诉 …), rules
checked when saved (regular expressions made safe), compiled once per version, and the office's pages."""

from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.intake.actions.triage import (
    activate_rule,
    create_rule,
    deactivate_rule,
    install_default_rules,
    update_rule,
)
from xuncha.intake.choices import MatchKind, SuggestionField, SuggestionSource
from xuncha.intake.models import TriageRule
from xuncha.intake.triage import default_model
from xuncha.intake.triage import defaults as default_rules
from xuncha.intake.triage import rules as rule_engine
from xuncha.intake.triage.base import SEGMENT, Text

from .conftest import letter
from .triage_support import of, values, with_defaults

SCOPE, DISCIPLINE, FOCUS = SuggestionField.SCOPE, SuggestionField.DISCIPLINE, SuggestionField.FOCUS


@pytest.fixture
def w(world):
    return with_defaults(world, rules=False)


@pytest.fixture(autouse=True)
def without_the_default_model(monkeypatch):
    """The rules' and the roster's own suggestions, alone: the default model is tested apart
    (test_triage_default.py), with the rules and the ranking."""
    monkeypatch.setattr(default_model, "loaded", lambda: None)


def make(w, name: str, match: str, patterns: str, *, field=SCOPE, value="out:other_matter", threshold=85):
    return create_rule(
        committee=w.city,
        name=name,
        field=field,
        value=value,
        match=match,
        patterns=patterns,
        threshold=threshold,
        by=w.users["office"],
    )


def reasons(petition, field=SCOPE) -> list[str]:
    return [s.reason for s in of(petition, field, SuggestionSource.RULE)]


# Match kinds ----------------------------------------------------------------------------------------


def test_any_keyword(w):
    rule = make(w, "物业", MatchKind.ANY, "物业费 停车费\n噪音")
    petition = letter(w, "小区物业费太高")
    [found] = of(petition, SCOPE)
    assert (found.value, found.rule_id, found.label) == (
        "out:other_matter",
        rule.pk,
        "不属于受理范围（其他不属于巡察受理范围的事项）",
    )
    assert found.reason == "规则「物业」命中“物业费”"
    assert reasons(letter(w, "楼下噪音很大")) == ["规则「物业」命中“噪音”"]
    assert reasons(letter(w, "反映违规发放补贴")) == []


def test_all_keywords(w):
    make(w, "不服判决", MatchKind.ALL, "不服\n判决", value="out:litigation")
    assert reasons(letter(w, "本人不服一审判决")) == ["规则「不服判决」命中“不服”“判决”"]
    assert reasons(letter(w, "判决已经生效")) == []


def test_phrase_in_one_sentence_with_a_small_gap(w):
    make(w, "收受财物", MatchKind.PHRASE, "收受 红包", field=DISCIPLINE, value=str(w.integrity.pk))
    found = of(letter(w, "李副局长收受了企业红包"), DISCIPLINE)
    assert [(s.reason, s.label) for s in found] == [("规则「收受财物」命中短语“收受了企业红包”", "廉洁纪律")]
    assert reasons(letter(w, "收受礼品。发了红包"), DISCIPLINE) == []  # two sentences
    assert reasons(letter(w, "收受他人很多很多很多东西和红包"), DISCIPLINE) == []  # too far apart


def test_regex_within_a_sentence(w):
    make(w, "大额", MatchKind.REGEX, r"\d{1,6}万元", field=SuggestionField.IMPORTANT, value="")
    petition = letter(w, "挪用资金30万元", anonymous=False, reporter_name="赵小明")
    [found] = of(petition, SuggestionField.IMPORTANT)
    assert found.reason == "实名反映，规则「大额」命中表达式“30万元”；涉及金额“30万元”，建议及时约谈反映人"


def test_fuzzy_with_its_threshold(w):
    make(w, "欠薪", MatchKind.FUZZY, "拖欠农民工工资", value="out:personal_claim", threshold=80)
    [reason] = reasons(letter(w, "工地拖欠农民工的工资半年了"))
    assert reason.startswith("规则「欠薪」模糊匹配“拖欠农民工工资”（相似度 ")
    assert reasons(letter(w, "反映违规发放补贴")) == []


def test_matching_ignores_full_width_and_case(w):
    make(w, "APP", MatchKind.ANY, "app")
    assert reasons(letter(w, "要求下载ＡＰＰ打卡"))  # full-width, upper case


# Default rules --------------------------------------------------------------------------------------


def test_a_personal_claim_is_suggested_out_with_its_reason(w):
    install_default_rules(w.city, by=w.users["office"])
    petition = letter(w, "本人在财政局下属单位工作，被拖欠工资三个月，请求帮助")
    assert values(petition, SCOPE) == {"out:personal_claim"}
    assert "规则「个人诉求」命中“拖欠工资”" in reasons(petition)


def test_litigation_is_suggested_out(w):
    install_default_rules(w.city, by=w.users["office"])
    petition = letter(w, "本人对法院的判决不服，要求再审")
    assert values(petition, SCOPE) == {"out:litigation"}
    assert set(reasons(petition)) == {"规则「涉法涉诉」命中“法院”", "规则「不服判决」命中“不服”“判决”"}


def test_discipline_and_focus_from_the_default_rules(w):
    install_default_rules(w.city, by=w.users["office"])
    petition = letter(w, "局里有人跑官要官，提拔前送钱")
    assert values(petition, DISCIPLINE) == {str(w.organisational.pk)}
    assert values(petition, FOCUS) == {str(w.hiring.pk)}
    assert of(petition, FOCUS)[0].label == "3.2 执行新时代党的组织路线和选人用人情况"
    banquet = letter(w, "财政局经常公款吃喝")
    assert str(w.integrity.pk) in values(banquet, DISCIPLINE)
    assert values(banquet, FOCUS) == {str(w.eight_rules.pk)}


def test_default_rules_load_once_and_are_audited(w):
    created = install_default_rules(w.city, by=w.users["office"])
    assert len(created) == len(default_rules.RULES)
    assert install_default_rules(w.city, by=w.users["office"]) == []
    events = AuditEvent.objects.filter(action="triage_rule.defaults_installed").order_by("seq")
    assert [e.details for e in events] == [
        {"created": len(default_rules.RULES), "skipped": 0},
        {"created": 0, "skipped": len(default_rules.RULES)},
    ]
    with pytest.raises(NotAllowed):
        install_default_rules(w.city, by=w.users["t1_leader"])
    with pytest.raises(NotAllowed):
        install_default_rules(w.city, by=w.users["county_office"])


# Checked when saved ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "请填写规则名称。"),
        ({"field": SuggestionField.PERSON}, "field", "请选择建议项"),
        ({"value": "in:about_inspectors"}, "value", "请选择受理范围及其依据。"),
        ({"value": "out:leadership"}, "value", "请选择受理范围及其依据。"),
        ({"field": DISCIPLINE, "value": "999999"}, "value", "请选择六项纪律中的一项。"),
        ({"match": "word"}, "match", "请选择匹配方式。"),
        ({"patterns": "\n \n"}, "patterns", "请填写关键词或表达式。"),
        ({"patterns": "甲" * 101}, "patterns", "每行最多 100 个字符。"),
        ({"match": MatchKind.FUZZY, "patterns": "甲"}, "patterns", "模糊匹配的每行至少 2 个字。"),
        ({"match": MatchKind.FUZZY, "threshold": 30}, "threshold", "模糊匹配阈值须在 50 至 100 之间。"),
        ({"match": MatchKind.REGEX, "patterns": "(a+)+b"}, "patterns", "不能对已含量词"),
        ({"match": MatchKind.REGEX, "patterns": "(甲|甲乙)*丙"}, "patterns", "不能对已含量词"),
        ({"match": MatchKind.REGEX, "patterns": r"(\w)\1"}, "patterns", "不能使用反向引用"),
        ({"match": MatchKind.REGEX, "patterns": ".*甲.*乙.*丙"}, "patterns", "重复次数过多"),
        ({"match": MatchKind.REGEX, "patterns": "收受(红包"}, "patterns", "有误（第 3 个字符附近）"),
        ({"match": MatchKind.REGEX, "patterns": "甲" * 201}, "patterns", "正则表达式过长"),
    ],
)
def test_bad_rules_are_refused_on_their_field(w, changes, field, message):
    data = {
        "name": "测试",
        "field": SCOPE,
        "value": "out:other_matter",
        "match": MatchKind.ANY,
        "patterns": "物业",
    }
    data.update(changes)
    threshold = data.pop("threshold", 85)
    with pytest.raises(Refused) as refusal:
        create_rule(committee=w.city, threshold=threshold, by=w.users["office"], **data)
    assert refusal.value.field == field
    assert message in refusal.value.message
    assert not TriageRule.objects.exists()


def test_names_are_unique_per_committee_and_rules_are_the_offices(w):
    make(w, "物业", MatchKind.ANY, "物业")
    with pytest.raises(Refused) as refusal:
        make(w, "物业", MatchKind.ANY, "停车")
    assert refusal.value.field == "name"
    with pytest.raises(NotAllowed):
        create_rule(
            committee=w.city,
            name="组员的规则",
            field=SCOPE,
            value="out:other_matter",
            match=MatchKind.ANY,
            patterns="物业",
            by=w.users["t1_member"],
        )


def test_a_regex_sees_a_long_hostile_text_only_in_bounded_pieces(w):
    """No clock: a regular expression runs only on pieces of at most SEGMENT characters, and an accepted
    pattern's worst case on such a piece is within the budget; a match is still found in a long text."""
    make(w, "宽松", MatchKind.REGEX, "收受.*红包")
    hostile = "收受" + "收" * 9_990
    pieces = Text(hostile).segments
    assert len(pieces) > 90 and max(len(piece) for piece in pieces) <= SEGMENT
    assert SEGMENT * rule_engine._cost(sre_parse.parse("收受.*红包")) <= rule_engine.REGEX_BUDGET
    assert not reasons(letter(w, hostile))
    assert reasons(letter(w, hostile[:500] + "收受了一个红包"))


# Compiled once per version --------------------------------------------------------------------------


def test_edits_and_deactivation_are_seen_at_the_next_intake(w):
    rule = make(w, "物业", MatchKind.ANY, "物业")
    assert reasons(letter(w, "物业问题"))
    compiled = rule_engine.rules_for(w.city.pk)
    assert rule_engine.rules_for(w.city.pk) is compiled  # nothing changed: the cached rules
    update_rule(
        rule,
        name="停车",
        field=SCOPE,
        value="out:other_matter",
        match=MatchKind.ANY,
        patterns="停车",
        by=w.users["office"],
    )
    assert reasons(letter(w, "物业问题")) == []
    assert reasons(letter(w, "停车问题")) == ["规则「停车」命中“停车”"]
    deactivate_rule(rule, by=w.users["office"])
    assert reasons(letter(w, "停车问题")) == []
    with pytest.raises(Refused):
        deactivate_rule(rule, by=w.users["office"])
    activate_rule(rule, by=w.users["office"])
    assert reasons(letter(w, "停车问题"))
    updated = AuditEvent.objects.get(action="triage_rule.updated")
    assert updated.details["changes"]["patterns"] == ["物业", "停车"]


def test_a_rule_of_another_committee_does_not_fire(w):
    create_rule(
        committee=w.county_a,
        name="县的规则",
        field=SCOPE,
        value="out:other_matter",
        match=MatchKind.ANY,
        patterns="物业",
        by=w.users["county_office"],
    )
    assert reasons(letter(w, "物业问题")) == []


# Pages ----------------------------------------------------------------------------------------------


def test_the_office_loads_the_defaults_and_sees_how_often_each_rule_fired(w, client_for):
    office = client_for("office")
    assert office.get(f"/intake/triage-rules/defaults/{w.city.pk}/").status_code == 200
    assert office.post(f"/intake/triage-rules/defaults/{w.city.pk}/").status_code == 302
    letter(w, "被拖欠工资，要求补偿")
    page = office.get("/intake/triage-rules/?field=scope")
    assert page.status_code == 200
    rows = {rule.name: fired for rule, _, fired in page.context["rows"]}
    assert rows["个人诉求"] == 1 and rows["涉法涉诉"] == 0
    assert "不属于受理范围（个人诉求）" in page.content.decode()
    assert client_for("t1_member").get("/intake/triage-rules/").status_code == 403
    assert client_for("county_office").get("/intake/triage-rules/").context["rows"] == []


def test_a_rule_is_created_and_edited_through_the_form(w, client_for):
    office = client_for("office")
    data = {
        "committee": w.city.pk,
        "name": "停车",
        "target": f"discipline:{w.integrity.pk}",
        "match": "regex",
        "patterns": "(a+)+",
        "threshold": 85,
    }
    refused = office.post("/intake/triage-rules/new/", data)
    assert refused.status_code == 200 and "不能对已含量词" in str(refused.context["form"].errors["patterns"])
    assert office.post("/intake/triage-rules/new/", {**data, "patterns": "停车费"}).status_code == 302
    rule = TriageRule.objects.get(name="停车")
    assert (rule.field, rule.value, rule.match) == ("discipline", str(w.integrity.pk), "regex")
    edit = f"/intake/triage-rules/{rule.pk}/edit/"
    assert office.get(edit).context["form"].initial["target"] == f"discipline:{w.integrity.pk}"
    assert (
        office.post(edit, {**data, "target": "scope:out:other_matter", "patterns": "停车"}).status_code == 302
    )
    rule.refresh_from_db()
    assert (rule.field, rule.value) == ("scope", "out:other_matter") and not rule.on_misconduct
    # An out-of-scope rule may be told to fire on reports of misconduct too.
    data = {**data, "target": "scope:out:other_matter", "patterns": "停车", "on_misconduct": "on"}
    assert office.post(edit, data).status_code == 302
    rule.refresh_from_db()
    assert rule.on_misconduct and office.get(edit).context["form"].initial["on_misconduct"]
    assert client_for("county_office").get(edit).status_code == 404
    assert client_for("t1_leader").get(edit).status_code == 404
    assert office.post(f"/intake/triage-rules/{rule.pk}/deactivate/").status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active
