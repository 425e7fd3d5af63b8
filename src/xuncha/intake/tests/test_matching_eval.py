"""Roster matching keeps compound posts whole and needs the unit for a post alone; the evaluation
functions of person matching and duplicate detection (issue 17)."""

import pytest

from xuncha.intake import paraphrase
from xuncha.intake.choices import SuggestionField
from xuncha.intake.triage import eval_matching
from xuncha.intake.triage.corpus import Person, Record

from .conftest import letter
from .triage_support import of, with_defaults


@pytest.fixture
def w(world):
    return with_defaults(world, rules=False)


def persons(petition):
    return {s.value for s in of(petition, SuggestionField.PERSON)}


@pytest.mark.parametrize(
    "text",
    [
        "局长经常不在岗，办事找不到人",  # a bare title: "党组书记、局长" is not split into "局长"
        "县公安局局长收受贿赂",  # another unit's 局长
        "村委会主任也不管",  # a bare title of another unit
        "听说主任把补贴发给了亲戚",
    ],
)
def test_a_bare_title_or_another_units_post_matches_nobody(w, text):
    assert persons(letter(w, text)) == set()


def test_a_title_after_the_units_name_is_its_holder_with_the_words(w):
    [found] = of(letter(w, "市财政局局长违规插手工程"), SuggestionField.PERSON)
    assert found.value == str(w.principal1.pk)
    assert found.reason == "正文提到“市财政局局长”，花名册中仅张建国任此职（党组书记、局长）"


def test_a_part_of_a_compound_post_after_the_units_name(w):
    [found] = of(letter(w, "财政局党组书记搞一言堂"), SuggestionField.PERSON)
    assert found.value == str(w.principal1.pk)
    assert found.reason.startswith("正文提到“财政局党组书记”")
    assert persons(letter(w, "党组书记搞一言堂")) == set()  # whose 党组书记? the unit is not named


def test_the_deputys_title_is_the_deputys_not_the_principals(w):
    assert persons(letter(w, "财政局副局长违规报销")) == {str(w.deputy1.pk)}


# Evaluation -----------------------------------------------------------------------------------------


def record(rid, text, persons=(), dup=None):
    return Record(
        id=rid,
        text=text,
        channel="letter",
        scope="in",
        reason="discipline",
        scope_reason="",
        discipline=None,
        focus=None,
        persons=tuple(Person(*p) for p in persons),
        dup_group=dup,
        source="https://example.org/",
        split="dev",
    )


HEAD = ("钟德茂", "村党支部书记", "白沙乡三洲村")
ACCOUNTANT = ("章福林", "村会计", "白沙乡三洲村")
CHIEF = ("吴长庚", "镇党委书记、镇长", "青石镇")


def test_person_figures_count_right_wrong_and_missed():
    examples = [
        record("a", "三洲村支书钟德茂叫村会计章福林开假证明", [HEAD, ACCOUNTANT]),
        record("b", "青石镇镇长吴长庚收受礼金", [CHIEF]),
        # Named in the text but not the subject: a wrong suggestion.
        record("c", "我去找钟德茂反映过，可是村里的路还是没有修", []),
        record("d", "镇长天天不在岗", []),  # a bare title: nobody
    ]
    figures = eval_matching.evaluate_persons(examples, eval_matching.roster_of(examples))
    assert (figures.true, figures.false, figures.missed) == (3, 1, 0)
    assert figures.precision == pytest.approx(0.75) and figures.recall == 1.0


FLOOD = "来电人反映石桥村去年修的排洪渠一下大雨就垮了，包工头是村主任的侄子，工程款二十万元"
FLOOD_LETTER = (
    "巡察组：石桥村去年新修的排洪渠质量很差，今年一场大雨冲垮了。工程是村主任侄子包的，花了20万元。"
)
GYM = "我在阳光健身房办了三千元的年卡，健身房突然关门，老板联系不上，请帮忙退款。"
GYM_CALL = "来电人反映其在阳光健身房办理年卡三千元，该健身房突然闭店，负责人失联，要求协调退费。"
NOISE = "小区楼下的烧烤店每天晚上营业到凌晨两点，噪音很大，油烟也重。"


def test_duplicate_figures_on_pairs_across_channels():
    examples = [
        record("1", FLOOD, dup="g1"),
        record("2", FLOOD_LETTER, dup="g1"),
        record("3", GYM, dup="g2"),
        record("4", GYM_CALL, dup="g2"),
        record("5", NOISE),
    ]
    figures = eval_matching.evaluate_duplicates(examples)
    assert figures.pairs == 2 and figures.found == 2 and figures.false == 0
    assert figures.recall == 1.0 and figures.precision == 1.0 and figures.false_per_100 == 0
    strict = eval_matching.evaluate_duplicates(examples, threshold=10.0)
    assert strict.found == 0 and strict.recall == 0.0 and strict.precision == 1.0


def test_the_threshold_allows_at_most_the_false_pairs_asked():
    examples = [
        record("1", GYM, dup="g"),
        record("2", GYM_CALL, dup="g"),
        record("3", GYM),
        record("4", NOISE),
    ]
    threshold = eval_matching.choose_threshold(examples, false_per_100=0)
    figures = eval_matching.evaluate_duplicates(examples, threshold)
    assert figures.false == 0
    assert eval_matching.evaluate_duplicates(examples, threshold - 0.01).false >= 1


def test_sums_and_places_are_entities_whatever_the_numerals():
    assert {"石桥村", "200000元"} <= paraphrase.entities(FLOOD)
    assert {"石桥村", "200000元"} <= paraphrase.entities(FLOOD_LETTER)
    assert "我们村" not in paraphrase.entities("我们村的路没修")
