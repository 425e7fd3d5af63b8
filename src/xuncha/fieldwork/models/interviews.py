"""Interviews (个别谈话): the plan of one inspection, each interview's record (谈话记录), its scans and the
problems raised in it.

Who sees what:

- the schedule (who, when, where, which inspectors, status): the office and leading group of the
  inspection's committee, the team's members, and the unit's liaison — the liaison only for interviews of
  its own unit that have a time slot, and never the topics, the cancellation reason, the record, the scans,
  the problems or the petition mark (``Interview.LIAISON_FIELDS`` is all it is given);
- the topics (谈话提纲): everyone above but the liaison;
- the record, its scans and the problems raised: the team's members and the committee's office only
  (``RECORD_ROLES``); every read is an audit event.
"""

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Inspector, Person
from xuncha.rounds.models import Inspection

from ..choices import InterviewSource, InterviewStatus, ProblemKind

__all__ = ["Interview", "InterviewProblem", "InterviewRecord", "InterviewScan"]

TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


def _record_readers(user: User, prefix: str) -> Q:
    """The team's members and the committee's office: who reads records, scans and problems."""
    s = user.scopes
    return Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(Role.OFFICE)}) | Q(
        **{f"{prefix}inspection__team_id__in": s.ids(*TEAM_ROLES)}
    )


class InterviewQuerySet(models.QuerySet["Interview"]):
    def visible_to(self, user: User) -> "InterviewQuerySet":
        s = user.scopes
        return self.filter(
            Q(inspection__round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(inspection__team_id__in=s.ids(*TEAM_ROLES))
            | Q(inspection__unit_id__in=s.ids(Role.UNIT_LIAISON), starts_at__isnull=False)
        )

    def internal_to(self, user: User) -> "InterviewQuerySet":
        """The interviews whose topics the user may read: the office, the leading group, the team."""
        s = user.scopes
        return self.filter(
            Q(inspection__round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            | Q(inspection__team_id__in=s.ids(*TEAM_ROLES))
        )

    def scheduled_for_liaison(self, user: User) -> "InterviewQuerySet":
        """The liaison's view: its units' interviews that have a time slot, without the confidential
        columns loaded at all."""
        return self.filter(
            inspection__unit_id__in=user.scopes.ids(Role.UNIT_LIAISON), starts_at__isnull=False
        ).only(*Interview.LIAISON_FIELDS)

    def with_petition_mark(self) -> "InterviewQuerySet":
        """Annotate ``named_in_petitions``: the roster person is named in a petition of the same inspection
        (through ``Person.petitions``, intake's relation, by name only; petitions about the inspectors, which
        the team never sees, are left out)."""
        named = Person.objects.filter(
            pk=OuterRef("person_id"),
            petitions__inspection_id=OuterRef("inspection_id"),
            petitions__about_inspectors=False,
        )
        return self.annotate(named_in_petitions=Exists(named))

    def active(self) -> "InterviewQuerySet":
        return self.exclude(status=InterviewStatus.CANCELLED)

    def overlapping(self, starts_at: datetime.datetime, ends_at: datetime.datetime) -> "InterviewQuerySet":
        return self.active().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Interview(CaseModel):
    """One planned interview (个别谈话) of an inspection: with whom, when, where, by which inspectors."""

    # What a unit's liaison is given of an interview, and nothing else.
    LIAISON_FIELDS: ClassVar = (
        "id",
        "inspection",
        "person",
        "name",
        "post",
        "starts_at",
        "ends_at",
        "place",
        "status",
        "confirmed_at",
        "conflict_note",
        "conflict_at",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("巡察")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("谈话对象（花名册）"),
    )
    name = models.CharField(_("谈话对象"), max_length=50)
    post = models.CharField(_("职务"), max_length=200, blank=True)
    category = models.CharField(
        _("类别"), max_length=30, choices=PostCategory.choices, default=PostCategory.OTHER
    )
    source = models.CharField(_("来源"), max_length=10, choices=InterviewSource.choices)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    inspectors = models.ManyToManyField(
        Inspector, blank=True, related_name="interviews", verbose_name=_("谈话人")
    )
    topics = EncryptedTextField(_("谈话提纲"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("单位确认时间"), null=True, blank=True)
    conflict_note = models.TextField(_("单位反馈的时间冲突"), blank=True)
    conflict_at = models.DateTimeField(_("反馈冲突时间"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("个别谈话")
        verbose_name_plural = _("个别谈话")
        ordering: ClassVar = [models.F("starts_at").asc(nulls_last=True), "created_at"]
        indexes: ClassVar = [
            models.Index(fields=["inspection", "status"]),
            models.Index(fields=["inspection", "starts_at"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="interview_slot_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"与{self.name}谈话"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None

    @property
    def is_open(self) -> bool:
        """Still to happen: not done, not cancelled."""
        return self.status in (InterviewStatus.PLANNED, InterviewStatus.CONFIRMED)

    @property
    def topic_points(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class RecordQuerySet(models.QuerySet["InterviewRecord"]):
    def visible_to(self, user: User) -> "RecordQuerySet":
        return self.filter(_record_readers(user, "interview__"))


class InterviewRecord(CaseModel):
    """The 谈话记录 of an interview, encrypted; read only by the team's members and the office, each read
    audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="record")
    text = EncryptedTextField(_("谈话记录"))
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("谈话记录")
        verbose_name_plural = _("谈话记录")

    def __str__(self) -> str:
        return f"{self.interview}记录"

    @property
    def audit_committee_id(self) -> int | None:
        return self.interview.audit_committee_id


class ScanQuerySet(models.QuerySet["InterviewScan"]):
    def visible_to(self, user: User) -> "ScanQuerySet":
        return self.filter(_record_readers(user, "interview__"))


class InterviewScan(SealedFile):
    """A scan of the signed paper record (or another file of the interview), sealed like every upload."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scans")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ScanQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("谈话记录扫描件")
        verbose_name_plural = _("谈话记录扫描件")

    def __str__(self) -> str:
        return f"{self.interview}扫描件"

    @property
    def audit_committee_id(self) -> int | None:
        return self.interview.audit_committee_id


class ProblemQuerySet(models.QuerySet["InterviewProblem"]):
    def visible_to(self, user: User) -> "ProblemQuerySet":
        return self.filter(_record_readers(user, "interview__"))


class InterviewProblem(CaseModel):
    """A problem raised in an interview, kept as what it may become: a draft finding (问题底稿) or a clue
    (问题线索). The findings app does not exist yet; when it does, its Finding and Clue will point here (a
    foreign key to this row), so the evidence chain interview → problem → finding/clue is kept without
    this app importing findings."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(_("类型"), max_length=10, choices=ProblemKind.choices)
    text = EncryptedTextField(_("反映的问题"))
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("谈话反映的问题")
        verbose_name_plural = _("谈话反映的问题")
        ordering: ClassVar = ["added_at"]

    def __str__(self) -> str:
        return f"{self.interview}：{self.get_kind_display()}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.interview.audit_committee_id
