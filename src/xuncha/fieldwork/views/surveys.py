"""The team's pages of surveys (民主测评 / 问卷调查): an inspection's surveys, drafting and questions, opening
and closing, the token sheet, paper entry, results with charts, the free-text answers and the Excel export.

Who sees surveys: the office and the leading group of the inspection's committee, and the team; everyone
else, the unit's liaison included, gets 404. The leading group reads tallies only. Free-text answers are
shown only on their own page of the survey, to the office and the team, each read audited; never in a
list or the export. Tokens are shown once, on the answer to the POST that makes them (never cached).
"""

import datetime
import tempfile
from typing import IO, Any

import segno
import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user
from xuncha.core.scoping import ensure_visible, perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.rounds.models import Inspection

from ..actions import surveys as actions
from ..choices import RATING_OPTIONS, QuestionKind, SurveyStatus
from ..forms.surveys import AnswerForm, QuestionForm, SurveyCreateForm, SurveyEditForm, TokensForm
from ..models import Question, Response, Survey, TextAnswer, Token

GET_POST = ["GET", "POST"]
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sees_surveys(user: User, inspection: Inspection) -> bool:
    s = user.scopes
    committee = inspection.round.committee_id
    return (
        s.has(Role.OFFICE, committee)
        or s.has(Role.LEADING_GROUP, committee)
        or s.has(Role.TEAM_LEADER, inspection.team_id)
        or s.has(Role.TEAM_MEMBER, inspection.team_id)
    )


def _inspection(user: User, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round", "team", "unit"), pk=pk
    )
    if not sees_surveys(user, inspection):
        raise Http404
    return inspection


def _survey_url(survey: Survey) -> str:
    return reverse("fieldwork:survey-detail", args=[survey.pk])


def _survey(user: User, pk: int) -> Survey:
    return get_object_or_404(
        Survey.objects.visible_to(user).select_related(
            "inspection__round", "inspection__team", "inspection__unit"
        ),
        pk=pk,
    )


def _role(user: User, survey: Survey) -> str:
    """The role a read is recorded under."""
    inspection = survey.inspection
    for role, scope in (
        (Role.TEAM_LEADER, inspection.team_id),
        (Role.TEAM_MEMBER, inspection.team_id),
        (Role.OFFICE, inspection.round.committee_id),
    ):
        if user.scopes.has(role, scope):
            return role
    return Role.LEADING_GROUP


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, so that it is validated), None otherwise."""
    return request.POST if request.method == "POST" else None


def _manager(user: User, survey: Survey, what: str) -> None:
    if not actions.may_manage(user, survey):
        raise NotAllowed(f"只有本巡察组成员可以{what}。")


# The inspection's surveys -----------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    may_create = user.scopes.has(Role.TEAM_LEADER, inspection.team_id) or user.scopes.has(
        Role.TEAM_MEMBER, inspection.team_id
    )
    form = SurveyCreateForm(_posted(request))
    if request.method == "POST":
        if not may_create:
            raise NotAllowed("只有本巡察组成员可以创建测评问卷。")
        if form.is_valid():
            try:
                survey = perform(user, actions.create_survey, inspection, **form.cleaned_data)
            except Refused as refused:
                show_refusal(form, refused)
            else:
                # Only the leader (or the office) opens a survey: a member is not told to do it.
                then = "后开始测评" if actions.may_open_close(user, survey) else "，测评由组长发起"
                messages.success(request, f"测评问卷已创建，请检查题目{then}。")
                return redirect("fieldwork:survey-detail", pk=survey.pk)
    surveys = Survey.objects.visible_to(user).filter(inspection=inspection)
    status = request.GET.get("status", "")
    if status in SurveyStatus.values:
        surveys = surveys.filter(status=status)
    surveys = surveys.annotate(response_count=Count("responses")).order_by("-created_at", "-id")
    context = {
        "inspection": inspection,
        "page_obj": paginate(request, surveys),
        "query": querystring_without_page(request),
        "statuses": SurveyStatus.choices,
        "status": status,
        "form": form,
        "may_create": may_create,
    }
    return render(request, "fieldwork/surveys/survey_list.html", context)


# One survey: questions and settings while a draft -------------------------------------------------------


def _detail_context(user: User, survey: Survey) -> dict[str, Any]:
    tokens = Token.objects.filter(survey=survey).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    return {
        "survey": survey,
        "inspection": survey.inspection,
        "questions": survey.questions.select_related("person").order_by("position"),
        "tokens": tokens,
        "responses": Response.objects.filter(survey=survey).count(),
        "may_manage": actions.may_manage(user, survey),
        "may_open_close": actions.may_open_close(user, survey),
        "question_form": QuestionForm(),
    }


@login_required
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    return render(request, "fieldwork/surveys/survey_detail.html", _detail_context(user, survey))


@login_required
@require_http_methods(GET_POST)
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    _manager(user, survey, "修改测评问卷")
    initial = {
        "title": survey.title,
        "instructions": survey.instructions,
        "distribution": survey.distribution,
    }
    form = SurveyEditForm(_posted(request), initial=initial)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_survey, survey, **form.cleaned_data),
        allowed=None,  # _manager above
        title="修改测评问卷",
        done="已保存。",
        then=_survey_url(survey),
        template="fieldwork/surveys/survey_edit.html",
        survey=survey,
    )


def _question_page(request: HttpRequest, survey: Survey, question: Question | None) -> HttpResponse:
    """Add a question (``question`` None) or change one, while the survey is a draft."""
    user = acting_user(request)
    _manager(user, survey, "修改问卷题目")
    initial = {}
    if question is not None:
        initial = {
            "kind": question.kind,
            "text": question.text,
            "options": "\n".join(question.options) if question.kind in CHOICE_KINDS else "",
            "required": question.required,
        }
    form = QuestionForm(_posted(request), initial=initial or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "kind": data["kind"],
            "text": data["text"],
            "options": form.option_lines(),
            "required": data["required"],
        }
        try:
            if question is None:
                perform(user, actions.add_question, survey, **fields)
            else:
                perform(user, actions.update_question, question, **fields)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "题目已保存。")
            return redirect("fieldwork:survey-detail", pk=survey.pk)
    context = {"survey": survey, "question": question, "form": form}
    return render(request, "fieldwork/surveys/question_form.html", context)


def _question(user: User, survey: Survey, pk: int) -> Question:
    return get_object_or_404(Question.objects.visible_to(user).filter(survey=survey), pk=pk)


@login_required
@require_http_methods(GET_POST)
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, _survey(acting_user(request), pk), None)


@login_required
@require_http_methods(GET_POST)
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    return _question_page(request, survey, _question(user, survey, question_pk))


@login_required
@require_http_methods(GET_POST)
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    question = _question(user, survey, question_pk)
    _manager(user, survey, "修改问卷题目")
    return confirm_page(
        request,
        lambda: perform(user, actions.remove_question, question),
        done="题目已删除。",
        back=_survey_url(survey),
        template="fieldwork/surveys/question_delete.html",
        survey=survey,
        survey_question=question,
    )


def _confirm(request: HttpRequest, pk: int, *, opening: bool) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    if not actions.may_open_close(user, survey):
        raise NotAllowed("只有巡察组组长和巡察办可以开始或结束测评。")
    return confirm_page(
        request,
        lambda: perform(user, actions.open_survey if opening else actions.close_survey, survey),
        done="测评已开始，可以发放测评码。" if opening else "测评已结束。",
        back=_survey_url(survey),
        template="fieldwork/surveys/confirm.html",
        survey=survey,
        opening=opening,
    )


@login_required
@require_http_methods(GET_POST)
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, opening=True)


@login_required
@require_http_methods(GET_POST)
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, opening=False)


# Tokens and paper forms ---------------------------------------------------------------------------------


def public_url(request: HttpRequest, survey_path: str) -> str:
    """An address of the public pages, at the public host when one is configured."""
    if settings.XUNCHA_PORTAL_URL:
        return f"{settings.XUNCHA_PORTAL_URL}{survey_path}"
    return request.build_absolute_uri(survey_path)


def _qr(url: str) -> str:
    # segno builds the SVG from our own address and a token of our alphabet: nothing user-typed.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff"))  # noqa: S308


@login_required
@never_cache
@require_http_methods(GET_POST)
def survey_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    _manager(user, survey, "生成测评码")
    form = TokensForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.issue_tokens(survey, count=form.cleaned_data["count"], by=user)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            ensure_visible(survey, user)
            start = public_url(request, reverse("survey:start"))
            link = public_url(request, reverse("survey:survey", args=[survey.public_code]))
            cards = survey.distribution == "cards"
            # The token rides in the fragment, which browsers never send: no server or proxy logs it.
            sheet = [{"code": c, "qr": _qr(f"{start}#{c}") if cards else ""} for c in codes]
            context = {"survey": survey, "sheet": sheet, "cards": cards, "link": link, "start": start}
            if not cards:
                context["link_qr"] = _qr(link)
            return render(request, "fieldwork/surveys/token_sheet.html", context)
    context = {**_detail_context(user, survey), "form": form}
    return render(request, "fieldwork/surveys/tokens.html", context)


@login_required
@require_http_methods(GET_POST)
def survey_paper(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    _manager(user, survey, "录入纸质测评表")
    form = AnswerForm(survey, _posted(request))
    return form_page(
        request,
        form,
        lambda: perform(user, actions.enter_paper_response, survey, answers=form.answers()),
        allowed=None,  # _manager above
        title="录入纸质测评表",
        done="纸质测评表已录入，可继续录入下一份。",
        then=reverse("fieldwork:survey-paper", args=[survey.pk]),
        template="fieldwork/surveys/paper.html",
        survey=survey,
    )


# Results --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    result = actions.tally(survey)
    context = {
        "survey": survey,
        "inspection": survey.inspection,
        "result": result,
        "charts": actions.chart_data(result),
        "may_read_texts": actions.may_read_texts(user, survey),
    }
    return render(request, "fieldwork/surveys/results.html", context)


@login_required
@never_cache
@require_GET
def survey_texts(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    if not actions.may_read_texts(user, survey):
        raise NotAllowed("文字意见按信访件保密，只有巡察组成员和巡察办可以查看。")
    texts = list(
        TextAnswer.objects.visible_to(user)
        .filter(question__survey=survey)
        .select_related("question")
        .order_by("question__position", "id")
    )
    record_read("survey.texts_read", survey, by=user, role=_role(user, survey), details={"count": len(texts)})
    return render(request, "fieldwork/surveys/texts.html", {"survey": survey, "texts": texts})


def _watermark(user: User, at: datetime.datetime) -> str:
    return f"导出人：{user.username}　导出时间：{timezone.localtime(at):%Y-%m-%d %H:%M}　内部资料 注意保密"


def write_export(
    survey: Survey, result: actions.SurveyTally, *, user: User, at: datetime.datetime
) -> IO[bytes]:
    """The tallies as a workbook in a temporary file (rewound, deleted when closed), watermarked with who
    exported it and when: one sheet per question's counts, and for a leadership evaluation one table of
    every leader. Free-text answers are never exported, only how many there are."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook = xlsxwriter.Workbook(handle, {"strings_to_formulas": False, "strings_to_urls": False})
    mark = _watermark(user, at)
    footer = mark.replace("&", "&&")  # "&" starts a control code in Excel headers and footers
    workbook.set_properties({"title": survey.title, "author": user.username, "comments": mark})
    bold = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1})
    red = workbook.add_format({"bold": True, "font_color": "#C00000"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    def sheet_named(name: str, widths: tuple[int, ...], titles: tuple[str, ...]) -> Any:
        sheet = workbook.add_worksheet(name)
        sheet.set_header(f"&C{footer}")
        sheet.set_footer(f"&L{footer}&R第 &P 页，共 &N 页")
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width, wrap)
        sheet.write_string(0, 0, mark, red)
        sheet.write_string(1, 0, f"{survey.title}（答卷 {result.responses} 份，其中纸质 {result.paper} 份）")
        for col, title in enumerate(titles):
            sheet.write_string(2, col, title, bold)
        sheet.freeze_panes(3, 0)
        return sheet

    sheet = sheet_named("各题统计", (8, 50, 16, 10, 10), ("序号", "题目", "选项", "人数", "占比（%）"))
    row = 3
    for t in result.questions:
        q = t.question
        if q.is_text:
            sheet.write_number(row, 0, q.position)
            sheet.write_string(row, 1, q.text)
            sheet.write_string(row, 2, f"文字意见 {t.texts} 条（按保密要求不导出内容）")
            row += 1
            continue
        for o in t.options:
            sheet.write_number(row, 0, q.position)
            sheet.write_string(row, 1, q.text)
            sheet.write_string(row, 2, o.option)
            sheet.write_number(row, 3, o.count)
            sheet.write_number(row, 4, o.percent)
            row += 1
    if result.leaders:
        titles = ("测评对象", *RATING_OPTIONS, "有效票", "好和较好率（%）")
        sheet = sheet_named("领导班子测评", (30, 8, 8, 8, 8, 10, 16), titles)
        for row, t in enumerate(result.leaders, start=3):
            sheet.write_string(row, 0, t.question.text)
            for col, o in enumerate(t.options, start=1):
                sheet.write_number(row, col, o.count)
            sheet.write_number(row, len(t.options) + 1, t.answered)
            sheet.write_number(row, len(t.options) + 2, t.favourable or 0.0)
    workbook.close()
    handle.seek(0)
    return handle


@login_required
@require_GET
def survey_export_view(request: HttpRequest, pk: int) -> FileResponse:
    user = acting_user(request)
    survey = _survey(user, pk)
    at = timezone.now()
    result = actions.tally(survey)
    handle = write_export(survey, result, user=user, at=at)
    record_read(
        "survey.exported", survey, by=user, role=_role(user, survey), details={"count": result.responses}
    )
    filename = f"测评结果-{survey.title}-{timezone.localtime(at):%Y%m%d-%H%M}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("surveys/inspections/<int:pk>/", survey_list, name="survey-list"),
    path("surveys/<int:pk>/", survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey-edit"),
    path("surveys/<int:pk>/questions/", question_add, name="survey-question-add"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", question_edit, name="survey-question-edit"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/", question_delete, name="survey-question-delete"
    ),
    path("surveys/<int:pk>/open/", survey_open, name="survey-open"),
    path("surveys/<int:pk>/close/", survey_close, name="survey-close"),
    path("surveys/<int:pk>/tokens/", survey_tokens, name="survey-tokens"),
    path("surveys/<int:pk>/paper/", survey_paper, name="survey-paper"),
    path("surveys/<int:pk>/results/", survey_results, name="survey-results"),
    path("surveys/<int:pk>/texts/", survey_texts, name="survey-texts"),
    path("surveys/<int:pk>/export/", survey_export_view, name="survey-export"),
]


# The fieldwork page's block ------------------------------------------------------------------------------


def section(request: HttpRequest, inspection: Inspection) -> str:
    """The surveys card of the inspection's fieldwork page: surveys by status, responses, tokens used."""
    user = acting_user(request)
    if not sees_surveys(user, inspection):
        return ""
    surveys = Survey.objects.filter(inspection=inspection).aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(status=SurveyStatus.DRAFT)),
        open=Count("pk", filter=Q(status=SurveyStatus.OPEN)),
        closed=Count("pk", filter=Q(status=SurveyStatus.CLOSED)),
    )
    responses = Response.objects.filter(survey__inspection=inspection).aggregate(
        total=Count("pk"), paper=Count("pk", filter=Q(paper=True))
    )
    tokens = Token.objects.filter(survey__inspection=inspection).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    context = {"inspection": inspection, "surveys": surveys, "responses": responses, "tokens": tokens}
    return render_to_string("fieldwork/surveys/section.html", context, request=request)
