"""Surveys (民主测评 / 问卷调查): templates, drafting, one-time tokens (hashed, once each, also under
concurrent use), the public pages, paper entry, tallies, charts and the export, confidentiality of free
text, and who sees what (the liaison and another team get 404)."""

import io
import re
import threading
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from xuncha.conftest import _user, build_world, login_verified
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, RoleAssignment
from xuncha.core.pagination import EMPTY_PAGE
from xuncha.core.permissions import NotAllowed
from xuncha.fieldwork.actions import surveys as actions
from xuncha.fieldwork.choices import QuestionKind, SurveyKind, SurveyStatus
from xuncha.fieldwork.models import Answer, Question, Response, Survey, TextAnswer, Token
from xuncha.fieldwork.views import public
from xuncha.fieldwork.views import surveys as surveys_views
from xuncha.fieldwork.views.surveys import section
from xuncha.orgs.models import Person
from xuncha.taxonomy import defaults

pytestmark = pytest.mark.django_db

CANARY = "<script>alert('欧阳金丝雀')</script>"


def leadership(world: SimpleNamespace, tokens: int = 0, *, open_it: bool = True) -> tuple[Survey, list[str]]:
    member = world.users["t1_member"]
    survey = actions.create_survey(world.inspection1, kind=SurveyKind.LEADERSHIP, title="", by=member)
    if open_it:
        actions.open_survey(survey, by=world.users["t1_leader"])
    codes = actions.issue_tokens(survey, count=tokens, by=member) if tokens else []
    return survey, codes


def questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position"))


def form_data(survey: Survey, choices: list[str], text: str = "") -> dict[str, object]:
    """One answer per rating question in ``choices`` order, and the free text."""
    data: dict[str, object] = {}
    ratings = [q for q in questions(survey) if not q.is_text]
    for q, choice in zip(ratings, choices, strict=True):
        data[f"q{q.pk}"] = choice
    for q in questions(survey):
        if q.is_text:
            data[f"q{q.pk}"] = text
    return data


def answer_online(client: Client, token: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    page = client.post("/survey/", {"token": token})
    assert page.status_code == 200
    return client.post("/survey/answer/", {"token": token, **data})


# Templates and drafting -----------------------------------------------------------------------------------


def test_leadership_template_rates_the_leadership_and_each_leader_of_the_roster(world):
    survey, _ = leadership(world, open_it=False)
    qs = questions(survey)
    assert [q.text for q in qs] == [
        "对领导班子的总体评价",
        "张建国（党组书记、局长）",
        "李文华（副局长）",
        "对领导班子及其成员的意见和建议",
    ]
    assert [q.person for q in qs] == [None, world.principal1, world.deputy1, None]
    assert qs[1].options == ["好", "较好", "一般", "差"] and qs[-1].kind == QuestionKind.TEXT
    assert survey.status == SurveyStatus.DRAFT and survey.title == "领导班子和领导干部民主测评"


def test_selection_template_and_a_custom_questionnaire(world):
    member = world.users["t1_member"]
    selection = actions.create_survey(
        world.inspection1, kind=SurveyKind.SELECTION, title="选人用人", by=member
    )
    assert {q.options[0] for q in questions(selection) if not q.is_text} == {"满意"}
    custom = actions.create_survey(world.inspection1, kind=SurveyKind.CUSTOM, title="作风问卷", by=member)
    assert not questions(custom)
    actions.add_question(custom, kind=QuestionKind.SINGLE, text="是否参加过", options=["是", "否"], by=member)
    actions.add_question(
        custom, kind=QuestionKind.MULTIPLE, text="突出问题", options=["形式主义", "官僚主义", " "], by=member
    )
    q3 = actions.add_question(custom, kind=QuestionKind.TEXT, text="其他", required=False, by=member)
    assert [q.position for q in questions(custom)] == [1, 2, 3]
    assert questions(custom)[1].options == ["形式主义", "官僚主义"]
    actions.remove_question(questions(custom)[0], by=member)
    assert [q.text for q in questions(custom)] == ["突出问题", "其他"]
    q3.refresh_from_db()
    assert q3.position == 2


@pytest.mark.parametrize(
    ("kind", "text", "options", "field", "message"),
    [
        (QuestionKind.SINGLE, "题目", ["一个"], "options", "至少需要两个选项"),
        (QuestionKind.SINGLE, "题目", ["同", "同"], "options", "不能重复"),
        (QuestionKind.SINGLE, "题目", [str(i) for i in range(21)], "options", "最多 20 个"),
        (QuestionKind.SINGLE, "\u200b ", ["甲", "乙"], "text", "请填写题目"),
        (QuestionKind.SINGLE, "长" * 301, ["甲", "乙"], "text", "过长"),
        ("essay", "题目", [], "kind", "请选择题型"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(world, kind, text, options, field, message):
    member = world.users["t1_member"]
    survey = actions.create_survey(world.inspection1, kind=SurveyKind.CUSTOM, title="问卷", by=member)
    with pytest.raises(Refused) as refused:
        actions.add_question(survey, kind=kind, text=text, options=options, by=member)
    assert refused.value.field == field and message in refused.value.message
    assert not survey.questions.exists()


def test_an_open_survey_keeps_its_questions_and_only_the_team_drafts(world):
    survey, _ = leadership(world)
    member = world.users["t1_member"]
    with pytest.raises(Refused, match="题目不能再修改"):
        actions.add_question(survey, kind=QuestionKind.TEXT, text="补充", by=member)
    with pytest.raises(Refused, match="题目不能再修改"):
        actions.remove_question(questions(survey)[0], by=member)
    with pytest.raises(NotAllowed):
        actions.create_survey(
            world.inspection1, kind=SurveyKind.CUSTOM, title="x", by=world.users["t2_member"]
        )
    with pytest.raises(NotAllowed):
        actions.open_survey(survey, by=world.users["t1_member"])  # the leader or the office opens and closes


def test_a_leadership_evaluation_needs_leaders_on_the_roster(world):
    Person.objects.filter(unit=world.unit2).update(is_active=False)  # unit2's only leader has left
    with pytest.raises(Refused, match="没有领导班子成员") as refused:
        actions.create_survey(
            world.inspection2, kind=SurveyKind.LEADERSHIP, title="", by=world.users["t2_member"]
        )
    assert refused.value.field == "kind"
    assert not Survey.objects.exists()


def test_a_draft_question_is_changed_on_its_page_and_an_open_one_is_not(world, client_for):
    member = world.users["t1_member"]
    survey = actions.create_survey(world.inspection1, kind=SurveyKind.CUSTOM, title="问卷", by=member)
    question = actions.add_question(
        survey, kind=QuestionKind.SINGLE, text="是否", options=["是", "否"], by=member
    )
    client = client_for("t1_member")
    url = f"/fieldwork/surveys/{survey.pk}/questions/{question.pk}/"
    assert "是\n否" in client.get(url).content.decode()
    bad = client.post(url, {"kind": "multiple", "text": CANARY, "options": "甲"})
    assert "至少需要两个选项" in bad.content.decode() and "&lt;script&gt;" in bad.content.decode()
    question.refresh_from_db()
    assert (question.kind, question.options) == ("single", ["是", "否"])
    saved = client.post(
        url, {"kind": "multiple", "text": "哪些", "options": "甲\r\n乙\r\n丙", "required": "on"}
    )
    assert saved.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.text, question.options) == ("multiple", "哪些", ["甲", "乙", "丙"])
    event = AuditEvent.objects.get(action="survey.question_updated")
    assert event.details["changes"]["kind"] == ["single", "multiple"]
    assert client_for("office").get(url).status_code == 403
    assert client_for("t2_member").get(url).status_code == 404
    actions.open_survey(survey, by=world.users["t1_leader"])
    assert "题目不能再修改" in client.post(url, {"kind": "text", "text": "改"}).content.decode()


def test_a_draft_question_is_deleted_after_a_confirmation_naming_it(world, client_for):
    member = world.users["t1_member"]
    survey = actions.create_survey(world.inspection1, kind=SurveyKind.CUSTOM, title="问卷", by=member)
    question = actions.add_question(survey, kind=QuestionKind.TEXT, text="有何意见建议", by=member)
    client = client_for("t1_member")
    url = f"/fieldwork/surveys/{survey.pk}/questions/{question.pk}/delete/"
    assert "确认删除第 1 题“有何意见建议”" in client.get(url).content.decode()
    assert Question.objects.filter(pk=question.pk).exists()  # the page changed nothing
    done = client.post(url, follow=True)
    assert "题目已删除。" in done.content.decode()
    assert not Question.objects.filter(pk=question.pk).exists()


# Tokens ---------------------------------------------------------------------------------------------------


def test_tokens_are_short_have_40_bits_and_are_stored_only_as_keyed_hashes(world):
    survey, codes = leadership(world, tokens=30)
    assert len(codes) == len(set(codes)) == 30
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", c) for c in codes)
    assert len(actions.CODE_ALPHABET) ** actions.TOKEN_LENGTH >= 2**40
    digests = set(Token.objects.filter(survey=survey).values_list("digest", flat=True))
    assert len(digests) == 30
    for code in codes:
        raw = code.replace("-", "")
        assert all(raw not in d and raw.lower() not in d for d in digests)
    # Typed loosely: lower case, spaces instead of the dash.
    assert actions.find_token(codes[0].lower().replace("-", " ")) is not None
    issued = AuditEvent.objects.get(action="survey.tokens_issued")
    assert issued.details == {"count": 30} and codes[0] not in str(issued.details)
    with pytest.raises(Refused) as refused:
        actions.issue_tokens(survey, count=501, by=world.users["t1_member"])
    assert refused.value.field == "count"


def test_the_token_sheet_shows_each_code_once_with_a_qr_code_carrying_it_in_the_fragment(world, client_for):
    survey, _ = leadership(world)
    client = client_for("t1_member")
    sheet = client.post(f"/fieldwork/surveys/{survey.pk}/tokens/", {"count": "3"})
    html = sheet.content.decode()
    assert sheet.status_code == 200 and "no-store" in sheet["Cache-Control"]
    codes = re.findall(r"font-monospace fw-bold\">([A-Z0-9-]{9})<", html)
    assert len(codes) == 3 and html.count("<svg") == 3
    assert "?token" not in html
    # The token is never shown again.
    again = client.get(f"/fieldwork/surveys/{survey.pk}/tokens/").content.decode()
    assert not any(code in again for code in codes) and "已生成 3 个" in again


def test_qr_codes_carry_the_token_in_the_fragment_and_the_open_link_has_one_code(
    world, client_for, monkeypatch
):
    encoded: list[str] = []
    real = surveys_views._qr
    monkeypatch.setattr(surveys_views, "_qr", lambda url: encoded.append(url) or real(url))
    survey, _ = leadership(world, open_it=False)
    client = client_for("t1_member")
    html = client.post(f"/fieldwork/surveys/{survey.pk}/tokens/", {"count": "2"}).content.decode()
    codes = re.findall(r"font-monospace fw-bold\">([A-Z0-9-]{9})<", html)
    assert sorted(encoded) == sorted(f"http://testserver/survey/#{code}" for code in codes)
    actions.update_survey(
        survey, title=survey.title, instructions="", distribution="link", by=world.users["t1_member"]
    )
    encoded.clear()
    html = client.post(f"/fieldwork/surveys/{survey.pk}/tokens/", {"count": "2"}).content.decode()
    assert encoded == [f"http://testserver/survey/{survey.public_code}/"] and html.count("<svg") == 1


# The done criterion ---------------------------------------------------------------------------------------


def test_30_tokens_give_30_responses_the_31st_use_is_refused_and_tallies_chart_and_export_match(
    world, client_for
):
    survey, codes = leadership(world, tokens=30)
    public_client = Client()
    pattern = ["好", "较好", "一般", "差", "好", "好"]  # cycled per response over the three rating questions
    expected: dict[int, dict[str, int]] = {}
    ratings = [q for q in questions(survey) if not q.is_text]
    for n, code in enumerate(codes):
        picks = [pattern[(n + i) % len(pattern)] for i in range(len(ratings))]
        for q, pick in zip(ratings, picks, strict=True):
            expected.setdefault(q.pk, dict.fromkeys(q.options, 0))[pick] += 1
        thanks = answer_online(
            public_client, code, form_data(survey, picks, text=f"意见{n}" if n < 3 else "")
        )
        assert "提交成功" in thanks.content.decode(), thanks.content.decode()[:3000]
    assert Response.objects.filter(survey=survey).count() == 30
    assert Token.objects.filter(survey=survey, used=True).count() == 30

    # The 31st use: a token already used, at the token form and at the answer form alike.
    again = public_client.post("/survey/", {"token": codes[0]})
    assert actions.CODE_REFUSED in again.content.decode()
    late = public_client.post("/survey/answer/", {"token": codes[0], **form_data(survey, ["好"] * 3)})
    assert actions.CODE_REFUSED in late.content.decode()
    with pytest.raises(Refused, match="已使用"):
        actions.respond(token=codes[0], answers={})
    assert Response.objects.filter(survey=survey).count() == 30

    result = actions.tally(survey)
    assert result.responses == 30 and result.paper == 0
    for t in result.leaders:
        counts = {o.option: o.count for o in t.options}
        assert counts == expected[t.question.pk] and t.answered == 30
        good = counts["好"] + counts["较好"]
        assert t.favourable == round(100 * good / 30, 1)
        assert [o.percent for o in t.options] == [round(100 * c / 30, 1) for c in counts.values()]
    assert result.questions[-1].texts == 3

    client = client_for("t1_member")
    page = client.get(f"/fieldwork/surveys/{survey.pk}/results/")
    html = page.content.decode()
    charts = page.context["charts"]
    assert [c["counts"] for c in charts] == [list(expected[q.pk].values()) for q in ratings]
    assert 'id="survey-charts"' in html and "surveys_charts.js" in html and "意见0" not in html

    export = client.get(f"/fieldwork/surveys/{survey.pk}/export/")
    assert export.status_code == 200 and export["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert "导出人：t1_member" in book["各题统计"]["A1"].value
    rows = list(book["各题统计"].iter_rows(min_row=4, values_only=True))
    for q in ratings:
        exported = {r[2]: r[3] for r in rows if r[0] == q.position}
        assert exported == expected[q.pk]
    assert not any("意见0" in str(cell) for row in rows for cell in row)
    leaders = list(book["领导班子测评"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in leaders] == [q.text for q in ratings]
    for row, q in zip(leaders, ratings, strict=True):
        assert list(row[1:5]) == list(expected[q.pk].values()) and row[5] == 30
    event = AuditEvent.objects.get(action="survey.exported")
    assert event.actor == world.users["t1_member"] and event.details == {"count": 30}


# Concurrency ----------------------------------------------------------------------------------------------


def test_a_token_read_as_unused_by_two_submissions_is_spent_by_one_only(world, monkeypatch):
    """The race without threads, on any database: both submissions found the token unused before either
    spent it; the conditional UPDATE lets only the first through."""
    survey, (code,) = leadership(world, tokens=1)
    stale = actions.find_token(code)
    answers = {str(q.pk): "好" for q in questions(survey) if not q.is_text}
    actions.respond(token=code, answers=answers)
    monkeypatch.setattr(actions, "find_token", lambda _code: stale)
    with pytest.raises(Refused, match="已使用"):
        actions.respond(token=code, answers=answers)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_token_give_exactly_one_response():
    world = build_world()
    survey, (code,) = leadership(world, tokens=1)
    answers = {str(q.pk): "较好" for q in questions(survey) if not q.is_text}
    outcomes: list[str] = []
    start = threading.Barrier(6)

    def submit() -> None:
        try:
            start.wait()
            actions.respond(token=code, answers=answers)
            outcomes.append("ok")
        except Refused as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + [actions.CODE_REFUSED] * 5
    assert Response.objects.filter(survey=survey).count() == 1
    assert AuditEvent.objects.filter(action="survey.response_received").count() == 1


# The public pages -----------------------------------------------------------------------------------------


def test_wrong_malformed_and_used_tokens_get_one_message_and_a_closed_survey_says_so(world):
    survey, codes = leadership(world, tokens=2)
    client = Client()
    messages = {
        client.post("/survey/", {"token": token}).content.decode().count(actions.CODE_REFUSED)
        for token in ("ABCD-EFGH", "短", "", "0" * 200)
    }
    assert messages == {1}
    actions.close_survey(survey, by=world.users["t1_leader"])
    closed = client.post("/survey/", {"token": codes[0]}).content.decode()
    assert actions.CLOSED in closed
    link = client.get(f"/survey/{survey.public_code}/").content.decode()
    assert actions.CLOSED in link and 'name="token"' not in link
    with pytest.raises(Refused, match="未在进行中"):
        actions.respond(token=codes[1], answers={})
    assert client.get("/survey/nosuchcode/").status_code == 404


def test_the_open_link_takes_tokens_of_its_own_survey_only(world):
    survey, (code,) = leadership(world, tokens=1)
    other = actions.create_survey(
        world.inspection1, kind=SurveyKind.SELECTION, title="选人用人", by=world.users["t1_member"]
    )
    client = Client()
    page = client.get(f"/survey/{survey.public_code}/").content.decode()
    assert survey.title in page and 'name="token"' in page and code not in page
    assert (
        actions.CODE_REFUSED
        in client.post("/survey/", {"token": code, "survey": other.public_code}).content.decode()
    )
    ok = client.post("/survey/", {"token": code, "survey": survey.public_code}).content.decode()
    assert "提交" in ok and f'value="{code}"' in ok


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "请回答第 2 题"),
        ("bad option", "选项无效"),
        ("long text", "过长"),
    ],
)
def test_bad_answers_are_shown_on_the_question_and_leave_the_token_unspent(world, change, message):
    survey, (code,) = leadership(world, tokens=1)
    data = form_data(survey, ["好", "好", "好"])
    qs = questions(survey)
    if change == "missing":
        data.pop(f"q{qs[1].pk}")
    elif change == "bad option":
        data[f"q{qs[2].pk}"] = "优秀"
    else:
        data[f"q{qs[3].pk}"] = "字" * 2001
    page = answer_online(Client(), code, data)
    html = page.content.decode()
    assert message in html or "选择一个有效的选项" in html
    assert not Response.objects.exists() and not TextAnswer.objects.exists()
    assert actions.find_token(code) is not None


def test_answers_to_other_questions_or_two_choices_on_a_single_question_are_refused(world):
    survey, (code,) = leadership(world, tokens=1)
    qs = questions(survey)
    good = {str(q.pk): "好" for q in qs if not q.is_text}
    with pytest.raises(Refused) as refused:
        actions.respond(token=code, answers=good | {"999999": "好"})
    assert refused.value.field == "answers"
    with pytest.raises(Refused, match="只能选择一项"):
        actions.respond(token=code, answers=good | {str(qs[0].pk): ["好", "差"]})
    assert actions.find_token(code) is not None


def test_a_response_keeps_no_one_and_its_free_text_is_encrypted_and_read_only_on_its_page(world, client_for):
    survey, (code,) = leadership(world, tokens=1)
    answer_online(Client(), code, form_data(survey, ["好", "较好", "一般"], text=CANARY))
    response = Response.objects.get(survey=survey)
    fields = {f.name for f in Response._meta.concrete_fields}
    assert fields == {"id", "survey", "submitted_on", "paper"}
    assert {f.name for f in Token._meta.concrete_fields} == {"id", "survey", "digest", "used"}
    assert not response.paper
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM fieldwork_textanswer")
        (stored,) = cursor.fetchone()
    assert stored.startswith("x1:") and "金丝雀" not in stored
    received = AuditEvent.objects.get(action="survey.response_received")
    assert (
        received.actor is None and code not in str(received.details) and received.object_id == str(survey.pk)
    )

    # Not in the results page or the list; on the texts page, escaped, and the read audited.
    member = client_for("t1_member")
    assert "金丝雀" not in member.get(f"/fieldwork/surveys/{survey.pk}/results/").content.decode()
    assert (
        "金丝雀" not in member.get(f"/fieldwork/surveys/inspections/{world.inspection1.pk}/").content.decode()
    )
    texts = member.get(f"/fieldwork/surveys/{survey.pk}/texts/")
    html = texts.content.decode()
    assert "&lt;script&gt;alert(" in html and CANARY not in html
    read = AuditEvent.objects.get(action="survey.texts_read")
    assert read.actor == world.users["t1_member"] and read.details == {"count": 1}
    assert client_for("office").get(f"/fieldwork/surveys/{survey.pk}/texts/").status_code == 200
    assert client_for("leader").get(f"/fieldwork/surveys/{survey.pk}/texts/").status_code == 403
    assert client_for("leader").get(f"/fieldwork/surveys/{survey.pk}/results/").status_code == 200
    assert client_for("t2_member").get(f"/fieldwork/surveys/{survey.pk}/texts/").status_code == 404
    assert client_for("liaison1").get(f"/fieldwork/surveys/{survey.pk}/texts/").status_code == 404


def test_paper_forms_are_entered_by_the_team_and_marked(world, client_for):
    survey, _ = leadership(world)
    client = client_for("t1_member")
    page = client.post(f"/fieldwork/surveys/{survey.pk}/paper/", form_data(survey, ["好", "差", "好"]))
    assert page.status_code == 302
    response = Response.objects.get(survey=survey)
    assert response.paper
    assert actions.tally(survey).paper == 1
    empty = client.post(f"/fieldwork/surveys/{survey.pk}/paper/", {})
    assert empty.status_code == 200 and "请回答第 1 题" in empty.content.decode()
    assert client_for("leader").post(f"/fieldwork/surveys/{survey.pk}/paper/", {}).status_code == 403
    actions.close_survey(survey, by=world.users["office"])
    with pytest.raises(Refused, match="未在进行中"):
        actions.enter_paper_response(survey, answers={}, by=world.users["t1_member"])


# Who sees surveys -----------------------------------------------------------------------------------------


def test_the_liaison_another_team_and_another_units_liaison_get_404(world, client_for):
    survey, _ = leadership(world)
    liaison2 = _user("liaison2", "另一单位联络人")
    RoleAssignment.objects.create(
        user=liaison2, role=Role.UNIT_LIAISON, scope_type="unit", scope_id=world.unit2.pk
    )
    paths = [
        f"/fieldwork/surveys/inspections/{world.inspection1.pk}/",
        f"/fieldwork/surveys/{survey.pk}/",
        f"/fieldwork/surveys/{survey.pk}/results/",
        f"/fieldwork/surveys/{survey.pk}/export/",
        f"/api/v1/surveys/{survey.pk}",
    ]
    for persona in ("liaison1", "t2_member"):
        for path in paths:
            assert client_for(persona).get(path).status_code == 404, (persona, path)
    other = login_verified(Client(), liaison2)
    assert all(other.get(path).status_code == 404 for path in paths[1:])
    assert client_for("liaison1").get("/api/v1/surveys/").json() == EMPTY_PAGE


def test_section_counts_in_three_queries_and_is_empty_for_the_liaison(world, rf, django_assert_num_queries):
    survey, (code, _) = leadership(world, tokens=2)
    actions.respond(token=code, answers={str(q.pk): "好" for q in questions(survey) if not q.is_text})
    request = rf.get("/")
    request.user = world.users["t1_member"]
    with django_assert_num_queries(3):
        html = section(request, world.inspection1)
    assert "进行中 1" in html and "答卷 1 份" in html and "测评码 2 个，已使用 1 个" in html
    request.user = world.users["liaison1"]
    assert section(request, world.inspection1) == ""


# API ------------------------------------------------------------------------------------------------------


def test_api_creates_opens_issues_tokens_and_takes_public_responses(world, client_for):
    client = client_for("t1_leader")
    created = client.post(
        "/api/v1/surveys/",
        {"inspection": world.inspection1.pk, "kind": "leadership"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/surveys/{pk}/open").json()["status"] == "open"
    issued = client.post(f"/api/v1/surveys/{pk}/tokens", {"count": 2}, content_type="application/json")
    assert issued.status_code == 201
    codes = issued.json()["codes"]
    anonymous = Client()
    form = anonymous.post("/api/v1/public/surveys/form", {"token": codes[0]}, content_type="application/json")
    assert form.status_code == 200
    qs = form.json()["questions"]
    answers = {str(q["id"]): "好" for q in qs if q["kind"] != "text"} | {str(qs[-1]["id"]): "很好"}
    body = {"token": codes[0], "answers": answers}
    ok = anonymous.post("/api/v1/public/surveys/respond", body, content_type="application/json")
    assert ok.status_code == 201
    used = anonymous.post("/api/v1/public/surveys/respond", body, content_type="application/json")
    assert used.status_code == 422 and used.json()["detail"][0]["field"] == "token"
    bad = anonymous.post(
        "/api/v1/public/surveys/respond",
        {"token": codes[1], "answers": {str(qs[0]["id"]): "优秀"}},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == f"q{qs[0]['id']}"
    detail = client.get(f"/api/v1/surveys/{pk}").json()
    assert detail["responses"] == 1 and detail["tokens_used"] == 1 and detail["tokens_issued"] == 2
    first = detail["questions"][0]
    assert (
        first["counts"][0] == {"option": "好", "count": 1, "percent": 100.0}
        and first["favourable_percent"] == 100.0
    )
    assert detail["questions"][-1]["text_answers"] == 1 and "很好" not in str(detail)
    listed = client.get(f"/api/v1/surveys/?inspection={world.inspection1.pk}&status=open").json()
    assert listed["count"] == 1
    assert client.post(f"/api/v1/surveys/{pk}/close").json()["status"] == "closed"
    closed = anonymous.post(
        "/api/v1/public/surveys/form", {"token": codes[1]}, content_type="application/json"
    )
    assert closed.status_code == 422 and closed.json()["detail"][0]["message"] == actions.CLOSED


def test_public_posts_are_throttled_without_keeping_the_address(world, settings):
    settings.XUNCHA_PORTAL_LIMITS = {**settings.XUNCHA_PORTAL_LIMITS, "survey": 2}
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.post("/survey/", {"token": "x"}).status_code == 200
    assert client.post("/survey/", {"token": "x"}).status_code == 200
    third = client.post("/survey/", {"token": "x"})
    assert third.status_code == 429 and public.THROTTLED in third.content.decode() and third["Retry-After"]
    api = client.post(
        "/api/v1/public/surveys/respond", {"token": "x", "answers": {}}, content_type="application/json"
    )
    assert api.status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.10").post("/survey/", {"token": "x"}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM intake_throttle_cache")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert "203.0.113" not in keys and "survey." in keys


# The demo -------------------------------------------------------------------------------------------------


def test_the_demo_shows_a_closed_evaluation_an_open_survey_and_a_draft():
    defaults.install()  # what the taxonomy's migration loads (the tests run without migrations)
    call_command("demo-data", stdout=io.StringIO())
    evaluation, selection, style = Survey.objects.order_by("pk")
    assert (evaluation.status, selection.status, style.status) == ("closed", "open", "draft")
    result = actions.tally(evaluation)
    assert (result.responses, result.paper) == (30, 3)
    assert all(t.answered == 30 for t in result.leaders) and len(result.leaders) >= 3
    assert actions.tally(selection).responses == 12
    assert Token.objects.filter(survey=selection, used=False).count() == 8
    assert TextAnswer.objects.filter(question__survey=evaluation).count() == 4
