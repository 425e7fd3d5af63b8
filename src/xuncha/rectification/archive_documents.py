"""What rectification puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the plan with its three lists, the 整改台账, the reports the unit uploaded and the evidence of every
progress report (佐证材料), as uploaded; each supervision notice (督办单) with what its receivers reported
and sent; and for a look-back inspection the 回头看核查台账."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.rounds.archive import ArchiveFile, Retention, uploaded
from xuncha.rounds.models import Inspection

from . import ledger
from .actions.supervision import notice_document
from .choices import ItemSource
from .documents import plan_docx
from .lookback import is_lookback, write_ledger
from .models import Evidence, Item, Plan, ResponseFile, SupervisionNotice, UnitReport


def responses_document(notice: SupervisionNotice) -> bytes:
    doc = OfficialDocument()
    doc.title(f"督办事项办理情况（{notice.number}）")
    doc.paragraph(f"督办事项：{notice.subject}")
    for response in notice.responses.select_related("unit", "department").order_by("at"):
        kind = "办理结果" if response.is_result else "办理情况"
        doc.heading(1, f"{response.sender_name}{kind}（{timezone.localtime(response.at):%Y-%m-%d}）")
        doc.paragraph(response.text)
    doc.signature(notice.committee.name, timezone.localdate(notice.closed_at or notice.issued_at))
    return doc.save()


def _plan_and_ledger(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    items = Item.objects.filter(inspection=inspection)
    plan = Plan.objects.filter(inspection=inspection).first()
    unit = inspection.unit.name
    if plan is not None:
        tasks = list(
            items.filter(source=ItemSource.PLAN)
            .select_related("problem")
            .prefetch_related("milestones")
            .order_by("number")
        )
        yield ArchiveFile(
            "整改/整改方案.docx",
            plan_docx(plan, tasks),
            title="整改方案",
            author=unit,
            retention=Retention.PERMANENT,
        )
    at = timezone.now()
    handle, _ = ledger.write(items, user=by, at=at)
    with handle:
        yield ArchiveFile("整改/整改台账.xlsx", handle.read(), title="整改台账", day=timezone.localdate(at))
    reports = UnitReport.objects.filter(inspection=inspection).order_by("added_at")
    for n, report in enumerate(reports, 1):
        title = f"{report.get_kind_display()}（{report.filename}）"
        yield uploaded("整改/报告", n, report, title=title, author=unit, retention=Retention.PERMANENT)
    evidence = Evidence.objects.filter(progress__item__inspection=inspection).select_related("progress__item")
    for n, file in enumerate(evidence.order_by("progress__item__number", "added_at"), 1):
        title = f"整改事项{file.progress.item.code}佐证材料（{file.filename}）"
        yield uploaded("整改/佐证材料", n, file, title=title, author=unit)


def _notices(inspection: Inspection) -> Iterator[ArchiveFile]:
    notices = SupervisionNotice.objects.filter(inspection=inspection).select_related(
        "committee", "lead_unit", "lead_department", "inspection__team", "inspection__unit"
    )
    author = f"{inspection.round.committee.name}巡察工作领导小组办公室"
    for notice in notices.order_by("year", "sequence"):
        chosen = list(notice.items.order_by("number"))
        name = f"督办单-{notice.year}-{notice.sequence}"
        day = timezone.localdate(notice.issued_at)
        yield ArchiveFile(
            f"整改/督办单/{name}.docx",
            notice_document(notice, chosen),
            title=f"督办单（{notice.subject}）",
            number=notice.number,
            author=author,
            day=day,
        )
        if notice.responses.exists():
            yield ArchiveFile(
                f"整改/督办单/{name}-办理情况.docx",
                responses_document(notice),
                title=f"督办事项办理情况（{notice.subject}）",
                number=notice.number,
                author=author,
            )
    files = ResponseFile.objects.filter(response__notice__inspection=inspection).select_related("response")
    for n, file in enumerate(files.order_by("response__at", "added_at"), 1):
        yield uploaded("整改/督办单/办理材料", n, file, author=file.response.sender_name)


def documents(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    yield from _plan_and_ledger(inspection, by)
    yield from _notices(inspection)
    if is_lookback(inspection):
        at = timezone.now()
        handle, _ = write_ledger(inspection, user=by, at=at)
        with handle:
            yield ArchiveFile(
                "整改/回头看核查台账.xlsx",
                handle.read(),
                title="“回头看”核查台账",
                day=timezone.localdate(at),
            )
