"""Forms of the duplicates pages: which petitions to confirm as one matter, which inspection to list."""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.rounds.models import Inspection

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

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = Petition.objects.visible_to(user).select_related(  # type: ignore[attr-defined]
            "inspection__round"
        )


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
