from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeKind(models.TextChoices):
    FOCUS = "focus", _("三个聚焦")
    DISCIPLINE = "discipline", _("六项纪律")
    NATURE = "nature", _("问题性质")
    FOUR_WINDS = "four_winds", _("四风")
