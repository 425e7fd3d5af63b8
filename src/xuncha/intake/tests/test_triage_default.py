"""The default triage model and honest ranking (issue 17): the shipped model is the corpus's; a new committee
gets suggestions from the first petition; the form prefills the best-supported value; out-of-scope keywords do
not fire on reports of misconduct; the evaluation harness reports the issue's thresholds on the dev split
and holds what the shipped model reaches."""

import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.feature_extraction.text import TfidfVectorizer

from xuncha.core import warmup
from xuncha.intake.actions.triage import create_rule
from xuncha.intake.choices import MatchKind, SuggestionField, SuggestionSource
from xuncha.intake.models import Suggestion
from xuncha.intake.triage import default_model, evaluation, ranking, rules
from xuncha.intake.triage.base import Text
from xuncha.intake.triage.corpus import DEV, TRAIN, load
from xuncha.intake.triage.defaults import RULES

from .conftest import letter
from .triage_support import of, with_defaults

# The shipped model ------------------------------------------------------------------------------------


def test_the_shipped_model_is_built_from_the_current_corpus():
    model = default_model.loaded()
    assert model is not None, "no default model: run `xuncha triage train-default`"
    train = load(TRAIN)
    assert model.meta["corpus"] == default_model.corpus_digest(train), (
        "the corpus's train split changed: run `xuncha triage train-default` and commit the model"
    )
    assert model.trained_on == len(train)
    assert set(model.classifiers) == set(default_model.FIELDS)
    # Every default rule's precision was measured (重要问题 rules have no label to measure against).
    measured = [
        rules.rule_key(
            r.field, r.match, rules.clean_patterns(r.match, "\n".join(r.patterns), r.threshold), r.threshold
        )
        for r in RULES
        if r.field != SuggestionField.IMPORTANT
    ]
    assert sorted(model.meta["rules"]) == sorted(measured)
    # No dev record was trained on.
    assert not {r.id for r in load(DEV)} & {r.id for r in train}


def test_training_is_reproducible_and_our_features_are_scikit_learns():
    records = load(TRAIN)[::6]
    first = default_model.train(records)
    assert first == default_model.train(records)  # the same bytes: fixed dates, no pickle, sorted classes
    model = default_model.read(first)
    texts = [r.text for r in records[:20]]
    reference = TfidfVectorizer(
        analyzer=default_model.analyse, sublinear_tf=True, vocabulary=model.vocabulary, lowercase=False
    )
    reference.fit(texts)  # the vocabulary is fixed; only the idf is fitted, and replaced below
    reference.idf_ = model.idf
    matrix = reference.transform(texts)
    for i, text in enumerate(texts):
        columns, values = model.features(text)
        row = matrix[i].toarray().ravel()
        assert np.allclose(row[columns], values, atol=1e-5) and np.isclose(
            np.abs(row).sum(), values.sum(), atol=1e-4
        )
    probabilities = model.predict(texts[0])
    for field in default_model.FIELDS:
        assert sum(p for _, p in probabilities[field]) == pytest.approx(1.0, abs=1e-4)


def test_the_model_loads_when_a_worker_starts():
    assert default_model.loaded in warmup._loaders  # core.warmup runs it before the first request
    assert default_model.loaded() is default_model.loaded()  # read once per process


# A brand-new committee ------------------------------------------------------------------------------


@pytest.fixture
def fresh(world):
    """The city with the default schemes and no rule and no decision."""
    return with_defaults(world, rules=False)


def test_a_new_committee_gets_scope_discipline_and_focus_with_reasons_and_confidence(fresh):
    petition = letter(fresh, "我们村的村支书把自己的亲戚报成低保户，真正困难的人家却评不上，请巡察组查一查。")
    scope = of(petition, SuggestionField.SCOPE, SuggestionSource.LEARNED)
    assert scope[0].value.startswith("in:")
    for field in (SuggestionField.DISCIPLINE, SuggestionField.FOCUS):
        found = of(petition, field, SuggestionSource.LEARNED)
        assert 1 <= len(found) <= 2  # the top two, the second when it is not negligible
        assert all(0 < s.score <= 1 and s.reason.startswith("默认模型（基于") for s in found)
    assert of(petition, SuggestionField.DISCIPLINE)[0].label == "群众纪律"


def test_a_grievance_naming_no_keyword_is_suggested_out_of_scope(fresh):
    petition = letter(
        fresh, "我在小区门口的健身房办了年卡，才去了三次店就关门了，老板电话也打不通，要求退钱。"
    )
    found = of(petition, SuggestionField.SCOPE)
    assert found[0].value.startswith("out:") and found[0].score > 0.5
    assert not of(petition, SuggestionField.DISCIPLINE)  # nothing to classify in a grievance


# Keywords on claims, not topics ------------------------------------------------------------------------


def _compiled(name: str, *, on_misconduct: bool = False) -> rules.CompiledRule:
    shipped = next(r for r in RULES if r.name == name)
    patterns = rules.clean_patterns(shipped.match, "\n".join(shipped.patterns), shipped.threshold)
    compiled = rules.compile_rule(
        1,
        shipped.name,
        shipped.field,
        shipped.value,
        shipped.match,
        patterns,
        shipped.threshold,
        on_misconduct,
    )
    assert compiled is not None
    return compiled


def test_an_out_of_scope_keyword_does_not_fire_on_a_report_of_misconduct_unless_the_rule_says_so():
    personal = _compiled("个人诉求")
    misconduct = Text("村支书把自己的亲属报成低保户，还克扣了别人的补偿款。")
    assert personal.evidence(misconduct) is None
    assert _compiled("个人诉求", on_misconduct=True).evidence(misconduct) == "命中“补偿款”"
    assert personal.evidence(Text("我申请低保已经半年了，一直没有批下来，请帮我办。")) == "命中“低保”"
    # A misconduct word without a cadre's post (a private business) is a grievance: the rule fires.
    assert personal.evidence(Text("物业公司克扣我们保安的工资，拖欠工资三个月。")) == "命中“拖欠工资”"
    # Rules that suggest in scope or a category are not concerned.
    assert _compiled("廉洁纪律").evidence(misconduct) is None
    assert _compiled("群众纪律").evidence(misconduct) == "命中“克扣”"


def test_a_default_rules_confidence_is_its_measured_precision_and_an_office_rule_the_prior():
    model = default_model.loaded()
    assert model is not None
    personal = _compiled("个人诉求")
    key = rules.rule_key(
        personal.field,
        MatchKind.ANY,
        rules.clean_patterns(
            MatchKind.ANY, "\n".join(next(r for r in RULES if r.name == "个人诉求").patterns), 85
        ),
        85,
    )
    assert personal.confidence == model.rule_precision(key) and 0 < personal.confidence < 1
    edited = rules.compile_rule(
        2, "个人诉求", SuggestionField.SCOPE, "out:personal_claim", MatchKind.ANY, "低保", 85
    )
    assert edited is not None and edited.confidence == rules.PRIOR


# Ranking --------------------------------------------------------------------------------------------


def _s(field: str, value: str, source: str, score: float, pk: int) -> Suggestion:
    return Suggestion(pk=pk, field=field, value=value, label=value, source=source, reason="", score=score)


def test_a_confident_model_outranks_a_lone_keyword_and_agreement_breaks_ties():
    scope = SuggestionField.SCOPE
    found = [
        _s(scope, "out:personal_claim", SuggestionSource.RULE, 0.5, 1),  # the first-created rule
        _s(scope, "in:discipline", SuggestionSource.LEARNED, 0.82, 2),
        _s(scope, "out:personal_claim", SuggestionSource.LEARNED, 0.18, 3),
    ]
    best = ranking.best(found, scope)
    assert best is not None and best.value == "in:discipline"
    groups = ranking.values(found, scope)
    assert [g[0].value for g in groups] == ["in:discipline", "out:personal_claim"]
    assert [s.pk for s in groups[1]] == [1, 3]  # the value's strongest reason first
    tied = [
        _s(scope, "out:other_matter", SuggestionSource.LEARNED, 0.6, 4),
        _s(scope, "out:personal_claim", SuggestionSource.RULE, 0.6, 5),
        _s(scope, "out:personal_claim", SuggestionSource.LEARNED, 0.3, 6),
    ]
    assert ranking.best(tied, scope).value == "out:personal_claim"  # two signals agree
    assert [s.field for s in ranking.ranked([*found, _s("person", "7", SuggestionSource.ROSTER, 1, 8)])][
        :4
    ] == [scope, scope, scope, "person"]


def test_where_signals_disagree_the_page_shows_both_and_the_form_prefills_the_better_supported(
    fresh, client_for
):
    create_rule(
        committee=fresh.city,
        name="测试：讨薪算违纪",
        field=SuggestionField.SCOPE,
        value="in:discipline",
        match=MatchKind.ANY,
        patterns="工资",
        by=fresh.users["office"],
    )
    petition = letter(fresh, "我在工地干了半年活，老板拖欠我们十几个人的工资，一直不给，请帮我们讨要工资。")
    rule = of(petition, SuggestionField.SCOPE, SuggestionSource.RULE)
    assert [s.value for s in rule] == ["in:discipline"] and rule[0].score == rules.PRIOR
    form = client_for("t1_member").get(f"/intake/petitions/{petition.pk}/triage/").context["form"]
    assert form.initial["scope"] == "out"  # the model's confident answer, not the lone keyword
    html = client_for("t1_member").get(f"/intake/petitions/{petition.pk}/").content.decode()
    assert "各项依据意见不一" in html and "规则「测试：讨薪算违纪」命中“工资”" in html
    assert html.index("不属于受理范围（") < html.index("属于受理范围（反映违反六项纪律问题）")
    # The API lists them in the same order, the first prefilled.
    items = client_for("t1_member").get(f"/api/v1/petitions/{petition.pk}/suggestions").json()["items"]
    scope = [i for i in items if i["field"] == "scope"]
    assert scope[0]["prefilled"] and scope[0]["rank"] == 1 and scope[0]["value"].startswith("out:")
    assert scope[0]["value"] == f"{form.initial['scope']}:{form.initial['scope_reason']}"
    ruled = next(i for i in scope if i["source"] == "rule")
    assert ruled["rank"] > 1 and not ruled["prefilled"] and ruled["score"] == rules.PRIOR
    fields = [i["field"] for i in items]
    assert fields == sorted(fields, key=[str(f) for f in ranking.FIELD_ORDER].index)


# The evaluation harness ------------------------------------------------------------------------------


# What the shipped model reaches on the dev split (2026-12-07, 226 texts split by source page). Issue 17's
# targets (evaluation.SCOPE_ACCURACY …) are higher and not all met yet: the harness reports them as 未达到
# and the command exits 1; this test holds the floor, so a change that makes triage worse fails.
REACHED = {
    "受理范围准确率": 0.93,
    "不属于受理范围：准确率（precision）": 0.90,
    "不属于受理范围：召回率（recall）": 0.95,
    "六项纪律第一建议准确率（top-1）": 0.54,
    "六项纪律前两项建议含正确项（top-2）": 0.77,
    "三个聚焦第一建议准确率（top-1）": 0.58,
    "三个聚焦前两项建议含正确项（top-2）": 0.66,
}


def test_the_dev_split_does_not_fall_below_what_the_shipped_model_reaches():
    sections = evaluation.evaluate()
    report = evaluation.report(sections, len(load(DEV)))
    first = {f.label: f for f in sections[0].figures}  # a brand-new committee, what the form prefills
    for label, floor in REACHED.items():
        value = first[label].value
        assert value is not None and value >= floor, f"{label}: {value} < {floor}\n{report}"
    # Persons and the time per suggestion meet the targets: held as they are.
    held = [f for s in sections for f in s.figures if s.title.startswith(("被反映人", "耗时"))]
    assert held and all(f.passed for f in held if f.threshold is not None), report


def test_eval_reads_a_given_file_and_fails_under_the_thresholds(tmp_path):
    lines = [
        {
            "text": "村主任把集体土地的租金装进了自己的口袋。",
            "scope": "in",
            "discipline": "3",
            "focus": "2.5",
            "persons": [],
            "dup_group": None,
        },
        {
            "text": "小区电梯坏了一个月没人修。",
            "scope": "out",
            "discipline": None,
            "focus": None,
            "persons": [],
            "dup_group": None,
        },
    ]
    path = tmp_path / "held_out.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("triage", "eval", str(path), stdout=out)
    except SystemExit as exit_:
        assert exit_.code == 1
    assert "分拣评估：2 件" in out.getvalue() and "受理范围准确率" in out.getvalue()
    # A figure under its threshold fails the run (exit code 1).
    failing = evaluation.Section("x", [evaluation.Figure("y", 0.5, 0.95)])
    assert not evaluation.passed([failing]) and "未达到" in evaluation.report([failing], 1)
    path.write_text('{"text": "缺少字段"}', encoding="utf-8")
    with pytest.raises(CommandError, match="缺少字段"):
        call_command("triage", "eval", str(path))
