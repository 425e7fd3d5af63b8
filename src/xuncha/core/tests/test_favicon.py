"""The site icon: every page frame links it, and the linked files are there."""

from django.contrib.staticfiles import finders
from django.test import Client

from .test_templates import TEMPLATES

ICONS = ("xuncha/icons/favicon.ico", "xuncha/icons/favicon.svg", "xuncha/icons/apple-touch-icon.png")


def test_every_page_frame_links_the_icon():
    # 500.html is rendered when anything may be broken, so it stays a bare page without includes.
    frames = [p for p in TEMPLATES.rglob("*.html") if "<html" in p.read_text(encoding="utf-8")]
    missing = [
        str(p.relative_to(TEMPLATES))
        for p in frames
        if p.name != "500.html" and 'include "partials/favicon.html"' not in p.read_text(encoding="utf-8")
    ]
    assert len(frames) >= 5
    assert missing == []


def test_the_icon_files_exist_and_staff_and_portal_pages_link_them(db):
    assert all(finders.find(path) for path in ICONS)
    for url in ("/accounts/login/", "/portal/lookup/"):
        page = Client().get(url).content.decode()
        assert 'rel="icon"' in page and "favicon.svg" in page and "favicon.ico" in page, url
