"""Unsafe methods from a browser session need the CSRF token, in the web pages and in the API alike; API
calls with a Bearer token (which a browser never adds by itself) do not.

The authorisation matrix runs with Django's test client, which skips CSRF checks; these tests use
``enforce_csrf_checks=True``, as a real browser meets the site.
"""

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from xuncha.conftest import login_verified
from xuncha.core.actions import create_api_token, revoke_api_token
from xuncha.orgs.models import Unit

NAME = "市审计局"


@pytest.fixture
def browser(world: SimpleNamespace) -> Client:
    """The office's browser session, with CSRF checks on."""
    return login_verified(Client(enforce_csrf_checks=True), world.users["office"])


def _token(client: Client, page: str) -> str:
    """The CSRF token a page hands to its forms and scripts."""
    return str(client.get(page).context["csrf_token"])


def _unit(world: SimpleNamespace) -> dict[str, object]:
    return {"committee": world.city.pk, "name": NAME, "unit_type": "organ"}


@pytest.mark.django_db
def test_web_form_post_without_csrf_token_is_refused(world: SimpleNamespace, browser: Client) -> None:
    assert browser.post("/orgs/units/new/", _unit(world)).status_code == 403
    assert not Unit.objects.filter(name=NAME).exists()

    with_token = _unit(world) | {"csrfmiddlewaretoken": _token(browser, "/orgs/units/new/")}
    assert browser.post("/orgs/units/new/", with_token).status_code == 302
    assert Unit.objects.filter(name=NAME).exists()


@pytest.mark.django_db
def test_api_post_from_a_session_without_csrf_token_is_refused(
    world: SimpleNamespace, browser: Client
) -> None:
    body = json.dumps(_unit(world))
    response = browser.post("/api/v1/units/", body, content_type="application/json")
    assert response.status_code == 403
    assert not Unit.objects.filter(name=NAME).exists()

    headers = {"X-CSRFToken": _token(browser, "/")}  # as htmx sends it from the page
    response = browser.post("/api/v1/units/", body, content_type="application/json", headers=headers)
    assert response.status_code == 201
    assert Unit.objects.filter(name=NAME).exists()


@pytest.mark.django_db
def test_api_post_with_bearer_token_needs_no_csrf_token(world: SimpleNamespace) -> None:
    _, raw = create_api_token(user=world.users["office"], name="数据交换", by=None)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/units/",
        json.dumps(_unit(world)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert Unit.objects.get(name=NAME).committee_id == world.city.pk


@pytest.mark.django_db
def test_api_post_with_revoked_bearer_token_is_unauthenticated(world: SimpleNamespace) -> None:
    token, raw = create_api_token(user=world.users["office"], name="数据交换", by=None)
    revoke_api_token(token, by=None)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/units/",
        json.dumps(_unit(world)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert not Unit.objects.filter(name=NAME).exists()
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}
