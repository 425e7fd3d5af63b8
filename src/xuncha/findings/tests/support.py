"""Helpers of findings' tests: the default taxonomy and regulations, a petition as evidence, and findings
made through the actions."""

from types import SimpleNamespace
from typing import Any

from xuncha.core.audit import action_scope, record
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.models import Petition
from xuncha.rounds.choices import Stage
from xuncha.taxonomy import defaults as taxonomy
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from .. import actions
from ..models import Finding, Regulation


def category(kind: str, code: str) -> Category:
    found = taxonomy.category(kind, code)
    assert found is not None
    return found


def setup(w: SimpleNamespace) -> SimpleNamespace:
    """The default schemes, the city's default regulations and a petition of each team's inspection."""
    taxonomy.install()
    set_stage(w.inspection2, Stage.FIELDWORK)
    w.regulations = actions.install_default_regulations(w.city, by=w.users["office"])
    w.petition1 = petition(w, w.inspection1, "t1_member", "反映市财政局张建国局长多次用公款在滨江酒店宴请。")
    w.petition2 = petition(w, w.inspection2, "t2_member", "反映市交通运输局工程项目招标打招呼。")
    return w


def set_stage(inspection: Any, stage: str) -> None:
    """Put an inspection in a stage directly (the stage machine's guards are tested in rounds)."""
    with action_scope("test.stage"):
        inspection.stage = stage
        inspection.save()
        record("test.stage", inspection, by=None)


def petition(w: SimpleNamespace, inspection: Any, persona: str, content: str) -> Petition:
    data = PetitionInput(content=content, channel="letter")
    return register_petition(inspection, data=data, by=w.users[persona])


def content(w: SimpleNamespace, **overrides: Any) -> actions.FindingInput:
    """A complete finding of inspection1 (ready for the team meeting)."""
    values: dict[str, Any] = {
        "title": "违规公款宴请",
        "description": "2025年张建国多次在滨江酒店公款宴请，费用以会议费名义报销，共计约18万元。",
        "focus": category(SchemeKind.FOCUS, "2.4"),
        "regulations": [Regulation.objects.get(committee=w.city, name="中央八项规定及其实施细则精神")],
        "basis_note": "",
        "unit_responsible": True,
        "persons": [w.principal1],
        "discipline": category(SchemeKind.DISCIPLINE, taxonomy.INTEGRITY),
        "nature": category(SchemeKind.NATURE, "3"),
        "four_winds": category(SchemeKind.FOUR_WINDS, "4"),
        "commonality": "individual",
        "root_cause": "responsibility",
        "evidence": [w.petition1],
    }
    values.update(overrides)
    return actions.FindingInput(**values)


def draft(w: SimpleNamespace, persona: str = "t1_member", **overrides: Any) -> Finding:
    return actions.draft_finding(w.inspection1, data=content(w, **overrides), by=w.users[persona])
