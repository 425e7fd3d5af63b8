import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Committee, CommitteeSettings, Inspector, Unit

from .choices import RoundKind, Stage, TeamRole
from .deadlines import default_due_soon_days, settings_for
from .plan_choices import APPROVED_STATES, EDITABLE_STATES, CommitmentKind, PlanStatus, VersionDecision


class TermQuerySet(models.QuerySet["Term"]):
    def visible_to(self, user: User) -> "TermQuerySet":
        return self.filter(committee_id__in=user.scopes.ids(Role.OFFICE, Role.LEADING_GROUP))

    def with_coverage(self) -> "TermQuerySet":
        """Annotate ``expected_count`` (units to cover) and ``covered_count`` (of those, inspected in a
        round of the term)."""
        return self.annotate(
            expected_count=Count("units", distinct=True),
            covered_count=Count("units", filter=Q(units__inspections__round__term=F("pk")), distinct=True),
        )


class Term(CaseModel):
    """A committee term (届): every unit listed must be inspected within it (全覆盖)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="terms", verbose_name=_("党委")
    )
    name = models.CharField(_("届次"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    units = models.ManyToManyField(Unit, related_name="terms", verbose_name=_("应覆盖单位"), blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("届期")
        verbose_name_plural = _("届期")
        ordering: ClassVar = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


class RoundQuerySet(models.QuerySet["Round"]):
    def visible_to(self, user: User) -> "RoundQuerySet":
        s = user.scopes
        return self.filter(
            Q(committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(teams__pk__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
            | Q(inspections__unit_id__in=s.ids(Role.UNIT_LIAISON))
        ).distinct()

    def in_progress(self) -> "RoundQuerySet":
        """Rounds with at least one inspection not yet archived."""
        return self.filter(pk__in=Inspection.objects.exclude(stage=Stage.ARCHIVED).values("round_id"))


class Round(CaseModel):
    """A round (轮次) of inspections of one committee."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("党委")
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("届期"),
    )
    number = models.PositiveSmallIntegerField(_("轮次序号"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=RoundKind.choices)
    topic = models.CharField(_("专项主题"), max_length=200, blank=True)
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划结束"))
    lookback_of: "models.ManyToManyField[Inspection, Any]" = models.ManyToManyField(
        "Inspection", blank=True, related_name="lookbacks", verbose_name=_("回头看对象")
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察轮次")
        verbose_name_plural = _("巡察轮次")
        ordering: ClassVar = ["-planned_start", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["committee", "number"], name="unique_round_number")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user: User) -> "TeamQuerySet":
        s = user.scopes
        return self.filter(
            Q(round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(pk__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
            | Q(inspections__unit_id__in=s.ids(Role.UNIT_LIAISON))
        ).distinct()


class Team(CaseModel):
    """An inspection team (巡察组), formed anew for each round (一次一组建)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="teams", verbose_name=_("轮次"))
    name = models.CharField(_("名称"), max_length=50)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察组")
        verbose_name_plural = _("巡察组")
        ordering: ClassVar = ["round_id", "id"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["round", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return f"{self.round.name} {self.name}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id


class TeamMemberQuerySet(models.QuerySet["TeamMember"]):
    def visible_to(self, user: User) -> "TeamMemberQuerySet":
        # Members are the team's internals: its committee's office and leading group, and the team itself
        # (not the inspected unit's liaison, who sees the team but not who is on it).
        s = user.scopes
        return self.filter(
            Q(team__round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
        )


class TeamMember(CaseModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("巡察组"))
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("巡察干部")
    )
    role = models.CharField(_("组内职务"), max_length=20, choices=TeamRole.choices)
    conflict_reasons = models.JSONField(_("回避情形"), default=list, blank=True)
    override_reason = models.TextField(_("不予回避理由"), blank=True)
    overridden_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定人"),
    )

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察组成员")
        verbose_name_plural = _("巡察组成员")
        ordering: ClassVar = ["team_id", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["team", "inspector"], name="unique_team_member")
        ]

    def __str__(self) -> str:
        return f"{self.inspector}（{self.get_role_display()}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.team.round.committee_id


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def visible_to(self, user: User) -> "InspectionQuerySet":
        s = user.scopes
        return self.filter(
            Q(round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
            | Q(unit_id__in=s.ids(Role.UNIT_LIAISON))
        )

    def overdue(self, today: datetime.date | None = None) -> "InspectionQuerySet":
        return self.filter(stage_due_on__lt=today or timezone.localdate()).exclude(stage=Stage.ARCHIVED)

    def due_soon(self, today: datetime.date | None = None) -> "InspectionQuerySet":
        """Not overdue yet, but due within the committee's ``due_soon_days``."""
        today = today or timezone.localdate()
        committees_by_days: dict[int, list[int]] = {}
        for committee_id, days in CommitteeSettings.objects.values_list("committee_id", "due_soon_days"):
            committees_by_days.setdefault(days, []).append(committee_id)
        configured = [pk for ids in committees_by_days.values() for pk in ids]
        window = Q(stage_due_on__lte=today + datetime.timedelta(days=default_due_soon_days())) & ~Q(
            round__committee_id__in=configured
        )
        for days, ids in committees_by_days.items():
            window |= Q(round__committee_id__in=ids, stage_due_on__lte=today + datetime.timedelta(days=days))
        return self.filter(window, stage_due_on__gte=today).exclude(stage=Stage.ARCHIVED)


class Inspection(CaseModel):
    """One team inspecting one unit in one round; carries the stage machine (see actions.py)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("轮次")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("巡察组")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("被巡察单位")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.PREPARING)
    stage_entered_at = models.DateTimeField(_("进入本阶段时间"), default=timezone.now)
    stage_due_on = models.DateField(_("本阶段期限"), null=True, blank=True)
    stationed_on = models.DateField(_("进驻日期"), null=True, blank=True)
    fieldwork_ends_on = models.DateField(_("了解阶段结束日期"), null=True, blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察")
        verbose_name_plural = _("巡察")
        ordering: ClassVar = ["round_id", "team_id", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "unit"], name="unique_inspection_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.team.name}巡察{self.unit.name}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id

    @property
    def team_signature(self) -> str:
        """The team as it signs documents: 江东市委第一巡察组."""
        committee, team = self.round.committee.name, self.team.name
        return team if team.startswith(committee) else f"{committee}{team}"

    @property
    def is_read_only(self) -> bool:
        return self.stage == Stage.ARCHIVED

    def reader_roles(self) -> dict[str, int]:
        """Who reads this inspection, role → scope id: the committee's office and leading group, the team,
        the unit's liaison (``core.permissions.held_role`` picks the one a read is recorded under)."""
        committee = self.round.committee_id
        return {
            Role.OFFICE: committee,
            Role.LEADING_GROUP: committee,
            Role.TEAM_LEADER: self.team_id,
            Role.TEAM_MEMBER: self.team_id,
            Role.UNIT_LIAISON: self.unit_id,
        }

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            self.stage != Stage.ARCHIVED
            and self.stage_due_on is not None
            and self.stage_due_on < (today or timezone.localdate())
        )

    def deadline_state(self, today: datetime.date | None = None) -> str:
        """Return "overdue", "due" (within the committee's due_soon_days) or "" (none, or not near)."""
        today = today or timezone.localdate()
        if self.stage == Stage.ARCHIVED or self.stage_due_on is None:
            return ""
        if self.stage_due_on < today:
            return "overdue"
        soon = datetime.timedelta(days=settings_for(self.round.committee).due_soon_days)
        return "due" if self.stage_due_on <= today + soon else ""

    def is_due_soon(self, today: datetime.date | None = None) -> bool:
        return self.deadline_state(today) == "due"


class StageChangeQuerySet(models.QuerySet["StageChange"]):
    def visible_to(self, user: User) -> "StageChangeQuerySet":
        return self.filter(inspection__in=Inspection.objects.visible_to(user))


class StageChange(CaseModel):
    """The journal of an inspection's stage moves (the audit chain records them too)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    # None: the system itself (a command or a background task).
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering: ClassVar = ["inspection_id", "at"]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.from_stage} → {self.to_stage}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


class MobilisationMeetingQuerySet(models.QuerySet["MobilisationMeeting"]):
    def visible_to(self, user: User) -> "MobilisationMeetingQuerySet":
        # The team's internals: its committee's office and leading group, and the team itself.
        s = user.scopes
        return self.filter(
            Q(inspection__round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(inspection__team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
        )


class MobilisationMeeting(CaseModel):
    """The 巡察工作动员会 that opens stationing (进驻): when and where, who chairs and attends, its agenda,
    and afterwards how it went; its notice and record are generated as official documents."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="mobilisation_meeting", verbose_name=_("巡察")
    )
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("会议地点"), max_length=200)
    chair = models.CharField(_("主持人"), max_length=100)
    attendees = models.TextField(_("参会人员"))
    agenda = models.TextField(_("会议议程"), help_text=_("每行一项"))
    notes = models.TextField(_("会议情况"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = MobilisationMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察工作动员会")
        verbose_name_plural = _("巡察工作动员会")

    def __str__(self) -> str:
        return f"{self.inspection}动员会"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class ArchivePackage(SealedFile):
    """The 归档 package of an inspection: a zip of its generated documents and ledgers with a manifest of
    their SHA-256 hashes, built by the archiving action and kept sealed as the record of what was archived
    (see ``archive_package``)."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="archive_package", verbose_name=_("巡察")
    )
    built_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("归档人")
    )

    class Meta(SealedFile.Meta):
        verbose_name = _("归档材料包")
        verbose_name_plural = _("归档材料包")

    def __str__(self) -> str:
        return f"{self.inspection}归档材料包"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


# The work plan (巡察工作方案), the round's 动员部署会, and the inspectors' readiness -----------------------


def _round_insiders(user: User, field: str = "round") -> Q:
    """The round's committee office and leading group, and the members of the round's teams."""
    s = user.scopes
    team_rounds = Team.objects.filter(pk__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)).values("round_id")
    return Q(**{f"{field}__committee_id__in": s.ids(Role.OFFICE, Role.LEADING_GROUP)}) | Q(
        **{f"{field}_id__in": team_rounds}
    )


class WorkPlanQuerySet(models.QuerySet["WorkPlan"]):
    def visible_to(self, user: User) -> "WorkPlanQuerySet":
        return self.filter(_round_insiders(user))


class WorkPlan(CaseModel):
    """The 巡察工作方案 of a round: drafted by the office, submitted to the leading group, approved or
    returned with an opinion, and its 审定 by the committee's secretary recorded. Every submitted version
    is kept (``WorkPlanVersion``); the round's teams are stationed only once it is approved."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="work_plan", verbose_name=_("轮次")
    )
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    stationing_on = models.DateField(_("进驻日期"))
    withdrawal_on = models.DateField(_("撤离日期"))
    focus = models.JSONField(_("巡察重点（三个聚焦）"), default=list, blank=True)
    topic = models.CharField(_("专项主题"), max_length=200, blank=True)
    division = models.TextField(_("工作分工"), blank=True)
    requirements = models.TextField(_("工作要求"), blank=True)
    # TeamMember id (as a string) → the member's task (任务分工).
    tasks = models.JSONField(_("成员任务分工"), default=dict, blank=True)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    ratified_by_name = models.CharField(_("审定人"), max_length=100, blank=True)
    ratified_on = models.DateField(_("审定日期"), null=True, blank=True)
    ratification_recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("登记人")
    )

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察工作方案")
        verbose_name_plural = _("巡察工作方案")
        ordering: ClassVar = ["-round__planned_start", "-id"]

    def __str__(self) -> str:
        return f"{self.round.name}工作方案"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES


class WorkPlanVersion(CaseModel):
    """One submitted version of a work plan: its text as submitted, and the leading group's decision."""

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("方案")
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    text = models.TextField(_("方案文本"))
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    decision = models.CharField(
        _("审批结果"),
        max_length=20,
        choices=VersionDecision.choices,
        default=VersionDecision.PENDING,
        blank=True,
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("巡察工作方案版本")
        verbose_name_plural = _("巡察工作方案版本")
        ordering: ClassVar = ["plan_id", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_work_plan_version")
        ]

    def __str__(self) -> str:
        return f"{self.plan}（第{self.number}稿）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.plan.round.committee_id


class RoundMeetingQuerySet(models.QuerySet["RoundMeeting"]):
    def visible_to(self, user: User) -> "RoundMeetingQuerySet":
        return self.filter(_round_insiders(user))


class RoundMeeting(CaseModel):
    """The round's 巡察工作动员部署会: when and where, and who took part (the leading group, the office,
    the teams and the units), prefilled from the data and kept as text."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="deployment_meeting", verbose_name=_("轮次")
    )
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("会议地点"), max_length=200)
    chair = models.CharField(_("主持人"), max_length=100)
    leading_group = models.TextField(_("出席的领导小组成员"))
    office = models.TextField(_("巡察办人员"))
    teams = models.TextField(_("巡察组"))
    units = models.TextField(_("被巡察单位"))
    notes = models.TextField(_("会议情况"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = RoundMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察工作动员部署会")
        verbose_name_plural = _("巡察工作动员部署会")

    def __str__(self) -> str:
        return f"{self.round.name}动员部署会"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id


class TrainingSessionQuerySet(models.QuerySet["TrainingSession"]):
    def visible_to(self, user: User) -> "TrainingSessionQuerySet":
        return self.filter(_round_insiders(user))


class TrainingSession(CaseModel):
    """A 巡前培训 (战前集训) session of a round, with the inspectors who attended it."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="training_sessions", verbose_name=_("轮次")
    )
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训内容"), max_length=200)
    place = models.CharField(_("培训地点"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        Inspector, related_name="training_sessions", blank=True, verbose_name=_("参训人员")
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡前培训")
        verbose_name_plural = _("巡前培训")
        ordering: ClassVar = ["round_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def visible_to(self, user: User) -> "CommitmentQuerySet":
        return self.filter(_round_insiders(user) | Q(inspector__user_id=user.pk))


class Commitment(CaseModel):
    """An inspector's signed 保密承诺 or 行为规范 commitment for a round: signed in the platform by the
    inspector's own account, or (for an inspector without one) the paper copy recorded by the office."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("轮次")
    )
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("巡察干部")
    )
    kind = models.CharField(_("承诺事项"), max_length=20, choices=CommitmentKind.choices)
    text = models.TextField(_("承诺内容"))
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("签署账号")
    )
    on_paper = models.BooleanField(_("纸质签署"), default=False)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察干部承诺")
        verbose_name_plural = _("巡察干部承诺")
        ordering: ClassVar = ["round_id", "inspector_id", "kind"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "inspector", "kind"], name="unique_commitment")
        ]

    def __str__(self) -> str:
        return f"{self.inspector.name}{self.get_kind_display()}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.round.committee_id
