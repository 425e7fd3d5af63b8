"""Petitions (信访件) and what hangs on them: announcements and the public portal, receipts, box openings,
triage suggestions and rules, duplicates, identity reveals and transfers out.

Confidentiality: the reporter's identity and contact fields are encrypted (``EncryptedTextField``) and shown
only through an approved reveal (``IdentityReveal``). Petitions about the inspectors themselves
(``about_inspectors``) are seen by the office alone, never by the team concerned. A unit's liaison sees no
petition; a receiving department sees what was transferred to it, through the ``Transfer``.
"""

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Committee, Department, Person, Unit
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.models import Category

from .choices import (
    OPEN_STATUSES,
    PUBLIC_STATUS,
    RECEIVING_STAGES,
    Channel,
    Decision,
    MatchKind,
    MessageDirection,
    RevealStatus,
    Scope,
    ScopeReason,
    Status,
    SuggestionField,
    SuggestionSource,
    TransferStatus,
)


def _office_or_team(user: User, prefix: str = "") -> Q:
    """Office of the inspection's committee, or the inspection's team (petitions about the inspectors
    excepted: those go to the office alone)."""
    s = user.scopes
    return Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(Role.OFFICE)}) | Q(
        **{
            f"{prefix}inspection__team_id__in": s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER),
            f"{prefix}about_inspectors": False,
        }
    )


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def visible_to(self, user: User) -> "AnnouncementQuerySet":
        return self.filter(inspection__in=Inspection.objects.visible_to(user))

    def published(self) -> "AnnouncementQuerySet":
        return self.filter(published_at__isnull=False)


class Announcement(CaseModel):
    """The 巡察公告 of one inspection: the window and the channels, as the public portal shows them."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="announcement", verbose_name=_("巡察")
    )
    public_code = models.CharField(_("公开编号"), max_length=16, unique=True)
    window_starts_at = models.DateTimeField(_("受理开始时间"))
    window_ends_at = models.DateTimeField(_("受理结束时间"))
    phone = models.CharField(_("值班电话"), max_length=50)
    duty_hours = models.CharField(_("值班时间"), max_length=100, help_text=_("如：每天 8:00—20:00"))
    duty_starts = models.TimeField(_("每日值班开始"), null=True, blank=True)
    duty_ends = models.TimeField(_("每日值班结束"), null=True, blank=True)
    postal_box = models.CharField(_("邮政信箱"), max_length=200)
    email = models.EmailField(_("电子邮箱"), blank=True)
    box_locations = models.TextField(_("意见箱设置地点"), blank=True)
    visit_place = models.CharField(_("来访接待地点"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察公告")
        verbose_name_plural = _("巡察公告")

    def __str__(self) -> str:
        return f"{self.inspection}公告"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.published_at is not None and self.window_starts_at <= moment <= self.window_ends_at

    def accepting(self, at: datetime.datetime | None = None) -> bool:
        """Published, within its window, and the inspection still receiving (进驻 to 报告)."""
        return self.is_open(at) and self.inspection.stage in RECEIVING_STAGES


class BoxOpeningQuerySet(models.QuerySet["BoxOpening"]):
    def visible_to(self, user: User) -> "BoxOpeningQuerySet":
        s = user.scopes
        return self.filter(
            Q(inspection__round__committee_id__in=s.ids(Role.OFFICE))
            | Q(inspection__team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
        )


class BoxOpening(CaseModel):
    """One opening of the 意见箱: when, where, two witnesses; its items are petitions of channel box."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="box_openings", verbose_name=_("巡察")
    )
    opened_at = models.DateTimeField(_("开箱时间"))
    place = models.CharField(_("开箱地点"), max_length=200)
    witness_1 = models.CharField(_("见证人一"), max_length=50)
    witness_2 = models.CharField(_("见证人二"), max_length=50)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = BoxOpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见箱开箱记录")
        verbose_name_plural = _("意见箱开箱记录")
        ordering: ClassVar = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.place} {timezone.localtime(self.opened_at):%Y-%m-%d %H:%M} 开箱"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


class DuplicateGroup(CaseModel):
    """Petitions a member confirmed to be one matter; statistics count the group once."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("重复件组")
        verbose_name_plural = _("重复件组")

    def __str__(self) -> str:
        return f"重复件组 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


# What identifies a reporter: encrypted, shown only through an approved reveal, never listed or logged.
IDENTITY_FIELDS = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_contact")
# What stands for each part of the identity where a reporter wrote it into the title or the content.
IDENTITY_MASKS = {
    "reporter_name": "［反映人姓名］",
    "reporter_phone": "［反映人电话］",
    "reporter_id_number": "［反映人身份证号］",
    "reporter_contact": "［反映人联系方式］",
}


class PetitionQuerySet(models.QuerySet["Petition"]):
    def visible_to(self, user: User) -> "PetitionQuerySet":
        return self.filter(_office_or_team(user))

    def open(self) -> "PetitionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def distinct_matters(self) -> int:
        """How many matters: a confirmed duplicate group counts once."""
        return self.pieces_and_matters()[1]

    def pieces_and_matters(self) -> tuple[int, int]:
        """How many petitions, and how many matters (in one query; distinct counts, so a filter through a
        join that repeats a petition does not count it twice)."""
        counts = self.aggregate(
            pieces=Count("pk", distinct=True),
            singles=Count("pk", filter=Q(duplicate_group__isnull=True), distinct=True),
            groups=Count("duplicate_group", distinct=True),
        )
        return int(counts["pieces"]), int(counts["singles"]) + int(counts["groups"])


class Petition(CaseModel):
    """A 信访件 received by any channel for one inspection."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("巡察")
    )
    number = models.CharField(_("编号"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    in_duty_hours = models.BooleanField(_("值班时间内来电"), null=True, blank=True)
    box_opening = models.ForeignKey(
        BoxOpening,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("开箱记录"),
    )
    entered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("登记人")
    )

    # The reporter: anonymous, or named with encrypted identity and contact.
    anonymous = models.BooleanField(_("匿名"), default=True)
    reporter_name = EncryptedTextField(_("反映人姓名"), blank=True)
    reporter_phone = EncryptedTextField(_("联系电话"), blank=True)
    reporter_id_number = EncryptedTextField(_("身份证号"), blank=True)
    reporter_contact = EncryptedTextField(_("其他联系方式"), blank=True)
    # The title and content as the reporter wrote them, when they named themselves in it (the stored
    # title and content then have the identity masked); shown only with the identity, on a reveal.
    text_as_written = EncryptedTextField(_("原文（含反映人信息）"), blank=True)

    # What it is about.
    subject_name = models.CharField(_("被反映人姓名"), max_length=50, blank=True)
    subject_post = models.CharField(_("被反映人职务"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    content = models.TextField(_("反映内容"))
    about_inspectors = models.BooleanField(_("反映巡察组或巡察干部"), default=False)
    persons = models.ManyToManyField(
        Person, blank=True, related_name="petitions", verbose_name=_("被反映人（花名册）")
    )

    # Triage: a person's decision, suggested by the rules, the roster and the learned model.
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    decision = models.CharField(_("分拣意见"), max_length=10, choices=Decision.choices, blank=True)
    scope = models.CharField(_("受理范围"), max_length=4, choices=Scope.choices, blank=True)
    scope_reason = models.CharField(_("范围依据"), max_length=30, choices=ScopeReason.choices, blank=True)
    discipline = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("六项纪律"),
    )
    focus = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("三个聚焦"),
    )
    important = models.BooleanField(_("重要问题须及时约谈"), default=False)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("分拣人")
    )
    decided_at = models.DateTimeField(_("分拣时间"), null=True, blank=True)
    decision_note = models.TextField(_("分拣说明"), blank=True)
    conclusion = models.TextField(_("办结情况"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    # The receipt: a public lookup key and a slow hash of the secret part (see receipts.py).
    receipt_key = models.CharField(max_length=12, unique=True, null=True, blank=True, editable=False)
    receipt_hash = models.CharField(max_length=200, blank=True, editable=False)

    duplicate_group = models.ForeignKey(
        DuplicateGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("重复件组"),
    )
    # jieba-segmented text of the non-confidential fields, for full-text search on any database.
    search_text = models.TextField(blank=True, editable=False)
    # When the triage suggestions and the duplicate index were made (analysis.py): at once for a clerk's
    # entry, by the background worker after a public submission; until then the pages say 分析中.
    analysed_at = models.DateTimeField(_("分析时间"), null=True, blank=True, editable=False)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访件")
        verbose_name_plural = _("信访件")
        ordering: ClassVar = ["-received_at"]
        indexes: ClassVar = [
            models.Index(fields=["inspection", "status"]),
            models.Index(fields=["inspection", "received_at"]),
            # The list's order within an inspection (listing.listed), with the key: a page's petitions
            # are found in this index alone (core.pagination), never by sorting the wide rows.
            models.Index(fields=["inspection", "-received_at", "-number", "id"], name="petition_list_idx"),
            # Every column the dashboard's petition figures read (analytics.figures): each figure is an
            # index-only scan of this narrow index rather than a read of the wide rows (a million petitions:
            # 3.6 s → 0.3 s on SQLite).
            models.Index(
                fields=[
                    "inspection",
                    "channel",
                    "scope",
                    "received_at",
                    "discipline",
                    "focus",
                    "duplicate_group",
                ],
                name="petition_figures_idx",
            ),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "number"], name="unique_petition_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def text_parts(self) -> list[str]:
        """What is read of the petition to search, triage and compare it: title, whom it is about, content
        (never the reporter's identity)."""
        return [p for p in (self.title, self.subject_name, self.subject_post, self.content) if p]

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[Status(self.status)]


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: User) -> "AttachmentQuerySet":
        return self.filter(petition__in=Petition.objects.visible_to(user))


class Attachment(SealedFile):
    """A file added to a petition (or a reporter's follow-up), stored encrypted under a server-made name."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        "PetitionMessage", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return f"附件 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.petition.audit_committee_id


class PetitionMessageQuerySet(models.QuerySet["PetitionMessage"]):
    def visible_to(self, user: User) -> "PetitionMessageQuerySet":
        return self.filter(petition__in=Petition.objects.visible_to(user))


class PetitionMessage(CaseModel):
    """A question from the team to the reporter, or the reporter's answer or added material (via receipt)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    text = EncryptedTextField(_("内容"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = PetitionMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("往来信息")
        verbose_name_plural = _("往来信息")
        ordering: ClassVar = ["at"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.at:%Y-%m-%d}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.petition.audit_committee_id


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def visible_to(self, user: User) -> "SuggestionQuerySet":
        return self.filter(petition__in=Petition.objects.visible_to(user))


class Suggestion(CaseModel):
    """One triage suggestion made at intake, with the rule or evidence that produced it."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="suggestions")
    field = models.CharField(max_length=12, choices=SuggestionField.choices)
    value = models.CharField(max_length=60)  # a choice value, a category pk or a person pk
    label = models.CharField(max_length=200)  # what the value means, in Chinese
    source = models.CharField(max_length=10, choices=SuggestionSource.choices)
    reason = models.CharField(max_length=300)  # e.g. 规则「个人诉求」命中“拖欠工资”
    score = models.FloatField(default=1.0)
    rule = models.ForeignKey("TriageRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["field", "-score"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}：{self.label}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.petition.audit_committee_id


class TriageRuleQuerySet(models.QuerySet["TriageRule"]):
    def visible_to(self, user: User) -> "TriageRuleQuerySet":
        return self.filter(committee_id__in=user.scopes.ids(Role.OFFICE))


class TriageRule(CaseModel):
    """A rule the office edits: when the text matches, suggest ``field`` = ``value``."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="triage_rules", verbose_name=_("所属党委")
    )
    name = models.CharField(_("规则名称"), max_length=100)
    field = models.CharField(_("建议项"), max_length=12, choices=SuggestionField.choices)
    value = models.CharField(_("建议值"), max_length=60)
    match = models.CharField(_("匹配方式"), max_length=10, choices=MatchKind.choices)
    patterns = models.TextField(_("关键词或表达式"), help_text=_("每行一个"))
    threshold = models.PositiveSmallIntegerField(_("模糊匹配阈值"), default=85)
    # An out-of-scope rule does not fire on a report of a cadre's misconduct unless this is set (claims.py).
    on_misconduct = models.BooleanField(_("反映干部违纪时仍适用"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = TriageRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("分拣规则")
        verbose_name_plural = _("分拣规则")
        ordering: ClassVar = ["committee_id", "field", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


class TriageModel(CaseModel):
    """A committee's learned triage model: parameters as JSON (no pickles), retrained when labels change."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=12, choices=SuggestionField.choices)
    labels_fingerprint = models.CharField(max_length=64)
    samples = models.PositiveIntegerField()
    parameters = models.JSONField()
    trained_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["committee", "field"], name="one_triage_model_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.field}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


class PetitionSerial(models.Model):
    """The last serial number given to a petition of an inspection. Each intake locks the row until it
    commits, so numbers are consecutive, and finds the next one in constant time (a count of the
    inspection's petitions, inside that lock, grew with every petition). Bookkeeping, no content."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.last}"


class Fingerprint(models.Model):
    """MinHash LSH bands of a petition's text, for near-duplicate candidates by index lookup.

    Derived data, rewritten whenever the text changes; it holds hashes only, no text."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="fingerprints")
    committee_id = models.IntegerField()
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["committee_id", "band", "value"])]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.band}"


class DuplicateCandidateQuerySet(models.QuerySet["DuplicateCandidate"]):
    def visible_to(self, user: User) -> "DuplicateCandidateQuerySet":
        visible = Petition.objects.visible_to(user)
        return self.filter(petition__in=visible, other__in=visible)


class DuplicateCandidate(CaseModel):
    """A suggested near-duplicate pair, found at intake, waiting for a member to confirm or dismiss."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="duplicate_candidates")
    other = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    dismissed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-similarity"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["petition", "other"], name="unique_duplicate_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.petition} ≈ {self.other}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.petition.audit_committee_id


class IdentityRevealQuerySet(models.QuerySet["IdentityReveal"]):
    def visible_to(self, user: User) -> "IdentityRevealQuerySet":
        s = user.scopes
        return self.filter(
            Q(petition__inspection__round__committee_id__in=s.ids(Role.CUSTODIAN)) | Q(requested_by=user)
        )

    def granting(self, user: User, petition: Petition) -> "IdentityRevealQuerySet":
        """Approved reveals that let ``user`` see ``petition``'s reporter now."""
        return self.filter(
            petition=petition,
            requested_by=user,
            status=RevealStatus.APPROVED,
            expires_at__gt=timezone.now(),
        )


class IdentityReveal(CaseModel):
    """A member's request to see a reporter's identity, decided by a custodian (two-person rule)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="reveals")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RevealStatus.choices, default=RevealStatus.PENDING
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    expires_at = models.DateTimeField(_("查看截止时间"), null=True, blank=True)

    objects = IdentityRevealQuerySet.as_manager()

    class Meta:
        verbose_name = _("身份信息查看申请")
        verbose_name_plural = _("身份信息查看申请")
        ordering: ClassVar = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.petition} 身份查看申请"

    @property
    def audit_committee_id(self) -> int | None:
        return self.petition.audit_committee_id


class TransferQuerySet(models.QuerySet["Transfer"]):
    def visible_to(self, user: User) -> "TransferQuerySet":
        s = user.scopes
        return self.filter(
            _office_or_team(user, "petition__")
            | Q(department_id__in=s.ids(Role.RECEIVER))
            | Q(unit_id__in=s.ids(Role.UNIT_LIAISON))
        )

    def overdue(self) -> "TransferQuerySet":
        return self.exclude(status=TransferStatus.REPORTED).filter(due_on__lt=timezone.localdate())


class Transfer(CaseModel):
    """An out-of-scope petition transferred (分级负责、属地管理) to a department or to the unit itself."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="transfers")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_transfers",
        verbose_name=_("接收部门"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_transfers",
        verbose_name=_("接收单位"),
    )
    letter_number = models.CharField(_("转交函编号"), max_length=60)
    reason = models.TextField(_("转交理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.SENT
    )
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("转交时间"), default=timezone.now)
    due_on = models.DateField(_("报结果期限"))
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(_("报结果时间"), null=True, blank=True)
    last_chased_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("转交")
        verbose_name_plural = _("转交")
        ordering: ClassVar = ["-sent_at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, unit__isnull=True)
                | Q(department__isnull=True, unit__isnull=False),
                name="transfer_has_one_receiver",
            )
        ]

    def __str__(self) -> str:
        return self.letter_number

    @property
    def audit_committee_id(self) -> int | None:
        return self.petition.audit_committee_id

    @property
    def receiver_name(self) -> str:
        return str(self.department or self.unit)


class AppointmentStatus(models.TextChoices):
    OPEN = "open", _("可预约")
    BOOKED = "booked", _("已预约")
    HELD = "held", _("已面谈")
    MISSED = "missed", _("未到")
    WITHDRAWN = "withdrawn", _("已撤回")


APPOINTMENT_BADGES = {
    AppointmentStatus.OPEN: "text-bg-info",
    AppointmentStatus.BOOKED: "text-bg-warning",
    AppointmentStatus.HELD: "text-bg-success",
    AppointmentStatus.MISSED: "text-bg-secondary",
    AppointmentStatus.WITHDRAWN: "text-bg-light",
}


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user: User) -> "AppointmentQuerySet":
        """The inspection's team and the office of its committee."""
        s = user.scopes
        return self.filter(
            Q(inspection__round__committee_id__in=s.ids(Role.OFFICE))
            | Q(inspection__team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
        )


class Appointment(CaseModel):
    """A face-to-face appointment (预约面谈): a time and place the team offers on the public portal, booked
    by a member of the public with a name and a phone number (encrypted; shown to the team that meets
    them, each view an audit event, never to the office or in lists), then held or missed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("巡察")
    )
    starts_at = models.DateTimeField(_("面谈时间"))
    place = models.CharField(_("面谈地点"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.OPEN
    )
    offered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    offered_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    # The visitor: encrypted like a reporter's identity.
    reporter_name = EncryptedTextField(_("预约人姓名"), blank=True)
    reporter_phone = EncryptedTextField(_("联系电话"), blank=True)
    topic = EncryptedTextField(_("反映事项概要"), blank=True)
    booked_at = models.DateTimeField(_("预约时间"), null=True, blank=True)
    note = models.TextField(_("面谈情况"), blank=True)
    handled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约面谈")
        verbose_name_plural = _("预约面谈")
        ordering: ClassVar = ["starts_at"]
        indexes: ClassVar = [models.Index(fields=["inspection", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"预约面谈 {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def status_badge(self) -> str:
        return APPOINTMENT_BADGES[AppointmentStatus(self.status)]
