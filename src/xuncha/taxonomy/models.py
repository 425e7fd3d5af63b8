"""Classification schemes (三个聚焦, 六项纪律, 问题性质, 四风) and their category trees.

Schemes are installation-wide reference data kept by the sysadmin; a scheme has versions (e.g. 三个聚焦 or
四个落实) and one default per kind. Case data (petitions, findings) points at categories.
"""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SchemeKind
from .ordering import natural_key


class SchemeQuerySet(models.QuerySet["Scheme"]):
    def default(self, kind: str) -> "Scheme | None":
        return self.filter(kind=kind, is_default=True).first()


class Scheme(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=SchemeKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    version = models.CharField(_("版本"), max_length=40, blank=True)
    is_default = models.BooleanField(_("默认"), default=False)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("分类体系")
        verbose_name_plural = _("分类体系")
        ordering: ClassVar = ["kind", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_default=True), name="one_default_scheme_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）" if self.version else self.name


class Category(models.Model):
    """One item of a scheme; the 三个聚焦 items carry the seeds' "看是否…" checkpoints.

    Categories are listed in the natural order of their codes (1, 1.1, 1.2, 2, 2.1 …) everywhere: every
    select, filter, ledger and chart relies on ``Meta.ordering`` over ``sort_key``, kept by ``save``."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="categories", verbose_name=_("分类体系")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级分类项"),
    )
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    checkpoints = models.TextField(_("检查要点"), blank=True, help_text=_("每行一条"))
    sort_key = models.CharField(_("排序键"), max_length=80, editable=False, default="")

    class Meta:
        verbose_name = _("分类项")
        verbose_name_plural = _("分类项")
        ordering: ClassVar = ["scheme_id", "sort_key", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["scheme", "code"], name="unique_category_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = natural_key(self.code)
        super().save(*args, **kwargs)
