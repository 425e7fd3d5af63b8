"""Forms of rectification: the plan's texts, a task with its responsibility list and milestones, a 边巡边改
item, a progress update with evidence, the office's review (approve, close, return) and the lists' filters."""

import datetime
from typing import Any

from django import forms

from xuncha.core.forms import MultipleFileField, StyledForm
from xuncha.orgs.models import Person
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.models import Inspection, Round

from .actions.common import MEASURE_LIMIT, NOTE_LIMIT, SHORT_LIMIT
from .actions.plans import TITLE_LIMIT, MilestoneInput, TaskInput
from .choices import ItemKind, ItemSource, Light, ReportKind
from .listing import ItemFilters
from .models import Item, Milestone

DATE = forms.DateInput(attrs={"type": "date"})
MILESTONE_HELP = "长期坚持的任务填写，每行一个：完成时限（如 2026-06-30）、空格、阶段目标。"


def _note(label: str, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=NOTE_LIMIT, required=required, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanForm(StyledForm):
    title = forms.CharField(label="标题", max_length=TITLE_LIMIT)
    summary = forms.CharField(
        label="总体安排", max_length=NOTE_LIMIT * 5, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


def parse_milestones(text: str) -> list[MilestoneInput]:
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        day, _, goal = line.strip().partition(" ")
        try:
            due = datetime.date.fromisoformat(day)
        except ValueError as exc:
            raise forms.ValidationError(f"“{line.strip()}”：请以日期（如 2026-06-30）开头。") from exc
        found.append(MilestoneInput(goal=goal.strip(), due_on=due))
    return found


class ProblemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}（{obj.feedback.get_recipient_display()}）"


class TaskForm(StyledForm):
    problem = ProblemField(label="反馈问题", queryset=FeedbackProblem.objects.none())
    measure = forms.CharField(
        label="整改措施", max_length=MEASURE_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(label="类型", choices=ItemKind.choices)
    leader_person = forms.ModelChoiceField(
        label="责任领导（从名册选择）", queryset=Person.objects.none(), required=False
    )
    leader = forms.CharField(label="责任领导（姓名、职务）", max_length=SHORT_LIMIT, required=False)
    department = forms.CharField(label="责任部门", max_length=SHORT_LIMIT)
    due_on = forms.DateField(
        label="完成时限", required=False, widget=DATE, help_text="长期坚持的任务可不填。"
    )
    milestones = forms.CharField(
        label="新增阶段目标",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=MILESTONE_HELP,
    )

    def __init__(
        self,
        *args: Any,
        problems: list[FeedbackProblem],
        inspection: Inspection,
        item: Item | None = None,
        **kwargs: Any,
    ) -> None:
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "problem": item.problem_id,
                    "measure": item.measure,
                    "kind": item.kind,
                    "leader_person": item.leader_person_id,
                    "leader": item.leader,
                    "department": item.department,
                    "due_on": item.due_on,
                },
            )
        super().__init__(*args, **kwargs)
        problem_field = self.fields["problem"]
        assert isinstance(problem_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        problem_field.queryset = FeedbackProblem.objects.filter(pk__in=[p.pk for p in problems])
        person_field = self.fields["leader_person"]
        assert isinstance(person_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        person_field.queryset = Person.objects.filter(unit=inspection.unit, is_active=True)

    def clean_milestones(self) -> list[MilestoneInput]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")

    def task_input(self) -> TaskInput:
        data = self.cleaned_data
        return TaskInput(
            problem=data["problem"],
            measure=data["measure"],
            kind=data["kind"],
            leader=data["leader"],
            department=data["department"],
            due_on=data["due_on"],
            leader_person=data["leader_person"],
            milestones=data["milestones"],
        )


class IssueForm(StyledForm):
    issue = forms.CharField(label="问题", max_length=2_000, widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.CharField(
        label="整改要求", max_length=MEASURE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label="类型", choices=[c for c in ItemKind.choices if c[0] != ItemKind.LONG_TERM]
    )
    leader = forms.CharField(label="责任领导", max_length=SHORT_LIMIT)
    department = forms.CharField(label="责任部门", max_length=SHORT_LIMIT)
    due_on = forms.DateField(label="完成时限", widget=DATE)


class ProgressForm(StyledForm):
    milestone = forms.ModelChoiceField(
        label="阶段目标", queryset=Milestone.objects.none(), required=False, empty_label="（整个任务）"
    )
    text = forms.CharField(label="进展情况", max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="佐证材料", required=False)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["milestone"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = item.milestones.all()
        if not item.is_long_term:
            del self.fields["milestone"]


class NoteForm(StyledForm):
    """The office's optional comments (approving a plan, closing an item)."""

    note = _note("意见", required=False)


class ReasonForm(StyledForm):
    reason = _note("理由", required=True)


class ReportUploadForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=ReportKind.choices)
    attachments = forms.FileField(label="文件")
    note = forms.CharField(label="说明", max_length=200, required=False)


class ItemFilterForm(StyledForm):
    round = forms.ModelChoiceField(
        label="轮次", queryset=Round.objects.none(), required=False, empty_label="全部轮次"
    )
    inspection = forms.ModelChoiceField(
        label="巡察", queryset=Inspection.objects.none(), required=False, empty_label="全部巡察"
    )
    light = forms.ChoiceField(label="状态", choices=[("", "全部"), *Light.choices], required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *ItemKind.choices], required=False)
    source = forms.ChoiceField(label="来源", choices=[("", "全部"), *ItemSource.choices], required=False)
    overdue = forms.BooleanField(label="仅逾期", required=False)

    def __init__(self, *args: Any, rounds: Any, inspections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["inspection"].queryset = inspections  # type: ignore[attr-defined]

    def filters(self) -> ItemFilters:
        if not self.is_valid():
            return ItemFilters()
        data = self.cleaned_data
        return ItemFilters(
            round=data["round"].pk if data.get("round") else None,
            inspection=data["inspection"].pk if data.get("inspection") else None,
            light=data.get("light") or "",
            kind=data.get("kind") or "",
            source=data.get("source") or "",
            overdue=bool(data.get("overdue")),
        )
