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


class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导出中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("导出失败")
    EXPIRED = "expired", _("已过期")


class RoleStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    IN_FORCE = "in_force", _("有效")
    ENDED = "ended", _("已终止")


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

# Grants of these roles need a second person's approval before they give any access.
TWO_PERSON_ROLES = frozenset({Role.OFFICE, Role.CUSTODIAN, Role.AUDITOR, Role.SYSADMIN})

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


# Chinese names of core's audit action codes and detail keys (see audit_labels.py).
AUDIT_ACTIONS = {
    "user.created": "新建账号",
    "user.updated": "修改账号",
    "user.disabled": "停用账号",
    "user.enabled": "启用账号",
    "user.logged_in": "登录",
    "user.logged_out": "退出登录",
    "user.otp_failed": "动态口令错误",
    "user.password_set": "设置密码",
    "user.unlocked": "解除锁定",
    "role.granted": "授予角色",
    "role.approved": "批准授予角色",
    "role.refused": "拒绝授予角色",
    "role.ended": "终止角色",
    "role.revoked": "撤销角色",
    "token.created": "创建 API 令牌",
    "token.revoked": "撤销 API 令牌",
    "otp.enrolment_started": "开始绑定动态口令",
    "otp.device_confirmed": "确认动态口令设备",
    "otp.confirmation_failed": "动态口令绑定失败",
    "otp.reset": "重置动态口令",
    "crypto.keys_rotated": "轮换加密密钥",
    "system.backup_made": "制作备份",
    "system.backup_restored": "恢复备份",
}
AUDIT_DETAILS = {
    "changes": "修改内容",
    "reason": "理由",
    "note": "说明",
    "count": "数量",
    "username": "用户名",
    "full_name": "姓名",
    "email": "电子邮箱",
    "phone": "电话",
    "role": "角色",
    "scope": "范围",
    "scope_type": "范围类型",
    "scope_id": "范围编号",
    "user": "用户",
    "key_id": "密钥编号",
    "model": "数据类型",
    "reencrypted": "重新加密数",
    "sha256": "SHA-256 摘要",
    "audit_seq": "审计链尾序号",
    "media_files": "附件文件数",
    "counts": "各类记录数",
    "made_at": "备份时间",
    "revoked_tokens": "撤销的令牌数",
    "removed_devices": "移除的设备数",
    "cleared_attempts": "清除的失败记录数",
    "name": "名称",
    "text": "内容",
    "units": "单位",
    "round": "轮次",
    "ends_at": "终止时间",
    "status": "状态",
    "granted_by": "授予人",
}
