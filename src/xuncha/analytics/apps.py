from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "xuncha.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.home import register_panels

        from . import ledger, panels

        register_audit_labels(ledger.AUDIT_ACTIONS, ledger.AUDIT_DETAILS)
        register_panels(panels.home_panels)

        from . import portrait, radar

        register_audit_labels(radar.AUDIT_ACTIONS, radar.AUDIT_DETAILS)
        register_audit_labels(portrait.AUDIT_ACTIONS)

        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups

        from . import common, filings

        register_audit_labels(filings.AUDIT_ACTIONS, filings.AUDIT_DETAILS)
        register_deadlines(filings.filing_deadlines, on_home=False)  # the filings page lists them
        register_deadline_groups({"filing": "报备"})
        register_audit_labels(common.AUDIT_ACTIONS, common.AUDIT_DETAILS)

        from . import rollups

        rollups.connect()
