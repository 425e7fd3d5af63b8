"""Dates are entered and shown as YYYY-MM-DD whatever the browser's locale: every date field of a styled
form gets core.forms.IsoDateInput (a text input, not ``type=date``), whatever widget the form declared."""

import datetime

from django import forms

from xuncha.core.forms import IsoDateInput, StyledForm
from xuncha.rounds.forms import RoundForm


class Example(StyledForm):
    declared = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "class": "form-control-sm"}))
    plain = forms.DateField(required=False)
    moment = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def test_every_date_field_is_a_text_input_in_iso_form_with_the_calendar_button():
    form = Example(initial={"declared": datetime.date(2026, 12, 7)})
    assert all(isinstance(form.fields[n].widget, IsoDateInput) for n in ("declared", "plain"))
    html = str(form["declared"])
    assert 'type="text"' in html and 'value="2026-12-07"' in html and 'placeholder="YYYY-MM-DD"' in html
    assert html.count('type="date"') == 1 and 'type="date" class="iso-date-proxy"' in html  # the proxy only
    assert 'name="declared"' in html and html.count("<input") == 2 and "data-date-picker" in html
    assert "form-control-sm" in html  # the form's own attributes are kept
    assert not isinstance(form.fields["moment"].widget, IsoDateInput)  # date and time: not this widget


def test_typed_dates_are_read_and_a_refused_form_shows_them_back_unchanged():
    form = Example(data={"declared": "2026-12-7", "plain": "2026-13-01"})
    assert not form.is_valid()
    assert form.cleaned_data["declared"] == datetime.date(2026, 12, 7)
    assert 'value="2026-13-01"' in str(form["plain"])


def test_a_project_form_renders_its_dates_this_way(world):
    html = str(RoundForm(user=world.users["office"])["planned_start"])
    assert 'type="text"' in html and 'pattern="\\d{4}-\\d{1,2}-\\d{1,2}"' in html
