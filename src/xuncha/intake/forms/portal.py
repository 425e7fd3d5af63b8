"""Forms of the public portal: the submission, the receipt lookup and the reporter's reply.

They collect input only; the actions clean and check it (Chinese messages on the field at fault).
"""

from django import forms

from xuncha.core.files import ALLOWED, MAX_BYTES, MAX_FILES, Upload
from xuncha.core.forms import MultipleFileField, StyledForm, uploads

from ..actions.petitions import PetitionInput

ANONYMOUS_CHOICES = [("1", "匿名反映"), ("0", "实名反映（姓名和联系方式加密保存，严格保密）")]
FILES_HELP = (
    f"可选。最多 {MAX_FILES} 个，每个不超过 {MAX_BYTES // 1024 // 1024} MB；允许 {ALLOWED}。"
    "图片中的拍摄地点等信息会被清除。"
)


def _yes(value: str) -> bool:
    return value == "1"


class PublicPetitionForm(StyledForm):
    anonymous = forms.TypedChoiceField(
        label="反映方式",
        choices=ANONYMOUS_CHOICES,
        coerce=_yes,
        initial="1",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reporter_name = forms.CharField(
        label="您的姓名",
        required=False,
        help_text="实名反映时填写。选择匿名反映时，姓名、电话和身份证号都不会保存。",
    )
    reporter_phone = forms.CharField(label="联系电话", required=False)
    reporter_id_number = forms.CharField(label="身份证号（可不填）", required=False)
    subject_name = forms.CharField(label="被反映人姓名", required=False)
    subject_post = forms.CharField(label="被反映人单位职务", required=False)
    content = forms.CharField(
        label="反映的问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="请写明时间、地点、人物和具体事实，以便核实。",
    )
    attachments = MultipleFileField(label="附件（证据材料）", required=False, help_text=FILES_HELP)
    about_inspectors = forms.BooleanField(
        label="反映的是巡察组或巡察干部的问题",
        required=False,
        help_text="勾选后由巡察办直接受理，巡察组看不到。",
    )

    def petition_input(self) -> PetitionInput:
        data = self.cleaned_data
        return PetitionInput(
            content=data["content"],
            anonymous=data["anonymous"] is not False,  # not chosen: anonymous, the safe side
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            reporter_id_number=data["reporter_id_number"],
            subject_name=data["subject_name"],
            subject_post=data["subject_post"],
            about_inspectors=data["about_inspectors"],
            files=uploads(data["attachments"]),
        )


class LookupForm(StyledForm):
    receipt = forms.CharField(
        label="查询码",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text="提交时页面显示的查询码，例如 K7Q2M9-XP4R8T-……（不区分大小写，短横线可不输入）。",
    )


class ReplyForm(StyledForm):
    text = forms.CharField(label="答复或补充内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="补充材料（附件）", required=False, help_text=FILES_HELP)

    def uploads(self) -> list[Upload]:
        return uploads(self.cleaned_data["attachments"])
