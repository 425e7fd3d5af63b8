from django.contrib import admin
from django.urls import include, path

from xuncha.api import api

admin.site.site_header = "巡察工作平台 · 系统配置"
admin.site.site_title = "巡察工作平台"

urlpatterns = [
    path("", include("xuncha.core.urls")),
    path("orgs/", include("xuncha.orgs.urls")),
    path("rounds/", include("xuncha.rounds.urls")),
    path("intake/", include("xuncha.intake.urls")),
    # Before the portal's own pages: "gongkai" would otherwise be read as an announcement's public code.
    path("portal/gongkai/", include("xuncha.rectification.public_urls")),
    path("portal/", include("xuncha.intake.views.portal")),
    path("fieldwork/", include("xuncha.fieldwork.urls")),
    path("survey/", include("xuncha.fieldwork.views.public")),
    path("findings/", include("xuncha.findings.urls")),
    path("reports/", include("xuncha.reports.urls")),
    path("rectification/", include("xuncha.rectification.urls")),
    path("preparation/", include("xuncha.preparation.urls")),
    path("analytics/", include("xuncha.analytics.urls")),
    path("api/v1/", api.urls),
    path("sysadmin/", admin.site.urls),
]
