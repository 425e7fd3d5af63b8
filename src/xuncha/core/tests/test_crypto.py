"""Field encryption: round trip, tampering, swapped rows, wrong or missing keys, rotation."""

import base64
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from xuncha.core import crypto
from xuncha.core.audit import action_scope, record
from xuncha.core.fields import Sealed
from xuncha.core.models import AuditEvent
from xuncha.orgs.actions import declare_relative
from xuncha.orgs.models import InspectorRelative

TEST_KEY = settings.XUNCHA_MASTER_KEY  # "t1:…", from settings_test
NEW_KEY = crypto.generate_key_spec("k2")
AAD = crypto.associated_data("orgs.inspectorrelative", "name", "4d7c1c36-5d1b-4a43-a2a2-9f1f6c1f0d11")


def _relative(world, name: str) -> InspectorRelative:
    return declare_relative(
        world.inspector_t1_member, name=name, relation="配偶", unit=world.unit2, by=world.users["office"]
    )


def _stored(relative: InspectorRelative) -> str:
    """The column as stored (values_list does not decrypt)."""
    return str(InspectorRelative._base_manager.filter(pk=relative.pk).values_list("name", flat=True).get())


def _store(relative: InspectorRelative, value: str) -> None:
    """Write the column as is, as someone with database access could (Sealed is not re-encrypted)."""
    InspectorRelative._base_manager.filter(pk=relative.pk).update(name=Sealed(value))


def _reload(relative: InspectorRelative) -> InspectorRelative:
    return InspectorRelative.objects.get(pk=relative.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["王秀英", "Zhang Wei", "李 · 小明（曾用名：李明）", "😀", "a" * 50])
def test_round_trip_and_the_column_holds_only_ciphertext(world, name):
    relative = _relative(world, name)
    stored = _stored(relative)
    assert stored.startswith("x1:t1:")
    assert name not in stored
    assert _reload(relative).name == name


@pytest.mark.django_db
def test_empty_string_is_encrypted_too(world):
    relative = _relative(world, "占位")
    with action_scope("test.blank_relative"):
        relative.name = ""
        relative.save()
        record("test.blank_relative", relative, by=None)
    stored = _stored(relative)
    assert stored.startswith("x1:t1:") and len(stored) > 10
    assert _reload(relative).name == ""


@pytest.mark.django_db
def test_a_flipped_byte_fails_closed(world):
    relative = _relative(world, "王秀英")
    prefix, key_id, body = _stored(relative).split(":", 2)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[20] ^= 0x01
    _store(relative, f"{prefix}:{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}")
    with pytest.raises(crypto.CryptoError):
        _reload(relative).name  # noqa: B018


@pytest.mark.django_db
@pytest.mark.parametrize("stored", ["", "王秀英", "x1:t1:", "x1:t1:!!!not-base64!!!", "x2:t1:AAAA"])
def test_blank_plaintext_or_garbage_in_the_column_fails_closed(world, stored):
    relative = _relative(world, "王秀英")
    _store(relative, stored)
    with pytest.raises(crypto.CryptoError):
        _reload(relative).name  # noqa: B018


@pytest.mark.django_db
def test_ciphertext_swapped_between_rows_fails(world):
    first, second = _relative(world, "王秀英"), _relative(world, "赵国强")
    _store(second, _stored(first))
    assert _reload(first).name == "王秀英"
    with pytest.raises(crypto.CryptoError):
        _reload(second).name  # noqa: B018


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spec",
    [
        "",  # missing
        "t1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode(),  # same id, wrong key
        NEW_KEY,  # unknown key id
        "t1:short",  # malformed
    ],
    ids=["missing", "wrong-key", "unknown-key-id", "malformed"],
)
def test_wrong_missing_or_unknown_key_fails_closed(world, spec):
    relative = _relative(world, "王秀英")
    with override_settings(XUNCHA_MASTER_KEY=spec), pytest.raises(crypto.CryptoError):
        _reload(relative).name  # noqa: B018


@pytest.mark.django_db
def test_nothing_is_saved_without_a_key(world):
    with override_settings(XUNCHA_MASTER_KEY=""), pytest.raises(crypto.CryptoError):
        _relative(world, "王秀英")
    assert not InspectorRelative.objects.exists()


@pytest.mark.django_db
def test_rotation_re_encrypts_with_the_new_key_and_the_old_key_can_go(world):
    relatives = [_relative(world, name) for name in ("王秀英", "赵国强", "孙丽")]
    with override_settings(XUNCHA_MASTER_KEY=f"{NEW_KEY},{TEST_KEY}"):
        # The old key, second in the list, still decrypts; new writes use the new key.
        assert [_reload(r).name for r in relatives] == ["王秀英", "赵国强", "孙丽"]
        relatives.append(_relative(world, "新写入"))
        assert _stored(relatives[-1]).startswith("x1:k2:")
        out = io.StringIO()
        call_command("rotate-keys", "--batch-size", "2", stdout=out)
        assert "orgs.inspectorrelative：检查 4 条，重新加密 3 条" in out.getvalue()
        assert all(_stored(r).startswith("x1:k2:") for r in relatives)
        again = io.StringIO()
        call_command("rotate-keys", stdout=again)  # idempotent
        assert "重新加密 0 条" in again.getvalue()
    with override_settings(XUNCHA_MASTER_KEY=NEW_KEY):
        assert [_reload(r).name for r in relatives] == ["王秀英", "赵国强", "孙丽", "新写入"]
    events = AuditEvent.objects.filter(action="crypto.keys_rotated").order_by("seq")
    first = events.get(details__model="orgs.inspectorrelative", details__reencrypted=3)
    assert first.details == {
        "model": "orgs.inspectorrelative",
        "key_id": "k2",
        "checked": 4,
        "reencrypted": 3,
    }
    assert first.actor is None and first.role == "system"
    assert len(events) == 2 * len({e.details["model"] for e in events})


@pytest.mark.django_db
def test_rotation_stops_on_a_tampered_value_and_writes_nothing(world):
    good, bad = _relative(world, "王秀英"), _relative(world, "赵国强")
    _store(bad, _stored(good))
    before = _stored(good)
    with override_settings(XUNCHA_MASTER_KEY=f"{NEW_KEY},{TEST_KEY}"), pytest.raises(CommandError):
        call_command("rotate-keys", stdout=io.StringIO())
    assert _stored(good) == before


@given(st.text(max_size=500), st.binary(max_size=64))
def test_round_trip_property(plaintext, aad):
    token = crypto.encrypt(plaintext, aad=aad)
    assert crypto.decrypt(token, aad=aad) == plaintext
    assert crypto.key_id_of(token) == crypto.active_key_id()


@given(st.text(min_size=1, max_size=200))
def test_another_row_or_field_never_decrypts(plaintext):
    token = crypto.encrypt(plaintext, aad=AAD)
    for other in (AAD + b"0", crypto.associated_data("orgs.inspectorrelative", "post", "x")):
        with pytest.raises(crypto.CryptoError):
            crypto.decrypt(token, aad=other)


def test_each_encryption_uses_a_fresh_nonce():
    assert crypto.encrypt("同一内容", aad=AAD) != crypto.encrypt("同一内容", aad=AAD)


def test_no_object_without_a_primary_key():
    with pytest.raises(crypto.CryptoError):
        crypto.associated_data("orgs.inspectorrelative", "name", None)
