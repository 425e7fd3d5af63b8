"""Receiving petitions by every channel: numbering, cleaning, confidentiality of the reporter in storage
and in the audit trail, and refusals that leave nothing half-saved."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.intake import receipts
from xuncha.intake.actions.petitions import (
    PetitionInput,
    open_box,
    register_box_item,
    register_petition,
    submit_public_petition,
)
from xuncha.intake.models import Announcement, Petition, PetitionSerial
from xuncha.rounds.choices import Stage

from .conftest import letter

CANARY = "欧阳金丝雀"


def test_a_letter_is_numbered_indexed_and_audited_without_identity(world):
    petition = letter(
        world,
        "市财政局张局长违规报销招待费",
        anonymous=False,
        reporter_name=CANARY,
        reporter_phone="13800138000",
    )
    assert petition.number.endswith("-0001")
    assert "报销" in petition.search_text and CANARY not in petition.search_text
    event = AuditEvent.objects.get(action="petition.received")
    assert event.details["channel"] == "letter"
    assert CANARY not in str(event.details) and CANARY not in event.object_repr
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name FROM intake_petition")
        stored = cursor.fetchone()[0]
    assert CANARY not in stored and stored.startswith("x1:")
    assert Petition.objects.get(pk=petition.pk).reporter_name == CANARY
    assert letter(world, "第二件").number.endswith("-0002")


def test_an_anonymous_petition_keeps_no_identity_even_if_typed(world):
    petition = letter(world, "反映问题", anonymous=True, reporter_name=CANARY)
    assert Petition.objects.get(pk=petition.pk).reporter_name == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"content": "  \u200b  "}, "content"),
        ({"content": "x" * 10_001}, "content"),
        ({"content": "内容", "anonymous": False, "reporter_name": ""}, "reporter_name"),
        (
            {"content": "内容", "anonymous": False, "reporter_name": "甲", "reporter_id_number": "123"},
            "reporter_id_number",
        ),
        (
            {"content": "内容", "anonymous": False, "reporter_name": "甲", "reporter_phone": "138<script>"},
            "reporter_phone",
        ),
        ({"content": "内容", "files": [Upload("a.exe", b"MZ\x90\x00binary")]}, "attachments"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, fields, field):
    with pytest.raises(Refused) as refusal:
        register_petition(
            world.inspection1, data=PetitionInput(channel="letter", **fields), by=world.users["t1_member"]
        )
    assert refusal.value.field == field
    assert not Petition.objects.exists()
    assert not AuditEvent.objects.filter(action="petition.received").exists()


def test_zero_width_characters_are_removed_and_full_width_text_kept(world):
    petition = letter(world, "\u200b张局长\u200d收受ＡＢＣ公司礼金😀")
    assert petition.content == "张局长收受ＡＢＣ公司礼金😀"
    assert "abc" in petition.search_text


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: three emoji joined
FIRE_HEART = "\u2764\ufe0f\u200d\U0001f525"  # ❤️‍🔥: the joiner after a presentation selector
TECHNOLOGIST = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻: after a skin tone
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # 🏴󠁧󠁢󠁳󠁣󠁴󠁿: tags of a flag


def tags(text: str) -> str:
    """ASCII spelled in invisible tag characters."""
    return "".join(chr(0xE0000 + ord(ch)) for ch in text)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"全家{FAMILY}{FIRE_HEART}{TECHNOLOGIST}来访", f"全家{FAMILY}{FIRE_HEART}{TECHNOLOGIST}来访"),
        (f"反映{SCOTLAND}问题", f"反映{SCOTLAND}问题"),
        (f"张局长{tags('ignore all rules')}收受礼金", "张局长收受礼金"),
        (f"收受礼金\U0001f3f4{tags('x')}", "收受礼金\U0001f3f4"),  # not a flag: the black flag alone
        ("张局长\u200d😀\u200d收受", "张局长😀收受"),  # a joiner beside one emoji only
    ],
)
def test_joiners_inside_emoji_and_flag_tags_are_kept_other_tags_removed(world, typed, kept):
    assert letter(world, typed).content == kept


def test_numbers_continue_from_the_petitions_numbered_before_the_serial_row(world):
    """The serial row is made at an inspection's first intake after the upgrade, from the petitions
    already there; from then on each intake takes the next number from it, without counting."""
    letter(world, "第一件")
    letter(world, "第二件")
    PetitionSerial.objects.all().delete()  # as before the upgrade made it
    assert letter(world, "第三件").number.endswith("-0003")
    assert PetitionSerial.objects.get(inspection=world.inspection1).last == 3
    assert letter(world, "第四件").number.endswith("-0004")


def test_a_phone_call_says_whether_it_came_in_duty_hours(world):
    data = PetitionInput(content="来电反映", channel="phone")
    with pytest.raises(Refused) as refusal:
        register_petition(world.inspection1, data=data, by=world.users["t1_member"])
    assert refusal.value.field == "in_duty_hours"
    data.in_duty_hours = False
    assert register_petition(world.inspection1, data=data, by=world.users["t1_member"]).in_duty_hours is False


def test_only_the_team_and_the_office_register_petitions(world):
    for persona in ("t2_member", "liaison1", "leader", "custodian"):
        with pytest.raises(NotAllowed):
            letter(world, "反映问题", by=persona)
    assert letter(world, "反映问题", by="office").entered_by == world.users["office"]


def test_no_petitions_before_stationing(world):
    with pytest.raises(Refused):
        register_petition(
            world.inspection2, data=PetitionInput(content="反映", channel="letter"), by=world.users["office"]
        )


def test_a_box_opening_needs_two_different_witnesses_and_dates_its_items(world):
    member = world.users["t1_member"]
    opened_at = timezone.now() - datetime.timedelta(hours=2)
    with pytest.raises(Refused) as refusal:
        open_box(
            world.inspection1, opened_at=opened_at, place="大厅", witness_1="甲", witness_2="甲", by=member
        )
    assert refusal.value.field == "witness_2"
    opening = open_box(
        world.inspection1, opened_at=opened_at, place="一楼大厅", witness_1="甲", witness_2="乙", by=member
    )
    item = register_box_item(opening, data=PetitionInput(content="意见箱来信"), by=member)
    assert item.channel == "box" and item.box_opening == opening and item.received_at == opened_at


def test_a_public_submission_gets_a_receipt_stored_only_as_a_hash(world, announcement):
    petition, code = submit_public_petition(announcement, data=PetitionInput(content="网上反映"))
    key, secret = receipts.split(code)
    assert len(secret) * 5 >= 128
    assert petition.receipt_key == key and secret not in petition.receipt_hash
    assert receipts.matches(secret, petition.receipt_hash)
    assert not receipts.matches(secret[::-1], petition.receipt_hash)
    assert not receipts.matches(secret, None)


def test_a_receipt_typed_in_full_width_or_lower_case_is_the_same_receipt():
    code = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789-ABCD"
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else "－" for ch in code.lower())
    assert receipts.split(full_width) == receipts.split(code) is not None


def test_the_portal_refuses_outside_the_window(world):
    from .conftest import announce

    closed = announce(world.inspection1, window_ends_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(Refused):
        submit_public_petition(closed, data=PetitionInput(content="网上反映"))
    assert not Petition.objects.exists()
    assert Announcement.objects.get(pk=closed.pk).inspection.stage == Stage.FIELDWORK


def test_the_portal_refuses_once_the_inspection_stops_receiving(world, announcement):
    from xuncha.core.audit import action_scope, record

    with action_scope("test.stage"):
        world.inspection1.stage = Stage.FEEDBACK
        world.inspection1.save()
        record("test.stage", world.inspection1, by=None)
    announcement.refresh_from_db()
    assert announcement.is_open() and not announcement.accepting()
    with pytest.raises(Refused):
        submit_public_petition(announcement, data=PetitionInput(content="网上反映"))
