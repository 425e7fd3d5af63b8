"""The demo's information requests (demo/preparation.py), issue 16's "Done when" literally: ``jiwei`` answers
an information request with a file, and the team sees it on its preparation page; the office's 了解情况函 for
a team still preparing waits on the receivers' home pages."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.demo.build import World, build
from xuncha.taxonomy import defaults as taxonomy

from ..choices import AnswerStatus, RequestKind
from ..models import InformationAnswer, InformationRequest, Lead
from .support import DOCX_MAGIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    world = build()
    assert verify_chain().ok
    return world


def _client(w: World, persona: str) -> Client:
    client = Client()
    client.force_login(w.users[persona])  # demo mode: no TOTP
    return client


@override_settings(XUNCHA_DEMO=True)
def test_jiwei_answers_with_a_file_and_the_team_sees_it_on_its_preparation_page(w: World) -> None:
    first = w.inspections["2:第一巡察组"]
    request = InformationRequest.objects.get(inspection=first)
    assert request.kind == RequestKind.ASSISTANCE and request.created_by == w.users["t1_leader"]
    answer = InformationAnswer.objects.get(recipient__request=request)
    assert answer.answered_by == w.users["jiwei"] and answer.recipient.department.name == "市纪委监委"
    file = answer.files.get()
    assert file.filename.endswith(".docx") and file.read().startswith(DOCX_MAGIC)
    lead = Lead.objects.get(inspection=first)
    assert lead.answer == answer and lead.created_by == w.users["t1_member"]
    # 市审计局 has not answered yet.
    assert list(request.recipients.values_list("department__name", "status").order_by("department_id")) == [
        ("市纪委监委", AnswerStatus.ANSWERED),
        ("市审计局", AnswerStatus.PENDING),
    ]

    page = _client(w, "t1_member").get(f"/preparation/inspections/{first.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "国库支付中心违规审批拨付专项资金" in text  # the answer's text
    assert f"/preparation/files/{file.pk}/" in text and file.filename in text
    assert lead.number in text and "市审计局" in text
    download = _client(w, "t1_leader").get(f"/preparation/files/{file.pk}/")
    assert download.status_code == 200 and download.content.startswith(DOCX_MAGIC)
    # The inspection's page links to it; the team's home page shows the new answer.
    assert f"/preparation/inspections/{first.pk}/" in (
        _client(w, "t1_leader").get(f"/rounds/inspections/{first.pk}/").content.decode()
    )
    assert "有关部门的新答复" in _client(w, "t1_leader").get("/").content.decode()
    # The unit's liaison sees the inspection but not what the departments said about it.
    assert _client(w, "liaison1").get(f"/preparation/inspections/{first.pk}/").status_code == 403


@override_settings(XUNCHA_DEMO=True)
def test_the_office_s_preparation_letter_waits_on_the_receivers_home_pages(w: World) -> None:
    third = w.inspections["2:第三巡察组"]
    request = InformationRequest.objects.get(inspection=third)
    assert request.kind == RequestKind.PREPARATION and request.created_by == w.users["office"]
    assert set(request.recipients.values_list("department__name", flat=True)) == {
        "市纪委监委",
        "市委组织部",
        "市审计局",
        "市信访局",
    }
    for persona in ("jiwei", "zuzhibu"):
        home = _client(w, persona).get("/").content.decode()
        assert "待答复的了解情况函" in home and f"{request.letter}第{request.number}号" in home, persona
    # 组织部 sees the office's letter but not the team's letter to the others.
    listed = _client(w, "zuzhibu").get("/preparation/").content.decode()
    assert "巡前了解市市场监督管理局有关情况" in listed and "提请协助提供市财政局" not in listed
