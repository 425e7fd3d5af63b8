from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeType(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    TEAM = "team", _("巡察组")
    UNIT = "unit", _("被巡察单位")
    DEPARTMENT = "department", _("部门")


class Role(models.TextChoices):
    OFFICE = "office", _("巡察办")
    LEADING_GROUP = "leading_group", _("巡察工作领导小组")
    TEAM_LEADER = "team_leader", _("巡察组组长")
    TEAM_MEMBER = "team_member", _("巡察组成员")
    UNIT_LIAISON = "unit_liaison", _("被巡察单位联络人")
    RECEIVER = "receiver", _("移交接收部门")
    CUSTODIAN = "custodian", _("身份信息保管人")
    AUDITOR = "auditor", _("审计员")
    SYSADMIN = "sysadmin", _("系统管理员")


# Each role is granted on exactly one kind of scope (domain.md §1).
ROLE_SCOPE: dict[str, str] = {
    Role.OFFICE: ScopeType.COMMITTEE,
    Role.LEADING_GROUP: ScopeType.COMMITTEE,
    Role.CUSTODIAN: ScopeType.COMMITTEE,
    Role.AUDITOR: ScopeType.COMMITTEE,
    Role.SYSADMIN: ScopeType.COMMITTEE,
    Role.TEAM_LEADER: ScopeType.TEAM,
    Role.TEAM_MEMBER: ScopeType.TEAM,
    Role.UNIT_LIAISON: ScopeType.UNIT,
    Role.RECEIVER: ScopeType.DEPARTMENT,
}

# Roles that must use TOTP outside demo mode, whatever the committee settings say.
ALWAYS_TOTP_ROLES = frozenset({Role.OFFICE, Role.CUSTODIAN, Role.SYSADMIN})

# One colour map for status badges (Bootstrap contextual colours).
BADGE_COLOURS = {
    "ok": "success",
    "due": "warning",
    "overdue": "danger",
    "info": "info",
    "muted": "secondary",
}
