"""`xuncha gen-data --bulk-petitions N --bulk-items M`: the bulk history for the dashboard's benchmark. At a
tiny size (several batches each), the dashboard's figures count exactly what was generated."""

import io

import pytest
from django.core.management import CommandError, call_command

from xuncha.analytics import rollups
from xuncha.analytics.figures import Figure, compute
from xuncha.analytics.scope import select
from xuncha.core.audit import verify_chain
from xuncha.core.models import AuditEvent, User
from xuncha.demo import bulk
from xuncha.findings.models import Clue, ClueTransfer, Finding
from xuncha.intake.models import Petition
from xuncha.orgs.models import Committee
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.models import Item
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults as taxonomy

pytestmark = pytest.mark.django_db


def _total(figure: Figure) -> int:
    return sum(int(row.values[0]) for row in figure.rows)


def _numbers(figure: Figure) -> dict[str, int | float | str]:
    return {row.label: row.values[0] for row in figure.rows}


def test_bulk_history_is_counted_exactly_by_the_dashboard(monkeypatch: pytest.MonkeyPatch) -> None:
    taxonomy.install()  # the default category schemes (the tests run without the data migration)
    monkeypatch.setattr(bulk, "BATCH", 70)  # several batches of each kind
    out = io.StringIO()
    call_command("gen-data", "--bulk-petitions", "400", "--bulk-items", "150", stdout=out)
    assert "400 件信访件" in out.getvalue() and "150 项整改事项" in out.getvalue()

    city = Committee.objects.get(name=f"{bulk.PREFIX}001委")
    assert Committee.objects.filter(parent=city).count() == len(bulk.COUNTIES)
    inspections = bulk.YEARS * bulk.ROUNDS_PER_YEAR * bulk.TEAMS * bulk.UNITS_PER_TEAM * 3
    assert Inspection.objects.count() == inspections
    assert (Petition.objects.count(), Item.objects.count()) == (400, 150)
    assert Finding.objects.count() == 400 // bulk.FINDINGS_PER_PETITIONS
    assert Clue.objects.count() == -(-Finding.objects.count() // bulk.CLUES_PER_FINDINGS)

    office = User.objects.get(username="bulk001_office")
    point, filters = select(office, tree=True)  # the city and its counties: every generated row
    assert len(point.committee_ids) == 3

    def figure(key: str) -> Figure:
        return compute(point, filters, key)

    assert _total(figure("stages")) == inspections
    assert _numbers(figure("stages"))["归档"] == Inspection.objects.filter(stage=Stage.ARCHIVED).count() > 0
    for key in ("petition_channels", "petition_months", "petition_scope", "petition_discipline"):
        assert _total(figure(key)) == 400, key
    assert _numbers(figure("petition_matters"))["信访件（件次）"] == 400
    for key in ("finding_focus", "finding_nature", "finding_unit_types"):
        assert _total(figure(key)) == Finding.objects.count(), key
    assert _total(figure("clue_kinds")) == Clue.objects.count()
    assert _total(figure("clue_disposal")) == _total(figure("clue_outcomes")) == ClueTransfer.objects.count()
    assert _total(figure("rectification_lights")) == 150
    rates = _numbers(figure("rectification_rates"))
    assert rates["整改事项"] == 150
    assert rates["已销号"] == Item.objects.filter(status=ItemStatus.CLOSED).count() > 0

    assert rollups.check() == []  # recounted after the bulk inserts, which send no signals
    event = AuditEvent.objects.get(action="demo.bulk_history")
    assert event.details["petitions"] == 400 and event.details["items"] == 150
    assert verify_chain().ok


def test_bulk_history_refuses_negative_numbers() -> None:
    with pytest.raises(CommandError):
        call_command("gen-data", "--bulk-petitions", "-1", stdout=io.StringIO())


def test_bench_times_every_figure_for_the_city_alone_and_with_its_counties() -> None:
    taxonomy.install()
    call_command("gen-data", "--bulk-petitions", "60", "--bulk-items", "20", stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench", "--repeat", "1", "--only", "dashboard", stdout=out)
    text = out.getvalue()
    assert f"党委：{bulk.PREFIX}001委（下级党委 2 个；信访件 60 件，整改事项 20 项）" in text
    assert "本级：" in text and "本级及下级党委（含下级）：" in text
    assert text.count("figure petition_months ") == 2 and text.count("ratio") >= 2 * 26
    assert "page /analytics/?tree=1" in text and "API /api/v1/stats/overview" in text
    assert "not replayable" not in text and "HTTP" not in text  # every figure replayed, no page skipped
