"""The HTTP API under /api/v1 (django-ninja): each app contributes a router from its api.py."""

from ninja import NinjaAPI

from xuncha.core.api import AUTH, install_error_handlers
from xuncha.core.api import router as core_router
from xuncha.orgs.api import router as orgs_router
from xuncha.rounds.api import router as rounds_router

api = NinjaAPI(
    title="巡察工作平台 API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("", core_router)
api.add_router("", orgs_router)
api.add_router("", rounds_router)
