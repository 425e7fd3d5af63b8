from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xuncha.core"
    label = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from . import audit_log, checks, exports, reminders, signals
        from .audit import anchor_chain_task
        from .audit_labels import register_audit_labels
        from .choices import AUDIT_ACTIONS, AUDIT_DETAILS
        from .daily import register_daily
        from .home import register_panels
        from .notifications import home_panels as notification_panels
        from .panels import core_panels

        signals.connect()
        register_panels(core_panels)
        register_panels(notification_panels)
        register_audit_labels(AUDIT_ACTIONS, AUDIT_DETAILS)
        register_audit_labels(reminders.AUDIT_ACTIONS, reminders.AUDIT_DETAILS)
        audit_log.register()
        checks.register()
        register_panels(reminders.home_panels)
        register_daily(reminders.send_reminders_task)
        register_daily(anchor_chain_task)
        register_daily(exports.purge_expired_task)
