from django.urls import path

from tandem.vision import views, views_hazards, views_leaders, views_map, views_pulse

app_name = "vision"

urlpatterns = [
    path("", views.cascade, name="cascade"),
    path("edit/", views.vision_edit, name="edit"),
    path("map/", views_map.cascade_map, name="map"),
    path("map.json", views_map.cascade_map_data, name="map_data"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:goal_id>/", views.goal, name="goal"),
    path("goals/<int:goal_id>/confirm/", views.confirm, name="confirm"),
    path("goals/<int:goal_id>/key-results/", views.key_result_new, name="key_result_new"),
    path("key-results/<int:key_result_id>/", views.progress, name="progress"),
    path("goals/<int:goal_id>/hazards/", views_hazards.hazard_new, name="hazard_new"),
    path("hazards/", views_hazards.board, name="hazards"),
    path("hazards/<int:hazard_id>/", views_hazards.hazard, name="hazard"),
    path("hazards/<int:hazard_id>/acknowledge/", views_hazards.acknowledge, name="acknowledge"),
    path("pulse/", views_pulse.home, name="pulse"),
    path("pulse/<int:pulse_id>/", views_pulse.answer, name="pulse_answer"),
    path("pulse/<int:pulse_id>/close/", views_pulse.close_pulse, name="pulse_close"),
    path("teams/<int:team_id>/pulse/", views_pulse.open_pulse, name="pulse_open"),
    path("leaders/", views_leaders.leaders, name="leaders"),
    path("leaders/survey/", views_leaders.survey, name="leaders_survey"),
    path("leaders/opt-out/", views_leaders.opt_out, name="leaders_opt_out"),
    path("leaders/surveys/open/", views_leaders.open_survey, name="leaders_open"),
    path(
        "leaders/surveys/<int:survey_id>/close/",
        views_leaders.close_survey,
        name="leaders_close",
    ),
    path("teams/<int:team_id>/writers/", views.team_writers, name="team_writers"),
    path(
        "teams/<int:team_id>/writers/<int:person_id>/remove/",
        views.team_writer_remove_view,
        name="team_writer_remove",
    ),
]
