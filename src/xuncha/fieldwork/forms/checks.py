"""Forms of the personal-matters check pages: setting up a check and recording a result. They collect
input; the actions check it and save."""

from typing import Any

from django import forms

from xuncha.core.forms import StyledForm
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..actions.checks import MAX_SAMPLE, roster
from ..choices import CHECK_ELIGIBLE_CATEGORIES, CheckResult


class RosterChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name} {obj.post}）"


class CheckForm(StyledForm):
    title = forms.CharField(
        label="名称", required=False, help_text="例如：领导干部个人有关事项抽查核实（第一批）"
    )
    sample_size = forms.IntegerField(
        label="抽查人数",
        required=False,
        min_value=1,
        max_value=MAX_SAMPLE,
        error_messages={
            "invalid": "抽查人数须为正整数。",
            "min_value": "抽查人数须为正整数。",
            "max_value": f"抽查人数最多 {MAX_SAMPLE} 人。",
        },
    )
    extra_persons = RosterChoice(
        Person.objects.none(),
        label="另行纳入抽查范围的人员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "所选人员不在被巡察单位的名册中。",
            "invalid_pk_value": "人员编号无效。",
        },
        help_text="领导班子成员（含主要负责人）自动纳入；其他需要抽查的人员在此勾选。",
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = roster(inspection).exclude(unit=inspection.unit, category__in=CHECK_ELIGIBLE_CATEGORIES)
        self.fields["extra_persons"].queryset = others.select_related("unit")  # type: ignore[attr-defined]


RESULT_CHOICES = [
    (CheckResult.CONSISTENT.value, CheckResult.CONSISTENT.label),
    (CheckResult.INCONSISTENT.value, CheckResult.INCONSISTENT.label),
]


class ResultForm(StyledForm):
    result = forms.ChoiceField(
        label="核实结果",
        required=False,
        choices=[("", "请选择"), *RESULT_CHOICES],
        error_messages={"invalid_choice": "请选择核实结果：一致或不一致。"},
    )
    details = forms.CharField(
        label="核实情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="不一致的，写明本人报告的情况和核实查明的情况。内容加密保存，查看留痕。",
    )
    to_finding = forms.BooleanField(label="转为问题底稿（待问题底稿功能上线后生成）", required=False)
