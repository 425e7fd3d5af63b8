"""Forms of findings: the office's regulations, a finding's content (with its evidence by kind), the team
meeting, the return, and the list's filters."""

import dataclasses
from typing import Any

from django import forms

from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.orgs.forms import office_committees
from xuncha.orgs.models import Committee, Person
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from .actions import (
    DESCRIPTION_LIMIT,
    EXCERPT_LIMIT,
    NOTE_LIMIT,
    TITLE_LIMIT,
    FindingInput,
    categories,
    citable,
    current_input,
    roster,
)
from .choices import Commonality, FindingStatus, RootCause
from .evidence import EvidenceKind, kinds
from .models import Finding, Regulation

CHECKBOXES = forms.CheckboxSelectMultiple


class RegulationForm(StyledForm):
    committee = forms.ModelChoiceField(Committee.objects.none(), label="所属党委")
    name = forms.CharField(label="名称", max_length=100, help_text="如：《中国共产党纪律处分条例》")
    article = forms.CharField(label="条款", max_length=40, required=False, help_text="如：第二十八条；可不填")
    excerpt = forms.CharField(
        label="条文摘要", max_length=EXCERPT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: User, regulation: Regulation | None = None, **kwargs: Any) -> None:
        if regulation is not None:
            kwargs.setdefault(
                "initial",
                {"name": regulation.name, "article": regulation.article, "excerpt": regulation.excerpt},
            )
        super().__init__(*args, **kwargs)
        if regulation is None:
            committees = office_committees(user)
            self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
            if committees.count() == 1:
                self.fields["committee"].initial = committees.get()
        else:
            del self.fields["committee"]


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.code} {obj.name}" if obj.scheme.kind == SchemeKind.FOCUS else obj.name


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.post}）{'' if obj.is_active else '（已离任）'}"


class EvidenceChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, kind: EvidenceKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def label_from_instance(self, obj: Any) -> str:
        return self.kind.describe(obj)


def _category_field(kind: str, label: str, *, required: bool = False) -> CategoryChoice:
    return CategoryChoice(categories(kind), label=label, required=required)


class FindingForm(StyledForm):
    title = forms.CharField(label="问题标题", max_length=TITLE_LIMIT)
    description = forms.CharField(
        label="问题表现",
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="写明时间、地点、人物、事实和金额等，做到事实清楚、表述准确。",
    )
    regulations = forms.ModelMultipleChoiceField(
        Regulation.objects.none(), label="定性依据", required=False, widget=CHECKBOXES
    )
    basis_note = forms.CharField(
        label="定性依据说明",
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="引用条款以外的说明，或列表中没有的依据。",
    )
    unit_responsible = forms.BooleanField(label="被巡察党组织负有责任", required=False)
    persons = PersonChoices(
        Person.objects.none(), label="责任人（花名册）", required=False, widget=CHECKBOXES
    )
    focus = _category_field(SchemeKind.FOCUS, "三个聚焦", required=True)
    discipline = _category_field(SchemeKind.DISCIPLINE, "六项纪律")
    nature = _category_field(SchemeKind.NATURE, "问题性质")
    four_winds = _category_field(SchemeKind.FOUR_WINDS, "四风")
    commonality = forms.ChoiceField(label="个性/共性", choices=Commonality.choices)
    root_cause = forms.ChoiceField(
        label="问题根源", choices=[("", "请选择"), *RootCause.choices], required=False
    )

    def __init__(
        self, *args: Any, user: User, inspection: Inspection, finding: Finding | None = None, **kwargs: Any
    ) -> None:
        if finding is not None:
            current = current_input(finding, user)
            initial = {f.name: getattr(current, f.name) for f in dataclasses.fields(current)}
            for kind in kinds():
                initial[f"evidence_{kind.code}"] = [o for o in current.evidence if isinstance(o, kind.model)]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["regulations"].queryset = citable(inspection, finding)  # type: ignore[attr-defined]
        self.fields["persons"].queryset = roster(inspection)  # type: ignore[attr-defined]
        for kind in kinds():
            self.fields[f"evidence_{kind.code}"] = EvidenceChoices(
                kind.objects(user, inspection),
                kind=kind,
                label=f"证据：{kind.label}",
                required=False,
                widget=CHECKBOXES,
            )
        self.style_widgets()

    def finding_input(self) -> FindingInput:
        """The action's input (call after is_valid())."""
        data = dict(self.cleaned_data)
        evidence = [obj for kind in kinds() for obj in data.pop(f"evidence_{kind.code}")]
        return FindingInput(**data, evidence=evidence)


class DiscussForm(StyledForm):
    meeting_on = forms.DateField(label="组务会日期")
    opinion = forms.CharField(
        label="组务会意见",
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如：同意上报；或需补充核实的事项。",
    )


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label="退回理由", max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *FindingStatus.choices], required=False)
    focus = _category_field(SchemeKind.FOCUS, "三个聚焦")
    discipline = _category_field(SchemeKind.DISCIPLINE, "六项纪律")
    person = forms.ModelChoiceField(Person.objects.none(), label="责任人", required=False, empty_label="全部")
    q = forms.CharField(label="搜索", max_length=100, required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = roster(inspection)  # type: ignore[attr-defined]
        self.fields["focus"].empty_label = "全部"  # type: ignore[attr-defined]
        self.fields["discipline"].empty_label = "全部"  # type: ignore[attr-defined]
