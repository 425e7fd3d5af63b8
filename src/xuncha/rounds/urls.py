from django.urls import path

from . import mobilisation_views, plan_views, readiness_views, views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/teams/new/", views.team_create, name="team-create"),
    path("<int:pk>/inspections/new/", views.inspection_create, name="inspection-create"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/members/new/", views.team_member_add, name="team-member-add"),
    path("members/<int:pk>/remove/", views.team_member_remove, name="team-member-remove"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/transition/", views.inspection_transition, name="inspection-transition"),
    path("inspections/<int:pk>/archive-package/", views.archive_package_download, name="archive-package"),
    path("inspections/<int:pk>/fieldwork-end/", views.fieldwork_end, name="fieldwork-end"),
    path("inspections/<int:pk>/mobilisation/", mobilisation_views.meeting_page, name="mobilisation"),
    path(
        "inspections/<int:pk>/mobilisation/notice/",
        mobilisation_views.notice_download,
        name="mobilisation-notice",
    ),
    path(
        "inspections/<int:pk>/mobilisation/record/",
        mobilisation_views.record_download,
        name="mobilisation-record",
    ),
    path("<int:pk>/plan/", plan_views.plan_page, name="plan"),
    path("<int:pk>/plan/submit/", plan_views.plan_submit, name="plan-submit"),
    path("<int:pk>/plan/approve/", plan_views.plan_approve, name="plan-approve"),
    path("<int:pk>/plan/return/", plan_views.plan_return, name="plan-return"),
    path("<int:pk>/plan/ratify/", plan_views.plan_ratify, name="plan-ratify"),
    path("<int:pk>/plan/document/", plan_views.plan_document, name="plan-document"),
    path(
        "<int:pk>/plan/teams/<int:team_pk>/authorisation/",
        plan_views.plan_authorisation,
        name="plan-authorisation",
    ),
    path("<int:pk>/deployment-meeting/", plan_views.meeting_page, name="round-meeting"),
    path("<int:pk>/deployment-meeting/document/", plan_views.meeting_document, name="round-meeting-document"),
    path("<int:pk>/readiness/", readiness_views.readiness_page, name="readiness"),
    path("<int:pk>/readiness/sign/", readiness_views.sign, name="readiness-sign"),
    path("<int:pk>/readiness/paper/", readiness_views.paper_commitment, name="readiness-paper"),
    path("<int:pk>/readiness/trainings/new/", readiness_views.training_create, name="training-create"),
    path("trainings/<int:pk>/", readiness_views.training_attendance, name="training-attendance"),
    path("terms/", views.term_list, name="term-list"),
    path("terms/new/", views.term_create, name="term-create"),
    path("terms/<int:pk>/", views.term_detail, name="term-detail"),
]
