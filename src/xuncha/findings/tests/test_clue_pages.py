"""Pages of clues: the form from a finding (bad input on its field), the list with filters, the clue's page
(an audited read), the confirmations of submit, approvals and transfer, the receiver's pages (sign,
dispose, report back, the letter) and what each persona reaches, and the home panels."""

import io
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from docx import Document

from xuncha.core.models import AuditEvent

from ..choices import ClueStatus, ClueTransferStatus
from ..models import Clue, ClueTransfer
from .clue_support import CONTENT, draft_clue, transferred_clue
from .support import draft, setup

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def test_a_clue_goes_from_a_finding_page_to_its_receiver_through_the_pages(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    finding = draft(w)
    member = client_for("t1_member")
    assert "形成问题线索" in member.get(f"/findings/{finding.pk}/").content.decode()
    form = member.get(f"/findings/{finding.pk}/clue/").content.decode()
    assert finding.title in form and "违纪违法问题线索移交纪委监委" in form and "市纪委监委" in form
    assert "高度保密" not in form  # a member may not hide a clue
    data = {"title": "张建国收受礼金", "kind": "discipline", "content": CONTENT}
    response = member.post(f"/findings/{finding.pk}/clue/", data)
    assert response.status_code == 200 and "请选择线索涉及的人员" in response.content.decode()
    assert not Clue.objects.exists()
    response = member.post(f"/findings/{finding.pk}/clue/", {**data, "persons": [w.principal1.pk]})
    clue = Clue.objects.get()
    assert response.status_code == 302 and (clue.finding, clue.department) == (finding, w.jiwei_dept)

    page = member.get(f"/findings/clues/{clue.pk}/").content.decode()
    assert CONTENT in page and "提交审批" in page
    assert AuditEvent.objects.filter(action="clue.content_read", object_id=str(clue.pk)).count() == 1
    assert member.get(f"/findings/clues/{clue.pk}/submit/").status_code == 200  # the confirmation
    member.post(f"/findings/clues/{clue.pk}/submit/")
    leader, office = client_for("t1_leader"), client_for("office")
    assert "待我审批的问题线索" in leader.get("/").content.decode()
    leader.post(f"/findings/clues/{clue.pk}/approve/")
    office.post(f"/findings/clues/{clue.pk}/approve/")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.APPROVED
    assert "默认报告结果期限" in office.get(f"/findings/clues/{clue.pk}/transfer/").content.decode()
    response = office.post(f"/findings/clues/{clue.pk}/transfer/", {"due_on": ""})
    transfer = ClueTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/findings/clue-transfers/{transfer.pk}/"

    jiwei = client_for("jiwei")
    assert transfer.letter_number in jiwei.get("/").content.decode()
    assert jiwei.get(f"/findings/clues/{clue.pk}/").status_code == 404  # the transfer, never the clue
    page = jiwei.get(f"/findings/clue-transfers/{transfer.pk}/").content.decode()
    assert CONTENT in page and "张建国（市财政局党组书记、局长）" in page
    jiwei.post(f"/findings/clue-transfers/{transfer.pk}/receive/")
    response = jiwei.post(f"/findings/clue-transfers/{transfer.pk}/dispose/", {"disposal": "bogus"})
    assert response.status_code == 200
    jiwei.post(f"/findings/clue-transfers/{transfer.pk}/dispose/", {"disposal": "talk"})
    jiwei.post(
        f"/findings/clue-transfers/{transfer.pk}/report/",
        {"outcome": "form_1", "result": "经谈话函询，本人如实说明，予以谈话提醒。"},
    )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.disposal, transfer.outcome) == (
        ClueTransferStatus.REPORTED,
        "talk",
        "form_1",
    )
    assert "已报告结果" in member.get(f"/findings/clues/{clue.pk}/").content.decode()

    response = jiwei.get(f"/findings/clue-transfers/{transfer.pk}/letter/")
    document = Document(io.BytesIO(response.content))
    assert "jiwei" in document.sections[0].header.paragraphs[0].text  # watermarked with who downloaded it
    assert transfer.letter_number in "\n".join(p.text for p in document.paragraphs)
    assert AuditEvent.objects.filter(action="clue_transfer.letter_read", actor=w.users["jiwei"]).exists()


def test_who_reaches_a_high_confidentiality_clue(w: SimpleNamespace, client_for: ClientFor) -> None:
    secret = draft_clue(w, "t1_leader", confidential=True)
    missing = "/findings/clues/00000000-0000-0000-0000-000000000000/"
    for persona, status in {
        "t1_leader": 200,
        "office": 200,
        "t1_member": 404,
        "leader": 404,
        "jiwei": 404,
    }.items():
        response = client_for(persona).get(f"/findings/clues/{secret.pk}/")
        assert response.status_code == status, persona
        if status == 404:
            assert client_for(persona).get(missing).status_code == 404
    assert (
        secret.title
        not in client_for("t1_member")
        .get(f"/findings/clues/inspections/{w.inspection1.pk}/")
        .content.decode()
    )


def test_the_list_filters_by_status_kind_and_receiver(w: SimpleNamespace, client_for: ClientFor) -> None:
    draft_clue(w, title="收受礼金")
    draft_clue(w, kind="selection", title="违规提拔")
    draft_clue(w, kind="general", title="会议费管理")
    leader = client_for("t1_leader")
    base = f"/findings/clues/inspections/{w.inspection1.pk}/"

    def titles(query: str) -> set[str]:
        page = leader.get(base + query).content.decode()
        return {t for t in ("收受礼金", "违规提拔", "会议费管理") if t in page}

    assert titles("") == {"收受礼金", "违规提拔", "会议费管理"}
    assert titles("?kind=selection") == {"违规提拔"}
    assert titles(f"?receiver={w.jiwei_dept.pk}") == {"收受礼金"}
    assert titles("?receiver=unit") == {"会议费管理"}
    assert titles("?status=submitted") == set()
    assert leader.get(base + "?status=nonsense&receiver=abc").status_code == 200


def test_the_office_sees_an_overdue_transfer_on_its_home_page(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    transfer = transferred_clue(w)
    ClueTransfer.objects.filter(pk=transfer.pk).update(due_on=transfer.sent_at.date().replace(year=2020))
    page = client_for("office").get("/").content.decode()
    assert "逾期未报告结果的问题线索" in page and transfer.letter_number in page
    listed = client_for("office").get("/findings/clue-transfers/?overdue=yes").content.decode()
    assert transfer.letter_number in listed
    assert (
        transfer.letter_number not in client_for("zuzhibu").get("/findings/clue-transfers/").content.decode()
    )
