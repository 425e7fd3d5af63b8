"""Forms of clues: a clue's content and receiver, a reason (return, withdraw), the transfer's due date, the
receiver's disposal and report-back, and the lists' filters."""

from typing import Any

from django import forms

from xuncha.core.forms import StyledForm
from xuncha.orgs.models import Department, Person, Unit
from xuncha.rounds.models import Inspection

from ..actions import roster
from ..choices import ClueKind, ClueStatus, ClueTransferStatus, Disposal, Outcome
from ..forms import PersonChoices
from .actions import CONTENT_LIMIT, REASON_LIMIT, TITLE_LIMIT, ClueInput, target_departments, target_units
from .transfers import RESULT_LIMIT

YES, NO = "yes", "no"
UNIT_RECEIVER = "unit"  # the list's receiver filter: clues to the unit (or a unit under it)


class ClueForm(StyledForm):
    """What a drafter writes; the source (finding, petition) is the page's, the status never the form's."""

    title = forms.CharField(label="线索标题", max_length=TITLE_LIMIT)
    kind = forms.ChoiceField(label="线索类别", choices=[("", "请选择"), *ClueKind.choices])
    persons = PersonChoices(
        Person.objects.none(),
        label="涉及人员",
        widget=forms.CheckboxSelectMultiple,
        help_text="被巡察单位及下属单位花名册中的人员。",
        error_messages={"required": "请选择线索涉及的人员。"},
    )
    content = forms.CharField(
        label="线索内容",
        max_length=CONTENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="加密保存；每次查看都记入审计日志。",
    )
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        Department.objects.none(),
        label="接收部门",
        required=False,
        empty_label="（按规则）",
        help_text="不选则按规则确定接收方（见右侧）；与规则不同时须写明理由。",
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        Unit.objects.none(), label="接收单位（党组织）", required=False, empty_label="（按规则）"
    )
    receiver_reason = forms.CharField(
        label="调整接收方的理由",
        max_length=REASON_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confidential = forms.BooleanField(
        label="高度保密",
        required=False,
        help_text="仅组长和巡察办可见（组员和领导小组不可见）。",
    )

    def __init__(
        self,
        *args: Any,
        inspection: Inspection,
        leader: bool,
        initial_input: ClueInput | None = None,
        **kwargs: Any,
    ) -> None:
        if initial_input is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": initial_input.title,
                    "kind": initial_input.kind,
                    "persons": [p.pk for p in initial_input.persons],
                    "content": initial_input.content,
                    "department": initial_input.department,
                    "unit": initial_input.unit,
                    "receiver_reason": initial_input.receiver_reason,
                    "confidential": initial_input.confidential,
                },
            )
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["persons"].queryset = roster(inspection).filter(is_active=True)
        fields["department"].queryset = target_departments(inspection)
        fields["unit"].queryset = target_units(inspection)
        if not leader:
            del self.fields["confidential"]

    def clue_input(self, **source: Any) -> ClueInput:
        data = self.cleaned_data
        return ClueInput(
            title=data["title"],
            content=data["content"],
            kind=data["kind"],
            persons=list(data["persons"]),
            department=data["department"],
            unit=data["unit"],
            receiver_reason=data["receiver_reason"],
            confidential=data.get("confidential", False),
            **source,
        )


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(StyledForm):
    due_on = forms.DateField(
        label="报告结果期限",
        required=False,
        help_text="不填则按本级党委设置的期限（默认 90 日）。",
    )


class DisposeForm(StyledForm):
    disposal = forms.ChoiceField(label="处置方式", choices=[("", "请选择"), *Disposal.choices])


class ReportForm(StyledForm):
    outcome = forms.ChoiceField(label="处理结果", choices=[("", "请选择"), *Outcome.choices])
    result = forms.CharField(
        label="办理情况",
        max_length=RESULT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明核查处置的过程、依据和结论；加密保存。",
    )


class ClueFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *ClueStatus.choices])
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *ClueKind.choices])
    receiver = forms.ChoiceField(label="接收方", required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = [(str(d.pk), d.name) for d in target_departments(inspection)]
        fields: dict[str, Any] = self.fields
        fields["receiver"].choices = [("", "全部"), *departments, (UNIT_RECEIVER, "被巡察党组织")]


class TransferFilterForm(StyledForm):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *ClueTransferStatus.choices]
    )
    overdue = forms.ChoiceField(
        label="是否逾期", required=False, choices=[("", "全部"), (YES, "逾期未报告结果"), (NO, "未逾期")]
    )
