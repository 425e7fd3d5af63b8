"""Forms of rectification: the plan's texts, a task with its responsibility list and milestones, a 边巡边改
item, a progress update with evidence, the office's review (approve, close, return) and the lists' filters."""

import datetime
from typing import Any

from django import forms

from xuncha.core.forms import MultipleFileField, StyledForm
from xuncha.orgs.models import Department, Person, Unit
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.models import Inspection, Round

from .actions.common import MEASURE_LIMIT, NOTE_LIMIT, SHORT_LIMIT
from .actions.plans import TITLE_LIMIT, MilestoneInput, TaskInput
from .choices import ItemKind, ItemSource, Light, NoticeStatus, ReportKind, Verdict
from .listing import ItemFilters
from .models import Item, Milestone

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
    due_on = forms.DateField(label="完成时限", required=False, help_text="长期坚持的任务可不填。")
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
    due_on = forms.DateField(label="完成时限")


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


# Supervision (督办单, 整改评估, 回访) ------------------------------------------------------------------


class NoticeForm(StyledForm):
    subject = forms.CharField(label="督办事项", max_length=200)
    requirements = forms.CharField(
        label="督办要求", max_length=5_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    due_on = forms.DateField(label="办理时限")
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), required=False, help_text="不选牵头部门时必选。"
    )
    lead_department = forms.ModelChoiceField(
        label="牵头部门",
        queryset=Department.objects.none(),
        required=False,
        help_text="建章立制等由部门牵头时选择，此时不选牵头单位。",
    )
    cooperating_units = forms.ModelMultipleChoiceField(
        label="配合单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="三位一体：牵头单位落实，配合单位协同。",
    )
    items = forms.ModelMultipleChoiceField(label="涉及整改事项", queryset=Item.objects.none(), required=False)

    def __init__(self, *args: Any, units: Any, items: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        if departments is None:
            del self.fields["lead_department"]
        else:
            self.fields["lead_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["cooperating_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["items"].queryset = items  # type: ignore[attr-defined]


class ResponseForm(StyledForm):
    text = forms.CharField(label="办理情况", max_length=5_000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label="办理材料", required=False)


class AssessmentForm(StyledForm):
    score = forms.IntegerField(label="评估得分", min_value=0, max_value=100, help_text="0–100 分")
    comments = forms.CharField(label="评估意见", max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}))


class VisitForm(StyledForm):
    visited_on = forms.DateField(label="回访日期")
    visitors = forms.CharField(label="回访人员", max_length=200)
    method = forms.CharField(
        label="回访方式", max_length=100, help_text="如：座谈、走访群众、查阅资料、实地查看。"
    )
    findings = forms.CharField(label="回访情况", max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}))
    conclusion = forms.CharField(
        label="回访结论", max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticeFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *NoticeStatus.choices], required=False)
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    overdue = forms.BooleanField(label="仅逾期", required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PublicationForm(StyledForm):
    """The office's draft of the 双公开: title, summary, and per publishable item whether to publish it and
    its public wording (exempt items have no fields: the page shows why)."""

    title = forms.CharField(label="标题", max_length=200)
    summary = forms.CharField(label="整改情况", max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(
        self, *args: Any, items: list[Item], exempt: dict[int, str], current: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items, self.exempt = items, exempt
        for item in items:
            if item.pk in exempt:
                continue
            self.fields[f"include_{item.pk}"] = forms.BooleanField(
                label="公开", required=False, initial=item.pk in current
            )
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=f"{item.code}公开表述",
                max_length=2_000,
                required=False,
                initial=current.get(item.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Per item: the item, its exemption reason, and its bound fields (None when exempt)."""
        return [
            {
                "item": item,
                "reason": self.exempt.get(item.pk, ""),
                "include": None if item.pk in self.exempt else self[f"include_{item.pk}"],
                "text": None if item.pk in self.exempt else self[f"text_{item.pk}"],
            }
            for item in self.items
        ]

    def entries(self) -> list[tuple[Item, str]]:
        data = self.cleaned_data
        return [
            (item, data.get(f"text_{item.pk}", ""))
            for item in self.items
            if item.pk not in self.exempt and data.get(f"include_{item.pk}")
        ]


class ConfidentialForm(StyledForm):
    confidential = forms.BooleanField(label="不予公开", required=False)
    reason = _note("理由", required=True)


class CheckForm(StyledForm):
    """A look-back check of one earlier item (回头看核查)."""

    verdict = forms.ChoiceField(label="核查结论", choices=Verdict.choices)
    note = _note("核查情况", required=True)


class FollowUpForm(StyledForm):
    """The 三个聚焦 category of the finding a look-back check is followed by."""

    focus: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="三个聚焦", queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, focuses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus"].queryset = focuses  # type: ignore[attr-defined]
