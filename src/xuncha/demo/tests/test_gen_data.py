"""`xuncha demo-data` refuses a database that holds other data; `gen-data` and `bench` on an empty database
(apart from test_demo_data.py, whose tests share one demo)."""

import os

import pytest
from django.core.management import CommandError

from xuncha.core.audit import verify_chain
from xuncha.core.models import AuditEvent, User
from xuncha.intake.models import Petition
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import CommitteeLevel
from xuncha.orgs.models import Committee, Unit
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from .test_demo_data import run

pytestmark = pytest.mark.django_db


def test_refuses_a_database_that_holds_other_data() -> None:
    orgs.create_committee(name="某市委", level=CommitteeLevel.CITY, by=None)
    with pytest.raises(CommandError, match="空数据库"):
        run("demo-data")
    assert not User.objects.exists()


def test_gen_data_adds_a_synthetic_committee_through_the_actions() -> None:
    out = run("gen-data", "--scale", "1")
    assert "[1/1]" in out
    committee = Committee.objects.get(name__startswith="样例市")
    assert Unit.objects.filter(committee=committee).count() == 40
    inspections = Inspection.objects.filter(round__committee=committee)
    assert inspections.count() == 36
    assert {i.stage for i in inspections} == {
        Stage.RECTIFYING,
        Stage.REPORTING,
        Stage.FIELDWORK,
        Stage.PREPARING,
    }
    member = User.objects.get(username="gen001_member")
    assert Inspection.objects.visible_to(member).count() == 12
    assert verify_chain().ok
    assert "[2/2]" in run("gen-data", "--scale", "2")  # runs again beside the first
    assert Committee.objects.filter(name__startswith="样例市").count() == 3


def test_gen_data_adds_petitions_to_receiving_inspections_through_the_actions() -> None:
    with pytest.raises(CommandError, match="没有正在受理信访的样例巡察"):
        run("gen-data", "--petitions", "5")
    run("gen-data", "--scale", "1")
    out = run("gen-data", "--petitions", "30")
    assert "信访件 30/30" in out
    petitions = Petition.objects.all()
    assert petitions.count() == 30
    assert {p.inspection.stage for p in petitions} <= {Stage.FIELDWORK, Stage.REPORTING}
    assert all(p.search_text for p in petitions)
    assert AuditEvent.objects.filter(action="petition.received").count() == 30
    assert Committee.objects.filter(name__startswith="样例市").count() == 1  # no committee added
    assert verify_chain().ok


def test_bench_prints_figures_without_changing_the_audit_chain() -> None:
    run("gen-data", "--scale", "1")
    run("gen-data", "--petitions", "20")
    events, petitions = AuditEvent.objects.count(), Petition.objects.count()
    out = "".join(run("bench", "--repeat", "2", "--only", name) for name in ("scoping", "audit", "intake"))
    assert "Inspection.visible_to (office)" in out
    assert "audit verify" in out
    assert "triage + duplicate check" in out and "search “报销”" in out
    assert f"{os.cpu_count()} 核" in out  # the machine the figures were measured on
    assert AuditEvent.objects.count() == events and Petition.objects.count() == petitions
