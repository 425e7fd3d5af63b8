import json
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .audit_labels import action_label, field_label, role_label
from .choices import Role
from .forms import AuditFilterForm
from .home import panels_for
from .models import AuditEvent, User
from .permissions import acting_user
from .ui import paginate, querystring_without_page


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(acting_user(request))})


def _auditor(request: HttpRequest) -> User:
    """The audit pages exist only for auditors: anyone else gets the same 404 as for a missing page."""
    user = acting_user(request)
    if not user.scopes.has(Role.AUDITOR):
        raise Http404
    return user


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _object_type_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _explained(event: AuditEvent) -> dict[str, Any]:
    """An event with its details split into before/after rows (``changes``) and other key/value rows."""
    details = dict(event.details)
    changed = details.pop("changes", None)
    changes = []
    if isinstance(changed, dict):
        changes = [
            (name, _shown(pair[0]), _shown(pair[1]))
            for name, pair in changed.items()
            if isinstance(pair, list) and len(pair) == 2
        ]
    kind = event.object_type
    return {
        "event": event,
        "action_label": action_label(event.action, kind),
        "role_label": role_label(event.role) if event.role else "",
        "object_type_label": _object_type_label(kind) if kind else "",
        "changes": [(field_label(kind, name), before, after) for name, before, after in changes],
        "others": [(field_label(kind, name), _shown(value)) for name, value in details.items()],
    }


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.visible_to(user)
    if form.is_bound:
        form.is_valid()
        events = events.filter(**form.lookups())
    page_obj = paginate(request, events.order_by("-seq"))
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": [_explained(event) for event in page_obj],
            "query": querystring_without_page(request),
        },
    )


@login_required
@require_GET
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    user = _auditor(request)
    event = get_object_or_404(AuditEvent.objects.visible_to(user), seq=seq)
    return render(request, "core/audit_detail.html", {"row": _explained(event)})
