"""Publication (双公开) of an inspection's rectification, by the office of its committee.

The office drafts the publication — a title, a summary and, per publishable item in force, the public
wording — in 整改 or 评估回访; exempt items (see ``rectification.publication``) are refused with their
reason, and no public text may name a person under review. Publishing re-checks both (a clue may have
appeared since the draft) and takes a snapshot of each item's status and kind: the public page shows that
snapshot until the office publishes again. Editing a published publication takes it back to a draft (off
the public page until published again). Withdrawing needs a reason; the public page is then gone.
The office or the inspection's team leader marks an item 不予公开 (or lifts the mark), with a reason.
"""

from collections.abc import Sequence

from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from .. import publication as rules
from ..choices import PublicationStatus
from ..models import Item, Publication, PublishedItem
from .common import NOTE_LIMIT, in_stage, lock, office_roles

TITLE_LIMIT = 200
SUMMARY_LIMIT = 10_000
TEXT_LIMIT = 2_000
PUBLICATION_STAGES = (Stage.RECTIFYING, Stage.REVIEWING)

AUDIT_ACTIONS = {
    "rectification_publication.drafted": "起草整改情况公开稿",
    "rectification_publication.published": "公开整改情况",
    "rectification_publication.withdrawn": "撤回公开的整改情况",
    "rectification_item.confidentiality_marked": "标记整改事项是否公开",
}
AUDIT_DETAILS = {
    "entries": "公开事项数",
    "confidential": "不予公开",
    "counts": "公开状态统计",
    "public_id": "公开编号",
}

Entry = tuple[Item, str]


def entry_field(item: Item) -> str:
    """The form field of an item's public wording (a refusal names it)."""
    return f"text_{item.pk}"


def _writable(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("巡察已归档，整改情况公开只读。", field="inspection")


def _check(inspection: Inspection, title: str, summary: str, entries: Sequence[Entry]) -> None:
    """Every entry an item of this inspection in force and not exempt; no public text naming a person
    under review."""
    items = [item for item, _ in entries]
    active = set(
        Item.objects.active()
        .filter(inspection=inspection, pk__in=[i.pk for i in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        if item.pk not in active:
            raise Refused(f"{item.code}不是本巡察正在整改的事项。", field=entry_field(item))
    fresh = Item.objects.filter(pk__in=[i.pk for i in items]).select_related("problem__feedback")
    reasons = rules.exemptions(fresh)
    for item in items:
        if item.pk in reasons:
            raise Refused(f"{item.code}{reasons[item.pk]}。", field=entry_field(item))
    texts = [rules.PublicText("title", title), rules.PublicText("summary", summary)]
    texts += [rules.PublicText(entry_field(item), text) for item, text in entries]
    rules.check_names(inspection, texts)


@action
def save_draft(
    inspection: Inspection, *, title: str, summary: str, entries: Sequence[Entry], by: User | None
) -> Publication:
    """Create or replace the draft; a published or withdrawn publication becomes a draft again."""
    role = require(by, office_roles(inspection), what="起草整改情况公开稿")
    lock(inspection)
    _writable(inspection)
    in_stage(inspection, PUBLICATION_STAGES, "起草整改情况公开稿")
    title = clean_text(title, label="标题", field="title", limit=TITLE_LIMIT)
    summary = clean_text(summary, label="整改情况", field="summary", limit=SUMMARY_LIMIT, multiline=True)
    cleaned: list[Entry] = []
    seen: set[int] = set()
    for item, text in entries:
        if item.pk in seen:
            continue
        seen.add(item.pk)
        words = clean_text(
            text, label=f"{item.code}的公开表述", field=entry_field(item), limit=TEXT_LIMIT, multiline=True
        )
        cleaned.append((item, words))
    _check(inspection, title, summary, cleaned)
    publication = Publication.objects.filter(inspection=inspection).first()
    before = snapshot(publication, ["title", "summary", "status"]) if publication else {}
    if publication is None:
        publication = Publication(inspection=inspection, created_by=by)
    publication.title, publication.summary = title, summary
    publication.status = PublicationStatus.DRAFT
    publication.save()
    publication.entries.all().delete()
    PublishedItem.objects.bulk_create(
        PublishedItem(publication=publication, item=item, public_text=text) for item, text in cleaned
    )
    details = {
        "entries": len(cleaned),
        "changes": changes(before, snapshot(publication, ["title", "summary", "status"])),
    }
    record("rectification_publication.drafted", publication, by=by, role=role, details=details)
    return publication


@action
def publish(publication: Publication, *, by: User | None) -> Publication:
    """Publish (or publish again): the exemptions and names are checked anew, each entry takes the
    item's status and kind of this moment."""
    inspection = publication.inspection
    role = require(by, office_roles(inspection), what="公开整改情况")
    lock(inspection)
    lock(publication)
    _writable(inspection)
    in_stage(inspection, PUBLICATION_STAGES, "公开整改情况")
    if publication.status == PublicationStatus.WITHDRAWN:
        raise Refused("已撤回的公开稿须重新编辑后再公开。", field="publication")
    entries = list(publication.entries.select_related("item"))
    _check(inspection, publication.title, publication.summary, [(e.item, e.public_text) for e in entries])
    for entry in entries:
        entry.status, entry.kind = entry.item.status, entry.item.kind
    PublishedItem.objects.bulk_update(entries, ["status", "kind"])
    publication.status = PublicationStatus.PUBLISHED
    publication.published_by = by
    publication.published_at = timezone.now()
    publication.save()
    details = {
        "entries": len(entries),
        "counts": rules.counts(entries),
        "public_id": str(publication.public_id),
    }
    record("rectification_publication.published", publication, by=by, role=role, details=details)
    return publication


@action
def withdraw(publication: Publication, *, reason: str, by: User | None) -> Publication:
    inspection = publication.inspection
    role = require(by, office_roles(inspection), what="撤回公开的整改情况")
    lock(inspection)
    lock(publication)
    _writable(inspection)
    if publication.status != PublicationStatus.PUBLISHED:
        raise Refused("尚未公开，无需撤回。", field="publication")
    publication.withdraw_reason = clean_text(
        reason, label="撤回理由", field="reason", limit=NOTE_LIMIT, multiline=True
    )
    publication.status = PublicationStatus.WITHDRAWN
    publication.withdrawn_by = by
    publication.withdrawn_at = timezone.now()
    publication.save()
    details = {"reason_length": len(publication.withdraw_reason), "public_id": str(publication.public_id)}
    record("rectification_publication.withdrawn", publication, by=by, role=role, details=details)
    return publication


def confidentiality_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.OFFICE: inspection.round.committee_id, Role.TEAM_LEADER: inspection.team_id}


@action
def mark_confidential(item: Item, *, confidential: bool, reason: str, by: User | None) -> Item:
    """不予公开 (or lift it): the item never appears on the public page while marked, even if it was
    published before."""
    inspection = item.inspection
    role = require(by, confidentiality_roles(inspection), what="标记整改事项是否公开")
    lock(inspection)
    lock(item)
    _writable(inspection)
    reason = clean_text(reason, label="理由", field="reason", limit=NOTE_LIMIT, multiline=True)
    if item.confidential == confidential:
        raise Refused(
            "该事项已标为不予公开。" if confidential else "该事项未标为不予公开。", field="confidential"
        )
    item.confidential = confidential
    item.save()
    details = {"confidential": confidential, "reason_length": len(reason)}
    record("rectification_item.confidentiality_marked", item, by=by, role=role, details=details)
    return item
