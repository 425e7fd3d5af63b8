"""Pages of 统计分析, one module per area; each module has its ``urlpatterns`` (joined in ../urls.py)."""
