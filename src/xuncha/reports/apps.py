from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xuncha.reports"
    label = "reports"
    verbose_name = "巡察报告与反馈"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.home import register_panels
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups
        from xuncha.rounds.archive import register_archive_check, register_archive_documents
        from xuncha.rounds.checks import register_transition_check
        from xuncha.rounds.choices import Stage

        from . import (
            actions,
            archive,
            archive_documents,
            copies,
            copies_views,
            meeting,
            stages,
            views,
            weekly,
            weekly_views,
        )

        register_audit_labels(actions.AUDIT_ACTIONS, actions.AUDIT_DETAILS)
        register_panels(views.home_panels)
        register_audit_labels(weekly.AUDIT_ACTIONS, weekly.AUDIT_DETAILS)
        register_audit_labels(meeting.AUDIT_ACTIONS, meeting.AUDIT_DETAILS)
        register_audit_labels(copies.AUDIT_ACTIONS, copies.AUDIT_DETAILS)
        register_panels(copies_views.home_panels)
        register_panels(weekly_views.home_panels)
        register_deadlines(weekly.deadlines, on_home=False)
        register_deadline_groups({"weekly-report": "巡察工作周报"})
        register_archive_check(archive.open_items)
        register_archive_documents(archive_documents.documents)
        register_transition_check(Stage.FEEDBACK, stages.feedback_ready)
        register_transition_check(Stage.FEEDBACK, meeting.feedback_check)
        register_transition_check(Stage.RECTIFYING, stages.rectifying_ready)
