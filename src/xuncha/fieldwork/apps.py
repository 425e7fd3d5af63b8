from importlib import import_module

from django.apps import AppConfig

# The areas of fieldwork; each has a module of the same name in models/, actions/, forms/, views/, api/ and
# tests/matrix/ (see docs/architecture.md, "Fieldwork").
AREAS = ("interviews", "documents", "surveys", "checks", "activities", "overview", "notices")


class FieldworkConfig(AppConfig):
    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = "了解工作"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.home import register_panels
        from xuncha.core.reminders import register_deadlines
        from xuncha.core.todos import register_deadline_groups
        from xuncha.rounds.archive import register_archive_documents

        from .archive_documents import documents
        from .reminders import document_deadlines

        for area in AREAS:
            actions = import_module(f"{self.name}.actions.{area}")
            labels = getattr(actions, "AUDIT_ACTIONS", {}), getattr(actions, "AUDIT_DETAILS", {})
            register_audit_labels(*labels)
            views = import_module(f"{self.name}.views.{area}")
            if hasattr(views, "home_panels"):
                register_panels(views.home_panels)
        register_archive_documents(documents)
        # Open to-dos close when their stage ends (closing.py).
        from xuncha.rounds.choices import Stage
        from xuncha.rounds.closing import ARCHIVING, register_stage_end

        from . import closing

        register_audit_labels(closing.AUDIT_ACTIONS, closing.AUDIT_DETAILS)
        register_stage_end(Stage.FIELDWORK, closing.documents_not_provided)
        register_stage_end(ARCHIVING, closing.close_on_archive)
        register_deadlines(document_deadlines, on_home=False)
        register_deadline_groups({"document-request": "调阅资料"})
