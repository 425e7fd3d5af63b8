import threading

import pytest
from django.db import connection, connections

from xuncha.core.audit import action, action_scope, record, record_read, verify_chain
from xuncha.core.choices import Role
from xuncha.core.context import AuditMissing
from xuncha.core.models import AuditAppendOnly, AuditEvent
from xuncha.orgs.choices import CommitteeLevel
from xuncha.orgs.models import Committee

from .tamper import tamper

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
    tamper("UPDATE core_auditevent SET object_repr = %s WHERE seq = 2", ["篡改"])
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 2


def test_deleted_row_is_named_by_verify():
    for name in ("甲市委", "乙市委", "丙市委"):
        _make_committee(name)
    tamper("DELETE FROM core_auditevent WHERE seq = 3")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)


def test_record_read_writes_its_own_event(world):
    event = record_read(
        "inspector.viewed", world.inspector_t1_member, by=world.users["office"], role=Role.OFFICE
    )
    assert AuditEvent.objects.get(seq=event.seq).action == "inspector.viewed"
    assert event.committee_id == world.city.pk
    assert verify_chain().ok


def test_chain_stays_linear_when_two_actions_write():
    _make_committee("甲市委")
    _make_committee("乙市委")
    first, second = AuditEvent.objects.order_by("seq")
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hmac
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_queue_on_the_chain_head():
    def write(label: str) -> None:
        try:
            for index in range(10):
                with action_scope("test.concurrent"):
                    record("test.concurrent", None, by=None, details={"writer": label, "index": index})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(label,)) for label in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 20
    result = verify_chain()
    assert result.ok and result.checked == AuditEvent.objects.count()
