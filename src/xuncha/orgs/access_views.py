"""The office's people and roles page (人员与权限): who holds which role on its committee, its units and its
departments; appointments (new accounts with a one-time password), approvals of sensitive grants by a
second person, ends of roles, and the Excel import. Thin: the changes are orgs' and core's actions.

Only an office (or, for approving, refusing and ending, the sysadmin) reaches these pages: anyone else gets
403; an assignment outside the user's committees is a 404 like a missing one.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core import actions as accounts
from xuncha.core.choices import Role, RoleStatus, ScopeType
from xuncha.core.errors import Refused
from xuncha.core.models import RoleAssignment, RoleAssignmentQuerySet, User
from xuncha.core.permissions import NotAllowed, acting_user
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, id_param, paginate, querystring_without_page

from . import access, access_import, actions
from .forms import AppointForm, EndRoleForm, ImportForm, RefuseRoleForm, XunchaForm
from .models import Department, Unit
from .views import XLSX, _posted, _require_some_office

FORM_METHODS = require_http_methods(["GET", "POST"])
TEMPLATE_NAME = "人员与角色导入模板.xlsx"
KINDS = {
    "liaison": "任命被巡察单位联络人",
    "receiver": "设置移交接收部门账号",
    "committee": "任命领导小组成员、保管人、审计员",
}


def _require_manager(user: User) -> None:
    if not (user.scopes.ids(Role.OFFICE) or user.scopes.ids(Role.SYSADMIN)):
        raise NotAllowed("只有巡察办或系统管理员可以管理人员与权限。")


def _filtered(request: HttpRequest, user: User) -> tuple[RoleAssignmentQuerySet, dict[str, str]]:
    assignments = access.listed(user)
    filters = {name: request.GET.get(name, "").strip() for name in ("role", "scope", "state", "q")}
    if filters["role"] in Role.values:
        assignments = assignments.filter(role=filters["role"])
    scope_type, _, scope_id = filters["scope"].partition(":")
    if scope_type in ScopeType.values and (pk := id_param(scope_id)) is not None:
        assignments = assignments.filter(scope_type=scope_type, scope_id=pk)
    if filters["state"] in RoleStatus.values:
        assignments = assignments.in_status(filters["state"])
    if filters["q"]:
        assignments = assignments.filter(
            Q(user__full_name__icontains=filters["q"]) | Q(user__username__icontains=filters["q"])
        )
    return assignments, filters


@login_required
@require_GET
def people_access(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require_manager(user)
    assignments, filters = _filtered(request, user)
    page_obj = paginate(request, assignments)
    names = access.scope_names(page_obj.object_list)
    sysadmin = user.scopes.has(Role.SYSADMIN)
    rows = [
        {
            "assignment": a,
            "scope": names.get((a.scope_type, a.scope_id), "—"),
            "status": a.status(),
            "own_grant": a.granted_by_id == user.pk or a.user_id == user.pk,
            # The office ends any role of its committee but the sysadmin's (core.actions.end_role).
            "may_end": a.user_id != user.pk and (a.role != Role.SYSADMIN or sysadmin),
        }
        for a in page_obj.object_list
    ]
    committees = access.managed_committees(user)
    units = Unit.objects.filter(committee_id__in=committees).order_by("name")
    departments = Department.objects.filter(committee_id__in=committees)
    return render(
        request,
        "orgs/people_access.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "query": querystring_without_page(request),
            "filters": filters,
            "roles": [(r, Role(r).label) for r in access.APPOINTABLE],
            "scope_options": [
                ("被巡察单位", [(f"unit:{pk}", name) for pk, name in units.values_list("pk", "name")]),
                ("部门", [(f"department:{pk}", name) for pk, name in departments.values_list("pk", "name")]),
            ],
            "states": RoleStatus.choices,
            "is_office": bool(user.scopes.ids(Role.OFFICE)),
            "kinds": KINDS,
        },
    )


@login_required
@FORM_METHODS
def appoint(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    user = acting_user(request)
    _require_some_office(user, "任命人员")
    # A GET may name the unit (?scope=…): the form then offers that unit's roster.
    initial = {"scope": request.GET.get("scope")}
    form = AppointForm(request.POST or None, initial=initial, user=user, kind=kind)
    if _posted(request, form):
        data = form.cleaned_data
        role = data.get("role") or (Role.UNIT_LIAISON if kind == "liaison" else Role.RECEIVER)
        done = _submit(
            form,
            lambda: actions.appoint(
                role=role,
                scope_id=data["scope"],
                account=data["account"],
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                ends_on=data["ends_on"],
                by=user,
            ),
        )
        if done is not None:
            names = access.scope_names([done.assignment])
            context = {
                "done": done,
                "scope": names.get((done.assignment.scope_type, done.assignment.scope_id), ""),
                "status": done.assignment.status(),
            }
            # A one-time password is on the page: core's NoStoreMiddleware keeps it out of every cache.
            return render(request, "orgs/people_appointed.html", context)
    context = {"form": form, "title": KINDS[kind], "kinds": KINDS, "kind": kind}
    return render(request, "orgs/people_appoint.html", context)


def _submit(form: XunchaForm, run: Callable[[], Any]) -> Any:
    """Run an action; on refusal put the Chinese reason on the form (None)."""
    try:
        return run()
    except Refused as refused:
        field = {"user": "account", "scope_id": "scope"}.get(refused.field or "", refused.field)
        form.add_error(field if field in form.fields else None, refused.message)
    except NotAllowed as denied:
        form.add_error(None, denied.message)
    return None


def _assignment(request: HttpRequest, pk: int) -> tuple[User, RoleAssignment]:
    user = acting_user(request)
    _require_manager(user)
    return user, get_object_or_404(access.listed(user), pk=pk)


def _describe(assignment: RoleAssignment) -> str:
    scope = access.scope_names([assignment]).get((assignment.scope_type, assignment.scope_id), "")
    return f"{access.account_label(assignment.user)}的{assignment.get_role_display()}（{scope}）"


BACK = "orgs:people-access"


@login_required
@FORM_METHODS
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user, assignment = _assignment(request, pk)
    return confirm_page(
        request,
        lambda: perform(user, accounts.approve_role, assignment),
        question=f"确认批准授予{_describe(assignment)}？批准后即生效。",
        done="已批准，角色已生效。",
        back=reverse(BACK),
    )


def _reason_page(
    request: HttpRequest, form: XunchaForm, title: str, assignment: RoleAssignment
) -> HttpResponse:
    context = {"form": form, "title": title, "what": _describe(assignment), "back_url": reverse(BACK)}
    return render(request, "orgs/people_reason.html", context)


@login_required
@FORM_METHODS
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user, assignment = _assignment(request, pk)
    form = RefuseRoleForm(request.POST or None)
    reason = form.cleaned_data["reason"] if _posted(request, form) else None
    if reason and _submit(form, lambda: perform(user, accounts.refuse_role, assignment, reason=reason)):
        messages.success(request, "已拒绝该角色授权。")
        return redirect(BACK)
    return _reason_page(request, form, "拒绝角色授权", assignment)


@login_required
@FORM_METHODS
def end(request: HttpRequest, pk: int) -> HttpResponse:
    user, assignment = _assignment(request, pk)
    form = EndRoleForm(request.POST or None)
    data = form.cleaned_data if _posted(request, form) else None
    if data and _submit(form, lambda: perform(user, accounts.end_role, assignment, **data)):
        messages.success(
            request, "角色已终止。" if data["on"] is None else f"角色将于 {data['on']} 结束后终止。"
        )
        return redirect(BACK)
    return _reason_page(request, form, "终止角色", assignment)


@login_required
@FORM_METHODS
def import_people(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require_some_office(user, "导入人员和角色")
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    report = None
    if _posted(request, form):
        try:
            report = actions.import_appointments(by=user, **form.cleaned_data)
        except (Refused, NotAllowed) as error:
            form.add_error("file" if isinstance(error, Refused) else None, error.message)
    return render(request, "orgs/people_import.html", {"form": form, "report": report})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_some_office(acting_user(request), "导入人员和角色")
    response = HttpResponse(access_import.build_template(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(TEMPLATE_NAME)}"
    return response
