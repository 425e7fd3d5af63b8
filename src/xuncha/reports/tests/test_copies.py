"""Feedback copied to the 分管联系领导 and 通报 to departments once delivered; each receiving side is told,
reads it through its copy and signs for it (签收), visible on the feedback page and through the API."""

import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.permissions import NotAllowed
from xuncha.rounds.choices import Stage

from .. import copies
from ..models import FeedbackCopy
from .support import deliver, final, prepare, set_stage, unit_feedback

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    w = prepare(world)
    final(w)
    set_stage(w.inspection1, Stage.FEEDBACK)
    w.feedback = unit_feedback(w)
    return w


def test_only_a_delivered_feedback_is_copied_and_each_side_signs(w: SimpleNamespace) -> None:
    office, leader, jiwei = w.users["office"], w.users["leader"], w.users["jiwei"]
    with pytest.raises(Refused, match="送达后"):
        copies.send_copies(w.feedback, leaders=[leader], by=office)
    deliver(w, w.feedback)
    with pytest.raises(NotAllowed):
        copies.send_copies(w.feedback, leaders=[leader], by=w.users["t1_leader"])
    copies.send_copies(w.feedback, leaders=[leader], departments=[w.jiwei_dept], by=office)
    to_leader = FeedbackCopy.objects.get(leader=leader)
    to_jiwei = FeedbackCopy.objects.get(department=w.jiwei_dept)
    assert Notification.objects.filter(recipient__in=[leader, jiwei], handled_at=None).count() == 2
    with pytest.raises(Refused, match="已收到"):
        copies.send_copies(w.feedback, departments=[w.jiwei_dept], by=office)
    with pytest.raises(NotAllowed):
        copies.acknowledge_copy(to_jiwei, by=w.users["zuzhibu"])
    with pytest.raises(NotAllowed):
        copies.acknowledge_copy(to_leader, by=office)
    copies.acknowledge_copy(to_jiwei, by=jiwei)
    copies.acknowledge_copy(to_leader, by=leader)
    with pytest.raises(Refused, match="已签收"):
        copies.acknowledge_copy(to_leader, by=leader)
    assert not Notification.objects.filter(recipient__in=[leader, jiwei], handled_at=None).exists()
    assert AuditEvent.objects.filter(action="feedback_copy.acknowledged").count() == 2
    assert list(FeedbackCopy.objects.visible_to(jiwei)) == [to_jiwei]
    assert not FeedbackCopy.objects.visible_to(w.users["zuzhibu"]).exists()
    assert not FeedbackCopy.objects.visible_to(w.users["liaison1"]).exists()


def test_pages_and_api(w: SimpleNamespace, client_for: ClientFor) -> None:
    deliver(w, w.feedback)
    office = client_for("office")
    posted = office.post(
        f"/reports/feedbacks/{w.feedback.pk}/copies/new/", {"departments": [w.jiwei_dept.pk]}
    )
    assert posted.status_code == 302
    page = office.get(f"/reports/feedbacks/{w.feedback.pk}/").content.decode()
    assert "通报有关部门：市纪委监委" in page and "待签收" in page
    body = json.dumps({"leaders": [w.users["leader"].pk]})
    sent = office.post(
        f"/api/v1/feedbacks/{w.feedback.pk}/copies", data=body, content_type="application/json"
    )
    assert sent.status_code == 200 and len(sent.json()) == 2
    jiwei = client_for("jiwei")
    copy = FeedbackCopy.objects.get(department=w.jiwei_dept)
    assert "待签收的巡察反馈意见" in jiwei.get("/").content.decode()
    assert jiwei.get(f"/reports/feedback-copies/{copy.pk}/download/").status_code == 200
    assert AuditEvent.objects.filter(action="feedback_copy.read").count() == 1
    assert jiwei.get(f"/reports/feedbacks/{w.feedback.pk}/").status_code == 404  # the copy only
    assert jiwei.post(f"/reports/feedback-copies/{copy.pk}/acknowledge/").status_code == 302
    leader_copy = FeedbackCopy.objects.get(leader=w.users["leader"])
    signed = client_for("leader").post(f"/api/v1/feedback-copies/{leader_copy.pk}/acknowledge")
    assert signed.status_code == 200 and signed.json()["acknowledged_at"]
    listed = office.get(f"/api/v1/feedback-copies/?feedback={w.feedback.pk}").json()
    assert listed["count"] == 2 and all(item["acknowledged_at"] for item in listed["items"])
