"""The key-person radar (重点人雷达): roster persons ranked by how often and how independently they are
reflected — petition matters (a confirmed duplicate group counts once) and the channels they came by,
problems raised in interviews, findings and clues — across rounds and years.

Every point of a score comes from a listed contribution written in Chinese ("3 件信访（网上、来电、意见箱，
归并为 2 件）；1 条线索已移交市纪委监委"), so the office can see why a person is on the list (style.md §7).

Who sees it: the office of the committee (every inspection of its rounds) and the team leaders of the
committee's teams (only the inspections of their own teams: only persons reflected there, and only those
contributions). Everyone else gets 404. Reading the list or a person is an audit event (the views call
``record_read``). Nothing here reads a reporter's identity: petitions are counted by channel and date.

The numbers come from GROUP BY queries over the link tables (a fixed number of queries whatever the data,
one fewer when no duplicate group is among the links); Python only adds up the grouped rows.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Field, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.findings.choices import ClueStatus, ClueTransferStatus, FindingStatus
from xuncha.findings.models import Clue, Finding
from xuncha.intake.choices import Channel
from xuncha.intake.models import Petition
from xuncha.orgs.models import Committee, Person
from xuncha.rounds.models import Inspection, Round, Team

from .models import RadarSettings
from .models.radar import MAX_SCORE, MAX_WEIGHT, WEIGHT_FIELDS

AUDIT_ACTIONS = {
    "key_person.radar_read": "查看重点人雷达",
    "key_person.read": "查看重点人研判详情",
    "radar_settings.updated": "修改重点人研判设置",
}
AUDIT_DETAILS = {
    "listed": "列入人数",
    "score": "分值",
}

# How the radar names the channels (short, as people say them).
CHANNEL_NAMES: dict[str, str] = {
    Channel.WEB: "网上",
    Channel.PHONE: "来电",
    Channel.BOX: "意见箱",
    Channel.LETTER: "来信",
    Channel.VISIT: "来访",
    Channel.EMAIL: "电子邮件",
}
CHANNEL_ORDER = list(CHANNEL_NAMES)
COUNTED_CLUES = (ClueStatus.SUBMITTED, ClueStatus.APPROVED, ClueStatus.TRANSFERRED)


# Who may read it ------------------------------------------------------------------------------------


def radar_committee_ids(user: User) -> list[int]:
    """The committees whose radar ``user`` may read: as its office, or as a leader of one of its teams."""
    office = set(user.scopes.ids(Role.OFFICE))
    led = set(
        Team.objects.filter(pk__in=user.scopes.ids(Role.TEAM_LEADER)).values_list(
            "round__committee_id", flat=True
        )
    )
    return sorted(office | led)


def default_committee_id(user: User) -> int | None:
    office = sorted(user.scopes.ids(Role.OFFICE))
    if office:
        return office[0]
    ids = radar_committee_ids(user)
    return ids[0] if ids else None


@dataclass(frozen=True)
class RadarScope:
    """What one reader's radar of one committee draws on."""

    committee: Committee
    role: str
    inspections: QuerySet[Inspection]
    user: User

    @property
    def is_office(self) -> bool:
        return self.role == Role.OFFICE


def scope_for(user: User, committee_id: int | None) -> RadarScope:
    """The reader's scope on the committee's radar; 404 for anyone who may not read it."""
    if committee_id is None or not user.is_active:
        raise Http404
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None:
        raise Http404
    if user.scopes.has(Role.OFFICE, committee.pk):
        inspections = Inspection.objects.filter(round__committee_id=committee.pk)
        return RadarScope(committee, Role.OFFICE, inspections, user)
    teams = list(
        Team.objects.filter(
            pk__in=user.scopes.ids(Role.TEAM_LEADER), round__committee_id=committee.pk
        ).values_list("pk", flat=True)
    )
    if not teams:
        raise Http404
    inspections = Inspection.objects.filter(round__committee_id=committee.pk, team_id__in=teams)
    return RadarScope(committee, Role.TEAM_LEADER, inspections, user)


# Settings ---------------------------------------------------------------------------------------------


def settings_committee(user: User, committee_id: int) -> Committee:
    """The committee whose radar settings ``user`` keeps as its office; 404 for anyone else."""
    if not user.is_active or not user.scopes.has(Role.OFFICE, committee_id):
        raise Http404
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None:
        raise Http404
    return committee


def settings_for(committee: Committee) -> RadarSettings:
    """The committee's settings, or the defaults (unsaved) until its office first changes them."""
    return RadarSettings.objects.filter(committee=committee).first() or RadarSettings(committee=committee)


@action
def update_radar_settings(committee: Committee, *, by: User | None, **values: Any) -> RadarSettings:
    """The office sets the threshold and the weights of its committee's radar."""
    role = require(by, {Role.OFFICE: committee.pk}, what="修改重点人研判设置")
    unknown = sorted(set(values) - {"min_score", *WEIGHT_FIELDS})
    if unknown:
        raise Refused(f"未知的设置项：{'、'.join(unknown)}。", field=unknown[0])
    settings = RadarSettings.objects.select_for_update().filter(committee=committee).first()
    if settings is None:
        settings = RadarSettings(committee=committee)
    before = {name: getattr(settings, name) for name in ("min_score", *WEIGHT_FIELDS)}
    for name, value in values.items():
        high = MAX_SCORE if name == "min_score" else MAX_WEIGHT
        low = 1 if name == "min_score" else 0
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            model_field = RadarSettings._meta.get_field(name)
            label = model_field.verbose_name if isinstance(model_field, Field) else name
            raise Refused(f"{label}须为 {low} 至 {high} 之间的整数。", field=name)
        setattr(settings, name, value)
    settings.updated_by = by
    settings.updated_at = timezone.now()
    settings.save()
    after = {name: getattr(settings, name) for name in before}
    record(
        "radar_settings.updated",
        settings,
        by=by,
        role=role,
        details={"changes": {k: [before[k], after[k]] for k in before if before[k] != after[k]}},
    )
    return settings


# The computation ----------------------------------------------------------------------------------------


@dataclass
class Contribution:
    kind: str  # petitions, channels, interviews, findings, clues, rounds
    count: int
    points: int
    text: str


@dataclass
class Tally:
    """What the grouped rows say about one person."""

    pieces: int = 0
    matters: int = 0
    channels: set[str] = field(default_factory=set)
    interview_problems: int = 0
    findings: int = 0
    clues: dict[str, int] = field(default_factory=dict)  # "已移交市纪委监委" → count
    rounds: set[int] = field(default_factory=set)


@dataclass
class KeyPerson:
    person: Person
    score: int
    listed: bool
    contributions: list[Contribution]
    rounds: list[str]
    years: list[int]
    tally: Tally

    @property
    def explanation(self) -> str:
        return "；".join(c.text for c in self.contributions)


def _channels_text(channels: Iterable[str]) -> str:
    return "、".join(CHANNEL_NAMES[c] for c in CHANNEL_ORDER if c in set(channels))


def _clue_state(status: str, transfer_status: str | None, receiver: str | None) -> str:
    if status == ClueStatus.TRANSFERRED:
        done = "并已报告结果" if transfer_status == ClueTransferStatus.REPORTED else ""
        return f"已移交{receiver or '有关方面'}{done}"
    return "待审批" if status == ClueStatus.SUBMITTED else "已审批待移交"


def _links(links: QuerySet[Any], sources: QuerySet[Any], column: str) -> QuerySet[Any]:
    """The person links (``links``) whose source row is among ``sources``, as a correlated EXISTS: the
    database reads the links (a few per person named) and looks each source up by its key, instead of
    listing every source of the scope first (``IN (SELECT …)``, which SQLite drives from the scope's
    petitions: a million rows for a province's office even when nobody is named)."""
    return links.filter(Exists(sources.filter(pk=OuterRef(column))))


def _tallies(scope: RadarScope, person_id: int | None) -> tuple[dict[int, Tally], dict[int, Round]]:
    user, inspections = scope.user, scope.inspections
    tallies: dict[int, Tally] = defaultdict(Tally)
    one = {"person_id": person_id} if person_id is not None else {}

    # Petitions: single pieces by (person, round, channel); duplicate groups counted once per person.
    petitions = Petition.objects.visible_to(user).filter(inspection__in=inspections, about_inspectors=False)
    links = Petition.persons.through.objects.filter(**one)
    single = petitions.filter(duplicate_group__isnull=True)
    singles = (
        _links(links, single, "petition_id")
        .values("person_id", "petition__inspection__round_id", "petition__channel")
        .annotate(n=Count("petition_id", distinct=True))
    )
    for row in singles:
        t = tallies[row["person_id"]]
        t.pieces += row["n"]
        t.matters += row["n"]
        t.channels.add(row["petition__channel"])
        t.rounds.add(row["petition__inspection__round_id"])
    # Each link into a group (deduplicated here, not by a DISTINCT, which made SQLite walk the person index).
    grouped = _links(links.filter(petition__duplicate_group__isnull=False), petitions, "petition_id")
    groups_of: dict[int, set[int]] = defaultdict(set)
    for person, group in grouped.values_list("person_id", "petition__duplicate_group_id"):
        groups_of[person].add(group)
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    # The groups' ids are passed as a list (none: no query), so that the members are read through the
    # duplicate-group index rather than by scanning the scope's petitions for the few in a group.
    member_rows = (
        petitions.filter(duplicate_group_id__in=sorted(set().union(*groups_of.values())))
        .values("duplicate_group_id", "inspection__round_id", "channel")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in member_rows:
        members[row["duplicate_group_id"]].append(row)
    for person, groups in groups_of.items():
        t = tallies[person]
        t.matters += len(groups)
        for group in groups:
            for row in members[group]:
                t.pieces += row["n"]
                t.channels.add(row["channel"])
                t.rounds.add(row["inspection__round_id"])

    # Findings (discussed or signed off) and clues (submitted, approved or transferred).
    findings = (
        Finding.objects.visible_to(user)
        .filter(inspection__in=inspections)
        .exclude(status=FindingStatus.DRAFT)
    )
    finding_links = _links(Finding.persons.through.objects.filter(**one), findings, "finding_id")
    for row in finding_links.values("person_id", "finding__inspection__round_id").annotate(
        n=Count("finding_id", distinct=True)
    ):
        t = tallies[row["person_id"]]
        t.findings += row["n"]
        t.rounds.add(row["finding__inspection__round_id"])
    clues = Clue.objects.visible_to(user).filter(inspection__in=inspections, status__in=COUNTED_CLUES)
    clue_links = _links(Clue.persons.through.objects.filter(**one), clues, "clue_id")
    clue_rows = clue_links.values(
        "person_id",
        "clue__inspection__round_id",
        "clue__status",
        "clue__transfer__status",
        receiver=Coalesce("clue__department__name", "clue__unit__name"),
    ).annotate(n=Count("clue_id", distinct=True))
    for row in clue_rows:
        t = tallies[row["person_id"]]
        state = _clue_state(row["clue__status"], row["clue__transfer__status"], row["receiver"])
        t.clues[state] = t.clues.get(state, 0) + row["n"]
        t.rounds.add(row["clue__inspection__round_id"])

    # Problems raised in interviews that became a finding or a clue naming the person (each once).
    from_findings = finding_links.filter(finding__interview_problem__isnull=False).values_list(
        "person_id", "finding__interview_problem_id"
    )
    from_clues = clue_links.filter(clue__interview_problem__isnull=False).values_list(
        "person_id", "clue__interview_problem_id"
    )
    for person, _problem in from_findings.union(from_clues):
        tallies[person].interview_problems += 1

    round_ids = {r for t in tallies.values() for r in t.rounds}
    rounds = {r.pk: r for r in Round.objects.filter(pk__in=round_ids).only("pk", "name", "planned_start")}
    return dict(tallies), rounds


def _contributions(t: Tally, s: RadarSettings, rounds: list[Round]) -> list[Contribution]:
    out: list[Contribution] = []
    if t.pieces:
        merged = f"，归并为 {t.matters} 件" if t.matters != t.pieces else ""
        text = f"{t.pieces} 件信访（{_channels_text(t.channels)}{merged}）"
        out.append(Contribution("petitions", t.matters, t.matters * s.matter_weight, text))
    if len(t.channels) > 1:
        text = f"经 {len(t.channels)} 个渠道分别反映"
        out.append(Contribution("channels", len(t.channels), (len(t.channels) - 1) * s.channel_weight, text))
    if t.interview_problems:
        text = f"{t.interview_problems} 个个别谈话中反映的问题"
        out.append(
            Contribution("interviews", t.interview_problems, t.interview_problems * s.interview_weight, text)
        )
    if t.findings:
        out.append(
            Contribution("findings", t.findings, t.findings * s.finding_weight, f"{t.findings} 个问题底稿")
        )
    total = sum(t.clues.values())
    if total:
        states = sorted(t.clues.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(states) == 1:
            text = f"{total} 条线索{states[0][0]}"
        else:
            text = f"{total} 条线索（" + "，".join(f"{n} 条{state}" for state, n in states) + "）"
        out.append(Contribution("clues", total, total * s.clue_weight, text))
    if len(rounds) > 1:
        years = sorted({r.planned_start.year for r in rounds})
        text = f"在 {len(rounds)} 轮巡察中被反映（{'、'.join(str(y) for y in years)} 年）"
        out.append(Contribution("rounds", len(rounds), (len(rounds) - 1) * s.round_weight, text))
    return out


def key_persons(scope: RadarScope, *, person_id: int | None = None) -> list[KeyPerson]:
    """Everyone reflected in the scope (or only ``person_id``), scored, best first; ``listed`` marks who
    reaches the committee's threshold."""
    settings = settings_for(scope.committee)
    tallies, rounds = _tallies(scope, person_id)
    persons = Person.objects.filter(pk__in=tallies).select_related("unit").in_bulk()
    result = []
    for pk, tally in tallies.items():
        own_rounds = sorted((rounds[r] for r in tally.rounds), key=lambda r: (r.planned_start, r.pk))
        contributions = _contributions(tally, settings, own_rounds)
        score = sum(c.points for c in contributions)
        result.append(
            KeyPerson(
                person=persons[pk],
                score=score,
                listed=score >= settings.min_score,
                contributions=contributions,
                rounds=[r.name for r in own_rounds],
                years=sorted({r.planned_start.year for r in own_rounds}),
                tally=tally,
            )
        )
    result.sort(key=lambda k: (-k.score, -k.tally.pieces, k.person.pk))
    return result


def listed(scope: RadarScope) -> list[KeyPerson]:
    return [k for k in key_persons(scope) if k.listed]


def key_person(scope: RadarScope, person_id: int) -> KeyPerson:
    """One person's radar entry in the scope; 404 when nothing in the scope reflects them."""
    found = key_persons(scope, person_id=person_id)
    if not found:
        raise Http404
    return found[0]


# What the person page lists (one person: plain lists, no reporter identity) -------------------------------


@dataclass
class Sources:
    petitions: list[Petition]
    findings: list[Finding]
    clues: list[Clue]


def sources(scope: RadarScope, person: Person) -> Sources:
    """The petitions (number, channel, date: never the reporter), findings and clues behind one entry."""
    user, inspections = scope.user, scope.inspections
    petitions = Petition.objects.visible_to(user).filter(inspection__in=inspections, about_inspectors=False)
    direct = Q(persons=person)
    via_group = Q(
        duplicate_group__isnull=False,
        duplicate_group__in=Petition.objects.filter(persons=person, duplicate_group__isnull=False).values(
            "duplicate_group_id"
        ),
    )
    found_petitions = list(
        petitions.filter(direct | via_group)
        .distinct()
        .select_related("inspection__round", "inspection__unit")
        .only(
            "pk",
            "number",
            "channel",
            "received_at",
            "duplicate_group_id",
            "inspection__round__name",
            "inspection__unit__name",
        )
        .order_by("received_at")
    )
    findings = list(
        Finding.objects.visible_to(user)
        .filter(inspection__in=inspections, persons=person)
        .exclude(status=FindingStatus.DRAFT)
        .select_related("inspection__round", "inspection__unit")
        .order_by("inspection_id", "sequence")
    )
    clues = list(
        Clue.objects.visible_to(user)
        .filter(inspection__in=inspections, persons=person, status__in=COUNTED_CLUES)
        .select_related("inspection__round", "inspection__unit", "department", "unit", "transfer")
        .order_by("inspection_id", "sequence")
    )
    return Sources(found_petitions, findings, clues)
