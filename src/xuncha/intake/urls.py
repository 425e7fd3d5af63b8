from .views import duplicates, petitions, reveals, transfers, triage

app_name = "intake"
urlpatterns = [
    *petitions.urlpatterns,
    *triage.urlpatterns,
    *duplicates.urlpatterns,
    *reveals.urlpatterns,
    *transfers.urlpatterns,
]
