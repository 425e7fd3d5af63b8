"""URLs of 巡前了解与协助, mounted at /preparation/."""

from django.urls import URLPattern

app_name = "preparation"
urlpatterns: list[URLPattern] = []
