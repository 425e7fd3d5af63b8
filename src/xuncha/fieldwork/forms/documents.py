"""Forms of document requests: starting and editing a request, an item, the unit's answer, the team's
return, and the list's filters. Status is never a form field: only the actions move it."""

from django import forms

from xuncha.core.files import ALLOWED, MAX_BYTES, MAX_FILES
from xuncha.core.forms import MultipleFileField, StyledForm

from ..actions.documents import (
    ANSWER_LIMIT,
    INSTRUCTIONS_LIMIT,
    NOTES_LIMIT,
    PERIOD_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
    WHAT_LIMIT,
)
from ..choices import DOCUMENT_DUE_DAYS, ItemMode, RequestStatus

YES, NO = "yes", "no"


class StartRequestForm(StyledForm):
    title = forms.CharField(
        label="标题", max_length=TITLE_LIMIT, required=False, help_text="不填则为“调阅（复制）资料清单”。"
    )
    due_on = forms.DateField(
        label="提供期限", required=False, help_text=f"不填则为今天起 {DOCUMENT_DUE_DAYS} 日内。"
    )


class RequestForm(StyledForm):
    title = forms.CharField(label="标题", max_length=TITLE_LIMIT)
    instructions = forms.CharField(
        label="提供要求",
        max_length=INSTRUCTIONS_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：复制件请加盖单位公章；原件调阅后当场归还。写入调阅资料通知。",
    )
    due_on = forms.DateField(label="提供期限")


class ItemForm(StyledForm):
    what = forms.CharField(label="资料名称", max_length=WHAT_LIMIT)
    period = forms.CharField(
        label="时间范围", max_length=PERIOD_LIMIT, required=False, help_text="如：2023年1月以来；现行有效。"
    )
    mode = forms.ChoiceField(label="方式", choices=ItemMode.choices, initial=ItemMode.VIEW)
    due_on = forms.DateField(label="提供期限", required=False, help_text="不填则为清单的期限。")
    notes = forms.CharField(
        label="说明", max_length=NOTES_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(StyledForm):
    attachments = MultipleFileField(
        label="资料文件",
        required=False,
        help_text=f"可多选，每次最多 {MAX_FILES} 个，每个不超过 {MAX_BYTES // 2**20} MB；允许 {ALLOWED}。",
    )
    answer = forms.CharField(
        label="答复",
        max_length=ANSWER_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：无此类资料；已现场提供原件，请到××室查阅。",
    )


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label="退回理由",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明缺少或需要补充的资料。",
    )


class RequestFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *RequestStatus.choices])
    overdue = forms.ChoiceField(
        label="逾期", required=False, choices=[("", "全部"), (YES, "有逾期事项"), (NO, "无逾期事项")]
    )
