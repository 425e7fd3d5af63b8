"""Public survey pages (民主测评/问卷), mounted at /survey/: no login, answered with a one-time token.

``/survey/`` takes a token typed into a form (POST) and shows the survey's questions with the token in a
hidden field; ``/survey/answer/`` takes the answers (POST) and thanks. ``/survey/<code>/`` is a survey's open
link: its title and the same token form. The token never travels in a URL the server sees: a printed QR
code carries it in the fragment (``/survey/#ABCD-2345``), which browsers do not send, and a static script
copies it into the form and drops it from the address bar. A wrong, malformed or spent token gets one and
the same message; a survey not open says so.

Every POST is counted per client address without keeping it (core/throttle.py, shared with the portal),
with a higher limit than the portal's: a whole meeting room answers from one address.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core import throttle
from xuncha.core.errors import Refused

from ..actions.surveys import CLOSED, CODE_REFUSED, find_token, respond
from ..forms.surveys import AnswerForm, TokenForm
from ..models import Survey

app_name = "survey"
THROTTLED = "提交过于频繁，请稍后再试。"


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "fieldwork/surveys/public/start.html", {"form": TokenForm(), "error": THROTTLED}
    )
    response.status_code = 429
    response["Retry-After"] = str(throttle.seconds_left())
    return response


def _start(request: HttpRequest, error: str = "", survey: Survey | None = None) -> HttpResponse:
    return render(
        request,
        "fieldwork/surveys/public/start.html",
        {"form": TokenForm(), "error": error, "survey": survey},
    )


def _answer_page(request: HttpRequest, token: str, form: AnswerForm, survey: Survey) -> HttpResponse:
    return render(
        request, "fieldwork/surveys/public/answer.html", {"survey": survey, "form": form, "token": token}
    )


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _start(request)
    if not throttle.allow(request, throttle.SURVEY):
        return _too_many(request)
    token = request.POST.get("token", "")
    found = find_token(token)
    # Entered from a survey's open link: a token of another survey is no better than a wrong one.
    code = request.POST.get("survey", "")
    if found is None or (code and found.survey.public_code != code):
        return _start(request, CODE_REFUSED)
    if not found.survey.is_open:
        return _start(request, CLOSED)
    return _answer_page(request, token, AnswerForm(found.survey), found.survey)


@sensitive_post_parameters()
@never_cache
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    if not throttle.allow(request, throttle.SURVEY):
        return _too_many(request)
    token = request.POST.get("token", "")
    found = find_token(token)
    if found is None:
        return _start(request, CODE_REFUSED)
    survey = found.survey
    form = AnswerForm(survey, request.POST)
    if form.is_valid():
        try:
            respond(token=token, answers=form.answers())
        except Refused as refused:
            if refused.field == "token":
                return _start(request, refused.message)
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            return render(request, "fieldwork/surveys/public/thanks.html", {"survey": survey})
    return _answer_page(request, token, form, survey)


@never_cache
@require_http_methods(["GET"])
def survey_link(request: HttpRequest, code: str) -> HttpResponse:
    survey = Survey.objects.filter(public_code=code).select_related("inspection__unit").first()
    if survey is None:
        return render(request, "fieldwork/surveys/public/not_found.html", status=404)
    return render(
        request,
        "fieldwork/surveys/public/start.html",
        {"form": TokenForm(), "survey": survey, "error": "" if survey.is_open else CLOSED},
    )


urlpatterns: list[URLPattern] = [
    path("", start, name="start"),
    path("answer/", answer, name="answer"),
    path("<slug:code>/", survey_link, name="survey"),
]
