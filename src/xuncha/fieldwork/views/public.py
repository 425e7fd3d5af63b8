"""Public survey pages (民主测评/问卷), mounted at /survey/: no login, answered with a one-time token.

``/survey/`` takes a token typed into a form (POST) and shows the survey's questions with the token in a
hidden field; ``/survey/answer/`` takes the answers (POST) and thanks. ``/survey/<code>/`` is a survey's open
link: its title and the same token form. The token never travels in a URL the server sees: a printed QR
code carries it in the fragment (``/survey/#ABCD-2345``), which browsers do not send, and a static script
copies it into the form and drops it from the address bar. A wrong, malformed or spent token gets one and
the same message; a survey not open says so.

Every POST is counted per client address without keeping it: ``HMAC(hourly key, address)`` in the
``throttle`` cache, the idea of the portal's throttle (intake/throttle.py), copied because fieldwork does
not import intake. The limit is higher than the portal's: a whole meeting room answers from one address.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.errors import Refused

from ..actions.surveys import CLOSED, CODE_REFUSED, find_token, respond
from ..forms.surveys import AnswerForm, TokenForm
from ..models import Survey

app_name = "survey"
HOUR = 3600
THROTTLE_CACHE = "throttle"
THROTTLED = "提交过于频繁，请稍后再试。"


def _limit() -> int:
    return int(getattr(settings, "XUNCHA_SURVEY_POSTS_PER_HOUR", 300))


def _address(request: HttpRequest) -> str:
    """The client's address, or behind a trusted proxy the hop it appended last to X-Forwarded-For."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    trusted = settings.XUNCHA_FORWARDED_ALLOW_IPS
    if forwarded and ("*" in trusted or remote in trusted):
        return forwarded.rsplit(",", 1)[-1].strip() or remote
    return remote


def counter_key(address: str, at: float) -> str:
    """The counter's name: a keyed hash of the address, under a key that changes every hour."""
    digest = salted_hmac(f"xuncha.fieldwork.survey-throttle.{int(at) // HOUR}", address, algorithm="sha256")
    return f"survey.{digest.hexdigest()}"


def allowed(request: HttpRequest) -> bool:
    """Count one POST from this client; False once it is over this hour's limit."""
    now = time.time()
    key = counter_key(_address(request), now)
    cache = caches[THROTTLE_CACHE]
    count = int(cache.get(key, 0)) + 1
    cache.set(key, count, timeout=HOUR - int(now) % HOUR)
    return count <= _limit()


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "fieldwork/surveys/public/start.html", {"form": TokenForm(), "error": THROTTLED}
    )
    response.status_code = 429
    response["Retry-After"] = str(HOUR - int(time.time()) % HOUR)
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
    if not allowed(request):
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
    if not allowed(request):
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
