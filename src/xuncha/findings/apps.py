from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "问题底稿与线索"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.exports import register_export
        from xuncha.core.home import register_panels
        from xuncha.core.object_actions import register_object_actions
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups, register_todos
        from xuncha.fieldwork.models import InterviewProblem
        from xuncha.intake.models import Petition
        from xuncha.rounds.archive import register_archive_check, register_archive_documents

        from . import actions, archive_documents, evidence, object_actions, problems, views
        from .clues import actions as clue_actions
        from .clues import transfer_views as clue_transfer_views
        from .clues import transfers as clue_transfers
        from .clues.archive import open_clues

        evidence.register_defaults()
        evidence.register_fieldwork()
        register_audit_labels(actions.AUDIT_ACTIONS, actions.AUDIT_DETAILS)
        register_audit_labels(problems.AUDIT_ACTIONS)
        register_audit_labels(clue_actions.AUDIT_ACTIONS, clue_actions.AUDIT_DETAILS)
        register_audit_labels(clue_transfers.AUDIT_ACTIONS, clue_transfers.AUDIT_DETAILS)
        register_panels(views.home_panels)
        register_todos(views.todos)
        register_export("findings", "问题底稿台账", views.plan_export)
        register_panels(clue_transfer_views.home_panels)
        register_archive_check(open_clues)
        register_archive_documents(archive_documents.documents)
        register_deadlines(clue_transfers.clue_transfer_deadlines, on_home=False)
        register_deadline_groups({"clue-transfer": "移交线索办理结果"})
        register_object_actions(Petition, object_actions.petition_actions)
        register_object_actions(InterviewProblem, object_actions.problem_actions)
