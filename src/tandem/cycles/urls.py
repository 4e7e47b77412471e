from django.urls import path

from tandem.cycles import manage_views, rating_views, views

app_name = "cycles"

urlpatterns = [
    # Everyone: their part in each cycle, choosing raters, approving, reports.
    path("", views.home, name="home"),
    path("<int:cycle_id>/me/", views.participate, name="participate"),
    path("participants/<int:participant_id>/review/", views.review, name="review"),
    path("participants/<int:participant_id>/report/", views.report, name="report"),
    path("participants/<int:participant_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("participants/<int:participant_id>/report.csv", views.report_csv, name="report_csv"),
    # Rating: signed in, or through the emailed link (no sign-in).
    path("rate/<int:nomination_id>/", rating_views.rate_signed_in, name="rate"),
    path("rate/<int:nomination_id>/answer/", rating_views.answer_signed_in, name="answer"),
    path("rate/<int:nomination_id>/finish/", rating_views.finish_signed_in, name="finish"),
    path("r/<str:token>/", rating_views.link_inbox, name="link_inbox"),
    path("r/<str:token>/<int:nomination_id>/", rating_views.rate_by_link, name="link_rate"),
    path(
        "r/<str:token>/<int:nomination_id>/answer/",
        rating_views.answer_by_link,
        name="link_answer",
    ),
    path(
        "r/<str:token>/<int:nomination_id>/finish/",
        rating_views.finish_by_link,
        name="link_finish",
    ),
    # The people team: cycles, progress, questionnaires.
    path("manage/", manage_views.cycle_list, name="manage"),
    path("manage/new/", manage_views.cycle_new, name="new"),
    path("manage/<int:cycle_id>/", manage_views.dashboard, name="dashboard"),
    path("manage/<int:cycle_id>/health/", manage_views.instrument_health, name="health"),
    path("manage/<int:cycle_id>/<str:action>/", manage_views.cycle_action, name="action"),
    path("questionnaires/", manage_views.instrument_list, name="instruments"),
    path("questionnaires/install/", manage_views.instrument_install, name="instrument_install"),
    path("questionnaires/<int:version_id>/", manage_views.instrument_edit, name="instrument"),
    path(
        "questionnaires/<int:version_id>/wording/",
        manage_views.instrument_wording,
        name="instrument_wording",
    ),
    path(
        "questionnaires/<int:version_id>/copy/",
        manage_views.instrument_copy_view,
        name="instrument_copy",
    ),
]
