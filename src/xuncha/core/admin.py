"""The sysadmin's admin pages (see admin_site.py for who may enter).

Every change made here goes through the account actions, so an admin save is validated and audited
like any other change; the forms validate first, so refusals show on the form.
"""

from typing import Any, cast

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet
from django.forms import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from . import actions
from .choices import ROLE_SCOPE, Role
from .errors import Refused
from .models import ApiToken, RoleAssignment, User
from .permissions import acting_user
from .scopes import describe, is_known

# The admin shows configuration only: third-party tables that hold secrets (TOTP keys), login traces or
# task arguments stay out of it; unlocking and TOTP resets are audited actions on the user page instead.
for _model in (Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("role", "scope_id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, scope_id = data.get("role"), data.get("scope_id")
        if role:
            self.instance.scope_type = ROLE_SCOPE[role]
            if (
                scope_id is not None
                and is_known(ROLE_SCOPE[role])
                and describe(ROLE_SCOPE[role], scope_id) is None
            ):
                self.add_error("scope_id", "授权范围不存在。")
        return data

    def validate_unique(self) -> None:
        """Re-granting a revoked role is allowed: grant_role reactivates the old assignment."""


class RoleAssignmentFormSet(BaseInlineFormSet):
    acting: User | None = None  # set per request in get_formset (a fresh class each time)

    def clean(self) -> None:
        super().clean()
        for form in self.deleted_forms:
            assignment = form.instance
            if self.acting and assignment.user_id == self.acting.pk and assignment.role == Role.SYSADMIN:
                raise forms.ValidationError("不能撤销自己的系统管理员角色。")


class RoleAssignmentInline(admin.TabularInline):
    """Active assignments, read-only; add a row to grant, tick "删除" to revoke (kept as history)."""

    model = RoleAssignment
    fk_name = "user"
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    extra = 1
    fields = ("role", "scope_id", "scope_name", "granted_at")
    readonly_fields = ("scope_name", "granted_at")
    verbose_name_plural = "角色授权（新增一行即授予；勾选“删除”即撤销）"

    @admin.display(description="范围")
    def scope_name(self, obj: RoleAssignment) -> str:
        if obj.pk is None:
            return ""
        scope = describe(obj.scope_type, obj.scope_id)
        return scope.name if scope else f"{obj.get_scope_type_display()} #{obj.scope_id}"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        return super().get_queryset(request).filter(active=True)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = cast(type[RoleAssignmentFormSet], super().get_formset(request, obj, **kwargs))
        formset.acting = acting_user(request)
        return formset

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UserAddForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "email")


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
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password", "full_name", "email", "is_active")}),
        ("记录", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    add_form = UserAddForm
    add_fieldsets = ((None, {"fields": ("username", "full_name", "email", "password1", "password2")}),)
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
        return "、".join(sorted({str(a.get_role_display()) for a in user.role_assignments.all() if a.active}))

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
                by=by,
            )
            # The admin goes on with ``obj`` (inlines, log entry): make it the saved account.
            obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
            obj._state.adding, obj._state.db = False, created._state.db
            return
        original = User.objects.get(pk=obj.pk)
        if {"username", "full_name", "email"} & set(form.changed_data):
            actions.update_user(
                original, username=obj.username, full_name=obj.full_name, email=obj.email, by=by
            )
        if "is_active" in form.changed_data:
            (actions.enable_user if obj.is_active else actions.disable_user)(original, by=by)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        by = acting_user(request)
        for assignment in formset.save(commit=False):
            actions.grant_role(user=form.instance, role=assignment.role, scope_id=assignment.scope_id, by=by)
        for assignment in formset.deleted_objects:
            actions.end_role(assignment, reason="系统管理员撤销", by=by)

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
