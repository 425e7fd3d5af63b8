"""The receiver a clue goes to by rule (domain §6, 成果运用): a pure function of the clue's kind, the
committee's departments and the inspected unit, with the rule's explanation shown to the team.

违纪违法 → the committee's 纪委监委; 选人用人 → its 组织部; general problems → the unit's party organisation;
leadership members' problems → the unit's principal leader; other → a competent department the team chooses.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Department, Unit

from ..choices import ClueKind

RULES = {
    ClueKind.DISCIPLINE: "违纪违法问题线索移交纪委监委。",
    ClueKind.SELECTION: "选人用人问题线索移交组织部。",
    ClueKind.GENERAL: "一般性问题移交被巡察党组织。",
    ClueKind.LEADERSHIP: "领导班子成员的问题移交被巡察党组织主要负责人。",
    ClueKind.OTHER: "其他问题移交有关主管部门，请选择。",
}
_DEPARTMENT_FOR = {ClueKind.DISCIPLINE: DepartmentKind.JIWEI, ClueKind.SELECTION: DepartmentKind.ZUZHIBU}


@dataclass(frozen=True)
class Proposal:
    """The receiver by rule (a department or the unit; neither when the team must choose) and why."""

    department: Department | None
    unit: Unit | None
    rule: str

    def matches(self, department: Department | None, unit: Unit | None) -> bool:
        """Whether a chosen receiver is the proposed one (a departure needs a reason)."""
        if self.department is None and self.unit is None:
            return True  # nothing proposed: the team's choice is the rule
        same_department = (self.department.pk if self.department else None) == (
            department.pk if department else None
        )
        return same_department and (self.unit.pk if self.unit else None) == (unit.pk if unit else None)


def propose(kind: ClueKind, departments: Iterable[Department], unit: Unit) -> Proposal:
    """The receiver of a clue of ``kind`` among the committee's ``departments`` and the inspected ``unit``."""
    rule = RULES[kind]
    wanted = _DEPARTMENT_FOR.get(kind)
    if wanted is not None:
        found = next((d for d in departments if d.kind == wanted), None)
        if found is None:
            return Proposal(None, None, f"{rule}本级党委尚未登记{wanted.label}，请选择接收部门。")
        return Proposal(found, None, rule)
    if kind in (ClueKind.GENERAL, ClueKind.LEADERSHIP):
        return Proposal(None, unit, rule)
    return Proposal(None, None, rule)
