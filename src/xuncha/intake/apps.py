from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xuncha.intake"
    label = "intake"
    verbose_name = "信访受理"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.home import register_panels

        from .actions import reveals as reveal_actions
        from .views import reveals as reveal_views

        register_panels(reveal_views.home_panels)
        register_audit_labels(reveal_actions.AUDIT_ACTIONS, reveal_actions.AUDIT_DETAILS)
