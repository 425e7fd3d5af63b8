"""The API keeps its published contract: schemathesis generates requests for every operation of
/api/v1/openapi.json, as four personas, and each answer must be no 5xx, a documented status code and
content type, and a body that matches the documented schema.

Bounded (a few derandomised examples per operation) so it runs in the normal suite on both databases."""

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from xuncha.core.models import ApiToken

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 2


@pytest.fixture
def app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler inside the test's transaction: as the test client does, a request must not
    close the database connection the test holds."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["office", "t1_member", "liaison1", "jiwei"])
def test_every_operation_keeps_the_contract(world: SimpleNamespace, app: WSGIHandler, persona: str) -> None:
    raw, digest = ApiToken.new_raw()
    ApiToken.objects.create(user=world.users[persona], name="schemathesis", digest=digest)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [operation for methods in schema.values() for operation in methods.values()]
    assert len(operations) > 100
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, all failures reported
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
