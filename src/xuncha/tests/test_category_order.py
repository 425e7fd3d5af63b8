"""Categories and regulations in the order of their codes in every select that lists them (issue 19):
三个聚焦 1, 1.1, 1.2, 1.3, 2, 2.1 … (never 1, 1.1, 2.1, 3.1, 1.2 …) and the 纪律处分条例's chapters 六 … 十一
(never 七, 九, 八, 六), on the finding form and filter, the petition triage form, filter and rule form, the
feedback-problem form, the look-back follow-up form, the regulation list and the API."""

from types import SimpleNamespace

import lxml.html
import pytest
from django.test import Client

from xuncha.findings import actions as findings
from xuncha.findings.defaults import DISCIPLINE_RULES
from xuncha.findings.models import Regulation
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.rectification.actions import lookback
from xuncha.rectification.choices import Verdict
from xuncha.rectification.tests.test_lookback import lookback_world
from xuncha.reports.tests.support import final, prepare, unit_feedback
from xuncha.taxonomy import defaults
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

pytestmark = pytest.mark.django_db

FOCUS_CODES = ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "3", "3.1", "3.2", "3.3"]
DISCIPLINE_CODES = ["1", "2", "3", "4", "5", "6"]
CHAPTERS = ["第六章", "第七章", "第八章", "第九章", "第十章", "第十一章"]


@pytest.fixture
def ordered(world: SimpleNamespace) -> SimpleNamespace:
    defaults.install()
    findings.install_default_regulations(world.city, by=world.users["office"])
    letter = PetitionInput(content="反映局长违规吃喝。", channel="letter")
    world.petition = register_petition(world.inspection1, data=letter, by=world.users["t1_member"])
    return world


def _codes(kind: str, pks: list[str]) -> list[str]:
    by_pk = {str(c.pk): c.code for c in Category.objects.filter(scheme__kind=kind, scheme__is_default=True)}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _options(client: Client, url: str, name: str) -> list[str]:
    """The option values of the select ``name`` on the page, in the page's order, blanks left out."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = lxml.html.fromstring(response.content)
    [select] = page.xpath(f"//select[@name='{name}']")
    return [v for v in select.xpath(".//option/@value") if v]


def _places(client: Client, url: str) -> list[int]:
    """Where each chapter of the 纪律处分条例 stands in the page's text."""
    page = lxml.html.fromstring(client.get(url).content)
    text = "".join(page.text_content().split())
    return [text.find(f"{DISCIPLINE_RULES}{chapter}") for chapter in CHAPTERS]


def test_the_finding_form_and_filter_list_categories_and_regulations_in_code_order(ordered, client_for):
    member = client_for("t1_member")
    new = f"/findings/inspections/{ordered.inspection1.pk}/new/"
    assert _codes(SchemeKind.FOCUS, _options(member, new, "focus")) == FOCUS_CODES
    assert _codes(SchemeKind.DISCIPLINE, _options(member, new, "discipline")) == DISCIPLINE_CODES
    cited = lxml.html.fromstring(member.get(new).content).xpath("//input[@name='regulations']/@value")
    articles = dict(Regulation.objects.values_list("pk", "article"))
    chapters = [articles[int(pk)] for pk in cited if articles[int(pk)].startswith("第")]
    assert chapters == CHAPTERS
    listing = f"/findings/inspections/{ordered.inspection1.pk}/"
    assert _codes(SchemeKind.FOCUS, _options(member, listing, "focus")) == FOCUS_CODES


def test_the_petition_triage_form_filter_and_rule_form_list_categories_in_code_order(ordered, client_for):
    member, office = client_for("t1_member"), client_for("office")
    triage = f"/intake/petitions/{ordered.petition.pk}/triage/"
    assert _codes(SchemeKind.FOCUS, _options(member, triage, "focus")) == FOCUS_CODES
    assert _codes(SchemeKind.DISCIPLINE, _options(member, triage, "discipline")) == DISCIPLINE_CODES
    filtered = _options(member, "/intake/petitions/", "category")
    assert _codes(SchemeKind.FOCUS, filtered) == FOCUS_CODES
    assert _codes(SchemeKind.DISCIPLINE, filtered) == DISCIPLINE_CODES
    values = _options(office, "/intake/triage-rules/new/", "target")
    focus = [v.split(":")[1] for v in values if v.startswith("focus:")]
    assert _codes(SchemeKind.FOCUS, focus) == FOCUS_CODES


def test_the_feedback_problem_form_lists_the_focus_in_code_order(world, client_for):
    final(prepare(world))
    feedback = unit_feedback(world)
    new = f"/reports/feedbacks/{feedback.pk}/problems/new/"
    assert _codes(SchemeKind.FOCUS, _options(client_for("t1_member"), new, "category")) == FOCUS_CODES


def test_the_look_back_follow_up_form_lists_the_focus_in_code_order(world, client_for):
    w = lookback_world(world)
    check = lookback.record_check(
        w.lb, item=w.issued, verdict=Verdict.RELAPSED, note="账目又不公开了。", by=w.users["lb_member"]
    )
    follow_up = f"/rectification/lookback-checks/{check.pk}/follow-up/"
    assert _codes(SchemeKind.FOCUS, _options(client_for("lb_member"), follow_up, "focus")) == FOCUS_CODES


def test_regulations_are_listed_by_chapter_number_on_the_page_and_in_the_api(ordered, client_for):
    office = client_for("office")
    places = _places(office, "/findings/regulations/")
    assert min(places) >= 0 and places == sorted(places)
    items = office.get("/api/v1/regulations/").json()["items"]
    chapters = [r["article"] for r in items if r["name"] == DISCIPLINE_RULES]
    assert chapters == CHAPTERS
