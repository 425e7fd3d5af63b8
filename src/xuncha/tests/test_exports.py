"""Ledger exports above the threshold run in the background (core/exports.py): the job runs to completion
(inline here: the immediate task backend, on commit), counts its progress, belongs to its user alone (404
for anyone else), is downloaded watermarked and audited as a direct export, fails with a Chinese message,
and its file is deleted once expired. The API offers the same verbs."""

import datetime
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from xuncha.core import exports
from xuncha.core.choices import ExportState
from xuncha.core.models import AuditEvent, ExportJob
from xuncha.intake.tests.conftest import letter

EXPORT = "/intake/petitions/export/"


@pytest.fixture
def big(world: SimpleNamespace, settings: Any, tmp_path: Any) -> SimpleNamespace:
    """Three petitions, and a threshold of one row, so that the petitions' ledger goes to the background."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XUNCHA_EXPORT_BACKGROUND_ROWS = 1
    for text in ("市财政局违规发放津贴", "区教育局招生不公", "市住建局工程转包"):
        letter(world, text)
    return world


def _started(client: Client, capture: Any, url: str = EXPORT) -> ExportJob:
    with capture(execute=True):  # the task is enqueued on commit and runs now (immediate backend)
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    return job


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_a_large_export_runs_in_the_background_and_is_downloaded_audited(
    big: SimpleNamespace, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("t1_member")
    job = _started(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == (ExportState.DONE, 3, 3)
    assert job.user == big.users["t1_member"] and job.ledger == "petitions"
    sealed = job.blob.read()
    assert not sealed.startswith(b"PK") and b"xl/worksheets" not in sealed  # stored encrypted
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "已导出 3 行" in page and f"/exports/{job.pk}/file/" in page and "every 2s" not in page
    events = AuditEvent.objects.filter(action="petition.exported")
    assert not events.exists()  # writing is not an export: the download is
    response = client.get(f"/exports/{job.pk}/file/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    book = _book(response.getvalue())
    sheet = book.worksheets[0]
    assert sheet["A1"].value.startswith("导出人：t1_member")
    assert len(list(sheet.iter_rows(min_row=3, values_only=True))) == 3
    event = events.get()
    assert event.actor == big.users["t1_member"] and event.details["rows"] == 3


def test_below_the_threshold_the_export_is_downloaded_at_once(
    big: SimpleNamespace, settings: Any, client_for: Callable[[str], Client]
) -> None:
    settings.XUNCHA_EXPORT_BACKGROUND_ROWS = 3
    response = client_for("t1_member").get(EXPORT)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert not ExportJob.objects.exists()


def test_progress_is_counted_and_shown_while_the_job_runs(
    big: SimpleNamespace, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xuncha.intake.ledger.CHUNK", 1)
    user = big.users["t1_member"]
    seen: list[int] = []
    export = exports.plan(user, "petitions", {})
    handle, rows = export.write(timezone.now(), seen.append)
    handle.close()
    assert rows == 3 and seen == [1, 2, 3]
    # The job records each step: the page shows it while it runs.
    job = exports.start(user, "petitions", {})  # not committed here: the task is not run
    recorded: list[int] = []
    real = exports.plan

    def spying(user: Any, name: str, filters: Any) -> exports.Export:
        planned = real(user, name, filters)

        def write(at: datetime.datetime, progress: Any) -> Any:
            def told(n: int) -> None:
                progress(n)
                recorded.append(ExportJob.objects.get(pk=job.pk).rows_done)

            return planned.write(at, told)

        return exports.Export(planned.rows, write, planned.record, planned.filename)

    monkeypatch.setattr(exports, "plan", spying)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING, rows_done=2)
    page = client_for("t1_member").get(f"/exports/{job.pk}/progress/").content.decode()
    assert "已导出 2 / 3 行" in page and "progress-bar" in page and "every 2s" in page
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.QUEUED, rows_done=0)
    assert exports.run(job.pk).state == ExportState.DONE
    assert recorded == [1, 2, 3]


def test_only_the_user_who_asked_sees_the_job(
    big: SimpleNamespace, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    job = _started(client_for("t1_member"), django_capture_on_commit_callbacks)
    for persona in ("t1_leader", "office"):  # both see the petitions themselves
        other = client_for(persona)
        for path in ("", "progress/", "file/"):
            assert other.get(f"/exports/{job.pk}/{path}").status_code == 404, (persona, path)
        for path in ("", "/file"):
            assert other.get(f"/api/v1/exports/{job.pk}{path}").status_code == 404, (persona, path)
    assert not AuditEvent.objects.filter(action="petition.exported").exists()


def test_expired_files_are_deleted(
    big: SimpleNamespace, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("t1_member")
    job = _started(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    stored = job.blob.name
    storage = job.blob.storage
    assert storage.exists(stored)
    assert exports.purge_expired() == 0  # not yet
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    out = io.StringIO()
    call_command("purge-exports", stdout=out)
    assert "1 个" in out.getvalue()
    job.refresh_from_db()
    assert job.state == ExportState.EXPIRED and not job.blob and not storage.exists(stored)
    assert "已过期" in client.get(f"/exports/{job.pk}/").content.decode()
    response = client.get(f"/exports/{job.pk}/file/")
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert client.get(f"/api/v1/exports/{job.pk}/file").status_code == 410
    assert not AuditEvent.objects.filter(action="petition.exported").exists()


def test_the_daily_jobs_include_the_purge() -> None:
    from xuncha.core.daily import _jobs

    assert exports.purge_expired_task in _jobs


def test_a_failed_export_says_why_in_chinese(
    big: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    user = big.users["t1_member"]
    job = exports.start(user, "petitions", {})
    user.role_assignments.update(active=False)  # no longer a team member when the worker runs
    assert exports.run(job.pk).state == ExportState.FAILED
    job.refresh_from_db()
    assert job.error == "只有巡察组成员和巡察办可以导出信访件台账。" and not job.blob
    user.role_assignments.update(active=True)
    page = client_for("t1_member").get(f"/exports/{job.pk}/").content.decode()
    assert "导出失败：只有巡察组成员和巡察办可以导出信访件台账。" in page


def test_an_unexpected_error_fails_the_job_with_a_general_message(
    big: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = exports.start(big.users["t1_member"], "petitions", {})

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr("xuncha.intake.ledger.write", broken)
    assert exports.run(job.pk).state == ExportState.FAILED
    job.refresh_from_db()
    assert job.error.startswith("导出时发生错误") and "disk" not in job.error


def test_the_api_starts_a_job_reports_progress_and_serves_the_file(
    big: SimpleNamespace, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("t1_member")
    body = {"ledger": "petitions", "filters": {"q": "市"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/exports/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    started = response.json()
    assert started["state"] == "queued" and started["rows_total"] == 2 and started["filters"] == {"q": ["市"]}
    found = client.get(f"/api/v1/exports/{started['id']}").json()
    assert (found["state"], found["rows_done"], found["rows_total"]) == ("done", 2, 2)
    assert found["file"] == f"/api/v1/exports/{started['id']}/file"
    response = client.get(found["file"])
    assert response.status_code == 200
    assert len(list(_book(response.getvalue()).worksheets[0].iter_rows(min_row=3))) == 2
    assert AuditEvent.objects.get(action="petition.exported").details["rows"] == 2


def test_the_api_refuses_what_the_page_refuses(
    big: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    client = client_for("t1_member")

    def post(body: dict[str, Any]) -> Any:
        return client.post("/api/v1/exports/", body, content_type="application/json")

    assert post({"ledger": "nothing"}).status_code == 422
    assert post({"ledger": "findings"}).status_code == 422  # which inspection?
    assert post({"ledger": "findings", "filters": {"inspection": str(big.inspection2.pk)}}).status_code == 404
    assert post({"ledger": "petitions", "filters": {"received_from": "昨天"}}).status_code == 422
    assert (
        client_for("liaison1")
        .post("/api/v1/exports/", {"ledger": "petitions"}, content_type="application/json")
        .status_code
        == 403
    )
    running = exports.start(big.users["t1_member"], "petitions", {})
    assert client.get(f"/api/v1/exports/{running.pk}/file").status_code == 409
    assert not ExportJob.objects.exclude(pk=running.pk).exists()


def test_a_download_whose_filters_no_longer_hold_says_why_instead_of_failing(
    big: SimpleNamespace, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("t1_member")
    job = _started(client, django_capture_on_commit_callbacks)
    # As if the user's sight had changed since: the saved filter names an inspection the user does not see.
    ExportJob.objects.filter(pk=job.pk).update(filters={"inspection": [str(big.inspection2.pk)]})
    response = client.get(f"/exports/{job.pk}/file/")
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert "筛选条件有误，请改正后再导出。" in client.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.filter(action="petition.exported").exists()
