"""URLs of findings, mounted at /findings/ (the views module holds them, as each intake area does)."""

from django.urls import URLPattern

from .views import urlpatterns as view_patterns

app_name = "findings"
urlpatterns: list[URLPattern] = view_patterns
