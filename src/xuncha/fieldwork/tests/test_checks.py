"""Personal-matters checks: the reproducible draw and its verification (the issue's done criterion), results
with encrypted details, bad input, scope (404 for the liaison and another team) and the audit trail."""

import random
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from xuncha.conftest import _user, login_verified
from xuncha.core.audit import action_scope, record
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.fieldwork.actions import checks as actions
from xuncha.fieldwork.choices import CheckResult
from xuncha.fieldwork.models import CheckedPerson, PersonalMattersCheck
from xuncha.orgs.actions import add_person
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person

ROSTER = 30


@pytest.fixture
def leaders(world: SimpleNamespace) -> list[Person]:
    """Enough leaders in unit1 that different seeds give different samples."""
    office = world.users["office"]
    added = [
        add_person(
            unit=world.unit1,
            name=f"班子成员{i:02d}",
            post="副局长",
            category=PostCategory.LEADERSHIP,
            by=office,
        )
        for i in range(ROSTER - 2)
    ]
    return [world.principal1, world.deputy1, *added]


def new_check(world: SimpleNamespace, size: int = 5, **kwargs: object) -> PersonalMattersCheck:
    return actions.create_check(
        world.inspection1, title="个人有关事项抽查", sample_size=size, by=world.users["t1_member"], **kwargs
    )


def drawn(world: SimpleNamespace, size: int = 5, **kwargs: object) -> PersonalMattersCheck:
    return actions.draw(new_check(world, size, **kwargs), by=world.users["t1_member"])


# The draw ------------------------------------------------------------------------------------------


def test_the_sample_is_redrawn_from_its_recorded_seed_with_the_same_result(
    world: SimpleNamespace, leaders: list[Person]
) -> None:
    check = drawn(world, 6)
    assert len(check.seed) == 32
    assert check.eligible_ids == sorted(p.pk for p in leaders)
    assert check.sample_ids == actions.sample_of(check.seed, check.eligible_ids, 6)
    # The algorithm as documented, written out by hand.
    assert check.sample_ids == random.Random(check.seed).sample(sorted(check.eligible_ids), 6)
    rows = list(check.persons.order_by("position").values_list("person_id", flat=True))
    assert rows == check.sample_ids
    found = actions.verify(check, by=world.users["office"])
    assert found.matches and found.expected == check.sample_ids and found.problems == []


def test_another_seed_gives_another_sample(world: SimpleNamespace, leaders: list[Person]) -> None:
    check = drawn(world, 6)
    assert actions.sample_of(check.seed + "0", check.eligible_ids, 6) != check.sample_ids
    # Two draws of the same roster: different seeds, (almost surely) different samples.
    other = drawn(world, 6)
    assert other.seed != check.seed
    assert other.eligible_ids == check.eligible_ids
    assert other.sample_ids != check.sample_ids


def test_a_tampered_sample_fails_verification(world: SimpleNamespace, leaders: list[Person]) -> None:
    check = drawn(world, 5)
    outside = next(pk for pk in check.eligible_ids if pk not in check.sample_ids)
    # Written past the actions, as someone with database access might.
    PersonalMattersCheck.objects.filter(pk=check.pk).update(sample_ids=[outside, *check.sample_ids[1:]])
    check.refresh_from_db()
    found = actions.verify(check, by=world.users["t1_leader"])
    assert not found.matches
    assert "按保存的随机种子重新抽取的结果与保存的抽中人员不一致。" in found.problems


def test_a_consistently_forged_draw_fails_against_the_audit_record(
    world: SimpleNamespace, leaders: list[Person]
) -> None:
    """A forger who picks a seed, recomputes the sample and rewrites the rows still differs from the draw's
    audit event, which the hash chain protects."""
    check = drawn(world, 5)
    forged_seed = "0" * 32
    forged = actions.sample_of(forged_seed, check.eligible_ids, 5)
    PersonalMattersCheck.objects.filter(pk=check.pk).update(seed=forged_seed, sample_ids=forged)
    CheckedPerson.objects.filter(matters_check=check).delete()
    with action_scope("test.forge"):
        for position, pk in enumerate(forged, start=1):
            CheckedPerson.objects.create(matters_check=check, person_id=pk, position=position)
        record("test.forge", None, by=None, committee_id=world.city.pk)
    check.refresh_from_db()
    found = actions.verify(check, by=world.users["t1_member"])
    assert found.problems == ["保存的随机种子、抽取范围或抽中人员与抽取时的审计记录不一致。"]


def test_a_changed_list_of_persons_checked_fails_verification(
    world: SimpleNamespace, leaders: list[Person]
) -> None:
    check = drawn(world, 3)
    outside = next(pk for pk in check.eligible_ids if pk not in check.sample_ids)
    CheckedPerson.objects.filter(matters_check=check, position=1).update(person_id=outside)
    assert actions.recompute(check).problems == ["核实名单与保存的抽中人员不一致。"]


def test_roster_changes_after_the_draw_do_not_change_verification(
    world: SimpleNamespace, leaders: list[Person]
) -> None:
    check = drawn(world, 4)
    add_person(
        unit=world.unit1,
        name="新任副局长",
        post="副局长",
        category=PostCategory.LEADERSHIP,
        by=world.users["office"],
    )
    check.refresh_from_db()
    assert len(check.eligible_ids) == ROSTER
    assert actions.recompute(check).matches


def test_the_eligible_are_the_leadership_and_the_persons_marked(world: SimpleNamespace) -> None:
    check = drawn(world, 3, extra_persons=[world.keypost1])
    assert check.eligible_ids == sorted([world.principal1.pk, world.deputy1.pk, world.keypost1.pk])
    assert sorted(check.sample_ids) == check.eligible_ids


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (None, "抽查人数须为正整数。"),
        (0, "抽查人数须为正整数。"),
        (True, "抽查人数须为正整数。"),
        (201, "抽查人数最多 200 人。"),
        (3, "抽查人数（3 人）多于可抽取人数（2 人）：请减少人数或增加纳入抽查范围的人员。"),
    ],
)
def test_a_bad_sample_size_is_refused(world: SimpleNamespace, size: object, message: str) -> None:
    with pytest.raises(Refused) as refused:
        new_check(world, size)  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.message) == ("sample_size", message)
    assert not PersonalMattersCheck.objects.exists()


def test_persons_of_another_unit_cannot_be_marked(world: SimpleNamespace) -> None:
    with pytest.raises(Refused) as refused:
        new_check(world, 1, extra_persons=[world.principal2])
    assert refused.value.field == "extra_persons"


def test_a_draw_is_made_once(world: SimpleNamespace) -> None:
    check = drawn(world, 1)
    with pytest.raises(Refused, match="不能重抽"):
        actions.draw(check, by=world.users["t1_leader"])


def test_only_the_team_draws_and_records(world: SimpleNamespace) -> None:
    check = new_check(world, 1)
    for persona in ("office", "t2_member", "liaison1"):
        with pytest.raises(NotAllowed):
            actions.draw(check, by=world.users[persona])
    assert not PersonalMattersCheck.objects.get(pk=check.pk).is_drawn


# Results -------------------------------------------------------------------------------------------


def _first(check: PersonalMattersCheck) -> CheckedPerson:
    return check.persons.select_related("matters_check__inspection__round", "person").first()  # type: ignore[return-value]


def test_an_inconsistency_is_recorded_encrypted_and_marked_for_a_finding(world: SimpleNamespace) -> None:
    checked = _first(drawn(world, 1))
    details = "本人报告无房产，经核查名下有商品房一套（2019 年购置）。"
    actions.record_result(
        checked,
        result=CheckResult.INCONSISTENT,
        details=details,
        to_finding=True,
        by=world.users["t1_member"],
    )
    with connection.cursor() as cursor:
        # The hex form matches the UUID column on SQLite (char 32) and PostgreSQL (uuid) alike.
        cursor.execute("SELECT details FROM fieldwork_checkedperson WHERE id = %s", [checked.pk.hex])
        stored = cursor.fetchone()
    assert stored[0].startswith("x1:") and "房产" not in stored[0]
    checked.refresh_from_db()
    assert (checked.result, checked.details, checked.to_finding) == (CheckResult.INCONSISTENT, details, True)
    event = AuditEvent.objects.filter(action="personal_matters.result_recorded").latest("seq")
    assert "房产" not in str(event.details)


@pytest.mark.parametrize(
    ("result", "details", "to_finding", "field"),
    [
        ("", "", False, "result"),
        (CheckResult.PENDING, "", False, "result"),
        (CheckResult.INCONSISTENT, "  \u200b ", False, "details"),
        (CheckResult.INCONSISTENT, "差" * 5001, False, "details"),
        (CheckResult.CONSISTENT, "", True, "to_finding"),
    ],
)
def test_bad_results_are_refused(
    world: SimpleNamespace, result: str, details: str, to_finding: bool, field: str
) -> None:
    checked = _first(drawn(world, 1))
    with pytest.raises(Refused) as refused:
        actions.record_result(
            checked, result=result, details=details, to_finding=to_finding, by=world.users["t1_member"]
        )
    assert refused.value.field == field
    assert CheckedPerson.objects.get(pk=checked.pk).result == CheckResult.PENDING


# Pages ---------------------------------------------------------------------------------------------


def liaison_of_unit2(world: SimpleNamespace) -> Client:
    """A liaison of another unit (unit2, team2's), logged in."""
    user: User = _user("liaison2", "联络人二")
    RoleAssignment.objects.create(user=user, role="unit_liaison", scope_type="unit", scope_id=world.unit2.pk)
    return login_verified(Client(), user)


def test_the_pages_from_setting_up_to_verifying(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    base = f"/fieldwork/checks/inspections/{world.inspection1.pk}/"
    response = member.post(
        f"{base}new/",
        {"title": "<script>alert(1)</script>抽查", "sample_size": "2", "extra_persons": [world.keypost1.pk]},
    )
    check = PersonalMattersCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fieldwork/checks/{check.pk}/"
    page = member.get(f"/fieldwork/checks/{check.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;抽查" in page and "<script>alert(1)" not in page
    assert "王海燕" in page  # the marked person is in the eligible list
    assert member.get(f"/fieldwork/checks/{check.pk}/draw/").status_code == 200
    assert member.post(f"/fieldwork/checks/{check.pk}/draw/").status_code == 302
    check.refresh_from_db()
    assert check.seed in member.get(f"/fieldwork/checks/{check.pk}/").content.decode()
    checked = check.persons.first()
    assert checked is not None
    response = member.post(
        f"/fieldwork/checks/results/{checked.pk}/",
        {"result": "inconsistent", "details": "", "to_finding": "on"},
    )
    assert response.status_code == 200
    assert "请填写核实情况。" in response.content.decode()
    member.post(
        f"/fieldwork/checks/results/{checked.pk}/",
        {"result": "inconsistent", "details": "少报<b>股票</b>一支", "to_finding": "on"},
    )
    reads = AuditEvent.objects.filter(action="personal_matters.details_read").count()
    office_page = client_for("office").get(f"/fieldwork/checks/results/{checked.pk}/").content.decode()
    assert "少报&lt;b&gt;股票&lt;/b&gt;一支" in office_page
    assert AuditEvent.objects.filter(action="personal_matters.details_read").count() == reads + 1
    verified = client_for("office").get(f"/fieldwork/checks/{check.pk}/verify/")
    assert "验证一致" in verified.content.decode()
    assert AuditEvent.objects.filter(action="personal_matters.verified", object_id=str(check.pk)).exists()


def test_bad_form_input_is_shown_on_the_field(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    base = f"/fieldwork/checks/inspections/{world.inspection1.pk}/new/"
    for data, message in (
        ({"title": "", "sample_size": "1"}, "请填写名称。"),
        ({"title": "抽查", "sample_size": "abc"}, "抽查人数须为正整数。"),
        ({"title": "抽查", "sample_size": "9"}, "抽查人数（9 人）多于可抽取人数（2 人）"),
        (
            {"title": "抽查", "sample_size": "1", "extra_persons": [world.principal2.pk]},
            "所选人员不在被巡察单位的名册中。",
        ),
        ({"title": "长" * 101, "sample_size": "1"}, "名称过长"),
    ):
        response = member.post(base, data)
        assert response.status_code == 200 and message in response.content.decode()
    assert not PersonalMattersCheck.objects.exists()


def test_who_sees_a_check(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    check = drawn(world, 1)
    checked = check.persons.get()
    paths = [
        f"/fieldwork/checks/inspections/{world.inspection1.pk}/",
        f"/fieldwork/checks/{check.pk}/",
        f"/fieldwork/checks/{check.pk}/verify/",
        f"/fieldwork/checks/results/{checked.pk}/",
    ]
    for persona, status in (
        ("t1_leader", 200),
        ("office", 200),
        ("liaison1", 404),
        ("leader", 404),
        ("t2_member", 404),
    ):
        client = client_for(persona)
        assert [client.get(p).status_code for p in paths] == [status] * 4, persona
    other = liaison_of_unit2(world)
    assert [other.get(p).status_code for p in paths] == [404] * 4
    assert client_for("office").post(f"/fieldwork/checks/{check.pk}/draw/").status_code == 403


# API -----------------------------------------------------------------------------------------------


def test_the_api_sets_up_draws_records_and_verifies(
    world: SimpleNamespace, leaders: list[Person], client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    json = "application/json"
    created = member.post(
        "/api/v1/personal-matters-checks/",
        {"inspection": world.inspection1.pk, "title": "抽查", "sample_size": 4},
        content_type=json,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    drawn_ = member.post(f"/api/v1/personal-matters-checks/{pk}/draw").json()
    assert drawn_["drawn"] and len(drawn_["sample_ids"]) == 4 and len(drawn_["seed"]) == 32
    person = drawn_["sample_ids"][0]
    result = member.post(
        f"/api/v1/personal-matters-checks/{pk}/results",
        {"person": person, "result": "inconsistent", "details": "漏报投资", "to_finding": True},
        content_type=json,
    )
    assert result.status_code == 200 and result.json()["to_finding"] is True
    refused = member.post(
        f"/api/v1/personal-matters-checks/{pk}/results",
        {"person": world.principal2.pk, "result": "consistent"},
        content_type=json,
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "person"
    detail = client_for("office").get(f"/api/v1/personal-matters-checks/{pk}").json()
    assert (
        detail["seed"] == drawn_["seed"]
        and [r["person_id"] for r in detail["results"]] == drawn_["sample_ids"]
    )
    assert detail["results"][0]["details"] == "漏报投资"
    assert AuditEvent.objects.filter(action="personal_matters.details_read", object_id=str(pk)).exists()
    verified = client_for("office").post(f"/api/v1/personal-matters-checks/{pk}/verify").json()
    assert verified == {
        "matches": True,
        "expected": drawn_["sample_ids"],
        "stored": drawn_["sample_ids"],
        "problems": [],
    }
    listed = member.get(
        f"/api/v1/personal-matters-checks/?inspection={world.inspection1.pk}&drawn=true"
    ).json()
    assert listed["count"] == 1
    for persona in ("t2_member", "liaison1", "leader"):
        assert client_for(persona).get(f"/api/v1/personal-matters-checks/{pk}").status_code == 404
        assert client_for(persona).post(f"/api/v1/personal-matters-checks/{pk}/verify").status_code == 404
    assert client_for("t2_member").get("/api/v1/personal-matters-checks/").json()["count"] == 0


def test_the_api_refuses_bad_input(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    member = client_for("t1_member")
    json = "application/json"
    for body, field in (
        ({"inspection": world.inspection1.pk, "title": "抽查", "sample_size": 0}, "sample_size"),
        ({"inspection": world.inspection2.pk, "title": "抽查", "sample_size": 1}, "inspection"),
        ({"inspection": world.inspection1.pk, "title": " ", "sample_size": 1}, "title"),
        (
            {
                "inspection": world.inspection1.pk,
                "title": "抽查",
                "sample_size": 1,
                "extra_persons": [world.principal2.pk],
            },
            "extra_persons",
        ),
    ):
        response = member.post("/api/v1/personal-matters-checks/", body, content_type=json)
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == field, body
    assert not PersonalMattersCheck.objects.exists()
    check = new_check(world, 1)
    assert member.post(f"/api/v1/personal-matters-checks/{check.pk}/verify").status_code == 422
