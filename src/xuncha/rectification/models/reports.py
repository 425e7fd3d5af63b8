"""The documents a unit owes after feedback, uploaded by its liaison: the plan's signed text, the
rectification report (整改报告) and the party secretary's implementation report
(书记履行第一责任人职责情况报告). Each upload is kept; the latest of a kind counts."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.core.files import SealedFile
from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from ..choices import ReportKind
from .scope import inspection_scope

__all__ = ["UnitReport"]


class UnitReportQuerySet(models.QuerySet["UnitReport"]):
    def visible_to(self, user: User) -> "UnitReportQuerySet":
        return self.filter(inspection_scope(user, "inspection__"))


class UnitReport(SealedFile):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="rectification_reports", verbose_name=_("巡察")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ReportKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = UnitReportQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("整改报告文件")
        verbose_name_plural = _("整改报告文件")
        ordering: ClassVar = ["inspection_id", "kind", "-added_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.added_at:%Y-%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id
