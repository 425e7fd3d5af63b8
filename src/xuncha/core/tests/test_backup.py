"""`xuncha backup` and `xuncha restore`: an encrypted, audited backup restores into an empty database with the
same rows, an intact audit chain, readable encrypted fields and the media files; anything else is refused."""

import base64
import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from xuncha.core import backup
from xuncha.core.audit import verify_chain
from xuncha.core.models import AuditEvent, User
from xuncha.orgs import actions as orgs_actions
from xuncha.orgs.models import Committee, InspectorRelative
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.defaults import install
from xuncha.taxonomy.models import Category, Scheme

pytestmark = pytest.mark.django_db

KEY = base64.urlsafe_b64encode(b"backup-key-for-tests-only-32byte").decode()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "整改凭证.pdf").write_bytes(b"%PDF-1.4 evidence")
    return settings.MEDIA_ROOT


@pytest.fixture
def key(monkeypatch) -> None:
    monkeypatch.setenv("XUNCHA_BACKUP_KEY", KEY)


@pytest.fixture
def made(world, media, key, tmp_path: Path) -> Path:
    """A backup of the world with one declared relative (an encrypted field)."""
    orgs_actions.declare_relative(
        world.inspector_t1_member, name="赵某某", relation="配偶", unit=world.unit2, by=world.users["office"]
    )
    path = tmp_path / "xuncha.backup"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    return path


def _empty_database_and_media(media: Path, *, seeded: bool = False) -> None:
    """As a database freshly made by `migrate`: flushed, with the post-migrate content types and, when
    ``seeded``, the default taxonomy its data migration installs (with other ids than the backup's)."""
    with connection.cursor() as cursor:
        # PostgreSQL truncates only tables without pending deferred checks, as in the fresh transaction of a
        # real restore; in the test's one transaction the checks run at once until the restore begins.
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if seeded:
            Scheme.objects.create(code="placeholder", kind=SchemeKind.NATURE, name="占位")  # shifts the ids
            assert install()  # as the migrations leave it: the current wording, the codes' sort keys
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(media)


def _restore(*args: str) -> str:
    out = io.StringIO()
    call_command("restore", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_round_trip_restores_rows_chain_secrets_and_media(world, made, media):
    event = AuditEvent.objects.get(action="system.backup_made")
    assert event.details["sha256"] == hashlib.sha256(made.read_bytes()).hexdigest()
    assert event.details["counts"]["core.user"] == User.objects.count()
    assert event.details["media_files"] == 1
    chain = list(AuditEvent.objects.exclude(pk=event.pk).order_by("seq").values_list("seq", "hmac"))
    users = sorted(User.objects.values_list("username", "password"))
    committees = sorted(Committee.objects.values_list("pk", "name", "parent_id"))
    schemes = sorted(Scheme.objects.values_list("pk", "code"))
    categories = sorted(Category.objects.values_list("pk", "scheme__code", "name"))
    data = _contents(made)["data.json"].decode()
    assert "赵某某" not in data and '"name": "x1:' in data  # encrypted fields stay ciphertext inside too

    _empty_database_and_media(media, seeded=True)
    assert not User.objects.exists() and not media.exists()
    assert sorted(Scheme.objects.values_list("pk", "code")) != schemes
    out = _restore(str(made), "--verify")

    assert f"审计链完好：已校验 {len(chain)} 条事件" in out
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "hmac"))[:-1] == chain
    assert AuditEvent.objects.order_by("-seq")[0].action == "system.backup_restored"
    assert verify_chain().ok
    assert sorted(User.objects.values_list("username", "password")) == users
    assert sorted(Committee.objects.values_list("pk", "name", "parent_id")) == committees
    assert sorted(Category.objects.values_list("pk", "scheme__code", "name")) == categories
    assert sorted(Scheme.objects.values_list("pk", "code")) == schemes
    assert InspectorRelative.objects.get().name == "赵某某"
    assert (media / "evidence" / "整改凭证.pdf").read_bytes() == b"%PDF-1.4 evidence"
    # The sequences moved past the restored rows: the next row gets a fresh id.
    office = User.objects.get(username="office")
    new = orgs_actions.create_committee(name="新县委", level="county", parent=world.city, by=office)
    assert new.pk > max(pk for pk, _, _ in committees)


def test_backup_needs_the_key_from_the_environment(world, monkeypatch, tmp_path):
    monkeypatch.delenv("XUNCHA_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="XUNCHA_BACKUP_KEY"):
        call_command("backup", "--output", str(tmp_path / "b"), stdout=io.StringIO())
    monkeypatch.setenv("XUNCHA_BACKUP_KEY", base64.urlsafe_b64encode(b"short").decode())
    with pytest.raises(CommandError, match="32 字节"):
        call_command("backup", "--output", str(tmp_path / "b"), stdout=io.StringIO())
    assert not (tmp_path / "b").exists()
    assert not AuditEvent.objects.filter(action="system.backup_made").exists()


def test_restore_refuses_a_database_in_use(made):
    with pytest.raises(CommandError, match="不是空的"):
        _restore(str(made))


def test_restore_refuses_a_wrong_key_a_flipped_byte_and_a_cut_file(made, media, monkeypatch, tmp_path):
    _empty_database_and_media(media)
    data = made.read_bytes()
    flipped, cut = tmp_path / "flipped", tmp_path / "cut"
    flipped.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    cut.write_bytes(data[: len(data) - 40])
    for path, message in ((flipped, "已损坏"), (cut, "不完整")):
        with pytest.raises(CommandError, match=message):
            _restore(str(path))
    monkeypatch.setenv("XUNCHA_BACKUP_KEY", base64.urlsafe_b64encode(b"x" * 32).decode())
    with pytest.raises(CommandError, match="密钥不对"):
        _restore(str(made))
    assert not User.objects.exists()


def _contents(path: Path) -> dict[str, bytes]:
    plain = io.BytesIO()
    with path.open("rb") as sealed:
        backup._unseal(sealed, backup.backup_key(), plain)
    plain.seek(0)
    with tarfile.open(fileobj=plain) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}  # type: ignore[union-attr]


def _reseal(source: Path, target: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Open a backup, let ``edit`` change its manifest, and seal it again with the same key."""
    contents = _contents(source)
    manifest = json.loads(contents["manifest.json"])
    edit(manifest)
    contents["manifest.json"] = json.dumps(manifest).encode()
    with target.open("wb") as out:
        sealer = backup._SealingWriter(out, backup.backup_key())
        with tarfile.open(fileobj=sealer, mode="w|") as tar:
            for name, content in contents.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
        sealer.finish()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda manifest: manifest["counts"].update({"orgs.committee": 99}), "orgs.committee：备份 99 条"),
        (
            lambda manifest: manifest["media"].update({"evidence/整改凭证.pdf": "0" * 64}),
            "附件与备份清单不符",
        ),
    ],
)
def test_a_mismatch_with_the_manifest_rolls_back_and_exits_1(made, media, tmp_path, edit, message):
    altered = tmp_path / "altered.backup"
    _reseal(made, altered, edit)
    _empty_database_and_media(media)
    with pytest.raises(CommandError, match=message) as failure:
        _restore(str(altered), "--verify")
    assert failure.value.returncode == 1
    assert not User.objects.exists() and not AuditEvent.objects.exists()


def test_the_file_is_sealed_and_private(made):
    assert made.read_bytes().startswith(backup.MAGIC)
    assert made.stat().st_mode & 0o777 == 0o600
