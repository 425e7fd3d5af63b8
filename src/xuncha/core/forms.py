import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .audit_labels import action_choices, action_label, object_type_choices, object_type_label
from .audit_log import selected
from .errors import Refused
from .files import MAX_BYTES, MAX_FILES, Upload

# The message of a date-and-time field that could not be read.
BAD_DATETIME = "请输入有效的日期和时间，例如 2026-05-01 09:30。"


class _IsoInputMixin:
    """A text input typed and shown in ISO order, with a button (dates.js) that opens the browser's own
    picker on a hidden proxy input (``proxy_type``) and writes the choice back in that order. The native
    input shows the browser's locale format (12/07/2026, 07:30 PM in an English Chromium)."""

    input_type = "text"
    proxy_type: str
    text_format: str
    placeholder: str
    pattern: str
    title: str
    picker_label: str

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        defaults = {
            "placeholder": self.placeholder,
            "pattern": self.pattern,
            "title": self.title,
            "inputmode": "numeric",
            "autocomplete": "off",
        }
        super().__init__(defaults | attrs, format=self.text_format)  # type: ignore[call-arg]

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # The button shows only where dates.js finds the browser can open the picker by script. Its icon
        # is drawn, not an emoji: office machines often have no emoji font.
        return format_html(
            '<div class="input-group iso-date">{}<input type="{}" class="iso-date-proxy" tabindex="-1" '
            'aria-hidden="true"><button type="button" class="btn btn-outline-secondary" data-date-picker '
            'title="{}" aria-label="{}"><svg viewBox="0 0 16 16" width="16" height="16" '
            'fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true"><rect x="1.75" y="2.75" '
            'width="12.5" height="11.5" rx="1.5"/><path d="M1.75 6.25h12.5M5 1v3M11 1v3"/></svg></button>'
            "</div>",
            super().render(name, value, attrs, renderer),  # type: ignore[misc]
            self.proxy_type,
            self.picker_label,
            self.picker_label,
        )


class IsoDateInput(_IsoInputMixin, forms.DateInput):
    """A date typed and shown as YYYY-MM-DD whatever the browser's locale; the button opens the native
    calendar."""

    proxy_type = "date"
    text_format = "%Y-%m-%d"
    placeholder = "YYYY-MM-DD"
    pattern = r"\d{4}-\d{1,2}-\d{1,2}"
    title = "请按“年-月-日”填写，例如 2026-12-07"
    picker_label = "选择日期"


class IsoDateTimeInput(_IsoInputMixin, forms.DateTimeInput):
    """A date and time typed and shown as YYYY-MM-DD HH:MM whatever the browser's locale, in the server's
    time zone (the form field converts an aware value to it); the button opens the native date-and-time
    picker. The ISO ``T`` separator and seconds are accepted too (what an API client or an old form sends)."""

    proxy_type = "datetime-local"
    text_format = "%Y-%m-%d %H:%M"
    placeholder = "YYYY-MM-DD HH:MM"
    pattern = r"\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?"
    title = "请按“年-月-日 时:分”填写，例如 2026-12-07 09:30"
    picker_label = "选择日期和时间"


class IsoTimeInput(_IsoInputMixin, forms.TimeInput):
    """A time of day typed and shown as HH:MM (24 hours) whatever the browser's locale (an English browser's
    time input shows 09:30 AM); the button opens the native time picker."""

    proxy_type = "time"
    text_format = "%H:%M"
    placeholder = "HH:MM"
    pattern = r"\d{1,2}:\d{2}(:\d{2})?"
    title = "请按“时:分”（24 小时制）填写，例如 08:30"
    picker_label = "选择时间"


class AuditFilterForm(forms.Form):
    """Filters of the audit log, by Chinese names: a keyword matches the names (and codes) of actions and
    object types, the selects offer the named ones, the actor is found by name or username."""

    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：登录、信访件、导出"}),
    )
    action = forms.CharField(label="操作", required=False, max_length=100, widget=forms.Select)
    object_type = forms.CharField(label="对象类型", required=False, max_length=100, widget=forms.Select)
    actor = forms.CharField(
        label="操作人",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": "姓名或用户名"}),
    )
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    since = forms.DateField(label="起始日期", required=False, widget=IsoDateInput)
    until = forms.DateField(label="截止日期", required=False, widget=IsoDateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The registries are filled at start-up, so the choices are read here, not at import.
        for name, choices, everything in (
            ("action", action_choices(), "全部操作"),
            ("object_type", object_type_choices(), "全部类型"),
        ):
            current = self.data.get(name, "") if self.is_bound else ""
            if current and current not in dict(choices):
                # A code typed into the address (an expert's filter) stays selected, under its name.
                label = action_label(current) if name == "action" else object_type_label(current)
                choices = [(current, label), *choices]
            self.fields[name].widget.choices = [("", everything), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data

    def filters(self) -> Q:
        """The events the valid fields select; call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        # Whole local days, as aware datetimes so the created_at index is used.
        since, until = data.get("since"), data.get("until")
        return selected(
            **{name: data.get(name) or "" for name in ("q", "action", "object_type", "object_id", "actor")},
            since=_day_start(since) if since else None,
            until=_day_start(until + datetime.timedelta(days=1)) if until else None,
        )


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
            # Every date, time, and date and time, the same way whatever widget the form declared (see
            # IsoDateInput); the declared attributes are kept, but not a ``type``.
            if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
                field.widget = IsoDateInput(field.widget.attrs)
            elif isinstance(field, forms.DateTimeField) and type(field.widget) is forms.DateTimeInput:
                field.widget = IsoDateTimeInput(field.widget.attrs)
            elif isinstance(field, forms.TimeField) and type(field.widget) is forms.TimeInput:
                field.widget = IsoTimeInput(field.widget.attrs)
            widget = field.widget
            # RadioSelect covers CheckboxSelectMultiple; a radio given form-control shows as a blank pill.
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
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
