"""The receiver by rule (domain §6) as a pure function: no database."""

from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Department, Unit

from ..choices import ClueKind
from ..clues.rules import RULES, propose

UNIT = Unit(pk=1, name="市财政局")
JIWEI = Department(pk=10, name="市纪委监委", kind=DepartmentKind.JIWEI)
ZUZHIBU = Department(pk=11, name="市委组织部", kind=DepartmentKind.ZUZHIBU)
AUDIT = Department(pk=12, name="市审计局", kind=DepartmentKind.AUDIT)
DEPARTMENTS = [AUDIT, ZUZHIBU, JIWEI]


def test_each_kind_goes_where_the_rule_says_with_its_explanation() -> None:
    expected = {
        ClueKind.DISCIPLINE: (JIWEI, None),
        ClueKind.SELECTION: (ZUZHIBU, None),
        ClueKind.GENERAL: (None, UNIT),
        ClueKind.LEADERSHIP: (None, UNIT),
        ClueKind.OTHER: (None, None),
    }
    for kind, (department, unit) in expected.items():
        proposal = propose(kind, DEPARTMENTS, UNIT)
        assert (proposal.department, proposal.unit, proposal.rule) == (department, unit, RULES[kind]), kind


def test_a_committee_without_the_department_is_told_to_choose() -> None:
    proposal = propose(ClueKind.DISCIPLINE, [AUDIT, ZUZHIBU], UNIT)
    assert (proposal.department, proposal.unit) == (None, None)
    assert "尚未登记纪委监委" in proposal.rule


def test_a_chosen_receiver_matches_the_rule_or_needs_a_reason() -> None:
    proposal = propose(ClueKind.DISCIPLINE, DEPARTMENTS, UNIT)
    assert proposal.matches(JIWEI, None)
    assert not proposal.matches(ZUZHIBU, None)
    assert not proposal.matches(None, UNIT)
    assert propose(ClueKind.GENERAL, DEPARTMENTS, UNIT).matches(None, UNIT)
    assert propose(ClueKind.OTHER, DEPARTMENTS, UNIT).matches(AUDIT, None)  # the team's choice is the rule
