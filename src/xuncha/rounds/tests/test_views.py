"""The rounds pages: scoping (404 for objects that exist elsewhere), role checks, forms and refusals."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from xuncha.core.models import AuditEvent
from xuncha.rounds import actions
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, TeamMember

from .conftest import new_inspector

D = datetime.date


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def term(world):
    return actions.create_term(
        committee=world.city,
        name="十四届",
        starts_on=D(2026, 1, 1),
        ends_on=D(2030, 12, 31),
        units=[world.unit1, world.unit2, world.unit3],
        by=world.users["office"],
    )


def _pages(world, term):
    member = TeamMember.objects.filter(team=world.team2).first()
    return [
        reverse("rounds:round-list"),
        reverse("rounds:round-create"),
        reverse("rounds:round-detail", args=[world.round.pk]),
        reverse("rounds:team-create", args=[world.round.pk]),
        reverse("rounds:inspection-create", args=[world.round.pk]),
        reverse("rounds:team-detail", args=[world.team1.pk]),
        reverse("rounds:team-member-add", args=[world.team1.pk]),
        reverse("rounds:team-member-remove", args=[member.pk]),
        reverse("rounds:inspection-list"),
        reverse("rounds:inspection-detail", args=[world.inspection1.pk]),
        reverse("rounds:fieldwork-end", args=[world.inspection1.pk]),
        reverse("rounds:term-list"),
        reverse("rounds:term-create"),
        reverse("rounds:term-detail", args=[term.pk]),
    ]


def test_every_page_renders_in_chinese_for_the_office(world, client_for, term):
    client = client_for("office")
    for url in _pages(world, term):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "巡察" in response.content.decode() or "届" in response.content.decode(), url


@pytest.mark.parametrize(
    ("persona", "name", "obj"),
    [
        ("t2_member", "rounds:inspection-detail", "inspection1"),
        ("t2_member", "rounds:fieldwork-end", "inspection1"),
        ("t2_member", "rounds:team-detail", "team1"),
        ("t2_member", "rounds:team-member-add", "team1"),
        ("liaison1", "rounds:inspection-detail", "inspection2"),
        ("liaison1", "rounds:team-detail", "team2"),
        ("sysadmin", "rounds:inspection-detail", "inspection1"),
        ("sysadmin", "rounds:inspection-detail", "inspection2"),
        ("sysadmin", "rounds:round-detail", "round"),
        ("county_office", "rounds:round-detail", "round"),
        ("county_office", "rounds:team-create", "round"),
        ("outsider", "rounds:inspection-detail", "inspection1"),
        ("jiwei", "rounds:inspection-detail", "inspection1"),
    ],
)
def test_objects_out_of_scope_are_404(world, client_for, persona, name, obj):
    response = client_for(persona).get(reverse(name, args=[getattr(world, obj).pk]))
    assert response.status_code == 404


def test_out_of_scope_transition_is_404_and_changes_nothing(world, client_for):
    url = reverse("rounds:inspection-transition", args=[world.inspection1.pk])
    response = client_for("t2_member").post(url, {"to": "reporting", "confirm": "on"})
    assert response.status_code == 404
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.FIELDWORK


@pytest.mark.parametrize(
    ("persona", "name", "obj"),
    [
        ("leader", "rounds:team-member-add", "team1"),
        ("t1_leader", "rounds:team-member-add", "team1"),
        ("t1_member", "rounds:fieldwork-end", "inspection1"),
        ("liaison1", "rounds:fieldwork-end", "inspection1"),
        ("leader", "rounds:inspection-create", "round"),
        ("t1_leader", "rounds:team-create", "round"),
    ],
)
def test_visible_but_not_allowed_is_403(world, client_for, persona, name, obj):
    assert client_for(persona).get(reverse(name, args=[getattr(world, obj).pk])).status_code == 403


@pytest.mark.parametrize("persona", ["leader", "t1_member", "liaison1", "sysadmin"])
def test_create_pages_are_for_the_office(client_for, world, persona):
    for name in ("rounds:round-create", "rounds:term-create"):
        assert client_for(persona).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("persona", ["leader", "t1_member", "liaison1"])
def test_transition_by_a_visible_wrong_role_is_403(world, client_for, set_today, persona):
    set_today(world.inspection1.fieldwork_ends_on)
    url = reverse("rounds:inspection-transition", args=[world.inspection1.pk])
    assert client_for(persona).post(url, {"to": "reporting", "confirm": "on"}).status_code == 403
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.FIELDWORK


def test_transition_refusal_is_shown_in_chinese(world, client_for):
    url = reverse("rounds:inspection-transition", args=[world.inspection1.pk])
    response = client_for("t1_leader").post(url, {"to": "reporting", "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("rounds:inspection-detail", args=[world.inspection1.pk])
    assert "尚不能进入报告阶段" in response.content.decode()


def test_transition_needs_the_confirmation(world, client_for, set_today):
    set_today(world.inspection1.fieldwork_ends_on)
    url = reverse("rounds:inspection-transition", args=[world.inspection1.pk])
    response = client_for("t1_leader").post(url, {"to": "reporting"})
    assert _messages(response) == ["请勾选确认后再推进阶段。"]
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.FIELDWORK


def test_transition_through_the_page(world, client_for, set_today):
    set_today(world.inspection1.fieldwork_ends_on)
    client = client_for("t1_leader")
    detail = client.get(reverse("rounds:inspection-detail", args=[world.inspection1.pk])).content.decode()
    assert 'class="stage-steps' in detail and '<li class="current" aria-current="step">了解</li>' in detail
    assert "进入“报告”阶段" in detail
    url = reverse("rounds:inspection-transition", args=[world.inspection1.pk])
    response = client.post(url, {"to": "reporting", "note": "了解工作结束", "confirm": "on"})
    assert response.status_code == 302
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.REPORTING
    detail = client.get(reverse("rounds:inspection-detail", args=[world.inspection1.pk])).content.decode()
    assert '<li class="done">了解</li>' in detail
    assert "了解工作结束" in detail
    assert "由有权限的人员办理" in detail  # the next move (反馈) is the office's


def test_liaison_sees_stage_and_dates_but_not_team_internals(world, client_for):
    office = world.users["office"]
    actions.add_team_member(
        team=world.team1,
        inspector=world.inspector_conflicted,
        role=TeamRole.MEMBER,
        override_reason="专业所需",
        by=office,
    )
    content = client_for("liaison1").get(reverse("rounds:inspection-detail", args=[world.inspection1.pk]))
    content = content.content.decode()
    assert "了解" in content and world.inspection1.fieldwork_ends_on.strftime("%Y年") in content
    for secret in ("周敏", "孙立", "回避", "专业所需"):
        assert secret not in content
    team_page = (
        client_for("liaison1").get(reverse("rounds:team-detail", args=[world.team1.pk])).content.decode()
    )
    assert "孙立" not in team_page and "专业所需" not in team_page
    office_page = (
        client_for("office").get(reverse("rounds:team-detail", args=[world.team1.pk])).content.decode()
    )
    assert "孙立" in office_page and "专业所需" in office_page


def test_member_add_shows_conflict_reasons_then_takes_an_override(world, client_for):
    client = client_for("office")
    url = reverse("rounds:team-member-add", args=[world.team1.pk])
    data = {"inspector": world.inspector_conflicted.pk, "role": TeamRole.MEMBER}
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "工作单位“市财政局国库支付中心”与被巡察单位“市财政局”存在隶属关系" in content
    assert "确需不予回避的，须填写理由" in content
    assert f'name="override_for" value="{world.inspector_conflicted.pk}"' in content
    assert not TeamMember.objects.filter(inspector=world.inspector_conflicted).exists()

    # A reason typed for another inspector does not override this one.
    tampered = data | {"override_reason": "理由", "override_for": world.inspector_t2_member.pk}
    assert client.post(url, tampered).status_code == 200
    assert not TeamMember.objects.filter(inspector=world.inspector_conflicted).exists()

    response = client.post(url, data | {"override_reason": "审计力量不足", "override_for": data["inspector"]})
    assert response.status_code == 302
    member = TeamMember.objects.get(inspector=world.inspector_conflicted)
    assert member.override_reason == "审计力量不足" and member.overridden_by == world.users["office"]
    assert AuditEvent.objects.filter(action="team.conflict_overridden", object_id=str(member.pk)).exists()


def test_member_add_shows_a_leader_refusal_on_the_role(world, client_for):
    url = reverse("rounds:team-member-add", args=[world.team2.pk])
    inspector = new_inspector(world.city, "钱明", home_unit=world.unit2)
    data = {
        "inspector": inspector.pk,
        "role": TeamRole.LEADER,
        "override_reason": "x",
        "override_for": inspector.pk,
    }
    response = client_for("office").post(url, data)
    assert response.status_code == 200
    assert "存在回避情形的干部不能担任组长" in response.content.decode()


def test_member_remove_confirms_then_removes(world, client_for):
    member = TeamMember.objects.get(team=world.team2)
    url = reverse("rounds:team-member-remove", args=[member.pk])
    client = client_for("office")
    assert "确认移除" in client.get(url).content.decode()
    assert TeamMember.objects.filter(pk=member.pk).exists()
    assert client.post(url).status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()

    stationed = TeamMember.objects.get(team=world.team1, inspector=world.inspector_t1_member)
    response = client.post(reverse("rounds:team-member-remove", args=[stationed.pk]))
    assert "巡察组已进驻，不能再移除成员。" in _messages(response)
    assert TeamMember.objects.filter(pk=stationed.pk).exists()


def test_round_create_form(world, client_for):
    client = client_for("office")
    url = reverse("rounds:round-create")
    data = {
        "committee": world.city.pk,
        "number": 2,
        "name": "市委第二轮巡察",
        "kind": RoundKind.SPECIAL,
        "planned_start": "2027-03-01",
        "planned_end": "2027-05-31",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "专项巡察须填写专项主题" in response.content.decode()
    assert not Round.objects.filter(number=2).exists()

    response = client.post(url, data | {"topic": "营商环境"})
    created = Round.objects.get(number=2)
    assert response.url == reverse("rounds:round-detail", args=[created.pk])

    bad = client.post(url, data | {"number": 3, "planned_start": "不是日期", "committee": world.county_a.pk})
    assert bad.status_code == 200
    assert not Round.objects.filter(number=3).exists()


def test_team_and_inspection_create_forms(world, client_for):
    client = client_for("office")
    response = client.post(reverse("rounds:team-create", args=[world.round.pk]), {"name": "第三巡察组"})
    team = world.round.teams.get(name="第三巡察组")
    assert response.url == reverse("rounds:team-detail", args=[team.pk])
    again = client.post(reverse("rounds:team-create", args=[world.round.pk]), {"name": "第三巡察组"})
    assert "本轮已有“第三巡察组”" in again.content.decode()

    url = reverse("rounds:inspection-create", args=[world.round.pk])
    form = client.get(url).content.decode()
    assert "市城市建设投资集团" in form and "东安县农业农村局" not in form
    response = client.post(url, {"team": team.pk, "unit": world.unit3.pk})
    inspection = Inspection.objects.get(round=world.round, unit=world.unit3)
    assert response.url == reverse("rounds:inspection-detail", args=[inspection.pk])
    assert client.post(url, {"team": team.pk, "unit": world.county_unit.pk}).status_code == 200


def test_fieldwork_end_form(world, client_for):
    url = reverse("rounds:fieldwork-end", args=[world.inspection1.pk])
    client = client_for("office")
    new_end = world.inspection1.fieldwork_ends_on + datetime.timedelta(days=30)
    response = client.post(url, {"ends_on": new_end.isoformat(), "reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"ends_on": new_end.isoformat(), "reason": "线索较多，延长一个月"})
    assert response.status_code == 302
    world.inspection1.refresh_from_db()
    assert world.inspection1.fieldwork_ends_on == new_end


def test_term_pages_show_coverage(world, client_for, term):
    office = world.users["office"]
    client = client_for("office")
    data = {"committee": world.city.pk, "name": "十五届", "starts_on": "2031-01-01", "ends_on": "2035-12-31"}
    assert client.post(reverse("rounds:term-create"), data | {"units": [world.unit1.pk]}).status_code == 302
    round2 = actions.create_round(
        committee=world.city,
        number=2,
        name="市委第二轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=D(2027, 3, 1),
        planned_end=D(2027, 5, 31),
        term=term,
        by=office,
    )
    team = actions.create_team(round=round2, name="第一巡察组", by=office)
    actions.create_inspection(round=round2, team=team, unit=world.unit3, by=office)
    listing = client.get(reverse("rounds:term-list")).content.decode()
    assert '<progress class="w-75 align-middle" value="33" max="100"' in listing
    assert "33%（1/3）" in listing and "十五届" in listing and "0%（0/1）" in listing
    detail = client.get(reverse("rounds:term-detail", args=[term.pk])).content.decode()
    assert "已覆盖 1/3 个单位（33%）" in detail and "市委第二轮巡察" in detail


def test_inspection_list_filters_and_badges(world, client_for, set_today):
    client = client_for("office")
    url = reverse("rounds:inspection-list")
    content = client.get(url, {"stage": "fieldwork"}).content.decode()
    assert "市财政局" in content and "市交通运输局" not in content
    assert client.get(url, {"round": "999999", "stage": "nonsense"}).status_code == 200

    set_today(world.inspection1.stage_due_on + datetime.timedelta(days=1))
    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert "逾期</span>" in overdue and "市财政局" in overdue and "市交通运输局" not in overdue


def test_inspection_list_query_count_does_not_grow(world, client_for, django_assert_num_queries):
    client = client_for("office")
    url = reverse("rounds:inspection-list")
    client.get(url)  # warm the session
    # session, user, TOTP device, roles, count, round and team filter options, the page, session save (3)
    with django_assert_num_queries(9):  # with the navigation bar's unread notifications
        client.get(url)
    office = world.users["office"]
    for unit in (world.unit3, world.unit1_child):
        team = actions.create_team(round=world.round, name=f"{unit.name}组", by=office)
        actions.create_inspection(round=world.round, team=team, unit=unit, by=office)
    with django_assert_num_queries(9):  # with the navigation bar's unread notifications
        response = client.get(url)
    assert len(response.context["page_obj"]) == 4
