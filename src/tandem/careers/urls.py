from django.urls import path

from tandem.careers import views, views_cases, views_growth

app_name = "careers"

urlpatterns = [
    path("", views.framework, name="framework"),
    path("tracks/<slug:key>/", views.track, name="track"),
    path("manage/", views.manage, name="manage"),
    path("manage/install-default/", views.install_default, name="install_default"),
    path("manage/edit/", views.edit, name="edit"),
    path("manage/import/", views.import_upload, name="import_upload"),
    path("manage/demographics/", views_cases.demographics, name="demographics"),
    path("manage/placements/", views_growth.placements, name="placements"),
    path("export.yaml", views.export_yaml, name="export_yaml"),
    path("export.csv", views.export_csv, name="export_csv"),
    # a person's growth
    path("me/", views_growth.me, name="me"),
    path("me/evidence/new/", views_growth.evidence_new, name="evidence_new"),
    path("me/evidence/<int:evidence_id>/edit/", views_growth.evidence_edit, name="evidence_edit"),
    path(
        "me/evidence/<int:evidence_id>/delete/",
        views_growth.evidence_delete_view,
        name="evidence_delete",
    ),
    path("me/quarter/", views_growth.quarter, name="quarter"),
    path("me/motivation/", views_growth.motivation_check, name="motivation"),
    path("me/track-fit/", views_growth.track_fit_view, name="track_fit"),
    path("people/<int:person_id>/", views_growth.person_growth, name="person"),
    path("people/<int:person_id>/placement/", views_growth.placement, name="placement"),
    path("evidence/<int:evidence_id>/endorse/", views_growth.endorse, name="endorse"),
    # promotion cases and calibration
    path("cases/", views_cases.cases, name="cases"),
    path("people/<int:person_id>/cases/new/", views_cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", views_cases.case, name="case"),
    path(
        "cases/<int:case_id>/criteria/<int:criterion_id>/",
        views_cases.case_argue_view,
        name="case_argue",
    ),
    path("cases/<int:case_id>/peers/", views_cases.case_peer, name="case_peer"),
    path("cases/<int:case_id>/input/", views_cases.case_input, name="case_input"),
    path("cases/<int:case_id>/propose/", views_cases.case_propose_view, name="case_propose"),
    path("cases/<int:case_id>/decide/", views_cases.case_decide_view, name="case_decide"),
    path("calibration/", views_cases.calibration, name="calibration"),
]
