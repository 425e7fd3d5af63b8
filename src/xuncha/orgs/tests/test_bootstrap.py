import pytest
from django.core.management import CommandError, call_command

from xuncha.core.audit import verify_chain
from xuncha.core.choices import Role
from xuncha.core.models import AuditEvent, User
from xuncha.orgs.models import Committee

pytestmark = pytest.mark.django_db


def test_bootstrap_creates_the_root_committee_and_its_sysadmin_through_the_actions(monkeypatch):
    monkeypatch.setenv("XUNCHA_BOOTSTRAP_PASSWORD", "Jiangzhou-anquan-2026")
    call_command("bootstrap", committee="江州市委", username="admin")
    committee = Committee.objects.get()
    admin = User.objects.get(username="admin")
    assert admin.check_password("Jiangzhou-anquan-2026")
    assert admin.scopes.has(Role.SYSADMIN, committee.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"committee.created", "user.created", "role.granted"} <= actions
    assert verify_chain().ok


def test_bootstrap_refuses_a_weak_password_and_saves_nothing(monkeypatch):
    monkeypatch.setenv("XUNCHA_BOOTSTRAP_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="密码"):
        call_command("bootstrap", committee="江州市委", username="admin")
    assert not Committee.objects.exists()
    assert not User.objects.exists()


def test_bootstrap_runs_once(world, monkeypatch):
    monkeypatch.setenv("XUNCHA_BOOTSTRAP_PASSWORD", "Jiangzhou-anquan-2026")
    with pytest.raises(CommandError, match="已初始化"):
        call_command("bootstrap", committee="另一个市委", username="admin2")
