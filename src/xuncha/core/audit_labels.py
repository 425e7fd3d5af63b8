"""Chinese names for what the audit pages show: action codes, field and detail names, acting roles.

An action code is ``<object>.<verb>``. Apps register the names of their codes from ``AppConfig.ready``
(``register_audit_labels``); a code nobody registered is named from its object's ``verbose_name`` and a
common verb, and shown as the code itself only when neither is known. Field names in before/after rows
come from the model's ``verbose_name``s.
"""

from collections.abc import Mapping

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model

from .choices import Role

_actions: dict[str, str] = {}
_details: dict[str, str] = {}

VERBS = {
    "created": "新建",
    "updated": "修改",
    "added": "添加",
    "removed": "移除",
    "deleted": "删除",
    "imported": "导入",
    "granted": "授予",
    "revoked": "撤销",
    "viewed": "查看",
    "exported": "导出",
}
ACTORS = {"system": "系统", "public": "公众（公开受理）"}


def register_audit_labels(
    actions: Mapping[str, str] | None = None, details: Mapping[str, str] | None = None
) -> None:
    _actions.update(actions or {})
    _details.update(details or {})


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def action_label(code: str, object_type: str = "") -> str:
    if code in _actions:
        return _actions[code]
    _, _, verb = code.rpartition(".")
    model = _model(object_type) if object_type else None
    if model is not None and verb in VERBS:
        return f"{VERBS[verb]}{model._meta.verbose_name}"
    return code


def field_label(object_type: str, name: str) -> str:
    model = _model(object_type) if object_type else None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if isinstance(field, Field):
            return str(field.verbose_name)
    return _details.get(name, name)


def role_label(code: str) -> str:
    if code in Role.values:
        return str(Role(code).label)
    return ACTORS.get(code, code)
