"""Look-back (巡察“回头看”): the team of a look-back inspection records, for each item in force of the earlier
inspections of its unit, whether it was really fixed (真改实改), fixed on paper only (虚假整改) or has come
back (反弹回潮); a check that finds it not fixed can be followed by a new draft finding (问题底稿) of the
look-back inspection, prefilled from the earlier problem and the check's note.

The checks are the team's fieldwork: recorded in 了解 and, while the report is being written, still
corrected in 报告 (a verdict is part of what the report states). Not in 进驻 (the team has only just arrived
and has examined nothing yet) and not from 反馈 on, when the verdicts have been fed back to the unit.
"""

from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.findings import actions as findings
from xuncha.findings.actions import TITLE_LIMIT, FindingInput
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.models import Category

from ..choices import Verdict
from ..lookback import earlier_items, is_lookback
from ..models import Item, LookbackCheck
from .common import NOTE_LIMIT, in_stage, lock

CHECK_STAGES = (Stage.FIELDWORK, Stage.REPORTING)
FOLLOW_UP_VERDICTS = (Verdict.FALSE, Verdict.RELAPSED)

AUDIT_ACTIONS = {
    "lookback_check.recorded": "记录回头看核查结论",
    "lookback_check.updated": "修改回头看核查结论",
    "lookback_check.followed_up": "回头看核查形成问题底稿",
    "lookback.ledger_exported": "导出回头看核查台账",
}
AUDIT_DETAILS = {
    "verdict": "核查结论",
    "earlier_inspection": "原巡察",
    "finding": "问题底稿",
}
CHECK_FIELDS = ["verdict", "note"]


def team_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def _checkable(inspection: Inspection, what: str) -> None:
    if not is_lookback(inspection):
        raise Refused("本次巡察不是巡察“回头看”。", field="inspection")
    in_stage(inspection, CHECK_STAGES, what)


@action
def record_check(
    inspection: Inspection, *, item: Item, verdict: str, note: str, by: User | None
) -> LookbackCheck:
    """The verdict on one earlier item; recorded again, the check is updated (the changes audited)."""
    role = require(by, team_roles(inspection), what="记录回头看核查结论")
    lock(inspection)
    _checkable(inspection, "记录核查结论")
    if not earlier_items(inspection).filter(pk=item.pk).exists():
        raise Refused("该整改事项不是本次“回头看”核查的对象。", field="item")
    if verdict not in Verdict.values:
        raise Refused("请选择核查结论。", field="verdict")
    text = clean_text(note, label="核查情况", field="note", limit=NOTE_LIMIT, multiline=True)
    check = LookbackCheck.objects.select_for_update().filter(inspection=inspection, item=item).first()
    if check is None:
        check = LookbackCheck(inspection=inspection, item=item, verdict=verdict, note=text, checked_by=by)
        check.save()
        details = {"item": item.code, "earlier_inspection": item.inspection_id, "verdict": verdict}
        record("lookback_check.recorded", check, by=by, role=role, details=details)
        return check
    before = snapshot(check, CHECK_FIELDS)
    check.verdict, check.note = verdict, text
    check.checked_by, check.checked_at = by, timezone.now()
    check.save()
    details = {"item": item.code, "changes": changes(before, snapshot(check, CHECK_FIELDS))}
    record("lookback_check.updated", check, by=by, role=role, details=details)
    return check


def finding_text(check: LookbackCheck) -> tuple[str, str]:
    """The new finding's title and description, from the earlier problem (or 边巡边改 issue) and the note."""
    item = check.item
    problem = item.problem
    what = problem.title if problem is not None else item.issue.splitlines()[0] if item.issue else item.title
    title = f"“回头看”发现{check.get_verdict_display()}：{what}"
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    lines = [
        f"原巡察：{item.inspection}",
        f"原反馈问题：{problem}" if problem is not None else f"原边巡边改问题：{item.issue}",
        f"原整改任务：{item.code} {item.measure}",
        f"原整改状态：{item.get_status_display()}"
        + (f"（核实意见：{item.closing_note}）" if item.closing_note else ""),
        f"回头看核查结论：{check.get_verdict_display()}",
        f"核查情况：{check.note}",
    ]
    return title, "\n".join(lines)


@action
def follow_up(check: LookbackCheck, *, focus: Category | None = None, by: User | None) -> LookbackCheck:
    """A draft finding of the look-back inspection for an item found not really fixed, filed under the
    earlier problem's 三个聚焦 category unless ``focus`` names another."""
    inspection = check.inspection
    role = require(by, team_roles(inspection), what="形成问题底稿")
    lock(check)
    _checkable(inspection, "形成问题底稿")
    if check.verdict not in FOLLOW_UP_VERDICTS:
        raise Refused("只有核查为虚假整改或反弹回潮的事项才形成新的问题底稿。", field="verdict")
    if check.finding_id is not None:
        raise Refused(f"已形成问题底稿（{check.finding}）。", field="finding")
    item = Item.objects.select_related("problem", "inspection__round", "inspection__unit").get(
        pk=check.item_id
    )
    check.item = item
    chosen = focus or (item.problem.category if item.problem is not None else None)
    title, description = finding_text(check)
    finding = findings.draft_finding(
        inspection, data=FindingInput(title=title, description=description, focus=chosen), by=by
    )
    check.finding = finding
    check.save()
    details = {"item": item.code, "finding": finding.number}
    record("lookback_check.followed_up", check, by=by, role=role, details=details)
    return check
