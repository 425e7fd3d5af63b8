"""URLs of 巡前了解与协助, mounted at /preparation/."""

from django.urls import URLPattern, path

from . import views

app_name = "preparation"
urlpatterns: list[URLPattern] = [
    path("", views.request_list, name="request-list"),
    path("inspections/<int:pk>/", views.inspection_page, name="inspection"),
    path("inspections/<int:pk>/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/close/", views.close, name="request-close"),
    path("slots/<uuid:pk>/answer/", views.answer, name="answer"),
    path("slots/<uuid:pk>/ask-again/", views.ask_again, name="ask-again"),
    path("files/<uuid:pk>/", views.file_download, name="file-download"),
    path("answers/<uuid:pk>/lead/", views.lead_new, name="lead-new"),
    path("leads/<uuid:pk>/", views.lead_detail, name="lead-detail"),
]
