"""Forms of reports and feedback: a report's sections, its leadership members' sections, the hearing (a
decision per submitted report), a feedback's texts, one problem of its list, the feedback meeting, and
the lists' filters."""

from typing import Any

from django import forms

from xuncha.core.forms import StyledForm
from xuncha.findings.models import Finding
from xuncha.taxonomy.models import Category

from .actions import (
    NOTE_LIMIT,
    SHORT_LIMIT,
    TEXT_LIMIT,
    TITLE_LIMIT,
    HearingItem,
    LeaderInput,
    ProblemInput,
    ReportInput,
)
from .choices import Decision, FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import FeedbackProblem, LeaderAssessment, Report

NUMBERING_HELP = "以“（一）”“1.”开头的行在公文中排为二级、三级标题。"


def _text(label: str, rows: int = 8, help_text: str = NUMBERING_HELP) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ReportForm(StyledForm):
    title = forms.CharField(label="标题", max_length=TITLE_LIMIT)
    basics = _text("基本情况", 6)
    problems = _text("发现的主要问题", 16)
    clues = _text("问题线索", 4, "只写件数、类别和移交去向，不写线索内容。")
    evaluation = _text("民主测评和问卷调查情况", 6, "汇总时按测评结果生成，不含文字意见。")
    suggestions = _text("意见建议", 6)

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(report, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        if not report.is_team:
            self.fields["basics"].label = "总体情况"
            self.fields["problems"].label = "主要问题和共性问题"
            del self.fields["evaluation"]

    def report_input(self) -> ReportInput:
        return ReportInput(**self.cleaned_data)


class LeadersForm(StyledForm):
    """正面、负面反映 for each member of the leadership team in the report."""

    def __init__(self, *args: Any, leaders: list[LeaderAssessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaders = leaders
        for a in leaders:
            for attr, label in (("positive", "正面反映"), ("negative", "负面反映")):
                self.fields[f"{attr}_{a.pk}"] = forms.CharField(
                    label=f"{a.person.name}（{a.person.post}）：{label}",
                    max_length=TEXT_LIMIT,
                    required=False,
                    initial=getattr(a, attr),
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        self.style_widgets()

    def rows(self) -> list[LeaderInput]:
        data = self.cleaned_data
        return [LeaderInput(a, data[f"positive_{a.pk}"], data[f"negative_{a.pk}"]) for a in self.leaders]


class HearingForm(StyledForm):
    held_on = forms.DateField(label="听取汇报日期")
    attendees = forms.CharField(
        label="出席人员", max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, reports: list[Report], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reports = reports
        choices = [("", "本次不听取"), *Decision.choices]
        for report in reports:
            self.fields[f"decision_{report.pk}"] = forms.ChoiceField(
                label=f"{report.title}：决定", choices=choices, required=False
            )
            self.fields[f"opinion_{report.pk}"] = forms.CharField(
                label="领导小组意见",
                max_length=NOTE_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="“修改后再报”须写明修改意见。",
            )
        self.style_widgets()

    def items(self) -> list[HearingItem]:
        data = self.cleaned_data
        return [
            HearingItem(report, data[f"decision_{report.pk}"], data[f"opinion_{report.pk}"])
            for report in self.reports
            if data.get(f"decision_{report.pk}")
        ]


class FeedbackForm(StyledForm):
    title = forms.CharField(label="标题", max_length=TITLE_LIMIT)
    summary = _text("总体情况", 6)
    requirements = _text("意见建议和整改要求", 6)


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.code} {obj.name}"


class FindingChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.number} {obj.title}"


class ProblemForm(StyledForm):
    title = forms.CharField(label="问题", max_length=TITLE_LIMIT)
    description = forms.CharField(
        label="具体表现", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = CategoryChoice(Category.objects.none(), label="三个聚焦", required=False)
    responsible = forms.CharField(label="责任主体", max_length=200, required=False)
    findings = FindingChoices(
        Finding.objects.none(), label="问题底稿", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        categories: Any,
        findings: Any,
        problem: FeedbackProblem | None = None,
        **kwargs: Any,
    ) -> None:
        if problem is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": problem.title,
                    "description": problem.description,
                    "category": problem.category,
                    "responsible": problem.responsible,
                    "findings": list(problem.findings.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["findings"].queryset = findings  # type: ignore[attr-defined]

    def problem_input(self) -> ProblemInput:
        return ProblemInput(**self.cleaned_data)


class DeliverForm(StyledForm):
    meeting_on = forms.DateField(label="反馈会日期")
    place = forms.CharField(label="反馈会地点", max_length=SHORT_LIMIT)
    attendees = forms.CharField(
        label="参会人员", max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    delivered_by = forms.CharField(
        label="反馈人", max_length=SHORT_LIMIT, help_text="如：市委第一巡察组组长 王某某"
    )


class ReportFilterForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *ReportKind.choices], required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *ReportStatus.choices], required=False)
    q = forms.CharField(label="搜索", max_length=100, required=False)


class FeedbackFilterForm(StyledForm):
    recipient = forms.ChoiceField(
        label="反馈对象", choices=[("", "全部"), *Recipient.choices], required=False
    )
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *FeedbackStatus.choices], required=False)
    q = forms.CharField(label="搜索", max_length=100, required=False)
