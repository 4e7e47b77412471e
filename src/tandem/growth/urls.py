from django.urls import path

from tandem.growth import feedback_views, habit_views, library_views, views

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
    path("library/", library_views.library, name="library"),
    path("library/<int:action_id>/edit/", library_views.library_edit, name="library_edit"),
    path("library/<int:action_id>/retire/", library_views.library_retire, name="library_retire"),
    path("library/<int:action_id>/hide/", library_views.library_hide, name="library_hide"),
    path("library/<int:action_id>/show/", library_views.library_show, name="library_show"),
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
    path("habits/sets/", habit_views.habit_sets, name="habit_sets"),
    path("habits/sets/<int:habit_set_id>/edit/", habit_views.habit_set_edit, name="habit_set_edit"),
    path(
        "habits/sets/<int:habit_set_id>/retire/",
        habit_views.habit_set_retire_view,
        name="habit_set_retire",
    ),
    path("progress/", views.progress, name="progress"),
]
