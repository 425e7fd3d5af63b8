"""The core management commands: audit verify, token create, worker, and that their changes are audited."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django_tasks import task

from xuncha.core import actions
from xuncha.core.audit import action_scope, record
from xuncha.core.models import ApiToken, AuditEvent

from .tamper import tamper

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_audit_verify_counts_an_intact_chain(world):
    out, _ = _run("audit", "verify")
    assert out.splitlines()[0] == f"审计链完好：已校验 {AuditEvent.objects.count()} 条事件。"


def test_audit_verify_names_the_first_broken_event_and_exits_1(world):
    for name in ("甲", "乙", "丙"):
        with action_scope("test.note"):
            record("test.note", None, by=None, details={"name": name})
    target = AuditEvent.objects.order_by("seq")[1].seq
    tamper("UPDATE core_auditevent SET actor_name = %s WHERE seq = %s", ["篡改者", target])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert f"#{target}" in err.getvalue() and "篡改" in err.getvalue()


def test_audit_needs_a_subcommand(db):
    with pytest.raises(CommandError):
        call_command("audit")


def test_token_create_prints_a_working_token_and_is_audited(world):
    out, _ = _run("token", "create", "--user", "office", "--name", "数据对接")
    raw = out.strip()
    assert raw.startswith("xc_")
    token = ApiToken.objects.get(user=world.users["office"])
    assert token.name == "数据对接" and raw not in token.digest
    event = AuditEvent.objects.get(action="token.created")
    # A change made by a command is audited like any other: the system is the actor.
    assert (event.actor, event.actor_name, event.role) == (None, "system", "system")
    assert event.request_id.startswith("task-")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["username"] == "office"


def test_token_create_for_an_unknown_user_fails_in_chinese(db):
    with pytest.raises(CommandError, match="不存在"):
        _run("token", "create", "--user", "nobody")


def test_revoked_token_disabled_user_and_password_change_give_401(world):
    office, member, leader = world.users["office"], world.users["t1_member"], world.users["leader"]
    _, revoked = actions.create_api_token(user=office, name="a", by=None)
    _, disabled = actions.create_api_token(user=member, name="b", by=None)
    _, changed = actions.create_api_token(user=leader, name="c", by=None)
    client = Client()
    for raw in (revoked, disabled, changed):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    actions.revoke_api_token(ApiToken.objects.get(user=office), by=office)
    actions.disable_user(member, by=world.users["sysadmin"])
    actions.set_password(leader, password="Qingfeng-zhengqi-2026", by=leader)
    for raw in (revoked, disabled, changed, "xc_not-a-token"):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 401
        assert response.json() == {"detail": "未登录或令牌无效"}


@task()
def note_from_a_task(text: str) -> None:
    with action_scope("test.task_note"):
        record("test.task_note", None, by=None, details={"text": text})


# The worker closes database connections between tasks, as a long-running process should; only a
# transactional test database survives that on PostgreSQL.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_worker_runs_queued_tasks_and_their_changes_are_audited():
    note_from_a_task.enqueue("后台任务")
    assert not AuditEvent.objects.filter(action="test.task_note").exists()
    call_command("worker", "--batch", verbosity=0)
    event = AuditEvent.objects.get(action="test.task_note")
    assert event.details == {"text": "后台任务"} and event.request_id.startswith("task-")
