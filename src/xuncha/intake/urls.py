from .views import announcements, appointments, batch, duplicates, petitions, reveals, transfers, triage

app_name = "intake"
urlpatterns = [
    *petitions.urlpatterns,
    *batch.urlpatterns,
    *announcements.urlpatterns,
    *triage.urlpatterns,
    *duplicates.urlpatterns,
    *reveals.urlpatterns,
    *transfers.urlpatterns,
    *appointments.urlpatterns,
]
