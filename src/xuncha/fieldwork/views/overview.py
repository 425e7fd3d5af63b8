"""The inspection's fieldwork page (``/fieldwork/inspections/<id>/``): everything of one inspection's
了解 in one place — the petitions block (intake's, through its template tag) and each area's section, in
``SECTION_AREAS`` order, each showing its own counts and what is due or overdue; and the home-page panel
that leads a team's members to it while their inspections are in the fieldwork stage.

Whoever sees the inspection may open the page; each block decides what it shows (an area's ``section``
returns "" for who may not see it). The unit's liaison thus gets a reduced page: its interview schedule,
document requests and its own reports to the team. Anyone else gets 404, as for a missing id.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from xuncha.core.choices import Role
from xuncha.core.home import Panel
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from . import activities, checks, documents, interviews, notices, surveys

# The areas whose ``section(request, inspection)`` the page shows, in this order.
SECTION_AREAS = (interviews, documents, surveys, checks, activities, notices)


@login_required
@require_GET
def inspection_fieldwork(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round__committee__settings", "team", "unit"),
        pk=pk,
    )
    # Each section is a template rendered by its area (autoescaped there).
    sections = [area.section(request, inspection) for area in SECTION_AREAS]
    context = {
        "inspection": inspection,
        "sections": mark_safe("".join(sections)),  # noqa: S308
        "nothing": not any(sections),
    }
    return render(request, "fieldwork/overview/inspection.html", context)


def home_panels(user: User) -> list[Panel]:
    """For a team's members: their inspections in the fieldwork stage, each a link to its page."""
    team_ids = user.scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if not team_ids:
        return []
    inspections = list(
        Inspection.objects.filter(team_id__in=team_ids, stage=Stage.FIELDWORK).select_related("team", "unit")
    )
    if not inspections:
        return []
    return [Panel("了解工作", "fieldwork/overview/home_panel.html", {"inspections": inspections}, order=12)]


urlpatterns: list[URLPattern] = [
    path("inspections/<int:pk>/", inspection_fieldwork, name="inspection"),
]
