"""The round's 巡察工作动员部署会: one record per round, kept by the office, with the lists of the leading
group, the office, the teams and the units prefilled from the data (an inspection's own 动员会 is in
mobilisation.py)."""

import datetime

from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.dates import check_moment
from xuncha.core.errors import Refused
from xuncha.core.models import RoleAssignment, User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text

from .models import Round, RoundMeeting
from .plans import teams_of

AUDIT_ACTIONS = {
    "round_meeting.created": "登记巡察工作动员部署会",
    "round_meeting.updated": "修改巡察工作动员部署会",
    "round_meeting.document_read": "下载动员部署会记录",
}
FIELDS = ["held_at", "place", "chair", "leading_group", "office", "teams", "units", "notes"]


def editor_roles(round_: Round) -> dict[str, int]:
    return {Role.OFFICE: round_.committee_id}


def _holders(round_: Round, role: str) -> str:
    users = (
        RoleAssignment.objects.in_force()
        .filter(role=role, scope_type=ROLE_SCOPE[role], scope_id=round_.committee_id)
        .select_related("user")
        .order_by("user__username")
    )
    return "、".join(a.user.full_name or a.user.username for a in users)


def defaults(round_: Round) -> dict[str, str]:
    """The lists as the data has them: the leading group's and the office's people, each team with its
    leader, and the units."""
    teams: list[str] = []
    units: list[str] = []
    for team in teams_of(round_):
        leaders = [m.inspector.name for m in team.members.all() if m.role == "leader"]
        teams.append(f"{team.name}（组长：{'、'.join(leaders) or '待定'}）")
        units.extend(i.unit.name for i in team.inspections.all())
    return {
        "leading_group": _holders(round_, Role.LEADING_GROUP)
        or f"{round_.committee.name}巡察工作领导小组成员",
        "office": _holders(round_, Role.OFFICE) or f"{round_.committee.name}巡察办全体人员",
        "teams": "\n".join(teams),
        "units": "、".join(units),
    }


@action
def save_round_meeting(
    round_: Round,
    *,
    held_at: datetime.datetime | None,
    place: str,
    chair: str,
    leading_group: str,
    office: str,
    teams: str,
    units: str,
    notes: str = "",
    by: User | None,
) -> RoundMeeting:
    role = require(by, editor_roles(round_), what="登记巡察工作动员部署会")
    if held_at is None:
        raise Refused("请填写会议时间。", field="held_at")
    check_moment(held_at, label="会议时间", field="held_at", past=False)
    meeting = RoundMeeting.objects.select_for_update().filter(round=round_).first()
    created = meeting is None
    if meeting is None:
        meeting = RoundMeeting(round=round_)
    before = {} if created else snapshot(meeting, FIELDS)
    meeting.held_at = held_at.astimezone(datetime.UTC)
    meeting.place = clean_text(place, label="会议地点", field="place", limit=200)
    meeting.chair = clean_text(chair, label="主持人", field="chair", limit=100)
    lists = {
        "leading_group": (leading_group, "领导小组成员"),
        "office": (office, "巡察办人员"),
        "teams": (teams, "巡察组"),
        "units": (units, "被巡察单位"),
    }
    for name, (value, label) in lists.items():
        setattr(meeting, name, clean_text(value, label=label, field=name, limit=2000, multiline=True))
    meeting.notes = clean_text(
        notes, label="会议情况", field="notes", limit=10000, required=False, multiline=True
    )
    meeting.updated_at = timezone.now()
    meeting.save()
    record(
        "round_meeting.created" if created else "round_meeting.updated",
        meeting,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(meeting, FIELDS))},
    )
    return meeting
