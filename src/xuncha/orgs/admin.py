"""The sysadmin's configuration of committees and their settings (/sysadmin/).

Limited to the committees the user is sysadmin of. Saves go through the actions, so they are validated
and audited like any other change; the forms run the same validation first, so a refusal is shown on the
form rather than failing the request. Nothing is deleted here.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.permissions import NotAllowed, acting_user

from . import actions
from .forms import SETTINGS_FIELDS
from .models import Committee, CommitteeSettings


class ActionValidatedForm(forms.ModelForm):
    """Runs an action's validation on the instance the form has built."""

    def validate(self) -> None:
        raise NotImplementedError

    # The hook after Django has built the instance from the form (not in the stubs).
    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        try:
            self.validate()
        except Refused as refused:
            self.add_error(refused.field if refused.field in self.fields else None, refused.message)


class CommitteeForm(ActionValidatedForm):
    def validate(self) -> None:
        actions.clean_committee(self.instance)

    class Meta:
        model = Committee
        fields = ("name", "short_name", "level", "parent")


class CommitteeSettingsForm(ActionValidatedForm):
    def validate(self) -> None:
        actions.clean_committee_settings(self.instance)

    totp_roles = forms.MultipleChoiceField(
        label="须启用动态口令的角色",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="巡察办、身份信息保管人、系统管理员始终须启用（演示模式除外）。",
    )

    class Meta:
        model = CommitteeSettings
        fields = (*SETTINGS_FIELDS, "totp_roles")


def _sysadmin_of(request: HttpRequest) -> set[int]:
    return acting_user(request).scopes.ids(Role.SYSADMIN)


def _run(request: HttpRequest, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run an action as the sysadmin; a late refusal (e.g. a concurrent change) becomes a message."""
    try:
        return fn(*args, by=acting_user(request), **kwargs)
    except (Refused, NotAllowed) as error:
        messages.error(request, f"未保存：{error.message}")
        return None


class SysadminScopedAdmin(admin.ModelAdmin):
    committee_field = "pk"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(**{f"{self.committee_field}__in": _sysadmin_of(request)})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Committee)
class CommitteeAdmin(SysadminScopedAdmin):
    """A lower committee is added under one the user is sysadmin of; root committees come from the system
    (``xuncha demo-data`` or a migration of real data). Level and parent are fixed once created."""

    form = CommitteeForm
    list_display = ("name", "short_name", "level", "parent")
    search_fields = ("name", "short_name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("level", "parent") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = Committee.objects.filter(pk__in=_sysadmin_of(request))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            original = Committee.objects.get(pk=obj.pk)
            updates = {name: data[name] for name in ("name", "short_name") if name in form.changed_data}
            if updates:
                _run(request, actions.update_committee, original, **updates)
            return
        created = _run(
            request,
            actions.create_committee,
            name=data["name"],
            short_name=data["short_name"],
            level=data["level"],
            parent=data["parent"],
        )
        if created is not None:
            # The admin goes on with ``obj`` (log entry, redirect): make it the saved committee.
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db


@admin.register(CommitteeSettings)
class CommitteeSettingsAdmin(SysadminScopedAdmin):
    """Settings are created with their committee; here they are only changed."""

    form = CommitteeSettingsForm
    committee_field = "committee_id"
    list_display = ("committee", "fieldwork_days", "rectification_report_days", "totp_roles")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        original = CommitteeSettings.objects.get(pk=obj.pk)
        updates = {name: form.cleaned_data[name] for name in form.changed_data}
        if updates:
            _run(request, actions.update_committee_settings, original, **updates)
