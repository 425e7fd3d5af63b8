"""Pages of the key-person radar (重点人): the list of a committee, one person's contributions, and the
committee's settings (threshold and weights, the office's).

The office of the committee and the leaders of its teams read the radar (a team leader only what their own
inspections hold); everyone else 404, as for a missing id. Every read is an audit event."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.errors import Refused
from xuncha.core.forms import StyledForm, show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.ui import id_param
from xuncha.orgs.models import Committee

from .. import radar
from ..models.radar import MAX_SCORE, MAX_WEIGHT, WEIGHT_FIELDS, RadarSettings


def _scope(request: HttpRequest) -> radar.RadarScope:
    user = acting_user(request)
    committee_id = id_param(request.GET.get("committee", "")) or radar.default_committee_id(user)
    return radar.scope_for(user, committee_id)


def _committees(user: User) -> list[Committee]:
    return list(Committee.objects.filter(pk__in=radar.radar_committee_ids(user)).order_by("level", "pk"))


@login_required
@require_GET
def radar_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    everyone = radar.key_persons(scope)
    listed = [k for k in everyone if k.listed]
    record_read(
        "key_person.radar_read",
        scope.committee,
        by=scope.user,
        role=scope.role,
        details={"listed": len(listed)},
    )
    context = {
        "scope": scope,
        "committees": _committees(scope.user),
        "listed": listed,
        "below": len(everyone) - len(listed),
        "settings": radar.settings_for(scope.committee),
    }
    return render(request, "analytics/radar.html", context)


@login_required
@require_GET
def radar_person(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    entry = radar.key_person(scope, pk)
    record_read(
        "key_person.read",
        entry.person,
        by=scope.user,
        role=scope.role,
        details={"score": entry.score, "committee": scope.committee.pk},
    )
    context = {
        "scope": scope,
        "entry": entry,
        "sources": radar.sources(scope, entry.person),
        "settings": radar.settings_for(scope.committee),
    }
    return render(request, "analytics/radar_person.html", context)


class RadarSettingsForm(StyledForm):
    min_score = forms.IntegerField(label="列入重点人的最低分值", min_value=1, max_value=MAX_SCORE)
    matter_weight = forms.IntegerField(label="每件信访（重复件归并后）", min_value=0, max_value=MAX_WEIGHT)
    channel_weight = forms.IntegerField(label="每多一个反映渠道", min_value=0, max_value=MAX_WEIGHT)
    round_weight = forms.IntegerField(label="每多一轮巡察被反映", min_value=0, max_value=MAX_WEIGHT)
    interview_weight = forms.IntegerField(label="每个个别谈话中反映的问题", min_value=0, max_value=MAX_WEIGHT)
    finding_weight = forms.IntegerField(label="每个问题底稿", min_value=0, max_value=MAX_WEIGHT)
    clue_weight = forms.IntegerField(label="每条问题线索", min_value=0, max_value=MAX_WEIGHT)

    @classmethod
    def initial_for(cls, settings: RadarSettings) -> dict[str, int]:
        return {name: getattr(settings, name) for name in ("min_score", *WEIGHT_FIELDS)}


@login_required
@require_http_methods(["GET", "POST"])
def radar_settings(request: HttpRequest, committee_id: int) -> HttpResponse:
    user = acting_user(request)
    committee = radar.settings_committee(user, committee_id)
    settings = radar.settings_for(committee)
    posted = request.method == "POST"
    form = RadarSettingsForm(
        request.POST if posted else None, initial=RadarSettingsForm.initial_for(settings)
    )
    if posted and form.is_valid():
        try:
            radar.update_radar_settings(committee, by=user, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已保存重点人研判设置。")
            return redirect(f"{request.path}")
    return render(
        request, "analytics/radar_settings.html", {"committee": committee, "form": form, "settings": settings}
    )


urlpatterns: list[URLPattern] = [
    path("key-persons/", radar_list, name="radar"),
    path("key-persons/<int:pk>/", radar_person, name="radar-person"),
    path("key-persons/settings/<int:committee_id>/", radar_settings, name="radar-settings"),
]
