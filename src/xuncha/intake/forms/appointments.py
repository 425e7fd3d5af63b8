"""Forms of face-to-face appointments (预约面谈): the team's offer of a time and its record of the meeting,
and the portal's booking. They collect input; the actions clean and check it (Chinese messages on the
field at fault)."""

from django import forms

from xuncha.core.forms import BAD_DATETIME, StyledForm


class OfferForm(StyledForm):
    starts_at = forms.DateTimeField(label="面谈时间", error_messages={"invalid": BAD_DATETIME})
    place = forms.CharField(
        label="面谈地点", max_length=200, help_text="例如：巡察组驻点办公室（局机关三楼）"
    )


class RecordForm(StyledForm):
    held = forms.TypedChoiceField(
        label="面谈情况",
        choices=[("1", "已面谈"), ("0", "预约人未到")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label="面谈记录摘要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="已面谈的须填写；反映的问题请另行登记为来访信访件。",
    )


class BookForm(StyledForm):
    appointment = forms.UUIDField(widget=forms.HiddenInput, error_messages={"invalid": "请选择面谈时间。"})
    name = forms.CharField(label="您的姓名", required=False)
    phone = forms.CharField(label="联系电话", required=False, help_text="巡察组如需调整时间，将电话联系您。")
    topic = forms.CharField(
        label="反映事项概要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="简要说明想当面反映的问题。姓名、电话和概要加密保存，严格保密。",
    )
