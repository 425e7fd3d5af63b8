from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role


class RoundKind(models.TextChoices):
    ROUTINE = "routine", _("常规巡察")
    SPECIAL = "special", _("专项巡察")
    MOBILE = "mobile", _("机动巡察")
    LOOKBACK = "lookback", _("巡察“回头看”")
    UPGRADED = "upgraded", _("提级巡察")
    CROSS = "cross", _("交叉巡察")
    LINKED = "linked", _("上下联动巡察")


class TeamRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("组员")
    LIAISON = "liaison", _("联络员")


# Which software role a team position carries (the deputy leads with the leader).
TEAM_ROLE_GRANTS: dict[str, str] = {
    TeamRole.LEADER: Role.TEAM_LEADER,
    TeamRole.DEPUTY: Role.TEAM_LEADER,
    TeamRole.MEMBER: Role.TEAM_MEMBER,
    TeamRole.LIAISON: Role.TEAM_MEMBER,
}


class Stage(models.TextChoices):
    PREPARING = "preparing", _("准备")
    STATIONED = "stationed", _("进驻")
    FIELDWORK = "fieldwork", _("了解")
    REPORTING = "reporting", _("报告")
    FEEDBACK = "feedback", _("反馈")
    RECTIFYING = "rectifying", _("整改")
    REVIEWING = "reviewing", _("评估回访")
    ARCHIVED = "archived", _("归档")


STAGE_ORDER: list[str] = list(Stage.values)

# The transition table: from-stage → (to-stage, roles allowed to make the move). Only forward, one step.
TRANSITIONS: dict[str, tuple[str, frozenset[str]]] = {
    Stage.PREPARING: (Stage.STATIONED, frozenset({Role.OFFICE, Role.TEAM_LEADER})),
    Stage.STATIONED: (Stage.FIELDWORK, frozenset({Role.OFFICE, Role.TEAM_LEADER})),
    Stage.FIELDWORK: (Stage.REPORTING, frozenset({Role.OFFICE, Role.TEAM_LEADER})),
    Stage.REPORTING: (Stage.FEEDBACK, frozenset({Role.OFFICE})),
    Stage.FEEDBACK: (Stage.RECTIFYING, frozenset({Role.OFFICE})),
    Stage.RECTIFYING: (Stage.REVIEWING, frozenset({Role.OFFICE})),
    Stage.REVIEWING: (Stage.ARCHIVED, frozenset({Role.OFFICE})),
}


# Chinese names of rounds' audit action codes (see core/audit_labels.py); created/updated/added are generic.
AUDIT_ACTIONS = {
    "inspection.transitioned": "巡察阶段变更",
    "inspection.fieldwork_end_changed": "调整了解阶段结束日期",
    "team.member_added": "巡察组增加成员",
    "team.member_removed": "巡察组移除成员",
    "team.conflict_overridden": "回避情形不予回避",
    "term.units_changed": "调整届内应覆盖单位",
    "archive_package.built": "生成归档材料包",
    "archive_package.read": "下载归档材料包",
}
AUDIT_DETAILS = {"from": "原阶段", "to": "新阶段", "ends_on": "结束日期", "inspector": "巡察干部"}
