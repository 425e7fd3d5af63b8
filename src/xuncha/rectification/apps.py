from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "xuncha.rectification"
    label = "rectification"
    verbose_name = "整改"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.exports import register_export
        from xuncha.core.home import register_panels
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups, register_todos
        from xuncha.rounds.archive import register_archive_check, register_archive_documents

        from . import archive, archive_documents, reminders
        from .actions import items, plans, reports
        from .actions import supervision as supervision_actions
        from .views import lists
        from .views import supervision as supervision_views

        for module in (plans, items, reports, lists, supervision_actions):
            register_audit_labels(module.AUDIT_ACTIONS, module.AUDIT_DETAILS)
        register_panels(lists.home_panels)
        register_todos(lists.todos)
        register_export("rectification", "整改台账", lists.plan_export)
        register_panels(supervision_views.home_panels)
        register_todos(supervision_views.todos)
        register_archive_check(archive.open_items)
        register_archive_check(archive.open_notices)
        register_archive_documents(archive_documents.documents)
        register_deadlines(reminders.rectification_deadlines, on_home=False)  # the 整改 panel lists them
        from .actions import publication as publication_actions

        register_audit_labels(publication_actions.AUDIT_ACTIONS, publication_actions.AUDIT_DETAILS)
        from .actions import lookback as lookback_actions

        register_audit_labels(lookback_actions.AUDIT_ACTIONS, lookback_actions.AUDIT_DETAILS)
        register_archive_check(archive.unchecked_lookback)
        register_deadlines(reminders.notice_deadlines, on_home=False)  # the 督办单 panel lists them
        register_deadline_groups(
            {
                "rectification-duty": "整改方案和报告",
                "rectification-item": "整改事项",
                "supervision-notice": "督办单",
            }
        )
        from .actions import self_check as self_check_actions
        from .views import self_check as self_check_views

        register_audit_labels(self_check_actions.AUDIT_ACTIONS, self_check_actions.AUDIT_DETAILS)
        register_panels(self_check_views.home_panels)
        from xuncha.rounds.closing import ARCHIVING, register_stage_end

        from . import closing

        register_stage_end(ARCHIVING, closing.close_on_archive)
