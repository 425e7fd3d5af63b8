"""The archive package's 卷内目录 (.docx in the official layout, .xlsx), its 保管期限 and 密级 per file and
as a whole, and ``xuncha archive verify``: it passes on a fresh package, zipped or unpacked, and names the
file that was changed, removed or added — also when the manifest was rewritten to match; interview
records and petition attachments only by the committee's settings, and then sealed (the attachments under
no name their reporter gave them)."""

import hashlib
import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from xuncha.core.crypto import decrypt_bytes
from xuncha.core.files import Upload
from xuncha.core.officialdoc import layout_problems
from xuncha.fieldwork.actions.interviews import record_interview
from xuncha.fieldwork.archive_documents import documents as fieldwork_documents
from xuncha.fieldwork.tests.test_interviews import RECORD, schedule
from xuncha.findings.tests.support import set_stage
from xuncha.intake.archive_documents import documents as intake_documents
from xuncha.intake.tests.conftest import letter
from xuncha.orgs.actions import update_committee_settings
from xuncha.orgs.models import CommitteeSettings
from xuncha.reports.tests.support import final, prepare
from xuncha.rounds import actions, archive_package
from xuncha.rounds.archive import ArchiveFile, Secrecy
from xuncha.rounds.archive_package import CATALOGUE_DOCX, CATALOGUE_XLSX, MANIFEST, MANIFEST_HASH
from xuncha.rounds.archive_verify import verify
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import ArchivePackage

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(world: SimpleNamespace, tmp_path: Path) -> Path:
    """inspection1 archived with a final report (heard by the leading group); its package on disk."""
    return _archived(world, tmp_path)


def _archived(world: SimpleNamespace, tmp_path: Path) -> Path:
    w = prepare(world)
    final(w)
    set_stage(w.inspection1, Stage.REVIEWING)
    # The archive checks are cleared here (conftest): test_archive.py tests them.
    actions.transition_inspection(w.inspection1, to=Stage.ARCHIVED, by=w.users["office"])
    path = tmp_path / "package.zip"
    path.write_bytes(ArchivePackage.objects.get(inspection=w.inspection1).read())
    return path


def _files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_the_catalogue_lists_every_record_with_retention_and_secrecy(package: Path) -> None:
    files = _files(package)
    manifest = json.loads(files[MANIFEST])
    records = manifest["files"]
    paths = [entry["path"] for entry in records]
    assert {"报告/巡察报告.docx", "问题/问题底稿台账.xlsx", "信访/信访件台账.xlsx"} <= set(paths)
    assert any(path.startswith("报告/听取汇报记录/") for path in paths)  # the hearing that approved it
    assert [entry["number"] for entry in records] == list(range(1, len(records) + 1))
    report = next(entry for entry in records if entry["path"] == "报告/巡察报告.docx")
    assert report["retention"] == "永久" and report["secrecy"] == "内部" and report["date"]
    assert report["author"] == "江东市委第一巡察组"
    assert {entry["retention"] for entry in records} <= {"永久", "定期30年", "定期10年"}
    assert manifest["retention"] == "永久" and manifest["secrecy"] in ("内部", "秘密")
    assert manifest["title"].startswith("江东市委")

    catalogue = files[CATALOGUE_DOCX]
    assert layout_problems(catalogue) == []
    table = docx.Document(io.BytesIO(catalogue)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "文号",
        "责任者",
        "题名",
        "日期",
        "页数/大小",
        "密级",
        "保管期限",
    ]
    assert len(table.rows) == len(records) + 1
    assert table.rows[1].cells[3].text == records[0]["title"]
    summary = [p.text for p in docx.Document(io.BytesIO(catalogue)).paragraphs]
    assert f"保管期限：{manifest['retention']}　密级：{manifest['secrecy']}　共{len(records)}件" in summary

    sheet = openpyxl.load_workbook(io.BytesIO(files[CATALOGUE_XLSX])).active
    titles = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]
    assert titles == [entry["title"] for entry in records]
    listed = {entry["path"]: entry["sha256"] for entry in [*records, *manifest["catalogue"]]}
    assert set(listed) == set(files) - {MANIFEST, MANIFEST_HASH}
    assert files[MANIFEST_HASH].decode().split() == [hashlib.sha256(files[MANIFEST]).hexdigest(), MANIFEST]


def test_verify_passes_on_a_fresh_package_zipped_or_unpacked(package: Path, tmp_path: Path, capsys) -> None:
    assert verify(package).ok
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    assert verify(folder).ok
    call_command("archive", "verify", str(package))
    out = capsys.readouterr().out
    assert "归档材料包完好" in out and "与本系统审计记录中的归档记录一致" in out


def test_verify_names_a_changed_a_removed_and_an_added_file(package: Path, tmp_path: Path, capsys) -> None:
    files = _files(package)
    changed = dict(files, **{"报告/巡察报告.docx": files["报告/巡察报告.docx"] + b"x"})
    removed = {k: v for k, v in files.items() if k != "信访/信访件台账.xlsx"}
    added = dict(files, **{"报告/补充.txt": b"later"})
    for name, content, problem in (
        ("changed", changed, "文件已被改动：报告/巡察报告.docx"),
        ("removed", removed, "缺少文件：信访/信访件台账.xlsx"),
        ("added", added, "清单未列的多余文件：报告/补充.txt"),
    ):
        path = tmp_path / f"{name}.zip"
        _write(path, content)
        assert verify(path).problems == [problem]
        with pytest.raises(SystemExit) as exited:
            call_command("archive", "verify", str(path))
        assert exited.value.code == 1
        assert problem in capsys.readouterr().err


def test_verify_catches_a_manifest_rewritten_to_match(package: Path, tmp_path: Path) -> None:
    files = _files(package)
    body = files["报告/巡察报告.docx"] + b"x"
    manifest = json.loads(files[MANIFEST])
    for entry in manifest["files"]:
        if entry["path"] == "报告/巡察报告.docx":
            entry["sha256"] = hashlib.sha256(body).hexdigest()
    new = json.dumps(manifest, ensure_ascii=False).encode()
    forged = dict(files, **{"报告/巡察报告.docx": body, MANIFEST: new})
    path = tmp_path / "forged.zip"
    _write(path, forged)
    unknown = f"清单文件 {MANIFEST} 与本系统的归档记录不符（审计记录中没有此清单）"
    assert verify(path).problems == [f"清单文件 {MANIFEST} 已被改动（与 {MANIFEST_HASH} 不符）", unknown]
    forged[MANIFEST_HASH] = f"{hashlib.sha256(new).hexdigest()}  {MANIFEST}\n".encode()
    _write(path, forged)
    assert verify(path).problems == [unknown]


def test_interview_records_go_in_only_by_the_committees_setting_and_then_sealed(
    world: SimpleNamespace,
) -> None:
    interview = schedule(world, world.principal1, hours=-2)
    record_interview(interview, text=RECORD, by=world.users["t1_member"])
    office = world.users["office"]

    def records() -> list[ArchiveFile]:
        return [
            f for f in fieldwork_documents(world.inspection1, office) if f.path.startswith("了解/谈话记录/")
        ]

    assert records() == []
    CommitteeSettings.objects.filter(committee=world.city).update(archive_interview_records=True)
    (record,) = records()
    assert record.sealed and record.secrecy == Secrecy.SECRET
    built = archive_package.build(world.inspection1, by=office, at=timezone.now())
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        path = f"{record.path}{archive_package.SEALED_SUFFIX}"
        sealed = archive.read(path)
        assert record.path not in archive.namelist()
    assert RECORD.encode() not in sealed
    plain = decrypt_bytes(sealed, aad=archive_package.sealed_aad(world.inspection1.pk, path))
    assert RECORD in [p.text for p in docx.Document(io.BytesIO(plain)).paragraphs]
    (entry,) = [e for e in manifest["files"] if e["path"] == path]
    assert entry["encrypted"] and entry["secrecy"] == "秘密"
    assert entry["sha256"] == hashlib.sha256(sealed).hexdigest()  # verify needs no key


REPORTER_NAME = "欧阳明"  # in the attachment's name and in the petition's reporter fields, nowhere else
LETTER = "欧阳明举报市财政局违规报销的材料".encode()


def _attachment_letter(world: SimpleNamespace) -> str:
    petition = letter(
        world,
        "市财政局违规报销招待费",
        anonymous=False,
        reporter_name=REPORTER_NAME,
        files=[Upload(f"{REPORTER_NAME}的举报信.txt", LETTER)],
    )
    return petition.number


def test_petition_attachments_go_in_only_by_the_committees_setting(world: SimpleNamespace) -> None:
    number = _attachment_letter(world)
    office = world.users["office"]

    def attachments() -> list[ArchiveFile]:
        files = intake_documents(world.inspection1, office)
        return [f for f in files if f.path.startswith("信访/信访件附件/")]

    assert attachments() == []
    settings = CommitteeSettings.objects.get(committee=world.city)
    update_committee_settings(settings, archive_petition_attachments=True, by=office)
    (attachment,) = attachments()
    assert attachment.path == f"信访/信访件附件/{number}-01.txt" and attachment.data == LETTER
    assert attachment.title == f"信访件{number}附件1（文本文件）" and attachment.author == "反映人"
    assert attachment.sealed and attachment.secrecy == Secrecy.SECRET


def test_sealed_petition_attachments_name_no_reporter_and_the_package_verifies(
    world: SimpleNamespace, tmp_path: Path, capsys
) -> None:
    number = _attachment_letter(world)
    CommitteeSettings.objects.filter(committee=world.city).update(archive_petition_attachments=True)
    package = _archived(world, tmp_path)
    files = _files(package)
    path = f"信访/信访件附件/{number}-01.txt{archive_package.SEALED_SUFFIX}"
    assert LETTER not in files[path]
    plain = decrypt_bytes(files[path], aad=archive_package.sealed_aad(world.inspection1.pk, path))
    assert plain == LETTER
    manifest = json.loads(files[MANIFEST])
    (entry,) = [e for e in manifest["files"] if e["path"] == path]
    assert entry["encrypted"] and entry["secrecy"] == "秘密" and entry["retention"] == "定期30年"
    assert entry["title"] == f"信访件{number}附件1（文本文件）" and entry["author"] == "反映人"
    assert manifest["secrecy"] == "秘密"  # the highest of its records
    # The reporter's name is in no file name, no catalogue line and no manifest entry.
    tables = docx.Document(io.BytesIO(files[CATALOGUE_DOCX])).tables
    catalogue_docx = "\n".join(cell.text for table in tables for row in table.rows for cell in row.cells)
    sheet = openpyxl.load_workbook(io.BytesIO(files[CATALOGUE_XLSX])).worksheets[0]
    catalogue_xlsx = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert f"信访件{number}附件1（文本文件）" in catalogue_docx and f"信访件{number}附件1" in catalogue_xlsx
    for text in (*files, files[MANIFEST].decode(), catalogue_docx, catalogue_xlsx):
        assert REPORTER_NAME not in text and "举报信" not in text
    assert verify(package).problems == []
    call_command("archive", "verify", str(package))
    assert "归档材料包完好" in capsys.readouterr().out
    changed = tmp_path / "changed.zip"
    _write(changed, dict(files, **{path: files[path][:-1] + bytes([files[path][-1] ^ 1])}))
    assert verify(changed).problems == [f"文件已被改动：{path}"]
