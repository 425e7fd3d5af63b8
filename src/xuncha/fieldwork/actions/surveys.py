"""Surveys (民主测评 / 问卷调查): drafting from a template, questions, opening and closing, one-time tokens,
responses (online with a token, or paper forms entered by the team), and the tallies the pages, the API
and the export read.

Tokens are 8 characters of a 32-symbol alphabet (40 bits), kept only as an HMAC keyed by the server's
secret (a plain hash of 40 bits could be reversed by trying them all). A token is spent by one conditional
UPDATE of its own row (``used = false`` → ``used = true``): of concurrent submissions exactly one changes
the row, the others find it spent and are refused; the survey's row is locked meanwhile, so a survey
closed concurrently takes no answer.
The response is not linked to its token, and nothing recorded says who answered or when within the day.
"""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..choices import (
    FAVOURABLE,
    FIXED_OPTIONS,
    SELECTION_QUESTIONS,
    SURVEY_LEADER_CATEGORIES,
    Distribution,
    QuestionKind,
    SurveyKind,
    SurveyStatus,
)
from ..models import Answer, Question, Response, Survey, TextAnswer, Token

AUDIT_ACTIONS = {
    "survey.created": "创建测评问卷",
    "survey.updated": "修改测评问卷",
    "survey.question_added": "增加问卷题目",
    "survey.question_updated": "修改问卷题目",
    "survey.question_removed": "删除问卷题目",
    "survey.opened": "开始测评",
    "survey.closed": "结束测评",
    "survey.tokens_issued": "生成测评码",
    "survey.response_received": "收到测评答卷",
    "survey.paper_entered": "录入纸质测评表",
    "survey.texts_read": "查看测评文字意见",
    "survey.exported": "导出测评结果",
}
AUDIT_DETAILS = {
    "kind": "类型",
    "count": "数量",
    "questions": "题目数",
    "position": "序号",
    "paper": "纸质表",
}

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O or 1/I to misread
TOKEN_LENGTH = 8  # 40 bits
MAX_TOKENS = 500
MAX_OPTIONS = 20
TEXT_LIMIT = 2000
# One message for a wrong, a malformed and a spent token: which one it was tells a guesser something.
CODE_REFUSED = "测评码无效或已使用。每个测评码只能提交一次，请核对后重新输入。"
CLOSED = "本次测评未在进行中（尚未开始或已经结束），不能提交。"
UPDATE_FIELDS = ["title", "instructions", "distribution"]
QUESTION_FIELDS = ["kind", "text", "options", "required"]


# Tokens -----------------------------------------------------------------------------------------------


def normalised_token(code: str) -> str | None:
    """The token as issued (spaces, dashes and case ignored), or None when it cannot be one."""
    raw = "".join(ch for ch in str(code).upper() if ch.isalnum())
    if len(raw) != TOKEN_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return raw


def token_digest(raw: str) -> str:
    return salted_hmac("xuncha.fieldwork.survey-token", raw, algorithm="sha256").hexdigest()


def formatted(raw: str) -> str:
    """How a token is printed: two groups of four, easy to read aloud and type."""
    return f"{raw[:4]}-{raw[4:]}"


def find_token(code: str) -> Token | None:
    """The unused token, with its survey, or None (wrong, malformed and spent alike)."""
    raw = normalised_token(code)
    if raw is None:
        return None
    return Token.objects.select_related("survey").filter(digest=token_digest(raw), used=False).first()


def _public_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET.lower()) for _ in range(12))


# Who does what ----------------------------------------------------------------------------------------


def _team(survey_or_inspection: Survey | Inspection) -> dict[str, int | None]:
    inspection = (
        survey_or_inspection.inspection if isinstance(survey_or_inspection, Survey) else survey_or_inspection
    )
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def _leader_or_office(survey: Survey) -> dict[str, int | None]:
    return {
        Role.TEAM_LEADER: survey.inspection.team_id,
        Role.OFFICE: survey.inspection.round.committee_id,
    }


def may_manage(user: User, survey: Survey) -> bool:
    """Whether the user drafts, hands out tokens and enters paper forms (the inspection's team)."""
    return user.scopes.has(Role.TEAM_LEADER, survey.inspection.team_id) or user.scopes.has(
        Role.TEAM_MEMBER, survey.inspection.team_id
    )


def may_open_close(user: User, survey: Survey) -> bool:
    return any(user.scopes.has(role, scope) for role, scope in _leader_or_office(survey).items() if scope)


def may_read_texts(user: User, survey: Survey) -> bool:
    """Free text is read like petitions: the office and the team."""
    return may_manage(user, survey) or user.scopes.has(Role.OFFICE, survey.inspection.round.committee_id)


def _writable(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("巡察已归档，不能再修改测评。")


def _draft(survey: Survey) -> None:
    _writable(survey.inspection)
    if not survey.is_draft:
        raise Refused("测评已开始，题目不能再修改。")


# Drafting ---------------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    return clean_text(title, label="标题", field="title", limit=100)


def _clean_instructions(text: str) -> str:
    return clean_text(
        text, label="填写说明", field="instructions", limit=1000, required=False, multiline=True
    )


def _distribution(value: str) -> str:
    if value not in Distribution.values:
        raise Refused("请选择发放方式。", field="distribution")
    return value


def leaders_of(inspection: Inspection) -> list[Person]:
    """Who a leadership evaluation rates: the unit's principal first, then its leadership members."""
    people = Person.objects.filter(
        unit_id=inspection.unit_id, category__in=SURVEY_LEADER_CATEGORIES, is_active=True
    )
    return sorted(people, key=lambda p: (p.category != SURVEY_LEADER_CATEGORIES[0], p.pk))


def _template(kind: str, inspection: Inspection) -> list[Question]:
    fixed = FIXED_OPTIONS
    if kind == SurveyKind.LEADERSHIP:
        leaders = leaders_of(inspection)
        if not leaders:
            raise Refused("被巡察单位花名册中没有领导班子成员，请先维护花名册。", field="kind")
        rating = list(fixed[QuestionKind.RATING])
        return [
            Question(kind=QuestionKind.RATING, text="对领导班子的总体评价", options=rating),
            *(
                Question(kind=QuestionKind.RATING, text=f"{p.name}（{p.post}）", options=rating, person=p)
                for p in leaders
            ),
            Question(kind=QuestionKind.TEXT, text="对领导班子及其成员的意见和建议", required=False),
        ]
    if kind == SurveyKind.SELECTION:
        satisfaction = list(fixed[QuestionKind.SATISFACTION])
        return [
            *(
                Question(kind=QuestionKind.SATISFACTION, text=t, options=satisfaction)
                for t in SELECTION_QUESTIONS
            ),
            Question(kind=QuestionKind.TEXT, text="对本单位选人用人工作的意见和建议", required=False),
        ]
    return []


@action
def create_survey(
    inspection: Inspection, *, kind: str, title: str, distribution: str = Distribution.CARDS, by: User | None
) -> Survey:
    """A draft survey of the inspection, its questions taken from the template of its kind."""
    role = require(by, _team(inspection), what="创建测评问卷")
    _writable(inspection)
    if kind not in SurveyKind.values:
        raise Refused("请选择测评类型。", field="kind")
    title = _clean_title(title or str(SurveyKind(kind).label))
    survey = Survey(
        inspection=inspection,
        kind=kind,
        title=title,
        distribution=_distribution(distribution),
        public_code=_public_code(),
        created_by=by,
    )
    questions = _template(kind, inspection)
    survey.save()
    for position, question in enumerate(questions, start=1):
        question.survey, question.position = survey, position
        question.save()
    record("survey.created", survey, by=by, role=role, details={"kind": kind, "questions": len(questions)})
    return survey


@action
def update_survey(
    survey: Survey, *, title: str, instructions: str, distribution: str, by: User | None
) -> Survey:
    role = require(by, _team(survey), what="修改测评问卷")
    _draft(survey)
    before = snapshot(survey, UPDATE_FIELDS)
    survey.title = _clean_title(title)
    survey.instructions = _clean_instructions(instructions)
    survey.distribution = _distribution(distribution)
    survey.save()
    record(
        "survey.updated",
        survey,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(survey, UPDATE_FIELDS))},
    )
    return survey


def _options(kind: str, options: Iterable[str]) -> list[str]:
    if kind in FIXED_OPTIONS:
        return list(FIXED_OPTIONS[kind])
    if kind == QuestionKind.TEXT:
        return []
    cleaned = [clean_text(o, label="选项", field="options", limit=100, required=False) for o in options]
    cleaned = [o for o in cleaned if o]
    if len(cleaned) < 2:
        raise Refused("选择题至少需要两个选项（每行一个）。", field="options")
    if len(cleaned) > MAX_OPTIONS:
        raise Refused(f"选项最多 {MAX_OPTIONS} 个。", field="options")
    if len(set(cleaned)) != len(cleaned):
        raise Refused("选项不能重复。", field="options")
    return cleaned


def _filled(question: Question, kind: str, text: str, options: Iterable[str], required: bool) -> Question:
    if kind not in QuestionKind.values:
        raise Refused("请选择题型。", field="kind")
    question.kind = kind
    question.text = clean_text(text, label="题目", field="text", limit=300)
    question.options = _options(kind, options)
    question.required = required
    return question


@action
def add_question(
    survey: Survey,
    *,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    required: bool = True,
    by: User | None,
) -> Question:
    role = require(by, _team(survey), what="修改问卷题目")
    _draft(survey)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
    question = _filled(Question(survey=survey, position=last + 1), kind, text, options, required)
    question.save()
    record("survey.question_added", survey, by=by, role=role, details={"position": question.position})
    return question


@action
def update_question(
    question: Question,
    *,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    required: bool = True,
    by: User | None,
) -> Question:
    """A question changed while the survey is a draft (a leader's question keeps its person)."""
    survey = question.survey
    role = require(by, _team(survey), what="修改问卷题目")
    _draft(survey)
    before = snapshot(question, QUESTION_FIELDS)
    _filled(question, kind, text, options, required).save()
    details = {"position": question.position, "changes": changes(before, snapshot(question, QUESTION_FIELDS))}
    record("survey.question_updated", survey, by=by, role=role, details=details)
    return question


@action
def remove_question(question: Question, *, by: User | None) -> Survey:
    survey = question.survey
    role = require(by, _team(survey), what="修改问卷题目")
    _draft(survey)
    position = question.position
    question.delete()
    for later in survey.questions.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    record("survey.question_removed", survey, by=by, role=role, details={"position": position})
    return survey


# Opening, closing, tokens -----------------------------------------------------------------------------


@action
def open_survey(survey: Survey, *, by: User | None) -> Survey:
    role = require(by, _leader_or_office(survey), what="开始测评")
    _writable(survey.inspection)
    if not survey.is_draft:
        raise Refused("只有草稿状态的测评可以开始。")
    if not survey.questions.exists():
        raise Refused("问卷还没有题目，请先增加题目。")
    survey.status, survey.opened_at = SurveyStatus.OPEN, timezone.now()
    survey.save(update_fields=["status", "opened_at"])
    record("survey.opened", survey, by=by, role=role)
    return survey


@action
def close_survey(survey: Survey, *, by: User | None) -> Survey:
    role = require(by, _leader_or_office(survey), what="结束测评")
    if not survey.is_open:
        raise Refused("只有进行中的测评可以结束。")
    survey.status, survey.closed_at = SurveyStatus.CLOSED, timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    record("survey.closed", survey, by=by, role=role)
    return survey


@action
def issue_tokens(survey: Survey, *, count: int, by: User | None) -> list[str]:
    """``count`` new tokens, returned formatted for the sheet; only their keyed hashes are stored."""
    role = require(by, _team(survey), what="生成测评码")
    _writable(survey.inspection)
    if survey.status == SurveyStatus.CLOSED:
        raise Refused("测评已结束，不能再生成测评码。")
    if not 1 <= count <= MAX_TOKENS:
        raise Refused(f"一次可生成 1 至 {MAX_TOKENS} 个测评码。", field="count")
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(TOKEN_LENGTH)))
    # A clash with an earlier token (about one in 2**40 per pair) fails the unique index and the action.
    Token.objects.bulk_create(Token(survey=survey, digest=token_digest(code)) for code in codes)
    record("survey.tokens_issued", survey, by=by, role=role, details={"count": count})
    return sorted(formatted(code) for code in codes)


# Responses --------------------------------------------------------------------------------------------


def _answer_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def checked_answers(
    survey: Survey, answers: Mapping[str, Any]
) -> tuple[list[tuple[Question, str]], list[tuple[Question, str]]]:
    """The chosen options and free texts of a response, each checked against its question; a Refused
    names the first question at fault (field ``q<id>``)."""
    questions = list(survey.questions.order_by("position"))
    known = {str(q.pk) for q in questions}
    if any(str(key) not in known for key in answers):
        raise Refused("答卷中有不属于本问卷的题目，请刷新页面后重新填写。", field="answers")
    chosen: list[tuple[Question, str]] = []
    texts: list[tuple[Question, str]] = []
    for q in questions:
        name, value = f"q{q.pk}", answers.get(str(q.pk))
        label = f"第 {q.position} 题"
        if q.is_text:
            text = clean_text(
                value if isinstance(value, str) else "",
                label=f"{label}的意见",
                field=name,
                limit=TEXT_LIMIT,
                required=q.required,
                multiline=True,
            )
            if text:
                texts.append((q, text))
            continue
        picked = _answer_list(value)
        if not picked:
            if q.required:
                raise Refused(f"请回答{label}。", field=name)
            continue
        if any(p not in q.options for p in picked) or len(set(picked)) != len(picked):
            raise Refused(f"{label}的选项无效。", field=name)
        if q.kind != QuestionKind.MULTIPLE and len(picked) > 1:
            raise Refused(f"{label}只能选择一项。", field=name)
        chosen.extend((q, p) for p in picked)
    return chosen, texts


def _store(survey: Survey, answers: Mapping[str, Any], *, paper: bool) -> Response:
    chosen, texts = checked_answers(survey, answers)
    response = Response(survey=survey, submitted_on=timezone.localdate(), paper=paper)
    response.save()
    Answer.objects.bulk_create(Answer(response=response, question=q, option=o) for q, o in chosen)
    for question, text in texts:
        TextAnswer(question=question, text=text).save()
    return response


@action
def respond(*, token: str, answers: Mapping[str, Any]) -> Survey:
    """A response with a one-time token (the public pages and API). Refused alike for a wrong or spent
    token; the answers are checked before the token is spent, so a refused answer leaves it usable."""
    found = find_token(token)
    if found is None:
        raise Refused(CODE_REFUSED, field="token")
    # The survey row locked: a close committed meanwhile is seen, and one waiting runs after this answer.
    survey = Survey.objects.select_for_update().get(pk=found.survey_id)
    if not survey.is_open:
        raise Refused(CLOSED, field="token")
    checked_answers(survey, answers)
    # The one step that decides: of submissions racing with the same token, exactly one updates the row.
    # The condition is on the token's own row (no join: PostgreSQL re-checks it on the row as committed
    # by a concurrent winner, which it would not do for a join's subquery).
    if Token.objects.filter(pk=found.pk, used=False).update(used=True) != 1:
        raise Refused(CODE_REFUSED, field="token")
    _store(survey, answers, paper=False)
    record("survey.response_received", survey, by=None, role="public", details={"paper": False})
    return survey


@action
def enter_paper_response(survey: Survey, *, answers: Mapping[str, Any], by: User | None) -> Survey:
    """A paper form typed in by the team, while the survey is open; no token is spent."""
    role = require(by, _team(survey), what="录入纸质测评表")
    survey = Survey.objects.select_for_update().select_related("inspection__round").get(pk=survey.pk)
    if not survey.is_open:
        raise Refused(CLOSED)
    _store(survey, answers, paper=True)
    record("survey.paper_entered", survey, by=by, role=role, details={"paper": True})
    return survey


# Tallies ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionTally:
    option: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionTally:
    question: Question
    answered: int
    options: list[OptionTally]
    favourable: float | None  # 好+较好 (满意+基本满意) share of those who answered; None for other kinds
    texts: int  # how many free-text answers, never what they say


@dataclass(frozen=True)
class SurveyTally:
    responses: int
    paper: int
    questions: list[QuestionTally] = field(default_factory=list)

    @property
    def leaders(self) -> list[QuestionTally]:
        return [t for t in self.questions if t.question.kind == QuestionKind.RATING]


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def tally(survey: Survey) -> SurveyTally:
    """Counts and percentages per question and option, in four queries whatever the number of responses."""
    questions = list(survey.questions.select_related("person").order_by("position"))
    counts = dict.fromkeys(((q.pk, o) for q in questions for o in q.options), 0)
    answers = Answer.objects.filter(question__survey=survey)
    for row in answers.values("question_id", "option").annotate(n=Count("pk")):
        counts[(row["question_id"], row["option"])] = row["n"]
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    texts = dict(
        TextAnswer.objects.filter(question__survey=survey)
        .values("question_id")
        .annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )
    responses = survey.responses.aggregate(all=Count("pk"), paper=Count("pk", filter=Q(paper=True)))
    result = []
    for q in questions:
        total = answered.get(q.pk, 0)
        options = [OptionTally(o, counts[(q.pk, o)], _percent(counts[(q.pk, o)], total)) for o in q.options]
        good = FAVOURABLE.get(q.kind)
        favourable = _percent(sum(counts[(q.pk, o)] for o in good), total) if good else None
        result.append(QuestionTally(q, total, options, favourable, texts.get(q.pk, 0)))
    return SurveyTally(responses["all"], responses["paper"], result)


def chart_data(result: SurveyTally) -> list[dict[str, Any]]:
    """What the charts draw (fed to the page with json_script): one bar chart per choice question."""
    return [
        {
            "id": t.question.pk,
            "title": f"{t.question.position}. {t.question.text}",
            "options": [o.option for o in t.options],
            "counts": [o.count for o in t.options],
        }
        for t in result.questions
        if not t.question.is_text
    ]
