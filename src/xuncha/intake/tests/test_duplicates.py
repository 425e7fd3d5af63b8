"""Near-duplicates: found at intake across channels and inspections of one committee (never another's),
confirmed into groups by members, dismissed or undone, and counted once in statistics."""

import datetime
import itertools

import pytest
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.intake import duplicates
from xuncha.intake.actions.duplicates import confirm_duplicates, dismiss_candidate, leave_group
from xuncha.intake.actions.petitions import (
    PetitionInput,
    open_box,
    register_box_item,
    register_petition,
)
from xuncha.intake.models import DuplicateCandidate, DuplicateGroup, Fingerprint, Petition
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Round, Team

from .conftest import letter, submitted

# One complaint as the reporter typed it on the portal, as the clerk noted the call, and as the letter in
# the box was written: retyped, numbers written differently, an opening and a closing added or dropped.
WEB = (
    "巡察组领导：我要反映市财政局局长张建国的问题。2025年局办公楼装修工程，张建国把工程交给他小舅子的"
    "公司承揽，没有公开招标，工程款比市场价高出一百多万元。张建国还收受施工方好处费二十万元。请巡察组认真"
    "调查，还财政局一片清净。"
)
PHONE = (
    "来电人反映：市财政局局长张建国，2025年局办公楼装修工程交给他小舅子的公司承揽，没有公开招标，工程款比"
    "市场价高出100多万元，张建国还收受施工方好处费20万元。请求巡察组调查。"
)
BOX = (
    "尊敬的巡察组：我反映市财政局局长张建国的问题。2025年局里办公楼装修工程，张建国把工程交给他小舅子的"
    "公司承揽，没有公开招标，工程款比市场价高一百多万元。另外张建国还收了施工方的好处费二十万元。请巡察组"
    "认真调查！一名财政局干部"
)
# Two more matters, each as written on the portal, as a clerk summarised the call, and as a letter put it.
CAR = (
    "市财政局副局长李文华长期公车私用，每个周末都开单位的别克商务车回乡下老家，加油费、过路费都拿到单位报销，"
    "驾驶员也是单位的。请巡察组查一查。",
    "来电反映：财政局李文华副局长周末经常开单位的别克商务车回老家，加油费和过路费在单位报销，还让单位驾驶员接送。",
    "巡察组：财政局副局长李文华公车私用问题严重，每逢周末就开单位别克商务车回乡下老家，加油费过路费全部在单位"
    "报了，驾驶员也用单位的。知情群众",
)
PROMOTION = (
    "反映市财政局会计科科长王海燕的问题：王海燕参加工作不满两年就被提拔为科长，没有经过民主推荐和考察，据说是"
    "因为她是张建国局长的外甥女。",
    "来访人反映，财政局会计科王海燕科长工作不到2年就提拔为科长，没有民主推荐、没有考察，是张建国局长的外甥女。",
    "我要举报财政局会计科科长王海燕：参加工作不满两年就提了科长，既没有民主推荐也没有组织考察，听说她是局长"
    "张建国的外甥女。",
)
MATTERS = ((WEB, PHONE, BOX), CAR, PROMOTION)
# Other complaints about the same unit, the same persons, the same kinds of misconduct, some with the
# same opening and closing.
UNRELATED = (
    "巡察组领导：我要反映市财政局局长张建国的问题。张建国长期违规使用公车，周末经常开单位的车回老家，还用"
    "公款报销加油费和过路费。请巡察组认真调查。",
    "市财政局会计科科长王海燕长期迟到早退，工作作风散漫，对来办事群众态度恶劣，请巡察组管一管。",
    "市财政局张建国局长在干部提拔中搞任人唯亲，把自己的秘书违规提拔为副科长，没有经过民主推荐。请巡察组"
    "认真调查。",
    "反映市财政局下属国库支付中心办公楼装修工程存在问题，没有公开招标，由主任李某某的朋友承揽，请巡察组调查。",
    "市财政局办公室主任刘某某在单位食堂公款吃喝，每周都有宴请。",
    "财政局李文华副局长在干部提拔中搞任人唯亲，把自己的司机提拔为副科长。",
    "本人在市财政局下属公司工作，被拖欠工资5千元至今未发，请求帮助解决。",
)


def phone_call(world, content, *, by="t1_member", inspection=None, **fields):  # type: ignore[no-untyped-def]
    data = PetitionInput(content=content, channel="phone", in_duty_hours=True, **fields)
    return register_petition(inspection or world.inspection1, data=data, by=world.users[by])


def box_letter(world, content):  # type: ignore[no-untyped-def]
    member = world.users["t1_member"]
    opened_at = timezone.now() - datetime.timedelta(hours=1)
    opening = open_box(
        world.inspection1, opened_at=opened_at, place="一楼大厅", witness_1="甲", witness_2="乙", by=member
    )
    return register_box_item(opening, data=PetitionInput(content=content), by=member)


def suggested(petition: Petition) -> set[Petition]:
    """The petitions suggested as near-duplicates of ``petition``, either way round."""
    pairs = DuplicateCandidate.objects.filter(dismissed_by__isnull=True)
    return {c.other for c in pairs.filter(petition=petition)} | {
        c.petition for c in pairs.filter(other=petition)
    }


def receiving(inspection: Inspection) -> Inspection:
    """Move an inspection into fieldwork directly (the stage machine is tested in rounds)."""
    with action_scope("test.stage"):
        inspection.stage = Stage.FIELDWORK
        inspection.save()
        record("test.stage", inspection, by=None)
    return inspection


def county_inspection(world) -> Inspection:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    with action_scope("test.county"):
        round_ = Round.objects.create(
            committee=world.county_a,
            number=1,
            name="县委第一轮巡察",
            kind="routine",
            planned_start=today,
            planned_end=today + datetime.timedelta(days=60),
        )
        team = Team.objects.create(round=round_, name="县第一巡察组")
        inspection = Inspection.objects.create(
            round=round_, team=team, unit=world.county_unit, stage=Stage.FIELDWORK
        )
        record("test.county", inspection, by=None)
    return inspection


@pytest.fixture
def unrelated(world) -> list[Petition]:  # type: ignore[no-untyped-def]
    return [letter(world, text) for text in UNRELATED[:4]]


@pytest.fixture
def three_channels(world, announcement, unrelated) -> tuple[Petition, Petition, Petition]:  # type: ignore[no-untyped-def]
    web, _receipt = submitted(announcement, PetitionInput(content=WEB))
    phone = phone_call(world, PHONE)
    box = box_letter(world, BOX)
    return web, phone, box


# Finding ----------------------------------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    shingles = [duplicates._shingles(duplicates._parts(Petition(content=text))) for text in (a, b)]
    return duplicates.similarity(*shingles)


def test_paraphrases_reach_the_threshold_and_other_matters_stay_below():
    """The tuning of ``THRESHOLD``: every copy of a matter against every other copy, every copy against
    the other matters and the unrelated complaints about the same unit and persons."""
    for copies in MATTERS:
        for a, b in itertools.combinations(copies, 2):
            assert similarity(a, b) >= duplicates.THRESHOLD, (a[:20], b[:20])
    for copies, others in itertools.permutations(MATTERS, 2):
        for a, b in itertools.product(copies, (*others, *UNRELATED)):
            assert similarity(a, b) < duplicates.THRESHOLD, (a[:20], b[:20])


def test_one_complaint_by_web_phone_and_box_is_grouped_and_counted_once(world, three_channels, unrelated):
    web, phone, box = three_channels
    assert {p.channel for p in three_channels} == {"web", "phone", "box"}
    assert suggested(web) == {phone, box}
    assert suggested(phone) == {web, box}
    assert suggested(box) == {web, phone}
    for petition in unrelated:
        assert not suggested(petition)
    petitions = Petition.objects.filter(inspection=world.inspection1)
    assert petitions.distinct_matters() == 7

    confirm_duplicates(box, others=[web, phone], by=world.users["t1_member"])

    group = DuplicateGroup.objects.get()
    assert set(group.petitions.all()) == {web, phone, box}
    assert group.committee == world.city and group.confirmed_by == world.users["t1_member"]
    assert petitions.count() == 7
    assert petitions.distinct_matters() == 5
    event = AuditEvent.objects.get(action="petition.duplicates_confirmed")
    assert event.details["petitions"] == sorted(p.number for p in three_channels)
    assert event.role == "team_member"


def test_suggestions_carry_the_similarity_and_the_audit_counts_them(world, three_channels):
    web, phone, box = three_channels
    pairs = DuplicateCandidate.objects.filter(petition=box)
    assert {c.other for c in pairs} == {web, phone}
    for candidate in pairs:
        assert duplicates.THRESHOLD <= candidate.similarity <= 1
    received = AuditEvent.objects.filter(action="petition.received", object_id=str(box.pk)).get()
    assert received.details["duplicate_candidates"] == 2


def test_retyping_noise_does_not_hide_a_copy(world):
    original = letter(world, WEB)
    noisy = "　".join(WEB.replace("，", ",").replace("2025", "２０２５").replace("。", "\u200b。 "))
    copy = phone_call(world, noisy)
    assert suggested(copy) == {original}
    assert DuplicateCandidate.objects.get().similarity == 1.0


def test_whom_it_is_about_is_part_of_the_text(world):
    what = "收受施工方好处费二十万元"
    first = letter(world, what, subject_name="张建国", subject_post="局长")
    same = phone_call(world, what, subject_name="张建国", subject_post="局长")
    other = phone_call(world, what, subject_name="王海燕", subject_post="会计科科长")
    assert suggested(first) == {same}
    assert not suggested(other)


def test_short_texts_match_only_when_identical(world):
    first = letter(world, "张局长收红包！")
    same = phone_call(world, "张 局长 收红包")
    different = phone_call(world, "张局长收购物卡")
    longer = phone_call(world, "张局长收红包，" + UNRELATED[1])
    assert duplicates.fingerprints(first) == [(duplicates.EXACT_BAND, duplicates.fingerprints(same)[0][1])]
    assert suggested(first) == {same}
    assert not suggested(different) and not suggested(longer) - {first} and first not in suggested(longer)


def test_text_without_letters_gets_no_fingerprint(world):
    petition = letter(world, "？？？！！！……")
    assert not Fingerprint.objects.filter(petition=petition).exists()
    assert not suggested(petition)


def test_fingerprints_are_stable_across_processes_and_versions():
    """Stored fingerprints are compared with new ones for years: the same text, the same values."""
    petition = Petition(content=WEB)
    prints = duplicates.fingerprints(petition)
    assert len(prints) == duplicates.BANDS
    assert [band for band, _ in prints] == list(range(duplicates.BANDS))
    assert prints[:2] == [(0, 4287748867765218332), (1, -5106461681344819460)]


def test_reindexing_rewrites_fingerprints_and_does_not_repeat_suggestions(world):
    first = letter(world, WEB)
    second = phone_call(world, PHONE)
    before = set(Fingerprint.objects.filter(petition=second).values_list("band", "value"))
    with action_scope("test.reindex"):
        assert duplicates.index(second) == []
        assert duplicates.index(first) == []
        record("test.reindex", second, by=None)
    assert set(Fingerprint.objects.filter(petition=second).values_list("band", "value")) == before
    assert DuplicateCandidate.objects.count() == 1


def test_candidates_examined_are_capped(world):
    copies = [letter(world, WEB) for _ in range(duplicates.CANDIDATE_CAP + 2)]
    newest = phone_call(world, WEB)
    assert DuplicateCandidate.objects.filter(petition=newest).count() == duplicates.CANDIDATE_CAP
    assert DuplicateCandidate.objects.filter(petition=copies[-1]).count() == duplicates.CANDIDATE_CAP


def test_across_inspections_of_one_committee_found_but_shown_only_to_who_sees_both(world):
    receiving(world.inspection2)
    ours = letter(world, WEB)
    theirs = phone_call(world, PHONE, by="t2_member", inspection=world.inspection2)
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.petition, candidate.other) == (theirs, ours)
    users = world.users
    assert list(DuplicateCandidate.objects.visible_to(users["office"])) == [candidate]
    for persona in (
        "t1_member",
        "t1_leader",
        "t2_member",
        "leader",
        "liaison1",
        "county_office",
        "custodian",
    ):
        assert not DuplicateCandidate.objects.visible_to(users[persona]).exists(), persona
    # Only the office may group them; a team member is refused for the other team's petition.
    with pytest.raises(NotAllowed):
        confirm_duplicates(ours, others=[theirs], by=users["t1_member"])
    confirm_duplicates(ours, others=[theirs], by=users["office"])
    assert (
        Petition.objects.get(pk=theirs.pk).duplicate_group == Petition.objects.get(pk=ours.pk).duplicate_group
    )
    assert AuditEvent.objects.get(action="petition.duplicates_confirmed").role == "office"


def test_never_across_committees(world):
    letter(world, WEB)
    county = county_inspection(world)
    theirs = register_petition(county, data=PetitionInput(content=WEB, channel="letter"), by=None)
    assert not suggested(theirs)
    assert set(Fingerprint.objects.filter(petition=theirs).values_list("committee_id", flat=True)) == {
        world.county_a.pk
    }
    with pytest.raises((Refused, NotAllowed)):
        confirm_duplicates(
            theirs, others=list(Petition.objects.exclude(pk=theirs.pk)), by=world.users["office"]
        )
    assert not DuplicateGroup.objects.exists()


# Confirming, dismissing, leaving -----------------------------------------------------------------------


def test_confirming_extends_a_group_and_merges_two_groups(world):
    member = world.users["t1_member"]
    a, b, c, d, e = (letter(world, f"第{i}件：{UNRELATED[i % 4]}") for i in range(5))
    confirm_duplicates(a, others=[b], by=member)
    confirm_duplicates(c, others=[a], by=member)  # c joins a's group
    assert (
        Petition.objects.get(pk=c.pk).duplicate_group_id == Petition.objects.get(pk=a.pk).duplicate_group_id
    )
    confirm_duplicates(d, others=[e], by=member)
    assert DuplicateGroup.objects.count() == 2
    first_group = DuplicateGroup.objects.order_by("pk").first()
    d.refresh_from_db()
    confirm_duplicates(d, others=[Petition.objects.get(pk=b.pk)], by=member)  # two groups become one
    assert list(DuplicateGroup.objects.all()) == [first_group]
    assert set(first_group.petitions.all()) == {a, b, c, d, e}
    assert Petition.objects.filter(inspection=world.inspection1).distinct_matters() == 1
    event = AuditEvent.objects.filter(action="petition.duplicates_confirmed").latest("seq")
    assert event.details["added"] == sorted([d.number, e.number])
    assert len(event.details["merged_groups"]) == 1


@pytest.mark.parametrize("persona", ["t2_member", "leader", "liaison1", "custodian", "county_office"])
def test_who_is_not_on_the_team_nor_in_the_office_may_not_confirm(world, persona):
    a, b = letter(world, WEB), phone_call(world, PHONE)
    with pytest.raises(NotAllowed):
        confirm_duplicates(a, others=[b], by=world.users[persona])
    with pytest.raises(NotAllowed):
        dismiss_candidate(DuplicateCandidate.objects.get(), by=world.users[persona])
    assert not DuplicateGroup.objects.exists()


@pytest.mark.parametrize(
    ("others", "message"),
    [
        (lambda a, b: [], "请选择"),
        (lambda a, b: [a], "自身"),
        (lambda a, b: [b] * 3, None),  # repeated: one other, accepted
    ],
)
def test_confirming_checks_what_is_named(world, others, message):
    a, b = letter(world, WEB), phone_call(world, PHONE)
    chosen = others(a, b)
    if message is None:
        confirm_duplicates(a, others=chosen, by=world.users["t1_leader"])
        assert DuplicateGroup.objects.get().petitions.count() == 2
        return
    with pytest.raises(Refused) as refusal:
        confirm_duplicates(a, others=chosen, by=world.users["t1_leader"])
    assert message in refusal.value.message and refusal.value.field == "others"


def test_a_petition_the_member_cannot_see_is_refused_like_a_missing_one(world):
    """A complaint about the inspectors goes to the office alone, even when the team entered it."""
    mine = letter(world, WEB)
    about_us = letter(world, PHONE, about_inspectors=True)
    assert not Petition.objects.visible_to(world.users["t1_member"]).filter(pk=about_us.pk).exists()
    with pytest.raises(Refused) as refusal:
        confirm_duplicates(mine, others=[about_us], by=world.users["t1_member"])
    assert refusal.value.message == "信访件不存在或无权访问。"
    # Nor may a member extend a group of the office's that holds such a petition.
    third = box_letter(world, BOX)
    confirm_duplicates(about_us, others=[mine], by=world.users["office"])
    with pytest.raises(Refused):
        confirm_duplicates(third, others=[Petition.objects.get(pk=mine.pk)], by=world.users["t1_member"])
    assert Petition.objects.get(pk=third.pk).duplicate_group is None


def test_already_in_one_group_is_refused(world):
    a, b = letter(world, WEB), phone_call(world, PHONE)
    confirm_duplicates(a, others=[b], by=world.users["t1_member"])
    with pytest.raises(Refused, match="已在同一重复件组"):
        confirm_duplicates(b, others=[a], by=world.users["office"])


def test_dismissing_a_suggestion(world):
    a, b = letter(world, WEB), phone_call(world, PHONE)
    candidate = DuplicateCandidate.objects.get()
    dismiss_candidate(candidate, by=world.users["t1_member"])
    assert not suggested(a) and not suggested(b)
    assert DuplicateCandidate.objects.get().dismissed_by == world.users["t1_member"]
    event = AuditEvent.objects.get(action="petition.duplicate_dismissed")
    assert event.details["petitions"] == sorted([a.number, b.number])
    with pytest.raises(Refused, match="已被忽略"):
        dismiss_candidate(DuplicateCandidate.objects.get(), by=world.users["t1_member"])


def test_a_confirmed_pair_is_not_dismissed(world):
    a, b = letter(world, WEB), phone_call(world, PHONE)
    confirm_duplicates(a, others=[b], by=world.users["t1_member"])
    with pytest.raises(Refused, match="移出重复件组"):
        dismiss_candidate(DuplicateCandidate.objects.get(), by=world.users["t1_member"])


def test_leaving_a_group_undoes_a_mistake(world, three_channels):
    web, phone, box = three_channels
    member = world.users["t1_member"]
    confirm_duplicates(web, others=[phone, box], by=member)
    group = DuplicateGroup.objects.get()

    leave_group(Petition.objects.get(pk=box.pk), by=member, reason="确认有误")
    assert set(group.petitions.all()) == {web, phone}
    assert suggested(box) == set()  # the mistaken suggestions are dismissed with it
    assert suggested(web) == {phone}
    event = AuditEvent.objects.get(action="petition.duplicate_left")
    assert event.details == {
        "group": group.pk,
        "remaining": sorted([web.number, phone.number]),
        "dissolved": False,
        "suggestions_dismissed": 2,
        "reason": "确认有误",
    }

    leave_group(Petition.objects.get(pk=phone.pk), by=member, reason="确认有误")
    assert not DuplicateGroup.objects.exists()  # one left is no group
    assert Petition.objects.get(pk=web.pk).duplicate_group is None
    assert Petition.objects.filter(inspection=world.inspection1).distinct_matters() == 7
    with pytest.raises(Refused, match="不在任何重复件组"):
        leave_group(Petition.objects.get(pk=web.pk), by=member, reason="确认有误")
    with pytest.raises(NotAllowed):
        leave_group(Petition.objects.get(pk=web.pk), by=world.users["t2_member"], reason="确认有误")


# Statistics ---------------------------------------------------------------------------------------------


def test_distinct_matters_counts_a_group_once_in_any_selection(world):
    receiving(world.inspection2)
    a, b, c = letter(world, WEB), phone_call(world, PHONE), box_letter(world, BOX)
    theirs = phone_call(world, WEB, by="t2_member", inspection=world.inspection2)
    single = letter(world, UNRELATED[1])
    confirm_duplicates(a, others=[b, c, theirs], by=world.users["office"])
    everything = Petition.objects.all()
    assert everything.count() == 5 and everything.distinct_matters() == 2
    assert everything.order_by("received_at").distinct_matters() == 2
    assert everything.filter(inspection=world.inspection1).distinct_matters() == 2
    # Each inspection counts the matter once; the team sees and counts its own petitions only.
    assert everything.filter(inspection=world.inspection2).distinct_matters() == 1
    assert Petition.objects.visible_to(world.users["t2_member"]).distinct_matters() == 1
    assert Petition.objects.none().distinct_matters() == 0
    # Ordered by a related field, or filtered through a join that repeats a petition: still counted once.
    assert everything.order_by("inspection__unit__name").distinct().distinct_matters() == 2
    for petition in (a, b, single):
        petition.persons.add(world.principal1, world.deputy1)
    named = Petition.objects.filter(persons__in=[world.principal1, world.deputy1])
    assert named.count() == 6 and named.distinct_matters() == 2


# Grouping by hand and the API ------------------------------------------------------------------------


def test_group_by_hand_list_evidence_and_ungroup_through_the_api(world, client_for, three_channels):
    web, phone, box = three_channels
    client = client_for("t1_member")
    listed = client.get(f"/api/v1/petitions/{phone.pk}/duplicates").json()
    assert {item["other_number"] for item in listed["items"]} == {web.number, box.number}
    evidence = listed["items"][0]["evidence"]
    assert evidence["text"] > 0 and "2025年" in evidence["entities"]
    unrelated = letter(world, UNRELATED[1])
    url = f"/api/v1/petitions/{phone.pk}/group"
    assert (
        client.post(
            url, {"other": str(unrelated.pk), "reason": ""}, content_type="application/json"
        ).status_code
        == 422
    )
    response = client.post(
        url, {"other": str(unrelated.pk), "reason": "同一来电人补充反映"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert {p["number"] for p in response.json()["petitions"]} == {phone.number, unrelated.number}
    event = AuditEvent.objects.filter(action="petition.duplicates_confirmed").latest("seq")
    assert event.details["reason"] == "同一来电人补充反映"
    ungroup = f"/api/v1/petitions/{unrelated.pk}/ungroup"
    assert client.post(ungroup, {"reason": ""}, content_type="application/json").status_code == 422
    assert client.post(ungroup, {"reason": "另一事项"}, content_type="application/json").status_code == 200
    assert Petition.objects.get(pk=unrelated.pk).duplicate_group is None
    assert (
        AuditEvent.objects.filter(action="petition.duplicate_left").latest("seq").details["reason"]
        == "另一事项"
    )
    assert client_for("t2_member").get(f"/api/v1/petitions/{phone.pk}/duplicates").status_code == 404


def test_the_list_finds_a_petition_by_its_number(world):
    from xuncha.intake import search

    first, second = letter(world, UNRELATED[0]), letter(world, UNRELATED[1])
    visible = Petition.objects.all()
    assert list(search.search(visible, first.number)) == [first]
    prefix = first.number.rsplit("-", 1)[0] + "-"
    assert {first, second} <= set(search.search(visible, prefix))
