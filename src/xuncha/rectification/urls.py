"""URLs of rectification, mounted at /rectification/."""

from django.urls import URLPattern, path

from .views import batch, items, lists, plans, reports, supervision
from .views import lookback as lookback_views
from .views import publication as publication_views
from .views import self_check as self_check_views

app_name = "rectification"
urlpatterns: list[URLPattern] = [
    path("", lists.item_list, name="item-list"),
    *batch.urlpatterns,
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
    path(
        "inspections/<int:inspection_id>/publication/", publication_views.publication_page, name="publication"
    ),
    path(
        "inspections/<int:inspection_id>/publication/edit/",
        publication_views.publication_edit,
        name="publication-edit",
    ),
    path("publications/<int:pk>/publish/", publication_views.publication_publish, name="publication-publish"),
    path(
        "publications/<int:pk>/withdraw/", publication_views.publication_withdraw, name="publication-withdraw"
    ),
    path("items/<int:pk>/confidential/", publication_views.item_confidential, name="item-confidential"),
    path("supervision/", supervision.notice_list, name="notice-list"),
    path("supervision/<int:pk>/", supervision.notice_page, name="notice"),
    path("supervision/<int:pk>/document/", supervision.notice_download, name="notice-document"),
    path("supervision/<int:pk>/respond/", supervision.notice_respond, name="notice-respond"),
    path("supervision/<int:pk>/close/", supervision.notice_close, name="notice-close"),
    path("supervision/<int:pk>/return/", supervision.notice_return, name="notice-return"),
    path("supervision/files/<uuid:pk>/", supervision.response_file_download, name="notice-file"),
    path("inspections/<int:inspection_id>/supervision/new/", supervision.notice_issue, name="notice-issue"),
    path(
        "inspections/<int:inspection_id>/assessments/new/", supervision.assessment_add, name="assessment-add"
    ),
    path("inspections/<int:inspection_id>/visits/new/", supervision.visit_add, name="visit-add"),
    path("inspections/<int:inspection_id>/lookback/", lookback_views.lookback_page, name="lookback"),
    path(
        "inspections/<int:inspection_id>/lookback/items/<int:item_id>/",
        lookback_views.check_record,
        name="lookback-check",
    ),
    path(
        "inspections/<int:inspection_id>/lookback/ledger/",
        lookback_views.ledger_export,
        name="lookback-ledger",
    ),
    path("lookback-checks/<int:pk>/follow-up/", lookback_views.check_follow_up, name="lookback-follow-up"),
    path(
        "self-check/inspections/<int:inspection_id>/",
        self_check_views.self_check_list,
        name="self-check-list",
    ),
    path(
        "self-check/inspections/<int:inspection_id>/new/",
        self_check_views.self_check_new,
        name="self-check-new",
    ),
    path("self-check/<int:pk>/", self_check_views.self_check_page, name="self-check"),
    path("self-check/<int:pk>/accept/", self_check_views.self_check_accept, name="self-check-accept"),
    path("self-check/<int:pk>/decline/", self_check_views.self_check_decline, name="self-check-decline"),
]
