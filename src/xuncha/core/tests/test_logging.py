"""A refused or missing page logs one line without a traceback; a server error keeps its traceback."""

import logging

import pytest
from django.urls import reverse

from xuncha.core.logfilters import OneLineClientErrors

pytestmark = pytest.mark.django_db


def _request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.mark.parametrize(
    ("route", "unit", "status"),
    [
        ("orgs:unit-edit", "unit1", 403),  # the liaison sees the unit but may not edit it: PermissionDenied
        ("orgs:unit-detail", "county_unit", 404),  # another committee's unit
    ],
)
def test_a_4xx_logs_one_line_without_traceback(world, client_for, caplog, route, unit, status):
    url = reverse(route, args=[getattr(world, unit).pk])
    caplog.set_level(logging.WARNING, logger="django.request")
    assert client_for("liaison1").get(url).status_code == status
    (record,) = _request_records(caplog)
    assert record.exc_info is None
    assert "Traceback" not in caplog.text
    assert url in record.getMessage()


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", None, (type(exc), exc, None))
    record.status_code = 500
    assert OneLineClientErrors().filter(record) and record.exc_info is not None
