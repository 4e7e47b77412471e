"""Who can sign in, to which organisation, with which role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from tandem.people.models import Organisation, Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Signs in with an email address; the organisation and role live on its Membership."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The interface language this person chose (a code of settings.LANGUAGES); blank follows
    # their browser. Emails to them are written in it too.
    language = models.CharField(max_length=10, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Organisation admin")
    PEOPLE_TEAM = "people_team", gettext_lazy("People team (HR)")
    EMPLOYEE = "employee", gettext_lazy("Employee")


class Membership(models.Model):
    """A user's place in one organisation. "Manager" is not stored: it follows reporting lines."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="membership"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        # In English whatever the request's language: the audit log stores it as the label of
        # what was changed.
        with translation.override(None):
            role = str(self.get_role_display())
        return f"{self.user} in {self.organisation} ({role})"


class Invitation(models.Model):
    """An email invitation to join an organisation. Only a hash of its token is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"


class SignInFailures(models.Model):
    """Wrong passwords counted against one key: ``account:<email>`` or ``address:<ip>``.

    See :mod:`tandem.accounts.throttle`. Rows hold no password and no outcome beyond a count.
    """

    key = models.CharField(max_length=300, unique=True)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.count} failed sign-ins for {self.key}"


class SsoProtocol(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class SingleSignOn(models.Model):
    """How one organisation's people sign in through its identity provider.

    Set up by the organisation's admin on the "Single sign-on" page, never in a settings file.
    Signing in links to the account with the same email address in this organisation only; see
    :mod:`tandem.accounts.sso.services`.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="single_sign_on"
    )
    protocol = models.CharField(max_length=8, choices=SsoProtocol.choices, default=SsoProtocol.OIDC)
    is_enabled = models.BooleanField(default=False)
    sso_only = models.BooleanField(default=False)
    create_accounts = models.BooleanField(default=False)
    email_domains = models.CharField(max_length=500, blank=True)
    oidc_discovery_url = models.URLField(max_length=500, blank=True)
    oidc_client_id = models.CharField(max_length=300, blank=True)
    oidc_client_secret = models.CharField(max_length=500, blank=True)
    saml_metadata_url = models.URLField(max_length=500, blank=True)
    saml_metadata_xml = models.TextField(blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Single sign-on of {self.organisation} ({self.get_protocol_display()})"

    @property
    def domains(self) -> list[str]:
        return [d for d in self.email_domains.replace(",", " ").lower().split() if d]


class SsoRequest(models.Model):
    """One sign-in sent to a SAML identity provider, answerable once and for ten minutes.

    The provider's answer comes back as a cross-site POST, which browsers send without the
    session cookie, so the open request is kept here rather than in the session.
    """

    key = models.CharField(max_length=100, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    next_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sign-in request {self.key}"
