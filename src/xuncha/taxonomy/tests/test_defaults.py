"""The default schemes of the seeds, installed by the data migration, and kept by the sysadmin."""

import importlib

import pytest
from django.apps import apps

from xuncha.core.models import AuditEvent
from xuncha.taxonomy import defaults
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category, Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def installed() -> None:
    defaults.install()


def test_the_migration_installs_every_default_scheme_once():
    # Other tests may have flushed the tables (transactional tests): start from none.
    Scheme.objects.all().delete()
    migration = importlib.import_module("xuncha.taxonomy.migrations.0002_default_schemes")
    migration.install_defaults(apps, None)
    migration.install_defaults(apps, None)
    assert sorted(Scheme.objects.values_list("kind", "is_default")) == sorted(
        (kind, True) for kind in SchemeKind.values
    )
    assert Category.objects.filter(scheme__code="three-focuses").count() == 3 + 11


def test_three_focuses_carry_their_items_and_checkpoints(installed):
    tops = Category.objects.filter(scheme__kind=SchemeKind.FOCUS, parent=None)
    assert [c.code for c in tops] == ["1", "2", "3"]
    assert tops[1].name == "聚焦群众身边腐败问题和不正之风"
    assert [c.children.count() for c in tops] == [3, 5, 3]
    eight = defaults.category(SchemeKind.FOCUS, "2.4")
    assert eight is not None and eight.name == "执行中央八项规定及其实施细则精神情况"
    assert eight.parent == tops[1]
    points = eight.checkpoints.splitlines()
    assert len(points) == 9 and all(p.startswith("是否") for p in points)
    assert any("公款吃喝" in p for p in points)
    hiring = defaults.category(SchemeKind.FOCUS, "3.2")
    assert hiring is not None and "选人用人" in hiring.name


def test_disciplines_natures_and_four_winds(installed):
    def names(kind: str) -> list[str]:
        return list(
            Category.objects.filter(scheme__kind=kind, scheme__is_default=True).values_list("name", flat=True)
        )

    six = ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"]
    assert names(SchemeKind.DISCIPLINE) == six
    assert names(SchemeKind.NATURE) == ["政治问题", "责任问题", "作风问题", "腐败问题"]
    assert names(SchemeKind.FOUR_WINDS) == ["形式主义", "官僚主义", "享乐主义", "奢靡之风"]
    integrity = defaults.category(SchemeKind.DISCIPLINE, defaults.INTEGRITY)
    assert integrity is not None and integrity.name == "廉洁纪律"


def test_install_leaves_a_kept_scheme_alone_and_adds_no_second_default(installed):
    Scheme.objects.filter(code="four-winds").update(name="四风问题")
    Scheme.objects.filter(code="problem-nature").delete()
    Scheme.objects.create(code="nature-2025", kind=SchemeKind.NATURE, name="问题性质（新）", is_default=True)
    assert defaults.install() == 1
    assert Scheme.objects.get(code="four-winds").name == "四风问题"
    assert not Scheme.objects.get(code="problem-nature").is_default


CATEGORY_ADMIN = "/sysadmin/taxonomy/category/"


def test_the_sysadmin_edits_a_category_and_the_change_is_audited(world, client_for, installed):
    sysadmin = client_for("sysadmin")
    assert sysadmin.get("/sysadmin/taxonomy/scheme/").status_code == 200
    life = defaults.category(SchemeKind.DISCIPLINE, defaults.LIFE)
    assert life is not None
    data = {
        "scheme": life.scheme_id,
        "parent": "",
        "code": life.code,
        "name": "生活纪律（含家风）",
        "checkpoints": "",
    }
    assert sysadmin.post(f"{CATEGORY_ADMIN}{life.pk}/change/", data).status_code == 302
    life.refresh_from_db()
    assert life.name == "生活纪律（含家风）"
    event = AuditEvent.objects.get(action="taxonomy.category_updated")
    assert event.actor_name == "sysadmin"
    assert event.details["changes"] == {"name": ["生活纪律", "生活纪律（含家风）"]}
    assert client_for("office").get(CATEGORY_ADMIN).status_code == 404


def test_a_parent_from_another_scheme_is_refused_on_the_form(world, client_for, installed):
    focus = defaults.category(SchemeKind.FOCUS, "1")
    life = defaults.category(SchemeKind.DISCIPLINE, defaults.LIFE)
    assert focus is not None and life is not None
    data = {"scheme": life.scheme_id, "parent": focus.pk, "code": "6", "name": "生活纪律"}
    response = client_for("sysadmin").post(f"{CATEGORY_ADMIN}{life.pk}/change/", data)
    assert response.status_code == 200
    assert "上级分类项须属于同一分类体系。" in str(response.context["adminform"].form.errors)
    assert not AuditEvent.objects.filter(action="taxonomy.category_updated").exists()


def test_the_default_focuses_read_as_since_the_twentieth_congress_in_code_order(installed):
    focuses = list(Category.objects.filter(scheme__kind=SchemeKind.FOCUS, scheme__is_default=True))
    assert [c.code for c in focuses][:5] == ["1", "1.1", "1.2", "1.3", "2"]
    text = "".join(c.name + c.checkpoints for c in focuses)
    assert "十九大" not in text and "二十大" in text and "两个确立" in text
    assert not any(c.isascii() and c.isalpha() for c in text)  # no "APP" shown to users


def test_the_wording_migration_updates_seed_rows_in_place_and_leaves_reworded_ones(installed):
    migration = importlib.import_module("xuncha.taxonomy.migrations.0004_focus_wording")
    first = defaults.category(SchemeKind.FOCUS, "1.1")
    eight = defaults.category(SchemeKind.FOCUS, "2.4")
    assert first is not None and eight is not None
    seed_name, _ = migration.SEED["1.1"]
    seed_points = "是否党员干部……（本委改写）"
    Category.objects.filter(pk=first.pk).update(name=seed_name)
    Category.objects.filter(pk=eight.pk).update(name=migration.SEED["2.4"][0], checkpoints=seed_points)
    migration.update_wording(apps, None)
    first.refresh_from_db()
    eight.refresh_from_db()
    assert "二十大" in first.name and first.code == "1.1"
    assert eight.name == "执行中央八项规定及其实施细则精神情况"
    assert eight.checkpoints == seed_points  # reworded by the sysadmin: kept
