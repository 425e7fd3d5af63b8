"""Forms of the duplicates pages: which petitions to confirm as one matter (with why), which petition to
group with the page's one by its number, which inspection to list."""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from ..actions.duplicates import MAX_REASON, NOT_VISIBLE
from ..models import Petition


class PetitionsField(forms.ModelMultipleChoiceField):
    """Petitions by id; anything that is not an id is refused like an id out of sight."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                uuid.UUID(str(pk))
            except ValueError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value"
                ) from None
        return super().clean(value)


class ConfirmForm(forms.Form):
    """The petitions confirmed as the same matter as the page's one; only petitions in the user's sight
    are choices, so another team's id is refused exactly like a missing one."""

    others = PetitionsField(
        Petition.objects.none(),
        error_messages={
            "required": "请选择与本件反映同一事项的信访件。",
            "invalid_choice": "信访件不存在或无权访问。",
            "invalid_pk_value": "信访件不存在或无权访问。",
            "invalid_list": "请选择与本件反映同一事项的信访件。",
        },
    )

    reason = forms.CharField(required=False, max_length=MAX_REASON, strip=True)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = Petition.objects.visible_to(user).select_related(  # type: ignore[attr-defined]
            "inspection__round"
        )


class GroupForm(StyledForm):
    """归为一组 by hand: the other petition by its number, and why. A number the user does not see is
    refused exactly like a number that does not exist."""

    number = forms.CharField(
        label="另一件的编号",
        max_length=40,
        help_text="如 01-003-0012。",
        error_messages={"required": "请填写另一件的编号。"},
    )
    reason = forms.CharField(
        label="理由",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="为什么两件反映同一事项（如：同一来电人补充反映）。",
        error_messages={"required": "请说明理由。"},
    )

    def __init__(self, *args: Any, user: User, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.petition = petition

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        found = list(
            Petition.objects.visible_to(self.user)
            .filter(number=number)
            .select_related("inspection__round", "inspection__team", "inspection__unit")
        )
        # Numbers are unique within an inspection: prefer the page's inspection, then its committee.
        committee_id = self.petition.inspection.round.committee_id
        for narrowed in (
            [p for p in found if p.inspection_id == self.petition.inspection_id],
            [p for p in found if p.inspection.round.committee_id == committee_id],
            found,
        ):
            if narrowed:
                found = narrowed
                break
        if len(found) != 1:
            raise ValidationError(
                NOT_VISIBLE if not found else "该编号对应多件信访件，请在其中一件的页面上操作。"
            )
        if found[0].pk == self.petition.pk:
            raise ValidationError("不能将信访件与其自身归为一组。")
        self.other = found[0]
        return number


class DuplicateFilterForm(StyledForm):
    inspection = forms.ModelChoiceField(
        Inspection.objects.none(), label="巡察", required=False, empty_label="全部巡察"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = (  # type: ignore[attr-defined]
            Inspection.objects.visible_to(user).select_related("round", "team", "unit")
        )

    def chosen(self) -> Inspection | None:
        """The chosen inspection, or None (no choice, or a value not among the choices: shown on the form)."""
        if not self.is_valid():
            return None
        chosen: Inspection | None = self.cleaned_data.get("inspection")
        return chosen
