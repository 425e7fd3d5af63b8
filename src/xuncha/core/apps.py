from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xuncha.core"
    label = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from . import signals
        from .home import register_panels
        from .panels import core_panels

        signals.connect()
        register_panels(core_panels)
