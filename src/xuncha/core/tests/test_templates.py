"""Template hygiene: Django's ``{# … #}`` comment ends on its own line; one spread over lines is shown to
the user as text (the portal once printed its comment about the referrer policy)."""

import re
from pathlib import Path

import xuncha

TEMPLATES = Path(xuncha.__file__).parent / "templates"
UNCLOSED = re.compile(r"\{#(?!.*#\})")


def test_no_comment_tag_spans_lines():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNCLOSED.search(line)
    ]
    assert found == []
