"""Fieldwork's pages, one module per area; each module has its ``urlpatterns`` (joined in ../urls.py)."""
