"""Home-page panels of the work plan: the leading group's plans awaiting approval, the office's plans
returned for revision (one query each, whatever the number of plans)."""

from xuncha.core.choices import Role
from xuncha.core.home import Panel, head
from xuncha.core.models import User

from .models import WorkPlan
from .plan_choices import PlanStatus

LIMIT = 10


def plan_panels(user: User) -> list[Panel]:
    panels: list[Panel] = []
    scopes = user.scopes
    for role, status, title in (
        (Role.LEADING_GROUP, PlanStatus.SUBMITTED, "待审批的巡察工作方案"),
        (Role.OFFICE, PlanStatus.RETURNED, "被退回的巡察工作方案"),
    ):
        committee_ids = scopes.ids(role)
        if not committee_ids:
            continue
        plans = WorkPlan.objects.filter(round__committee_id__in=committee_ids, status=status)
        found, count = head(plans.select_related("round").order_by("round__planned_start", "pk"), LIMIT)
        if found:
            context = {"plans": found, "count": count}
            panels.append(Panel(title, "rounds/panels/work_plans.html", context, order=15))
    return panels
