"""Forms of transfers: transferring a petition, reporting the result, filtering the list."""

from typing import Any

from django import forms

from xuncha.core.forms import StyledForm
from xuncha.orgs.models import Department, Unit

from ..actions.transfers import REASON_LIMIT, RESULT_LIMIT, target_departments, target_units
from ..choices import TransferStatus
from ..models import Petition

YES, NO = "yes", "no"


class TransferForm(StyledForm):
    """To whom (one department of the committee, or the unit or a unit under it) and why."""

    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label="接收部门（分级负责）",
        queryset=None,
        required=False,
        empty_label="（不选）",
        help_text="接收部门与接收单位二选一。",
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="接收单位（属地管理）", queryset=None, required=False, empty_label="（不选）"
    )
    reason = forms.CharField(
        label="转交理由",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：反映个人诉求，不属于巡察受理范围。理由将写入转交函。",
    )

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["department"].queryset = target_departments(petition)
        fields["unit"].queryset = target_units(petition)


class ReportForm(StyledForm):
    result = forms.CharField(
        label="办理结果",
        max_length=RESULT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明核查处理的依据、过程和结论。",
    )


class TransferFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *TransferStatus.choices])
    overdue = forms.ChoiceField(
        label="是否逾期", required=False, choices=[("", "全部"), (YES, "逾期未报结果"), (NO, "未逾期")]
    )
