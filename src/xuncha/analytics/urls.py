"""URLs of 统计分析, mounted at /analytics/; each area's views module has its ``urlpatterns``."""

from django.urls import URLPattern

from .views import common as common_views
from .views import dashboard
from .views import filings as filing_views
from .views import portrait as portrait_views
from .views import radar as radar_views

app_name = "analytics"
urlpatterns: list[URLPattern] = [
    *dashboard.urlpatterns,
    *radar_views.urlpatterns,
    *portrait_views.urlpatterns,
    *filing_views.urlpatterns,
    *common_views.urlpatterns,
]
