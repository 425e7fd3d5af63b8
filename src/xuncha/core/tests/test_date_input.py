"""Dates are entered and shown as YYYY-MM-DD, and dates with a time as YYYY-MM-DD HH:MM, whatever the
browser's locale: every date field of a styled form gets core.forms.IsoDateInput and every date-and-time
field IsoDateTimeInput (text inputs, not ``type=date`` or ``datetime-local``), whatever widget the form
declared."""

import datetime
import zoneinfo

import pytest
from django import forms

from xuncha.core.forms import IsoDateInput, IsoDateTimeInput, IsoTimeInput, StyledForm
from xuncha.fieldwork.forms.activities import ActivityForm
from xuncha.fieldwork.forms.interviews import ScheduleForm
from xuncha.fieldwork.forms.notices import NoticeForm
from xuncha.intake.forms.announcements import AnnouncementForm
from xuncha.intake.forms.appointments import OfferForm
from xuncha.intake.forms.petitions import BoxOpeningForm, PetitionForm
from xuncha.rounds.forms import MobilisationMeetingForm, RoundForm, RoundMeetingForm


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
    assert isinstance(form.fields["moment"].widget, IsoDateTimeInput)  # date and time: its own widget
    assert not isinstance(form.fields["moment"].widget, IsoDateInput)


def test_typed_dates_are_read_and_a_refused_form_shows_them_back_unchanged():
    form = Example(data={"declared": "2026-12-7", "plain": "2026-13-01"})
    assert not form.is_valid()
    assert form.cleaned_data["declared"] == datetime.date(2026, 12, 7)
    assert 'value="2026-13-01"' in str(form["plain"])


def test_a_project_form_renders_its_dates_this_way(world):
    html = str(RoundForm(user=world.users["office"])["planned_start"])
    assert 'type="text"' in html and 'pattern="\\d{4}-\\d{1,2}-\\d{1,2}"' in html


def test_a_date_and_time_is_a_text_input_shown_in_the_server_time_zone_with_the_picker_button():
    utc = datetime.datetime(2026, 12, 7, 1, 30, 59, 123, tzinfo=datetime.UTC)  # 09:30 in Shanghai
    html = str(Example(initial={"declared": datetime.date(2026, 12, 7), "moment": utc})["moment"])
    assert 'type="text"' in html and 'value="2026-12-07 09:30"' in html
    assert 'placeholder="YYYY-MM-DD HH:MM"' in html and "年-月-日 时:分" in html
    assert html.count('type="datetime-local"') == 1 and 'type="datetime-local" class="iso-date-proxy"' in html
    assert html.count("<input") == 2 and "data-date-picker" in html and "选择日期和时间" in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-07 09:30", datetime.datetime(2026, 12, 7, 9, 30)),
        ("2026-12-7 9:05", datetime.datetime(2026, 12, 7, 9, 5)),
        ("2026-12-07T09:30", datetime.datetime(2026, 12, 7, 9, 30)),  # what a datetime-local input sent
        ("2026-12-07 09:30:15", datetime.datetime(2026, 12, 7, 9, 30, 15)),
    ],
)
def test_typed_dates_and_times_are_read_in_the_server_time_zone(typed, expected):
    form = Example(data={"declared": "2026-12-07", "moment": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["moment"] == expected.replace(tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_a_bad_date_and_time_is_a_chinese_message_and_is_shown_back_unchanged():
    form = MobilisationMeetingForm(data={"held_at": "2026-12-07 25:61"})
    assert not form.is_valid()
    assert form.errors["held_at"] == ["请输入有效的日期和时间，例如 2026-05-01 09:30。"]
    html = str(form["held_at"])
    assert 'value="2026-12-07 25:61"' in html and "is-invalid" in html


@pytest.mark.parametrize(
    ("form", "names"),
    [
        (lambda w: MobilisationMeetingForm(), ["held_at"]),
        (lambda w: RoundMeetingForm(), ["held_at"]),
        (lambda w: AnnouncementForm(), ["window_starts_at", "window_ends_at"]),
        (lambda w: OfferForm(), ["starts_at"]),
        (lambda w: PetitionForm(announcement=None), ["received_at"]),
        (lambda w: BoxOpeningForm(), ["opened_at"]),
        (lambda w: ScheduleForm(inspection=w.inspection1), ["starts_at", "ends_at"]),
        (lambda w: ActivityForm(inspection=w.inspection1), ["starts_at", "ends_at"]),
        (lambda w: NoticeForm(), ["starts_at"]),
    ],
)
def test_every_date_and_time_field_of_the_project_is_typed_this_way(world, form, names):
    made = form(world)
    moments = [name for name, field in made.fields.items() if isinstance(field, forms.DateTimeField)]
    assert moments == names
    for name in names:
        html = str(made[name])
        assert 'type="text"' in html and 'placeholder="YYYY-MM-DD HH:MM"' in html, name
        assert 'type="datetime-local" class="iso-date-proxy"' in html, name


def test_a_time_of_day_is_typed_and_shown_as_24_hour_hh_mm_with_the_picker_button():
    form = AnnouncementForm(initial={"duty_starts": datetime.time(8, 30)})
    assert isinstance(form.fields["duty_starts"].widget, IsoTimeInput)
    html = str(form["duty_starts"])
    assert 'type="text"' in html and 'value="08:30"' in html and 'placeholder="HH:MM"' in html
    assert 'type="time" class="iso-date-proxy"' in html and "选择时间" in html
    typed = AnnouncementForm(data={"duty_starts": "8:05", "duty_ends": "20:61"})
    assert not typed.is_valid()
    assert typed.cleaned_data["duty_starts"] == datetime.time(8, 5)
    assert typed.errors["duty_ends"] == ["请输入有效的时间，例如 08:30。"]
    assert 'value="20:61"' in str(typed["duty_ends"])
