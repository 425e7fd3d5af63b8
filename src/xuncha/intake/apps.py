from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xuncha.intake"
    label = "intake"
    verbose_name = "信访受理"
