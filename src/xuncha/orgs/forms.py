"""Forms of the organisation pages. They only collect input: the actions validate and save it.

Labels and lengths come from the models; choice lists offer only what the user may act on.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet

from xuncha.core.choices import Role
from xuncha.core.forms import StyledForm
from xuncha.core.models import RoleAssignment, User

from . import access
from .actions import UNLINKABLE
from .choices import Expertise, UnitType
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

SETTINGS_FIELDS = [
    "stationing_days",
    "fieldwork_days",
    "report_days",
    "feedback_days",
    "plan_days",
    "rectification_report_days",
    "review_days",
    "transfer_report_back_days",
    "due_soon_days",
    "petition_elsewhere",
    "reveal_hours",
    "learned_triage_min_samples",
    "archive_interview_records",
    "archive_petition_attachments",
    "secretary_meeting_required",
]


def office_committees(user: User) -> "QuerySet[Committee]":
    return Committee.objects.filter(pk__in=user.scopes.ids(Role.OFFICE))


def pool_units(committee_ids: set[int]) -> "QuerySet[Unit]":
    """Units an inspector of these committees may be tied to: theirs and those of the committees below."""
    ids = set(committee_ids)
    for committee_id in committee_ids:
        ids |= Committee.descendant_ids(committee_id)
    return Unit.objects.filter(committee_id__in=ids).select_related("committee")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.committee.short_name or obj.committee.name}）"


class XunchaForm(StyledForm):
    """Model fields by name and fields added per instance, styled like every form."""

    model: type | None = None
    model_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.model is not None:
            self.fields.update(forms.fields_for_model(self.model, fields=self.model_fields))
        self._arrange()

    def add_fields(self, **fields: forms.Field) -> None:
        self.fields.update(fields)
        self._arrange()

    def _arrange(self) -> None:
        self.order_fields(self.field_order)
        self.style_widgets()


def _committees(user: User) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=office_committees(user), label="所属党委", empty_label=None)


def _units(queryset: "QuerySet[Unit]", label: str, *, required: bool = False) -> UnitChoiceField:
    return UnitChoiceField(
        queryset=queryset.select_related("committee"),
        label=label,
        required=required,
        empty_label=None if required else "（无）",
    )


class UnitForm(XunchaForm):
    model = Unit
    model_fields = ("name", "unit_type", "party_org_kind", "code")
    field_order = ["committee", "name", "unit_type", "party_org_kind", "parent", "code"]

    def __init__(self, *args: Any, user: User, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is None:
            parents = Unit.objects.filter(committee__in=office_committees(user))
            self.add_fields(committee=_committees(user))
        else:
            parents = Unit.objects.filter(committee_id=unit.committee_id).exclude(pk=unit.pk)
        self.add_fields(parent=_units(parents, "上级单位"))


class PersonForm(XunchaForm):
    model = Person
    model_fields = ("name", "post", "category")


class ImportForm(XunchaForm):
    field_order = ["committee", "file"]
    file = forms.FileField(label="Excel 文件（.xlsx，不超过 5 MB）")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(committee=_committees(user))
        self.fields["file"].widget.attrs["accept"] = ".xlsx"


class DepartmentForm(XunchaForm):
    model = Department
    model_fields = ("name", "kind")
    field_order = ["committee", "name", "kind"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(committee=_committees(user))


class InspectorForm(XunchaForm):
    model = Inspector
    model_fields = ("name", "post")
    field_order = ["committee", "name", "home_unit", "post", "expertise", "username"]
    expertise = forms.MultipleChoiceField(
        label="专长", choices=Expertise.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    username = forms.CharField(
        label="登录账号（用户名）",
        required=False,
        max_length=150,
        help_text="巡察干部本人使用平台时填写，可留空。",
    )

    def __init__(self, *args: Any, user: User, inspector: Inspector | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if inspector is None:
            self.add_fields(committee=_committees(user))
            committee_ids = user.scopes.ids(Role.OFFICE)
        else:
            committee_ids = {inspector.committee_id}
        self.add_fields(home_unit=_units(pool_units(committee_ids), "工作单位"))

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        found = User.objects.filter(username=username, is_active=True).first()
        if found is None:
            raise forms.ValidationError(UNLINKABLE)
        return found


class FormerPostForm(XunchaForm):
    model = InspectorFormerPost
    model_fields = ("post", "period")
    field_order = ["unit", "post", "period"]

    def __init__(self, *args: Any, inspector: Inspector, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(unit=_units(pool_units({inspector.committee_id}), "曾任职单位", required=True))


class RelativeForm(XunchaForm):
    model = InspectorRelative
    model_fields = ("relation", "post")
    field_order = ["name", "relation", "unit", "post"]
    name = forms.CharField(label="亲属姓名", max_length=50)

    def __init__(self, *args: Any, inspector: Inspector, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields(unit=_units(pool_units({inspector.committee_id}), "任职单位", required=True))


class CommitteeSettingsForm(XunchaForm):
    model = CommitteeSettings
    model_fields = tuple(SETTINGS_FIELDS)
    totp_roles = forms.MultipleChoiceField(
        label="须启用动态口令的角色",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="巡察办、身份信息保管人、系统管理员始终须启用（演示模式除外）。",
    )


# People and roles -------------------------------------------------------------------------------------


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return access.account_label(obj)


def _grouped_units(committee_ids: set[int]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The committees' active units by type, each by name (with its parent, and whether it has a liaison
    in force), so the office finds the unit by what it is called."""
    units = Unit.objects.filter(committee_id__in=committee_ids, is_active=True).select_related("parent")
    with_liaison = set(
        RoleAssignment.objects.in_force()
        .filter(role=Role.UNIT_LIAISON, scope_id__in=units.values("pk"))
        .values_list("scope_id", flat=True)
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for unit in units.order_by("name"):
        label = unit.name + (f"（{unit.parent.name}下属）" if unit.parent else "")
        if unit.pk not in with_liaison:
            label += " · 暂无联络人"
        groups.setdefault(unit.unit_type, []).append((unit.pk, label))
    return [(str(UnitType(t).label), groups[t]) for t in UnitType.values if t in groups]


class AppointForm(XunchaForm):
    """Who gets the role on which scope: an account the committee already has, or a new account."""

    field_order = ["scope", "role", "person", "account", "username", "full_name", "phone", "ends_on"]
    account = AccountChoiceField(
        queryset=User.objects.none(),
        label="已有账号",
        required=False,
        empty_label="（新建账号）",
        help_text="按姓名（用户名）选择本党委已有的账号；没有账号时选“新建账号”并填写用户名、姓名和电话。",
    )
    username = forms.CharField(label="新账号的用户名", required=False, max_length=150)
    full_name = forms.CharField(label="新账号的姓名", required=False, max_length=50)
    phone = forms.CharField(label="新账号的电话", required=False, max_length=30)
    ends_on = forms.DateField(
        label="任职截止日期", required=False, help_text="留空为长期有效；当日结束后角色失效。"
    )

    def __init__(self, *args: Any, user: User, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = user.scopes.ids(Role.OFFICE)
        scope: forms.Field
        self.roster: dict[int, str] = {}
        if kind == "liaison":
            units = _grouped_units(committees)
            scope = forms.TypedChoiceField(label="被巡察单位", coerce=int, choices=units)
            # Choosing the unit reloads the roster below (htmx; without it, the roster of the unit posted).
            scope.widget.attrs.update(
                {
                    "hx-get": "",
                    "hx-trigger": "change",
                    "hx-target": "#appoint-fields",
                    "hx-select": "#appoint-fields",
                    "hx-swap": "outerHTML",
                }
            )
            first = units[0][1][0][0] if units else None  # what the select shows before any choice
            self._add_roster(self.data.get("scope") or self.initial.get("scope") or first, committees)
        elif kind == "receiver":
            departments = Department.objects.filter(committee_id__in=committees)
            scope = forms.TypedChoiceField(
                label="部门", coerce=int, choices=[(d.pk, d.name) for d in departments]
            )
        else:
            scope = forms.TypedChoiceField(
                label="党委", coerce=int, choices=[(c.pk, c.name) for c in office_committees(user)]
            )
            self.add_fields(
                role=forms.ChoiceField(
                    label="角色",
                    choices=[(r, Role(r).label) for r in access.COMMITTEE_ROLES],
                    help_text="身份信息保管人、审计员须经另一名巡察办人员或系统管理员审批后生效。",
                )
            )
        self.add_fields(scope=scope)
        self.fields["account"].queryset = access.committee_accounts(committees).exclude(pk=user.pk)  # type: ignore[attr-defined]

    def _add_roster(self, unit: object, committees: set[int]) -> None:
        """The chosen unit's roster, so that a new account takes a person's name as the roster has it."""
        text = str(unit or "")
        people = Person.objects.filter(
            unit_id=int(text) if text.isdigit() else 0, unit__committee_id__in=committees, is_active=True
        ).order_by("name")
        self.roster = {person.pk: person.name for person in people}
        choices = [(person.pk, f"{person.name}（{person.post}）") for person in people]
        self.add_fields(
            person=forms.TypedChoiceField(
                label="花名册人员",
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", "（不从花名册选择）"), *choices],
                help_text="从该单位花名册中选择，新账号的姓名取自花名册；先选择单位。",
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("person")
        if person is not None and data.get("account") is None and not data.get("full_name", "").strip():
            data["full_name"] = self.roster[person]
        new = person is not None or any(data.get(n, "").strip() for n in ("username", "full_name", "phone"))
        if data.get("account") is not None and new:
            self.add_error("username", "已选择已有账号时，不要再填写新账号。")
        elif data.get("account") is None and not (data.get("username", "").strip() and data.get("full_name")):
            self.add_error("username", "请选择已有账号，或填写新账号的用户名和姓名。")
        return data


class EndRoleForm(XunchaForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
    on = forms.DateField(
        label="终止日期", required=False, help_text="留空为立即终止；填写日期则当日结束后终止。"
    )


class RefuseRoleForm(XunchaForm):
    reason = forms.CharField(label="拒绝理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
