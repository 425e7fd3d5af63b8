from .views import activities, checks, document_batch, documents, interviews, notices, overview, surveys

app_name = "fieldwork"
urlpatterns = [
    *overview.urlpatterns,
    *interviews.urlpatterns,
    *documents.urlpatterns,
    *document_batch.urlpatterns,
    *surveys.urlpatterns,
    *checks.urlpatterns,
    *activities.urlpatterns,
    *notices.urlpatterns,
]
