"""Helpers of the preparation tests: a request of inspection1 (fieldwork: 提请协助) to both departments."""

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from xuncha.core.files import Upload

from ..actions import answer_request, send_request
from ..choices import RequestKind
from ..models import InformationAnswer, InformationRequest, Recipient

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "纪委监委掌握：张某某2023年收受工程老板礼金5万元的线索。"


def send(
    w: SimpleNamespace, *, inspection: Any = None, persona: str = "t1_leader", **kwargs: Any
) -> InformationRequest:
    inspection = inspection or w.inspection1
    fields: dict[str, Any] = {
        "kind": RequestKind.ASSISTANCE,
        "subject": "提请提供被巡察单位有关问题线索",
        "questions": "请提供近三年收到的反映该单位领导班子成员的问题线索及处置情况。",
        "due_on": timezone.localdate() + datetime.timedelta(days=10),
        "departments": [w.jiwei_dept, w.zuzhibu_dept],
    }
    return send_request(inspection, **(fields | kwargs), by=w.users[persona])


def slot(request: InformationRequest, department: Any) -> Recipient:
    return Recipient.objects.get(request=request, department=department)


def answer(
    w: SimpleNamespace, request: InformationRequest, *, text: str = SECRET, with_file: bool = True
) -> InformationAnswer:
    files = [Upload(name="线索材料.pdf", data=PDF)] if with_file else []
    return answer_request(slot(request, w.jiwei_dept), text=text, files=files, by=w.users["jiwei"])


DOCX_MAGIC = b"PK\x03\x04"  # a .docx is a zip
