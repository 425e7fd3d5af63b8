from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "xuncha.rounds"
    label = "rounds"
    verbose_name = "轮次与巡察"
