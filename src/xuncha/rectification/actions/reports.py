"""The reports a unit owes after feedback, uploaded by its liaison in 整改 or 评估回访: the plan's signed
text, the rectification report and the party secretary's implementation report. Each upload is kept (the
latest of a kind counts) and the office is told."""

from django.urls import reverse

from xuncha.core.audit import action, record
from xuncha.core.errors import Refused
from xuncha.core.files import FIELD, Upload, check
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.models import Inspection

from ..choices import ReportKind
from ..models import UnitReport
from .common import ITEM_STAGES, in_stage, liaison_roles, lock, office_roles, tell

AUDIT_ACTIONS = {
    "rectification_report.uploaded": "上传整改报告",
    "rectification_report.downloaded": "下载整改报告",
    "rectification_report.drafted": "生成整改报告底稿",
}
AUDIT_DETAILS = {"size": "大小（字节）"}


@action
def upload_report(
    inspection: Inspection, *, kind: str, file: Upload | None, note: str = "", by: User
) -> UnitReport:
    role = require(by, liaison_roles(inspection), what="上传整改报告")
    lock(inspection)
    in_stage(inspection, ITEM_STAGES, "上传整改报告")
    if kind not in ReportKind.values:
        raise Refused("请选择报告类别。", field="kind")
    if file is None:
        raise Refused("请选择要上传的文件。", field=FIELD)
    (checked,) = check([file])
    report = UnitReport(
        inspection=inspection,
        kind=kind,
        note=clean_text(note, label="说明", field="note", limit=200, required=False),
        uploaded_by=by,
    )
    report.seal(checked)
    name = ReportKind(kind).label
    title = f"{inspection.unit.name}上传了{name}"
    link = reverse("rectification:inspection", args=[inspection.pk])
    # About the inspection: handled when the office moves it on (to 评估回访, or archives it).
    key = f"rect-report:{inspection.pk}:{kind}"
    sent = tell(office_roles(inspection), key=key, title=title, link=link, subject=inspection)
    details = {"kind": kind, "size": report.size, "notified": sent}
    record("rectification_report.uploaded", report, by=by, role=role, details=details)
    return report
