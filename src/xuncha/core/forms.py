import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from .errors import Refused
from .files import MAX_BYTES, MAX_FILES, Upload


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="操作", required=False, max_length=100)
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    object_type = forms.CharField(label="对象类型", required=False, max_length=100)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data

    def lookups(self) -> dict[str, Any]:
        """Queryset filters for the valid fields; call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        found: dict[str, Any] = {}
        for name, lookup in (
            ("action", "action__icontains"),
            ("actor", "actor_name__icontains"),
            ("object_type", "object_type__icontains"),
            ("object_id", "object_id"),
        ):
            if data.get(name):
                found[lookup] = data[name].strip()
        # Whole local days, as aware datetimes so the created_at index is used.
        if data.get("since"):
            found["created_at__gte"] = _day_start(data["since"])
        if data.get("until"):
            found["created_at__lt"] = _day_start(data["until"] + datetime.timedelta(days=1))
        return found


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class BootstrapFields:
    """Bootstrap classes on every widget, and ``is-invalid`` on the fields that carry an error."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class StyledForm(BootstrapFields, forms.Form):
    pass


class OTPTokenForm(BootstrapFields, forms.Form):
    token = forms.CharField(
        label="动态口令",
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
        help_text="请输入身份验证器（手机应用）上显示的 6 位数字。",
    )


class ChangePasswordForm(BootstrapFields, PasswordChangeForm):
    pass


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Several files in one input; they are checked by content in the action (core.files.check), not here."""

    widget = MultipleFileInput

    def clean(self, value: Any) -> list[UploadedFile]:
        files = value if isinstance(value, list | tuple) else [value]
        return [f for f in files if f]


def uploads(files: Sequence[UploadedFile]) -> list[Upload]:
    """The files as the action checks them; a file over the limit is read just far enough to be refused
    for its size, and files past the count limit are not read at all."""
    return [Upload(name=f.name or "", data=f.read(MAX_BYTES + 1)) for f in files[: MAX_FILES + 1]]


def show_refusal(form: forms.Form, refused: Refused) -> None:
    """An action's refusal on the form: on its field when the form has it, else above the form."""
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)
