from django.http import HttpRequest
from django.urls import URLPattern, path  # noqa: F401

from ..models import Petition

urlpatterns: list[URLPattern] = []


def panel(request: HttpRequest, petition: Petition) -> str:
    """This area's section of the petition page, rendered (empty until the area is built)."""
    return ""
