"""The portal's throttle under concurrency: 50 submissions fired at once from one address against a limit
of 10 store at most 10 petitions (the counter is one conditional upsert, core/throttle.py)."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from xuncha.conftest import build_world
from xuncha.core import throttle
from xuncha.intake.models import Petition

from .conftest import announce

CLIENTS = 50
LIMIT = 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_against_a_limit_of_ten_store_at_most_ten(settings):
    settings.XUNCHA_PORTAL_LIMITS = {**settings.XUNCHA_PORTAL_LIMITS, throttle.SUBMIT: LIMIT}
    announcement = announce(build_world().inspection1)
    body = json.dumps({"public_code": announcement.public_code, "content": "反映市财政局违规发放津贴"})
    start = threading.Barrier(CLIENTS)

    def submit(_: int) -> int:
        try:
            start.wait()
            response = Client(REMOTE_ADDR="203.0.113.50").post(
                "/api/v1/public/petitions", body, content_type="application/json"
            )
            return response.status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(submit, range(CLIENTS)))
    stored = Petition.objects.filter(inspection=announcement.inspection).count()
    assert stored == LIMIT and sorted(answers) == [201] * LIMIT + [429] * (CLIENTS - LIMIT)
