"""Every page of orgs answers every persona without a server error (the authorisation matrix pins the exact
answers); and the pages render the Chinese labels of their forms."""

import pytest

from xuncha.conftest import PERSONAS
from xuncha.orgs import actions


def _paths(world):
    relative = actions.declare_relative(
        world.inspector_t1_member, name="周大伟", relation="兄弟", unit=world.unit2, by=None
    )
    former = actions.add_former_post(world.inspector_t1_member, unit=world.unit2, post="科员", by=None)
    i, u, p = world.inspector_t1_member.pk, world.unit1.pk, world.principal1.pk
    return [
        "/orgs/units/",
        "/orgs/units/new/",
        "/orgs/units/import/",
        "/orgs/units/import/template/",
        f"/orgs/units/{u}/",
        f"/orgs/units/{u}/edit/",
        f"/orgs/units/{u}/people/new/",
        f"/orgs/people/{p}/edit/",
        f"/orgs/people/{p}/deactivate/",
        "/orgs/inspectors/",
        "/orgs/inspectors/new/",
        f"/orgs/inspectors/{i}/",
        f"/orgs/inspectors/{i}/?names=1",
        f"/orgs/inspectors/{i}/edit/",
        f"/orgs/inspectors/{i}/former-posts/new/",
        f"/orgs/former-posts/{former.pk}/remove/",
        f"/orgs/inspectors/{i}/relatives/new/",
        f"/orgs/relatives/{relative.pk}/remove/",
        "/orgs/departments/",
        "/orgs/departments/new/",
        "/orgs/committees/",
        f"/orgs/committees/{world.city.pk}/settings/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_without_error(world, client_for, persona):
    client = client_for(persona)
    for path in _paths(world):
        assert client.get(path).status_code in {200, 403, 404}, path


def test_forms_render_with_chinese_labels(world, client_for):
    office = client_for("office")
    page = office.get("/orgs/units/new/").content.decode()
    for label in ("所属党委", "单位名称", "单位类型", "上级单位", "单位代码"):
        assert label in page
    page = office.get(f"/orgs/inspectors/{world.inspector_t1_member.pk}/edit/").content.decode()
    for label in ("姓名", "工作单位", "现任职务", "专长", "登录账号"):
        assert label in page
