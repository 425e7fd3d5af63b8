"""Background ledger exports: a job is its user's own (the office's here); everyone else gets 404, as for
a missing id. Starting one with an empty body is refused (422) for every logged-in caller."""

from types import SimpleNamespace

from xuncha.core import exports
from xuncha.tests.matrix import ALL, NO_OTP, Row, but, empty_body, rule


def add_world(w: SimpleNamespace) -> None:
    """A finished export of the office's petitions ledger (run here: the world is built in a transaction)."""
    w.export_job = exports.start(w.users["office"], "petitions", {})
    exports.run(w.export_job.pk)


OWNER = ("office",)

ROWS: list[Row] = [
    rule("/exports/{w.export_job.pk}/", ok=OWNER),
    rule("/exports/{w.export_job.pk}/progress/", ok=OWNER),
    rule("/exports/{w.export_job.pk}/file/", ok=OWNER),
    rule("/api/v1/exports/{w.export_job.pk}", ok=OWNER),
    rule("/api/v1/exports/{w.export_job.pk}/file", ok=OWNER),
    rule("/api/v1/exports/", ok=but(ALL, NO_OTP), ok_status=405),  # POST only
    empty_body("/api/v1/exports/"),
    rule(
        "/api/v1/exports/",
        "POST",
        ok=(),
        other=422,
        data={"ledger": "nothing"},
        note="no such ledger",
    ),
]
