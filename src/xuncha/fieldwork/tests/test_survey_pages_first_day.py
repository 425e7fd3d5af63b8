"""What a first day shows on the survey pages: the options are tappable tiles with real radio buttons (a
radio styled as a text box rendered as a blank pill on a phone), and a member is told the leader opens a
survey instead of being asked to open it."""

from django import forms
from django.test import Client
from django.urls import reverse

from xuncha.fieldwork.forms.surveys import AnswerForm
from xuncha.fieldwork.models import Survey

from .test_surveys import leadership


def test_options_are_radio_buttons_in_tiles_not_text_boxes(world):
    survey, [code] = leadership(world, tokens=1)
    choices = [f for f in AnswerForm(survey).fields.values() if isinstance(f.widget, forms.RadioSelect)]
    assert choices and all(f.widget.attrs["class"] == "form-check-input" for f in choices)
    html = Client().post("/survey/", {"token": code}).content.decode()
    assert html.count('class="choice-tile"') >= 4 and 'type="radio" name="q' in html


def test_a_member_is_told_the_leader_opens_the_survey(world, client_for):
    member, leader = client_for("t1_member"), client_for("t1_leader")
    data = {"kind": "leadership", "distribution": "cards"}
    created = member.post(reverse("fieldwork:survey-list", args=[world.inspection1.pk]), data, follow=True)
    assert "测评由组长发起" in created.content.decode() and "后开始测评" not in created.content.decode()
    detail = reverse("fieldwork:survey-detail", args=[Survey.objects.get(inspection=world.inspection1).pk])
    member_page, leader_page = member.get(detail).content.decode(), leader.get(detail).content.decode()
    assert "测评由组长发起" in member_page and "开始测评</a>" not in member_page
    assert "开始测评</a>" in leader_page and "测评由组长发起" not in leader_page
