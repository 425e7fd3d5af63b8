"""What may be published (双公开) of an inspection's rectification, and what the public reads.

An item is exempt from publication when it is marked 不予公开; when its problem was fed back to the
principal leader (谁的问题向谁反馈: about the leadership members themselves); or when its problem rests on a
finding that led to a clue (a person under review: 正在审查调查). A 边巡边改 item has no problem: it is
publishable unless marked. A public text — the title, the summary or an item's wording — must not name a
person of a roster who is on a clue of the committee's inspections (a withdrawn clue aside).

The public sees three states: 已完成 (closed), 长期坚持 (a long-term item still open) and 整改中.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from xuncha.core.errors import Refused
from xuncha.findings.choices import ClueStatus
from xuncha.findings.models import Clue
from xuncha.reports.choices import Recipient
from xuncha.rounds.models import Inspection

from .choices import ItemKind, ItemStatus
from .models import Item, Publication, PublishedItem

CONFIDENTIAL = "已标为不予公开"
PRINCIPAL = "向主要负责人反馈的问题，不予公开"
UNDER_REVIEW = "所依据的问题已形成问题线索（涉及正在审查调查的人员），不予公开"

DONE = "已完成"
ONGOING = "整改中"
LONG_TERM = "长期坚持"
# The public states, by the keys the pages and the API count them under.
PUBLIC_STATES = {"done": DONE, "ongoing": ONGOING, "long_term": LONG_TERM}


def _live_clues() -> QuerySet[Clue]:
    return Clue.objects.exclude(status=ClueStatus.WITHDRAWN)


def exemptions(items: Iterable[Item]) -> dict[int, str]:
    """The reason each exempt item may not be published (item id → reason), in two queries at most;
    ``items`` should come with ``problem__feedback`` selected."""
    items = list(items)
    problem_ids = {i.problem_id for i in items if i.problem_id is not None}
    on_clues = (
        set(
            _live_clues()
            .filter(finding__feedback_problems__in=problem_ids)
            .values_list("finding__feedback_problems", flat=True)
        )
        if problem_ids
        else set()
    )
    reasons: dict[int, str] = {}
    for item in items:
        if item.confidential:
            reasons[item.pk] = CONFIDENTIAL
        elif item.problem is not None and item.problem.feedback.recipient == Recipient.PRINCIPAL:
            reasons[item.pk] = PRINCIPAL
        elif item.problem_id in on_clues:
            reasons[item.pk] = UNDER_REVIEW
    return reasons


def exemption(item: Item) -> str | None:
    """Why ``item`` may not be published, or None when it may."""
    return exemptions([item]).get(item.pk)


def names_under_review(inspection: Inspection) -> set[str]:
    """Names of roster persons on any clue (not withdrawn) of the inspections of ``inspection``'s
    committee."""
    clues = _live_clues().filter(inspection__round__committee_id=inspection.round.committee_id)
    return {name for name in clues.values_list("persons__name", flat=True) if name}


@dataclass(frozen=True)
class PublicText:
    field: str
    text: str


def check_names(inspection: Inspection, texts: Iterable[PublicText]) -> None:
    """Refuse, on its field, a public text naming a person under review (the office is staff: the
    message names the person, so that the text can be mended)."""
    names = sorted(names_under_review(inspection), key=len, reverse=True)
    for text in texts:
        for name in names:
            if name in text.text:
                raise Refused(f"公开内容含有正在审查调查的人员姓名“{name}”，请修改。", field=text.field)


def public_state(entry: PublishedItem) -> str:
    """已完成 / 长期坚持 / 整改中, from the status and kind the entry was published with."""
    if entry.status == ItemStatus.CLOSED:
        return DONE
    if entry.kind == ItemKind.LONG_TERM:
        return LONG_TERM
    return ONGOING


def counts(entries: Iterable[PublishedItem]) -> dict[str, int]:
    """How many entries are in each public state: ``{"done": …, "ongoing": …, "long_term": …}``."""
    keys = {label: key for key, label in PUBLIC_STATES.items()}
    found = dict.fromkeys(PUBLIC_STATES, 0)
    for entry in entries:
        found[keys[public_state(entry)]] += 1
    return found


def public_entries(publication: Publication) -> list[PublishedItem]:
    """The entries the public reads: an item marked 不予公开 since publishing is left out."""
    return list(publication.entries.filter(item__confidential=False).order_by("item__number"))
