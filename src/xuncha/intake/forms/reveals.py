"""Forms of identity reveals: the request (a reason) and the custodian's decision (a note)."""

from django import forms

from xuncha.core.forms import StyledForm

from ..actions.reveals import NOTE_LIMIT, REASON_LIMIT, REASON_MIN

APPROVE, REFUSE = "approve", "refuse"


class RevealRequestForm(StyledForm):
    reason = forms.CharField(
        label="申请理由",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            f"说明为何需要知道反映人身份（至少 {REASON_MIN} 个字）。"
            "申请由身份信息保管人审批，并记入审计日志。"
        ),
    )


class RevealDecisionForm(StyledForm):
    # Sent by the button pressed (批准查看 / 不予批准), not rendered as a field.
    decision = forms.ChoiceField(label="审批结果", choices=[(APPROVE, "批准查看"), (REFUSE, "不予批准")])
    note = forms.CharField(
        label="审批意见",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予批准时须说明理由，申请人将看到该意见。",
    )
