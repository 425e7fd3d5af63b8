"""Duplicates on the pages and the API: the petition page's section, the team's list of open suggestions,
confirm / dismiss / leave, and ``POST /api/v1/petitions/{id}/merge`` — each only within the user's sight."""

import json
import uuid

import pytest
from django.urls import reverse

from xuncha.core.models import AuditEvent
from xuncha.intake.actions.duplicates import confirm_duplicates
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.models import DuplicateCandidate, DuplicateGroup, Petition

from .conftest import letter, submitted
from .test_duplicates import (
    BOX,
    PHONE,
    UNRELATED,
    WEB,
    box_letter,
    county_inspection,
    phone_call,
    receiving,
)

CANARY = "欧阳金丝雀"


@pytest.fixture
def copies(world, announcement):  # type: ignore[no-untyped-def]
    """The complaint by web (named, with a canary name), phone and box, and one unrelated letter."""
    data = PetitionInput(content=WEB, anonymous=False, reporter_name=CANARY, reporter_phone="13800138000")
    web, _receipt = submitted(announcement, data)
    return web, phone_call(world, PHONE), box_letter(world, BOX), letter(world, UNRELATED[1])


def detail(pk: uuid.UUID) -> str:
    return reverse("intake:petition-detail", args=[pk])


def merge(client, petition_pk, others):  # type: ignore[no-untyped-def]
    body = json.dumps({"others": [str(pk) for pk in others]})
    return client.post(f"/api/v1/petitions/{petition_pk}/merge", body, content_type="application/json")


# The petition page's section ------------------------------------------------------------------------


def test_the_petition_page_suggests_the_copies_with_their_similarity(world, client_for, copies):
    web, phone, box, other = copies
    page = client_for("t1_member").get(detail(box.pk)).content.decode()
    assert 'id="duplicates-panel"' in page
    for copy in (web, phone):
        assert copy.number in page and f'value="{copy.pk}"' in page
    assert other.number not in page
    candidate = DuplicateCandidate.objects.get(petition=box, other=web)
    assert f"{round(candidate.similarity * 100)}%" in page
    assert reverse("intake:duplicate-dismiss", args=[candidate.pk]) in page
    assert "网络（码上巡察）" in page and "来电" in page
    assert CANARY not in page


def test_nothing_suggested_says_so(world, client_for, copies):
    page = client_for("t1_member").get(detail(copies[3].pk)).content.decode()
    assert "未发现疑似重复的信访件" in page


def test_a_suggestion_from_another_team_shows_only_to_the_office(world, client_for):
    receiving(world.inspection2)
    ours = letter(world, WEB)
    theirs = phone_call(world, PHONE, by="t2_member", inspection=world.inspection2)
    office_page = client_for("office").get(detail(ours.pk)).content.decode()
    assert theirs.number in office_page and "第二巡察组巡察市交通运输局" in office_page
    team_page = client_for("t1_member").get(detail(ours.pk)).content.decode()
    assert theirs.number not in team_page and "未发现疑似重复的信访件" in team_page
    assert client_for("t2_member").get(detail(ours.pk)).status_code == 404


def test_confirming_from_the_page_groups_and_shows_the_group(world, client_for, copies):
    web, phone, box, _other = copies
    client = client_for("t1_member")
    url = reverse("intake:duplicate-confirm", args=[box.pk])
    response = client.post(url, {"others": [web.pk, phone.pk], "next": detail(box.pk)})
    assert response.status_code == 302 and response["Location"] == detail(box.pk)
    group = DuplicateGroup.objects.get()
    assert set(group.petitions.all()) == {web, phone, box}
    page = client.get(detail(box.pk)).content.decode()
    assert f"重复件组 {group.pk}" in page and "统计时按一件计" in page
    assert reverse("intake:duplicate-leave", args=[box.pk]) in page
    assert "反映同一事项" in page


def test_confirming_another_teams_petition_is_refused_like_a_missing_one(world, client_for):
    receiving(world.inspection2)
    ours = letter(world, WEB)
    theirs = phone_call(world, PHONE, by="t2_member", inspection=world.inspection2)
    client = client_for("t1_member")
    url = reverse("intake:duplicate-confirm", args=[ours.pk])
    for others in ([theirs.pk], [uuid.uuid4()], ["not-a-uuid"], []):
        response = client.post(url, {"others": others}, follow=True)
        assert response.status_code == 200
        text = response.content.decode()
        assert ("请选择与本件反映同一事项的信访件" if not others else "信访件不存在或无权访问") in text
        assert theirs.number not in text
    assert not DuplicateGroup.objects.exists()
    # Nor may team2 confirm on team1's petition: 404, as for a missing one.
    assert client_for("t2_member").post(url, {"others": [theirs.pk]}).status_code == 404
    missing = reverse("intake:duplicate-confirm", args=[uuid.uuid4()])
    assert client_for("t1_member").post(missing, {"others": [ours.pk]}).status_code == 404


def test_the_next_address_must_be_ours(world, client_for, copies):
    web, phone, _box, _other = copies
    url = reverse("intake:duplicate-confirm", args=[web.pk])
    response = client_for("t1_member").post(url, {"others": [phone.pk], "next": "https://evil.example/"})
    assert response["Location"] == detail(web.pk)


def test_dismissing_asks_first_then_hides_the_suggestion(world, client_for, copies):
    web, phone, _box, _other = copies
    candidate = DuplicateCandidate.objects.get(petition=phone, other=web)
    url = reverse("intake:duplicate-dismiss", args=[candidate.pk])
    client = client_for("t1_leader")
    page = client.get(url, {"next": detail(web.pk)}).content.decode()
    assert "确认忽略" in page and web.number in page and phone.number in page
    assert DuplicateCandidate.objects.get(pk=candidate.pk).dismissed_by is None
    response = client.post(url, {"next": detail(web.pk)})
    assert response.status_code == 302 and response["Location"] == detail(web.pk)
    assert DuplicateCandidate.objects.get(pk=candidate.pk).dismissed_by == world.users["t1_leader"]
    assert f'value="{phone.pk}"' not in client.get(detail(web.pk)).content.decode()
    for persona in ("t2_member", "liaison1", "leader", "county_office"):
        assert client_for(persona).get(url).status_code == 404
        assert client_for(persona).post(url).status_code == 404


def test_leaving_asks_first_then_takes_the_petition_out(world, client_for, copies):
    web, phone, box, _other = copies
    confirm_duplicates(web, others=[phone, box], by=world.users["t1_member"])
    url = reverse("intake:duplicate-leave", args=[box.pk])
    client = client_for("t1_member")
    page = client.get(url).content.decode()
    assert "确认移出" in page and web.number in page
    response = client.post(url, follow=True)  # no reason: refused, still in the group
    assert "请说明理由" in response.content.decode()
    assert Petition.objects.get(pk=box.pk).duplicate_group is not None
    assert client.post(url, {"reason": "系另一事项"}).status_code == 302
    assert Petition.objects.get(pk=box.pk).duplicate_group is None
    assert DuplicateGroup.objects.get().petitions.count() == 2
    # Again: the petition is in no group, the refusal is a message.
    response = client.post(url, {"reason": "系另一事项"}, follow=True)
    assert "不在任何重复件组中" in response.content.decode()
    assert client_for("t2_member").post(url).status_code == 404


# The list of open suggestions -------------------------------------------------------------------------


def test_the_list_shows_open_suggestions_and_counts_matters(world, client_for, copies):
    web, phone, box, other = copies
    client = client_for("t1_member")
    url = reverse("intake:duplicate-list")
    page = client.get(url, {"inspection": world.inspection1.pk}).content.decode()
    for petition in (web, phone, box):
        assert petition.number in page
    assert other.number not in page
    assert "共 4 件" in page and "计为 4 件" in page
    confirm_duplicates(web, others=[phone, box], by=world.users["t1_member"])
    page = client.get(url, {"inspection": world.inspection1.pk}).content.decode()
    assert "共 4 件" in page and "计为 2 件" in page
    assert "没有待处理的疑似重复件" in page


def test_the_list_is_scoped(world, client_for, copies):
    url = reverse("intake:duplicate-list")
    for persona in ("t2_member", "leader", "liaison1", "county_office", "jiwei"):
        page = client_for(persona).get(url).content.decode()
        assert "没有待处理的疑似重复件" in page, persona
        assert copies[0].number not in page
        # An inspection out of sight is not a choice: a form error, the list is still the user's own.
        page = client_for(persona).get(url, {"inspection": world.inspection1.pk}).content.decode()
        assert copies[0].number not in page and "共 0 件" in page


def test_the_list_escapes_what_was_typed(world, client_for):
    letter(world, "<script>alert(1)</script>" + WEB)
    phone_call(world, "<script>alert(1)</script>" + PHONE)
    page = client_for("t1_member").get(reverse("intake:duplicate-list")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


# The API --------------------------------------------------------------------------------------------


def test_merge_groups_and_answers_the_group(world, client_for, copies):
    web, phone, box, _other = copies
    response = merge(client_for("t1_member"), box.pk, [web.pk, phone.pk, phone.pk])
    assert response.status_code == 200, response.content
    body = response.json()
    group = DuplicateGroup.objects.get()
    assert body["id"] == group.pk and body["committee_id"] == world.city.pk
    assert body["confirmed_by"] == "t1_member"
    assert {p["number"] for p in body["petitions"]} == {web.number, phone.number, box.number}
    assert {p["channel"] for p in body["petitions"]} == {"web", "phone", "box"}
    assert CANARY not in response.content.decode()
    assert Petition.objects.filter(inspection=world.inspection1).distinct_matters() == 2


def test_merge_outside_the_scope_is_404_and_foreign_ids_are_422_as_missing(world, client_for):
    receiving(world.inspection2)
    ours = letter(world, WEB)
    ours2 = letter(world, BOX)
    theirs = phone_call(world, PHONE, by="t2_member", inspection=world.inspection2)
    t2 = client_for("t2_member")
    missing = merge(t2, uuid.uuid4(), [theirs.pk])
    assert missing.status_code == 404
    foreign = merge(t2, ours.pk, [theirs.pk])
    assert foreign.status_code == 404 and foreign.json() == missing.json()
    for persona in ("leader", "liaison1", "county_office", "custodian"):
        assert merge(client_for(persona), ours.pk, [ours2.pk]).status_code == 404
    # Named in the body: another team's petition and a missing one get the same 422.
    named_foreign = merge(t2, theirs.pk, [ours.pk])
    named_missing = merge(t2, theirs.pk, [uuid.uuid4()])
    assert named_foreign.status_code == named_missing.status_code == 422
    assert named_foreign.json() == named_missing.json()
    assert named_foreign.json()["detail"][0]["field"] == "others"
    assert not DuplicateGroup.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "others"),
        ({"others": "x"}, "others"),
        ({"others": ["not-a-uuid"]}, "others.0"),
        ({"others": []}, "others"),
        ({"others": [str(uuid.uuid4()) for _ in range(51)]}, "others"),
    ],
)
def test_merge_bad_input_is_422(world, client_for, body, field):
    petition = letter(world, WEB)
    response = client_for("t1_member").post(
        f"/api/v1/petitions/{petition.pk}/merge", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_merge_with_itself_is_refused(world, client_for):
    petition = letter(world, WEB)
    response = merge(client_for("office"), petition.pk, [petition.pk])
    assert response.status_code == 422 and "自身" in response.json()["detail"][0]["message"]


# 归为一组 by number on the petition page ------------------------------------------------------------


def group_url(pk: uuid.UUID) -> str:
    return reverse("intake:duplicate-group", args=[pk])


def test_grouping_by_number_asks_for_confirmation_naming_both_then_groups(world, client_for):
    first, second = letter(world, UNRELATED[0]), phone_call(world, UNRELATED[1])
    client = client_for("t1_member")
    page = client.get(detail(first.pk)).content.decode()
    assert group_url(first.pk) in page
    assert "按编号与另一件归为一组" in page
    form = client.get(group_url(first.pk)).content.decode()
    assert 'name="number"' in form and 'name="reason"' in form

    asked = client.post(group_url(first.pk), {"number": f" {second.number} ", "reason": "同一来电人补充反映"})
    question = asked.content.decode()
    assert asked.status_code == 200 and "确认归为一组" in question
    assert first.number in question and second.number in question and "同一来电人补充反映" in question
    assert not DuplicateGroup.objects.exists()  # nothing until confirmed

    done = client.post(
        group_url(first.pk),
        {"number": second.number, "reason": "同一来电人补充反映", "confirmed": "1", "next": detail(first.pk)},
    )
    assert done.status_code == 302 and done["Location"] == detail(first.pk)
    group = DuplicateGroup.objects.get()
    assert set(group.petitions.all()) == {first, second}
    event = AuditEvent.objects.get(action="petition.duplicates_confirmed")
    assert event.details["reason"] == "同一来电人补充反映"
    assert f"重复件组 {group.pk}" in client.get(detail(first.pk)).content.decode()


def test_grouping_by_number_refuses_on_the_form_without_revealing_what_is_out_of_sight(world, client_for):
    mine = letter(world, UNRELATED[0])
    about_us = letter(world, UNRELATED[1], about_inspectors=True)  # the office's alone
    receiving(world.inspection2)
    theirs = phone_call(world, UNRELATED[2], by="t2_member", inspection=world.inspection2)
    client = client_for("t1_member")

    def refusal(number: str, reason: str = "同一事项", **extra: str) -> str:
        response = client.post(group_url(mine.pk), {"number": number, "reason": reason, **extra})
        assert response.status_code == 200 and "确认归为一组" not in response.content.decode()
        return response.content.decode()

    unknown = refusal("99-999-9999")
    assert "信访件不存在或无权访问。" in unknown
    for hidden in (about_us, theirs):  # exists, out of sight: the same answer as no such number
        assert "信访件不存在或无权访问。" in refusal(hidden.number)
        assert "信访件不存在或无权访问。" in refusal(hidden.number, confirmed="1")
    assert "不能将信访件与其自身归为一组" in refusal(mine.number)
    assert "请说明理由。" in refusal(mine.number, reason="  ")
    assert "请填写另一件的编号。" in refusal("")
    assert not DuplicateGroup.objects.exists()
    # Already one group: the action's refusal on the form.
    other = letter(world, UNRELATED[3])
    confirm_duplicates(mine, others=[other], by=world.users["t1_member"])
    assert "已在同一重复件组" in refusal(other.number, confirmed="1")


def test_grouping_across_committees_is_refused_on_the_form(world, client_for):
    ours = letter(world, UNRELATED[0])
    county = county_inspection(world)
    theirs = register_petition(county, data=PetitionInput(content=UNRELATED[1], channel="letter"), by=None)
    response = client_for("office").post(
        group_url(ours.pk), {"number": theirs.number, "reason": "同一事项", "confirmed": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "只能合并同一党委巡察中收到的信访件" in page or "信访件不存在或无权访问。" in page
    assert not DuplicateGroup.objects.exists()


def test_who_may_not_handle_the_petition_gets_no_group_form(world, client_for):
    mine = letter(world, UNRELATED[0])
    assert client_for("t2_member").get(group_url(mine.pk)).status_code == 404
    page = client_for("t1_member").get(detail(mine.pk)).content.decode()
    assert group_url(mine.pk) in page


def test_confirming_a_suggestion_takes_a_reason(world, client_for, copies):
    web, _phone, box, _other = copies
    page = client_for("t1_member").get(detail(box.pk)).content.decode()
    assert 'name="reason"' in page
    url = reverse("intake:duplicate-confirm", args=[box.pk])
    client_for("t1_member").post(url, {"others": [web.pk], "reason": "来电与来信为同一事项"})
    event = AuditEvent.objects.get(action="petition.duplicates_confirmed")
    assert event.details["reason"] == "来电与来信为同一事项"


def test_the_api_merge_takes_the_same_optional_reason(world, client_for, copies):
    web, phone, box, _other = copies
    body = json.dumps({"others": [str(phone.pk)], "reason": "来电与网络举报为同一事项"})
    response = client_for("t1_member").post(
        f"/api/v1/petitions/{web.pk}/merge", body, content_type="application/json"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="petition.duplicates_confirmed")
    assert event.details["reason"] == "来电与网络举报为同一事项"
    too_long = json.dumps({"others": [str(box.pk)], "reason": "理" * 501})
    refused = client_for("t1_member").post(
        f"/api/v1/petitions/{web.pk}/merge", too_long, content_type="application/json"
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["reason"]
