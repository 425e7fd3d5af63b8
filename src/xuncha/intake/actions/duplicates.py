"""Duplicates: a member confirms that petitions are one matter (a ``DuplicateGroup``, counted once in
statistics), dismisses a suggestion, or takes a petition out of its group again.

Every petition concerned must be in the member's sight and in one committee; the acting user must be on
the team of each petition's inspection or in the committee's office (``member_roles``). Events name the
petitions by number only.
"""

from collections.abc import Sequence

from django.db.models import Q

from xuncha.core.audit import action, record
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require

from ..models import DuplicateCandidate, DuplicateGroup, Petition
from .petitions import member_roles

# More at once is a mass letter, better grouped in steps a person can check.
MAX_OTHERS = 50
NOT_VISIBLE = "信访件不存在或无权访问。"


def _require_member(by: User, petitions: Sequence[Petition], what: str) -> str:
    """The roles under which ``by`` handles every one of ``petitions`` (one per inspection), for the event."""
    return ",".join(sorted({require(by, member_roles(p.inspection), what=what) for p in petitions}))


def _ensure_visible(by: User, petitions: Sequence[Petition], *, field: str) -> None:
    ids = {p.pk for p in petitions}
    if Petition.objects.visible_to(by).filter(pk__in=ids).count() != len(ids):
        raise Refused(NOT_VISIBLE, field=field)


def _numbers(petitions: Sequence[Petition]) -> list[str]:
    return sorted(p.number for p in petitions)


MAX_REASON = 500


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise Refused("请说明理由。", field="reason")
    if len(reason) > MAX_REASON:
        raise Refused(f"理由不超过 {MAX_REASON} 字。", field="reason")
    return reason


def group_petitions(petition: Petition, *, other: Petition, reason: str, by: User) -> Petition:
    """归为一组 by hand: ``petition`` and ``other`` (or the group either is in) are one matter, with why (one
    action: ``confirm_duplicates``'s)."""
    return confirm_duplicates(petition, others=[other], by=by, reason=_reason(reason, required=True))


@action
def confirm_duplicates(
    petition: Petition, *, others: Sequence[Petition], by: User, reason: str = ""
) -> Petition:
    """Confirm that ``petition`` and ``others`` are one matter: a new group, or the existing group(s) of
    any of them extended and merged into one. Returns ``petition``, now in the group."""
    reason = _reason(reason, required=False)
    others = list({p.pk: p for p in others}.values())
    if not others:
        raise Refused("请选择与本件反映同一事项的信访件。", field="others")
    if len(others) > MAX_OTHERS:
        raise Refused(f"一次最多合并 {MAX_OTHERS} 件。", field="others")
    if any(p.pk == petition.pk for p in others):
        raise Refused("不能将信访件与其自身合并。", field="others")
    named = [petition, *others]
    committee_id = petition.inspection.round.committee_id
    if any(p.inspection.round.committee_id != committee_id for p in others):
        raise Refused("只能合并同一党委巡察中收到的信访件。", field="others")
    _require_member(by, named, "确认重复件")
    _ensure_visible(by, named, field="others")

    # Read again under lock: the groups are those of now, not of when the page was shown.
    locked = Petition.objects.select_for_update(of=("self",)).select_related("inspection__round")
    fresh = list(locked.filter(pk__in=[p.pk for p in named]))
    group_ids = {p.duplicate_group_id for p in fresh if p.duplicate_group_id is not None}
    if len(group_ids) == 1 and all(p.duplicate_group_id is not None for p in fresh):
        raise Refused("所选信访件已在同一重复件组中。", field="others")
    members = list(locked.filter(Q(pk__in=[p.pk for p in named]) | Q(duplicate_group_id__in=group_ids)))
    # Whoever regroups petitions must be able to see and handle every one of them, not only those named.
    role = _require_member(by, members, "确认重复件")
    _ensure_visible(by, members, field="others")

    groups = list(DuplicateGroup.objects.select_for_update().filter(pk__in=group_ids).order_by("pk"))
    if groups:
        group, merged = groups[0], groups[1:]
    else:
        group, merged = DuplicateGroup(committee_id=committee_id, confirmed_by=by), []
        group.save()
    added = [p for p in members if p.duplicate_group_id != group.pk]
    Petition.objects.filter(pk__in=[p.pk for p in added]).update(duplicate_group=group)
    merged_pks = [old.pk for old in merged]
    for old in merged:
        old.delete()
    petition.duplicate_group = group
    record(
        "petition.duplicates_confirmed",
        group,
        by=by,
        role=role,
        details={
            "petitions": _numbers(members),
            "added": _numbers(added),
            "merged_groups": merged_pks,
            "reason": reason,
        },
    )
    return petition


@action
def dismiss_candidate(candidate: DuplicateCandidate, *, by: User) -> DuplicateCandidate:
    """A suggested pair is not one matter: it is no longer suggested."""
    pair = [candidate.petition, candidate.other]
    role = _require_member(by, pair, "处理疑似重复件")
    _ensure_visible(by, pair, field="candidate")
    if candidate.dismissed_by_id is not None:
        raise Refused("该疑似重复提示已被忽略。", field="candidate")
    group_id = candidate.petition.duplicate_group_id
    if group_id is not None and group_id == candidate.other.duplicate_group_id:
        raise Refused("两件已确认为同一事项；如确认有误，请先将其移出重复件组。", field="candidate")
    candidate.dismissed_by = by
    candidate.save()
    record(
        "petition.duplicate_dismissed",
        candidate,
        by=by,
        role=role,
        details={"petitions": _numbers(pair), "similarity": candidate.similarity},
    )
    return candidate


@action
def leave_group(petition: Petition, *, by: User, reason: str) -> Petition:
    """移出: undo a mistaken confirmation, with why. The petition leaves its group (a group left with one
    petition is dissolved), and its suggestions with the remaining members are dismissed."""
    reason = _reason(reason, required=True)
    role = _require_member(by, [petition], "调整重复件组")
    _ensure_visible(by, [petition], field="petition")
    group = petition.duplicate_group
    if group is None:
        raise Refused("该信访件不在任何重复件组中。", field="petition")
    remaining = list(group.petitions.exclude(pk=petition.pk))
    petition.duplicate_group = None
    petition.save(update_fields=["duplicate_group"])
    dismissed = (
        DuplicateCandidate.objects.filter(dismissed_by__isnull=True)
        .filter(Q(petition=petition, other__in=remaining) | Q(other=petition, petition__in=remaining))
        .update(dismissed_by=by)
    )
    dissolved = len(remaining) < 2
    group_pk = group.pk
    if dissolved:
        group.delete()
    record(
        "petition.duplicate_left",
        petition,
        by=by,
        role=role,
        details={
            "group": group_pk,
            "remaining": _numbers(remaining),
            "dissolved": dissolved,
            "suggestions_dismissed": dismissed,
            "reason": reason,
        },
    )
    return petition
