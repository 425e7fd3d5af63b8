"""Surveys in the demo: the first team's inspection of this year's round held its leadership evaluation at
the mobilisation meeting (30 tokens, 27 answered online, 3 paper forms, closed), has its 选人用人
satisfaction survey open (20 tokens, 12 answered), and drafts a questionnaire on work style.

Through the actions, as the people would; the answers are drawn from a seeded generator, so every demo
shows the same tallies.
"""

import random
from typing import TYPE_CHECKING, Any

from xuncha.fieldwork.actions import surveys
from xuncha.fieldwork.choices import QuestionKind, SurveyKind
from xuncha.fieldwork.models import Survey

if TYPE_CHECKING:
    from ..build import World

# How the meeting room tends to answer: mostly favourable, some reserve, a few unfavourable.
RATING_WEIGHTS = (55, 30, 12, 3)
SATISFACTION_WEIGHTS = (50, 32, 8, 10)
COMMENTS = (
    "希望班子进一步加强团结，重大事项多听取基层意见。",
    "个别领导干部深入基层不够，调研走过场。",
    "建议公开干部选拔的程序和结果，接受职工监督。",
    "财务报销审核较慢，希望优化流程。",
)


def _answers(survey: Survey, rng: random.Random, comment: str = "") -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in survey.questions.order_by("position"):
        if q.kind == QuestionKind.TEXT:
            answers[str(q.pk)] = comment
        else:
            weights = RATING_WEIGHTS if q.kind == QuestionKind.RATING else SATISFACTION_WEIGHTS
            answers[str(q.pk)] = rng.choices(q.options, weights=weights)[0]
    return answers


def _answer_online(survey: Survey, codes: list[str], rng: random.Random) -> None:
    for n, code in enumerate(codes):
        comment = COMMENTS[n // 7] if n % 7 == 0 and n // 7 < len(COMMENTS) else ""
        surveys.respond(token=code, answers=_answers(survey, rng, comment))


def build(w: "World") -> None:
    member, leader = w.users["t1_member"], w.users["t1_leader"]
    inspection = w.inspections["2:第一巡察组"]
    rng = random.Random(2026)  # noqa: S311 - the same demo answers every time, not a secret

    evaluation = surveys.create_survey(
        inspection,
        kind=SurveyKind.LEADERSHIP,
        title=f"{inspection.unit.name}领导班子和领导干部民主测评",
        by=member,
    )
    surveys.update_survey(
        evaluation,
        title=evaluation.title,
        instructions="请在动员会现场独立填写，每人一码，匿名提交。对每位领导干部选择“好、较好、一般、差”之一。",
        distribution=evaluation.distribution,
        by=member,
    )
    surveys.open_survey(evaluation, by=leader)
    codes = surveys.issue_tokens(evaluation, count=30, by=member)
    _answer_online(evaluation, codes[:27], rng)
    for _ in range(3):
        surveys.enter_paper_response(evaluation, answers=_answers(evaluation, rng), by=member)
    surveys.close_survey(evaluation, by=leader)

    selection = surveys.create_survey(inspection, kind=SurveyKind.SELECTION, title="", by=member)
    surveys.open_survey(selection, by=leader)
    _answer_online(selection, surveys.issue_tokens(selection, count=20, by=member)[:12], rng)

    style = surveys.create_survey(inspection, kind=SurveyKind.CUSTOM, title="作风建设问卷调查", by=member)
    surveys.add_question(
        style,
        kind=QuestionKind.SINGLE,
        text="您认为本单位“四风”问题整治成效如何？",
        options=["明显", "有所改进", "变化不大", "不了解"],
        by=member,
    )
    surveys.add_question(
        style,
        kind=QuestionKind.MULTIPLE,
        text="您认为本单位当前较突出的作风问题有哪些？（可多选）",
        options=["文山会海", "督查检查考核过多", "调查研究走过场", "服务群众不主动", "违规吃喝"],
        by=member,
    )
    surveys.add_question(style, kind=QuestionKind.TEXT, text="其他意见和建议", required=False, by=member)
