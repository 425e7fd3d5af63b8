"""Who may see which committee's statistics (上下联动).

- The office and the leading group of a committee see its statistics in full: every figure, each number
  drilling down to the list it counts.
- The office of an upper committee also sees the statistics of every committee below it, per committee and
  summed over the tree, as numbers only: no case content, no names of persons, no ids of case objects, and
  no drill-down (it stops at the committee boundary with a message).
- A committee's office also sees, as numbers only, the inspections of its own units made by an upper
  committee's 提级 / 交叉 / 联动 rounds (``Source.UPPER``).
- Everyone else, and a lower office asking for an upper committee, gets 404, as for a missing id.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.orgs.models import Committee
from xuncha.rounds.kinds import UNITS_REACH_DOWN
from xuncha.rounds.models import Round, Term

VIEWER_ROLES = (Role.OFFICE, Role.LEADING_GROUP)
BOUNDARY_MESSAGE = "下级党委的统计只提供数字：明细止于本级党委边界，如需了解具体情况请与该党委巡察办联系。"
UPPER_MESSAGE = "上级党委在本地开展的提级、交叉、联动巡察只提供统计数字，不提供明细。"


@dataclass
class Filters:
    term: int | None = None
    year: int | None = None
    round: int | None = None

    def q(self, prefix: str = "") -> Q:
        q = Q()
        if self.term:
            q &= Q(**{f"{prefix}round__term_id": self.term})
        if self.year:
            q &= Q(**{f"{prefix}round__planned_start__year": self.year})
        if self.round:
            q &= Q(**{f"{prefix}round_id": self.round})
        return q

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in (("term", self.term), ("year", self.year), ("round", self.round)) if v}


class Source:
    OWN = "own"  # the committee's own rounds
    UPPER = "upper"  # upper committees' 提级/交叉/联动 rounds inspecting the committee's units


@dataclass
class Viewpoint:
    """What one user looks at: a committee (with or without the tree below it) and whether the numbers may
    drill down to case lists."""

    committee: Committee
    committee_ids: list[int]
    tree: bool = False
    source: str = Source.OWN
    drill: bool = True
    message: str = ""
    role: str = ""
    home_id: int | None = None  # the viewer's own committee (where its reads and exports are recorded)
    lower: list[Committee] = field(default_factory=list)
    choices: list[Committee] = field(default_factory=list)  # every committee the viewer may choose

    def inspection_q(self, prefix: str = "") -> Q:
        """The inspections counted, as a filter on ``prefix`` (e.g. ``"inspection__"``)."""
        if self.source == Source.UPPER:
            return (
                Q(**{f"{prefix}unit__committee_id": self.committee.pk})
                & Q(**{f"{prefix}round__kind__in": sorted(UNITS_REACH_DOWN)})
                & ~Q(**{f"{prefix}round__committee_id": self.committee.pk})
            )
        return Q(**{f"{prefix}round__committee_id__in": self.committee_ids})


def may_view_dashboard(user: User) -> bool:
    return bool(user.scopes.ids(*VIEWER_ROLES))


def _below(committees: list[Committee], top: int) -> list[Committee]:
    """The committees of ``committees`` below ``top`` (any depth), ordered by id: the tree is walked in
    memory, no query."""
    children: dict[int | None, list[Committee]] = {}
    for c in committees:
        children.setdefault(c.parent_id, []).append(c)
    found, frontier = [], [top]
    while frontier:
        level = [c for pk in frontier for c in children.get(pk, [])]
        found += level
        frontier = [c.pk for c in level]
    return sorted(found, key=lambda c: c.pk)


def reachable(user: User) -> list[Committee]:
    """The committees whose statistics ``user`` may see: its own (office, leading group) and, for an office,
    every committee below (own first, then by id); one query per level of the tree below the offices."""
    own = user.scopes.ids(*VIEWER_ROLES)
    ids = set(own)
    for committee_id in sorted(user.scopes.ids(Role.OFFICE)):
        ids |= Committee.descendant_ids(committee_id)
    return sorted(Committee.objects.filter(pk__in=ids), key=lambda c: (c.pk not in own, c.pk))


def viewpoint(
    user: User, committee_id: int | None, *, tree: bool = False, source: str = Source.OWN
) -> Viewpoint:
    """The viewpoint of ``user`` on ``committee_id`` (default: its first own committee); 404 outside."""
    own = user.scopes.ids(*VIEWER_ROLES)
    if not own:
        raise Http404
    offices = user.scopes.ids(Role.OFFICE)
    committees = reachable(user)
    if committee_id is None:
        committee_id = min(own)
    committee = next((c for c in committees if c.pk == committee_id), None)
    if committee is None:
        raise Http404
    direct = committee_id in own
    # An upper office reading a lower committee reads as the office; on its own committee, a user who is
    # both office and leading group reads as the office.
    role = Role.OFFICE if (committee_id in offices or not direct) else Role.LEADING_GROUP
    # The leading group sees its own committee only; an office also the committees below.
    lower = _below(committees, committee_id) if role == Role.OFFICE else []
    ids = [committee_id, *[c.pk for c in lower]] if tree and lower else [committee_id]
    home = committee_id
    if not direct:  # the upper office's own committee above this one (where its reads are recorded)
        parents = {c.pk: c.parent_id for c in committees}
        while home not in offices:
            parent = parents.get(home)
            if parent is None:  # cannot happen: a committee reached only from below an office
                raise Http404
            home = parent
    point = Viewpoint(
        committee=committee,
        committee_ids=ids,
        tree=bool(tree and lower),
        role=role,
        lower=lower,
        home_id=home,
        choices=committees,
    )
    if source == Source.UPPER and direct:
        point.source, point.committee_ids, point.tree = Source.UPPER, [committee_id], False
    if not direct or point.tree:
        point.drill, point.message = False, BOUNDARY_MESSAGE
    if point.source == Source.UPPER:
        point.drill, point.message = False, UPPER_MESSAGE
    return point


def select(
    user: User,
    *,
    committee: int | None = None,
    term: int | None = None,
    year: int | None = None,
    round: int | None = None,
    tree: bool = False,
    source: str = Source.OWN,
) -> tuple[Viewpoint, Filters]:
    """The viewpoint and filters of a request (page or API): 404 for a committee outside the user's reach; a
    term or round of another committee is dropped (it would count nothing of this one)."""
    point = viewpoint(user, committee, tree=tree, source=source)
    if point.source == Source.UPPER:
        term = round = None  # the upper committee's terms and rounds are not this committee's to choose
    if term and not Term.objects.filter(pk=term, committee_id__in=point.committee_ids).exists():
        term = None
    if round and not Round.objects.filter(pk=round, committee_id__in=point.committee_ids).exists():
        round = None
    if year and not 2000 <= year <= 2100:
        year = None
    return point, Filters(term=term, year=year, round=round)
