from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.rounds.choices import Stage


class RequestKind(models.TextChoices):
    """Why the team asks: background before stationing, or help during the inspection (seeds 001, 004)."""

    PREPARATION = "preparation", _("巡前了解")
    ASSISTANCE = "assistance", _("提请协助")


# When each kind may be sent: 巡前了解 before the team starts its fieldwork (准备, 进驻); 提请协助 while the
# team is at work in the unit (进驻 to 报告).
KIND_STAGES: dict[str, tuple[str, ...]] = {
    RequestKind.PREPARATION: (Stage.PREPARING, Stage.STATIONED),
    RequestKind.ASSISTANCE: (Stage.STATIONED, Stage.FIELDWORK, Stage.REPORTING),
}

# The letter's name by kind.
KIND_LETTER: dict[str, str] = {RequestKind.PREPARATION: "了解情况函", RequestKind.ASSISTANCE: "提请协助函"}


class RequestStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已关闭")


class AnswerStatus(models.TextChoices):
    """The stored state of one department's answer slot; 逾期 is shown, not stored (``Recipient.state``)."""

    PENDING = "pending", _("待答复")
    ANSWERED = "answered", _("已答复")


class AnswerState(models.TextChoices):
    """What the pages and the API show for a slot."""

    PENDING = "pending", _("待答复")
    ANSWERED = "answered", _("已答复")
    OVERDUE = "overdue", _("逾期")


STATE_BADGES: dict[str, str] = {
    AnswerState.PENDING: "warning",
    AnswerState.ANSWERED: "success",
    AnswerState.OVERDUE: "danger",
}
