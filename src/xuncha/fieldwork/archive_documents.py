"""What fieldwork puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the notices of the issued document requests (调阅资料通知) and every file the unit supplied for them, the
interview outlines (谈话提纲), the results of each ended survey and democratic evaluation (tallies only:
free-text answers stay in the system, confidential like petitions), the personal-matters spot checks
(个人有关事项抽查) and the record of the other ways of learning (听取汇报, 座谈会, 专项检查 …) with their
files.

Interview records are copied out only when the committee's settings say so, and then encrypted (``sealed``):
the package, downloaded as a whole by the office, would otherwise bypass the per-record audited reads."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.orgs.models import CommitteeSettings
from xuncha.rounds.archive import ArchiveFile, Retention, Secrecy, part, uploaded
from xuncha.rounds.models import Inspection

from .actions.interviews import outline_document, record_form_document
from .actions.surveys import tally
from .choices import CheckResult, InterviewStatus, RequestStatus, SurveyKind, SurveyStatus
from .models import (
    Activity,
    ActivityAttachment,
    DocumentFile,
    DocumentRequest,
    Interview,
    InterviewRecord,
    InterviewScan,
    PersonalMattersCheck,
    Survey,
)
from .views.documents import notice, notice_number

EVALUATIONS = (SurveyKind.LEADERSHIP, SurveyKind.SELECTION)


def survey_document(survey: Survey) -> bytes:
    result = tally(survey)
    doc = OfficialDocument()
    doc.title(f"{survey.title}结果")
    paper = f"（其中纸质{result.paper}份）" if result.paper else ""
    doc.paragraph(
        f"{survey.get_kind_display()}，{survey.get_distribution_display()}，共收回有效答卷{result.responses}份{paper}。"
    )
    rows = []
    for n, q in enumerate(result.questions, 1):
        options = "；".join(f"{o.option}{o.count}（{o.percent}%）" for o in q.options)
        favourable = f"{q.favourable}%" if q.favourable is not None else ""
        rows.append([str(n), q.question.text, str(q.answered), options or f"文字答复{q.texts}条", favourable])
    doc.table(["序号", "题目", "答题数", "选项分布", "好评率"], rows, (10, 50, 16, 62, 18))
    doc.signature(survey.inspection.team_signature, timezone.localdate(survey.closed_at))
    return doc.save()


def check_document(check: PersonalMattersCheck) -> bytes:
    doc = OfficialDocument()
    doc.title(f"{check.title}情况")
    persons = list(check.persons.select_related("person").order_by("position"))
    drawn = timezone.localdate(check.drawn_at) if check.drawn_at else None
    doc.paragraph(
        f"随机抽取{len(persons)}人（抽取时间：{drawn:%Y-%m-%d}），核查其个人有关事项报告情况。"
        if drawn
        else "尚未抽取。"
    )
    inconsistent = sum(p.result == CheckResult.INCONSISTENT for p in persons)
    doc.paragraph(f"经核查，{inconsistent}人报告不一致。")
    rows = [
        [str(p.position), p.person.name, p.person.post, p.get_result_display(), p.details] for p in persons
    ]
    doc.table(["序号", "姓名", "职务", "核实结果", "核实情况"], rows, (10, 20, 36, 20, 70))
    doc.signature(check.inspection.team_signature, drawn or timezone.localdate())
    return doc.save()


def activities_document(inspection: Inspection, activities: list[Activity]) -> bytes:
    doc = OfficialDocument()
    doc.title("其他方式了解情况记录")
    doc.paragraph(f"{inspection.team_signature}在{inspection.unit.name}通过以下方式了解情况。")
    rows = [
        [
            str(n),
            activity.get_kind_display(),
            activity.title,
            f"{timezone.localtime(activity.starts_at):%Y-%m-%d %H:%M}",
            activity.place,
            activity.department.name if activity.department else "",
        ]
        for n, activity in enumerate(activities, 1)
    ]
    doc.table(["序号", "方式", "事项", "时间", "地点", "部门"], rows, (10, 20, 56, 26, 24, 20))
    doc.signature(inspection.team_signature, timezone.localdate())
    return doc.save()


def _requests(inspection: Inspection) -> Iterator[ArchiveFile]:
    requests = DocumentRequest.objects.filter(inspection=inspection).exclude(status=RequestStatus.DRAFT)
    for doc_request in requests.order_by("number"):
        items = list(doc_request.items.order_by("position"))
        number = notice_number(doc_request)
        yield ArchiveFile(
            f"了解/调阅资料通知/{number}.docx",
            notice(doc_request, items),
            title="关于调阅有关资料的通知",
            number=number,
            day=timezone.localdate(doc_request.issued_at or doc_request.created_at),
            retention=Retention.YEARS_10,
        )
    files = DocumentFile.objects.filter(item__request__inspection=inspection).select_related("item__request")
    for n, file in enumerate(files.order_by("item__request__number", "item__position", "added_at"), 1):
        item = file.item
        author = inspection.unit.name
        yield uploaded("了解/调阅资料", n, file, title=f"{item.what}（{file.filename}）", author=author)


def _interviews(inspection: Inspection) -> Iterator[ArchiveFile]:
    interviews = Interview.objects.filter(inspection=inspection).order_by("starts_at", "name", "pk")
    for number, interview in enumerate(interviews, start=1):
        yield ArchiveFile(
            f"了解/谈话提纲/{number:03d}{part(interview.name)}.docx",
            outline_document(interview),
            title=f"个别谈话提纲（{interview.name}）",
            retention=Retention.YEARS_10,
        )
    committee_id = inspection.round.committee_id
    if not CommitteeSettings.objects.filter(
        committee_id=committee_id, archive_interview_records=True
    ).exists():
        return
    done = interviews.filter(status=InterviewStatus.DONE)
    records = {r.interview_id: r for r in InterviewRecord.objects.filter(interview__in=done)}
    for number, interview in enumerate(done, start=1):
        record = records.get(interview.pk)
        if record is not None:
            yield ArchiveFile(
                f"了解/谈话记录/{number:03d}{part(interview.name)}.docx",
                record_form_document(interview, record.text),
                title=f"个别谈话记录（{interview.name}）",
                day=timezone.localdate(record.written_at),
                secrecy=Secrecy.SECRET,
                sealed=True,
            )
    scans = InterviewScan.objects.filter(interview__in=done).order_by("interview__starts_at", "added_at")
    for n, scan in enumerate(scans, 1):
        yield uploaded("了解/谈话记录扫描件", n, scan, secrecy=Secrecy.SECRET, sealed=True)


def _surveys_checks_activities(inspection: Inspection) -> Iterator[ArchiveFile]:
    surveys = Survey.objects.filter(inspection=inspection, status=SurveyStatus.CLOSED).select_related(
        "inspection__round__committee", "inspection__team"
    )
    for n, survey in enumerate(surveys.order_by("closed_at", "pk"), 1):
        folder = "民主测评" if survey.kind in EVALUATIONS else "问卷调查"
        yield ArchiveFile(
            f"了解/{folder}/{n:02d}{part(survey.title)}结果.docx",
            survey_document(survey),
            day=timezone.localdate(survey.closed_at),
        )
    checks = PersonalMattersCheck.objects.filter(inspection=inspection, drawn_at__isnull=False)
    for n, check in enumerate(checks.order_by("drawn_at"), 1):
        yield ArchiveFile(
            f"了解/个人有关事项抽查/{n:02d}{part(check.title)}.docx",
            check_document(check),
            day=timezone.localdate(check.drawn_at),
            secrecy=Secrecy.SECRET,
        )
    activities = list(
        Activity.objects.filter(inspection=inspection).select_related("department").order_by("starts_at")
    )
    if activities:
        yield ArchiveFile(
            "了解/其他方式/其他方式了解情况记录.docx", activities_document(inspection, activities)
        )
    attachments = ActivityAttachment.objects.filter(activity__inspection=inspection)
    for n, file in enumerate(attachments.order_by("activity__starts_at", "added_at"), 1):
        yield uploaded("了解/其他方式", n, file)


def documents(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    yield from _requests(inspection)
    yield from _interviews(inspection)
    yield from _surveys_checks_activities(inspection)
