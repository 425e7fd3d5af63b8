"""Personal-matters checks (抽查核实领导干部报告个人有关事项): a random sample of an inspection's leaders
drawn with a recorded seed, and a result per person drawn.

The draw is reproducible (see ``actions/checks.draw``): the eligible persons' ids are frozen in the order
the draw used, with the seed and the sample, so later roster changes do not change what verification
recomputes. A result's details (what the person reported and what was found) are confidential and
encrypted. Seen by the inspection's team and the office of its committee; everyone else gets 404.
"""

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..choices import CheckResult

__all__ = ["CheckedPerson", "PersonalMattersCheck", "team_or_office"]


def team_or_office(user: User, to_inspection: str = "") -> Q:
    """The inspection's team (leader and members) or the office of its committee; ``to_inspection`` is
    the lookup path from the model to the inspection (e.g. ``"inspection__"``), empty for Inspection."""
    s = user.scopes
    return Q(**{f"{to_inspection}team_id__in": s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)}) | Q(
        **{f"{to_inspection}round__committee_id__in": s.ids(Role.OFFICE)}
    )


class PersonalMattersCheckQuerySet(models.QuerySet["PersonalMattersCheck"]):
    def visible_to(self, user: User) -> "PersonalMattersCheckQuerySet":
        return self.filter(team_or_office(user, "inspection__"))


class PersonalMattersCheck(CaseModel):
    """One sampling of leaders whose reports of personal matters the team checks."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="personal_matters_checks",
        verbose_name=_("巡察"),
    )
    title = models.CharField(_("名称"), max_length=100)
    sample_size = models.PositiveSmallIntegerField(_("抽查人数"))
    # Persons the team marked as eligible beyond the unit's leadership (CHECK_ELIGIBLE_CATEGORIES).
    extra_persons = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("另行纳入抽查范围的人员")
    )
    # Set once, by the draw: the seed, the eligible persons' ids sorted as the draw used them, the sample.
    seed = models.CharField(_("随机种子"), max_length=64, blank=True, editable=False)
    eligible_ids = models.JSONField(_("抽取范围"), default=list, blank=True, editable=False)
    sample_ids = models.JSONField(_("抽中人员"), default=list, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("抽取人")
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = PersonalMattersCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人有关事项抽查核实")
        verbose_name_plural = _("个人有关事项抽查核实")
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None


class CheckedPersonQuerySet(models.QuerySet["CheckedPerson"]):
    def visible_to(self, user: User) -> "CheckedPersonQuerySet":
        return self.filter(team_or_office(user, "matters_check__inspection__"))


class CheckedPerson(CaseModel):
    """A person drawn in a check, and the result of checking their report.

    ``to_finding`` marks an inconsistency the team wants as a draft finding (问题底稿). The findings app
    does not exist yet: when it does, it picks up the rows with ``to_finding`` set and no finding made,
    and links them here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Not named ``check``: that would hide Model.check() of Django's system checks.
    matters_check = models.ForeignKey(PersonalMattersCheck, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    position = models.PositiveSmallIntegerField(_("抽取顺序"))
    result = models.CharField(
        _("核实结果"), max_length=12, choices=CheckResult.choices, default=CheckResult.PENDING
    )
    details = EncryptedTextField(_("核实情况"), blank=True)
    to_finding = models.BooleanField(_("转为问题底稿"), default=False)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    objects = CheckedPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查人员")
        verbose_name_plural = _("抽查人员")
        ordering: ClassVar = ["matters_check_id", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["matters_check", "person"], name="unique_checked_person"),
            models.UniqueConstraint(fields=["matters_check", "position"], name="unique_checked_position"),
        ]

    def __str__(self) -> str:
        return f"{self.matters_check} · {self.person.name}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.matters_check.audit_committee_id
