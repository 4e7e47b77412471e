from django.urls import path

from tandem.vision.views import cascade, hazards, leaders, pulse

app_name = "vision"

urlpatterns = [
    path("", cascade.cascade, name="cascade"),
    path("edit/", cascade.vision_edit, name="edit"),
    path("map/", cascade.cascade_map, name="map"),
    path("map.json", cascade.cascade_map_data, name="map_data"),
    path("goals/new/", cascade.goal_new, name="goal_new"),
    path("goals/<int:goal_id>/", cascade.goal, name="goal"),
    path("goals/<int:goal_id>/confirm/", cascade.confirm, name="confirm"),
    path("goals/<int:goal_id>/key-results/", cascade.key_result_new, name="key_result_new"),
    path("key-results/<int:key_result_id>/", cascade.progress, name="progress"),
    path("goals/<int:goal_id>/hazards/", hazards.hazard_new, name="hazard_new"),
    path("hazards/", hazards.board, name="hazards"),
    path("hazards/<int:hazard_id>/", hazards.hazard, name="hazard"),
    path("hazards/<int:hazard_id>/acknowledge/", hazards.acknowledge, name="acknowledge"),
    path("pulse/", pulse.home, name="pulse"),
    path("pulse/<int:pulse_id>/", pulse.answer, name="pulse_answer"),
    path("pulse/<int:pulse_id>/close/", pulse.close_pulse, name="pulse_close"),
    path("teams/<int:team_id>/pulse/", pulse.open_pulse, name="pulse_open"),
    path("leaders/", leaders.leaders, name="leaders"),
    path("leaders/survey/", leaders.survey, name="leaders_survey"),
    path("leaders/opt-out/", leaders.opt_out, name="leaders_opt_out"),
    path("leaders/surveys/open/", leaders.open_survey, name="leaders_open"),
    path(
        "leaders/surveys/<int:survey_id>/close/",
        leaders.close_survey,
        name="leaders_close",
    ),
    path("teams/<int:team_id>/writers/", cascade.team_writers, name="team_writers"),
    path(
        "teams/<int:team_id>/writers/<int:person_id>/remove/",
        cascade.team_writer_remove_view,
        name="team_writer_remove",
    ),
]
