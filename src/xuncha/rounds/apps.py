from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "xuncha.rounds"
    label = "rounds"
    verbose_name = "轮次与巡察"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels, register_object_numbers
        from xuncha.core.choices import ScopeType
        from xuncha.core.home import register_panels
        from xuncha.core.otp import register_policy
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.scopes import register_scope_lookup
        from xuncha.core.todos import register_deadline_groups

        from .choices import AUDIT_ACTIONS, AUDIT_DETAILS
        from .hooks import describe_team, inspection_names, team_role_requires_totp
        from .mobilisation import AUDIT_ACTIONS as MOBILISATION_AUDIT_ACTIONS
        from .models import Inspection, Team
        from .panels import rounds_panels
        from .reminders import stage_deadlines

        register_panels(rounds_panels)
        register_policy(team_role_requires_totp)
        register_scope_lookup(ScopeType.TEAM, describe_team, model=Team, committee="round__committee")
        register_audit_labels(AUDIT_ACTIONS, AUDIT_DETAILS)
        register_audit_labels(MOBILISATION_AUDIT_ACTIONS)
        register_object_numbers(Inspection, inspection_names)
        register_deadlines(stage_deadlines, on_home=False)
        register_deadline_groups({"inspection-stage": "巡察阶段期限"})
        self._ready_plans()

    def _ready_plans(self) -> None:
        """The work plan, the round's 动员部署会 and the inspectors' readiness: their audit labels, the
        leading group's panel, and the checks that keep a team from being stationed before them."""
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.home import register_panels

        from . import plans, readiness, round_meeting
        from .checks import register_transition_check
        from .choices import Stage
        from .plan_panels import plan_panels

        register_audit_labels(plans.AUDIT_ACTIONS, plans.AUDIT_DETAILS)
        register_audit_labels(round_meeting.AUDIT_ACTIONS)
        register_audit_labels(readiness.AUDIT_ACTIONS, readiness.AUDIT_DETAILS)
        register_transition_check(Stage.STATIONED, plans.plan_lines)
        register_transition_check(Stage.STATIONED, readiness.readiness_lines)
        register_panels(plan_panels)
