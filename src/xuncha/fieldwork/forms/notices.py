"""Forms of the unit's reports (被巡察单位报告事项): reporting one, attending it, noting it. They collect
input; the actions check it and save."""

from typing import Any

from django import forms

from xuncha.core.forms import BAD_DATETIME, StyledForm
from xuncha.rounds.models import Inspection

from ..actions.activities import team_members
from ..actions.notices import NoticeInput
from ..models import NoticeKind
from .activities import MemberChoice


class NoticeForm(StyledForm):
    kind = forms.ChoiceField(
        label="类别",
        required=False,
        choices=[("", "请选择"), *NoticeKind.choices],
        error_messages={"invalid_choice": "请选择报告事项的类别。"},
    )
    subject = forms.CharField(
        label="事由", required=False, help_text="例如：召开党组（扩大）会议研究年度预算"
    )
    starts_at = forms.DateTimeField(
        label="时间",
        required=False,
        error_messages={"invalid": BAD_DATETIME},
        help_text="会议和活动必填",
    )
    place = forms.CharField(label="地点", required=False, help_text="会议和活动必填")
    details = forms.CharField(
        label="具体情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="舆情和突发事件必填：发生经过、影响范围、已采取的措施。加密保存。",
    )

    def notice_input(self) -> NoticeInput:
        data = self.cleaned_data
        return NoticeInput(
            kind=data["kind"],
            subject=data["subject"],
            starts_at=data["starts_at"],
            place=data["place"],
            details=data["details"],
        )


class AttendForm(StyledForm):
    members = MemberChoice(
        None,
        label="列席的巡察组成员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "参加人员须为本巡察组成员。", "invalid_pk_value": "成员编号无效。"},
    )
    remark = forms.CharField(label="处理意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = team_members(inspection)  # type: ignore[attr-defined]


class NoteForm(StyledForm):
    remark = forms.CharField(
        label="处理意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="例如：已阅知，请单位按规定做好舆情应对，及时报告进展。",
    )
