"""The work plan's official documents (GB/T 9704): the plan itself (巡察工作方案), the 授权决定 of each team
(关于授权…任职和任务分工的决定), and the record of the round's 动员部署会."""

import datetime

from django.utils import timezone

from xuncha.core.officialdoc import OfficialDocument, official_date

from .choices import TeamRole
from .mobilisation import WEEKDAYS
from .models import RoundMeeting, Team, WorkPlan
from .plans import assignments, sections, teams_of


def _issuer(plan: WorkPlan) -> str:
    return f"{plan.round.committee.name}巡察工作领导小组"


def _office(plan: WorkPlan) -> str:
    return f"{plan.round.committee.name}巡察工作领导小组办公室"


def _day(plan: WorkPlan) -> datetime.date:
    if plan.ratified_on is not None:
        return plan.ratified_on
    return timezone.localdate(plan.approved_at) if plan.approved_at else timezone.localdate()


def plan_document(plan: WorkPlan) -> bytes:
    """The 巡察工作方案 as the leading group issues it."""
    round_ = plan.round
    doc = OfficialDocument()
    doc.letterhead(_issuer(plan))
    doc.title(f"{round_.name}工作方案")
    doc.paragraph(
        f"根据{round_.committee.name}巡察工作规划和年度工作安排，经{_issuer(plan)}研究，"
        f"定于{official_date(plan.stationing_on)}起开展{round_.name}。现制定如下工作方案。"
    )
    for heading, lines in sections(plan):
        doc.heading(1, heading)
        doc.paragraph("\n".join(lines))
    if plan.ratified_by_name and plan.ratified_on:
        doc.paragraph(f"本方案经{plan.ratified_by_name}于{official_date(plan.ratified_on)}审定。")
    doc.signature(_issuer(plan), _day(plan))
    doc.record(printed_by=_office(plan), printed_on=_day(plan))
    return doc.save()


def _names(plan: WorkPlan, team: Team, role: str) -> list[str]:
    return [a.member.inspector.name for a in assignments(plan, team) if a.member.role == role]


def authorisation_document(plan: WorkPlan, team: Team) -> bytes:
    """关于授权…同志任职和任务分工的决定: the leader and deputies authorised, the members and their tasks."""
    round_ = plan.round
    leaders = _names(plan, team, TeamRole.LEADER)
    deputies = _names(plan, team, TeamRole.DEPUTY)
    first = (leaders or deputies or ["有关"])[0]
    doc = OfficialDocument()
    doc.letterhead(_issuer(plan))
    doc.title(f"关于授权{first}等同志{team.name}任职和任务分工的决定")
    units = "、".join(i.unit.name for i in team.inspections.all()) or "有关单位"
    doc.paragraph(
        f"根据{round_.committee.name}巡察工作安排和《{round_.name}工作方案》，经研究，"
        f"决定组建{round_.committee.name}{team.name}，对{units}开展巡察。现就有关同志任职和任务分工决定如下："
    )
    doc.heading(1, "授权任职")
    lines = [f"授权{name}同志任{team.name}组长，对本组巡察工作负总责。" for name in leaders]
    lines += [f"授权{name}同志任{team.name}副组长，协助组长开展工作。" for name in deputies]
    doc.paragraph("\n".join(lines) or "组长人选另行决定。")
    doc.heading(1, "成员名单和任务分工")
    members = [a for a in assignments(plan, team) if a.member.role not in (TeamRole.LEADER, TeamRole.DEPUTY)]
    doc.paragraph(
        "\n".join(
            f"{a.member.inspector.name}（{a.member.get_role_display()}）：{a.task or '按组长安排开展工作'}"
            for a in members
        )
        or "（无）"
    )
    doc.heading(1, "有关要求")
    doc.paragraph(
        "巡察组成员要严格遵守巡察工作纪律和保密规定，实行连续工作制，按照分工抓好各项任务落实，"
        "巡察期间与原单位工作脱钩。"
    )
    doc.signature(_issuer(plan), _day(plan))
    doc.record(printed_by=_office(plan), printed_on=_day(plan))
    return doc.save()


def authorisation_team(plan: WorkPlan, team_id: int) -> Team | None:
    return next((team for team in teams_of(plan.round) if team.pk == team_id), None)


def round_meeting_document(meeting: RoundMeeting) -> bytes:
    """The record of the round's 巡察工作动员部署会."""
    round_ = meeting.round
    moment = timezone.localtime(meeting.held_at)
    day = moment.date()
    doc = OfficialDocument()
    doc.title(f"{round_.name}工作动员部署会会议记录")
    doc.paragraph(
        f"会议时间：{official_date(day)}（星期{WEEKDAYS[day.weekday()]}）{moment.hour}:{moment.minute:02d}"
    )
    doc.paragraph(f"会议地点：{meeting.place}")
    doc.paragraph(f"主持人：{meeting.chair}")
    doc.heading(1, "出席的领导小组成员")
    doc.paragraph(meeting.leading_group)
    doc.heading(1, "巡察办人员")
    doc.paragraph(meeting.office)
    doc.heading(1, "巡察组")
    doc.paragraph(meeting.teams)
    doc.heading(1, "被巡察单位")
    doc.paragraph(meeting.units)
    doc.heading(1, "会议情况")
    doc.paragraph(meeting.notes or "\n".join(["＿" * 26] * 6))
    doc.signature(f"{round_.committee.name}巡察工作领导小组办公室", day)
    return doc.save()
