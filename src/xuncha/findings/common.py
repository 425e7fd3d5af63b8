"""Common problems (共性问题) of a round: the 三个聚焦 items and 六项纪律 that signed-off findings of two or
more inspections share, with their units and findings — the basis of 建章立制 recommendations.

Two queries per scheme, whatever the number of findings: the counts grouped by category, then the findings
of the categories that recur.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from xuncha.rounds.models import Round
from xuncha.taxonomy.models import Category

from .choices import FindingStatus
from .models import Finding

MIN_INSPECTIONS = 2
SCHEMES = (("focus", "三个聚焦"), ("discipline", "六项纪律"))


@dataclass
class Problem:
    category: Category
    inspections: int
    units: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def unit_names(self) -> list[str]:
        return sorted({f.inspection.unit.name for f in self.findings})


def common_problems(round_: Round, by: str) -> list[Problem]:
    """The categories of ``by`` ("focus" or "discipline") found in signed-off findings of two or more
    inspections of the round, most widespread first."""
    signed = Finding.objects.filter(inspection__round=round_, status=FindingStatus.SIGNED_OFF)
    counts = (
        signed.filter(**{f"{by}__isnull": False})
        .values(f"{by}_id")
        .annotate(
            inspections=Count("inspection", distinct=True), units=Count("inspection__unit", distinct=True)
        )
        .filter(inspections__gte=MIN_INSPECTIONS)
    )
    problems: dict[int, Problem] = {}
    findings = (
        signed.filter(**{f"{by}_id__in": [row[f"{by}_id"] for row in counts]})
        .select_related(by, "inspection__unit", "inspection__team")
        .order_by("inspection__unit__name", "sequence")
    )
    wanted = {row[f"{by}_id"]: row for row in counts}
    for finding in findings:
        category_id = getattr(finding, f"{by}_id")
        if category_id not in problems:
            row = wanted[category_id]
            problems[category_id] = Problem(getattr(finding, by), row["inspections"], row["units"])
        problems[category_id].findings.append(finding)
    return sorted(problems.values(), key=lambda p: (-p.inspections, -len(p.findings), p.category.sort_key))
