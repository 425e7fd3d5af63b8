"""Helpers of the triage tests: the taxonomy defaults, the default rules, and reading suggestions."""

from types import SimpleNamespace

from xuncha.intake.actions.triage import install_default_rules
from xuncha.intake.models import Petition, Suggestion
from xuncha.taxonomy import defaults
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category


def with_defaults(world: SimpleNamespace, rules: bool = True) -> SimpleNamespace:
    """The default schemes (another test's flush may have removed them) and, if asked, the city's default
    rules; the categories tests use are added to the world."""
    defaults.install()
    if rules:
        install_default_rules(world.city, by=world.users["office"])
    world.integrity = category(SchemeKind.DISCIPLINE, defaults.INTEGRITY)
    world.organisational = category(SchemeKind.DISCIPLINE, defaults.ORGANISATIONAL)
    world.hiring = category(SchemeKind.FOCUS, "3.2")
    world.eight_rules = category(SchemeKind.FOCUS, "2.4")
    return world


def category(kind: str, code: str) -> Category:
    found = defaults.category(kind, code)
    assert found is not None
    return found


def of(petition: Petition, field: str, source: str | None = None) -> list[Suggestion]:
    found = Suggestion.objects.filter(petition=petition, field=field)
    if source is not None:
        found = found.filter(source=source)
    return list(found.order_by("-score", "id"))


def values(petition: Petition, field: str, source: str | None = None) -> set[str]:
    return {s.value for s in of(petition, field, source)}
