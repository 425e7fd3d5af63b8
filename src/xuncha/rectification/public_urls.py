"""Public pages of rectification (整改情况公开, 双公开), mounted at /portal/gongkai/ (no login)."""

from .views.publication import public_urlpatterns

app_name = "gongkai"
urlpatterns = public_urlpatterns
