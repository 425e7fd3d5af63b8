"""URLs of 统计分析, mounted at /analytics/."""

from django.urls import URLPattern

app_name = "analytics"
urlpatterns: list[URLPattern] = []
