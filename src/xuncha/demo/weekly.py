"""Work log and weekly reports in the demo: this year's round, 第一巡察组 at 市财政局 (in 了解).

The team stationed some weeks ago (its stationing day is moved back, the demo being built in one day): it
keeps a work log, and has sent its 周报 for the past weeks on time — the oldest acknowledged by the
office with a comment — except the latest week past due, which is missing, so the office sees a late team
on its overview page and home panel (逾期未报周报). The submission and acknowledgement times are moved back
to the days they would have happened on.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.reports import weekly
from xuncha.reports.models import WeeklyReport
from xuncha.rounds.models import Inspection

if TYPE_CHECKING:
    from .build import World

STATIONED_DAYS_AGO = 23
LOG = (
    (0, "t1_leader", "召开巡察动员会，公布联系方式；向市财政局党组主要负责人通报巡察工作安排。"),
    (1, "t1_member", "调阅党组会议记录、“三重一大”决策记录；设置意见箱2个。"),
    (3, "t1_member", "与局领导班子成员个别谈话3人次，整理谈话记录。"),
    (8, "t1_leader", "召开组务会，梳理信访件和谈话反映的问题，研究下一步谈话安排。"),
    (10, "t1_member", "调阅2024年以来会议费、差旅费报销凭证；列席局党组会议。"),
    (15, "t1_member", "下沉国库支付中心，召开干部职工座谈会。"),
    (17, "t1_leader", "组务会研究问题底稿3个，对公款宴请问题补充核实。"),
)
TEXTS = (
    (
        "本周完成进驻，召开动员会，开展民主测评；与领导班子成员个别谈话，调阅党组会议记录等资料。",
        "党组会议记录不规范，部分“三重一大”事项未经集体研究。",
        "继续开展个别谈话，调阅财务凭证，走访下属单位。",
    ),
    (
        "本周继续个别谈话，调阅会议费、差旅费报销凭证，列席局党组会议。",
        "会议费报销中存在以会议名义列支宴请费用的情况，需进一步核实。",
        "下沉国库支付中心，召开座谈会；对公款宴请问题补充核实。",
    ),
    (
        "本周下沉国库支付中心，召开座谈会；组务会研究问题底稿。",
        "国库支付审批流程存在越权审批现象。",
        "形成问题底稿，研究问题线索的移交意见。",
    ),
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_weekly(w: "World") -> None:
    office, member, leader = w.users["office"], w.users["t1_member"], w.users["t1_leader"]
    inspection = w.inspections["2:第一巡察组"]  # this year's round, 市财政局, in 了解
    today = timezone.localdate()
    stationed = today - datetime.timedelta(days=STATIONED_DAYS_AGO)
    with action_scope("demo.weekly"):
        Inspection.objects.filter(pk=inspection.pk).update(stationed_on=stationed)
        record(
            "demo.stationed_on_backdated",
            inspection,
            by=None,
            details={"stationed_on": stationed.isoformat()},
        )
    inspection.refresh_from_db()
    for days, persona, text in LOG:
        weekly.add_worklog_entry(
            inspection, on_date=stationed + datetime.timedelta(days=days), content=text, by=w.users[persona]
        )
    past_due = [week for week in weekly.weeks(inspection, today) if weekly.due_on(week) < today]
    for n, week in enumerate(past_due[:-1]):
        narrative, problems, plan = TEXTS[min(n, len(TEXTS) - 1)]
        report = weekly.start_weekly_report(inspection, week_start=week, by=member)
        data = weekly.WeeklyInput(narrative=narrative, problems=problems, next_plan=plan)
        weekly.update_weekly_report(report, data=data, by=member)
        weekly.submit_weekly_report(report, by=leader)
        if n == 0:
            weekly.acknowledge_weekly_report(report, comment="已阅。请抓紧推进个别谈话。", by=office)
        sunday = week + datetime.timedelta(days=6)
        with action_scope("demo.weekly"):
            WeeklyReport.objects.filter(pk=report.pk).update(
                submitted_at=_at(sunday, 17),
                acknowledged_at=_at(sunday + datetime.timedelta(days=1), 10) if n == 0 else None,
            )
            record("demo.weekly_report_backdated", report, by=None, details={"week": week.isoformat()})
