from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from tandem.accounts.models import Role, User
from tandem.accounts.sso.services import password_refusal_record, sso_only_for
from tandem.outbox.language import recipient_language
from tandem.outbox.services import mail_queue


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=gettext_lazy("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def confirm_login_allowed(self, user: Any) -> None:
        """An organisation that signs in only through single sign-on takes no password."""
        super().confirm_login_allowed(user)
        sso = sso_only_for(user)
        if sso is not None:
            password_refusal_record(sso=sso, email=user.email)
            raise forms.ValidationError(
                gettext(
                    "%(organisation)s signs in through single sign-on only. Use "
                    "“Sign in with single sign-on” below."
                )
                % {"organisation": sso.organisation.name},
                code="sso_only",
            )


class _PasswordPair(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters; not only numbers, not a common password."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def _user_for_validation(self) -> User:
        return User(email=self.cleaned_data.get("email", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", gettext("The two passwords differ. Type the same one twice.")
            )
        elif first:
            try:
                password_validation.validate_password(first, self._user_for_validation())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SetupForm(_PasswordPair):
    organisation_name = forms.CharField(label=gettext_lazy("Organisation name"), max_length=200)
    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    field_order = ["organisation_name", "full_name", "email", "password1", "password2"]


class AcceptInvitationForm(_PasswordPair):
    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)

    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def _user_for_validation(self) -> User:
        return User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))


class AcceptInvitationWithoutPasswordForm(forms.Form):
    """Joining an organisation that signs in through single sign-on only: no password to set."""

    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Role.choices, initial=Role.EMPLOYEE
    )

    def __init__(self, *args: Any, allowed_roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(v, label) for v, label in Role.choices if v in allowed_roles]


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email goes through Tandem's outbox: a mail server that is
    down delays the email (it is retried) instead of failing the page. Nobody in an organisation
    that signs in through single sign-on only is sent a reset link."""

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if sso_only_for(user) is None)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        membership = getattr(user, "membership", None)
        organisation = getattr(membership, "organisation", None)
        # In the account's language (else its organisation's), not the page's.
        with translation.override(recipient_language(organisation=organisation, email=to_email)):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        mail_queue(
            organisation=organisation,
            messages=[(subject, body, from_email, [to_email])],
            kind="password_reset",
        )
