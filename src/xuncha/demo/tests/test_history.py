"""`xuncha demo-data --history`: three years of earlier rounds for the city and both counties, through the
actions, with what the statistics, the filings upward and the common problems need to show."""

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone

from xuncha.analytics import common, filings
from xuncha.analytics.models import Recommendation
from xuncha.core.audit import verify_chain
from xuncha.core.officialdoc import layout_problems
from xuncha.findings.choices import ClueStatus, ClueTransferStatus, FindingStatus
from xuncha.findings.clues.transfers import overdue as overdue_transfers
from xuncha.findings.models import ClueTransfer, Finding
from xuncha.intake.models import Petition
from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Committee
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.models import Assessment, Item
from xuncha.rounds.archive_package import CATALOGUE_DOCX, CATALOGUE_XLSX, MANIFEST
from xuncha.rounds.archive_verify import verify
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import ArchivePackage, Round

from .. import data

pytestmark = pytest.mark.django_db


def test_history_gives_every_committee_three_years_and_the_upper_office_its_picture(tmp_path: Path) -> None:
    call_command("demo-data", "--history", stdout=io.StringIO())
    assert verify_chain().ok
    _the_archived_inspections_package(tmp_path)
    year = timezone.localdate().year
    committees = {c.name: c for c in Committee.objects.all()}
    for name in (data.CITY, data.COUNTY_A, data.COUNTY_B):
        years = {r.planned_start.year for r in Round.objects.filter(committee=committees[name])}
        assert {year - 3, year - 2, year - 1} <= years, name
    earlier = Round.objects.filter(planned_start__year__lte=year - 2)
    stages = {(r.planned_start.year, i.stage) for r in earlier for i in r.inspections.all()}
    # The round of four years ago is archived (demo/archive.py): see test_the_archived_inspections_package.
    assert stages == {(year - 4, Stage.ARCHIVED), (year - 3, Stage.REVIEWING), (year - 2, Stage.RECTIFYING)}
    assert Assessment.objects.filter(inspection__round__planned_start__year=year - 3).count() == 4
    # Petitions months apart, findings signed off, items closed on time and late, and one still open.
    months = {p.received_at.strftime("%Y-%m") for p in Petition.objects.filter(inspection__round__in=earlier)}
    assert len(months) >= 6
    assert (
        Finding.objects.filter(inspection__round__in=earlier, status=FindingStatus.SIGNED_OFF).count() >= 18
    )
    items = Item.objects.filter(inspection__round__in=earlier)
    closed = items.filter(status=ItemStatus.CLOSED)
    assert {i.closed_at.date() <= i.due_on for i in closed if i.closed_at and i.due_on} == {True, False}
    assert items.exclude(status=ItemStatus.CLOSED).exists()

    # Clues of the city's earlier rounds, through the actions: reported back along the 四种形态, two overdue.
    transfers = ClueTransfer.objects.filter(clue__inspection__round__in=earlier).exclude(
        clue__inspection__stage=Stage.ARCHIVED  # demo/archive.py's, dated today
    )
    assert transfers.count() == 5
    assert {t.clue.status for t in transfers} == {ClueStatus.TRANSFERRED}
    assert {t.outcome for t in transfers if t.status == ClueTransferStatus.REPORTED} >= {"form_1", "form_2"}
    late = transfers.filter(overdue_transfers())
    assert {t.status for t in late} == {ClueTransferStatus.SENT, ClueTransferStatus.DISPOSED}
    assert all(t.sent_at.year < year and t.due_on < timezone.localdate() for t in transfers)

    city = committees[data.CITY]
    recurring = common.across_rounds(city.pk, "focus")[0]
    assert recurring.category.code == "2.4" and recurring.rounds >= 3 and len(recurring.years) >= 3
    assert common.similar_findings(city.pk)
    _, lower = common.lower_counts(city.pk, "focus")
    assert all(entry.common() >= 1 for entry in lower)
    recommendation = Recommendation.objects.get()
    lead = recommendation.notice.lead_department
    assert lead is not None and lead.kind == DepartmentKind.ZUZHIBU

    rows = {row.committee.name: row for row in filings.lateness(Committee.objects.filter(parent=city))}
    qinghe, anping = rows[data.COUNTY_A], rows[data.COUNTY_B]
    assert qinghe.filed == qinghe.acknowledged >= 8
    assert (qinghe.overdue, qinghe.filed_late) == (1, 1)
    assert anping.filed == 0 and anping.overdue >= 6


# Where each kind of record lies in the package (the providers' folders and names).
KINDS = {
    "巡察公告": "信访/巡察公告.docx",
    "了解情况函及答复": "巡前了解/01",
    "答复附件": "巡前了解/答复附件/",
    "单位提供的调阅资料": "了解/调阅资料/",
    "民主测评结果": "了解/民主测评/",
    "问卷调查结果": "了解/问卷调查/",
    "个人有关事项抽查": "了解/个人有关事项抽查/",
    "其他方式了解情况记录": "了解/其他方式/其他方式了解情况记录.docx",
    "其他方式的材料": "了解/其他方式/001-",
    "问题底稿台账": "问题/问题底稿台账.xlsx",
    "线索处置结果": "问题线索/处置结果/",
    "周报": "报告/周报/",
    "巡察报告": "报告/巡察报告.docx",
    "综合报告": "报告/综合报告.docx",
    "听取汇报记录": "报告/听取汇报记录/",
    "书记专题会议纪要": "报告/书记专题会议纪要/",
    "反馈意见": "报告/反馈意见（被巡察党组织）.docx",
    "整改方案": "整改/整改方案.docx",
    "整改报告": "整改/报告/",
    "佐证材料": "整改/佐证材料/",
    "督办单": "整改/督办单/督办单-",
    "督办办理材料": "整改/督办单/办理材料/",
}


def _the_archived_inspections_package(tmp_path: Path) -> None:
    """The demo's archived inspection: a package with every kind of record, its 卷内目录, verified intact;
    a changed file fails the check. (It is a routine inspection: a look-back's 核查台账 is not among them;
    interview records stay out, the committee's setting leaving them out.)"""
    package = ArchivePackage.objects.get(inspection__round__planned_start__year=timezone.localdate().year - 4)
    path = tmp_path / "package.zip"
    path.write_bytes(package.read())
    verdict = verify(path)
    assert verdict.ok, verdict.problems
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files[MANIFEST])
    titles = {entry["path"]: entry["title"] for entry in manifest["files"]}
    for kind, where in KINDS.items():
        assert any(name.startswith(where) for name in titles), kind
    assert not any(name.startswith("了解/谈话记录") for name in files)
    assert {CATALOGUE_DOCX, CATALOGUE_XLSX} <= set(files)
    table = docx.Document(io.BytesIO(files[CATALOGUE_DOCX])).tables[0]
    assert [row.cells[3].text for row in table.rows[1:]] == list(titles.values())
    assert layout_problems(files[CATALOGUE_DOCX]) == []
    assert manifest["retention"] == "永久" and manifest["secrecy"] == "秘密"
    changed = dict(files, **{"整改/整改方案.docx": files["整改/整改方案.docx"] + b" "})
    with zipfile.ZipFile(tmp_path / "changed.zip", "w") as archive:
        for name, data in changed.items():
            archive.writestr(name, data)
    assert verify(tmp_path / "changed.zip").problems == ["文件已被改动：整改/整改方案.docx"]
