"""The registry of evidence kinds a finding may link to: 信访件, and fieldwork's 个别谈话, 调阅资料, 测评,
抽查核实 and other activities.

A kind names a model whose queryset has ``visible_to(user)``, the path from it to its inspection, how to
describe one object and the page that shows it. A link is kept as (kind, object id) on ``EvidenceLink``;
what a reader sees of it goes through ``visible_to``: a linked object out of the reader's scope is shown as
its kind alone. Kinds are registered in apps.py (``register_kind``); findings may import the apps below it,
so it registers their kinds itself.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.rounds.models import Inspection


@dataclass(frozen=True)
class EvidenceKind:
    code: str  # stored on the link; also the API's "kind"
    label: str  # 信访件
    model: type[models.Model]
    inspection_path: str  # the lookup from the model to its Inspection, e.g. "inspection"
    describe: Callable[[Any], str]  # what a reader sees (who may see the object)
    reference: Callable[[Any], str]  # a short, non-confidential name kept in versions (never an id)
    url_name: str  # a view taking the object's pk

    def objects(self, user: User | None, inspection: Inspection) -> models.QuerySet[Any]:
        """The objects of this kind of ``inspection`` that ``user`` may see (all of them for the system)."""
        manager: Any = self.model._default_manager
        found = manager.all() if user is None else manager.visible_to(user)
        return found.filter(**{self.inspection_path: inspection})

    def url(self, obj: Any) -> str:
        return reverse(self.url_name, args=[obj.pk])


_kinds: dict[str, EvidenceKind] = {}


def register_kind(kind: EvidenceKind) -> None:
    _kinds[kind.code] = kind


def kinds() -> list[EvidenceKind]:
    return list(_kinds.values())


def registered(code: str) -> EvidenceKind | None:
    return _kinds.get(code)


def kind_of(code: str) -> EvidenceKind:
    try:
        return _kinds[code]
    except KeyError:
        raise Refused(f"证据类别“{code}”不存在。", field="evidence") from None


def kind_for(obj: models.Model) -> EvidenceKind:
    for kind in _kinds.values():
        if isinstance(obj, kind.model):
            return kind
    raise Refused("不能作为证据的对象。", field="evidence")


@dataclass(frozen=True)
class Shown:
    """One evidence link as a reader sees it: the object's description and page, or its kind alone."""

    kind: str
    label: str
    object_id: str
    text: str
    url: str
    visible: bool


def shown(links: Iterable[Any], user: User, inspection: Inspection) -> list[Shown]:
    """The links as ``user`` sees them, with one query per kind present."""
    by_kind: dict[str, list[str]] = {}
    for link in links:
        by_kind.setdefault(link.kind, []).append(link.object_id)
    result: list[Shown] = []
    for code, ids in by_kind.items():
        kind = _kinds.get(code)
        # A kind no longer registered is still shown as a link that is there.
        found = (
            {} if kind is None else {str(o.pk): o for o in kind.objects(user, inspection).filter(pk__in=ids)}
        )
        label = code if kind is None else kind.label
        for object_id in ids:
            obj = found.get(object_id)
            if kind is None or obj is None:
                result.append(Shown(code, label, object_id, "", "", False))
            else:
                result.append(Shown(code, label, object_id, kind.describe(obj), kind.url(obj), True))
    return result


def _petition(petition: Any) -> str:
    summary = petition.title or petition.content[:40]
    return f"{petition.number} {summary}"


def register_defaults() -> None:
    from xuncha.intake.models import Petition

    register_kind(
        EvidenceKind(
            code="petition",
            label="信访件",
            model=Petition,
            inspection_path="inspection",
            describe=_petition,
            reference=lambda petition: f"信访件 {petition.number}",
            url_name="intake:petition-detail",
        )
    )


def _day(moment: Any) -> str:
    return "时间待定" if moment is None else f"{timezone.localtime(moment):%Y-%m-%d}"


def _moment(moment: Any) -> str:
    return "时间待定" if moment is None else f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def register_fieldwork() -> None:
    from xuncha.fieldwork.models import Activity, DocumentRequest, Interview, PersonalMattersCheck, Survey

    for kind in (
        EvidenceKind(
            code="interview",
            label="个别谈话",
            model=Interview,
            inspection_path="inspection",
            describe=lambda i: f"与{i.name}谈话（{_day(i.starts_at)}）",
            reference=lambda i: f"谈话（{_moment(i.starts_at)}）",
            url_name="fieldwork:interview-detail",
        ),
        EvidenceKind(
            code="document_request",
            label="调阅资料",
            model=DocumentRequest,
            inspection_path="inspection",
            describe=lambda r: f"调阅清单第{r.number}号 {r.title}",
            reference=lambda r: f"调阅清单 {r.number}",
            url_name="fieldwork:document-request",
        ),
        EvidenceKind(
            code="survey",
            label="民主测评/问卷",
            model=Survey,
            inspection_path="inspection",
            describe=lambda survey: survey.title,
            reference=lambda survey: f"测评“{survey.title}”",
            url_name="fieldwork:survey-detail",
        ),
        EvidenceKind(
            code="personal_matters_check",
            label="抽查核实个人有关事项",
            model=PersonalMattersCheck,
            inspection_path="inspection",
            describe=lambda check: f"{check.title}（{_day(check.drawn_at)}）",
            reference=lambda check: f"抽查核实（{_day(check.drawn_at)}）",
            url_name="fieldwork:check-detail",
        ),
        EvidenceKind(
            code="activity",
            label="其他方式",
            model=Activity,
            inspection_path="inspection",
            describe=lambda a: f"{a.get_kind_display()} {a.title}（{_day(a.starts_at)}）",
            reference=lambda a: f"{a.get_kind_display()}（{_moment(a.starts_at)}）",
            url_name="fieldwork:activity-detail",
        ),
    ):
        register_kind(kind)
