"""Personal-matters checks in the demo: the first team of this year's round samples four of the finance
bureau's leaders (the leadership and two persons it marked), with results: two consistent, one
inconsistent marked for a draft finding, one still being checked."""

from typing import TYPE_CHECKING

from xuncha.fieldwork.actions.checks import create_check, draw, record_result
from xuncha.fieldwork.choices import CheckResult
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person

if TYPE_CHECKING:
    from ..build import World

RESULTS = (
    (CheckResult.CONSISTENT, "", False),
    (
        CheckResult.INCONSISTENT,
        "本人2025年度报告“本人、配偶、共同生活的子女无投资入股情况”；经向市场监管部门查询，其配偶持有江州"
        "某建材有限公司15%股权（2021年入股），与报告不一致，属漏报。",
        True,
    ),
    (CheckResult.CONSISTENT, "", False),
)


def build(w: "World") -> None:
    inspection = w.inspections["2:第一巡察组"]
    leader, member = w.users["t1_leader"], w.users["t1_member"]
    marked = list(
        Person.objects.filter(
            unit=inspection.unit, category__in=(PostCategory.NEXT_LEVEL_PRINCIPAL, PostCategory.KEY_POST)
        ).order_by("pk")[:2]
    )
    check = create_check(
        inspection,
        title="领导干部报告个人有关事项抽查核实",
        sample_size=4,
        extra_persons=marked,
        by=leader,
    )
    check = draw(check, by=leader)
    for checked, (result, details, to_finding) in zip(
        check.persons.order_by("position"), RESULTS, strict=False
    ):
        record_result(checked, result=result, details=details, to_finding=to_finding, by=member)
