from django.urls import path

from tandem.overview import views

app_name = "overview"

urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("organisation.csv", views.organisation_export_csv, name="organisation_csv"),
    path("organisation.pdf", views.organisation_export_pdf, name="organisation_pdf"),
]
