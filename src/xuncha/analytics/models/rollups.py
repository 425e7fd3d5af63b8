"""Rollups of the dashboard: per inspection, the counts its figures would otherwise GROUP BY over a million
rows. Kept exact by ``analytics.rollups`` (recounted for an inspection in the transaction of every write
that changes them); ``xuncha analytics rollup --check`` recomputes them from the base tables."""

from typing import ClassVar

from django.db import models

from xuncha.rounds.models import Inspection
from xuncha.taxonomy.models import Category


class Dimension(models.TextChoices):
    CHANNEL = "channel", "信访件渠道"
    MONTH = "month", "信访件月份"
    SCOPE = "scope", "受理范围"
    DISCIPLINE = "discipline", "信访件六项纪律"
    FOCUS = "focus", "信访件三个聚焦"
    GROUP = "group", "重复件组"
    FINDING_FOCUS = "finding_focus", "问题三个聚焦"
    FINDING_DISCIPLINE = "finding_discipline", "问题六项纪律"
    FINDING_NATURE = "finding_nature", "问题性质"
    FINDING_FOUR_WINDS = "finding_four_winds", "问题四风"


class Tally(models.Model):
    """How many petitions (or signed-off findings) of one inspection have one value of one dimension: a
    choice or a month in ``value`` ('' for none), a category in ``category``, a duplicate group's id in
    ``value`` (grouped petitions only)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    value = models.CharField(max_length=40, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    n = models.PositiveIntegerField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["dimension", "inspection"])]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.dimension} {self.value or self.category_id}: {self.n}"


class ItemTally(models.Model):
    """How many active rectification items of one inspection are closed or not, on time or not, with one
    next deadline (the earliest open milestone's, else the item's; none once closed): what the lights and
    rates need."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    closed = models.BooleanField()
    on_time = models.BooleanField()
    next_due = models.DateField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["inspection"])]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.closed} {self.on_time} {self.next_due}: {self.n}"
