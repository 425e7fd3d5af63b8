from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "问题底稿与线索"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.daily import register_daily
        from xuncha.core.home import register_panels
        from xuncha.rounds.archive import register_archive_check

        from . import actions, evidence, problems, views
        from .clues import actions as clue_actions
        from .clues import transfer_views as clue_transfer_views
        from .clues import transfers as clue_transfers
        from .clues.archive import open_clues
        from .clues.tasks import chase_overdue_clue_transfers

        evidence.register_defaults()
        evidence.register_fieldwork()
        register_audit_labels(actions.AUDIT_ACTIONS, actions.AUDIT_DETAILS)
        register_audit_labels(problems.AUDIT_ACTIONS)
        register_audit_labels(clue_actions.AUDIT_ACTIONS, clue_actions.AUDIT_DETAILS)
        register_audit_labels(clue_transfers.AUDIT_ACTIONS, clue_transfers.AUDIT_DETAILS)
        register_panels(views.home_panels)
        register_panels(clue_transfer_views.home_panels)
        register_archive_check(open_clues)
        register_daily(chase_overdue_clue_transfers)
