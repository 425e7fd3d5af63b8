"""Finding petitions for lists, the export and the API: the user's petitions without the reporter's
identity, and the filters the list page, the export and the API share."""

import datetime

from django.db.models import Q
from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.rounds.models import Inspection, InspectionQuerySet
from xuncha.taxonomy.models import Category

from . import search
from .models import IDENTITY_FIELDS, Petition, PetitionQuerySet

# Dates far outside any inspection are typing errors; they would also overflow date arithmetic.
EARLIEST = datetime.date(1949, 10, 1)
LATEST = datetime.date(2999, 12, 31)


def listed(user: User) -> PetitionQuerySet:
    """The user's petitions, newest first, without the reporter's identity (not even decrypted), the
    receipt or the search index."""
    return (
        Petition.objects.visible_to(user)
        .defer(*IDENTITY_FIELDS, "text_as_written", "receipt_hash", "search_text")
        .select_related("inspection__team", "inspection__unit", "inspection__round")
        .order_by("-received_at", "-number")
    )


def petition_inspections(user: User) -> InspectionQuerySet:
    """The inspections whose petitions ``user`` works on: those of the user's teams and of the committees
    whose office the user is (the reach of ``Petition.objects.visible_to``)."""
    scopes = user.scopes
    return Inspection.objects.visible_to(user).filter(
        Q(round__committee_id__in=scopes.ids(Role.OFFICE))
        | Q(team_id__in=scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
    )


def _with_descendants(category: int) -> set[int]:
    """A category and every item below it: a 三个聚焦 item also finds what was filed under its sub-items."""
    found, level = {category}, {category}
    while level:
        level = set(Category.objects.filter(parent_id__in=level).values_list("pk", flat=True)) - found
        found |= level
    return found


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def check_dates(received_from: datetime.date | None = None, received_to: datetime.date | None = None) -> None:
    for name, day in (("received_from", received_from), ("received_to", received_to)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise Refused(
                f"日期超出范围：请填写 {EARLIEST.year} 年至 {LATEST.year} 年之间的日期。", field=name
            )
    if received_from and received_to and received_from > received_to:
        raise Refused("截止日期不能早于起始日期。", field="received_to")


def filter_petitions(
    petitions: PetitionQuerySet,
    *,
    inspection: int | None = None,
    channel: str = "",
    status: str = "",
    scope: str = "",
    category: int | None = None,
    person: int | None = None,
    received_from: datetime.date | None = None,
    received_to: datetime.date | None = None,
    important: bool | None = None,
    q: str = "",
) -> PetitionQuerySet:
    """The petitions matching every given filter; ``Refused`` for dates out of range or in the wrong order."""
    check_dates(received_from, received_to)
    if inspection is not None:
        petitions = petitions.filter(inspection_id=inspection)
    if channel:
        petitions = petitions.filter(channel=channel)
    if status:
        petitions = petitions.filter(status=status)
    if scope:
        petitions = petitions.filter(scope=scope)
    if category is not None:
        within = _with_descendants(category)
        petitions = petitions.filter(Q(discipline_id__in=within) | Q(focus_id__in=within))
    if person is not None:
        petitions = petitions.filter(persons=person)
    if received_from:
        petitions = petitions.filter(received_at__gte=_day_start(received_from))
    if received_to:
        petitions = petitions.filter(received_at__lt=_day_start(received_to + datetime.timedelta(days=1)))
    if important is not None:
        petitions = petitions.filter(important=important)
    if q.strip():
        petitions = search.search(petitions, q)
    return petitions
