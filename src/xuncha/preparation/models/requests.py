"""Models of information requests; see the package's docstring for who sees what."""

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Department
from xuncha.rounds.models import Inspection

from ..choices import KIND_LETTER, AnswerState, AnswerStatus, RequestKind, RequestStatus

__all__ = ["InformationAnswer", "InformationAnswerFile", "InformationRequest", "Lead", "Recipient"]


def team_side(user: User, prefix: str = "") -> Q:
    """The requesting side: the committee's office and leading group, the inspection's team."""
    s = user.scopes
    return Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(Role.OFFICE, Role.LEADING_GROUP)}) | Q(
        **{f"{prefix}inspection__team_id__in": s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)}
    )


class InformationRequestQuerySet(models.QuerySet["InformationRequest"]):
    def visible_to(self, user: User) -> "InformationRequestQuerySet":
        departments = user.scopes.ids(Role.RECEIVER)
        addressed = Recipient.objects.filter(department_id__in=departments).values("request_id")
        return self.filter(team_side(user) | Q(pk__in=addressed))


class InformationRequest(CaseModel):
    """A letter of one inspection to one or more departments: what the team asks, by when."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="information_requests", verbose_name=_("巡察")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=12, choices=RequestKind.choices)
    subject = models.CharField(_("事由"), max_length=200)
    questions = models.TextField(_("了解事项"))
    due_on = models.DateField(_("答复期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_note = models.TextField(_("关闭说明"), blank=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("了解情况函")
        verbose_name_plural = _("了解情况函")
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "number"], name="unique_information_request_number")
        ]

    def __str__(self) -> str:
        return f"{self.inspection.team.name}{self.letter}第{self.number}号"

    @property
    def letter(self) -> str:
        return KIND_LETTER.get(self.kind, "了解情况函")

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


def pending_q(prefix: str = "") -> Q:
    """Slots still owed an answer: pending, of an open request, of an inspection not archived."""
    return Q(
        **{
            f"{prefix}status": AnswerStatus.PENDING,
            f"{prefix}request__status": RequestStatus.OPEN,
        }
    ) & ~Q(**{f"{prefix}request__inspection__stage": "archived"})


class RecipientQuerySet(models.QuerySet["Recipient"]):
    def visible_to(self, user: User) -> "RecipientQuerySet":
        return self.filter(team_side(user, "request__") | Q(department_id__in=user.scopes.ids(Role.RECEIVER)))

    def pending(self) -> "RecipientQuerySet":
        return self.filter(pending_q())


class Recipient(CaseModel):
    """One addressed department's answer slot: its due date (moved when asked again) and state."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("了解情况函")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="information_requests", verbose_name=_("部门")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.PENDING
    )
    due_on = models.DateField(_("答复期限"))
    follow_up = models.TextField(_("再次提请说明"), blank=True)
    asked_again = models.PositiveSmallIntegerField(_("再次提请次数"), default=0)
    answered_at = models.DateTimeField(_("最近答复时间"), null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("答复事项")
        verbose_name_plural = _("答复事项")
        ordering: ClassVar = ["request_id", "department_id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "department"], name="unique_information_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.request}（{self.department.name}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.request.audit_committee_id

    def state(self, today: datetime.date | None = None) -> str:
        if self.status == AnswerStatus.ANSWERED:
            return AnswerState.ANSWERED
        if self.due_on < (today or timezone.localdate()):
            return AnswerState.OVERDUE
        return AnswerState.PENDING

    def state_label(self) -> str:
        return str(AnswerState(self.state()).label)


class InformationAnswerQuerySet(models.QuerySet["InformationAnswer"]):
    def visible_to(self, user: User) -> "InformationAnswerQuerySet":
        return self.filter(
            team_side(user, "recipient__request__")
            | Q(recipient__department_id__in=user.scopes.ids(Role.RECEIVER))
        )


class InformationAnswer(CaseModel):
    """A department's answer: text (encrypted: it may name people) and files. A slot asked again gets a
    further answer; earlier ones stay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="answers")
    text = EncryptedTextField(_("答复内容"))
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), default=timezone.now)

    objects = InformationAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering: ClassVar = ["answered_at"]

    def __str__(self) -> str:
        return f"{self.recipient.department.name}的答复"

    @property
    def audit_committee_id(self) -> int | None:
        return self.recipient.audit_committee_id


class InformationAnswerFileQuerySet(models.QuerySet["InformationAnswerFile"]):
    def visible_to(self, user: User) -> "InformationAnswerFileQuerySet":
        return self.filter(answer__in=InformationAnswer.objects.visible_to(user))


class InformationAnswerFile(SealedFile):
    """A file sent with an answer, stored encrypted under a server-made name."""

    answer = models.ForeignKey(InformationAnswer, on_delete=models.CASCADE, related_name="files")

    objects = InformationAnswerFileQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")

    def __str__(self) -> str:
        return f"答复附件 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.answer.audit_committee_id


class LeadQuerySet(models.QuerySet["Lead"]):
    def visible_to(self, user: User) -> "LeadQuerySet":
        return self.filter(team_side(user))


class Lead(CaseModel):
    """A problem lead (问题线索来源) the team draws from an answer: the passage that matters, kept with the
    inspection so that findings may cite it as evidence (findings' evidence registry)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="preparation_leads", verbose_name=_("巡察")
    )
    answer = models.ForeignKey(InformationAnswer, on_delete=models.PROTECT, related_name="leads")
    number = models.CharField(_("编号"), max_length=30)
    passage = EncryptedTextField(_("线索内容"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("了解所得线索")
        verbose_name_plural = _("了解所得线索")
        ordering: ClassVar = ["created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id
