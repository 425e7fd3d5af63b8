"""Forms of interviews: the list's filters, adding and scheduling an interview, cancelling, the liaison's
conflict note, the record, scans and problems raised. Lengths and the rules of the plan are checked by the
actions; these forms parse what was typed."""

from typing import Any

from django import forms

from xuncha.core.files import MAX_BYTES, MAX_FILES, Upload
from xuncha.core.forms import MultipleFileField, StyledForm, uploads
from xuncha.orgs.models import Inspector, Person
from xuncha.rounds.models import Inspection

from ..actions.interviews import (
    NAME_LIMIT,
    NOTE_LIMIT,
    PLACE_LIMIT,
    POST_LIMIT,
    PROBLEM_LIMIT,
    RECORD_LIMIT,
    TOPICS_LIMIT,
    team_inspectors,
)
from ..choices import InterviewStatus, ProblemKind
from ..models import Interview


def _slot_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不正确，请按“年-月-日 时:分”填写，例如 2026-05-01 09:30。",
        },
    )


class InterviewFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *InterviewStatus.choices])
    date = forms.DateField(
        label="日期",
        required=False,
        error_messages={"invalid": "日期格式不正确。"},
    )
    person = forms.CharField(label="谈话对象", required=False, max_length=NAME_LIMIT)


class ScheduleForm(StyledForm):
    """The slot, the place, the inspectors and the topics of an interview."""

    starts_at = _slot_field("开始时间")
    ends_at = _slot_field("结束时间")
    place = forms.CharField(label="谈话地点", max_length=PLACE_LIMIT)
    inspectors: forms.ModelMultipleChoiceField[Inspector] = forms.ModelMultipleChoiceField(
        label="谈话人",
        queryset=Inspector.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="至少两名巡察组成员。",
        error_messages={"required": "请选择至少两名谈话人。", "invalid_choice": "所选谈话人不是本组成员。"},
    )
    topics = forms.CharField(
        label="谈话提纲",
        required=False,
        max_length=TOPICS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一个要点。提纲仅巡察组、巡察办和领导小组可见，被巡察单位看不到。",
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["inspectors"].queryset = team_inspectors(inspection)


class InterviewForm(ScheduleForm):
    """A new interview: a roster person, or a name and post typed in."""

    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label="花名册人员", queryset=Person.objects.none(), required=False, empty_label="（不在花名册中）"
    )
    name = forms.CharField(
        label="姓名", required=False, max_length=NAME_LIMIT, help_text="不在花名册中时填写。"
    )
    post = forms.CharField(label="职务", required=False, max_length=POST_LIMIT)
    field_order = ("person", "name", "post", "starts_at", "ends_at", "place", "inspectors", "topics")

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, inspection=inspection, **kwargs)
        unit = inspection.unit
        fields: dict[str, Any] = self.fields
        fields["person"].queryset = Person.objects.filter(
            unit_id__in={unit.pk} | unit.descendant_ids(), is_active=True
        ).select_related("unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", "请选择花名册人员，或填写姓名。")
        return data


class EditForm(ScheduleForm):
    """Re-scheduling; the name and post only for people not taken from the roster."""

    name = forms.CharField(label="姓名", max_length=NAME_LIMIT)
    post = forms.CharField(label="职务", required=False, max_length=POST_LIMIT)
    field_order = ("name", "post", "starts_at", "ends_at", "place", "inspectors", "topics")

    def __init__(self, *args: Any, interview: Interview, **kwargs: Any) -> None:
        super().__init__(*args, inspection=interview.inspection, **kwargs)
        if interview.person_id is not None:
            del self.fields["name"], self.fields["post"]


class CancelForm(StyledForm):
    reason = forms.CharField(
        label="取消原因", max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConflictForm(StyledForm):
    note = forms.CharField(
        label="冲突说明",
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：当天外出参加会议，建议改到次日上午。",
    )


class RecordForm(StyledForm):
    text = forms.CharField(
        label="谈话记录",
        max_length=RECORD_LIMIT,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="加密保存，仅巡察组成员和巡察办可查看，每次查看均记入审计日志。",
    )


class ScanForm(StyledForm):
    scans = MultipleFileField(
        label="扫描件",
        help_text=f"签字确认的谈话记录扫描件等，最多 {MAX_FILES} 个，每个不超过 {MAX_BYTES // 2**20} MB。",
        error_messages={"required": "请选择要上传的文件。"},
    )

    def clean_scans(self) -> list[Upload]:
        files = self.cleaned_data["scans"]
        if not files:
            raise forms.ValidationError("请选择要上传的文件。")
        return uploads(files)


class ProblemForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=ProblemKind.choices)
    text = forms.CharField(
        label="反映的问题", max_length=PROBLEM_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
