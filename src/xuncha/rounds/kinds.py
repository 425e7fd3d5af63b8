"""How far a round reaches, by its kind (domain.md §2).

A routine, special, mobile or look-back round inspects the units of its own committee with that
committee's inspectors. A 提级 (upgraded) round lets an upper committee inspect units of the committees
below it; a 交叉 (cross) round, organised by an upper committee, sends the inspectors of one lower
committee to the units of another, never to their own; a 联动 (linked) round has the city and its
counties working in step, so both its units and its inspectors may come from the committees below.
"""

from django.db.models import QuerySet

from xuncha.orgs.models import Committee, Inspector, Unit

from .choices import RoundKind
from .models import Round

UNITS_REACH_DOWN = frozenset({RoundKind.UPGRADED, RoundKind.CROSS, RoundKind.LINKED})
INSPECTORS_REACH_DOWN = frozenset({RoundKind.CROSS, RoundKind.LINKED})


def unit_committee_ids(round: Round) -> set[int]:
    """The committees whose units ``round`` may inspect."""
    below = Committee.descendant_ids(round.committee_id) if round.kind in UNITS_REACH_DOWN else set()
    return {round.committee_id} | below


def inspector_committee_ids(round: Round) -> set[int]:
    """The committees whose inspector pools ``round``'s teams may draw on."""
    below = Committee.descendant_ids(round.committee_id) if round.kind in INSPECTORS_REACH_DOWN else set()
    return {round.committee_id} | below


def kind_conflicts(round: Round, inspector: Inspector, unit: Unit) -> list[str]:
    """Reasons the round's kind itself forbids ``inspector`` to inspect ``unit`` (交叉: not at home)."""
    if round.kind == RoundKind.CROSS and inspector.committee_id == unit.committee_id:
        return [f"交叉巡察中不得巡察本地（{unit.committee}）的单位"]
    return []


def eligible_inspectors(round: Round) -> QuerySet[Inspector]:
    """The inspectors the office forming this round's teams may choose from."""
    return Inspector.objects.filter(committee_id__in=inspector_committee_ids(round), is_active=True)


def eligible_units(round: Round) -> QuerySet[Unit]:
    """The units this round may inspect."""
    return Unit.objects.filter(committee_id__in=unit_committee_ids(round), is_active=True)
