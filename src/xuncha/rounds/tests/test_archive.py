"""Archiving across the apps: the refusal lists every open item of every app (action, page, API), the
sealed archive package holds the apps' documents with a manifest whose hashes match its files, only the
office and the leading group download it (audited), and an archived inspection's case objects no longer
change."""

import hashlib
import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.fieldwork.actions.documents import start_document_request
from xuncha.findings import actions as findings
from xuncha.findings.choices import ClueKind
from xuncha.findings.clues.actions import ClueInput, draft_clue
from xuncha.findings.tests.support import content, set_stage
from xuncha.reports import actions as reports
from xuncha.reports.models import Report
from xuncha.reports.tests.support import final, prepare
from xuncha.rounds import actions, checks
from xuncha.rounds.archive_package import MANIFEST, MANIFEST_HASH
from xuncha.rounds.choices import Stage
from xuncha.rounds.mobilisation import save_meeting
from xuncha.rounds.models import ArchivePackage

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def stage_machine_only() -> None:
    """Here every app's checks apply (this overrides the conftest fixture that clears them)."""


def _open_in_several_apps(world: SimpleNamespace) -> SimpleNamespace:
    w = prepare(world)  # findings signed off, inspection1 in 报告
    reports.assemble_report(w.inspection1, by=w.users["t1_member"])  # a draft report: reports' line
    data = ClueInput(
        title="收受礼金",
        content="线索内容。",
        kind=ClueKind.DISCIPLINE,
        persons=[w.deputy1],
        confidential=False,
    )
    w.clue = draft_clue(w.inspection1, data=data, by=w.users["t1_leader"])  # a draft clue: findings' line
    set_stage(w.inspection1, Stage.REVIEWING)
    return w


def test_archiving_is_refused_listing_the_open_items_of_every_app(world, client_for) -> None:
    w = _open_in_several_apps(world)
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(w.inspection1, to=Stage.ARCHIVED, by=w.users["office"])
    message = refused.value.message
    assert message.startswith("尚有未办结事项，不能归档：")
    assert "巡察报告尚未经领导小组同意定稿" in message and f"问题线索 {w.clue.number}" in message
    assert f"信访件 {w.petition1.number} 尚未分拣" in message  # intake's

    page = client_for("office").get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    report = Report.objects.get(inspection=w.inspection1)
    # Each item links to the page where it is settled.
    assert "不能进入“归档”阶段" in page
    assert f'<a href="/reports/{report.pk}/">巡察报告尚未经领导小组同意定稿</a>' in page
    assert f'<a href="/findings/clues/{w.clue.pk}/">问题线索 {w.clue.number}' in page
    assert f'<a href="/intake/petitions/{w.petition1.pk}/">信访件 {w.petition1.number} 尚未分拣</a>' in page
    answer = client_for("office").post(
        f"{API}/inspections/{w.inspection1.pk}/transition",
        {"to": "archived"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "巡察报告尚未经领导小组同意定稿" in answer.content.decode()
    w.inspection1.refresh_from_db()
    assert w.inspection1.stage == Stage.REVIEWING and not ArchivePackage.objects.exists()


def _archived(world: SimpleNamespace) -> SimpleNamespace:
    """inspection1 archived with findings and a final report; the open petition and the undelivered
    feedback of the world are let through (the test above covers the refusal)."""
    w = prepare(world)
    final(w)
    set_stage(w.inspection1, Stage.REVIEWING)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "_checks", {})
        actions.transition_inspection(w.inspection1, to=Stage.ARCHIVED, by=w.users["office"])
    return w


def test_the_package_holds_the_apps_documents_and_the_manifest_hashes_match(world) -> None:
    w = _archived(world)
    package = ArchivePackage.objects.get(inspection=w.inspection1)
    assert package.built_by == w.users["office"]
    data = package.read()
    assert hashlib.sha256(data).hexdigest() == package.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest_bytes = archive.read(MANIFEST)
        manifest = json.loads(manifest_bytes)
        files = {
            name: archive.read(name) for name in archive.namelist() if name not in (MANIFEST, MANIFEST_HASH)
        }
    listed = {entry["path"]: entry for entry in [*manifest["files"], *manifest["catalogue"]]}
    assert set(listed) == set(files)
    for path, body in files.items():
        assert listed[path]["size"] == len(body)
        assert listed[path]["sha256"] == hashlib.sha256(body).hexdigest(), path
    assert {"报告/巡察报告.docx", "问题/问题底稿台账.xlsx", "信访/信访件台账.xlsx"} <= set(files)
    assert manifest["inspection"]["id"] == w.inspection1.pk and manifest["inspection"]["unit"] == "市财政局"
    assert manifest["built_by"]["username"] == w.users["office"].username and manifest["built_at"]
    event = AuditEvent.objects.get(action="archive_package.built")
    assert event.details["sha256"] == package.sha256
    assert event.details["manifest_sha256"] == hashlib.sha256(manifest_bytes).hexdigest()


def test_only_the_office_and_leading_group_download_the_package_audited(world, client_for) -> None:
    w = _archived(world)
    package = ArchivePackage.objects.get(inspection=w.inspection1)
    for path in (
        f"/rounds/inspections/{w.inspection1.pk}/archive-package/",
        f"{API}/inspections/{w.inspection1.pk}/archive-package",
    ):
        for persona in ("office", "leader"):
            answer = client_for(persona).get(path)
            assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
            assert hashlib.sha256(answer.content).hexdigest() == package.sha256
            assert answer["Cache-Control"] == "private, no-store"
        # The team's roles ended with the archiving: it no longer sees the inspection at all.
        assert client_for("t1_leader").get(path).status_code == 404
        assert client_for("t2_member").get(path).status_code == 404
    assert AuditEvent.objects.filter(action="archive_package.read").count() == 4
    page = client_for("office").get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    assert "下载归档材料包" in page and package.sha256 in page
    assert client_for("t1_leader").get(f"/rounds/inspections/{w.inspection1.pk}/").status_code == 404


def test_an_inspection_not_yet_archived_has_no_package(world, client_for) -> None:
    answer = client_for("office").get(f"/rounds/inspections/{world.inspection1.pk}/archive-package/")
    assert answer.status_code == 404


def test_an_archived_inspections_case_objects_no_longer_change(world) -> None:
    w = _archived(world)
    with pytest.raises(Refused, match="已归档"):
        findings.draft_finding(w.inspection1, data=content(w), by=w.users["t1_member"])
    with pytest.raises(Refused, match="已归档"):
        draft_clue(
            w.inspection1,
            data=ClueInput(
                title="线索",
                content="内容。",
                kind=ClueKind.DISCIPLINE,
                persons=[w.deputy1],
                confidential=False,
            ),
            by=w.users["t1_leader"],
        )
    with pytest.raises(Refused, match="已归档"):
        start_document_request(w.inspection1, by=w.users["t1_leader"])
    with pytest.raises(Refused, match="已归档"):
        save_meeting(
            w.inspection1,
            held_at=timezone.now(),
            place="会议室",
            chair="书记",
            attendees="班子成员",
            agenda="动员讲话",
            notes="",
            by=w.users["office"],
        )
    with pytest.raises(Refused, match="已归档"):
        actions.transition_inspection(w.inspection1, to=Stage.ARCHIVED, by=w.users["office"])
