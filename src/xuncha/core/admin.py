"""The sysadmin's admin pages (see admin_site.py for who may enter).

Every change made here goes through the account actions, so an admin save is validated and audited
like any other change; the forms validate first, so refusals show on the form.
"""

from typing import Any, ClassVar, cast

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.forms import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from . import actions
from .choices import ROLE_SCOPE, Role, RoleStatus, ScopeType
from .errors import Refused
from .models import ApiToken, RoleAssignment, User
from .permissions import NotAllowed, acting_user
from .scopes import describe, scope_choices

# The admin shows configuration only: third-party tables that hold secrets (TOTP keys), login traces or
# task arguments stay out of it; unlocking and TOTP resets are audited actions on the user page instead.
for _model in (Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


# The scopes a role is granted on in these pages, grouped and named ("名称 (党委)"); team roles follow teams.
PICKED_SCOPES = (ScopeType.COMMITTEE, ScopeType.UNIT, ScopeType.DEPARTMENT)
BLANK = ("", "---------")
DECISIONS = {
    RoleStatus.PENDING: [("approve", "批准"), ("refuse", "拒绝")],
    RoleStatus.IN_FORCE: [("end", "终止")],
}


def _scope_value(scope_type: str, scope_id: int) -> str:
    return f"{scope_type}:{scope_id}"


def _scope_choices() -> list[Any]:
    return [
        (
            ScopeType(scope_type).label,
            [(_scope_value(scope_type, pk), name) for pk, name in scope_choices(scope_type)],
        )
        for scope_type in PICKED_SCOPES
    ]


class RoleAssignmentForm(forms.ModelForm):
    """A new row grants a role on a scope picked by name; an existing row is approved, refused or ended."""

    role = forms.ChoiceField(label="角色", required=False)
    scope = forms.ChoiceField(label="范围", required=False)
    decision = forms.ChoiceField(label="处理", required=False)
    ends_on = forms.DateField(
        label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="理由", required=False, max_length=500)

    class Meta:
        model = RoleAssignment
        fields = ()

    def __init__(self, *args: Any, scopes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignment, fields = self.instance, self.fields
        if assignment.pk is None:
            granted = [(r.value, r.label) for r in Role if r not in actions.TEAM_ROLES]
            cast(forms.ChoiceField, fields["role"]).choices = [BLANK, *granted]
            cast(forms.ChoiceField, fields["scope"]).choices = [BLANK, *scopes]
            cast(forms.ChoiceField, fields["decision"]).choices = [BLANK]
            fields["decision"].disabled = True
            return
        scope = describe(assignment.scope_type, assignment.scope_id)
        value = _scope_value(assignment.scope_type, assignment.scope_id)
        cast(forms.ChoiceField, fields["role"]).choices = [(assignment.role, assignment.get_role_display())]
        cast(forms.ChoiceField, fields["scope"]).choices = [(value, scope.name if scope else value)]
        self.initial.update(role=assignment.role, scope=value)
        fields["role"].disabled = fields["scope"].disabled = True
        cast(forms.ChoiceField, fields["decision"]).choices = [BLANK, *DECISIONS.get(assignment.status(), [])]

    def _post_clean(self) -> None:
        """No model validation: the row is never saved from the form, the actions write it."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None or not self.has_changed():
            return data
        role, scope = data.get("role"), data.get("scope")
        if not role:
            self.add_error("role", "请选择角色。")
        if not scope:
            self.add_error("scope", "请选择范围。")
        if role and scope:
            scope_type, _, scope_id = scope.partition(":")
            if scope_type != ROLE_SCOPE[role]:
                self.add_error("scope", f"该角色只能授予在“{ScopeType(ROLE_SCOPE[role]).label}”上。")
            data["scope_id"] = int(scope_id)
        return data


def _apply(formset: "RoleAssignmentFormSet", user: User, by: User) -> None:
    """The grants and decisions of the rows, each through its action."""
    for form in formset.forms:
        if not form.has_changed():
            continue
        data = form.cleaned_data
        if form.instance.pk is None:
            actions.grant_role(
                user=user,
                role=data["role"],
                scope_id=data["scope_id"],
                by=by,
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
            continue
        assignment = RoleAssignment.objects.get(pk=form.instance.pk)  # fresh: a dry run may have changed it
        decision = data["decision"]
        if decision == "approve":
            actions.approve_role(assignment, by=by)
        elif decision == "refuse":
            actions.refuse_role(assignment, reason=data["reason"], by=by)
        elif decision == "end":
            actions.end_role(assignment, reason=data["reason"], by=by, on=data["ends_on"])


class RoleAssignmentFormSet(BaseInlineFormSet):
    acting: User | None = None  # set per request in get_formset (a fresh class each time)
    scopes: ClassVar[list[Any]] = []

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "scopes": self.scopes}

    def clean(self) -> None:
        """Run the actions once and roll them back, so that what they refuse (a self-grant, an approval
        by the granter, a withdrawal without reason …) shows on the form, in their words."""
        super().clean()
        if self.instance.pk is None or self.acting is None or any(self.errors):
            return  # a new account: nothing to refuse yet, its grants run once it exists
        try:
            with transaction.atomic():
                _apply(self, self.instance, self.acting)
                transaction.set_rollback(True)
        except (Refused, NotAllowed) as exc:
            raise forms.ValidationError(exc.message) from exc


class RoleAssignmentInline(admin.TabularInline):
    """Roles in force and waiting for approval; add a row to grant, pick 批准/拒绝/终止 to decide."""

    model = RoleAssignment
    fk_name = "user"
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    extra = 1
    can_delete = False
    fields = (
        "role",
        "scope",
        "status",
        "since",
        "granted_by",
        "approved_by",
        "until",
        "decision",
        "ends_on",
        "reason",
    )
    readonly_fields = ("status", "since", "granted_by", "approved_by", "until")
    verbose_name_plural = "角色授权（新增一行即授予；巡察办、保管人、审计员、系统管理员须另一人批准后生效）"

    @admin.display(description="状态")
    def status(self, obj: RoleAssignment) -> str:
        return str(RoleStatus(obj.status()).label) if obj.pk else ""

    @admin.display(description="授予时间")
    def since(self, obj: RoleAssignment) -> str:
        return date_format(timezone.localtime(obj.granted_at), "Y-m-d H:i") if obj.pk else ""

    @admin.display(description="终止时间")
    def until(self, obj: RoleAssignment) -> str:
        return date_format(timezone.localtime(obj.ends_at), "Y-m-d H:i") if obj.ends_at else ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        ended = RoleAssignment.objects.ended().values("pk")
        return super().get_queryset(request).exclude(pk__in=ended).select_related("granted_by", "approved_by")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = cast(type[RoleAssignmentFormSet], super().get_formset(request, obj, **kwargs))
        formset.acting = acting_user(request)
        formset.scopes = _scope_choices()
        return formset


class UserAddForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "phone", "email")


class SetPasswordForm(AdminPasswordChangeForm):
    """Django's admin form without the "disable password login" option, which Xuncha does not use."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True


@admin.register(User)
class XunchaUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "full_name", "roles", "is_active", "has_totp", "last_login")
    list_filter = ("is_active",)
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password", "full_name", "phone", "email", "is_active")}),
        ("记录", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    add_form = UserAddForm
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "phone", "email", "password1", "password2")}),
    )
    change_user_password_template = "admin/core/user/change_password.html"  # noqa: S105 (a template)
    actions = ["disable_users", "enable_users", "unlock_users", "reset_totp"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("role_assignments")
            .annotate(totp=Exists(confirmed))
        )

    @admin.display(description="角色")
    def roles(self, user: User) -> str:
        held = {
            str(a.get_role_display())
            for a in user.role_assignments.all()
            if a.status() == RoleStatus.IN_FORCE
        }
        return "、".join(sorted(held))

    @admin.display(description="动态口令", boolean=True)
    def has_totp(self, user: User) -> bool:
        return bool(getattr(user, "totp", False))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are disabled, never deleted: the audit trail refers to them

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        by = acting_user(request)
        data = form.cleaned_data
        if not change:
            created = actions.create_user(
                username=data["username"],
                password=data["password1"],
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                by=by,
            )
            # The admin goes on with ``obj`` (inlines, log entry): make it the saved account.
            obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
            obj._state.adding, obj._state.db = False, created._state.db
            return
        original = User.objects.get(pk=obj.pk)
        if {"username", "full_name", "email", "phone"} & set(form.changed_data):
            actions.update_user(
                original,
                username=obj.username,
                full_name=obj.full_name,
                email=obj.email,
                phone=obj.phone,
                by=by,
            )
        if "is_active" in form.changed_data:
            (actions.enable_user if obj.is_active else actions.disable_user)(original, by=by)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        # The actions write the rows (and the audit); Django's own change history is left without them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        _apply(formset, form.instance, acting_user(request))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk == request.user.pk:
            form.base_fields["is_active"].disabled = True  # nobody disables their own account
        return form

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        form = SetPasswordForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                actions.set_password(user, password=form.cleaned_data["password1"], by=acting_user(request))
            except Refused as exc:
                form.add_error("password1", exc.message)
            else:
                if user.pk == request.user.pk:
                    update_session_auth_hash(request, user)
                self.message_user(request, "密码已重置；该用户已在各处退出登录，其 API 令牌已全部吊销。")
                return redirect("admin:core_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"重置密码：{user.get_username()}",
            "form": form,
            "form_url": form_url,
            "opts": self.opts,
            "original": user,
            "is_popup": False,
        }
        return TemplateResponse(request, self.change_user_password_template or "", context)

    def _each(self, request: HttpRequest, queryset: QuerySet[User], fn: Any, done: str) -> None:
        by, count = acting_user(request), 0
        for user in queryset:
            try:
                fn(user, by=by)
            except Refused as exc:
                self.message_user(request, f"{user}：{exc.message}", messages.WARNING)
            else:
                count += 1
        self.message_user(request, f"已{done} {count} 个账号。")

    @admin.action(description="停用所选账号")
    def disable_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, actions.disable_user, "停用")

    @admin.action(description="启用所选账号")
    def enable_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, actions.enable_user, "启用")

    @admin.action(description="解除所选账号的登录锁定")
    def unlock_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, actions.unlock_user, "解除锁定")

    @admin.action(description="重置所选账号的动态口令")
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, actions.reset_totp, "重置动态口令")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `xuncha token create` or by their owner; here they can only be revoked."""

    list_display = ("user", "name", "created_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "name")
    fields = ("user", "name", "created_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="吊销所选令牌")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        by = acting_user(request)
        active = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        for token in active:
            actions.revoke_api_token(token, by=by)
        self.message_user(request, f"已吊销 {len(active)} 个令牌。")
