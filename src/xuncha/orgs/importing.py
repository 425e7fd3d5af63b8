"""Excel import of units and rosters: reading the workbook, validating every row, and the template.

The workbook has a 单位 sheet (单位名称, 上级单位, 单位类型, 单位代码, 党组织类别) and a 人员 sheet
(单位名称, 姓名, 职务, 类别). Reading refuses a file that is not a usable workbook; planning checks every
row against the committee's existing units and the rest of the file and lists every problem with its sheet
and row number.
The action in actions.py writes the plan only when there is no problem at all.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
from openpyxl import load_workbook

from xuncha.core.errors import Refused

from . import rules
from .choices import PartyOrgKind, PostCategory, UnitType
from .models import Committee, Person, Unit

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
UNIT_SHEET = "单位"
UNIT_HEADERS = ("单位名称", "上级单位", "单位类型", "单位代码", "党组织类别")
PEOPLE_SHEET = "人员"
PEOPLE_HEADERS = ("单位名称", "姓名", "职务", "类别")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    units_created: int = 0
    people_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Row:
    number: int  # the row number shown by Excel
    values: tuple[str, ...]


@dataclass
class Sheets:
    units: list[Row]
    people: list[Row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 1001.0
    return str(value).strip()


def _refuse(message: str) -> Refused:
    return Refused(message, field="file")


def read_workbook(file: IO[bytes]) -> Sheets:
    sheets = read_sheets(file, ((UNIT_SHEET, UNIT_HEADERS), (PEOPLE_SHEET, PEOPLE_HEADERS)))
    return Sheets(units=sheets[UNIT_SHEET], people=sheets[PEOPLE_SHEET])


def read_sheets(file: IO[bytes], specs: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[Row]]:
    """The non-empty rows of each named sheet, whose first row must be exactly its headers; a file that
    is not a usable workbook of the template is refused with the reason."""
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(f"文件过大，不能超过 {MAX_BYTES // (1024 * 1024)} MB。")
    if not data:
        raise _refuse("文件是空的。")
    if data.startswith(OLE_MAGIC):
        raise _refuse("不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。")
    if not data.startswith(ZIP_MAGIC):
        raise _refuse("文件不是 Excel（.xlsx）格式，请使用下载的模板。")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            total = 0
            sheets: dict[str, list[Row]] = {}
            for name, headers in specs:
                if name not in workbook.sheetnames:
                    raise _refuse(f"缺少工作表“{name}”，请使用下载的模板。")
                sheets[name] = list(_read_sheet(workbook[name], name, headers, limit=MAX_ROWS - total))
                total += len(sheets[name])
        finally:
            workbook.close()
    except Refused:
        raise
    except Exception as exc:
        # A damaged or hostile archive can fail anywhere inside openpyxl; the user gets a reason, not a 500.
        raise _refuse("无法读取该文件，文件可能已损坏，请使用下载的模板重新填写。") from exc
    if total == 0:
        raise _refuse("文件中没有可导入的数据。")
    return sheets


def _older_template(headers: tuple[str, ...]) -> tuple[str, ...]:
    """The header of the template before 党组织类别 was added (its cells read as blank): files downloaded
    earlier still import, their units taking the usual party organisation of their type."""
    if headers[-1] != "党组织类别":
        return headers
    return (*headers[:-1], "")


def _read_sheet(sheet: Any, name: str, headers: tuple[str, ...], *, limit: int) -> Iterator[Row]:
    rows = sheet.iter_rows(max_col=len(headers), values_only=True)
    first = next(rows, ())
    found = tuple(_cell_text(v) for v in first) + ("",) * (len(headers) - len(first))
    if found != headers and found != _older_template(headers):
        raise _refuse(f"工作表“{name}”的表头应为：{'、'.join(headers)}。请使用下载的模板。")
    count = 0
    for number, cells in enumerate(rows, start=2):
        values = tuple(_cell_text(v) for v in cells) + ("",) * (len(headers) - len(cells))
        if not any(values):
            continue
        count += 1
        if count > limit:
            raise _refuse(f"数据行过多，一次最多导入 {MAX_ROWS} 行，请分批导入。")
        yield Row(number, values)


@dataclass
class _UnitPlan:
    row: int
    name: str
    parent: str
    unit_type: str
    code: str
    party_org_kind: str


@dataclass
class _PersonPlan:
    unit: str
    name: str
    post: str
    category: str


@dataclass
class Plan:
    errors: list[RowError] = field(default_factory=list)
    units: list[_UnitPlan] = field(default_factory=list)  # parents before children
    people: list[_PersonPlan] = field(default_factory=list)
    existing: dict[str, Unit] = field(default_factory=dict)

    @property
    def people_count(self) -> int:
        return len(self.people)

    def create(self, committee: Committee) -> list[Unit]:
        """Write the plan (inside the caller's action). Returns the units created."""
        by_name = dict(self.existing)
        created: list[Unit] = []
        for item in self.units:
            unit = Unit(
                committee=committee,
                name=item.name,
                parent=by_name.get(item.parent) if item.parent else None,
                unit_type=item.unit_type,
                code=item.code,
                party_org_kind=item.party_org_kind,
            )
            unit.save()
            by_name[unit.name] = unit
            created.append(unit)
        Person.objects.bulk_create(
            Person(unit=by_name[p.unit], name=p.name, post=p.post, category=p.category) for p in self.people
        )
        return created


def plan_import(sheets: Sheets, committee: Committee) -> Plan:
    plan = Plan(existing={u.name: u for u in Unit.objects.filter(committee=committee)})
    file_units = _plan_units(sheets.units, plan)
    _plan_people(sheets.people, plan, file_units)
    plan.errors.sort(key=lambda e: (e.sheet != UNIT_SHEET, e.row))
    return plan


def _plan_units(rows: list[Row], plan: Plan) -> set[str]:
    """Check the 单位 rows; queue the valid ones parents first. Returns every unit name the file names."""
    names = {row.values[0] for row in rows if row.values[0]}
    first_row: dict[str, int] = {}
    valid: dict[str, _UnitPlan] = {}
    problems: dict[int, list[str]] = {}
    for row in rows:
        name, parent, type_label, code, kind_label = row.values
        unit_type = rules.unit_type_from_label(type_label)
        party_org_kind = rules.choice_from_label(kind_label, PartyOrgKind)
        found = [
            rules.text_problem(name, label="单位名称", limit=rules.max_length(Unit, "name")),
            rules.choice_problem(unit_type, UnitType, label="单位类型"),
            party_org_kind and rules.choice_problem(party_org_kind, PartyOrgKind, label="党组织类别"),
            rules.text_problem(code, label="单位代码", limit=rules.max_length(Unit, "code"), required=False),
        ]
        if name in first_row:
            found.append(f"单位名称“{name}”与第 {first_row[name]} 行重复")
        elif name in plan.existing:
            found.append(f"本党委已有名为“{name}”的单位")
        if parent and parent == name:
            found.append("上级单位不能是单位本身")
        elif parent and parent not in plan.existing and parent not in names:
            found.append(f"上级单位“{parent}”不存在（既不是本党委已有单位，也不在本文件中）")
        first_row.setdefault(name, row.number)
        reasons = [p for p in found if p]
        if reasons:
            problems[row.number] = reasons
        else:
            valid[name] = _UnitPlan(row.number, name, parent, unit_type, code, party_org_kind)
    plan.units = _parents_first(valid, problems)
    for number, reasons in problems.items():
        plan.errors.append(RowError(UNIT_SHEET, number, "；".join(reasons)))
    return names


def _parents_first(valid: dict[str, _UnitPlan], problems: dict[int, list[str]]) -> list[_UnitPlan]:
    """Order valid rows so a parent from the file is created before its children; flag cycles."""
    ordered: list[_UnitPlan] = []
    pending = dict(valid)
    while pending:
        ready = [u for u in pending.values() if u.parent not in pending]
        if not ready:
            for unit in pending.values():
                problems.setdefault(unit.row, []).append("上级单位关系形成循环")
            break
        for unit in ready:
            ordered.append(unit)
            del pending[unit.name]
    return ordered


def _plan_people(rows: list[Row], plan: Plan, file_units: set[str]) -> None:
    principals: dict[str, str] = {}  # unit name → who is its principal (for the message)
    existing_people = {
        (p.unit.name, p.name, p.post): p
        for p in Person.objects.filter(unit__in=plan.existing.values(), is_active=True).select_related("unit")
    }
    for (unit_name, person_name, _post), person in existing_people.items():
        if person.category == PostCategory.PRINCIPAL:
            principals[unit_name] = f"在职的主要负责人{person_name}"
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        unit_name, name, post, category_label = row.values
        category = rules.category_from_label(category_label)
        found = [
            rules.text_problem(unit_name, label="单位名称", limit=rules.max_length(Unit, "name")),
            rules.text_problem(name, label="姓名", limit=rules.max_length(Person, "name")),
            rules.text_problem(post, label="职务", limit=rules.max_length(Person, "post")),
            rules.choice_problem(category, PostCategory, label="类别"),
        ]
        if unit_name and unit_name not in plan.existing and unit_name not in file_units:
            found.append(f"单位“{unit_name}”不存在（既不是本党委已有单位，也不在“单位”工作表中）")
        key = (unit_name, name, post)
        if key in seen:
            found.append(f"与第 {seen[key]} 行重复")
        elif key in existing_people:
            found.append(f"“{unit_name}”已有在职人员{name}（{post}）")
        if category == PostCategory.PRINCIPAL and unit_name:
            if unit_name in principals:
                found.append(f"“{unit_name}”已有{principals[unit_name]}，每个单位只能有一名主要负责人")
            else:
                principals[unit_name] = f"主要负责人{name}（第 {row.number} 行）"
        seen.setdefault(key, row.number)
        reasons = [p for p in found if p]
        if reasons:
            plan.errors.append(RowError(PEOPLE_SHEET, row.number, "；".join(reasons)))
        else:
            plan.people.append(_PersonPlan(unit_name, name, post, category))


def header_sheet(workbook: Any, name: str, headers: tuple[str, ...], widths: tuple[int, ...]) -> Any:
    """A template's data sheet: bold headers in the first row, frozen, with column widths."""
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = workbook.add_worksheet(name)
    for col, (title, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write(0, col, title, header)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    return sheet


def notes_sheet(workbook: Any, lines: tuple[str, ...]) -> None:
    notes = workbook.add_worksheet("填写说明")
    notes.set_column(0, 0, 100)
    for line, text in enumerate(lines):
        notes.write(line, 0, text)


def build_template() -> bytes:
    """The import template: both sheets with their headers, drop-down lists, and a sheet of notes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    units = header_sheet(workbook, UNIT_SHEET, UNIT_HEADERS, (32, 32, 16, 16, 16))
    people = header_sheet(workbook, PEOPLE_SHEET, PEOPLE_HEADERS, (32, 12, 24, 24))
    units.data_validation(1, 2, MAX_ROWS, 2, {"validate": "list", "source": [str(c.label) for c in UnitType]})
    units.data_validation(
        1, 4, MAX_ROWS, 4, {"validate": "list", "source": [str(c.label) for c in PartyOrgKind]}
    )
    people.data_validation(
        1, 3, MAX_ROWS, 3, {"validate": "list", "source": [str(c.label) for c in PostCategory]}
    )
    notes_sheet(
        workbook,
        (
            "1. “单位”表每行一个单位；上级单位填写本党委已有单位或本表中的单位名称，顶层单位留空。",
            f"2. 单位类型从下拉列表选择：{'、'.join(str(c.label) for c in UnitType)}。",
            f"   党组织类别从下拉列表选择：{'、'.join(str(c.label) for c in PartyOrgKind)}；"
            "不填时机关为党组、村（社区）为党支部、其他为党委。",
            "3. “人员”表每行一人；单位名称须为本党委已有单位或“单位”表中的单位。",
            f"4. 类别从下拉列表选择：{'、'.join(str(c.label) for c in PostCategory)}。",
            "   每个单位只能有一名在职的主要负责人。",
            f"5. 文件不超过 5 MB，两表合计不超过 {MAX_ROWS} 行。任何一行有误时全部不导入，并逐行列出原因。",
        ),
    )
    workbook.close()
    return buffer.getvalue()
