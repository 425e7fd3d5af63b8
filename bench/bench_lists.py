"""Latency of the inspection list, the web page and the API, as the office and as a team member."""

from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

from xuncha.demo.benchmarks import timed

API_LIST = "/api/v1/inspections/"


def _page_url():
    try:
        return reverse("rounds:inspection-list")
    except NoReverseMatch:
        return None


def run(ctx):
    page = _page_url()
    # The test client's host, and no TOTP prompt: the benchmark measures the pages, not the login.
    with override_settings(ALLOWED_HOSTS=["testserver"], XUNCHA_DEMO=True):
        for persona, user in ctx.users.items():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            urls = [("page", page), ("API", API_LIST)] if page else [("API", API_LIST)]
            for kind, url in urls:
                response = client.get(url, secure=settings.XUNCHA_HTTPS)
                if response.status_code != 200:
                    ctx.write(f"  {kind} {url} as {persona}: HTTP {response.status_code}, skipped")
                    continue
                timing = timed(
                    lambda url=url, client=client: client.get(url, secure=settings.XUNCHA_HTTPS),
                    repeat=ctx.repeat,
                )
                ctx.latency(f"{kind} {url} ({persona} {user.username})", timing)
            client.logout()
    if page is None:
        ctx.write("  (no inspection list page yet: only the API was measured)")
