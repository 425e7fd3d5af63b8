from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "问题底稿与线索"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.home import register_panels

        from . import actions, evidence, views

        evidence.register_defaults()
        evidence.register_fieldwork()
        register_audit_labels(actions.AUDIT_ACTIONS, actions.AUDIT_DETAILS)
        register_panels(views.home_panels)
