"""Pages of the organisation data. Thin: objects come through ``visible_to`` (out of scope → 404), writes go
through the actions with ``scoping.perform``, and a refusal is shown on the form in Chinese."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, id_param, paginate, querystring_without_page

from . import actions
from .choices import DepartmentKind, Expertise, PostCategory, UnitType
from .forms import (
    SETTINGS_FIELDS,
    CommitteeSettingsForm,
    DepartmentForm,
    FormerPostForm,
    ImportForm,
    InspectorForm,
    PersonForm,
    RelativeForm,
    UnitForm,
    XunchaForm,
)
from .importing import build_template
from .models import (
    Committee,
    CommitteeSettings,
    Department,
    Inspector,
    InspectorFormerPost,
    InspectorRelative,
    Person,
    Unit,
)

FORM_METHODS = require_http_methods(["GET", "POST"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "单位名册导入模板.xlsx"


def _posted(request: HttpRequest, form: XunchaForm) -> bool:
    return request.method == "POST" and form.is_valid()


def _submit(
    request: HttpRequest,
    form: XunchaForm,
    fn: Callable[..., Any],
    *args: Any,
    fields: dict[str, str] | None = None,
    **kwargs: Any,
) -> Any | None:
    """Run an action for the request's user; on refusal put the Chinese reason on the form (None).

    ``fields`` maps an action's argument name to the form field that collected it."""
    try:
        return perform(acting_user(request), fn, *args, **kwargs)
    except Refused as refused:
        field = (fields or {}).get(refused.field or "", refused.field)
        form.add_error(field if field in form.fields else None, refused.message)
    except NotAllowed as denied:
        form.add_error(None, denied.message)
    return None


def _require_office(user: User, committee_id: int, what: str) -> None:
    require(user, {Role.OFFICE: committee_id}, what=what)


def _require_some_office(user: User, what: str) -> None:
    if not user.scopes.ids(Role.OFFICE):
        raise NotAllowed(f"只有巡察办可以{what}。")


def _form_page(
    request: HttpRequest, form: XunchaForm, title: str, back: str, back_pk: Any = None
) -> HttpResponse:
    back_url = reverse(back, args=[] if back_pk is None else [back_pk])
    return render(request, "orgs/form.html", {"form": form, "title": title, "back_url": back_url})


def _confirm(
    request: HttpRequest, run: Callable[[], Any], *, question: str, done: str, back: tuple[str, Any]
) -> HttpResponse:
    """A confirmation page (GET) for a destructive action, which runs on POST."""
    return confirm_page(request, run, question=question, done=done, back=reverse(back[0], args=[back[1]]))


def _filters(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


# Units ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = Unit.objects.visible_to(user).select_related("committee", "parent")
    filters = _filters(request, "committee", "type", "q")
    if (committee_id := id_param(filters["committee"])) is not None:
        units = units.filter(committee_id=committee_id)
    if filters["type"]:
        units = units.filter(unit_type=filters["type"])
    if filters["q"]:
        units = units.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    return render(
        request,
        "orgs/unit_list.html",
        {
            "page_obj": paginate(request, units),
            "query": querystring_without_page(request),
            "committees": Committee.objects.visible_to(user),
            "unit_types": UnitType.choices,
            "filters": filters,
            "is_office": bool(user.scopes.ids(Role.OFFICE)),
        },
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user).select_related("committee", "parent"), pk=pk)
    roster: dict[str, list[Person]] = defaultdict(list)
    former: list[Person] = []
    for person in unit.people.order_by("id"):
        (roster[person.category] if person.is_active else former).append(person)
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.visible_to(user).order_by("id"),
            "roster": [(label, roster[value]) for value, label in PostCategory.choices if roster[value]],
            "former": former,
            "inspections": unit.inspections.visible_to(user).select_related("round", "team"),
            "is_office": user.scopes.has(Role.OFFICE, unit.committee_id),
            "reads_portrait": any(
                user.scopes.has(r, unit.committee_id) for r in (Role.OFFICE, Role.LEADING_GROUP)
            ),
        },
    )


@login_required
@FORM_METHODS
def unit_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require_some_office(user, "新建单位")
    form = UnitForm(request.POST or None, user=user)
    if _posted(request, form) and (unit := _submit(request, form, actions.create_unit, **form.cleaned_data)):
        messages.success(request, f"已新建单位“{unit}”。")
        return redirect("orgs:unit-detail", pk=unit.pk)
    return _form_page(request, form, "新建单位", "orgs:unit-list")


@login_required
@FORM_METHODS
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    _require_office(user, unit.committee_id, "修改单位信息")
    initial = {
        "name": unit.name,
        "unit_type": unit.unit_type,
        "party_org_kind": unit.party_org_kind,
        "code": unit.code,
        "parent": unit.parent_id,
    }
    form = UnitForm(request.POST or None, initial=initial, user=user, unit=unit)
    if _posted(request, form) and _submit(request, form, actions.update_unit, unit, **form.cleaned_data):
        messages.success(request, "单位信息已保存。")
        return redirect("orgs:unit-detail", pk=unit.pk)
    return _form_page(request, form, f"修改单位：{unit}", "orgs:unit-detail", unit.pk)


@login_required
@FORM_METHODS
def unit_import(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require_some_office(user, "导入单位和人员")
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    result = None
    if _posted(request, form):
        try:
            # Not through perform: the import returns a report, not one object, and every unit it
            # creates belongs to the committee whose office the action has just checked the user is.
            result = actions.import_units_and_rosters(by=user, **form.cleaned_data)
        except (Refused, NotAllowed) as error:
            form.add_error("file" if isinstance(error, Refused) else None, error.message)
        if result is not None and result.ok:
            messages.success(
                request, f"导入完成：新建单位 {result.units_created} 个，人员 {result.people_created} 名。"
            )
            return redirect("orgs:unit-list")
    return render(request, "orgs/unit_import.html", {"form": form, "result": result})


@login_required
@require_GET
def unit_import_template(request: HttpRequest) -> HttpResponse:
    _require_some_office(acting_user(request), "导入单位和人员")
    response = HttpResponse(build_template(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(TEMPLATE_NAME)}"
    return response


# Rosters ----------------------------------------------------------------------------------------------


@login_required
@FORM_METHODS
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    _require_office(user, unit.committee_id, "维护单位人员名册")
    form = PersonForm(request.POST or None)
    if _posted(request, form) and _submit(request, form, actions.add_person, unit=unit, **form.cleaned_data):
        messages.success(request, "人员已添加。")
        return redirect("orgs:unit-detail", pk=unit.pk)
    return _form_page(request, form, f"添加人员：{unit}", "orgs:unit-detail", unit.pk)


@login_required
@FORM_METHODS
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    person = get_object_or_404(Person.objects.visible_to(user).select_related("unit"), pk=pk)
    _require_office(user, person.unit.committee_id, "维护单位人员名册")
    initial = {"name": person.name, "post": person.post, "category": person.category}
    form = PersonForm(request.POST or None, initial=initial)
    if _posted(request, form) and _submit(request, form, actions.update_person, person, **form.cleaned_data):
        messages.success(request, "人员信息已保存。")
        return redirect("orgs:unit-detail", pk=person.unit_id)
    return _form_page(request, form, f"修改人员：{person}", "orgs:unit-detail", person.unit_id)


@login_required
@FORM_METHODS
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    person = get_object_or_404(Person.objects.visible_to(user).select_related("unit"), pk=pk)
    _require_office(user, person.unit.committee_id, "维护单位人员名册")
    return _confirm(
        request,
        lambda: perform(user, actions.deactivate_person, person),
        question=f"确认将{person}设为离任？离任人员保留在名册历史中。",
        done=f"{person.name}已设为离任。",
        back=("orgs:unit-detail", person.unit_id),
    )


# Inspectors -------------------------------------------------------------------------------------------


@login_required
@require_GET
def inspector_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    inspectors = Inspector.objects.visible_to(user).select_related("committee", "home_unit")
    filters = _filters(request, "expertise", "q")
    if filters["expertise"] in Expertise.values:
        # The quoted code inside the JSON list: works on SQLite and PostgreSQL alike.
        inspectors = inspectors.filter(expertise__icontains=f'"{filters["expertise"]}"')
    if filters["q"]:
        inspectors = inspectors.filter(Q(name__icontains=filters["q"]) | Q(post__icontains=filters["q"]))
    return render(
        request,
        "orgs/inspector_list.html",
        {
            "page_obj": paginate(request, inspectors),
            "query": querystring_without_page(request),
            "expertise_choices": Expertise.choices,
            "filters": filters,
            "is_office": bool(user.scopes.ids(Role.OFFICE)),
        },
    )


@login_required
@require_GET
def inspector_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspector = get_object_or_404(
        Inspector.objects.visible_to(user).select_related("committee", "home_unit", "user"), pk=pk
    )
    is_office = user.scopes.has(Role.OFFICE, inspector.committee_id)
    context: dict[str, Any] = {
        "inspector": inspector,
        "former_posts": inspector.former_posts.select_related("unit"),
        "is_office": is_office,
    }
    if is_office:
        # Relatives are for the office only; their names are decrypted (and the read audited) on request.
        show_names = request.GET.get("names") == "1"
        context["show_names"] = show_names
        context["relatives"] = (
            actions.view_relatives(inspector, by=user)
            if show_names
            else inspector.relatives.select_related("unit").order_by("relation")
        )
        context["memberships"] = inspector.memberships.select_related("team__round")
    return render(request, "orgs/inspector_detail.html", context)


def _save_inspector(request: HttpRequest, form: InspectorForm, fn: Callable[..., Any], *args: Any) -> Any:
    """Run create/update_inspector with the form's data (the form's ``username`` is the action's ``user``)."""
    data = dict(form.cleaned_data)
    data["user"] = data.pop("username")
    return _submit(request, form, fn, *args, fields={"user": "username"}, **data)


@login_required
@FORM_METHODS
def inspector_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require_some_office(user, "维护巡察干部人才库")
    form = InspectorForm(request.POST or None, user=user)
    if _posted(request, form) and (inspector := _save_inspector(request, form, actions.create_inspector)):
        messages.success(request, f"已将{inspector}加入巡察干部人才库。")
        return redirect("orgs:inspector-detail", pk=inspector.pk)
    return _form_page(request, form, "新增巡察干部", "orgs:inspector-list")


@login_required
@FORM_METHODS
def inspector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspector = get_object_or_404(Inspector.objects.visible_to(user).select_related("user"), pk=pk)
    _require_office(user, inspector.committee_id, "维护巡察干部人才库")
    initial = {
        "name": inspector.name,
        "home_unit": inspector.home_unit_id,
        "post": inspector.post,
        "expertise": inspector.expertise,
        "username": inspector.user.username if inspector.user else "",
    }
    form = InspectorForm(request.POST or None, initial=initial, user=user, inspector=inspector)
    if _posted(request, form) and _save_inspector(request, form, actions.update_inspector, inspector):
        messages.success(request, "巡察干部信息已保存。")
        return redirect("orgs:inspector-detail", pk=inspector.pk)
    return _form_page(request, form, f"修改巡察干部：{inspector}", "orgs:inspector-detail", inspector.pk)


def _office_inspector(request: HttpRequest, pk: int) -> Inspector:
    user = acting_user(request)
    inspector = get_object_or_404(Inspector.objects.visible_to(user), pk=pk)
    _require_office(user, inspector.committee_id, "维护巡察干部人才库")
    return inspector


@login_required
@FORM_METHODS
def former_post_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = _office_inspector(request, pk)
    form = FormerPostForm(request.POST or None, inspector=inspector)
    if _posted(request, form) and _submit(
        request, form, actions.add_former_post, inspector, **form.cleaned_data
    ):
        messages.success(request, "曾任职务已添加。")
        return redirect("orgs:inspector-detail", pk=inspector.pk)
    return _form_page(request, form, f"添加曾任职务：{inspector}", "orgs:inspector-detail", inspector.pk)


@login_required
@FORM_METHODS
def former_post_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    former = get_object_or_404(
        InspectorFormerPost.objects.visible_to(user).select_related("inspector"), pk=pk
    )
    _require_office(user, former.inspector.committee_id, "维护巡察干部人才库")
    return _confirm(
        request,
        lambda: perform(user, actions.remove_former_post, former),
        question=f"确认删除{former.inspector}的曾任职务“{former}”？",
        done="曾任职务已删除。",
        back=("orgs:inspector-detail", former.inspector_id),
    )


@login_required
@FORM_METHODS
def relative_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = _office_inspector(request, pk)
    form = RelativeForm(request.POST or None, inspector=inspector)
    if _posted(request, form) and _submit(
        request, form, actions.declare_relative, inspector, **form.cleaned_data
    ):
        messages.success(request, "申报亲属已登记。")
        return redirect("orgs:inspector-detail", pk=inspector.pk)
    return _form_page(request, form, f"登记申报亲属：{inspector}", "orgs:inspector-detail", inspector.pk)


@login_required
@FORM_METHODS
def relative_remove(request: HttpRequest, pk: str) -> HttpResponse:
    user = acting_user(request)
    # Only the office sees relatives at all (InspectorRelative.visible_to): anyone else gets 404.
    relative = get_object_or_404(
        InspectorRelative.objects.visible_to(user).select_related("inspector"), pk=pk
    )
    return _confirm(
        request,
        lambda: perform(user, actions.remove_relative, relative),
        question=f"确认删除{relative.inspector}申报的亲属（{relative}）？",
        done="申报亲属已删除。",
        back=("orgs:inspector-detail", relative.inspector_id),
    )


# Departments and committees ---------------------------------------------------------------------------


@login_required
@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    departments = Department.objects.visible_to(user).select_related("committee")
    filters = _filters(request, "committee", "kind")
    if (committee_id := id_param(filters["committee"])) is not None:
        departments = departments.filter(committee_id=committee_id)
    if filters["kind"]:
        departments = departments.filter(kind=filters["kind"])
    return render(
        request,
        "orgs/department_list.html",
        {
            "page_obj": paginate(request, departments),
            "query": querystring_without_page(request),
            "committees": Committee.objects.visible_to(user),
            "kinds": DepartmentKind.choices,
            "filters": filters,
            "is_office": bool(user.scopes.ids(Role.OFFICE)),
        },
    )


@login_required
@FORM_METHODS
def department_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require_some_office(user, "新建部门")
    form = DepartmentForm(request.POST or None, user=user)
    if _posted(request, form) and _submit(request, form, actions.create_department, **form.cleaned_data):
        messages.success(request, "部门已新建。")
        return redirect("orgs:department-list")
    return _form_page(request, form, "新建部门", "orgs:department-list")


@login_required
@require_GET
def committee_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    committees = list(Committee.objects.visible_to(user).order_by("id"))
    visible_ids = {c.pk for c in committees}
    children: dict[int | None, list[Committee]] = defaultdict(list)
    for committee in committees:
        # A committee whose parent the user cannot see is shown as a root.
        children[committee.parent_id if committee.parent_id in visible_ids else None].append(committee)
    manageable = user.scopes.ids(Role.OFFICE, Role.SYSADMIN)
    tree: list[tuple[Committee, int, bool]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for committee in children[parent_id]:
            tree.append((committee, depth, committee.pk in manageable))
            walk(committee.pk, depth + 1)

    walk(None, 0)
    return render(request, "orgs/committee_list.html", {"tree": tree})


@login_required
@FORM_METHODS
def committee_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    committee = get_object_or_404(Committee.objects.visible_to(user), pk=pk)
    require(user, {Role.OFFICE: committee.pk, Role.SYSADMIN: committee.pk}, what="修改党委设置")
    settings = get_object_or_404(CommitteeSettings.objects.visible_to(user), committee=committee)
    initial = {name: getattr(settings, name) for name in [*SETTINGS_FIELDS, "totp_roles"]}
    form = CommitteeSettingsForm(request.POST or None, initial=initial)
    if _posted(request, form) and _submit(
        request, form, actions.update_committee_settings, settings, **form.cleaned_data
    ):
        messages.success(request, "党委设置已保存。")
        return redirect("orgs:committee-list")
    return _form_page(request, form, f"党委设置：{committee}", "orgs:committee-list")
