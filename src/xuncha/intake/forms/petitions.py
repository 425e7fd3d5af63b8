"""Forms of the petition pages: the list's filters (applied by ``listing.filter_petitions``, as for the
export and the API), staff entry by channel, box openings and their items, and concluding. They collect
input; the actions check and save."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.files import MAX_BYTES, MAX_FILES
from xuncha.core.forms import BAD_DATETIME, MultipleFileField, StyledForm, uploads
from xuncha.core.models import User
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..actions.petitions import PetitionInput
from ..choices import Channel, Scope, Status
from ..listing import check_dates, filter_petitions, petition_inspections
from ..models import Announcement, PetitionQuerySet

BAD_DATE = "请输入有效的日期，例如 2026-05-01。"
QUERY_LIMIT = 100


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.scheme.name}：{obj.code} {obj.name}"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name} {obj.post}）"


def _choice_errors(what: str) -> dict[str, str]:
    return {"invalid_choice": f"所选{what}不存在或无权查看。"}


class PetitionFilterForm(StyledForm):
    q = forms.CharField(label="关键词", required=False, max_length=QUERY_LIMIT)
    inspection = forms.ModelChoiceField(
        Inspection.objects.none(),
        label="巡察",
        required=False,
        empty_label="全部巡察",
        error_messages=_choice_errors("巡察"),
    )
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部渠道"), *Channel.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Status.choices])
    scope = forms.ChoiceField(label="受理范围", required=False, choices=[("", "全部"), *Scope.choices])
    category = CategoryChoice(
        Category.objects.none(),
        label="问题类别",
        required=False,
        empty_label="全部类别",
        error_messages=_choice_errors("类别"),
    )
    person = PersonChoice(
        Person.objects.none(),
        label="被反映人",
        required=False,
        empty_label="全部人员",
        error_messages=_choice_errors("人员"),
    )
    received_from = forms.DateField(label="收到日期自", required=False, error_messages={"invalid": BAD_DATE})
    received_to = forms.DateField(label="至", required=False, error_messages={"invalid": BAD_DATE})
    important = forms.BooleanField(label="仅看重要问题（须及时约谈）", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inspections = petition_inspections(user).select_related("team", "unit")
        self.fields["inspection"].queryset = inspections  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            scheme__kind__in=(SchemeKind.DISCIPLINE, SchemeKind.FOCUS), scheme__is_default=True
        ).select_related("scheme")
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.visible_to(user)
            .filter(unit__in=inspections.values("unit_id"))
            .select_related("unit")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("received_from"), data.get("received_to")
        # Each date on its own first, so that both can be shown wrong at once.
        for dates in (
            {"received_from": since},
            {"received_to": until},
            {"received_from": since, "received_to": until},
        ):
            try:
                check_dates(**dates)
            except Refused as refused:
                if refused.field not in self.errors:
                    self.add_error(refused.field, refused.message)
        return data

    def lookups(self) -> dict[str, Any]:
        """The valid filters as ``filter_petitions`` takes them; an invalid one is shown on the form and
        otherwise left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        found: dict[str, Any] = {}
        for name in ("inspection", "category", "person"):
            if data.get(name) is not None:
                found[name] = data[name].pk
        for name in ("channel", "status", "scope", "q"):
            if data.get(name):
                found[name] = data[name]
        for name in ("received_from", "received_to"):
            if data.get(name) and name not in self.errors:
                found[name] = data[name]
        if data.get("important"):
            found["important"] = True
        return found

    def filter(self, petitions: PetitionQuerySet) -> PetitionQuerySet:
        return filter_petitions(petitions, **self.lookups())


ANONYMOUS_CHOICES = [("1", "匿名"), ("0", "实名（身份信息加密保存）")]


def _yes(value: str) -> bool:
    return value == "1"


class PetitionContentForm(StyledForm):
    """Who reports (anonymous or named) and what about: the fields of every channel."""

    anonymous = forms.TypedChoiceField(label="反映人", choices=ANONYMOUS_CHOICES, coerce=_yes, initial="1")
    reporter_name = forms.CharField(label="反映人姓名", required=False)
    reporter_phone = forms.CharField(label="联系电话", required=False)
    reporter_id_number = forms.CharField(label="身份证号", required=False)
    reporter_contact = forms.CharField(label="其他联系方式", required=False)
    subject_name = forms.CharField(label="被反映人姓名", required=False)
    subject_post = forms.CharField(label="被反映人职务", required=False)
    title = forms.CharField(label="标题", required=False)
    content = forms.CharField(label="反映内容", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    about_inspectors = forms.BooleanField(
        label="反映巡察组或巡察干部（转巡察办，本组不可查看）", required=False
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=f"最多 {MAX_FILES} 个，每个不超过 {MAX_BYTES // 2**20} MB",
    )

    def petition_input(self, **extra: Any) -> PetitionInput:
        data = self.cleaned_data
        return PetitionInput(
            content=data["content"],
            anonymous=data["anonymous"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            reporter_id_number=data["reporter_id_number"],
            reporter_contact=data["reporter_contact"],
            subject_name=data["subject_name"],
            subject_post=data["subject_post"],
            title=data["title"],
            about_inspectors=data["about_inspectors"],
            files=uploads(data["attachments"]),
            **extra,
        )


STAFF_ENTRY_CHANNELS = [
    (c.value, c.label) for c in (Channel.LETTER, Channel.PHONE, Channel.VISIT, Channel.EMAIL)
]
DUTY_CHOICES = [("", "—（非来电）"), ("1", "值班时间内"), ("0", "值班时间外")]


def _duty(value: str) -> bool:
    return value == "1"


def in_duty_hours(announcement: Announcement | None, at: datetime.datetime) -> bool | None:
    """Whether a call at ``at`` came within the announcement's daily duty hours (None when not set)."""
    if announcement is None or announcement.duty_starts is None or announcement.duty_ends is None:
        return None
    moment = timezone.localtime(at).time()
    starts, ends = announcement.duty_starts, announcement.duty_ends
    if starts <= ends:
        return starts <= moment < ends
    return moment >= starts or moment < ends  # a night duty past midnight


class PetitionForm(PetitionContentForm):
    """Staff entry of a letter, call, visit or email (box items are entered under their opening)."""

    field_order = ["channel", "received_at", "in_duty_hours"]

    channel = forms.ChoiceField(label="渠道", choices=STAFF_ENTRY_CHANNELS)
    received_at = forms.DateTimeField(
        label="收到时间（来电时间）",
        required=False,
        help_text="不填写则为当前时间",
        error_messages={"invalid": BAD_DATETIME},
    )
    in_duty_hours = forms.TypedChoiceField(
        label="来电时段", choices=DUTY_CHOICES, coerce=_duty, empty_value=None, required=False
    )

    def __init__(self, *args: Any, announcement: Announcement | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if announcement is not None and announcement.duty_hours:
            self.fields["in_duty_hours"].help_text = f"仅来电填写。公告的值班时间：{announcement.duty_hours}"
        else:
            self.fields["in_duty_hours"].help_text = "仅来电填写。"

    def to_input(self) -> PetitionInput:
        data = self.cleaned_data
        return self.petition_input(
            channel=data["channel"],
            received_at=data["received_at"],
            in_duty_hours=data["in_duty_hours"] if data["channel"] == Channel.PHONE else None,
        )


class BoxOpeningForm(StyledForm):
    opened_at = forms.DateTimeField(
        label="开箱时间",
        error_messages={"required": "请填写开箱时间。", "invalid": BAD_DATETIME},
    )
    place = forms.CharField(label="开箱地点", required=False)
    witness_1 = forms.CharField(label="见证人一", required=False)
    witness_2 = forms.CharField(label="见证人二", required=False)


class ConcludeForm(StyledForm):
    conclusion = forms.CharField(label="办结情况", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    confirm = forms.BooleanField(
        label="我已核对，确认办结该件", error_messages={"required": "请勾选确认后再办结。"}
    )
