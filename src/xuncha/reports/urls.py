"""URLs of reports and feedback, mounted at /reports/ (the views module holds them, as in findings)."""

from django.urls import URLPattern

from .copies_views import urlpatterns as copies_patterns
from .meeting_views import urlpatterns as meeting_patterns
from .views import urlpatterns as view_patterns
from .weekly_views import urlpatterns as weekly_patterns

app_name = "reports"
urlpatterns: list[URLPattern] = [*view_patterns, *meeting_patterns, *copies_patterns, *weekly_patterns]
