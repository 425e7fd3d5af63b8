"""Chinese names for what the audit pages show: action codes, object types and numbers, field and detail
names, acting roles, users.

An action code is ``<object>.<verb>``. Apps register the names of their codes from ``AppConfig.ready``
(``register_audit_labels``); a code nobody registered is named from its object's ``verbose_name`` and a
common verb, and shown as the code itself only when neither is known. Field names in before/after rows
come from the model's ``verbose_name``s.

An object is named by its number (信访件 02-004-0001), never by the stored ``object_repr``, which may hold
case content (a clue's title). A model with a ``number`` or ``letter_number`` text field is numbered by it;
a scope (committee, unit, department, team) by its name; another registers how
(``register_object_numbers``). Numbers are read one query per object type.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import CharField, Field, Model, Q, QuerySet

from .choices import Role
from .models import User
from .scopes import scope_models

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
NUMBER_FIELDS = ("number", "letter_number")

ObjectNumbers = Callable[["QuerySet[Any]"], Iterable[tuple[Any, str]]]
_numbers: dict[str, ObjectNumbers] = {}


def register_audit_labels(
    actions: Mapping[str, str] | None = None, details: Mapping[str, str] | None = None
) -> None:
    # An action named twice, differently, would be named by whichever app registered last. (Detail keys
    # are shared words such as "rows", which each app may put in its own terms.)
    clashes = sorted(code for code, name in (actions or {}).items() if _actions.get(code, name) != name)
    if clashes:
        raise ValueError(f"audit actions named twice, differently: {clashes}")
    _actions.update(actions or {})
    _details.update(details or {})


def register_object_numbers(model: type[Model], numbers: ObjectNumbers) -> None:
    """``numbers(queryset)`` gives ``(pk, number)`` for the objects of ``queryset``, in one query."""
    _numbers[model._meta.label_lower] = numbers


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


def object_type_label(object_type: str) -> str:
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


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


def action_choices() -> list[tuple[str, str]]:
    """Every registered action code with its name, by name."""
    return sorted(_actions.items(), key=lambda item: (item[1], item[0]))


def object_type_choices() -> list[tuple[str, str]]:
    """The project's models by their Chinese names (with the app's name where two share one)."""
    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("xuncha.")
        and not str(model._meta.verbose_name).isascii()  # internal tables named only in English
        and model._meta.label_lower not in ("core.auditevent", "core.auditchainhead")
    ]
    counts: dict[str, int] = defaultdict(int)
    for model in models:
        counts[str(model._meta.verbose_name)] += 1
    choices = []
    for model in models:
        name = str(model._meta.verbose_name)
        if counts[name] > 1:
            name = f"{name}（{model._meta.app_config.verbose_name}）"
        choices.append((model._meta.label_lower, name))
    return sorted(choices, key=lambda item: (item[1], item[0]))


def matching(text: str) -> Q:
    """Events whose action or object type is named (in Chinese) or coded with ``text``: "登录" finds
    ``user.logged_in`` and ``user.logged_out``, "信访件" every event on a petition, "新建" every creation."""
    text = text.strip()
    codes = [code for code, label in _actions.items() if text in label]
    types = [code for code, label in object_type_choices() if text in label]
    found = Q(action__icontains=text) | Q(object_type__icontains=text)
    found |= Q(action__in=codes) | Q(object_type__in=types)
    for verb, label in VERBS.items():
        if text in label:
            found |= Q(action__endswith=f".{verb}")
    return found


def person(username: str, full_name: str) -> str:
    """A user as the audit pages name one: 姓名（username）."""
    return f"{full_name}（{username}）" if full_name and full_name != username else username


def people(ids: Collection[int] = (), usernames: Collection[str] = ()) -> dict[int | str, str]:
    """Users by id and by username, named, in one query."""
    if not ids and not usernames:
        return {}
    rows = User.objects.filter(Q(pk__in=ids) | Q(username__in=usernames))
    named: dict[int | str, str] = {}
    for pk, username, full_name in rows.values_list("pk", "username", "full_name"):
        named[pk] = named[username] = person(username, full_name)
    return named


def _numbers_of(model: type[Model]) -> ObjectNumbers | None:
    registered = _numbers.get(model._meta.label_lower)
    if registered is not None:
        return registered
    if model in scope_models():  # committees, units, departments, teams: organisation, by name
        return _by_field("name")
    for name in NUMBER_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, CharField):
            return _by_field(name)
    return None


def _by_field(name: str) -> ObjectNumbers:
    def numbers(found: "QuerySet[Any]") -> Iterable[tuple[Any, str]]:
        return found.values_list("pk", name)

    return numbers


def _pks(model: type[Model], ids: Iterable[str]) -> list[Any]:
    valid = []
    for value in ids:
        try:
            valid.append(model._meta.pk.to_python(value))
        except ValidationError:
            continue
    return valid


def object_numbers(objects: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The numbers of ``(object type, object id)`` pairs that have one, one query per object type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in objects:
        if object_type and object_id:
            wanted[object_type].add(object_id)
    found: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        numbers = _numbers_of(model) if model is not None else None
        if model is None or numbers is None:
            continue
        for pk, number in numbers(model._default_manager.filter(pk__in=_pks(model, ids))):
            if number:
                found[(object_type, str(pk))] = str(number)
    return found
