"""Intake's pages, one module per area; each module has its ``urlpatterns`` (joined in ../urls.py)."""

from django.views.decorators.debug import sensitive_post_parameters

from ..models import IDENTITY_FIELDS

# Django's error reports never carry what identifies a reporter or opens a receipt.
hide_identity = sensitive_post_parameters(*IDENTITY_FIELDS, "receipt")
