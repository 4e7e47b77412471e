from django.urls import path

from tandem.people import picker, views

app_name = "people"

urlpatterns = [
    path("", views.chart, name="chart"),
    path("chart/<int:person_id>/reports/", views.chart_branch, name="chart_branch"),
    path("search/", views.search, name="search"),
    path("pick/", picker.pick, name="pick"),
    path("<int:person_id>/", views.person_detail, name="person"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:import_id>/", views.import_review, name="import_review"),
    path("import/<int:import_id>/apply/", views.import_apply, name="import_apply"),
    path("import/<int:import_id>/discard/", views.import_discard, name="import_discard"),
    path("export.csv", views.export_csv, name="export_csv"),
]
