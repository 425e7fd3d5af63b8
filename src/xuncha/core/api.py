"""Core of the API: authentication (Bearer token or browser session), error shapes, `me`, audit events."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Choices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import BODY_CONTENT_TYPES, REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import paginate
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import WithJsonSchema

from .audit_log import Entry, explain, selected
from .batch import BatchRefused
from .errors import Refused
from .models import ApiToken, AuditEvent, RoleAssignment, User
from .pagination import BoundedPagination
from .permissions import NotAllowed, acting_user

NOT_FOUND = {"detail": "对象不存在或无权访问"}


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    """The browser session, with Django's CSRF check for unsafe methods.

    Without a logged-in session there is nothing to protect from cross-site requests: the caller is
    simply unauthenticated (401), not refused for a missing CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF 校验失败，请刷新页面后重试。")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


AUTH = [BearerToken(), ActiveSession()]


_PYDANTIC_MESSAGES = {
    "missing": "此项为必填项",
    "int_parsing": "请输入整数",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "bool_parsing": "请输入 true 或 false",
    "json_invalid": "请求内容不是有效的 JSON",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def _field_of(loc: Sequence[Any]) -> str | None:
    """The input at fault, named as ``Refused`` names it: ("body", "payload", "x") → "x"."""
    parts = list(loc)
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(str(p) for p in parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, NOT_FOUND, status=404)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {
                "field": _field_of(err.get("loc", [])),
                "message": _PYDANTIC_MESSAGES.get(err.get("type", ""), "输入无效"),
            }
            for err in exc.errors
        ]
        return api.create_response(request, {"detail": errors}, status=422)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, BatchRefused):  # one entry per refused row, named in the message
            detail = [{"field": exc.field, "message": f"{r.row}：{r.message}"} for r in exc.refusals]
        else:
            detail = [{"field": exc.field, "message": exc.message}]
        return api.create_response(request, {"detail": detail}, status=422)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message}, status=403)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)

    def out_of_range(request: HttpRequest, exc: Any) -> HttpResponse:
        # An id larger than SQLite's integers: bad input, not a server error.
        return api.create_response(
            request, {"detail": [{"field": None, "message": "数值超出范围"}]}, status=422
        )

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(Refused, refused)
    api.add_exception_handler(NotAllowed, forbidden)
    api.add_exception_handler(AuthenticationError, unauthenticated)


class ErrorOut(Schema):
    """401, 403, 404 and 429: a Chinese message."""

    detail: str


class FieldErrorOut(Schema):
    field: str | None
    message: str


class InvalidOut(Schema):
    """422: what is wrong with which input (a body field, a query or path parameter, or none)."""

    detail: list[FieldErrorOut]


def inline_enum(choices: type[Choices]) -> WithJsonSchema:
    """A choice field's values written in place rather than as a component: ninja names components by
    class name alone, and some apps' choices share one (``ItemStatus``, ``ReportKind``)."""
    return WithJsonSchema({"type": "string", "enum": list(choices.values), "title": choices.__name__})


class _Contract(OpenAPISchema):
    """Ninja's schema, with the error answers each operation can give documented next to its own."""

    def responses(self, operation: Operation) -> dict[int, Any]:
        result = super().responses(operation)
        sources = {model.__ninja_param_source__ for model in operation.models}
        errors: dict[int, type[Schema]] = {}
        if operation.auth_callbacks:
            # 403: a role check, or the CSRF check of a browser session.
            errors |= {401: ErrorOut, 403: ErrorOut}
        if "path" in sources or sources & BODY_CONTENT_TYPES.keys():
            errors[404] = ErrorOut  # the object named by the path or the body is missing or out of scope
        if sources or operation.methods != ["GET"]:
            errors[422] = InvalidOut  # invalid input, or a guard of the action refused
        for status, model in errors.items():
            if status not in result:
                result[status] = {
                    "description": _STATUS_DESCRIPTIONS[status],
                    "content": {self.api.renderer.media_type: {"schema": self._component(model)}},
                }
        return result

    def _component(self, model: type[Schema]) -> dict[str, str]:
        schema = model.model_json_schema(ref_template=REF_TEMPLATE)
        self.add_schema_definitions({**schema.pop("$defs", {}), model.__name__: schema})
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


_STATUS_DESCRIPTIONS = {
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "对象不存在或无权访问",
    422: "输入无效或操作被拒绝",
}


class XunchaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Contract(self, path_prefix)


router = Router(tags=["core"])


class RoleOut(Schema):
    role: str
    scope_type: str
    scope_id: int


class BatchOut(Schema):
    """The answer of every batch action (core.batch): how many rows changed."""

    count: int


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    roles = RoleAssignment.objects.in_force().filter(user=user).order_by("role", "scope_id")
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": [{"role": r.role, "scope_type": r.scope_type, "scope_id": r.scope_id} for r in roles],
    }


class AuditChangeOut(Schema):
    field: str
    before: str
    after: str


class AuditDetailOut(Schema):
    name: str
    value: str


class AuditEventOut(Schema):
    """An event as the audit page shows it: in Chinese (with the codes beside), the object by its number,
    no case content (see core/audit_log.py)."""

    id: int = Field(..., alias="seq")
    created_at: datetime.datetime
    actor: str
    role: str
    action: str
    action_code: str
    object_type: str
    object_type_code: str
    object_id: str
    object_number: str
    committee_id: int | None
    request_id: str
    changes: list[AuditChangeOut]
    changed_fields: list[str]
    details: list[AuditDetailOut] = Field(..., alias="others")


class AuditEventFilter(Schema):
    q: str = ""
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None


class ExplainedPagination(BoundedPagination):
    """The page's events explained together (a fixed number of queries for the users and numbers)."""

    def paginate_queryset(
        self, queryset: Any, pagination: BoundedPagination.Input, request: Any = None, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "items": explain(list(page["items"]))}


@router.get("/audit-events/", response=list[AuditEventOut])
@paginate(ExplainedPagination)
def audit_events(request: HttpRequest, filters: Query[AuditEventFilter]) -> Any:
    events = AuditEvent.objects.visible_to(acting_user(request))
    return events.filter(selected(**filters.dict())).order_by("-seq")


@router.get("/audit-events/{seq}", response=AuditEventOut)
def audit_event(request: HttpRequest, seq: int) -> Entry:
    (entry,) = explain([get_object_or_404(AuditEvent.objects.visible_to(acting_user(request)), seq=seq)])
    return entry
