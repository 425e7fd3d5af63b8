"""Coverage of a committee term (届内全覆盖): a unit the term expects counts as covered once any inspection
of a round of that term inspects it."""

from xuncha.orgs.models import Unit

from .models import Inspection, Term


def coverage_percent(covered: int, expected: int) -> int:
    """Whole percent, rounded down: 100 only when every unit is covered."""
    return covered * 100 // expected if expected else 0


def term_coverage(term: Term) -> tuple[list[Unit], list[Unit], int]:
    """(covered units, expected units, percent covered), units in a stable order."""
    expected = list(term.units.order_by("committee_id", "id"))
    inspected = set(
        Inspection.objects.filter(round__term=term, unit__in=expected).values_list("unit_id", flat=True)
    )
    covered = [unit for unit in expected if unit.pk in inspected]
    return covered, expected, coverage_percent(len(covered), len(expected))
