import pytest
from django.db import connection
from django.test import Client

from xuncha import settings as base


def test_production_settings_hash_passwords_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_password_policy():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in base.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "ChineseMinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert base.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 10}


def test_lockout_and_session_settings():
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert base.SESSION_COOKIE_HTTPONLY and base.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert base.XUNCHA_IDLE_TIMEOUT == 30 * 60
    assert "django.contrib.admin" not in base.INSTALLED_APPS  # replaced by the role-checking admin


@pytest.mark.django_db
def test_healthz_answers_with_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-Id"]


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_database(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
