from django.urls import path

from tandem.growth import feedback_views, habit_views, views

app_name = "growth"

urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.plan, name="plan"),
    path("plan/from/<int:participant_id>/", views.plan_new, name="plan_new"),
    path("plan/actions/new/", views.action_new, name="action_new"),
    path("plan/focus/<int:focus_id>/done/", views.focus_done, name="focus_done"),
    path("people/<int:person_id>/plan/", views.person_plan, name="person_plan"),
    path("actions/<int:action_id>/", views.action, name="action"),
    path("actions/<int:action_id>/notes/", views.action_note, name="action_note"),
    path("library/", views.library, name="library"),
    path("interests/", views.interests, name="interests"),
    path("interests/<int:interest_id>/remove/", views.interest_delete, name="interest_remove"),
    path("team/", views.team, name="team"),
    path("feedback/", feedback_views.feedback_list, name="feedback_list"),
    path("feedback/<int:request_id>/", feedback_views.feedback, name="feedback"),
    path("feedback/<int:request_id>/close/", feedback_views.feedback_stop, name="feedback_close"),
    path(
        "feedback/invites/<int:invite_id>/",
        feedback_views.feedback_answer_signed_in,
        name="feedback_answer",
    ),
    path(
        "feedback/answer/<str:token>/",
        feedback_views.feedback_answer_link,
        name="feedback_answer_link",
    ),
    path("habits/", habit_views.habits, name="habits"),
    path("habits/<int:adoption_id>/week/", habit_views.habit_week, name="habit_week"),
    path("habits/<int:adoption_id>/options/", habit_views.habit_options, name="habit_options"),
    path("progress/", views.progress, name="progress"),
]
