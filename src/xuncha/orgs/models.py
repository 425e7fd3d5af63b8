import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.models import CaseModel, User

from .choices import (
    PARTY_ORG_KIND_OF_TYPE,
    PARTY_ORG_SUFFIX,
    CommitteeLevel,
    DepartmentKind,
    Expertise,
    PartyOrgKind,
    PostCategory,
    UnitType,
)

# The endings of place names, for a unit name that carries its place without the committee's ending.
_PLACE_ENDINGS = "省市县区州旗盟"
_BARE_SHORT_NAMES = {"省委", "市委", "县委", "区委", "州委", "旗委"}


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def visible_to(self, user: User) -> "CommitteeQuerySet":
        s = user.scopes
        direct = s.ids(Role.OFFICE, Role.LEADING_GROUP, Role.CUSTODIAN, Role.AUDITOR, Role.SYSADMIN)
        # An office also reads the committees below it (业务指导); a committee is org data, not case data.
        ids = set(direct)
        for committee_id in s.ids(Role.OFFICE):
            ids |= Committee.descendant_ids(committee_id)
        return self.filter(
            Q(pk__in=ids)
            | Q(rounds__teams__pk__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
            | Q(units__pk__in=s.ids(Role.UNIT_LIAISON))
            | Q(departments__pk__in=s.ids(Role.RECEIVER))
        ).distinct()


class Committee(CaseModel):
    """A party committee (党委) that owns inspections; committees form a tree 省 → 市 → 县."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=CommitteeLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级党委"),
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("党委")
        verbose_name_plural = _("党委")
        ordering: ClassVar = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.pk

    @property
    def place(self) -> str:
        """The committee's place name: 江州市 (江州市委, short 市委), 清河县 (江州市清河县委, short
        清河县委)."""
        short = self.short_name.removeprefix("中共")
        if short.endswith("委") and short not in _BARE_SHORT_NAMES:
            return short.removesuffix("委")
        return self.name.removeprefix("中共").removesuffix("委员会").removesuffix("委")

    @staticmethod
    def descendant_ids(committee_id: int) -> set[int]:
        found: set[int] = set()
        frontier = {committee_id}
        while frontier:
            frontier = (
                set(Committee.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
            )
            found |= frontier
        return found


class CommitteeSettingsQuerySet(models.QuerySet["CommitteeSettings"]):
    def visible_to(self, user: User) -> "CommitteeSettingsQuerySet":
        return self.filter(committee_id__in=user.scopes.ids(Role.OFFICE, Role.SYSADMIN))


class CommitteeSettings(CaseModel):
    """Per-committee rules; the defaults are those of domain.md. Deadlines are computed from these."""

    committee = models.OneToOneField(
        Committee, on_delete=models.CASCADE, related_name="settings", verbose_name=_("党委")
    )
    stationing_days = models.PositiveSmallIntegerField(_("进驻后开展了解的期限（天）"), default=7)
    fieldwork_days = models.PositiveSmallIntegerField(_("了解阶段时长（天）"), default=60)
    report_days = models.PositiveSmallIntegerField(_("了解结束后报告期限（天）"), default=30)
    feedback_days = models.PositiveSmallIntegerField(_("报告后反馈期限（天）"), default=30)
    plan_days = models.PositiveSmallIntegerField(_("反馈后提交整改方案期限（天）"), default=15)
    rectification_report_days = models.PositiveSmallIntegerField(_("反馈后整改报告期限（天）"), default=60)
    review_days = models.PositiveSmallIntegerField(_("评估回访期限（天）"), default=30)
    transfer_report_back_days = models.PositiveSmallIntegerField(_("移交报果期限（天）"), default=90)
    due_soon_days = models.PositiveSmallIntegerField(_("临期提醒（天）"), default=7)
    petition_elsewhere = models.CharField(
        _("巡察受理期外的反映渠道"),
        max_length=300,
        default="请向本级纪委监委信访室反映（举报电话 12388）。",
        help_text=_("公开受理页面在受理期外显示。"),
    )
    reveal_hours = models.PositiveSmallIntegerField(_("身份信息查看时限（小时）"), default=24)
    secretary_meeting_required = models.BooleanField(
        _("反馈前须经书记专题会听取汇报"),
        default=True,
        help_text=_("开启后，书记专题会同意巡察报告前，巡察不能进入“反馈”阶段。"),
    )
    learned_triage_min_samples = models.PositiveSmallIntegerField(
        _("启用学习模型所需已确认分拣数"), default=30
    )
    archive_interview_records = models.BooleanField(
        _("归档材料包收入谈话记录"),
        default=False,
        help_text=_("收入时谈话记录及其扫描件在材料包中加密保存，仅能在本系统中解密。"),
    )
    archive_petition_attachments = models.BooleanField(
        _("归档材料包收入信访件附件"),
        default=False,
        help_text=_(
            "收入时信访件附件在材料包中加密保存，仅能在本系统中解密；附件原文件名可能含反映人身份，不收入。"
        ),
    )
    totp_roles = models.JSONField(
        _("须启用动态口令的角色"),
        default=list,
        blank=True,
        help_text=_("巡察办、身份信息保管人、系统管理员始终须启用（演示模式除外）。"),
    )

    objects = CommitteeSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("党委设置")
        verbose_name_plural = _("党委设置")

    def __str__(self) -> str:
        return f"{self.committee} 设置"

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: User) -> "UnitQuerySet":
        s = user.scopes
        return self.filter(
            Q(committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            # Reverse lookups into rounds by name only: orgs does not import rounds. An office also sees
            # the units of lower committees its own rounds inspect (提级, 交叉, 联动).
            | Q(inspections__round__committee_id__in=s.ids(Role.OFFICE))
            | Q(inspections__team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
            | Q(pk__in=s.ids(Role.UNIT_LIAISON))
        ).distinct()


class Unit(CaseModel):
    """A party organisation that can be inspected (被巡察党组织), in a tree of 下一级党组织."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="units", verbose_name=_("所属党委")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    name = models.CharField(_("单位名称"), max_length=100)
    code = models.CharField(_("单位代码"), max_length=30, blank=True)
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices)
    party_org_kind = models.CharField(
        _("党组织类别"),
        max_length=20,
        choices=PartyOrgKind.choices,
        blank=True,
        help_text=_("单位党组织署名的形式（党组、党委、党工委、党总支、党支部）；不填时按单位类型确定。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering: ClassVar = ["committee_id", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_unit_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id

    @property
    def party_kind(self) -> str:
        """The party organisation's kind: as entered, or the usual one of the unit's type."""
        return self.party_org_kind or PARTY_ORG_KIND_OF_TYPE.get(self.unit_type, PartyOrgKind.COMMITTEE)

    @property
    def full_name(self) -> str:
        """The unit's name with its committee's place: 市财政局 → 江州市财政局, 城关镇东街社区 →
        清河县城关镇东街社区; a name that already carries its place (江州学院, 清河县城关镇) stays."""
        place, name = self.committee.place, self.name
        for start in range(len(place)):
            if name.startswith(place[start:]):  # the longest end of the place the name begins with
                return place[:start] + name
        core = place.rstrip(_PLACE_ENDINGS)
        return name if core and core in name else place + name

    @property
    def party_organisation(self) -> str:
        """The party organisation as it signs documents: 中共江州市财政局党组, 中共清河县城关镇委员会 (never
        "…局委员会" for a bureau with a 党组). Every generated document signs with this."""
        return f"中共{self.full_name}{PARTY_ORG_SUFFIX[self.party_kind]}"

    def ancestor_ids(self) -> set[int]:
        found: set[int] = set()
        unit: Unit | None = self.parent
        while unit is not None and unit.pk not in found:
            found.add(unit.pk)
            unit = unit.parent
        return found

    def descendant_ids(self) -> set[int]:
        found: set[int] = set()
        frontier = {self.pk}
        while frontier:
            frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
            found |= frontier
        return found

    def related_ids(self) -> set[int]:
        """This unit, the units above it and the units below it: what "touches" it for 回避."""
        return {self.pk} | self.ancestor_ids() | self.descendant_ids()


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> "PersonQuerySet":
        return self.filter(unit__in=Unit.objects.visible_to(user))


class Person(CaseModel):
    """A person on a unit's roster (领导班子成员, 一把手, 下一级党组织主要负责人, 关键岗位 …)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("单位"))
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100)
    category = models.CharField(_("类别"), max_length=30, choices=PostCategory.choices)
    is_active = models.BooleanField(_("在职"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering: ClassVar = ["unit_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.unit.committee_id


class DepartmentQuerySet(models.QuerySet["Department"]):
    def visible_to(self, user: User) -> "DepartmentQuerySet":
        s = user.scopes
        return self.filter(
            Q(committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP)) | Q(pk__in=s.ids(Role.RECEIVER))
        )


class Department(CaseModel):
    """A department of a committee that receives transfers (纪委监委, 组织部 …)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="departments", verbose_name=_("所属党委")
    )
    name = models.CharField(_("部门名称"), max_length=100)
    kind = models.CharField(_("部门类别"), max_length=20, choices=DepartmentKind.choices)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering: ClassVar = ["committee_id", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_department_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id


class InspectorQuerySet(models.QuerySet["Inspector"]):
    def visible_to(self, user: User) -> "InspectorQuerySet":
        s = user.scopes
        return self.filter(
            Q(committee_id__in=s.ids(Role.OFFICE, Role.LEADING_GROUP))
            # A team sees its own members, an office those of lower committees its rounds sent out
            # (reverse lookups into rounds by name only).
            | Q(memberships__team__round__committee_id__in=s.ids(Role.OFFICE))
            | Q(memberships__team_id__in=s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
        ).distinct()


class Inspector(CaseModel):
    """An entry of the inspector pool (巡察干部人才库)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="inspectors", verbose_name=_("所属党委")
    )
    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspector",
        verbose_name=_("登录账号"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    home_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工作单位"),
    )
    post = models.CharField(_("现任职务"), max_length=100, blank=True)
    expertise = models.JSONField(_("专长"), default=list, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)

    objects = InspectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察干部")
        verbose_name_plural = _("巡察干部")
        ordering: ClassVar = ["committee_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id

    def expertise_labels(self) -> list[str]:
        return [str(Expertise(e).label) for e in self.expertise if e in Expertise.values]

    def conflicts_with(self, unit: Unit) -> list[str]:
        """Reasons (in Chinese) why this inspector must 回避 an inspection of ``unit``; empty if none."""
        touching = unit.related_ids()
        reasons: list[str] = []
        if self.home_unit_id in touching:
            reasons.append(f"工作单位“{self.home_unit}”与被巡察单位“{unit}”存在隶属关系或为同一单位")
        for former in self.former_posts.select_related("unit").filter(unit_id__in=touching):
            reasons.append(f"曾在“{former.unit}”任“{former.post}”")
        for relative in self.relatives.select_related("unit").filter(unit_id__in=touching):
            reasons.append(f"申报的亲属（{relative.relation}）在“{relative.unit}”任职")
        return reasons


class InspectorFormerPostQuerySet(models.QuerySet["InspectorFormerPost"]):
    def visible_to(self, user: User) -> "InspectorFormerPostQuerySet":
        return self.filter(inspector__in=Inspector.objects.visible_to(user))


class InspectorFormerPost(CaseModel):
    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="former_posts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("曾任职单位"))
    post = models.CharField(_("职务"), max_length=100)
    period = models.CharField(_("任职时间"), max_length=50, blank=True)

    objects = InspectorFormerPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("曾任职务")
        verbose_name_plural = _("曾任职务")

    def __str__(self) -> str:
        return f"{self.unit} {self.post}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspector.committee_id


class InspectorRelativeQuerySet(models.QuerySet["InspectorRelative"]):
    def visible_to(self, user: User) -> "InspectorRelativeQuerySet":
        # Declared relatives are personal data: only the office keeping the pool sees them.
        return self.filter(inspector__committee_id__in=user.scopes.ids(Role.OFFICE))


class InspectorRelative(CaseModel):
    """A relative the inspector declared, for 回避; the name is personal data and stored encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="relatives")
    name = EncryptedTextField(_("亲属姓名"), default="")
    relation = models.CharField(_("关系"), max_length=20)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("任职单位"))
    post = models.CharField(_("职务"), max_length=100, blank=True)

    objects = InspectorRelativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报亲属")
        verbose_name_plural = _("申报亲属")

    def __str__(self) -> str:
        return f"{self.relation} @ {self.unit}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspector.committee_id
