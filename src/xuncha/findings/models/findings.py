"""Regulations (定性依据) a committee's office keeps, and findings (问题底稿) of an inspection with their
evidence links and versions.

Who sees a finding: the office and leading group of the inspection's committee and the inspection's team;
everyone else (the unit's liaison, other teams, receivers) gets the same 404 as for a missing id. Evidence
points at objects of other apps through the registry of evidence kinds (evidence.py), by kind and id, so
that kinds can be added without a foreign key per kind.
"""

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.models import CaseModel, User
from xuncha.fieldwork.models import InterviewProblem
from xuncha.orgs.models import Committee, Person
from xuncha.rounds.models import Inspection, Team
from xuncha.taxonomy.models import Category
from xuncha.taxonomy.ordering import natural_key

from ..choices import STATUS_BADGES, Commonality, FindingStatus, RootCause

__all__ = [
    "TEAM_ROLES",
    "EvidenceLink",
    "Finding",
    "FindingVersion",
    "Regulation",
    "finding_inspections",
]

TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


class RegulationQuerySet(models.QuerySet["Regulation"]):
    def visible_to(self, user: User) -> "RegulationQuerySet":
        """The office and leading group of the committee, and its teams' members (who cite them)."""
        s = user.scopes
        teams = Team.objects.filter(pk__in=s.ids(*TEAM_ROLES)).values("round__committee_id")
        return self.filter(
            Q(committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP)) | Q(committee_id__in=teams)
        )


class Regulation(CaseModel):
    """One rule findings cite: 《中国共产党纪律处分条例》第二十八条, with its text.

    Listed by name, then article in numeric order (第六章 … 第十一章): ``sort_key``, kept by ``save``."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="regulations", verbose_name=_("所属党委")
    )
    name = models.CharField(_("名称"), max_length=100)
    article = models.CharField(_("条款"), max_length=40, blank=True)
    excerpt = models.TextField(_("条文摘要"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_key = models.CharField(_("排序键"), max_length=160, editable=False, default="")

    objects = RegulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("定性依据")
        verbose_name_plural = _("定性依据")
        ordering: ClassVar = ["committee_id", "name", "sort_key", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["committee", "name", "article"], name="unique_regulation")
        ]

    def __str__(self) -> str:
        return f"{self.name}{self.article}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = natural_key(self.article)
        super().save(*args, **kwargs)

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


def finding_inspections(user: User) -> "models.QuerySet[Inspection]":
    """The inspections whose findings ``user`` sees (the unit's liaison sees the inspection, not these)."""
    s = user.scopes
    return Inspection.objects.filter(
        Q(round__committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP)) | Q(team_id__in=s.ids(*TEAM_ROLES))
    )


class FindingQuerySet(models.QuerySet["Finding"]):
    def visible_to(self, user: User) -> "FindingQuerySet":
        return self.filter(inspection__in=finding_inspections(user))


def _category(verbose_name: Any) -> Any:
    return models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Finding(CaseModel):
    """A 问题底稿: drafted by the team, discussed at a 组务会, signed off by a leader who did not draft it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("巡察")
    )
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("问题标题"), max_length=200)
    description = models.TextField(_("问题表现"))
    regulations = models.ManyToManyField(
        Regulation, blank=True, related_name="findings", verbose_name=_("定性依据")
    )
    basis_note = models.TextField(_("定性依据说明"), blank=True)
    unit_responsible = models.BooleanField(_("被巡察党组织负有责任"), default=False)
    persons = models.ManyToManyField(
        Person, blank=True, related_name="findings", verbose_name=_("责任人（花名册）")
    )
    focus = _category(_("三个聚焦"))
    discipline = _category(_("六项纪律"))
    nature = _category(_("问题性质"))
    four_winds = _category(_("四风"))
    commonality = models.CharField(
        _("个性/共性"), max_length=12, choices=Commonality.choices, default=Commonality.INDIVIDUAL
    )
    root_cause = models.CharField(_("问题根源"), max_length=16, choices=RootCause.choices, blank=True)
    interview_problem = models.ForeignKey(
        InterviewProblem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("来源：谈话反映的问题"),
    )

    status = models.CharField(
        _("状态"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    meeting_on = models.DateField(_("组务会日期"), null=True, blank=True)
    meeting_opinion = models.TextField(_("组务会意见"), blank=True)
    discussed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    signed_off_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审签人")
    )
    signed_off_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题底稿")
        verbose_name_plural = _("问题底稿")
        ordering: ClassVar = ["inspection_id", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "sequence"], name="unique_finding_sequence")
        ]
        indexes: ClassVar = [models.Index(fields=["inspection", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_read_only(self) -> bool:
        return self.status == FindingStatus.SIGNED_OFF

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[FindingStatus(self.status)]


class EvidenceLinkQuerySet(models.QuerySet["EvidenceLink"]):
    def visible_to(self, user: User) -> "EvidenceLinkQuerySet":
        return self.filter(finding__in=Finding.objects.visible_to(user))


class EvidenceLink(CaseModel):
    """A finding's evidence: an object of another app, named by its kind (evidence.py) and id."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("证据类别"), max_length=30)
    object_id = models.CharField(_("证据"), max_length=64)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering: ClassVar = ["finding_id", "kind", "added_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["finding", "kind", "object_id"], name="unique_evidence_link")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.finding.audit_committee_id


class FindingVersionQuerySet(models.QuerySet["FindingVersion"]):
    def visible_to(self, user: User) -> "FindingVersionQuerySet":
        return self.filter(finding__in=Finding.objects.visible_to(user))


class FindingVersion(CaseModel):
    """The finding as it stood after one change: content, evidence and status, with who and when."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    event = models.CharField(_("操作"), max_length=20)
    data = models.JSONField(_("内容"), default=dict)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = FindingVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题底稿版本")
        verbose_name_plural = _("问题底稿版本")
        ordering: ClassVar = ["finding_id", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["finding", "number"], name="unique_finding_version")
        ]

    def __str__(self) -> str:
        return f"{self.finding.number} v{self.number}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.finding.audit_committee_id
