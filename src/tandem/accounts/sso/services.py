"""Single sign-on's writes and decisions: the set-up, who signs in, "SSO only", break-glass.

Authlib and pysaml2 are imported inside the functions that use them: pysaml2 alone takes a
second to load, which every process would otherwise pay at start.

The rules of who a confirmed email address becomes:

- only an account in *this* organisation (the email compared without case); an identity
  provider set up by one organisation can never sign anyone into another;
- a deactivated account, or one whose person has left, is refused;
- nobody unknown gets in, unless the admin allowed creating accounts for people already in
  the people list (active, same email, not yet linked): those get an employee account;
- every sign-in and every refusal is audited with its reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, ngettext

from tandem.accounts.models import Membership, Role, SingleSignOn, SsoProtocol, SsoRequest, User
from tandem.accounts.services import AccountError
from tandem.accounts.sso.identity import Identity, SsoProviderError
from tandem.audit.services import acting_user, audit_record
from tandem.outbox.language import organisation_language, recipient_languages
from tandem.outbox.services import Mail, mail_queue
from tandem.people.models import Organisation, Person, PersonStatus

REQUEST_LIFETIME = datetime.timedelta(minutes=10)
BREAK_GLASS_LIFETIME = datetime.timedelta(minutes=15)
BREAK_GLASS_SALT = "tandem.accounts.sso.break-glass"


class SsoSetupError(AccountError):
    """A set-up that cannot be saved; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SsoRefused(AccountError):
    """A sign-in that is refused; the message is fit to show the person (translated lazily
    when the audit log records it too: see :func:`tandem.accounts.sso.identity.as_recorded`)."""


def sso_of(organisation: Organisation) -> SingleSignOn | None:
    return SingleSignOn.objects.filter(organisation=organisation).first()


def sso_enabled(organisation_id: int) -> SingleSignOn | None:
    return (
        SingleSignOn.objects.filter(organisation_id=organisation_id, is_enabled=True)
        .select_related("organisation")
        .first()
    )


def sso_for_email(email: str) -> SingleSignOn | None:
    """The enabled set-up that serves an address: by its domain, else by the account's organisation."""
    email = email.strip().lower()
    domain = email.rpartition("@")[2]
    enabled = SingleSignOn.objects.filter(is_enabled=True).select_related("organisation")
    for sso in enabled:
        if domain and domain in sso.domains:
            return sso
    membership = Membership.objects.filter(user__email__iexact=email).first()
    if membership is not None:
        return enabled.filter(organisation_id=membership.organisation_id).first()
    return None


def sso_only_for(user: Any) -> SingleSignOn | None:
    """The set-up that forbids this user a password, if their organisation is "SSO only"."""
    user_id = getattr(user, "pk", None)
    membership = Membership.objects.filter(user_id=user_id).first() if user_id else None
    if membership is None:
        return None
    return sso_only_in(membership.organisation_id)


def sso_only_in(organisation_id: int) -> SingleSignOn | None:
    """The organisation's set-up if it signs in through single sign-on only."""
    return SingleSignOn.objects.filter(
        organisation_id=organisation_id, is_enabled=True, sso_only=True
    ).first()


# -- set-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SsoSetup:
    """What the admin typed on the set-up page (a blank secret keeps the saved one)."""

    protocol: str
    is_enabled: bool
    sso_only: bool
    create_accounts: bool
    email_domains: str
    oidc_discovery_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    saml_metadata_url: str = ""
    saml_metadata_xml: str = ""


def _check_oidc(sso: SingleSignOn) -> None:
    from tandem.accounts.sso import oidc  # Authlib is loaded only where it is used

    if not sso.oidc_discovery_url:
        raise SsoSetupError(gettext("Give the discovery URL."), "oidc_discovery_url")
    if not sso.oidc_client_id:
        raise SsoSetupError(gettext("Give the client ID."), "oidc_client_id")
    if not sso.oidc_client_secret:
        raise SsoSetupError(gettext("Give the client secret."), "oidc_client_secret")
    try:
        oidc.discovery_check(sso.oidc_discovery_url)
    except SsoProviderError as error:
        raise SsoSetupError(str(error), "oidc_discovery_url") from None


def _check_saml(sso: SingleSignOn, fetched_from_url: bool) -> None:
    from tandem.accounts.sso import saml  # pysaml2 takes a second to load: only where used

    field = "saml_metadata_url" if fetched_from_url else "saml_metadata_file"
    if not sso.saml_metadata_xml:
        raise SsoSetupError(
            gettext("Give the identity provider's metadata URL, or upload its metadata file."),
            "saml_metadata_url",
        )
    try:
        saml.idp_metadata_check(sso.saml_metadata_xml)
    except SsoProviderError as error:
        raise SsoSetupError(str(error), field) from None


def _domains_clean(text: str) -> str:
    domains = [d.strip().lstrip("@").lower() for d in text.replace(",", " ").split() if d.strip()]
    for domain in domains:
        if "." not in domain or "/" in domain or "@" in domain:
            raise SsoSetupError(
                gettext("'%(domain)s' is not an email domain (like example.com).")
                % {"domain": domain},
                "email_domains",
            )
    return " ".join(dict.fromkeys(domains))


@transaction.atomic
def sso_setup_save(*, organisation: Organisation, setup: SsoSetup, actor: Any) -> SingleSignOn:
    """Save the organisation's set-up after checking it against the provider; audited.

    Nothing is saved when a check fails. "SSO only" needs one successful single sign-on first,
    so an admin cannot lock everyone out with a set-up that does not work.
    """
    sso = SingleSignOn.objects.select_for_update().filter(organisation=organisation).first()
    before = _audit_view(sso) if sso is not None else {}
    if sso is None:
        sso = SingleSignOn(organisation=organisation)
    if setup.protocol not in SsoProtocol.values:
        raise SsoSetupError(gettext("Choose OpenID Connect or SAML 2.0."), "protocol")
    domains = _domains_clean(setup.email_domains)
    for other in SingleSignOn.objects.filter(is_enabled=True).exclude(organisation=organisation):
        clash = set(other.domains) & set(domains.split())
        if clash:
            raise SsoSetupError(
                ngettext(
                    "%(domains)s already signs in to another organisation here.",
                    "%(domains)s already signs in to another organisation here.",
                    len(clash),
                )
                % {"domains": ", ".join(sorted(clash))},
                "email_domains",
            )
    sso.protocol = setup.protocol
    sso.is_enabled = setup.is_enabled
    sso.create_accounts = setup.create_accounts
    sso.email_domains = domains
    sso.oidc_discovery_url = setup.oidc_discovery_url.strip()
    sso.oidc_client_id = setup.oidc_client_id.strip()
    if setup.oidc_client_secret:
        sso.oidc_client_secret = setup.oidc_client_secret
    fetched = False
    if setup.saml_metadata_xml:
        sso.saml_metadata_xml = setup.saml_metadata_xml
    elif setup.saml_metadata_url.strip() and setup.protocol == SsoProtocol.SAML:
        # Fetched on every save, so saving again picks up a new signing certificate.
        from tandem.accounts.sso import saml

        try:
            sso.saml_metadata_xml = saml.idp_metadata_fetch(setup.saml_metadata_url.strip())
        except SsoProviderError as error:
            raise SsoSetupError(str(error), "saml_metadata_url") from None
        fetched = True
    sso.saml_metadata_url = setup.saml_metadata_url.strip()
    if sso.is_enabled:
        if sso.protocol == SsoProtocol.OIDC:
            _check_oidc(sso)
        else:
            _check_saml(sso, fetched)
    if setup.sso_only and not sso.is_enabled:
        raise SsoSetupError(
            gettext("Turn single sign-on on before making it the only way in."), "sso_only"
        )
    if setup.sso_only and not sso.sso_only and sso.last_sign_in_at is None:
        raise SsoSetupError(
            gettext(
                "Sign in once through single sign-on (in a private window) before turning "
                "passwords off, so that you know it works."
            ),
            "sso_only",
        )
    sso.sso_only = setup.sso_only and sso.is_enabled
    sso.save()
    after = _audit_view(sso)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if setup.oidc_client_secret and before.get("oidc_client_secret_set"):
        changes["oidc_client_secret"] = ["(replaced)", "(replaced)"]
    if changes:
        audit_record(
            organisation=organisation,
            actor=actor,
            action="sso.setup_change",
            target=sso,
            changes=changes,
        )
        _admins_told(sso, actor, sorted(changes))
    return sso


CHANGE_NAMES = {
    "protocol": gettext_lazy("the protocol"),
    "is_enabled": gettext_lazy("whether single sign-on is on"),
    "sso_only": gettext_lazy("whether passwords are off (single sign-on only)"),
    "create_accounts": gettext_lazy("whether accounts are created for people in the list"),
    "email_domains": gettext_lazy("the email domains"),
    "oidc_discovery_url": gettext_lazy("the discovery URL"),
    "oidc_client_id": gettext_lazy("the client ID"),
    "oidc_client_secret": gettext_lazy("the client secret"),
    "oidc_client_secret_set": gettext_lazy("the client secret"),
    "saml_metadata_url": gettext_lazy("the metadata URL"),
    "saml_metadata_loaded": gettext_lazy("the identity provider's metadata"),
}
"""How an admin's email names each part of the set-up that changed."""


def _admins_told(sso: SingleSignOn, actor: Any, changed: list[str]) -> None:
    """Every admin of the organisation hears that how people sign in has changed, and by whom,
    each in their own language."""
    admins = list(
        Membership.objects.filter(
            organisation=sso.organisation, role=Role.ADMIN, user__is_active=True
        ).select_related("user")
    )
    languages = recipient_languages(
        organisation=sso.organisation, emails=[m.user.email for m in admins]
    )
    actor_email = getattr(acting_user(actor), "email", "")
    url = settings.SITE_URL + reverse("accounts:sso_settings")
    messages: list[Mail] = []
    for membership in admins:
        email = membership.user.email
        language = languages.get(email.lower(), organisation_language(sso.organisation))
        with translation.override(language):
            context = {
                "organisation": sso.organisation,
                "sso": sso,
                "actor": actor_email or gettext("someone"),
                "changed": list(
                    dict.fromkeys(str(CHANGE_NAMES.get(name, name)) for name in changed)
                ),
                "url": url,
            }
            body = render_to_string("accounts/email/sso_changed.txt", context)
            subject = gettext("Single sign-on for %(organisation)s was changed") % {
                "organisation": sso.organisation.name
            }
        messages.append((subject, body, None, [email]))
    mail_queue(organisation=sso.organisation, messages=messages, kind="sso_changed")


def _audit_view(sso: SingleSignOn) -> dict[str, Any]:
    """The set-up as the audit log shows it: never the secret, only whether there is one."""
    return {
        "protocol": sso.protocol,
        "is_enabled": sso.is_enabled,
        "sso_only": sso.sso_only,
        "create_accounts": sso.create_accounts,
        "email_domains": sso.email_domains,
        "oidc_discovery_url": sso.oidc_discovery_url,
        "oidc_client_id": sso.oidc_client_id,
        "oidc_client_secret_set": bool(sso.oidc_client_secret),
        "saml_metadata_url": sso.saml_metadata_url,
        "saml_metadata_loaded": bool(sso.saml_metadata_xml),
    }


# -- SAML's open requests -------------------------------------------------------------------


def sso_request_open(*, organisation: Organisation, key: str, next_url: str) -> SsoRequest:
    SsoRequest.objects.filter(created_at__lt=timezone.now() - REQUEST_LIFETIME).delete()
    return SsoRequest.objects.create(organisation=organisation, key=key, next_url=next_url)


def sso_request_take(*, organisation: Organisation, key: str) -> SsoRequest:
    """Use an open request once: a replayed or stale answer finds nothing."""
    fresh_since = timezone.now() - REQUEST_LIFETIME
    taken = SsoRequest.objects.filter(
        organisation=organisation, key=key, used_at__isnull=True, created_at__gte=fresh_since
    ).update(used_at=timezone.now())
    if taken != 1:
        raise SsoRefused(
            gettext_lazy(
                "This sign-in was already used or took longer than ten minutes. Start again."
            )
        )
    return SsoRequest.objects.get(organisation=organisation, key=key)


# -- signing in ----------------------------------------------------------------------------


def sso_refusal_record(*, sso: SingleSignOn, email: str, reason: str) -> None:
    audit_record(
        organisation=sso.organisation,
        actor=None,
        action="sso.sign_in_refused",
        target=sso,
        changes={"email": email[:254], "protocol": sso.protocol, "reason": reason},
        actor_label="single sign-on",
    )


def _account_create(sso: SingleSignOn, person: Person, identity: Identity) -> User:
    user = User(email=person.email.strip().lower(), full_name=identity.name or person.name)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(
        user=user, organisation=sso.organisation, role=Role.EMPLOYEE, person=person
    )
    audit_record(
        organisation=sso.organisation,
        actor=None,
        action="sso.account_create",
        target=user,
        changes={
            "email": [None, user.email],
            "role": [None, Role.EMPLOYEE],
            "person": [None, person.name],
        },
        actor_label="single sign-on",
    )
    return user


class _Refusal(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def sso_sign_in(*, sso: SingleSignOn, identity: Identity) -> User:
    """The account a confirmed identity signs in as, or :class:`SsoRefused` (audited either way)."""
    try:
        return _sign_in(sso, identity)
    except _Refusal as refusal:
        # Recorded after the sign-in's transaction rolled back, so the refusal stays.
        sso_refusal_record(sso=sso, email=identity.email.strip(), reason=refusal.reason)
        raise SsoRefused(refusal.message) from None


@transaction.atomic
def _sign_in(sso: SingleSignOn, identity: Identity) -> User:
    email = identity.email.strip()
    organisation = sso.organisation
    user = User.objects.filter(email__iexact=email).select_related("membership").first()
    membership = getattr(user, "membership", None) if user is not None else None
    if user is not None and (membership is None or membership.organisation_id != organisation.pk):
        raise _Refusal(
            "other_organisation",
            gettext(
                "%(email)s has a Tandem account, but not in %(organisation)s. Sign in the way "
                "your own organisation does."
            )
            % {"email": email, "organisation": organisation.name},
        )
    if user is None:
        person = (
            Person.objects.filter(
                organisation=organisation, email__iexact=email, status=PersonStatus.ACTIVE
            )
            .exclude(membership__isnull=False)
            .first()
        )
        if person is None or not sso.create_accounts:
            raise _Refusal(
                "unknown",
                gettext(
                    "%(organisation)s has no Tandem account for %(email)s. Ask your people team "
                    "to invite you."
                )
                % {"email": email, "organisation": organisation.name},
            )
        user = _account_create(sso, person, identity)
        membership = user.membership
    if not user.is_active:
        raise _Refusal(
            "deactivated",
            gettext("The Tandem account for %(email)s is deactivated.") % {"email": email},
        )
    person = membership.person if membership is not None else None
    if person is not None and person.status != PersonStatus.ACTIVE:
        raise _Refusal(
            "left",
            gettext("%(email)s is no longer in %(organisation)s's people list.")
            % {"email": email, "organisation": organisation.name},
        )
    if not user.full_name and identity.name:
        user.full_name = identity.name
        user.save(update_fields=["full_name"])
    sso.last_sign_in_at = timezone.now()
    sso.save(update_fields=["last_sign_in_at"])
    audit_record(
        organisation=organisation,
        actor=user,
        action="sso.sign_in",
        target=user,
        changes={"protocol": sso.protocol},
    )
    return user


def password_refusal_record(*, sso: SingleSignOn, email: str) -> None:
    audit_record(
        organisation=sso.organisation,
        actor=None,
        action="sso.password_refused",
        target=sso,
        changes={"email": email[:254]},
        actor_label="single sign-on",
    )


# -- break-glass ---------------------------------------------------------------------------


def break_glass_link(*, organisation: Organisation, email: str) -> str:
    """A one-time sign-in link for an admin when the identity provider fails (audited).

    Made only on the server's command line (``manage.py sso_break_glass``): whoever can run it
    already controls the installation. Valid for 15 minutes and once: it carries the account's
    last sign-in time, which signing in changes.
    """
    membership = (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )
    # Said on the command line only (manage.py sso_break_glass), which is not translated.
    if membership is None or membership.role != Role.ADMIN:
        raise AccountError(f"{email} is not an admin of {organisation.name}.")
    user = membership.user
    if not user.is_active:
        raise AccountError(f"The account {user.email} is deactivated.")
    token = signing.dumps(
        {"user": user.pk, "last": user.last_login.isoformat() if user.last_login else ""},
        salt=BREAK_GLASS_SALT,
    )
    audit_record(
        organisation=organisation,
        actor=None,
        action="sso.break_glass_issue",
        target=user,
        changes={"email": user.email},
        actor_label="command line",
    )
    return settings.SITE_URL + reverse("accounts:sso_break_glass", args=[token])


def break_glass_user(token: str) -> User | None:
    """The admin a break-glass link is for, or None when it is wrong, used or too old."""
    try:
        data = signing.loads(token, salt=BREAK_GLASS_SALT, max_age=BREAK_GLASS_LIFETIME)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        return None
    last = user.last_login.isoformat() if user.last_login else ""
    if last != data.get("last"):
        return None
    return user


def break_glass_used(*, user: User) -> None:
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    audit_record(
        organisation=membership.organisation if membership else None,
        actor=user,
        action="sso.break_glass_use",
        target=user,
    )
