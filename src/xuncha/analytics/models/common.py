"""建章立制 recommendations made from a common problem across rounds: the problem (a 三个聚焦 item, a 六项纪律
category, or a group of findings similar in text), the findings it rests on, and the 督办单 that carries it
to the department or unit that is to build the rules. Seen by the office and leading group of its
committee (the notice itself is scoped by rectification)."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.models import CaseModel, User
from xuncha.findings.models import Finding
from xuncha.orgs.models import Committee
from xuncha.rectification.models import SupervisionNotice
from xuncha.taxonomy.models import Category

__all__ = ["Recommendation", "RecommendationBasis"]


class RecommendationBasis(models.TextChoices):
    FOCUS = "focus", _("三个聚焦")
    DISCIPLINE = "discipline", _("六项纪律")
    SIMILAR = "similar", _("相似问题")


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def visible_to(self, user: User) -> "RecommendationQuerySet":
        return self.filter(committee_id__in=user.scopes.ids(Role.OFFICE, Role.LEADING_GROUP))


class Recommendation(CaseModel):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("党委")
    )
    basis = models.CharField(_("共性问题类别"), max_length=12, choices=RecommendationBasis.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("分类")
    )
    findings = models.ManyToManyField(Finding, related_name="+", verbose_name=_("据以提出的问题"))
    notice = models.OneToOneField(
        SupervisionNotice, on_delete=models.PROTECT, related_name="recommendation", verbose_name=_("督办单")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("提出人")
    )
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("建章立制建议")
        verbose_name_plural = _("建章立制建议")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"建章立制建议（{self.notice.number}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id
