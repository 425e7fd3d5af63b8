"""Forms of the activity pages: the list's filters and recording an activity with its files. They collect
input; the actions check it and save."""

from typing import Any

from django import forms

from xuncha.core.files import MAX_BYTES, MAX_FILES
from xuncha.core.forms import BAD_DATETIME, MultipleFileField, StyledForm
from xuncha.orgs.models import Department
from xuncha.rounds.models import Inspection, TeamMember

from ..actions.activities import ActivityInput, departments, team_members
from ..choices import ActivityKind, SpecialCheckTopic
from ..models import Activity
from ..models.activities import ActivityQuerySet

BAD_DATE = "请输入有效的日期，例如 2026-05-01。"


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.inspector.name}（{obj.get_role_display()}）"


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(
        label="方式",
        required=False,
        choices=[("", "请选择"), *ActivityKind.choices],
        error_messages={"invalid_choice": "请选择工作方式。"},
    )
    topic = forms.ChoiceField(
        label="专项检查内容",
        required=False,
        choices=[("", "（非专项检查不填）"), *SpecialCheckTopic.choices],
        error_messages={"invalid_choice": "请选择专项检查内容：选人用人、意识形态或法治建设。"},
    )
    department = forms.ModelChoiceField(
        Department.objects.none(),
        label="专项检查部门",
        required=False,
        empty_label="（非专项检查不填）",
        error_messages={"invalid_choice": "所选部门不存在或不开展专项检查。"},
    )
    title = forms.CharField(label="事项", required=False, help_text="例如：听取局党组工作情况汇报")
    starts_at = forms.DateTimeField(
        label="开始时间", required=False, error_messages={"invalid": BAD_DATETIME}
    )
    ends_at = forms.DateTimeField(label="结束时间", required=False, error_messages={"invalid": BAD_DATETIME})
    place = forms.CharField(label="地点", required=False)
    members = MemberChoice(
        TeamMember.objects.none(),
        label="参加的巡察组成员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "参加人员须为本巡察组成员。", "invalid_pk_value": "成员编号无效。"},
    )
    other_participants = forms.CharField(
        label="其他参加人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="被巡察单位人员、知情人等；加密保存。",
    )
    notes = forms.CharField(
        label="情况记录",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="加密保存，查看留痕。",
    )
    attachments = MultipleFileField(
        label="附件", required=False, help_text=f"最多 {MAX_FILES} 个，每个不超过 {MAX_BYTES // 2**20} MB"
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments(inspection)  # type: ignore[attr-defined]
        self.fields["members"].queryset = team_members(inspection)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        names = ["kind", "topic", "department", "title", "starts_at", "ends_at", "place"]
        initial: dict[str, Any] = {name: getattr(activity, name) for name in names}
        initial["members"] = list(activity.members.all())
        initial["other_participants"] = activity.other_participants
        initial["notes"] = activity.notes
        return initial

    def activity_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            kind=data["kind"],
            topic=data["topic"],
            department=data["department"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            members=list(data["members"]),
            other_participants=data["other_participants"],
            notes=data["notes"],
        )


class ActivityFilterForm(StyledForm):
    kind = forms.ChoiceField(label="方式", required=False, choices=[("", "全部方式"), *ActivityKind.choices])
    since = forms.DateField(label="日期自", required=False, error_messages={"invalid": BAD_DATE})
    until = forms.DateField(label="至", required=False, error_messages={"invalid": BAD_DATE})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data

    def filter(self, activities: ActivityQuerySet) -> ActivityQuerySet:
        """The activities matching the valid filters; an invalid one is shown on the form and left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return activities.matching(
            kind=data.get("kind") or "", since=data.get("since"), until=data.get("until")
        )
