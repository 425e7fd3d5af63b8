"""The demo's findings and clues (demo/findings.py), built on the demo world: the done-criteria of issue 5
— a finding goes from draft to signed off with evidence links; a clue from it is transferred after both
approvals, ``jiwei`` sees it (and nothing else), disposes and reports back; a 高度保密 clue is hidden from
a plain member — and a common problem to show."""

from typing import Any

import pytest

from xuncha.core.audit import verify_chain
from xuncha.demo.build import build
from xuncha.taxonomy import defaults as taxonomy

from ..choices import ClueStatus, ClueTransferStatus, FindingStatus
from ..common import common_problems
from ..models import Clue, ClueTransfer, Finding
from ..views import home_panels

pytestmark = pytest.mark.django_db


def test_the_demo_has_findings_in_every_state_and_a_common_problem() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build()  # with the findings of demo/findings.py
    first = w.inspections["2:第一巡察组"]
    states = dict(Finding.objects.filter(inspection=first).values_list("title", "status"))
    assert sorted(states.values()) == [FindingStatus.DISCUSSED, FindingStatus.DRAFT, FindingStatus.SIGNED_OFF]
    signed = Finding.objects.get(inspection=first, status=FindingStatus.SIGNED_OFF)
    assert signed.evidence.filter(kind="petition").count() == 2
    assert signed.signed_off_by == w.users["t1_leader"] and signed.drafted_by == w.users["t1_member"]
    assert [v.event for v in signed.versions.order_by("number")] == ["drafted", "discussed", "signed_off"]

    problems = common_problems(first.round, "focus")
    assert [(p.category.code, p.units) for p in problems] == [("2.4", 2)]
    assert verify_chain().ok
    assert problems[0].unit_names == ["市交通运输局", "市财政局"]
    # The leader's home panel: the discussed finding drafted by the member waits for the sign-off.
    [panel] = [p for p in home_panels(w.users["t1_leader"]) if p.title == "待审签的问题底稿"]
    assert [f.status for f in panel.context["findings"]] == [FindingStatus.DISCUSSED]

    _check_clues(w, first)


def _check_clues(w: Any, first: Any) -> None:
    jiwei, zuzhibu, member = w.users["jiwei"], w.users["zuzhibu"], w.users["t1_member"]
    [to_jiwei] = ClueTransfer.objects.visible_to(jiwei)
    assert to_jiwei.status == ClueTransferStatus.REPORTED and to_jiwei.clue.finding.status == "signed_off"
    clue = to_jiwei.clue
    assert (clue.leader_approved_by, clue.office_approved_by) == (w.users["t1_leader"], w.users["office"])
    [to_zuzhibu] = ClueTransfer.objects.visible_to(zuzhibu)
    assert to_zuzhibu.status == ClueTransferStatus.RECEIVED
    assert not Clue.objects.visible_to(jiwei).exists()
    secret = Clue.objects.get(inspection=first, confidential=True)
    assert secret.status == ClueStatus.DRAFT
    assert not Clue.objects.visible_to(member).filter(pk=secret.pk).exists()
    assert Clue.objects.visible_to(w.users["office"]).filter(pk=secret.pk).exists()
