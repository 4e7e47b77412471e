from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tandem.accounts import views
from tandem.accounts.forms import QueuedPasswordResetForm
from tandem.accounts.sso import views as sso_views

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        views.ThrottledSignInView.as_view(),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=QueuedPasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetAndClearView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("members/", views.members, name="members"),
    path("organisation-language/", views.organisation_language, name="organisation_language"),
    path("sso/", sso_views.sso_choose, name="sso_choose"),
    path("sso/settings/", sso_views.sso_settings, name="sso_settings"),
    path("sso/oidc/callback/", sso_views.oidc_callback, name="sso_oidc_callback"),
    path("sso/break-glass/<str:token>/", sso_views.break_glass, name="sso_break_glass"),
    path("sso/<int:organisation_id>/start/", sso_views.sso_start, name="sso_start"),
    path("sso/<int:organisation_id>/saml/acs/", sso_views.saml_acs, name="sso_saml_acs"),
    path(
        "sso/<int:organisation_id>/saml/metadata/",
        sso_views.saml_metadata,
        name="sso_saml_metadata",
    ),
    path("invite/<int:person_id>/", views.invite_person, name="invite_person"),
]
