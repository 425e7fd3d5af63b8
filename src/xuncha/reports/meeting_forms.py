"""The form of the 书记专题会: the meeting, and per inspection that may be heard a decision with the
feedback points, the clue instructions and other remarks."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from .actions import NOTE_LIMIT, SHORT_LIMIT, TEXT_LIMIT
from .choices import MeetingOutcome
from .meeting import MeetingInput, MeetingItem

DATE = forms.DateInput(attrs={"type": "date"})


class AttendeeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


def _text(label: str, rows: int, limit: int = TEXT_LIMIT, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=kwargs.pop("required", False),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class SecretaryMeetingForm(StyledForm):
    held_on = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="会议地点", max_length=SHORT_LIMIT)
    chair = forms.CharField(label="主持人", max_length=SHORT_LIMIT, help_text="如：市委书记 王某某")
    attendees = AttendeeChoices(
        User.objects.none(),
        label="出席人员（本级巡察工作领导小组、巡察办）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = _text(
        "其他出席、列席人员", 2, NOTE_LIMIT, help_text="不在上列名单中的，每行一人或一类。"
    )
    secretary_opinions = _text("书记意见", 6, required=True)
    member_opinions = _text("与会同志意见", 4)

    def __init__(
        self, *args: Any, attendees: QuerySet[User], inspections: list[Inspection], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendees  # type: ignore[attr-defined]
        self.inspections = inspections
        choices = [("", "本次不听取"), *MeetingOutcome.choices]
        for inspection in inspections:
            name = f"{inspection.team.name}巡察{inspection.unit.name}"
            self.fields[f"outcome_{inspection.pk}"] = forms.ChoiceField(
                label=f"{name}：决定", choices=choices, required=False
            )
            self.fields[f"points_{inspection.pk}"] = _text("反馈意见要点", 3)
            self.fields[f"clues_{inspection.pk}"] = _text("问题线索移交意见", 2)
            self.fields[f"remarks_{inspection.pk}"] = _text(
                "其他意见和补充要求", 2, help_text="“要求补充完善”须写明补充要求。"
            )
        self.style_widgets()

    def meeting_input(self) -> MeetingInput:
        data = self.cleaned_data
        return MeetingInput(
            held_on=data["held_on"],
            place=data["place"],
            chair=data["chair"],
            secretary_opinions=data["secretary_opinions"],
            member_opinions=data["member_opinions"],
            other_attendees=data["other_attendees"],
            attendees=list(data["attendees"]),
        )

    def items(self) -> list[MeetingItem]:
        data = self.cleaned_data
        return [
            MeetingItem(
                inspection,
                data[f"outcome_{inspection.pk}"],
                data[f"points_{inspection.pk}"],
                data[f"clues_{inspection.pk}"],
                data[f"remarks_{inspection.pk}"],
            )
            for inspection in self.inspections
            if data.get(f"outcome_{inspection.pk}")
        ]
