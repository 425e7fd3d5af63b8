"""Forms of information requests. Status is never a form field: only the actions move it."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from xuncha.core.files import ALLOWED, MAX_BYTES, MAX_FILES
from xuncha.core.forms import MultipleFileField, StyledForm
from xuncha.orgs.models import Department

from .actions import ANSWER_LIMIT, NOTE_LIMIT, PASSAGE_LIMIT, QUESTIONS_LIMIT, SUBJECT_LIMIT
from .choices import RequestKind

DEFAULT_DAYS = 10


def default_due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)


class RequestForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=RequestKind.choices)
    subject = forms.CharField(label="事由", max_length=SUBJECT_LIMIT)
    questions = forms.CharField(
        label="了解事项",
        max_length=QUESTIONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="如：被巡察单位领导班子及其成员的问题线索、信访举报、审计发现问题及整改情况。",
    )
    due_on = forms.DateField(label="答复期限")
    departments = forms.ModelMultipleChoiceField(
        label="收函部门", queryset=Department.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: object, kinds: list[str], departments: QuerySet[Department], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the kinds the inspection's stage allows; the action checks the stage again.
        self.fields["kind"].choices = [(k, RequestKind(k).label) for k in kinds]  # type: ignore[attr-defined]
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]


class AnswerForm(StyledForm):
    text = forms.CharField(
        label="答复内容", max_length=ANSWER_LIMIT, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=f"可选，最多 {MAX_FILES} 个，每个不超过 {MAX_BYTES // 1024 // 1024} MB；允许：{ALLOWED}。",
    )


class AskAgainForm(StyledForm):
    note = forms.CharField(
        label="再次提请说明",
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：请补充提供近三年有关问题线索的处置情况。",
    )
    due_on = forms.DateField(label="新的答复期限")


class CloseForm(StyledForm):
    note = forms.CharField(
        label="关闭说明", max_length=NOTE_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeadForm(StyledForm):
    passage = forms.CharField(
        label="线索内容",
        max_length=PASSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="可摘录答复中的有关段落。",
    )
