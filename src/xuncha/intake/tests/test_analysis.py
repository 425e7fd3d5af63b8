"""When a petition is analysed (analysis.py): a public submission in the background once its intake commits,
with its routing to the office decided inside the intake; a clerk's entry at once; again and again alike."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.models import AuditEvent
from xuncha.intake import analysis
from xuncha.intake.actions.petitions import PetitionInput, submit_public_petition
from xuncha.intake.choices import SuggestionSource
from xuncha.intake.models import DuplicateCandidate, Fingerprint, Petition, Suggestion

from .conftest import letter, submitted
from .test_duplicates import PHONE, WEB


def rows(petition: Petition) -> tuple[set[tuple[object, ...]], ...]:
    """What analysing a petition makes: its suggestions, fingerprints and duplicate candidates."""
    suggestions = Suggestion.objects.filter(petition=petition)
    candidates = DuplicateCandidate.objects.filter(petition=petition)
    return (
        set(suggestions.values_list("field", "value", "label", "source", "reason", "score", "rule")),
        set(Fingerprint.objects.filter(petition=petition).values_list("committee_id", "band", "value")),
        set(candidates.values_list("other", "similarity", "dismissed_by")),
    )


def test_a_public_submission_is_analysed_once_it_commits(world, announcement):
    before = letter(world, PHONE)
    with TestCase.captureOnCommitCallbacks(execute=False) as pending:
        petition, _code = submit_public_petition(announcement, data=PetitionInput(content=WEB))
    assert len(pending) == 1  # enqueued on commit, not before
    petition.refresh_from_db()
    assert petition.analysed_at is None
    assert not Suggestion.objects.filter(petition=petition).exists()
    assert not Fingerprint.objects.filter(petition=petition).exists()
    received = AuditEvent.objects.get(action="petition.received", object_id=str(petition.pk))
    assert "suggestions" not in received.details

    pending[0]()  # the commit: the immediate backend runs the task

    petition.refresh_from_db()
    assert petition.analysed_at is not None
    assert Suggestion.objects.filter(petition=petition).exists()
    assert set(DuplicateCandidate.objects.filter(petition=petition).values_list("other", flat=True)) == {
        before.pk
    }
    analysed = AuditEvent.objects.get(action="petition.analysed", object_id=str(petition.pk))
    assert analysed.role == "system" and analysed.actor is None
    assert analysed.details == {
        "suggestions": Suggestion.objects.filter(petition=petition).count(),
        "duplicate_candidates": 1,
    }


@pytest.mark.parametrize(
    "content",
    ["巡察组成员周敏收受被巡察单位的购物卡", "巡察组工作人员接受宴请", "反映周敏在谈话时透露举报人信息"],
)
def test_a_petition_about_the_inspectors_is_the_office_s_alone_before_any_analysis(
    world, announcement, client_for, content
):
    """Routing is decided inside the intake: from its commit on, before the worker has run, the team
    concerned never sees it (周敏 is a member of the inspection's team)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as pending:
        petition, _code = submit_public_petition(announcement, data=PetitionInput(content=content))
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.about_inspectors and stored.analysed_at is None
    assert Petition.objects.visible_to(world.users["office"]).filter(pk=petition.pk).exists()
    for persona in ("t1_leader", "t1_member"):
        assert not Petition.objects.visible_to(world.users[persona]).filter(pk=petition.pk).exists()
    listing = client_for("t1_member").get(reverse("intake:petition-list")).content.decode()
    assert petition.number not in listing

    pending[0]()
    # The team's names are the evidence (the default model may say so too, by its words).
    suggestion = Suggestion.objects.get(
        petition=petition, value="out:about_inspectors", source=SuggestionSource.ROSTER
    )
    assert "应由巡察办办理" in suggestion.reason


def test_the_lists_say_analysing_until_the_suggestions_exist(world, announcement, client_for):
    with TestCase.captureOnCommitCallbacks(execute=False) as pending:
        petition, _code = submit_public_petition(
            announcement, data=PetitionInput(content="市财政局张局长违规发放津贴")
        )
    client = client_for("t1_member")
    listing = client.get(reverse("intake:petition-list")).content.decode()
    detail = client.get(reverse("intake:petition-detail", args=[petition.pk])).content.decode()
    api = client.get(f"/api/v1/petitions/{petition.pk}").json()
    assert "分析中" in listing and "分析中" in detail
    assert api["analysed_at"] is None and api["suggestions"] == []

    pending[0]()
    listing = client.get(reverse("intake:petition-list")).content.decode()
    detail = client.get(reverse("intake:petition-detail", args=[petition.pk])).content.decode()
    assert "分析中" not in listing and "分析中" not in detail
    assert client.get(f"/api/v1/petitions/{petition.pk}").json()["analysed_at"] is not None


def test_analysing_again_leaves_the_same_rows(world, announcement):
    letter(world, PHONE)
    petition, _code = submitted(announcement, PetitionInput(content=WEB, subject_post="局长"))
    first = rows(petition)
    assert all(first)  # suggestions, fingerprints and a candidate
    for _ in range(2):
        assert analysis.analyse_petition.call(str(petition.pk))["duplicate_candidates"] == 0
        assert rows(petition) == first
    assert Suggestion.objects.filter(petition=petition).count() == len(first[0])
    assert AuditEvent.objects.filter(action="petition.analysed", object_id=str(petition.pk)).count() == 3


def test_a_petition_gone_before_its_analysis_is_left_alone(world, announcement):
    assert analysis.analyse_petition.call("00000000-0000-0000-0000-000000000000") == {}
    assert not AuditEvent.objects.filter(action="petition.analysed").exists()


def test_the_daily_run_analyses_what_is_still_pending(world, announcement):
    """An enqueue lost between the commit and the queue (here: the on-commit callback never run), or a
    failed task: the daily job enqueues it again once it has waited ``STALE``; a fresh one is left to the
    queue."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        lost, _code = submit_public_petition(announcement, data=PetitionInput(content=WEB))
        fresh, _code = submit_public_petition(announcement, data=PetitionInput(content=PHONE))
    waited = timezone.now() - analysis.STALE - datetime.timedelta(minutes=1)
    with action_scope("test.age"):
        Petition.objects.filter(pk=lost.pk).update(received_at=waited)
        record("test.age", lost, by=None)
    call_command("daily", stdout=io.StringIO())
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.analysed_at is not None and Suggestion.objects.filter(petition=lost).exists()
    assert fresh.analysed_at is None
    assert analysis.analyse_pending.call() == 0  # nothing left that has waited long enough


def test_a_clerk_s_entry_is_analysed_at_once(world):
    """The clerk confirms the triage right after typing the letter in: its suggestions are there on the page
    that follows, made inside the entry's own action (nothing is left for the worker)."""
    earlier = letter(world, WEB)
    with TestCase.captureOnCommitCallbacks(execute=False) as pending:
        petition = letter(world, PHONE, subject_post="局长")
    assert pending == []
    assert petition.analysed_at is not None
    made = Suggestion.objects.filter(petition=petition).count()
    assert made > 0
    assert list(DuplicateCandidate.objects.filter(petition=petition).values_list("other", flat=True)) == [
        earlier.pk
    ]
    received = AuditEvent.objects.get(action="petition.received", object_id=str(petition.pk))
    assert received.details["suggestions"] == made and received.details["duplicate_candidates"] == 1
    assert received.role == "team_member"
    assert not AuditEvent.objects.filter(action="petition.analysed").exists()
