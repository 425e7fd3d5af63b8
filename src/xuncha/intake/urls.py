from .views import announcements, appointments, duplicates, petitions, reveals, transfers, triage

app_name = "intake"
urlpatterns = [
    *petitions.urlpatterns,
    *announcements.urlpatterns,
    *triage.urlpatterns,
    *duplicates.urlpatterns,
    *reveals.urlpatterns,
    *transfers.urlpatterns,
    *appointments.urlpatterns,
]
