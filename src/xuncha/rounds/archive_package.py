"""The archive package (归档材料包) of an inspection: a zip of every generated document and ledger the apps
register (``archive.register_archive_documents``) plus ``manifest.json`` with each file's path, size and
SHA-256, the inspection, who archived it and when.

It is built once, in the archiving action, and kept sealed (``core.files.SealedFile``) rather than rebuilt
on demand: a rebuilt .docx or .xlsx carries a new timestamp (and whatever later code changes to the
layout), so its hashes would differ from one download to the next; the sealed package is the record of
what was archived, and its manifest hashes can be checked against its files at any time.
"""

import datetime
import hashlib
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.files import Checked
from xuncha.core.models import User

from . import mobilisation
from .archive import archive_documents
from .models import ArchivePackage, Inspection, MobilisationMeeting

MANIFEST = "manifest.json"
ZIP = "application/zip"


def reader_roles(inspection: Inspection) -> dict[str, int]:
    """Who may download the package: the office and the leading group of the inspection's committee."""
    committee_id = inspection.round.committee_id
    return {Role.OFFICE: committee_id, Role.LEADING_GROUP: committee_id}


def filename(inspection: Inspection) -> str:
    return f"{inspection.round.name}{inspection.team.name}巡察{inspection.unit.name}归档材料包.zip"


def _manifest(inspection: Inspection, by: User, at: datetime.datetime, files: list[dict[str, Any]]) -> bytes:
    data = {
        "inspection": {
            "id": inspection.pk,
            "committee": inspection.round.committee.name,
            "round": inspection.round.name,
            "team": inspection.team.name,
            "unit": inspection.unit.name,
        },
        "built_by": {"id": by.pk, "username": by.username, "name": by.full_name},
        "built_at": at.isoformat(),
        "files": files,
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _mobilisation_documents(inspection: Inspection) -> list[tuple[str, bytes]]:
    meeting = MobilisationMeeting.objects.filter(inspection=inspection).first()
    if meeting is None:
        return []
    return [
        ("动员会/动员会通知.docx", mobilisation.notice_document(meeting)),
        ("动员会/动员会会议记录.docx", mobilisation.record_document(meeting)),
    ]


def build(inspection: Inspection, *, by: User, at: datetime.datetime) -> bytes:
    """The zip: rounds' own documents and the registered ones in path order, then the manifest."""
    entries = sorted([*_mobilisation_documents(inspection), *archive_documents(inspection, by)])
    paths = [path for path, _ in entries]
    if len(set(paths)) != len(paths) or MANIFEST in paths:
        raise ValueError("archive document paths must be unique")  # a provider's bug, not the user's
    stamp = timezone.localtime(at).timetuple()[:6]
    buffer = io.BytesIO()
    files = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            archive.writestr(zipfile.ZipInfo(path, stamp), data, zipfile.ZIP_DEFLATED)
            files.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        manifest = _manifest(inspection, by, at, files)
        archive.writestr(zipfile.ZipInfo(MANIFEST, stamp), manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def seal(inspection: Inspection, *, by: User) -> ArchivePackage:
    """Build and store the package; call inside the archiving action (it records the event)."""
    at = timezone.now()
    package = ArchivePackage(inspection=inspection, built_by=by, added_at=at)
    package.seal(Checked(filename(inspection), ZIP, build(inspection, by=by, at=at)))
    return package
