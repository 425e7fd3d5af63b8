"""Pages of reports and feedback: the lists (filters, pagination), a report with its versions and their
differences, its form, assemble / submit (confirmation pages), the hearing of a round's submitted reports,
the round's comprehensive report, a feedback with its problem list, its form and the problems' forms, the
feedback meeting, the .docx downloads (each an audit event; watermarked, PDF on request), and the home panels.

Objects are found through ``visible_to`` (out of scope: 404); who sees but may not act gets 403 from
``require``; writes go through ``scoping.perform``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, held_role, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.findings.models import Finding, finding_inspections
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Round
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from . import actions, documents
from .choices import FeedbackStatus, Recipient, ReportKind, ReportStatus
from .copies_views import copies_of
from .forms import (
    DeliverForm,
    FeedbackFilterForm,
    FeedbackForm,
    HearingForm,
    LeadersForm,
    ProblemForm,
    ReportFilterForm,
    ReportForm,
)
from .models import READERS, TEAM_ROLES, Feedback, FeedbackProblem, Hearing, MeetingDecision, Report

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 10


def reader_role(user: User, inspection: Inspection | None, round_: Round) -> str:
    """The role a download is recorded under (a round's comprehensive report has no inspection)."""
    if inspection is not None:
        return held_role(user, inspection.reader_roles())
    return held_role(user, {Role.OFFICE: round_.committee_id, Role.LEADING_GROUP: round_.committee_id})


# Reports -----------------------------------------------------------------------------------------------


def _report(user: User, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(user).select_related(
            "round__committee", "inspection__team", "inspection__unit", "inspection__round__committee"
        ),
        pk=pk,
    )


def _inspection(user: User, pk: int) -> Inspection:
    return get_object_or_404(
        finding_inspections(user).select_related("round__committee", "team", "unit"), pk=pk
    )


def _report_url(report: Report) -> str:
    return reverse("reports:report-detail", args=[report.pk])


def _filtered_reports(reports: Any, form: ReportFilterForm) -> Any:
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("kind"):
        reports = reports.filter(kind=data["kind"])
    if data.get("status"):
        reports = reports.filter(status=data["status"])
    if data.get("q"):
        q = data["q"]
        reports = reports.filter(Q(title__icontains=q) | Q(inspection__unit__name__icontains=q))
    return reports


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ReportFilterForm(request.GET or None)
    reports = _filtered_reports(
        Report.objects.visible_to(user).select_related("round", "inspection__unit", "inspection__team"), form
    )
    context = {
        "form": form,
        "page_obj": paginate(request, reports),
        "query": querystring_without_page(request),
    }
    return render(request, "reports/report_list.html", context)


@login_required
@require_http_methods(GET_POST)
def report_assemble(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    require(user, actions.team_roles(inspection), what="汇总巡察报告")
    existing = Report.objects.filter(kind=ReportKind.TEAM, inspection=inspection).first()
    return confirm_page(
        request,
        lambda: perform(user, actions.assemble_report, inspection),
        question=(
            f"确认根据{inspection.unit.name}已审签的问题底稿汇总巡察报告？"
            + ("“发现的主要问题”和“问题线索”将按当前问题底稿重新生成，其余部分保留。" if existing else "")
        ),
        done="巡察报告已汇总，请修改完善。",
        back=_report_url(existing) if existing else reverse("rounds:inspection-detail", args=[inspection.pk]),
        then=_report_url,
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    versions = list(report.versions.select_related("by").order_by("number"))
    history = [
        (
            version,
            actions.VERSION_EVENTS.get(version.event, version.event),
            actions.diff(versions[i - 1].data if i else {}, version.data),
        )
        for i, version in enumerate(versions)
    ]
    writable = report.is_draft and holds(user, actions.writer_roles(report))
    stage_ok = report.inspection is None or report.inspection.stage == Stage.REPORTING
    context = {
        "report": report,
        "history": list(reversed(history)),
        "decisions": report.decisions.select_related("hearing").order_by("-hearing__held_on"),
        "findings": report.findings.order_by("inspection_id", "sequence"),
        "leaders": report.leaders.select_related("person").order_by("position"),
        "may_edit": writable and stage_ok,
        "may_submit": report.is_draft and stage_ok and holds(user, actions.submitter_roles(report)),
        "may_hear": report.status == ReportStatus.SUBMITTED
        and holds(user, actions.hearing_roles(report.round)),
        "feedbacks": Feedback.objects.filter(inspection=report.inspection) if report.inspection else [],
        "meeting_decisions": MeetingDecision.objects.visible_to(user)
        .filter(inspection=report.inspection)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting_id"),
    }
    return render(request, "reports/report_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    require(user, actions.writer_roles(report), what="修改报告")
    if not report.is_draft:
        messages.error(request, f"报告{report.get_status_display()}，不能修改。")
        return redirect(_report_url(report))
    form = ReportForm(request.POST or None, report=report)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_report, report, data=form.report_input()),
        done="已保存，形成新的版本。",
        then=_report_url,
        allowed=None,
        title=f"修改：{report.title}",
        back=_report_url(report),
        template="reports/form.html",
    )


@login_required
@require_http_methods(GET_POST)
def report_leaders(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    if not report.is_team:
        raise Http404
    if not report.is_draft:
        require(user, actions.writer_roles(report), what="修改领导班子成员情况")
        messages.error(request, f"报告{report.get_status_display()}，不能修改。")
        return redirect(_report_url(report))
    leaders = list(report.leaders.select_related("person").order_by("position"))
    form = LeadersForm(request.POST or None, leaders=leaders)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_leaders, report, rows=form.rows()),
        allowed=actions.writer_roles(report),
        done="已保存，形成新的版本。",
        then=_report_url,
        title=f"领导班子成员情况：{report.title}",
        back=_report_url(report),
        template="reports/form.html",
        empty="" if leaders else "花名册中没有本单位领导班子成员，汇总报告时按花名册生成。",
    )


@login_required
@require_http_methods(GET_POST)
def report_reassemble(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    require(user, actions.writer_roles(report), what="汇总报告")
    inspection = report.inspection
    return confirm_page(
        request,
        lambda: (
            perform(user, actions.assemble_report, inspection)
            if inspection is not None
            else perform(user, actions.assemble_comprehensive, report.round)
        ),
        question="确认按当前数据重新汇总？“发现的主要问题”和“问题线索”将被重新生成（可在修改记录中查看原文）。",
        done="已重新汇总，形成新的版本。",
        back=_report_url(report),
    )


@login_required
@require_http_methods(GET_POST)
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    require(user, actions.submitter_roles(report), what="报送报告")
    question = (
        f"确认将“{report.title}”报送巡察工作领导小组？报送后不能再修改，领导小组听取汇报后决定同意或修改后再报。"
        if report.is_team
        else f"确认“{report.title}”定稿，报送书记专题会？定稿后只能查阅。"
    )
    return confirm_page(
        request,
        lambda: perform(user, actions.submit_report, report),
        question=question,
        done="报告已报送。" if report.is_team else "综合报告已定稿。",
        back=_report_url(report),
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    data = documents.report_docx(report)
    role = reader_role(user, report.inspection, report.round)
    record_read("report.read", report, by=user, role=role, details={"kind": report.kind})
    return document_response(request, data, documents.filename(report))


def office_round(user: User, round_id: int) -> Round:
    return get_object_or_404(
        Round.objects.filter(committee_id__in=user.scopes.ids(*READERS)).select_related("committee"),
        pk=round_id,
    )


@login_required
@require_http_methods(GET_POST)
def comprehensive_assemble(request: HttpRequest, round_id: int) -> HttpResponse:
    user = acting_user(request)
    round_ = office_round(user, round_id)
    require(user, {Role.OFFICE: round_.committee_id}, what="汇总综合报告")
    return confirm_page(
        request,
        lambda: perform(user, actions.assemble_comprehensive, round_),
        question=f"确认根据{round_.name}已定稿的巡察报告汇总综合报告（书记专题会材料）？",
        done="综合报告已汇总，请修改完善。",
        back=reverse("rounds:round-detail", args=[round_.pk]),
        then=_report_url,
    )


@login_required
@require_http_methods(GET_POST)
def hearing_create(request: HttpRequest, round_id: int) -> HttpResponse:
    user = acting_user(request)
    round_ = office_round(user, round_id)
    require(user, actions.hearing_roles(round_), what="记录领导小组听取汇报")
    reports = list(
        Report.objects.filter(round=round_, kind=ReportKind.TEAM, status=ReportStatus.SUBMITTED)
        .select_related("inspection__unit")
        .order_by("inspection__team__name")
    )
    form = HearingForm(request.POST or None, reports=reports)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.record_hearing,
            round_,
            held_on=form.cleaned_data["held_on"],
            attendees=form.cleaned_data["attendees"],
            items=form.items(),
        ),
        done="已记录领导小组听取汇报的决定。",
        then=lambda hearing: reverse("reports:hearing-detail", args=[hearing.pk]),
        allowed=None,
        title=f"记录领导小组听取汇报：{round_.name}",
        back=reverse("rounds:round-detail", args=[round_.pk]),
        template="reports/form.html",
        empty="本轮暂无已报送、待听取汇报的巡察报告。" if not reports else "",
    )


@login_required
@require_GET
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    hearing = get_object_or_404(
        Hearing.objects.visible_to(user).select_related("round", "recorded_by"), pk=pk
    )
    decisions = hearing.decisions.select_related("report__inspection__unit")
    return render(request, "reports/hearing_detail.html", {"hearing": hearing, "decisions": decisions})


# Feedback ----------------------------------------------------------------------------------------------


def _feedback(user: User, pk: int) -> Feedback:
    return get_object_or_404(
        Feedback.objects.visible_to(user).select_related(
            "inspection__round__committee", "inspection__team", "inspection__unit", "recorded_by"
        ),
        pk=pk,
    )


def _problem(user: User, pk: int) -> FeedbackProblem:
    return get_object_or_404(
        FeedbackProblem.objects.visible_to(user).select_related(
            "feedback__inspection__round__committee", "feedback__inspection__unit"
        ),
        pk=pk,
    )


def _feedback_url(feedback: Feedback) -> str:
    return reverse("reports:feedback-detail", args=[feedback.pk])


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = FeedbackFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    feedbacks = Feedback.objects.visible_to(user).select_related("inspection__unit", "inspection__round")
    if data.get("recipient"):
        feedbacks = feedbacks.filter(recipient=data["recipient"])
    if data.get("status"):
        feedbacks = feedbacks.filter(status=data["status"])
    if data.get("q"):
        feedbacks = feedbacks.filter(
            Q(title__icontains=data["q"]) | Q(inspection__unit__name__icontains=data["q"])
        )
    context = {
        "form": form,
        "page_obj": paginate(request, feedbacks),
        "query": querystring_without_page(request),
    }
    return render(request, "reports/feedback_list.html", context)


@login_required
@require_http_methods(GET_POST)
def feedback_assemble(request: HttpRequest, inspection_id: int, recipient: str) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    if recipient not in Recipient.values:
        raise Http404
    require(user, actions.team_roles(inspection), what="汇总反馈意见")
    existing = Feedback.objects.filter(inspection=inspection, recipient=recipient).first()
    return confirm_page(
        request,
        lambda: perform(user, actions.assemble_feedback, inspection, recipient=recipient),
        question=(
            f"确认根据定稿的巡察报告汇总向{Recipient(recipient).label}的反馈意见？"
            + ("问题清单将按巡察报告重新生成，已作的修改不保留。" if existing else "")
        ),
        done="反馈意见已汇总，请修改完善。",
        back=_feedback_url(existing)
        if existing
        else reverse("rounds:inspection-detail", args=[inspection.pk]),
        then=_feedback_url,
    )


@login_required
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    feedback = _feedback(user, pk)
    team = holds(user, actions.team_roles(feedback.inspection))
    problems = feedback.problems.select_related("category").prefetch_related("findings")
    context = {
        "feedback": feedback,
        "problems": problems,
        "may_edit": team and feedback.is_draft,
        "may_deliver": feedback.is_draft and holds(user, actions.deliverer_roles(feedback)),
        "sees_findings": team or holds(user, actions.hearing_roles(feedback.inspection.round)),
        **copies_of(user, feedback),
    }
    return render(request, "reports/feedback_detail.html", context)


def _draft_feedback(request: HttpRequest, user: User, feedback: Feedback) -> HttpResponse | None:
    require(user, actions.team_roles(feedback.inspection), what="修改反馈意见")
    if not feedback.is_draft:
        messages.error(request, "反馈意见已送达，不能修改。")
        return redirect(_feedback_url(feedback))
    return None


@login_required
@require_http_methods(GET_POST)
def feedback_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    feedback = _feedback(user, pk)
    refused = _draft_feedback(request, user, feedback)
    if refused:
        return refused
    initial = {"title": feedback.title, "summary": feedback.summary, "requirements": feedback.requirements}
    form = FeedbackForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_feedback, feedback, **form.cleaned_data),
        done="反馈意见已保存。",
        then=_feedback_url,
        allowed=None,
        title=f"修改：{feedback.title}",
        back=_feedback_url(feedback),
        template="reports/form.html",
    )


def _problem_form(request: HttpRequest, feedback: Feedback, problem: FeedbackProblem | None) -> ProblemForm:
    report = actions.final_report(feedback.inspection)
    return ProblemForm(
        request.POST or None,
        categories=Category.objects.filter(scheme__kind=SchemeKind.FOCUS, scheme__is_default=True),
        findings=report.findings.order_by("sequence") if report else Finding.objects.none(),
        problem=problem,
    )


@login_required
@require_http_methods(GET_POST)
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    feedback = _feedback(user, pk)
    refused = _draft_feedback(request, user, feedback)
    if refused:
        return refused
    form = _problem_form(request, feedback, None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.add_problem, feedback, data=form.problem_input()),
        done="已增加反馈问题。",
        then=lambda problem: _feedback_url(problem.feedback),
        allowed=None,
        title=f"增加问题：{feedback.title}",
        back=_feedback_url(feedback),
        template="reports/form.html",
    )


@login_required
@require_http_methods(GET_POST)
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    problem = _problem(user, pk)
    feedback = problem.feedback
    refused = _draft_feedback(request, user, feedback)
    if refused:
        return refused
    form = _problem_form(request, feedback, problem)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_problem, problem, data=form.problem_input()),
        done=f"已修改{problem.number}。",
        then=lambda saved: _feedback_url(saved.feedback),
        allowed=None,
        title=f"修改{problem}",
        back=_feedback_url(feedback),
        template="reports/form.html",
    )


@login_required
@require_http_methods(GET_POST)
def problem_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    problem = _problem(user, pk)
    require(user, actions.team_roles(problem.feedback.inspection), what="修改反馈问题清单")
    return confirm_page(
        request,
        lambda: perform(user, actions.remove_problem, problem),
        question=f"确认从问题清单中删除“{problem}”？其后的问题依次前移。",
        done=f"已删除“{problem}”。",
        back=_feedback_url(problem.feedback),
    )


@login_required
@require_http_methods(GET_POST)
def feedback_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    feedback = _feedback(user, pk)
    require(user, actions.deliverer_roles(feedback), what="记录反馈会")
    if not feedback.is_draft:
        messages.error(request, "反馈意见已送达。")
        return redirect(_feedback_url(feedback))
    form = DeliverForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.deliver_feedback, feedback, **form.cleaned_data),
        done="已记录反馈会，反馈意见及其问题清单不能再修改。",
        then=_feedback_url,
        allowed=None,
        title=f"记录反馈会：{feedback.title}",
        back=_feedback_url(feedback),
        template="reports/form.html",
        warning="确认后，反馈意见和问题清单即告送达，不能再修改；被巡察单位据此整改。",
    )


@login_required
@require_GET
def feedback_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    feedback = _feedback(user, pk)
    data = documents.feedback_docx(feedback)
    role = reader_role(user, feedback.inspection, feedback.inspection.round)
    record_read("feedback.read", feedback, by=user, role=role, details={"recipient": feedback.recipient})
    return document_response(request, data, documents.filename(feedback))


# Home panels -------------------------------------------------------------------------------------------


def home_panels(user: User) -> list[Panel]:
    """The office and leading group: team reports waiting for the hearing. Team leaders and the office:
    feedback to deliver (drafts of inspections in 反馈)."""
    scopes = user.scopes
    panels: list[Panel] = []
    committees = scopes.ids(*READERS)
    if committees:
        waiting = (
            Report.objects.filter(
                round__committee_id__in=committees, kind=ReportKind.TEAM, status=ReportStatus.SUBMITTED
            )
            .exclude(inspection__stage=Stage.ARCHIVED)
            .select_related("inspection__unit", "round")
        )
        reports, count = head(waiting, PANEL_LIMIT)
        context = {"reports": reports, "count": count}
        panels.append(Panel("待听取汇报的巡察报告", "reports/home_hearing.html", context, order=25))
    deliverers = Q(inspection__round__committee_id__in=scopes.ids(Role.OFFICE)) | Q(
        inspection__team_id__in=scopes.ids(*TEAM_ROLES)
    )
    if scopes.ids(Role.OFFICE, *TEAM_ROLES):
        due = Feedback.objects.filter(
            deliverers, status=FeedbackStatus.DRAFT, inspection__stage=Stage.FEEDBACK
        ).select_related("inspection__unit")
        feedbacks, count = head(due, PANEL_LIMIT)
        context = {"feedbacks": feedbacks, "count": count}
        panels.append(Panel("待反馈的反馈意见", "reports/home_feedback.html", context, order=26))
    return panels


urlpatterns: list[URLPattern] = [
    path("", report_list, name="report-list"),
    path("inspections/<int:inspection_id>/assemble/", report_assemble, name="report-assemble"),
    path("<int:pk>/", report_detail, name="report-detail"),
    path("<int:pk>/edit/", report_edit, name="report-edit"),
    path("<int:pk>/leaders/", report_leaders, name="report-leaders"),
    path("<int:pk>/reassemble/", report_reassemble, name="report-reassemble"),
    path("<int:pk>/submit/", report_submit, name="report-submit"),
    path("<int:pk>/download/", report_download, name="report-download"),
    path("rounds/<int:round_id>/comprehensive/", comprehensive_assemble, name="comprehensive-assemble"),
    path("rounds/<int:round_id>/hearing/", hearing_create, name="hearing-new"),
    path("hearings/<int:pk>/", hearing_detail, name="hearing-detail"),
    path("feedbacks/", feedback_list, name="feedback-list"),
    path(
        "feedbacks/inspections/<int:inspection_id>/<slug:recipient>/assemble/",
        feedback_assemble,
        name="feedback-assemble",
    ),
    path("feedbacks/<int:pk>/", feedback_detail, name="feedback-detail"),
    path("feedbacks/<int:pk>/edit/", feedback_edit, name="feedback-edit"),
    path("feedbacks/<int:pk>/problems/new/", problem_create, name="problem-new"),
    path("feedbacks/problems/<int:pk>/edit/", problem_edit, name="problem-edit"),
    path("feedbacks/problems/<int:pk>/remove/", problem_remove, name="problem-remove"),
    path("feedbacks/<int:pk>/deliver/", feedback_deliver, name="feedback-deliver"),
    path("feedbacks/<int:pk>/download/", feedback_download, name="feedback-download"),
]
