"""The demo's look-back (demo/lookback.py): a look-back round of last year's inspection of the investment
group, its inspection in 了解 by t2_member's team, a genuine check, a relapsed one followed by a finding."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.demo.build import build
from xuncha.findings.models import Finding
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.taxonomy import defaults as taxonomy

from ..choices import Verdict
from ..models import LookbackCheck

pytestmark = pytest.mark.django_db


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_look_back() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build()  # build_lookback(w) included
    assert verify_chain().ok
    inspection = w.inspections["3:回头看巡察组"]
    assert inspection.round.kind == RoundKind.LOOKBACK and inspection.stage == Stage.FIELDWORK
    assert [i.unit for i in inspection.round.lookback_of.all()] == [inspection.unit]
    checks = {c.verdict: c for c in LookbackCheck.objects.filter(inspection=inspection)}
    assert set(checks) == {Verdict.GENUINE, Verdict.RELAPSED}
    finding = Finding.objects.get(pk=checks[Verdict.RELAPSED].finding_id)
    assert finding.inspection == inspection and "反弹回潮" in finding.title
    client = Client()
    client.force_login(w.users["t2_member"])  # demo mode: no TOTP
    page = client.get(f"/rectification/inspections/{inspection.pk}/lookback/")
    assert page.status_code == 200 and "已核查 2 / 2" in page.content.decode()
