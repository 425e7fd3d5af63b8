"""Forms of triage: the decision (prefilled from the suggestions) and the office's rules."""

from collections import defaultdict
from typing import Any

from django import forms

from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.orgs.forms import office_committees
from xuncha.orgs.models import Committee, Person
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..actions.triage import NOTE_LIMIT, roster_persons
from ..choices import Decision, MatchKind, Scope, ScopeReason, SuggestionField
from ..models import Petition, Suggestion, TriageRule
from ..triage import ranking
from ..triage.base import IMPORTANT, RULE_SCOPE_VALUES, scope_label, split_scope_value
from ..triage.rules import PATTERNS_LIMIT, THRESHOLD_RANGE


def _categories(kind: str) -> Any:
    return Category.objects.filter(scheme__kind=kind, scheme__is_default=True).select_related("scheme")


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.code} {obj.name}" if obj.scheme.kind == SchemeKind.FOCUS else obj.name


class PersonChoice(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id = petition.inspection.unit_id

    def label_from_instance(self, obj: Person) -> str:
        where = "" if obj.unit_id == self.unit_id else f"{obj.unit.name} "
        gone = "（已离任）" if not obj.is_active else ""
        return f"{obj.name}（{where}{obj.post}）{gone}"


def best(suggestions: list[Suggestion], field: str) -> Suggestion | None:
    """The suggestion to prefill a field with: the best-supported value (triage/ranking.py)."""
    return ranking.best(suggestions, field)


def _initial(petition: Petition, suggestions: list[Suggestion]) -> dict[str, Any]:
    """The petition's decision once made; before that, what the suggestions say."""
    if petition.decided_by_id is not None:
        return {
            "decision": petition.decision,
            "scope": petition.scope,
            "scope_reason": petition.scope_reason,
            "discipline": petition.discipline_id,
            "focus": petition.focus_id,
            "persons": [p.pk for p in petition.persons.all()],
            "important": petition.important,
            "note": petition.decision_note,
        }
    initial: dict[str, Any] = {}
    scope = best(suggestions, SuggestionField.SCOPE)
    pair = split_scope_value(scope.value) if scope else None
    if pair is not None:
        initial["scope"], initial["scope_reason"] = pair
        about_inspectors = pair[1] == ScopeReason.ABOUT_INSPECTORS
        initial["decision"] = (
            Decision.ACCEPT if pair[0] == Scope.IN or about_inspectors else Decision.TRANSFER
        )
    for field in (SuggestionField.DISCIPLINE, SuggestionField.FOCUS):
        found = best(suggestions, field)
        if found is not None:
            initial[field] = int(found.value)
    initial["persons"] = [int(s.value) for s in suggestions if s.field == SuggestionField.PERSON]
    initial["important"] = not petition.anonymous and any(
        s.field == SuggestionField.IMPORTANT for s in suggestions
    )
    return initial


class TriageForm(StyledForm):
    decision = forms.ChoiceField(label="分拣意见", choices=Decision.choices, widget=forms.RadioSelect)
    scope = forms.ChoiceField(label="受理范围", choices=Scope.choices)
    scope_reason = forms.ChoiceField(label="依据", choices=ScopeReason.choices)
    discipline = CategoryChoice(label="六项纪律", queryset=Category.objects.none(), required=False)
    focus = CategoryChoice(label="三个聚焦", queryset=Category.objects.none(), required=False)
    important = forms.BooleanField(
        label="重要问题，须及时约谈反映人", required=False, help_text="仅实名反映可以约谈。"
    )
    note = forms.CharField(
        label="分拣说明",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="存查时必填；改变建议时请说明理由。",
    )

    def __init__(self, *args: Any, petition: Petition, suggestions: list[Suggestion], **kwargs: Any) -> None:
        kwargs.setdefault("initial", _initial(petition, suggestions))
        super().__init__(*args, **kwargs)
        self.fields["discipline"].queryset = _categories(SchemeKind.DISCIPLINE)  # type: ignore[attr-defined]
        self.fields["focus"].queryset = _categories(SchemeKind.FOCUS)  # type: ignore[attr-defined]
        self.fields["persons"] = PersonChoice(
            label="被反映人（花名册）",
            queryset=roster_persons(petition),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            petition=petition,
        )
        self.style_widgets()
        self.fields["decision"].widget.attrs["class"] = "form-check-input"


# Rules ------------------------------------------------------------------------------------------------


def value_choices() -> list[tuple[str, Any]]:
    """One list for what a rule suggests: "field:value", grouped by field."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for value in RULE_SCOPE_VALUES:
        groups["受理范围"].append((f"{SuggestionField.SCOPE}:{value}", scope_label(value)))
    for field, kind, label in (
        (SuggestionField.DISCIPLINE, SchemeKind.DISCIPLINE, "六项纪律"),
        (SuggestionField.FOCUS, SchemeKind.FOCUS, "三个聚焦"),
    ):
        for category in _categories(kind):
            name = category.name if kind == SchemeKind.DISCIPLINE else f"{category.code} {category.name}"
            groups[label].append((f"{field}:{category.pk}", name))
    groups["重要问题"].append((f"{SuggestionField.IMPORTANT}:{IMPORTANT}", "重要问题，须及时约谈"))
    return [("", "请选择"), *groups.items()]


def rule_target(rule: TriageRule) -> str:
    return f"{rule.field}:{rule.value}"


class RuleForm(StyledForm):
    committee = forms.ModelChoiceField(Committee.objects.none(), label="所属党委")
    name = forms.CharField(label="规则名称", max_length=100)
    target = forms.ChoiceField(label="命中时建议", choices=())
    match = forms.ChoiceField(label="匹配方式", choices=MatchKind.choices)
    patterns = forms.CharField(
        label="关键词或表达式",
        max_length=PATTERNS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "每行一个。任一/全部关键词：一行也可写多个，以空格分隔；短语：词间以空格分隔，"
            "须在同一句内依次出现（相隔不超过 6 个字）；正则表达式：在同一句内匹配，请勿嵌套量词；"
            "模糊匹配：按相似度阈值匹配。"
        ),
    )
    threshold = forms.IntegerField(
        label="模糊匹配阈值",
        min_value=THRESHOLD_RANGE[0],
        max_value=THRESHOLD_RANGE[1],
        initial=85,
        help_text="仅用于模糊匹配：相似度（0—100）达到此值即命中。",
    )
    on_misconduct = forms.BooleanField(
        label="反映干部违纪时仍适用",
        required=False,
        help_text=(
            "仅用于“不属于受理范围”的规则：默认情况下，正文同一句中同时出现干部职务和违纪行为"
            "（如“村支书把亲属报成低保户”）时，此类规则不提出建议；勾选后仍然提出。"
        ),
    )

    def __init__(self, *args: Any, user: User, rule: TriageRule | None = None, **kwargs: Any) -> None:
        if rule is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": rule.name,
                    "target": rule_target(rule),
                    "match": rule.match,
                    "patterns": rule.patterns,
                    "threshold": rule.threshold,
                    "on_misconduct": rule.on_misconduct,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = value_choices()  # type: ignore[attr-defined]
        if rule is None:
            committees = office_committees(user)
            self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
            if committees.count() == 1:
                self.fields["committee"].initial = committees.get()
        else:
            del self.fields["committee"]

    def rule_data(self) -> dict[str, Any]:
        """The action's arguments (call after is_valid())."""
        data = dict(self.cleaned_data)
        field, _, value = data.pop("target").partition(":")
        return {**data, "field": field, "value": value}
