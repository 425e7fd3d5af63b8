"""URLs of findings, mounted at /findings/ (each views module holds its own, as each intake area does)."""

from django.urls import URLPattern

from .clues import transfer_views as clue_transfer_views
from .clues import views as clue_views
from .views import urlpatterns as view_patterns

app_name = "findings"
urlpatterns: list[URLPattern] = [
    *view_patterns,
    *clue_views.urlpatterns,
    *clue_transfer_views.urlpatterns,
]
