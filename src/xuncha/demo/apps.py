from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data, synthetic data and benchmarks; last in the dependency order (docs/decisions/0001)."""

    name = "xuncha.demo"
    label = "demo"
    verbose_name = "演示数据"
