"""``{% reports_of inspection %}`` and ``{% reports_of_round round %}``: the reports section of an
inspection's page and of a round's page (rounds cannot import reports), shown to whoever sees something
of it: the office and leading group, the team, and (for delivered feedback to the unit) the unit's liaison."""

from typing import Any

from django import template

from xuncha.core.permissions import acting_user, holds
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Round

from .. import actions
from ..choices import Recipient, ReportKind, ReportStatus
from ..meeting import hearable
from ..models import Feedback, Hearing, Report, SecretaryMeeting

register = template.Library()


@register.inclusion_tag("reports/_inspection_section.html", takes_context=True)
def reports_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    report = Report.objects.visible_to(user).filter(kind=ReportKind.TEAM, inspection=inspection).first()
    feedbacks = {f.recipient: f for f in Feedback.objects.visible_to(user).filter(inspection=inspection)}
    team = holds(user, actions.team_roles(inspection))
    if report is None and not feedbacks and not team:
        return {"shown": False}
    final = report is not None and report.status == ReportStatus.FINAL
    may_feedback = team and final and inspection.stage in (Stage.REPORTING, Stage.FEEDBACK)
    rows = [
        (value, label, feedbacks.get(value), may_feedback and value not in feedbacks)
        for value, label in Recipient.choices
    ]
    return {
        "shown": True,
        "inspection": inspection,
        "report": report,
        "may_assemble": team and report is None and inspection.stage == Stage.REPORTING,
        "feedback_rows": [row for row in rows if row[2] is not None or row[3]],
    }


@register.inclusion_tag("reports/_round_section.html", takes_context=True)
def reports_of_round(context: dict[str, Any], round_: Round) -> dict[str, Any]:
    user = acting_user(context["request"])
    if not holds(user, actions.hearing_roles(round_)):
        return {"shown": False}
    reports = Report.objects.filter(round=round_)
    return {
        "shown": True,
        "round": round_,
        "comprehensive": reports.filter(kind=ReportKind.COMPREHENSIVE).first(),
        "waiting": reports.filter(kind=ReportKind.TEAM, status=ReportStatus.SUBMITTED).count(),
        "finals": reports.filter(kind=ReportKind.TEAM, status=ReportStatus.FINAL).count(),
        "hearings": Hearing.objects.filter(round=round_),
        "meetings": SecretaryMeeting.objects.filter(round=round_),
        "may_meet": hearable(round_).exists(),
        "is_office": holds(user, {"office": round_.committee_id}),
    }
