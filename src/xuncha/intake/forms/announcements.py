"""Forms of the announcement pages and of questions to a reporter; the actions check and save."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from xuncha.core.forms import BAD_DATETIME, StyledForm
from xuncha.rounds.models import Inspection

from ..models import Announcement

BAD_TIME = "请输入有效的时间，例如 08:30。"


def _datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=False, error_messages={"invalid": BAD_DATETIME})


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, error_messages={"invalid": BAD_TIME})


class AnnouncementForm(StyledForm):
    window_starts_at = _datetime("受理开始时间")
    window_ends_at = _datetime("受理结束时间")
    phone = forms.CharField(label="值班电话", required=False, help_text="例如：0791-12345678")
    duty_hours = forms.CharField(
        label="值班时间", required=False, help_text="公告上的写法，如：每天 8:00—20:00"
    )
    duty_starts = _time("每日值班开始")
    duty_ends = _time("每日值班结束")
    postal_box = forms.CharField(label="邮政信箱", required=False, help_text="例如：江州市 A001 号信箱")
    email = forms.CharField(label="电子邮箱", required=False)
    box_locations = forms.CharField(
        label="意见箱设置地点", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    visit_place = forms.CharField(label="来访接待地点", required=False)

    field_order = [
        "window_starts_at",
        "window_ends_at",
        "phone",
        "duty_hours",
        "duty_starts",
        "duty_ends",
        "postal_box",
        "email",
        "box_locations",
        "visit_place",
    ]

    @classmethod
    def initial_for(cls, inspection: Inspection, announcement: Announcement | None) -> dict[str, Any]:
        """The saved values, or for a first draft a window from stationing to the end of fieldwork."""
        if announcement is not None:
            return {name: getattr(announcement, name) for name in cls.field_order}
        start = inspection.stationed_on or timezone.localdate()
        end = inspection.fieldwork_ends_on or start + datetime.timedelta(days=60)
        at = timezone.get_current_timezone()
        return {
            "window_starts_at": datetime.datetime.combine(start, datetime.time(8), tzinfo=at),
            "window_ends_at": datetime.datetime.combine(end, datetime.time(18), tzinfo=at),
            "duty_hours": "每天 8:00—20:00",
            "duty_starts": datetime.time(8),
            "duty_ends": datetime.time(20),
        }


class QuestionForm(StyledForm):
    text = forms.CharField(
        label="向反映人提问",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="反映人凭查询码在公开受理页面看到问题并答复。请勿在问题中写入可能暴露反映人身份的内容。",
    )
