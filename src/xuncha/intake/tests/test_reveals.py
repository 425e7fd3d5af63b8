"""Confidential identity: a member asks with a reason, a custodian (never the requester) decides, the
requester alone sees the identity until the approval expires; every step and every showing is an audit
event that does not carry the identity; nothing logs it."""

import contextlib
import datetime
import inspect
import logging
import uuid
from collections.abc import Iterator
from types import CodeType, SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from xuncha.conftest import login_verified
from xuncha.core import actions as core_actions
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, User
from xuncha.core.permissions import NotAllowed
from xuncha.intake import forms as intake_forms
from xuncha.intake.actions.petitions import PetitionInput
from xuncha.intake.actions.reveals import (
    approve_reveal,
    identity_for,
    refuse_reveal,
    request_reveal,
)
from xuncha.intake.choices import RevealStatus
from xuncha.intake.models import IdentityReveal, Petition
from xuncha.intake.views import reveals as views

from .conftest import letter

CANARY = "欧阳金丝雀"
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
CONTACT = "微信 canary-wx-77"
IDENTITY = (CANARY, PHONE, ID_NUMBER, CONTACT)
REASON = "该件反映的报销问题须当面向反映人核实票据细节"
SENSITIVE = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_contact", "receipt")


@pytest.fixture
def named(world: SimpleNamespace) -> Petition:
    return letter(
        world,
        "市财政局张局长违规报销招待费",
        anonymous=False,
        reporter_name=CANARY,
        reporter_phone=PHONE,
        reporter_id_number=ID_NUMBER,
        reporter_contact=CONTACT,
    )


def _user(world: SimpleNamespace, persona: str) -> User:
    # A fresh instance: role scopes are cached per user object, and tests grant roles on the way.
    return User.objects.get(pk=world.users[persona].pk)


def ask(world: SimpleNamespace, petition: Petition, persona: str = "t1_member") -> IdentityReveal:
    return request_reveal(petition, reason=REASON, by=_user(world, persona))


def section(world: SimpleNamespace, persona: str, petition: Petition) -> str:
    """The petition page's section on the reporter, as ``persona`` sees it."""
    request = RequestFactory().get(f"/intake/petitions/{petition.pk}/")
    request.user = _user(world, persona)
    return views.panel(request, petition)


def _no_identity_in(text: str) -> bool:
    return not any(value in text for value in IDENTITY)


def _events_without_identity() -> None:
    for event in AuditEvent.objects.all():
        assert _no_identity_in(f"{event.details} {event.object_repr} {event.actor_name}"), event.action


# The whole path ---------------------------------------------------------------------------------------


def test_approved_reveal_shows_the_identity_to_the_requester_until_it_expires(world, named):
    assert "实名反映（身份信息已加密保护）" in section(world, "t1_member", named)
    reveal = ask(world, named)
    assert "正在等待身份信息保管人审批" in section(world, "t1_member", named)
    assert identity_for(_user(world, "t1_member"), named) is None

    approve_reveal(reveal, note="同意，限当面核实使用", by=world.users["custodian"])
    reveal.refresh_from_db()
    assert reveal.status == RevealStatus.APPROVED
    assert reveal.decided_by == world.users["custodian"]

    html = section(world, "t1_member", named)
    assert all(value in html for value in IDENTITY)
    assert "查看截止" in html
    identity = identity_for(_user(world, "t1_member"), named)
    assert identity is not None and identity.name == CANARY and identity.expires_at == reveal.expires_at

    later = reveal.expires_at + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert identity_for(_user(world, "t1_member"), named) is None
        html = section(world, "t1_member", named)
    assert _no_identity_in(html)
    assert "已于" in html and 'name="reason"' in html  # expired: may ask again
    # One showing of the section and one direct call while the window was open.
    assert AuditEvent.objects.filter(action="petition.identity_read").count() == 2
    _events_without_identity()


def test_an_identity_written_into_the_text_is_masked_until_a_reveal(world, client_for):
    written = f"我是{CANARY}，电话{PHONE}。反映市财政局张局长违规报销招待费，可打{PHONE}联系我。"
    petition = letter(
        world, written, title=f"{CANARY}的举报", anonymous=False, reporter_name=CANARY, reporter_phone=PHONE
    )
    petition.refresh_from_db()
    masked = written.replace(CANARY, "［反映人姓名］").replace(PHONE, "［反映人电话］")
    assert petition.content == masked and "我是［反映人姓名］，电话［反映人电话］。" in masked
    assert petition.title == "［反映人姓名］的举报" and _no_identity_in(petition.search_text)
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, content, search_text, text_as_written FROM intake_petition")
        assert all(_no_identity_in(str(row)) for row in cursor.fetchall())
    client = client_for("t1_member")
    for path in (
        f"/intake/petitions/{petition.pk}/",
        "/api/v1/petitions/",
        f"/api/v1/petitions/{petition.pk}",
    ):
        assert _no_identity_in(client.get(path).content.decode()), path
    found = client.get(f"/intake/petitions/?q={CANARY}")
    assert list(found.context["page_obj"]) == []  # the search box shows back what was typed, nothing else
    approve_reveal(ask(world, petition), note="同意", by=world.users["custodian"])
    identity = identity_for(_user(world, "t1_member"), petition)
    assert identity is not None and identity.content_as_written == written
    assert identity.title_as_written == f"{CANARY}的举报"
    assert written in section(world, "t1_member", petition).replace("<br>", "")


def test_an_anonymous_or_one_character_name_masks_nothing(world):
    anonymous = letter(world, "我是王某，反映张局长问题", anonymous=True)
    one = letter(world, "王说：张局长违规报销", anonymous=False, reporter_name="王")
    for petition in (anonymous, one):
        petition.refresh_from_db()
        assert "［" not in petition.content and petition.text_as_written == ""


def test_the_approval_lasts_the_committees_reveal_hours(world, named):
    # Set directly: the office's settings form does not offer reveal_hours yet.
    with action_scope("test.settings"):
        world.city.settings.reveal_hours = 2
        world.city.settings.save()
        record("test.settings", world.city.settings, by=None)
    reveal = ask(world, named)
    before = timezone.now()
    approve_reveal(reveal, note="", by=world.users["custodian"])
    reveal.refresh_from_db()
    assert reveal.expires_at is not None
    assert (
        before + datetime.timedelta(hours=2)
        <= reveal.expires_at
        <= timezone.now() + datetime.timedelta(hours=2)
    )


@pytest.mark.parametrize("persona", ["office", "t1_leader", "custodian", "sysadmin", "leader", "auditor"])
def test_nobody_else_sees_the_identity_without_their_own_approval(world, named, persona):
    approve_reveal(ask(world, named), note="同意", by=world.users["custodian"])
    assert identity_for(_user(world, persona), named) is None
    if Petition.objects.visible_to(world.users[persona]).filter(pk=named.pk).exists():
        assert _no_identity_in(section(world, persona, named))


def test_the_office_may_ask_and_sees_only_with_its_own_approval(world, named):
    reveal = ask(world, named, "office")
    assert identity_for(_user(world, "office"), named) is None
    approve_reveal(reveal, note="同意", by=world.users["custodian"])
    assert identity_for(_user(world, "office"), named).name == CANARY  # type: ignore[union-attr]
    assert identity_for(_user(world, "t1_member"), named) is None


def test_a_requester_who_left_the_team_sees_nothing(world, named):
    reveal = ask(world, named)
    approve_reveal(reveal, note="同意", by=world.users["custodian"])
    assignment = world.users["t1_member"].role_assignments.get(role=Role.TEAM_MEMBER)
    core_actions.end_role(assignment, reason="调离巡察组", by=world.users["sysadmin"])
    assert identity_for(_user(world, "t1_member"), named) is None


def test_the_custodian_may_not_ask(world, named):
    with pytest.raises(NotAllowed):
        ask(world, named, "custodian")


# The two-person rule ----------------------------------------------------------------------------------


def test_one_person_holding_both_roles_cannot_approve_their_own_request(world, named):
    core_actions.grant_role(
        user=world.users["t1_member"], role=Role.CUSTODIAN, scope_id=world.city.pk, by=None
    )
    reveal = ask(world, named)
    with pytest.raises(Refused, match="不能审批本人"):
        approve_reveal(reveal, note="", by=_user(world, "t1_member"))
    with pytest.raises(Refused, match="不能审批本人"):
        refuse_reveal(reveal, note="不需要", by=_user(world, "t1_member"))
    reveal.refresh_from_db()
    assert reveal.status == RevealStatus.PENDING
    assert identity_for(_user(world, "t1_member"), named) is None
    # Nor through the pages: the decision page says so and the POST changes nothing.
    client = _client(world, "t1_member")
    page = client.get(f"/intake/reveals/{reveal.pk}/decide/")
    assert page.status_code == 200 and "须由另一名身份信息保管人审批" in page.content.decode()
    response = client.post(f"/intake/reveals/{reveal.pk}/decide/", {"decision": "approve", "note": ""})
    assert response.status_code == 200 and "不能审批本人" in response.content.decode()
    assert IdentityReveal.objects.get(pk=reveal.pk).status == RevealStatus.PENDING
    # Another custodian may.
    approve_reveal(reveal, note="同意", by=world.users["custodian"])
    assert identity_for(_user(world, "t1_member"), named) is not None


def test_only_a_custodian_of_the_petitions_committee_decides(world, named):
    reveal = ask(world, named)
    core_actions.grant_role(
        user=world.users["county_office"], role=Role.CUSTODIAN, scope_id=world.county_a.pk, by=None
    )
    for persona in ("office", "t1_leader", "sysadmin", "county_office"):
        with pytest.raises(NotAllowed):
            approve_reveal(reveal, note="", by=_user(world, persona))


def test_a_decided_request_cannot_be_decided_again(world, named):
    reveal = ask(world, named)
    refuse_reveal(reveal, note="理由不充分", by=world.users["custodian"])
    with pytest.raises(Refused, match="已处理"):
        approve_reveal(reveal, note="", by=world.users["custodian"])


# Refusals ---------------------------------------------------------------------------------------------


def test_a_refusal_shows_the_custodians_note_and_the_member_may_ask_again(world, named):
    reveal = ask(world, named)
    with pytest.raises(Refused) as missing_note:
        refuse_reveal(reveal, note="  ", by=world.users["custodian"])
    assert missing_note.value.field == "note"
    refuse_reveal(reveal, note="可先通过巡察组电话联系，无需查看身份", by=world.users["custodian"])
    html = section(world, "t1_member", named)
    assert "未获批准" in html and "可先通过巡察组电话联系，无需查看身份" in html
    assert _no_identity_in(html) and 'name="reason"' in html
    again = ask(world, named)
    assert again.status == RevealStatus.PENDING


def test_an_anonymous_petition_has_no_identity_to_ask_for(world):
    petition = letter(world, "反映问题", anonymous=True)
    with pytest.raises(Refused, match="匿名"):
        ask(world, petition)
    assert not IdentityReveal.objects.exists()
    html = section(world, "t1_member", petition)
    assert "匿名反映" in html and "<form" not in html


@pytest.mark.parametrize("reason", ["", "  \u200b ", "想看看", "x" * 501])
def test_a_reason_is_required_and_meaningful(world, named, reason):
    with pytest.raises(Refused) as refused:
        request_reveal(named, reason=reason, by=world.users["t1_member"])
    assert refused.value.field == "reason"
    assert not IdentityReveal.objects.exists()


def test_one_pending_request_per_member_and_petition(world, named):
    reveal = ask(world, named)
    with pytest.raises(Refused, match="等待"):
        ask(world, named)
    ask(world, named, "t1_leader")  # another member asks on their own account
    approve_reveal(reveal, note="同意", by=world.users["custodian"])
    with pytest.raises(Refused, match="仍在查看期限内"):
        ask(world, named)
    assert IdentityReveal.objects.filter(requested_by=world.users["t1_member"]).count() == 1


def test_a_petition_about_the_inspectors_is_the_offices_alone(world):
    petition = letter(
        world, "巡察组成员接受宴请", anonymous=False, reporter_name=CANARY, about_inspectors=True
    )
    with pytest.raises(NotAllowed):
        ask(world, petition, "t1_member")
    assert ask(world, petition, "office").status == RevealStatus.PENDING


# The audit trail --------------------------------------------------------------------------------------


def test_every_step_and_every_read_is_audited_without_the_identity(world, named):
    first = ask(world, named)
    refuse_reveal(first, note="请补充理由", by=world.users["custodian"])
    second = ask(world, named)
    approve_reveal(second, note="同意", by=world.users["custodian"])
    identity_for(_user(world, "t1_member"), named)
    section(world, "t1_member", named)
    actions = list(
        AuditEvent.objects.filter(seq__gt=world.audit_seq).order_by("seq").values_list("action", flat=True)
    )
    assert [a for a in actions if a.startswith(("reveal.", "petition.identity"))] == [
        "reveal.requested",
        "reveal.refused",
        "reveal.requested",
        "reveal.approved",
        "petition.identity_read",
        "petition.identity_read",
    ]
    approved = AuditEvent.objects.get(action="reveal.approved")
    assert approved.role == Role.CUSTODIAN and approved.details["requester"] == "t1_member"
    assert approved.details["petition_number"] == named.number
    read = AuditEvent.objects.filter(action="petition.identity_read").first()
    assert read is not None and read.actor == world.users["t1_member"] and read.role == Role.TEAM_MEMBER
    assert read.object_id == str(named.pk) and read.details["reveal"] == second.pk
    _events_without_identity()


def test_nothing_logs_the_identity(world, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    with CaptureQueriesContext(connection) as queries:  # logs every statement and its parameters
        petition = letter(world, "反映问题内容", anonymous=False, reporter_name=CANARY, reporter_phone=PHONE)
        reveal = ask(world, petition)
        approve_reveal(reveal, note="同意", by=world.users["custodian"])
        section(world, "t1_member", petition)
        _client(world, "t1_member").get("/intake/reveals/")
        _client(world, "custodian").get(f"/intake/reveals/{reveal.pk}/decide/")
    assert caplog.text and _no_identity_in(caplog.text)
    assert _no_identity_in(" ".join(q["sql"] for q in queries.captured_queries))


# Pages ------------------------------------------------------------------------------------------------


def _client(world: SimpleNamespace, persona: str) -> Client:
    return login_verified(Client(), world.users[persona])


def test_a_member_asks_from_the_petition_page_and_returns_to_it(world, named):
    client = _client(world, "t1_member")
    back = f"/intake/petitions/{named.pk}/"
    url = f"/intake/petitions/{named.pk}/reveal/"
    short = client.post(url, {"reason": "看看", "next": back})
    assert short.status_code == 200 and "至少 10 个字" in short.content.decode()
    assert not IdentityReveal.objects.exists()
    response = client.post(url, {"reason": REASON, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert IdentityReveal.objects.get().requested_by == world.users["t1_member"]
    again = client.post(url, {"reason": REASON, "next": back})
    assert again.status_code == 200 and "正在等待" in again.content.decode()
    # A return address elsewhere is not followed.
    elsewhere = _client(world, "t1_leader").post(url, {"reason": REASON, "next": "https://evil.example/"})
    assert elsewhere.status_code == 302 and elsewhere["Location"] == back


def test_the_custodian_decides_from_a_list_that_shows_no_content_nor_identity(world, named):
    reveal = ask(world, named)
    client = _client(world, "custodian")
    home = client.get("/").content.decode()
    assert "待审批的身份信息查看申请" in home and named.number in home
    listing = client.get("/intake/reveals/").content.decode()
    assert named.number in listing and REASON in listing
    assert "招待费" not in listing and _no_identity_in(listing)
    page = client.get(f"/intake/reveals/{reveal.pk}/decide/").content.decode()
    assert named.number in page and REASON in page
    assert "招待费" not in page and _no_identity_in(page)
    missing = client.post(f"/intake/reveals/{reveal.pk}/decide/", {"decision": "refuse", "note": ""})
    assert missing.status_code == 200 and "请填写不予批准的理由" in missing.content.decode()
    done = client.post(f"/intake/reveals/{reveal.pk}/decide/", {"decision": "approve", "note": "同意"})
    assert done.status_code == 302 and done["Location"] == "/intake/reveals/"
    assert IdentityReveal.objects.get(pk=reveal.pk).status == RevealStatus.APPROVED
    assert "暂无待审批的申请" in client.get("/").content.decode()


def test_a_requester_sees_their_own_requests_and_may_not_decide_them(world, named):
    reveal = ask(world, named)
    client = _client(world, "t1_member")
    listing = client.get("/intake/reveals/").content.decode()
    assert named.number in listing and "待审批" in listing
    assert f"/intake/reveals/{reveal.pk}/decide/" not in listing
    assert client.get(f"/intake/reveals/{reveal.pk}/decide/").status_code == 403
    assert client.post(f"/intake/reveals/{reveal.pk}/decide/", {"decision": "approve"}).status_code == 403
    # Another member does not see it.
    assert named.number not in _client(world, "t1_leader").get("/intake/reveals/").content.decode()


@pytest.mark.parametrize("persona", ["t2_member", "liaison1", "county_office", "leader", "custodian"])
def test_other_scopes_get_404_on_the_request_page(world, named, persona):
    client = _client(world, persona)
    url = f"/intake/petitions/{named.pk}/reveal/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON}).status_code == 404
    assert client.get(f"/intake/petitions/{uuid.uuid4()}/reveal/").status_code == 404
    assert not IdentityReveal.objects.exists()


@pytest.mark.parametrize("persona", ["t2_member", "liaison1", "county_office", "office", "t1_leader"])
def test_other_scopes_get_404_on_the_decision_page(world, named, persona):
    reveal = ask(world, named)
    client = _client(world, persona)
    url = f"/intake/reveals/{reveal.pk}/decide/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve", "note": ""}).status_code == 404
    assert IdentityReveal.objects.get(pk=reveal.pk).status == RevealStatus.PENDING
    assert named.number not in client.get("/intake/reveals/").content.decode()


# Error reports ----------------------------------------------------------------------------------------


def _code_names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _code_names(const)
    return names


def _takes_identity(view: Any, seen: set[Any]) -> bool:
    """Whether a view's code (or a helper of its own module that it calls) uses a form with a reporter's
    identity or a receipt, or builds a ``PetitionInput``."""
    fn = inspect.unwrap(view)
    if fn in seen or not hasattr(fn, "__code__"):
        return False
    seen.add(fn)
    names = _code_names(fn.__code__)
    named = [fn.__globals__[n] for n in names if n in fn.__globals__]
    named += [getattr(m, n) for m in named if inspect.ismodule(m) for n in names if hasattr(m, n)]
    for obj in named:
        if obj is PetitionInput:
            return True
        if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and _identity_fields(obj):
            return True
        if inspect.isfunction(obj) and obj.__module__ == fn.__module__ and _takes_identity(obj, seen):
            return True
    return False


def _identity_fields(form: type[forms.BaseForm]) -> set[str]:
    return set(getattr(form, "base_fields", {})) & set(SENSITIVE)


def _intake_views(resolver: URLResolver | None = None) -> Iterator[URLPattern]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _intake_views(pattern)
        elif pattern.callback.__module__.startswith("xuncha.intake.views"):
            yield pattern


def _made_up(converter: Any) -> Any:
    return {"UUIDConverter": uuid.uuid4(), "IntConverter": 2**31 - 1}.get(type(converter).__name__, "x")


def _forms_with_identity() -> list[type[forms.BaseForm]]:
    import importlib
    import pkgutil

    found = []
    for info in pkgutil.iter_modules(intake_forms.__path__):
        module = importlib.import_module(f"{intake_forms.__name__}.{info.name}")
        found += [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and _identity_fields(obj)
        ]
    return found


def test_views_taking_an_identity_or_a_receipt_hide_them_from_error_reports(world):
    """A crash in the portal or in staff entry must not put the reporter's identity or a receipt into an
    error report: the views are marked with ``sensitive_post_parameters`` (outermost, so the request is
    marked before anything else can fail)."""
    views_found = [p for p in _intake_views() if _takes_identity(p.callback, set())]
    if _forms_with_identity():
        assert views_found, "forms take a reporter's identity, but no intake view using them was found"
    unmarked = []
    for pattern in views_found:
        request = RequestFactory().post("/", dict.fromkeys(SENSITIVE, CANARY))
        request.user = world.users["office"]
        SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type]
        kwargs = {name: _made_up(c) for name, c in pattern.pattern.converters.items()}
        # Whatever the view makes of a made-up id or an incomplete form, the request is marked by then.
        with contextlib.suppress(Exception):
            pattern.callback(request, **kwargs)
        shown = SafeExceptionReporterFilter().get_post_parameters(request)
        if any(shown.get(name) == CANARY for name in SENSITIVE):
            unmarked.append(f"{pattern.callback.__module__}.{pattern.callback.__name__}")
    assert not unmarked, f"mark with sensitive_post_parameters{SENSITIVE}: {unmarked}"


# The petition page ------------------------------------------------------------------------------------


def test_the_petition_page_shows_the_identity_to_the_approved_requester_only(world, named):
    url = f"/intake/petitions/{named.pk}/"
    handlers = ("office", "t1_leader", "t1_member")
    for persona in handlers:
        page = _client(world, persona).get(url).content.decode()
        assert "实名反映（身份信息已加密保护）" in page and _no_identity_in(page)
    approve_reveal(ask(world, named), note="同意", by=world.users["custodian"])
    shown = _client(world, "t1_member").get(url).content.decode()
    assert CANARY in shown and PHONE in shown
    for persona in ("office", "t1_leader"):
        assert _no_identity_in(_client(world, persona).get(url).content.decode())
    listing = _client(world, "t1_member").get("/intake/reveals/").content.decode()
    assert f'href="{url}"' in listing  # the requester finds the petition from their request
    assert AuditEvent.objects.filter(action="petition.identity_read").count() == 1
