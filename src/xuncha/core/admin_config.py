"""django.contrib.admin with our admin site (kept apart: INSTALLED_APPS imports it before models load)."""

from django.contrib.admin.apps import AdminConfig


class XunchaAdminConfig(AdminConfig):
    default_site = "xuncha.core.admin_site.XunchaAdminSite"
