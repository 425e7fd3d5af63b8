"""The learned triage model: trained per committee on its confirmed decisions only, once there are enough,
again only when the labels change; stored as JSON; its suggestions marked as learned."""

import json

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from xuncha.core.models import AuditEvent
from xuncha.intake.actions.triage import triage_petition
from xuncha.intake.choices import (
    IN_SCOPE_REASONS,
    Decision,
    Scope,
    ScopeReason,
    SuggestionField,
    SuggestionSource,
)
from xuncha.intake.models import TriageModel
from xuncha.intake.tasks import queue_training, train_triage_models
from xuncha.intake.triage import learned
from xuncha.orgs.models import CommitteeSettings

from .conftest import letter
from .triage_support import of, with_defaults

MIN = 6
CLAIMS = [
    "单位拖欠本人工资三个月，多次讨要无果",
    "我在国库支付中心工作，工资被拖欠半年",
    "请求补发被拖欠的工资和加班费",
    "单位一直不给我发工资，生活困难",
]
LEADERS = [
    "张局长收受企业老板礼金",
    "张建国利用职权为亲属企业承揽工程",
    "张局长在工程招标中收受好处",
    "局长违规插手工程项目，收受回扣",
]


@pytest.fixture
def w(world):
    with_defaults(world, rules=False)
    CommitteeSettings.objects.filter(committee=world.city).update(learned_triage_min_samples=MIN)
    return world


def trainings() -> int:
    return AuditEvent.objects.filter(action="triage.model_trained").count()


def decide(w, petition, scope_reason, capture, *, by="t1_member", note=""):
    claim = scope_reason not in IN_SCOPE_REASONS
    with capture(execute=True):
        triage_petition(
            petition,
            decision=Decision.TRANSFER if claim else Decision.ACCEPT,
            scope=Scope.OUT if claim else Scope.IN,
            scope_reason=scope_reason,
            discipline=None if claim else w.integrity,
            persons=[] if claim else [w.principal1],
            note=note,
            by=w.users[by],
        )


def test_no_model_below_the_threshold_and_unconfirmed_petitions_do_not_count(
    w, django_capture_on_commit_callbacks
):
    for text in CLAIMS[:3]:
        decide(w, letter(w, text), ScopeReason.PERSONAL_CLAIM, django_capture_on_commit_callbacks)
    for text in LEADERS:
        letter(w, text)  # received, never decided
    decide(w, letter(w, LEADERS[0]), ScopeReason.LEADERSHIP, django_capture_on_commit_callbacks)
    assert trainings() == 0 and not TriageModel.objects.exists()
    assert learned.train(w.city.pk)[SuggestionField.SCOPE] == learned.TOO_FEW
    # Without a model of its own the committee still gets the default model's suggestions, from nothing else.
    found = of(letter(w, "单位拖欠工资"), SuggestionField.SCOPE, SuggestionSource.LEARNED)
    assert found and all(s.reason.startswith("默认模型（基于") and "本委" not in s.reason for s in found)


def test_trained_past_the_threshold_retrained_only_when_labels_change(w, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    claims = [letter(w, text) for text in CLAIMS]
    leaders = [letter(w, text) for text in LEADERS]
    for petition in claims:
        decide(w, petition, ScopeReason.PERSONAL_CLAIM, capture)
    assert trainings() == 0  # 4 decisions, one class
    for petition in leaders[:2]:
        decide(w, petition, ScopeReason.LEADERSHIP, capture)
    assert trainings() == 1  # 6 confirmed decisions, two classes: the scope model
    model = TriageModel.objects.get(committee=w.city, field=SuggestionField.SCOPE)
    assert model.samples == MIN
    assert set(model.parameters["classes"]) == {"out:personal_claim", "in:leadership"}
    json.dumps(model.parameters)  # plain JSON, no pickle
    # The same labels again (a note changed): no task, and the task itself finds nothing to do.
    decide(w, leaders[0], ScopeReason.LEADERSHIP, capture, note="补充说明")
    assert trainings() == 1
    with capture(execute=True):
        assert train_triage_models.enqueue(w.city.pk).return_value[SuggestionField.SCOPE] == learned.UNCHANGED
    assert trainings() == 1
    # A new label: retrained.
    decide(w, leaders[2], ScopeReason.LEADERSHIP, capture)
    assert trainings() == 2
    model.refresh_from_db()
    assert model.samples == MIN + 1
    # The discipline model learns only from petitions with a discipline: 3, one class → none.
    assert not TriageModel.objects.filter(field=SuggestionField.DISCIPLINE).exists()


def test_its_suggestions_are_marked_learned(w, django_capture_on_commit_callbacks):
    for text in CLAIMS:
        decide(w, letter(w, text), ScopeReason.PERSONAL_CLAIM, django_capture_on_commit_callbacks)
    for text in LEADERS:
        decide(w, letter(w, text), ScopeReason.LEADERSHIP, django_capture_on_commit_callbacks)
    petition = letter(w, "本人的工资被单位拖欠了两个月")
    found = of(petition, SuggestionField.SCOPE, SuggestionSource.LEARNED)
    assert found[0].value == "out:personal_claim"
    assert found[0].label == "不属于受理范围（个人诉求）"
    samples = len(CLAIMS) + len(LEADERS)
    share = samples / (samples + learned.BLEND)
    assert {s.reason for s in found} == {
        f"默认模型与本委学习模型（本委 {samples} 件已确认分拣，占 {share:.0%}）"
    }
    # Probabilities: the first is the likeliest, and they add up to no more than one.
    assert 0 < found[-1].score <= found[0].score <= 1 and sum(s.score for s in found) <= 1.001
    other = letter(w, "张局长收受企业老板的回扣")
    assert of(other, SuggestionField.SCOPE, SuggestionSource.LEARNED)[0].value == "in:leadership"


def test_the_committees_decisions_adapt_the_default_model(w, django_capture_on_commit_callbacks):
    """The committee's own model moves the default's probabilities towards its labels, more with more
    decisions; the default model alone (no decisions) is where it starts."""
    text = "单位拖欠本人工资，请帮忙讨要"
    before = {s.value: s.score for s in of(letter(w, text), SuggestionField.SCOPE, SuggestionSource.LEARNED)}
    # This committee files wage claims as 其他事项, unlike the corpus.
    for claim in CLAIMS:
        decide(w, letter(w, claim), ScopeReason.OTHER_MATTER, django_capture_on_commit_callbacks)
    for leader in LEADERS:
        decide(w, letter(w, leader), ScopeReason.LEADERSHIP, django_capture_on_commit_callbacks)
    after = {s.value: s.score for s in of(letter(w, text), SuggestionField.SCOPE, SuggestionSource.LEARNED)}
    assert after.get("out:other_matter", 0) > before.get("out:other_matter", 0)
    default = dict(learned.default_model.loaded().predict(text)[SuggestionField.SCOPE])
    own = {"out:other_matter": 1.0}
    assert learned.blend(default, own, 0) == default
    half = learned.blend(default, own, learned.BLEND)
    assert half["out:other_matter"] == pytest.approx(0.5 + default["out:other_matter"] / 2)


def test_another_committee_learns_nothing_from_this_one(w, django_capture_on_commit_callbacks):
    for text in CLAIMS + LEADERS:
        reason = ScopeReason.PERSONAL_CLAIM if text in CLAIMS else ScopeReason.LEADERSHIP
        decide(w, letter(w, text), reason, django_capture_on_commit_callbacks)
    assert learned.train(w.county_a.pk) == dict.fromkeys(learned.FIELDS, learned.TOO_FEW)
    assert not TriageModel.objects.filter(committee=w.county_a).exists()


def test_prediction_reuses_the_loaded_weights(w, django_capture_on_commit_callbacks):
    for text in CLAIMS + LEADERS:
        reason = ScopeReason.PERSONAL_CLAIM if text in CLAIMS else ScopeReason.LEADERSHIP
        decide(w, letter(w, text), reason, django_capture_on_commit_callbacks)
    model = TriageModel.objects.get(field=SuggestionField.SCOPE)
    letter(w, "工资被拖欠")
    loaded = learned._loaded[model.pk]
    letter(w, "又被拖欠工资")
    assert learned._loaded[model.pk] is loaded
    assert loaded.fingerprint == model.labels_fingerprint


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_burst_of_decisions_queues_one_retraining_per_committee(w):
    for _ in range(3):
        queue_training(w.city.pk)
    queue_training(w.county_a.pk)
    queued = DBTaskResult.objects.filter(task_path=train_triage_models.module_path)
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted([w.city.pk, w.county_a.pk])
    assert all(r.run_after > timezone.now() for r in queued)  # waits for the rest of the burst
    # Once the queued one has started, a new decision needs a new run (the running one read its labels).
    queued.filter(args_kwargs__args=[w.city.pk]).update(status=TaskResultStatus.RUNNING)
    queue_training(w.city.pk)
    assert queued.filter(args_kwargs__args=[w.city.pk]).count() == 2
