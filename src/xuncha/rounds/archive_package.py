"""The archive package (归档材料包) of an inspection: a zip of every record the apps register
(``archive.register_archive_documents``) and rounds' own, its 卷内目录 (.docx and .xlsx), ``manifest.json``
and ``manifest.sha256``.

The manifest lists the package (案卷题名, 保管期限 and 密级: the longest and the highest of its records),
who built it and when, and every file with its line in the 卷内目录 and its SHA-256. ``manifest.sha256``
holds the manifest's own hash, which the archiving action also writes into its audit event: whoever
rewrites a file and the manifest to match cannot rewrite the signed audit chain (``archive_verify``).

It is built once, in the archiving action, and kept sealed (``core.files.SealedFile``) rather than rebuilt
on demand: a rebuilt .docx or .xlsx carries a new timestamp (and whatever later code changes to the
layout), so its hashes would differ from one download to the next; the sealed package is the record of
what was archived, and its manifest hashes can be checked against its files at any time.

Records marked ``sealed`` (interview records and petition attachments, when the committee's settings put
them in) are encrypted with the system's key as every stored file is (``core.crypto``), bound to the
inspection and the path: the office downloads the package whole, and these are read only where each read
is audited.
"""

import datetime
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from xuncha.core import crypto
from xuncha.core.choices import Role
from xuncha.core.files import Checked
from xuncha.core.models import User

from . import archive_catalogue as catalogue
from . import mobilisation
from .archive import ArchiveFile, Retention, Secrecy, archive_documents, highest, longest
from .models import ArchivePackage, Inspection, MobilisationMeeting

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
CATALOGUE_DOCX = "卷内目录.docx"
CATALOGUE_XLSX = "卷内目录.xlsx"
RESERVED = frozenset({MANIFEST, MANIFEST_HASH, CATALOGUE_DOCX, CATALOGUE_XLSX})
SEALED_SUFFIX = ".sealed"
FORMAT = "xuncha-archive/2"
ZIP = "application/zip"


def reader_roles(inspection: Inspection) -> dict[str, int]:
    """Who may download the package: the office and the leading group of the inspection's committee."""
    committee_id = inspection.round.committee_id
    return {Role.OFFICE: committee_id, Role.LEADING_GROUP: committee_id}


def _subject(inspection: Inspection) -> str:
    return f"{inspection.round.name}{inspection.team.name}巡察{inspection.unit.name}"


def filename(inspection: Inspection) -> str:
    return f"{_subject(inspection)}归档材料包.zip"


def case_title(inspection: Inspection) -> str:
    """案卷题名."""
    return f"{inspection.team_signature}巡察{inspection.unit.name}（{inspection.round.name}）"


def sealed_aad(inspection_id: int, path: str) -> bytes:
    return crypto.associated_data("rounds.archivepackage", path, inspection_id)


def _mobilisation_documents(inspection: Inspection) -> list[ArchiveFile]:
    meeting = MobilisationMeeting.objects.filter(inspection=inspection).first()
    if meeting is None:
        return []
    day = timezone.localtime(meeting.held_at).date()
    return [
        ArchiveFile(
            "动员会/动员会通知.docx",
            mobilisation.notice_document(meeting),
            title="关于召开巡察工作动员会的通知",
            day=day,
            retention=Retention.YEARS_10,
        ),
        ArchiveFile(
            "动员会/动员会会议记录.docx",
            mobilisation.record_document(meeting),
            title="巡察工作动员会会议记录",
            day=day,
        ),
    ]


@dataclass(frozen=True)
class Built:
    data: bytes
    manifest_sha256: str


def _stored(inspection: Inspection, entry: ArchiveFile) -> tuple[str, bytes]:
    if not entry.sealed:
        return entry.path, entry.data
    path = entry.path + SEALED_SUFFIX
    return path, crypto.encrypt_bytes(entry.data, aad=sealed_aad(inspection.pk, path))


def _title(entry: ArchiveFile) -> str:
    name = entry.path.rsplit("/", 1)[-1]
    return entry.title or name.rsplit(".", 1)[0]


def build(inspection: Inspection, *, by: User, at: datetime.datetime) -> Built:
    """The zip: the records in path order, the 卷内目录, then the manifest and its hash."""
    entries = sorted(
        [*_mobilisation_documents(inspection), *archive_documents(inspection, by)], key=lambda e: e.path
    )
    paths = [entry.path for entry in entries]
    if len(set(paths)) != len(paths) or RESERVED & set(paths):
        raise ValueError("archive document paths must be unique")  # a provider's bug, not the user's
    team = inspection.team_signature
    lines, files = [], []
    stored: list[tuple[str, bytes]] = []
    for number, entry in enumerate(entries, 1):
        path, data = _stored(inspection, entry)
        line = catalogue.Line(
            number=number,
            document_number=entry.number,
            author=entry.author or team,
            title=_title(entry),
            day=entry.day,
            data=entry.data,
            secrecy=Secrecy(entry.secrecy).label,
            retention=Retention(entry.retention).label,
        )
        lines.append(line)
        stored.append((path, data))
        files.append(
            {
                "number": number,
                "path": path,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "document_number": line.document_number,
                "author": line.author,
                "title": line.title,
                "date": line.day.isoformat() if line.day else "",
                "extent": line.extent,
                "secrecy": line.secrecy,
                "retention": line.retention,
                "encrypted": entry.sealed,
            }
        )
    retention = longest(entry.retention for entry in entries)
    secrecy = highest(entry.secrecy for entry in entries)
    heading = catalogue.Heading(case_title(inspection), retention.label, secrecy.label)
    own = [
        (CATALOGUE_DOCX, catalogue.docx(heading, lines)),
        (CATALOGUE_XLSX, catalogue.xlsx(heading, lines, by=by, at=at)),
    ]
    manifest = _manifest(inspection, heading, by, at, files, own)
    manifest_hash = hashlib.sha256(manifest).hexdigest()
    stamp = timezone.localtime(at).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in [
            *own,
            *stored,
            (MANIFEST, manifest),
            (MANIFEST_HASH, f"{manifest_hash}  {MANIFEST}\n".encode()),
        ]:
            archive.writestr(zipfile.ZipInfo(path, stamp), data, zipfile.ZIP_DEFLATED)
    return Built(buffer.getvalue(), manifest_hash)


def _manifest(
    inspection: Inspection,
    heading: catalogue.Heading,
    by: User,
    at: datetime.datetime,
    files: list[dict[str, Any]],
    own: list[tuple[str, bytes]],
) -> bytes:
    data = {
        "format": FORMAT,
        "inspection": {
            "id": inspection.pk,
            "committee": inspection.round.committee.name,
            "round": inspection.round.name,
            "team": inspection.team.name,
            "unit": inspection.unit.name,
        },
        "title": heading.title,
        "retention": heading.retention,
        "secrecy": heading.secrecy,
        "built_by": {"id": by.pk, "username": by.username, "name": by.full_name},
        "built_at": at.isoformat(),
        "files": files,
        "catalogue": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in own
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def seal(inspection: Inspection, *, by: User) -> tuple[ArchivePackage, str]:
    """Build and store the package, and the manifest's hash for the archiving action's event."""
    at = timezone.now()
    package = ArchivePackage(inspection=inspection, built_by=by, added_at=at)
    built = build(inspection, by=by, at=at)
    package.seal(Checked(filename(inspection), ZIP, built.data))
    return package, built.manifest_sha256
