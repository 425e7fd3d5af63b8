"""Forms of the petition list's batch actions (intake.batch)."""

from django import forms

from xuncha.core.forms import StyledForm

from ..actions.handling import CONCLUSION_LIMIT
from ..actions.triage import NOTE_LIMIT
from ..batch import FILE_REASONS


class ConcludeBatchForm(StyledForm):
    conclusion = forms.CharField(
        label="办结情况",
        max_length=CONCLUSION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="同一办结情况记入所选各件。",
    )


class FileBatchForm(StyledForm):
    scope_reason = forms.ChoiceField(
        label="不属于受理范围的依据", choices=[(r.value, r.label) for r in FILE_REASONS]
    )
    note = forms.CharField(
        label="分拣说明",
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="存查须说明为何不予受理也不转交；同一说明记入所选各件。",
    )
