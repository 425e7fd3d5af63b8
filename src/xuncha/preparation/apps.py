from django.apps import AppConfig


class PreparationConfig(AppConfig):
    name = "xuncha.preparation"
    label = "preparation"
    verbose_name = "巡前了解与协助"
