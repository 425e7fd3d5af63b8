"""Publication (双公开) in the demo: ``office`` publishes the rectification of last year's first team's
inspection (the development and reform commission, in 整改): the tasks on the problem fed back to the unit,
each in the office's public wording, and a summary. The task on the problem fed back to the principal leader
is exempt: the editor shows it with its reason and it is not published. Run after build_rectification.

The public page is then at /portal/gongkai/<public_id>/ (listed at /portal/gongkai/).
"""

from typing import TYPE_CHECKING

from xuncha.rectification import publication as rules
from xuncha.rectification.actions import publication as actions
from xuncha.rectification.models import Item, Publication
from xuncha.rounds.models import Inspection

from .data import CITY

if TYPE_CHECKING:
    from .build import World

# The office's public wording of the demo's tasks (demo/rectification.py), by their measure.
WORDING = {
    "对5个未批先建项目逐一补办手续，依法依规处理。": "对未批先建的投资项目逐一补办审批手续，依法依规处理。",
    "对未批先建项目的审批责任人严肃问责。": "对项目审批中失职失责的问题依规依纪追责问责。",
    "立即修订《固定资产投资项目审批管理办法》。": "修订固定资产投资项目审批管理制度，堵塞制度漏洞。",
    "建立项目审批全流程监管长效机制。": "建设项目审批全流程电子监管平台，建立长效监管机制。",
}
SUMMARY = (
    "根据市委统一部署，市委第一巡察组对市发展和改革委员会党组开展了常规巡察，并反馈了巡察意见。"
    "市发展和改革委员会党组坚持把巡察整改作为重要政治任务，党组书记履行第一责任人职责，"
    "建立问题、任务、责任三张清单，逐项对账销号。现将整改进展情况予以公布。"
    "欢迎社会各界对巡察整改落实情况进行监督。"
)


def build_publication(w: "World") -> Publication:
    # Read afresh, as build_rectification does (a county's round one has a 第一巡察组 too, so not by the
    # w.inspections key alone): the stage moved on through other copies (demo/reports.py).
    inspection = Inspection.objects.select_related("round__committee", "unit", "team").get(
        round__committee=w.committees[CITY], round__number=1, team__name="第一巡察组"
    )
    found = Item.objects.active().filter(inspection=inspection).select_related("problem__feedback")
    tasks = list(found.order_by("number"))
    exempt = rules.exemptions(tasks)
    entries = [(t, WORDING.get(t.measure, t.measure)) for t in tasks if t.pk not in exempt]
    office = w.users["office"]
    draft = actions.save_draft(
        inspection,
        title=f"关于{inspection.unit.name}巡察整改进展情况的通报",
        summary=SUMMARY,
        entries=entries,
        by=office,
    )
    return actions.publish(draft, by=office)
