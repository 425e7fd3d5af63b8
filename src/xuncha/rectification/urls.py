"""URLs of rectification, mounted at /rectification/."""

from django.urls import URLPattern, path

from .views import items, lists, plans, reports

app_name = "rectification"
urlpatterns: list[URLPattern] = [
    path("", lists.item_list, name="item-list"),
    path("ledger/", lists.ledger_export, name="ledger"),
    path("inspections/<int:inspection_id>/", plans.inspection_page, name="inspection"),
    path("inspections/<int:inspection_id>/plan/", plans.plan_start, name="plan-start"),
    path("inspections/<int:inspection_id>/issue/", items.item_issue, name="item-issue"),
    path("inspections/<int:inspection_id>/reports/upload/", reports.report_upload, name="report-upload"),
    path("inspections/<int:inspection_id>/skeleton/", reports.skeleton_download, name="skeleton"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/document/", reports.plan_download, name="plan-document"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan-return"),
    path("plans/<int:pk>/tasks/add/", plans.task_add, name="task-add"),
    path("items/<int:pk>/", items.item_page, name="item"),
    path("items/<int:pk>/edit/", plans.task_edit, name="task-edit"),
    path("items/<int:pk>/remove/", plans.task_remove, name="task-remove"),
    path("items/<int:pk>/progress/", items.progress_add, name="progress-add"),
    path("items/<int:pk>/submit/", items.item_submit, name="item-submit"),
    path("items/<int:pk>/close/", items.item_close, name="item-close"),
    path("items/<int:pk>/return/", items.item_return, name="item-return"),
    path("evidence/<uuid:pk>/", items.evidence_download, name="evidence"),
    path("reports/<uuid:pk>/", reports.report_download, name="report"),
]
