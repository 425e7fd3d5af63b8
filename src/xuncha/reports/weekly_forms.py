"""Forms of the work log and the weekly reports: a log entry, the log's date filter, the week of a new
周报, a 周报's texts and the office's acknowledgement."""

from typing import Any

from django import forms
from django.utils import timezone

from xuncha.core.forms import StyledForm

from .weekly import LOG_LIMIT, TEXT_LIMIT, WeeklyInput, monday


class WorkLogForm(StyledForm):
    on_date = forms.DateField(label="日期", initial=timezone.localdate)
    content = forms.CharField(
        label="工作内容", max_length=LOG_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )


class WorkLogFilterForm(StyledForm):
    since = forms.DateField(label="起始日期", required=False)
    until = forms.DateField(label="截止日期", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


class StartWeeklyForm(StyledForm):
    week_start = forms.DateField(
        label="周次（该周任一日期）",
        initial=lambda: monday(timezone.localdate()),
        help_text="按星期一至星期日计，周报于下周一报送巡察办。",
    )


def _text(label: str, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class WeeklyForm(StyledForm):
    narrative = _text("本周工作情况", 8)
    problems = _text("发现的主要问题", 6)
    next_plan = _text("下周工作计划", 6)

    def weekly_input(self) -> WeeklyInput:
        return WeeklyInput(**self.cleaned_data)


class AcknowledgeForm(StyledForm):
    comment = _text("巡察办意见（可不填）", 4)
