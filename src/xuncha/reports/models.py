"""Team reports (巡察报告) and the round's comprehensive report (综合报告), the leading group's hearings
(听取汇报) with a decision per report, the secretary's meetings (书记专题会) with a decision per inspection,
and feedback (反馈意见) with its problem list (``FeedbackProblem``).

Who sees what: a team report, the office and leading group of the round's committee and the inspection's
team; a comprehensive report and a hearing, the office and leading group alone; a feedback and its
problems, the office, the leading group and the team, and the unit's liaison once the feedback to the unit
has been delivered (never a draft, never the feedback to the principal leader, which is about the
leadership members' own problems: 谁的问题向谁反馈). Everyone else gets the 404 of a missing id.
"""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.models import CaseModel, User
from xuncha.findings.models import Finding
from xuncha.orgs.models import Department, Person
from xuncha.rounds.models import Inspection, Round
from xuncha.taxonomy.models import Category

from .choices import (
    FEEDBACK_BADGES,
    MEETING_BADGES,
    REPORT_BADGES,
    WEEKLY_BADGES,
    CopyKind,
    Decision,
    FeedbackStatus,
    MeetingOutcome,
    Recipient,
    ReportKind,
    ReportStatus,
    WeeklyStatus,
)

READERS = (Role.OFFICE, Role.LEADING_GROUP)
TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: User) -> "ReportQuerySet":
        s = user.scopes
        return self.filter(
            Q(round__committee_id__in=s.ids(*READERS))
            | Q(kind=ReportKind.TEAM, inspection__team_id__in=s.ids(*TEAM_ROLES))
        )


class Report(CaseModel):
    """A team's report on one inspection, or the office's comprehensive report on a round."""

    kind = models.CharField(_("类别"), max_length=16, choices=ReportKind.choices)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reports", verbose_name=_("轮次"))
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("巡察"),
    )
    title = models.CharField(_("标题"), max_length=200)
    basics = models.TextField(_("基本情况"), blank=True)
    problems = models.TextField(_("发现的主要问题"), blank=True)
    clues = models.TextField(_("问题线索"), blank=True)
    evaluation = models.TextField(_("民主测评和问卷调查情况"), blank=True)
    suggestions = models.TextField(_("意见建议"), blank=True)
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="reports", verbose_name=_("据以汇总的问题底稿")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    final_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    return_opinion = models.TextField(_("修改意见"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察报告")
        verbose_name_plural = _("巡察报告")
        ordering: ClassVar = ["-round_id", "kind", "inspection_id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(kind="team"), name="one_team_report_per_inspection"
            ),
            models.UniqueConstraint(
                fields=["round"], condition=Q(kind="comprehensive"), name="one_comprehensive_report_per_round"
            ),
            models.CheckConstraint(
                condition=Q(kind="team", inspection__isnull=False)
                | Q(kind="comprehensive", inspection__isnull=True),
                name="report_kind_matches_inspection",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id

    @property
    def is_team(self) -> bool:
        return self.kind == ReportKind.TEAM

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    @property
    def status_badge(self) -> str:
        return REPORT_BADGES[ReportStatus(self.status)]


class LeaderAssessmentQuerySet(models.QuerySet["LeaderAssessment"]):
    def visible_to(self, user: User) -> "LeaderAssessmentQuerySet":
        return self.filter(report__in=Report.objects.visible_to(user))


class LeaderAssessment(CaseModel):
    """The team report's section on one member of the unit's leadership team (领导班子成员): what was
    reflected in his or her favour (正面反映) and against (负面反映), from the roster person."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="leaders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("班子成员"))
    position = models.PositiveIntegerField(_("序号"))
    positive = models.TextField(_("正面反映"), blank=True)
    negative = models.TextField(_("负面反映"), blank=True)

    objects = LeaderAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导班子成员情况")
        verbose_name_plural = _("领导班子成员情况")
        ordering: ClassVar = ["report_id", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["report", "person"], name="one_assessment_per_leader_and_report")
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.person.post}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.report.audit_committee_id


class ReportVersionQuerySet(models.QuerySet["ReportVersion"]):
    def visible_to(self, user: User) -> "ReportVersionQuerySet":
        return self.filter(report__in=Report.objects.visible_to(user))


class ReportVersion(CaseModel):
    """The report as it stood after one change (its sections and status), with who and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    event = models.CharField(_("操作"), max_length=20)
    data = models.JSONField(_("内容"), default=dict)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering: ClassVar = ["report_id", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.report.audit_committee_id


class HearingQuerySet(models.QuerySet["Hearing"]):
    def visible_to(self, user: User) -> "HearingQuerySet":
        return self.filter(round__committee_id__in=user.scopes.ids(*READERS))


class Hearing(CaseModel):
    """The leading group heard one or more team reports of a round (领导小组听取汇报)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("轮次")
    )
    held_on = models.DateField(_("听取汇报日期"))
    attendees = models.TextField(_("出席人员"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导小组听取汇报")
        verbose_name_plural = _("领导小组听取汇报")
        ordering: ClassVar = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.round.name} 听取汇报（{self.held_on:%Y-%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id


class HearingDecisionQuerySet(models.QuerySet["HearingDecision"]):
    def visible_to(self, user: User) -> "HearingDecisionQuerySet":
        """A report's readers see the decisions on it (the team learns what to revise)."""
        return self.filter(report__in=Report.objects.visible_to(user))


class HearingDecision(CaseModel):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="decisions")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("决定"), max_length=12, choices=Decision.choices)
    opinion = models.TextField(_("意见"), blank=True)

    objects = HearingDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("听取汇报决定")
        verbose_name_plural = _("听取汇报决定")
        ordering: ClassVar = ["hearing_id", "report_id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["hearing", "report"], name="one_decision_per_report_and_hearing")
        ]

    def __str__(self) -> str:
        return f"{self.report}：{self.get_decision_display()}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.hearing.audit_committee_id


class SecretaryMeetingQuerySet(models.QuerySet["SecretaryMeeting"]):
    def visible_to(self, user: User) -> "SecretaryMeetingQuerySet":
        return self.filter(round__committee_id__in=user.scopes.ids(*READERS))


class SecretaryMeeting(CaseModel):
    """The committee secretary's special meeting (书记专题会) that heard inspections of a round: who took
    part, the secretary's and the members' opinions, and a decision per inspection heard."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="secretary_meetings", verbose_name=_("轮次")
    )
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100)
    chair = models.CharField(_("主持人"), max_length=100)
    attendees = models.ManyToManyField(
        User, blank=True, related_name="+", verbose_name=_("出席人员（本级党委账号）")
    )
    other_attendees = models.TextField(_("其他出席、列席人员"), blank=True)
    secretary_opinions = models.TextField(_("书记意见"))
    member_opinions = models.TextField(_("与会同志意见"), blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = SecretaryMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("书记专题会")
        verbose_name_plural = _("书记专题会")
        ordering: ClassVar = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.round.name} 书记专题会（{self.held_on:%Y-%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id


class MeetingDecisionQuerySet(models.QuerySet["MeetingDecision"]):
    def visible_to(self, user: User) -> "MeetingDecisionQuerySet":
        """The office and leading group, and the inspection's team (it drafts the feedback from them)."""
        s = user.scopes
        return self.filter(
            Q(meeting__round__committee_id__in=s.ids(*READERS))
            | Q(inspection__team_id__in=s.ids(*TEAM_ROLES))
        )


class MeetingDecision(CaseModel):
    """What the 书记专题会 decided on one inspection: the report agreed or to be completed, the points the
    feedback must make (反馈意见要点) and how the clues are to be transferred (移交线索)."""

    meeting = models.ForeignKey(SecretaryMeeting, on_delete=models.CASCADE, related_name="decisions")
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="secretary_decisions", verbose_name=_("巡察")
    )
    outcome = models.CharField(_("决定"), max_length=12, choices=MeetingOutcome.choices)
    feedback_points = models.TextField(_("反馈意见要点"), blank=True)
    clue_instructions = models.TextField(_("问题线索移交意见"), blank=True)
    remarks = models.TextField(_("其他意见和补充要求"), blank=True)

    objects = MeetingDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("书记专题会决定")
        verbose_name_plural = _("书记专题会决定")
        ordering: ClassVar = ["meeting_id", "inspection__team__name", "inspection_id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "inspection"], name="one_decision_per_inspection_and_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}：{self.get_outcome_display()}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.meeting.audit_committee_id

    @property
    def outcome_badge(self) -> str:
        return MEETING_BADGES[MeetingOutcome(self.outcome)]


def feedback_filter(user: User, prefix: str = "") -> Q:
    """Who sees a feedback (``prefix`` leads from another model to it)."""
    s = user.scopes
    p = prefix
    return (
        Q(**{f"{p}inspection__round__committee_id__in": s.ids(*READERS)})
        | Q(**{f"{p}inspection__team_id__in": s.ids(*TEAM_ROLES)})
        | Q(
            **{
                f"{p}inspection__unit_id__in": s.ids(Role.UNIT_LIAISON),
                f"{p}recipient": Recipient.UNIT,
                f"{p}status": FeedbackStatus.DELIVERED,
            }
        )
    )


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def visible_to(self, user: User) -> "FeedbackQuerySet":
        return self.filter(feedback_filter(user))


class Feedback(CaseModel):
    """The 反馈意见 of an inspection to the unit's party organisation, or to its principal leader."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="feedbacks", verbose_name=_("巡察")
    )
    recipient = models.CharField(_("反馈对象"), max_length=12, choices=Recipient.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("总体情况"), blank=True)
    requirements = models.TextField(_("意见建议和整改要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    meeting_on = models.DateField(_("反馈会日期"), null=True, blank=True)
    meeting_place = models.CharField(_("反馈会地点"), max_length=100, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    delivered_by_name = models.CharField(_("反馈人"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    delivered_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈意见")
        verbose_name_plural = _("反馈意见")
        ordering: ClassVar = ["-inspection_id", "recipient"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "recipient"], name="one_feedback_per_recipient")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_draft(self) -> bool:
        return self.status == FeedbackStatus.DRAFT

    @property
    def status_badge(self) -> str:
        return FEEDBACK_BADGES[FeedbackStatus(self.status)]


class FeedbackProblemQuerySet(models.QuerySet["FeedbackProblem"]):
    def visible_to(self, user: User) -> "FeedbackProblemQuerySet":
        return self.filter(feedback_filter(user, "feedback__"))

    def delivered(self) -> "FeedbackProblemQuerySet":
        """The problems the unit has been told of: the input of rectification (问题清单)."""
        return self.filter(feedback__status=FeedbackStatus.DELIVERED)


class FeedbackProblem(CaseModel):
    """One problem of a feedback's problem list; frozen once the feedback is delivered.

    Rectification builds on these: ``feedback.inspection`` is the inspection, ``number`` and ``title``
    name the problem, ``findings`` are the signed-off findings it rests on."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.PROTECT, related_name="problems", verbose_name=_("反馈意见")
    )
    sequence = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("具体表现"), blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("三个聚焦"),
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="feedback_problems", verbose_name=_("问题底稿")
    )
    responsible = models.CharField(_("责任主体"), max_length=200, blank=True)

    objects = FeedbackProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈问题")
        verbose_name_plural = _("反馈问题")
        ordering: ClassVar = ["feedback_id", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["feedback", "sequence"], name="unique_feedback_problem")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"问题{self.sequence:02d}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.feedback.audit_committee_id


class FeedbackCopyQuerySet(models.QuerySet["FeedbackCopy"]):
    def visible_to(self, user: User) -> "FeedbackCopyQuerySet":
        """The committee's office and leading group and the inspection's team; the receiving side its own
        copies (a receiver of the department, the leader's account). Never the unit's liaison."""
        s = user.scopes
        return self.filter(
            Q(feedback__inspection__round__committee_id__in=s.ids(*READERS))
            | Q(feedback__inspection__team_id__in=s.ids(*TEAM_ROLES))
            | Q(department_id__in=s.ids(Role.RECEIVER))
            | Q(leader_id=user.pk)
        )


class FeedbackCopy(CaseModel):
    """A delivered feedback copied to the unit's 分管联系领导 (an account of the committee's leading group)
    or 通报 to a department of the committee; the receiving side signs for it (签收)."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.PROTECT, related_name="copies", verbose_name=_("反馈意见")
    )
    kind = models.CharField(_("方式"), max_length=12, choices=CopyKind.choices)
    leader = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分管联系领导"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发送人")
    )
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("签收人")
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    objects = FeedbackCopyQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈意见抄送、通报")
        verbose_name_plural = _("反馈意见抄送、通报")
        ordering: ClassVar = ["feedback_id", "kind", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["feedback", "leader"], name="one_copy_per_leader"),
            models.UniqueConstraint(fields=["feedback", "department"], name="one_copy_per_department"),
            models.CheckConstraint(
                condition=Q(kind="leader", leader__isnull=False, department__isnull=True)
                | Q(kind="department", leader__isnull=True, department__isnull=False),
                name="copy_kind_matches_receiver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback}：{self.get_kind_display()}（{self.receiver_name}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.feedback.audit_committee_id

    @property
    def receiver_name(self) -> str:
        if self.department is not None:
            return self.department.name
        return (self.leader.full_name or self.leader.username) if self.leader else ""

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


# Work log and weekly reports (工作日志、周报) -------------------------------------------------------------


def weekly_filter(user: User, prefix: str = "") -> Q:
    """Who reads a team's work log and weekly reports: the committee's office and leading group, and the
    inspection's team (the unit's liaison never: they are the team's internals)."""
    s = user.scopes
    return Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(*READERS)}) | Q(
        **{f"{prefix}inspection__team_id__in": s.ids(*TEAM_ROLES)}
    )


class WorkLogEntryQuerySet(models.QuerySet["WorkLogEntry"]):
    def visible_to(self, user: User) -> "WorkLogEntryQuerySet":
        return self.filter(weekly_filter(user))


class WorkLogEntry(CaseModel):
    """One dated entry of a team's work log (工作日志) for an inspection: what was done, by whom."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="work_log", verbose_name=_("巡察")
    )
    on_date = models.DateField(_("日期"))
    content = models.TextField(_("工作内容"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = WorkLogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        ordering: ClassVar = ["-on_date", "-pk"]
        indexes: ClassVar = [models.Index(fields=["inspection", "on_date"])]

    def __str__(self) -> str:
        return f"工作日志 {self.on_date:%Y-%m-%d}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


class WeeklyReportQuerySet(models.QuerySet["WeeklyReport"]):
    def visible_to(self, user: User) -> "WeeklyReportQuerySet":
        return self.filter(weekly_filter(user))


class WeeklyReport(CaseModel):
    """A team's 周报 to the office for one week (Monday to Sunday) of an inspection's 进驻/了解: the
    platform's counts for the week (kept as they stood when it was submitted), the narrative, the
    problems found and next week's plan; the office reads it and acknowledges it, with a comment."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="weekly_reports", verbose_name=_("巡察")
    )
    week_start = models.DateField(_("周起始日（星期一）"))
    due_on = models.DateField(_("报送期限"))
    counts = models.JSONField(_("本周数据"), default=dict)
    narrative = models.TextField(_("本周工作情况"), blank=True)
    problems = models.TextField(_("发现的主要问题"), blank=True)
    next_plan = models.TextField(_("下周工作计划"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=WeeklyStatus.choices, default=WeeklyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("阅知人")
    )
    acknowledged_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)
    office_comment = models.TextField(_("巡察办意见"), blank=True)

    objects = WeeklyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("周报")
        verbose_name_plural = _("周报")
        ordering: ClassVar = ["inspection_id", "-week_start"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "week_start"], name="one_weekly_report_per_week")
        ]

    def __str__(self) -> str:
        return f"周报（{self.week_start:%Y-%m-%d}—{self.week_end:%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=6)

    @property
    def is_draft(self) -> bool:
        return self.status == WeeklyStatus.DRAFT

    @property
    def is_late(self) -> bool:
        """Submitted after its due date, or not submitted and past it."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_on
        return timezone.localdate() > self.due_on

    @property
    def status_badge(self) -> str:
        return WEEKLY_BADGES[WeeklyStatus(self.status)]
