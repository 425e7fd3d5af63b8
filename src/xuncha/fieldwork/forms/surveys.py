"""Forms of the surveys area: drafting (from a template, the survey's settings, a question), tokens, and
the answer form built from a survey's questions, shared by the public page and the team's paper entry.
The forms only shape the input; the actions check it and say what is wrong."""

from typing import Any

from django import forms

from xuncha.core.forms import StyledForm

from ..choices import Distribution, QuestionKind, SurveyKind
from ..models import Survey

_TEXTAREA = {"rows": 3}


class SurveyCreateForm(StyledForm):
    kind = forms.ChoiceField(label="测评类型", choices=SurveyKind.choices)
    title = forms.CharField(label="标题", required=False, max_length=200, help_text="不填则按类型命名")
    distribution = forms.ChoiceField(label="发放方式", choices=Distribution.choices)


class SurveyEditForm(StyledForm):
    title = forms.CharField(label="标题", max_length=200)
    instructions = forms.CharField(
        label="填写说明", required=False, max_length=2000, widget=forms.Textarea(attrs=_TEXTAREA)
    )
    distribution = forms.ChoiceField(label="发放方式", choices=Distribution.choices)


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=600)
    options = forms.CharField(
        label="选项",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="单选、多选题填写，每行一个；评价和满意度题使用固定选项。",
    )
    required = forms.BooleanField(label="必答", required=False, initial=True)

    def option_lines(self) -> list[str]:
        return str(self.cleaned_data.get("options", "")).splitlines()


class TokensForm(StyledForm):
    count = forms.IntegerField(label="生成数量", min_value=1, max_value=500, initial=30)


class TokenForm(StyledForm):
    token = forms.CharField(
        label="测评码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text="8 位字母和数字，不区分大小写，例如 ABCD-2345。",
    )


class AnswerForm(StyledForm):
    """One field ``q<id>`` per question of the survey, in order."""

    def __init__(self, survey: Survey, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.order_by("position"))
        for q in self.questions:
            label = f"{q.position}. {q.text}"
            choices = [(o, o) for o in q.options]
            field: forms.Field
            if q.kind == QuestionKind.TEXT:
                field = forms.CharField(
                    label=label, required=False, max_length=4000, widget=forms.Textarea(attrs=_TEXTAREA)
                )
            elif q.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.ChoiceField(
                    label=label, required=False, choices=choices, widget=forms.RadioSelect
                )
            self.fields[f"q{q.pk}"] = field
        self.style_widgets()

    def answers(self) -> dict[str, Any]:
        """The answers keyed by question id, as the actions take them."""
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
