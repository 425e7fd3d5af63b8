"""The demo's findings (demo/findings.py), built on the demo world: the done-criterion of issue 5 for
findings — a finding goes from draft to signed off with evidence links — and a common problem to show."""

import pytest

from xuncha.core.audit import verify_chain
from xuncha.demo.build import build
from xuncha.taxonomy import defaults as taxonomy

from ..choices import FindingStatus
from ..common import common_problems
from ..models import Finding
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
