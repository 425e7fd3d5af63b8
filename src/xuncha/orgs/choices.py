from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")


class UnitType(models.TextChoices):
    ORGAN = "organ", _("党政机关")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    SOE = "soe", _("国有企业")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    INSTITUTION = "institution", _("事业单位")
    OTHER = "other", _("其他")


class PartyOrgKind(models.TextChoices):
    """The kind of party organisation a unit has, which fixes the form of its name as it signs documents."""

    LEADING_GROUP = "leading_group", _("党组")
    COMMITTEE = "committee", _("党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")


# The formal name's ending of each kind: 中共江州市财政局党组, 中共清河县城关镇委员会, 中共…支部委员会.
PARTY_ORG_SUFFIX: dict[str, str] = {
    PartyOrgKind.LEADING_GROUP: "党组",
    PartyOrgKind.COMMITTEE: "委员会",
    PartyOrgKind.WORKING_COMMITTEE: "工作委员会",
    PartyOrgKind.GENERAL_BRANCH: "总支部委员会",
    PartyOrgKind.BRANCH: "支部委员会",
}

# The usual kind of each unit type, for a unit whose kind is not given: an organ has a 党组, a village a
# 党支部, the others a 党委.
PARTY_ORG_KIND_OF_TYPE: dict[str, str] = {
    UnitType.ORGAN: PartyOrgKind.LEADING_GROUP,
    UnitType.VILLAGE: PartyOrgKind.BRANCH,
}


class PostCategory(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责人")
    LEADERSHIP = "leadership", _("领导班子成员")
    NEXT_LEVEL_PRINCIPAL = "next_level_principal", _("下一级党组织主要负责人")
    KEY_POST = "key_post", _("关键岗位")
    OTHER = "other", _("其他")


class DepartmentKind(models.TextChoices):
    JIWEI = "jiwei", _("纪委监委")
    ZUZHIBU = "zuzhibu", _("组织部")
    XUANCHUANBU = "xuanchuanbu", _("宣传部")
    XINFANG = "xinfang", _("信访部门")
    AUDIT = "audit", _("审计部门")
    RULE_OF_LAW = "rule_of_law", _("依法治市（县）办")
    OTHER = "other", _("其他主管部门")


class Expertise(models.TextChoices):
    DISCIPLINE = "discipline", _("纪检监察")
    AUDIT = "audit", _("审计")
    FINANCE = "finance", _("财务")
    ORGANISATION = "organisation", _("组织人事")
    ENGINEERING = "engineering", _("工程建设")
    LAW = "law", _("法律")
    PROPAGANDA = "propaganda", _("宣传意识形态")
    AGRICULTURE = "agriculture", _("农业农村")
    OTHER = "other", _("其他")


# Chinese names of orgs' audit action codes (see core/audit_labels.py); created/updated/added are generic.
AUDIT_ACTIONS = {
    "units.imported": "导入单位和人员名册",
    "inspector.former_post_added": "添加巡察干部曾任职务",
    "inspector.former_post_removed": "删除巡察干部曾任职务",
    "inspector.relative_declared": "申报巡察干部亲属",
    "inspector.relative_removed": "删除巡察干部亲属",
    "inspector.relatives_viewed": "查看巡察干部亲属信息",
}
