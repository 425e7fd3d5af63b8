from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xuncha.intake"
    label = "intake"
    verbose_name = "信访受理"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.daily import register_daily
        from xuncha.core.exports import register_export
        from xuncha.core.home import register_panels
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups, register_todos
        from xuncha.core.warmup import register_warmup
        from xuncha.rounds.archive import register_archive_check, register_archive_documents

        from .actions import announcements as announcement_actions
        from .actions import handling
        from .actions import messages as message_actions
        from .actions import petitions as petition_actions
        from .actions import reveals as reveal_actions
        from .actions import transfers as transfer_actions
        from .actions import triage as triage_actions
        from .analysis import analyse_pending
        from .archive import open_petitions
        from .archive_documents import documents as archive_documents
        from .fts import ensure as ensure_fts
        from .paraphrase import loaded as paraphrase_loaded
        from .search import loaded as search_loaded
        from .triage.default_model import loaded as default_model_loaded
        from .triage.words import loaded as triage_loaded
        from .views import petitions as petition_views
        from .views import reveals as reveal_views
        from .views import transfers as transfer_views

        register_panels(petition_views.home_panels)
        register_export("petitions", "信访件台账", petition_views.plan_export)
        register_todos(petition_views.todos)
        register_panels(reveal_views.home_panels)
        register_todos(reveal_views.todos)
        register_audit_labels(reveal_actions.AUDIT_ACTIONS, reveal_actions.AUDIT_DETAILS)
        register_audit_labels(handling.AUDIT_ACTIONS, handling.AUDIT_DETAILS)
        register_audit_labels(announcement_actions.AUDIT_ACTIONS)
        register_audit_labels(message_actions.AUDIT_ACTIONS)
        register_panels(transfer_views.home_panels)
        register_audit_labels(transfer_actions.AUDIT_ACTIONS, transfer_actions.AUDIT_DETAILS)
        register_audit_labels(triage_actions.AUDIT_ACTIONS, triage_actions.AUDIT_DETAILS)
        register_audit_labels(petition_actions.AUDIT_ACTIONS, petition_actions.AUDIT_DETAILS)
        from .actions import appointments as appointment_actions

        register_audit_labels(appointment_actions.AUDIT_ACTIONS, appointment_actions.AUDIT_DETAILS)
        from xuncha.rounds.choices import Stage
        from xuncha.rounds.closing import ARCHIVING, register_stage_end

        register_stage_end(Stage.REPORTING, appointment_actions.withdraw_open_times)
        register_stage_end(ARCHIVING, appointment_actions.close_on_archive)
        register_archive_check(open_petitions)
        register_archive_documents(archive_documents)
        register_deadlines(transfer_actions.transfer_deadlines, on_home=False)
        register_deadline_groups({"transfer": "转交件办理结果"})
        register_daily(analyse_pending)
        register_warmup(search_loaded)
        register_warmup(triage_loaded)
        register_warmup(paraphrase_loaded)
        post_migrate.connect(ensure_fts, sender=self)
        register_warmup(default_model_loaded)
