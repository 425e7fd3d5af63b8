"""Public survey pages (民主测评/问卷), mounted at /survey/: no login, answered with a one-time token."""

from django.urls import URLPattern

app_name = "survey"
urlpatterns: list[URLPattern] = []
