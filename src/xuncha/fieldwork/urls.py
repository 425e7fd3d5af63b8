from .views import activities, checks, documents, interviews, notices, overview, surveys

app_name = "fieldwork"
urlpatterns = [
    *overview.urlpatterns,
    *interviews.urlpatterns,
    *documents.urlpatterns,
    *surveys.urlpatterns,
    *checks.urlpatterns,
    *activities.urlpatterns,
    *notices.urlpatterns,
]
