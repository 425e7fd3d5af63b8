"""The HTTP API under /api/v1 (django-ninja): each app contributes a router from its api.py."""

from ninja.renderers import JSONRenderer

from xuncha.analytics.api import common as analytics_common
from xuncha.analytics.api import filings as analytics_filings
from xuncha.analytics.api import radar as analytics_radar
from xuncha.analytics.api import stats as analytics_stats
from xuncha.core.api import AUTH, XunchaAPI, install_error_handlers
from xuncha.core.api import router as core_router
from xuncha.core.api_exports import router as core_exports_router
from xuncha.core.api_roles import router as core_roles_router
from xuncha.core.api_todos import router as core_todos_router
from xuncha.core.throttle import install_handler as install_throttle_handler
from xuncha.fieldwork.api import activities as fieldwork_activities
from xuncha.fieldwork.api import checks as fieldwork_checks
from xuncha.fieldwork.api import document_batch as fieldwork_document_batch
from xuncha.fieldwork.api import documents as fieldwork_documents
from xuncha.fieldwork.api import interviews as fieldwork_interviews
from xuncha.fieldwork.api import notices as fieldwork_notices
from xuncha.fieldwork.api import overview as fieldwork_overview
from xuncha.fieldwork.api import surveys as fieldwork_surveys
from xuncha.findings.api import router as findings_router
from xuncha.findings.clues import api as findings_clues
from xuncha.intake.api import appointments as intake_appointments
from xuncha.intake.api import batch as intake_batch
from xuncha.intake.api import duplicates as intake_duplicates
from xuncha.intake.api import petitions as intake_petitions
from xuncha.intake.api import public as intake_public
from xuncha.intake.api import transfers as intake_transfers
from xuncha.intake.api import triage as intake_triage
from xuncha.orgs.api import router as orgs_router
from xuncha.preparation.api import router as preparation_router
from xuncha.rectification.api import batch as rectification_batch
from xuncha.rectification.api import lookback as rectification_lookback
from xuncha.rectification.api import plans as rectification_plans
from xuncha.rectification.api import publication as rectification_publication
from xuncha.rectification.api import self_check as rectification_self_check
from xuncha.rectification.api import supervision as rectification_supervision
from xuncha.reports.api import router as reports_router
from xuncha.reports.copies_api import router as reports_copies_router
from xuncha.reports.meeting_api import router as reports_meeting_router
from xuncha.reports.weekly_api import router as reports_weekly_router
from xuncha.rounds.api import router as rounds_router
from xuncha.rounds.api_plans import router as rounds_plans_router


class UnicodeJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Chinese text stays readable instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = XunchaAPI(
    renderer=UnicodeJSONRenderer(),
    title="巡察工作平台 API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
)
install_error_handlers(api)
install_throttle_handler(api)
api.add_router("", core_router)
api.add_router("", core_roles_router)
api.add_router("", core_todos_router)
api.add_router("", core_exports_router)
api.add_router("", orgs_router)
api.add_router("", rounds_router)
api.add_router("", rounds_plans_router)
# Before the petitions' router: its /petitions/{id} would take "batch" for an id.
api.add_router("", intake_batch.router)
api.add_router("", intake_petitions.router)
api.add_router("", intake_triage.router)
api.add_router("", intake_duplicates.router)
api.add_router("", intake_transfers.router)
api.add_router("", intake_public.router)
api.add_router("", fieldwork_overview.router)
api.add_router("", fieldwork_interviews.router)
api.add_router("", fieldwork_document_batch.router)  # before items/{item_id}, as petitions' batch
api.add_router("", fieldwork_documents.router)
api.add_router("", fieldwork_surveys.router)
api.add_router("", fieldwork_checks.router)
api.add_router("", fieldwork_activities.router)
api.add_router("", fieldwork_notices.router)
api.add_router("", findings_router)
api.add_router("", findings_clues.router)
api.add_router("", reports_router)
api.add_router("", reports_meeting_router)
api.add_router("", reports_copies_router)
api.add_router("", reports_weekly_router)
api.add_router("", rectification_batch.router)  # before rectification-items/{item_id}
api.add_router("", rectification_plans.router)
api.add_router("", rectification_supervision.router)
api.add_router("", rectification_lookback.router)
api.add_router("", rectification_publication.router)
api.add_router("", preparation_router)
api.add_router("", rectification_self_check.router)
api.add_router("", intake_appointments.router)
api.add_router("", analytics_stats.router)
api.add_router("", analytics_radar.router)
api.add_router("", analytics_filings.router)
api.add_router("", analytics_common.router)
