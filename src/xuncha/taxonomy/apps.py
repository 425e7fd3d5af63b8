from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "xuncha.taxonomy"
    label = "taxonomy"
    verbose_name = "分类体系"
