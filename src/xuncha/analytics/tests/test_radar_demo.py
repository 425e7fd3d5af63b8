"""The demo's key person and portraits: the principal of the unit the current round's first team inspects
is reflected through three channels (the web portal, a phone call and the opinion box, one matter) and a
clue transferred to the 纪委监委 (demo/intake.py, demo/findings.py); the office's radar lists him with every
contribution explained, and the view is an audit event. The unit portraits download as 研判报告 with no
layout problems, and the look-back unit's portrait counts the look-back's verdicts."""

import pytest
from django.db.models import Count
from django.test import Client, override_settings

from xuncha.analytics import portrait, radar
from xuncha.core.audit import verify_chain
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import layout_problems
from xuncha.demo.build import build
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person
from xuncha.rectification.choices import Verdict
from xuncha.rectification.models import LookbackCheck
from xuncha.taxonomy import defaults as taxonomy

pytestmark = pytest.mark.django_db


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_radar_lists_the_key_person_and_the_portraits_download() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build()
    office = Client()
    office.force_login(w.users["office"])  # demo mode: no TOTP
    inspection = w.inspections["2:第一巡察组"]
    principal = Person.objects.get(unit=inspection.unit, category=PostCategory.PRINCIPAL)

    page = office.get("/analytics/key-persons/")
    assert page.status_code == 200
    html = page.content.decode()
    assert principal.name in html
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor_name) == ("key_person.radar_read", "office")
    [top, *_] = radar.listed(radar.scope_for(w.users["office"], inspection.round.committee_id))
    assert top.person == principal
    assert top.explanation.startswith("3 件信访（网上、来电、意见箱，归并为 1 件）；经 3 个渠道分别反映")
    assert "1 条线索已移交市纪委监委" in top.explanation
    assert top.score == sum(c.points for c in top.contributions)
    for contribution in top.contributions:
        assert contribution.text in html
    person = office.get(f"/analytics/key-persons/{principal.pk}/")
    assert person.status_code == 200 and "研判依据" in person.content.decode()
    assert AuditEvent.objects.latest("seq").action == "key_person.read"

    # The portraits: the inspected unit's report, and the look-back unit's verdicts.
    report = office.get(f"/analytics/units/{inspection.unit_id}/portrait/report/")
    assert report.status_code == 200 and layout_problems(report.content) == []
    lookback = w.inspections["3:回头看巡察组"]
    verdicts = dict(
        LookbackCheck.objects.filter(item__inspection__unit=lookback.unit)
        .values_list("verdict")
        .annotate(n=Count("pk"))
    )
    assert verdicts
    p = portrait.build(lookback.unit, w.users["office"])
    assert dict(p.verdicts) == {str(Verdict(v).label): n for v, n in verdicts.items()}
    assert len(p.inspections) >= 2  # the inspection looked back on, and the look-back itself
    report = office.get(f"/analytics/units/{lookback.unit_id}/portrait/report/")
    assert report.status_code == 200 and layout_problems(report.content) == []
    assert verify_chain().ok
