"""Information requests to departments before and during an inspection (巡前了解、提请协助)."""

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils import timezone


def _request_numbers(rows: "QuerySet[Any]") -> Iterable[tuple[Any, str]]:
    for pk, team, number in rows.values_list("pk", "inspection__team__name", "number"):
        yield pk, f"{team}了解情况函第{number}号"


def _slot_numbers(rows: "QuerySet[Any]") -> Iterable[tuple[Any, str]]:
    found = rows.values_list("pk", "request__inspection__team__name", "request__number", "department__name")
    for pk, team, number, department in found:
        yield pk, f"{team}了解情况函第{number}号（{department}）"


def _file_numbers(rows: "QuerySet[Any]") -> Iterable[tuple[Any, str]]:
    found = rows.values_list(
        "pk",
        "answer__recipient__request__inspection__team__name",
        "answer__recipient__request__number",
        "answer__recipient__department__name",
    )
    for pk, team, number, department in found:
        yield pk, f"{team}了解情况函第{number}号（{department}）答复附件"


class PreparationConfig(AppConfig):
    name = "xuncha.preparation"
    label = "preparation"
    verbose_name = "巡前了解与协助"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels, register_object_numbers
        from xuncha.core.home import register_panels
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups
        from xuncha.findings.evidence import EvidenceKind, register_kind
        from xuncha.rounds.archive import register_archive_documents
        from xuncha.rounds.closing import ARCHIVING, register_stage_end

        from . import actions, archive_documents, closing
        from .models import InformationAnswerFile, InformationRequest, Lead, Recipient
        from .panels import home_panels

        register_audit_labels(actions.AUDIT_ACTIONS, actions.AUDIT_DETAILS)
        register_audit_labels(closing.AUDIT_ACTIONS, closing.AUDIT_DETAILS)
        # Open requests close when the inspection is archived (closing.py).
        register_stage_end(ARCHIVING, closing.close_on_archive)
        register_archive_documents(archive_documents.documents)
        register_object_numbers(InformationRequest, _request_numbers)
        register_object_numbers(Recipient, _slot_numbers)
        register_object_numbers(InformationAnswerFile, _file_numbers)
        register_panels(home_panels)
        # The receivers' own panel lists what they owe; the engine sends the notices and escalations.
        register_deadlines(actions.request_deadlines, on_home=False)
        register_deadline_groups({"information-request": "了解情况函答复"})
        # A lead drawn from a department's answer may be cited as evidence of a finding.
        register_kind(
            EvidenceKind(
                code="preparation_lead",
                label="巡前了解线索",
                model=Lead,
                inspection_path="inspection",
                describe=lambda lead: f"{lead.number}（{timezone.localtime(lead.created_at):%Y-%m-%d}）",
                reference=lambda lead: lead.number,
                url_name="preparation:lead-detail",
            )
        )
