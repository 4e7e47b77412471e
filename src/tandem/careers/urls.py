from django.urls import path

from tandem.careers import views

app_name = "careers"

urlpatterns = [
    path("", views.framework, name="framework"),
    path("tracks/<slug:key>/", views.track, name="track"),
    path("manage/", views.manage, name="manage"),
    path("manage/install-default/", views.install_default, name="install_default"),
    path("manage/edit/", views.edit, name="edit"),
    path("manage/import/", views.import_upload, name="import_upload"),
    path("export.yaml", views.export_yaml, name="export_yaml"),
    path("export.csv", views.export_csv, name="export_csv"),
]
