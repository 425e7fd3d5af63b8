"""Surveys (民主测评 / 问卷调查): a survey of one inspection, its questions, the one-time tokens that let
people answer it, and the anonymous responses.

Anonymity is structural: a ``Token`` knows only whether it was used, never by which response; a ``Response``
keeps no user, no address and no time finer than the day; its chosen options (``Answer``) and free-text
answers (``TextAnswer``, encrypted, not even linked to the response) have random UUID keys, so no order of
arrival can be read from the rows. Free text is confidential like a petition: the office and the team read
it, on the survey's own page only, each read audited; the leading group sees the tallies alone; the unit's
liaison sees nothing of surveys.
"""

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..choices import Distribution, QuestionKind, SurveyKind, SurveyStatus

__all__ = ["Answer", "Question", "Response", "Survey", "TextAnswer", "Token"]


def _survey_scope(user: User, prefix: str = "", *, leading_group: bool = True) -> Q:
    """The inspection's committee office (and leading group, unless left out) and the inspection's team."""
    s = user.scopes
    committee_roles = (Role.OFFICE, Role.LEADING_GROUP) if leading_group else (Role.OFFICE,)
    return Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(*committee_roles)}) | Q(
        **{f"{prefix}inspection__team_id__in": s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)}
    )


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user: User) -> "SurveyQuerySet":
        return self.filter(_survey_scope(user))


class Survey(CaseModel):
    """One evaluation or questionnaire of an inspection: drafted by the team, opened, closed."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("巡察")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=SurveyKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    instructions = models.TextField(_("填写说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    distribution = models.CharField(
        _("发放方式"), max_length=10, choices=Distribution.choices, default=Distribution.CARDS
    )
    # The open link's address (/survey/<code>/); it names the survey, never a token.
    public_code = models.CharField(_("公开编号"), max_length=16, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评问卷")
        verbose_name_plural = _("测评问卷")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class QuestionQuerySet(models.QuerySet["Question"]):
    def visible_to(self, user: User) -> "QuestionQuerySet":
        return self.filter(_survey_scope(user, "survey__"))


class Question(CaseModel):
    """One question; a leadership evaluation has one for the leadership as a whole and one per leader."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    # The answers offered, in order (the fixed scale for ratings and satisfaction); empty for free text.
    options = models.JSONField(_("选项"), default=list, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_questions",
        verbose_name=_("被测评人"),
    )
    required = models.BooleanField(_("必答"), default=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering: ClassVar = ["survey_id", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def audit_committee_id(self) -> int | None:
        return self.survey.audit_committee_id

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT


class TokenQuerySet(models.QuerySet["Token"]):
    def visible_to(self, user: User) -> "TokenQuerySet":
        return self.filter(_survey_scope(user, "survey__"))


class Token(CaseModel):
    """A one-time code (测评码). Only its keyed hash is kept; the code itself is shown once, on the sheet.
    It records that it was used, never by which response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(_("已使用"), default=False)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评码")
        verbose_name_plural = _("测评码")

    def __str__(self) -> str:
        return f"{self.survey}测评码"

    @property
    def audit_committee_id(self) -> int | None:
        return self.survey.audit_committee_id


class ResponseQuerySet(models.QuerySet["Response"]):
    def visible_to(self, user: User) -> "ResponseQuerySet":
        return self.filter(_survey_scope(user, "survey__"))


class Response(CaseModel):
    """One anonymous response: online with a token, or a paper form entered by staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("提交日期"))
    paper = models.BooleanField(_("纸质表录入"), default=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self) -> str:
        return f"{self.survey}答卷"

    @property
    def audit_committee_id(self) -> int | None:
        return self.survey.audit_committee_id


class AnswerQuerySet(models.QuerySet["Answer"]):
    def visible_to(self, user: User) -> "AnswerQuerySet":
        return self.filter(_survey_scope(user, "response__survey__"))


class Answer(CaseModel):
    """One chosen option of a choice question (a multiple-choice answer has one row per option)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.CharField(_("选项"), max_length=100)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("选择")
        verbose_name_plural = _("选择")

    def __str__(self) -> str:
        return self.option

    @property
    def audit_committee_id(self) -> int | None:
        return self.question.audit_committee_id


class TextAnswerQuerySet(models.QuerySet["TextAnswer"]):
    def visible_to(self, user: User) -> "TextAnswerQuerySet":
        # Like petitions: the office and the team, not the leading group.
        return self.filter(_survey_scope(user, "question__survey__", leading_group=False))


class TextAnswer(CaseModel):
    """A free-text answer, encrypted, and not linked to the response it came with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="text_answers")
    text = EncryptedTextField(_("意见"))

    objects = TextAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("文字意见")
        verbose_name_plural = _("文字意见")

    def __str__(self) -> str:
        return f"{self.question}的文字意见"

    @property
    def audit_committee_id(self) -> int | None:
        return self.question.audit_committee_id
