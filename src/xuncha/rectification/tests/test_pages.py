"""Pages of rectification: the liaison drafts a plan and its tasks through the forms, the office approves;
progress with an evidence file (the download audited); closure and return with the reason on the page;
the list with filters, the 整改台账 (watermarked, audited) and the report skeleton (.docx, GB/T 9704); the
inspection page's link; 404 for another unit's liaison and another team."""

import io
from collections.abc import Callable
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.tests.pdf import read_back

from ..actions import items
from ..choices import ItemStatus, PlanStatus
from ..models import Item, Plan, Progress
from .support import approved_plan, days, delivered, with_evidence

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return delivered(world)


def test_the_liaison_drafts_the_plan_through_the_pages(w: SimpleNamespace, client_for: ClientFor) -> None:
    liaison, office = client_for("liaison1"), client_for("office")
    page = f"/rectification/inspections/{w.inspection1.pk}/"
    assert "起草整改方案" in liaison.get(page).content.decode()
    assert liaison.post(f"{page}plan/").status_code == 302
    plan = Plan.objects.get()
    form = liaison.get(f"/rectification/plans/{plan.pk}/tasks/add/").content.decode()
    assert "问题01" in form and "问题01 " + w.problem_p.title not in form  # not the principal's problem
    data = {
        "problem": w.problem_b.pk,
        "measure": "建立报销审核制度",
        "kind": "long_term",
        "leader": "王副局长",
        "department": "财务科",
        "milestones": "not-a-date 目标",
    }
    response = liaison.post(f"/rectification/plans/{plan.pk}/tasks/add/", data)
    assert response.status_code == 200 and "请以日期" in response.content.decode()
    data["milestones"] = f"{days(20).isoformat()} 出台制度\n{days(60).isoformat()} 专项检查"
    assert liaison.post(f"/rectification/plans/{plan.pk}/tasks/add/", data).status_code == 302
    item = Item.objects.get()
    assert [m.goal for m in item.milestones.all()] == ["出台制度", "专项检查"]
    submit = liaison.post(f"/rectification/plans/{plan.pk}/submit/", follow=True).content.decode()
    assert "以下反馈问题还没有整改任务：问题01" in submit
    data = {
        **data,
        "problem": w.problem_a.pk,
        "kind": "deadline",
        "due_on": days(30).isoformat(),
        "milestones": "",
    }
    liaison.post(f"/rectification/plans/{plan.pk}/tasks/add/", data)
    liaison.post(f"/rectification/plans/{plan.pk}/submit/")
    assert office.post(f"/rectification/plans/{plan.pk}/return/", {"reason": ""}).status_code == 200
    office.post(f"/rectification/plans/{plan.pk}/return/", {"reason": "时限过长"})
    assert "巡察办退回意见：时限过长" in liaison.get(page).content.decode()
    liaison.post(f"/rectification/plans/{plan.pk}/submit/")
    office.post(f"/rectification/plans/{plan.pk}/approve/", {"note": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert liaison.get(f"/rectification/plans/{plan.pk}/tasks/add/").status_code == 403


def test_progress_closure_and_return_through_the_pages(w: SimpleNamespace, client_for: ClientFor) -> None:
    approved_plan(w)
    liaison, office = client_for("liaison1"), client_for("office")
    url = f"/rectification/items/{w.task_a.pk}/"
    upload = SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    response = liaison.post(f"{url}progress/", {"text": "已清退", "attachments": [upload]})
    assert response.status_code == 302
    evidence = Progress.objects.get().evidence.get()
    liaison.post(f"{url}submit/")
    office.post(f"{url}return/", {"reason": "凭证不清晰"})
    assert "销号申请被退回：凭证不清晰" in liaison.get(url).content.decode()
    refused = liaison.post(f"{url}submit/", follow=True).content.decode()
    assert "请按退回理由报告新的整改进展或补充佐证材料后，再申请销号。" in refused
    liaison.post(f"{url}progress/", {"text": "已补充清晰的清退凭证"})
    liaison.post(f"{url}submit/")
    assert f'href="{url}progress/"' not in liaison.get(url).content.decode()  # nothing changes while verified
    office.post(f"{url}close/", {"note": "核实无误"})
    assert Item.objects.get(pk=w.task_a.pk).status == ItemStatus.CLOSED
    download = office.get(f"/rectification/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 proof"
    assert download["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(
        action="rectification_evidence.downloaded", actor=w.users["office"]
    ).exists()
    first = w.task_b.milestones.get(sequence=1)
    with_evidence(w, w.task_b, milestone=first)
    liaison.post(f"/rectification/items/{w.task_b.pk}/submit/?milestone={first.pk}")
    first.refresh_from_db()
    assert first.status == ItemStatus.SUBMITTED
    close = office.get(f"/rectification/items/{w.task_b.pk}/close/?milestone={first.pk}").content.decode()
    assert "阶段目标1" in close
    office.post(f"/rectification/items/{w.task_b.pk}/close/", {"milestone_id": first.pk})
    first.refresh_from_db()
    assert first.status == ItemStatus.CLOSED


def test_lists_ledger_and_skeleton(w: SimpleNamespace, client_for: ClientFor) -> None:
    approved_plan(w)
    office = client_for("office")
    body = office.get("/rectification/?kind=long_term").content.decode()
    assert "任务02" in body and "任务01" not in body
    ledger = office.get("/rectification/ledger/?kind=deadline")
    assert ledger.status_code == 200 and ledger["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(ledger.streaming_content))).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("导出人：office")
    assert [c.value for c in sheet[3]][2:4] == ["任务01", "整改方案"]
    event = AuditEvent.objects.get(action="rectification.ledger_exported")
    assert event.details["rows"] == 1 and event.details["filters"] == "kind=deadline"
    skeleton = client_for("liaison1").get(f"/rectification/inspections/{w.inspection1.pk}/skeleton/")
    assert skeleton.status_code == 200
    assert layout_problems(skeleton.content) == []
    # Up to the leading group, signed off by the unit's principal, in the name of its 党组.
    assert elements(skeleton.content) == ["发文机关标志", "签发人", "标题"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(skeleton.content)).paragraphs)
    assert "问题01" in text and "任务01（限期整改）" in text and "阶段1：建立报销审核制度" in text
    assert AuditEvent.objects.filter(action="rectification_report.drafted").exists()
    plan = Plan.objects.get()
    document = client_for("liaison1").get(f"/rectification/plans/{plan.pk}/document/")
    assert layout_problems(document.content) == []
    assert elements(document.content) == ["发文机关标志", "标题", "抄送", "印发机关和印发日期"]
    read_back(
        {
            "整改报告": (skeleton.content, ["中共江东市财政局党组", "签发人：张建国"]),
            "整改方案": (document.content, ["中共江东市财政局党组", "抄送：市纪委监委，市委组织部。"]),
        }
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
    assert "一、问题清单、任务清单和责任清单" in text and "任务02（长期坚持）" in text
    assert AuditEvent.objects.filter(action="rectification_plan.read", actor=w.users["liaison1"]).exists()
    assert client_for("jiwei").get("/rectification/").status_code == 403
    inspection_page = client_for("liaison1").get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    assert f"/rectification/inspections/{w.inspection1.pk}/" in inspection_page


def test_another_unit_s_liaison_and_another_team_get_404(w: SimpleNamespace, client_for: ClientFor) -> None:
    approved_plan(w)
    with_evidence(w, w.task_a)
    evidence = Progress.objects.get().evidence.get()
    plan = Plan.objects.get()
    urls = [
        f"/rectification/inspections/{w.inspection1.pk}/",
        f"/rectification/plans/{plan.pk}/edit/",
        f"/rectification/items/{w.task_a.pk}/",
        f"/rectification/items/{w.task_a.pk}/submit/",
        f"/rectification/evidence/{evidence.pk}/",
        f"/api/v1/rectification-items/{w.task_a.pk}",
        f"/api/v1/rectification-plans/{plan.pk}",
    ]
    for persona in ("t2_member", "jiwei", "county_office"):
        client = client_for(persona)
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
    items.add_progress(w.task_a, text="再报一次", by=w.users["liaison1"])


def test_the_team_leader_issues_an_item_through_the_page(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    page = f"/rectification/inspections/{world.inspection1.pk}/"  # in 了解
    leader = client_for("t1_leader")
    assert "下发边巡边改事项" in leader.get(page).content.decode()
    assert "下发边巡边改事项" not in client_for("t1_member").get(page).content.decode()
    data = {"issue": "食堂账目不公开", "measure": "立即公开", "kind": "immediate", "leader": "李局长"}
    response = leader.post(f"{page}issue/", {**data, "department": "", "due_on": days(3).isoformat()})
    assert response.status_code == 200 and not Item.objects.exists()
    response = leader.post(
        f"{page}issue/", {**data, "department": "机关服务中心", "due_on": days(-1).isoformat()}
    )
    assert "完成时限不能早于今天" in response.content.decode()
    leader.post(f"{page}issue/", {**data, "department": "机关服务中心", "due_on": days(3).isoformat()})
    item = Item.objects.get()
    body = client_for("liaison1").get(f"/rectification/items/{item.pk}/").content.decode()
    assert "食堂账目不公开" in body and "报告整改进展" in body
    assert client_for("t2_member").get(f"/rectification/items/{item.pk}/").status_code == 404
