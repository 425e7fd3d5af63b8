"""Petitions about the inspectors themselves (监督者更要接受监督): they go to the office, never to the team.

Found when the text names a member of the inspection's team (a word of the triage tokenizer, so "周敏"
is not found inside another word), when the subject is one of them, when the text describes the conduct
of the team or its cadres ("巡察组成员收受…", not "向巡察组反映…收受…"), or when the reporter said so.
The petition is marked ``about_inspectors`` inside its intake action (``triage.route``), before it is saved,
so that from its first moment only the office sees it; the suggestion that says why comes with the others.
"""

import re

from xuncha.rounds.models import TeamMember

from ..choices import Scope, ScopeReason, SuggestionField, SuggestionSource
from ..models import Petition, Suggestion
from .base import make, quoted, scope_value

_WHO = r"(?<![向给请望求])(?:巡察组(?:组长|副组长|成员|工作人员|人员|干部)?|巡察(?:干部|人员))"
# Up to 8 characters of the same sentence between who and what, not passing a verb of reporting.
_BETWEEN = r"(?:(?!反映|举报|投诉|信访|来信|来电|来访)[^。！？!?；;\n]){0,8}"
_CONDUCT = (
    r"(?:收受|索要|索取|接受宴请|吃请|宴请|吃拿卡要|红包|礼品|礼金|购物卡|泄露|泄密|透露|通风报信|打招呼|说情|"
    r"包庇|袒护|刁难|威胁|报复|态度恶劣|违规|违纪|不作为|敷衍|走过场|私下接触|打击报复|收钱|受贿)"
)
CONDUCT = re.compile(_WHO + _BETWEEN + _CONDUCT)


def team_names(team_id: int) -> list[str]:
    return list(
        TeamMember.objects.filter(team_id=team_id).order_by().values_list("inspector__name", flat=True)
    )


def finding(petition: Petition, names: list[str], tokens: list[str], text: str) -> str | None:
    subject = petition.subject_name.strip()
    if subject and subject in names:
        return f"被反映人“{subject}”是本巡察组成员"
    named = next((t for t in tokens if t in names), None)
    if named is not None:
        return f"正文提到本巡察组成员“{named}”"
    conduct = CONDUCT.search(text)
    if conduct is not None:
        return f"正文反映巡察组或巡察干部的行为：{quoted(conduct.group(0))}"
    if petition.about_inspectors:
        return "反映人注明反映的是巡察组或巡察干部"
    return None


def propose(petition: Petition, names: list[str], tokens: list[str], text: str) -> list[Suggestion]:
    found = finding(petition, names, tokens, text)
    if found is None:
        return []
    if not petition.about_inspectors:
        petition.about_inspectors = True
        petition.save(update_fields=["about_inspectors"])
    return [
        make(
            petition,
            SuggestionField.SCOPE,
            scope_value(Scope.OUT, ScopeReason.ABOUT_INSPECTORS),
            source=SuggestionSource.ROSTER,
            reason=f"{found}，应由巡察办办理，不交本巡察组",
        )
    ]
