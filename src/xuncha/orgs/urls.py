from django.urls import path

from . import access_views, views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/import/", views.unit_import, name="unit-import"),
    path("units/import/template/", views.unit_import_template, name="unit-import-template"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/people/new/", views.person_add, name="person-add"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("inspectors/", views.inspector_list, name="inspector-list"),
    path("inspectors/new/", views.inspector_create, name="inspector-create"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector-detail"),
    path("inspectors/<int:pk>/edit/", views.inspector_edit, name="inspector-edit"),
    path("inspectors/<int:pk>/former-posts/new/", views.former_post_add, name="former-post-add"),
    path("former-posts/<int:pk>/remove/", views.former_post_remove, name="former-post-remove"),
    path("inspectors/<int:pk>/relatives/new/", views.relative_add, name="relative-add"),
    path("relatives/<uuid:pk>/remove/", views.relative_remove, name="relative-remove"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/new/", views.department_create, name="department-create"),
    path("committees/", views.committee_list, name="committee-list"),
    path("committees/<int:pk>/settings/", views.committee_settings, name="committee-settings"),
    path("people-access/", access_views.people_access, name="people-access"),
    path("people-access/appoint/<slug:kind>/", access_views.appoint, name="people-appoint"),
    path("people-access/import/", access_views.import_people, name="people-import"),
    path("people-access/import/template/", access_views.import_template, name="people-import-template"),
    path("people-access/<int:pk>/approve/", access_views.approve, name="people-approve"),
    path("people-access/<int:pk>/refuse/", access_views.refuse, name="people-refuse"),
    path("people-access/<int:pk>/end/", access_views.end, name="people-end"),
]
