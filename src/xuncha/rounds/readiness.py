"""Inspectors' readiness before stationing: 巡前培训 (战前集训) sessions with their attendance, and each
inspector's signed 保密承诺 and 行为规范 commitment.

The office records the sessions and who attended. Each inspector signs the commitments with their own
account; for an inspector without an account the office records the signed paper copy. A team is stationed
only when each of its members attended a session of the round and signed both commitments: the refusal
names who is missing what (the transition check below).
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.models import Inspector

from .models import Commitment, Inspection, Round, TeamMember, TrainingSession
from .plan_choices import CommitmentKind

AUDIT_ACTIONS = {
    "training.recorded": "登记巡前培训",
    "training.attendance_changed": "修改巡前培训参训人员",
    "commitment.signed": "签署巡察干部承诺",
    "commitment.recorded": "登记纸质承诺书",
}
AUDIT_DETAILS = {"attendees": "参训人员", "kind": "承诺事项", "held_on": "培训日期"}

COMMITMENT_TEXTS = {
    CommitmentKind.CONFIDENTIALITY: (
        "本人郑重承诺：严格遵守党的保密纪律和巡察工作保密规定，不泄露巡察工作中知悉的问题线索、"
        "谈话内容、信访举报人信息和巡察报告内容；不私自复制、留存、转交巡察材料；"
        "不在非涉密设备和网络上处理涉密信息。如有违反，愿接受组织处理。"
    ),
    CommitmentKind.CONDUCT: (
        "本人郑重承诺：严格遵守巡察干部行为规范，坚持依规依纪依法开展巡察；不干预被巡察单位正常工作，"
        "不处理被巡察单位的具体问题；严格执行中央八项规定及其实施细则精神，不接受宴请、礼品礼金，"
        "不参加可能影响公正履职的活动；严格执行回避制度，实行连续工作制。如有违反，愿接受组织处理。"
    ),
}


def office_roles(round_: Round) -> dict[str, int]:
    return {Role.OFFICE: round_.committee_id}


def round_inspectors(round_: Round) -> list[Inspector]:
    """The inspectors on the round's teams, each once."""
    seen: dict[int, Inspector] = {}
    for member in TeamMember.objects.filter(team__round=round_).select_related("inspector").order_by("id"):
        seen.setdefault(member.inspector_id, member.inspector)
    return list(seen.values())


def _attendees(round_: Round, attendees: Iterable[Inspector]) -> list[Inspector]:
    allowed = {i.pk for i in round_inspectors(round_)}
    found: list[Inspector] = []
    for inspector in attendees:
        if inspector.pk not in allowed:
            raise Refused(f"{inspector.name}不是本轮巡察组成员。", field="attendees")
        if inspector not in found:
            found.append(inspector)
    return found


@action
def record_training(
    round_: Round,
    *,
    held_on: datetime.date | None,
    topic: str,
    place: str = "",
    attendees: Iterable[Inspector] = (),
    by: User | None,
) -> TrainingSession:
    role = require(by, office_roles(round_), what="登记巡前培训")
    if held_on is None:
        raise Refused("请填写培训日期。", field="held_on")
    if held_on > timezone.localdate():
        raise Refused("培训日期不能晚于今天：培训结束后登记参训情况。", field="held_on")
    people = _attendees(round_, attendees)
    session = TrainingSession(
        round=round_,
        held_on=held_on,
        topic=clean_text(topic, label="培训内容", field="topic", limit=200),
        place=clean_text(place, label="培训地点", field="place", limit=200, required=False),
    )
    session.save()
    session.attendees.set(people)
    details = {"held_on": held_on, "topic": session.topic, "attendees": [i.pk for i in people]}
    record("training.recorded", session, by=by, role=role, details=details)
    return session


@action
def set_attendance(
    session: TrainingSession, *, attendees: Iterable[Inspector], by: User | None
) -> TrainingSession:
    role = require(by, office_roles(session.round), what="登记巡前培训参训人员")
    people = _attendees(session.round, attendees)
    before = sorted(session.attendees.values_list("pk", flat=True))
    session.attendees.set(people)
    after = sorted(i.pk for i in people)
    record("training.attendance_changed", session, by=by, role=role, details={"attendees": [before, after]})
    return session


def own_membership(round_: Round, user: User) -> TeamMember | None:
    """The user's own place on one of the round's teams, if any."""
    return (
        TeamMember.objects.filter(team__round=round_, inspector__user=user)
        .select_related("inspector", "team")
        .first()
    )


@action
def sign_commitment(
    round_: Round, *, kind: str, by: User | None, inspector: Inspector | None = None
) -> Commitment:
    """Sign a commitment: by the inspector's own account (``inspector`` omitted or their own), or recorded
    by the office from the signed paper copy of an inspector without an account."""
    own = own_membership(round_, by) if by is not None else None
    if inspector is None or (own is not None and inspector.pk == own.inspector_id):
        if own is None:
            raise Refused("您不是本轮巡察组成员，无需签署承诺。", field="inspector")
        team = own.team_id
        role = require(by, {Role.TEAM_LEADER: team, Role.TEAM_MEMBER: team}, what="签署巡察干部承诺")
        inspector, on_paper = own.inspector, False
    else:
        role = require(by, office_roles(round_), what="登记纸质承诺书")
        if inspector.pk not in {i.pk for i in round_inspectors(round_)}:
            raise Refused(f"{inspector.name}不是本轮巡察组成员。", field="inspector")
        if inspector.user_id is not None:
            raise Refused(f"{inspector.name}有平台账号，须本人在平台签署承诺。", field="inspector")
        on_paper = True
    if kind not in CommitmentKind.values:
        raise Refused("请选择有效的承诺事项。", field="kind")
    if Commitment.objects.filter(round=round_, inspector=inspector, kind=kind).exists():
        raise Refused(f"{inspector.name}已签署{CommitmentKind(kind).label}。", field="kind")
    commitment = Commitment(
        round=round_,
        inspector=inspector,
        kind=kind,
        text=COMMITMENT_TEXTS[CommitmentKind(kind)],
        signed_by=by,
        on_paper=on_paper,
    )
    commitment.save()
    details = {"kind": kind, "inspector": inspector.pk, "on_paper": on_paper}
    record(
        "commitment.recorded" if on_paper else "commitment.signed",
        commitment,
        by=by,
        role=role,
        details=details,
    )
    return commitment


# What is missing ---------------------------------------------------------------------------------


def missing_by_inspector(round_id: int, inspectors: list[Inspector]) -> dict[int, list[str]]:
    """For each inspector, what they still lack for the round (empty when ready), in two queries."""
    ids = [i.pk for i in inspectors]
    trained = set(
        TrainingSession.attendees.through.objects.filter(
            trainingsession__round_id=round_id, inspector_id__in=ids
        ).values_list("inspector_id", flat=True)
    )
    signed = set(
        Commitment.objects.filter(round_id=round_id, inspector_id__in=ids).values_list("inspector_id", "kind")
    )
    found: dict[int, list[str]] = {}
    for inspector in inspectors:
        lacking = [] if inspector.pk in trained else ["巡前培训"]
        lacking += [str(kind.label) for kind in CommitmentKind if (inspector.pk, kind.value) not in signed]
        found[inspector.pk] = lacking
    return found


def readiness_lines(inspection: Inspection) -> list[str]:
    """Registered for 进驻: every member of the team trained and committed."""
    members = list(TeamMember.objects.filter(team_id=inspection.team_id).select_related("inspector"))
    inspectors = [m.inspector for m in members]
    missing = missing_by_inspector(inspection.round_id, inspectors)
    return [
        f"{inspector.name}尚未完成{'、'.join(missing[inspector.pk])}"
        for inspector in inspectors
        if missing[inspector.pk]
    ]
