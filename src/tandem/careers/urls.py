from django.urls import path

from tandem.careers.views import calibration, cases, evidence, framework, track_choice

app_name = "careers"

urlpatterns = [
    path("", framework.framework, name="framework"),
    path("tracks/<slug:key>/", framework.track, name="track"),
    path("manage/", framework.manage, name="manage"),
    path("manage/install-default/", framework.install_default, name="install_default"),
    path("manage/edit/", framework.edit, name="edit"),
    path("manage/import/", framework.import_upload, name="import_upload"),
    path("manage/demographics/", calibration.demographics, name="demographics"),
    path("manage/placements/", framework.placements, name="placements"),
    path("export.yaml", framework.export_yaml, name="export_yaml"),
    path("export.csv", framework.export_csv, name="export_csv"),
    # evidence over time, and choosing a track
    path("me/", evidence.me, name="me"),
    path("me/evidence/new/", evidence.evidence_new, name="evidence_new"),
    path("me/evidence/<int:evidence_id>/edit/", evidence.evidence_edit, name="evidence_edit"),
    path(
        "me/evidence/<int:evidence_id>/delete/",
        evidence.evidence_delete_view,
        name="evidence_delete",
    ),
    path("me/quarter/", evidence.quarter, name="quarter"),
    path("me/motivation/", track_choice.motivation_check, name="motivation"),
    path("me/track-fit/", track_choice.track_fit_view, name="track_fit"),
    path("people/<int:person_id>/", evidence.person_growth, name="person"),
    path("people/<int:person_id>/placement/", framework.placement, name="placement"),
    path("evidence/<int:evidence_id>/endorse/", evidence.endorse, name="endorse"),
    # promotion cases and calibration
    path("cases/", cases.cases, name="cases"),
    path("people/<int:person_id>/cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", cases.case, name="case"),
    path(
        "cases/<int:case_id>/criteria/<int:criterion_id>/",
        cases.case_argue_view,
        name="case_argue",
    ),
    path("cases/<int:case_id>/peers/", cases.case_peer, name="case_peer"),
    path("cases/<int:case_id>/input/", cases.case_input, name="case_input"),
    path("cases/<int:case_id>/propose/", cases.case_propose_view, name="case_propose"),
    path("cases/<int:case_id>/decide/", cases.case_decide_view, name="case_decide"),
    path("calibration/", calibration.calibration, name="calibration"),
]
