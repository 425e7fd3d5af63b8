import pytest
from django.db import connection

from xuncha.core.audit import action, action_scope, record, verify_chain
from xuncha.core.context import AuditMissing
from xuncha.core.models import AuditAppendOnly, AuditEvent
from xuncha.orgs.choices import CommitteeLevel
from xuncha.orgs.models import Committee

pytestmark = pytest.mark.django_db


def _make_committee(name: str) -> Committee:
    with action_scope("test.create_committee"):
        committee = Committee(name=name, level=CommitteeLevel.CITY)
        committee.save()
        record("committee.create", committee, by=None)
    return committee


def test_case_model_cannot_be_saved_outside_an_action():
    with pytest.raises(AuditMissing):
        Committee(name="某市委", level=CommitteeLevel.CITY).save()
    assert not Committee.objects.exists()


def test_action_without_audit_event_is_rolled_back():
    @action
    def forgetful() -> None:
        Committee(name="某市委", level=CommitteeLevel.CITY).save()

    with pytest.raises(AuditMissing):
        forgetful()
    assert not Committee.objects.exists()


def test_event_is_written_in_the_same_transaction_and_chain_verifies():
    committee = _make_committee("某市委")
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.committee_id) == (
        "committee.create",
        str(committee.pk),
        committee.pk,
    )
    _make_committee("某县委")
    assert verify_chain().ok
    assert verify_chain().checked == 2


def test_events_cannot_be_changed_through_the_orm():
    _make_committee("某市委")
    event = AuditEvent.objects.get()
    event.action = "forged"
    with pytest.raises(AuditAppendOnly):
        event.save()
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.update(action="forged")


def test_tampered_row_is_named_by_verify():
    for name in ("甲市委", "乙市委", "丙市委"):
        _make_committee(name)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_repr = %s WHERE seq = 2", ["篡改"])
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 2


def test_deleted_row_is_named_by_verify():
    for name in ("甲市委", "乙市委", "丙市委"):
        _make_committee(name)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = 3")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)
