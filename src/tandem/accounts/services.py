"""Writes for accounts: first-run set-up, invitations, roles. Each is atomic and audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from tandem.accounts.models import Invitation, Membership, Role, User
from tandem.accounts.tokens import token_hash, token_new
from tandem.audit.services import acting_user, audit_record
from tandem.outbox.language import recipient_language
from tandem.outbox.services import mail_queue
from tandem.people.models import Organisation, Person
from tandem.people.services import organisation_create
from tandem.web.language import supported_languages

INVITATION_LIFETIME = datetime.timedelta(days=14)


class AccountError(ValueError):
    """A request that cannot be carried out, with a message fit to show the user."""


def setup_is_needed() -> bool:
    """The installation is new until it has its first organisation."""
    return not Organisation.objects.exists()


@transaction.atomic
def setup_complete(
    *, organisation_name: str, admin_name: str, admin_email: str, admin_password: str
) -> User:
    """Create the first organisation and its first administrator, once per installation."""
    if not setup_is_needed():
        raise AccountError(gettext("Tandem is already set up. Sign in instead."))
    if User.objects.filter(email__iexact=admin_email).exists():
        raise AccountError(gettext("An account with this email already exists."))
    user = User.objects.create_user(admin_email, admin_password, full_name=admin_name.strip())
    organisation = organisation_create(name=organisation_name, actor=user)
    Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    audit_record(
        organisation=organisation,
        actor=user,
        action="user.create_admin",
        target=user,
        changes={"email": [None, user.email], "role": [None, Role.ADMIN]},
    )
    return user


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    url: str


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", args=[token])


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: Any,
    person: Person | None = None,
    send: bool = True,
) -> SentInvitation:
    """Invite someone by email. The link carries the only copy of the token."""
    email = email.strip().lower()
    if role not in Role.values:
        raise AccountError(gettext("Unknown role '%(role)s'.") % {"role": role})
    if person is not None and person.organisation_id != organisation.pk:
        raise AccountError(gettext("That person is not in this organisation."))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and Membership.objects.filter(user=existing).exists():
        raise AccountError(gettext("%(email)s already has an account.") % {"email": email})
    if person is None:
        person = Person.objects.filter(organisation=organisation, email__iexact=email).first()
    token, hashed = token_new()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        person=person,
        token_hash=hashed,
        invited_by=acting_user(invited_by),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    url = invitation_url(token)
    audit_record(
        organisation=organisation,
        actor=invited_by,
        action="invitation.create",
        target=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    if send:
        context = {"invitation": invitation, "url": url, "organisation": organisation}
        # In the invitee's language (their organisation's, as they have no account yet), never
        # the language of the page that sent it.
        with translation.override(recipient_language(organisation=organisation, email=email)):
            subject = gettext("You're invited to %(organisation)s on Tandem") % {
                "organisation": organisation.name
            }
            body = render_to_string("accounts/email/invitation.txt", context)
        mail_queue(
            organisation=organisation,
            messages=[(subject, body, None, [email])],
            kind="invitation",
        )
    return SentInvitation(invitation=invitation, url=url)


def invitation_find(*, token: str) -> Invitation | None:
    """The open invitation behind a link, or None when it is unknown, used or expired."""
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("organisation", "person")
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        return None
    if invitation.expires_at <= timezone.now():
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str | None) -> User:
    """Create the invited account; ``password`` None leaves it without one (an organisation
    that signs in through single sign-on only)."""
    invitation = invitation_find(token=token)
    if invitation is None:
        raise AccountError(gettext("This invitation link has expired or was already used."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise AccountError(gettext("An account with this email already exists. Sign in instead."))
    user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    person = invitation.person
    if person is not None and hasattr(person, "membership"):
        person = None  # someone else already speaks for this person; never take over
    Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role, person=person
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        organisation=invitation.organisation,
        actor=user,
        action="invitation.accept",
        target=invitation,
        changes={"accepted_at": [None, invitation.accepted_at]},
    )
    return user


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: Any) -> Membership:
    if role not in Role.values:
        raise AccountError(gettext("Unknown role '%(role)s'.") % {"role": role})
    old = membership.role
    if old == Role.ADMIN and role != Role.ADMIN:
        others = Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise AccountError(gettext("An organisation needs at least one admin."))
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        organisation=membership.organisation,
        actor=actor,
        action="membership.change_role",
        target=membership,
        changes={"role": [old, role]},
    )
    return membership


NO_PERSON_YET = gettext_lazy(
    "This page is about you as a person in your organisation chart, and your account is not "
    "linked to anyone there yet. Tandem links it by itself as soon as someone with your email "
    "address is in the people list: import the list, or ask your people team to add you."
)


@transaction.atomic
def memberships_link_people(*, organisation: Organisation) -> int:
    """Link accounts without a person to the active person with the same email address.

    The first admin is created at set-up before anyone is imported; once the people list holds
    their email, their account speaks for that person. A person already linked to an account is
    never taken over. Returns how many accounts were linked (each audited).
    """
    unlinked = list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, person__isnull=True)
        .select_related("user")
    )
    if not unlinked:
        return 0
    emails = {m.user.email.strip().lower(): m for m in unlinked if m.user.email}
    taken = set(
        Membership.objects.filter(organisation=organisation, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    linked = 0
    for person in Person.objects.filter(organisation=organisation, status="active").exclude(
        pk__in=taken
    ):
        membership = emails.pop((person.email or "").strip().lower(), None)
        if membership is None:
            continue
        membership.person = person
        membership.save(update_fields=["person"])
        audit_record(
            organisation=organisation,
            actor=None,
            action="membership.link_person",
            target=membership,
            changes={"person": [None, person.name]},
        )
        linked += 1
    return linked


def sign_in_record(*, user: User, method: str) -> None:
    """Audit a sign-in in the account's organisation (``method``: password, or the single
    sign-on protocol)."""
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    audit_record(
        organisation=membership.organisation if membership else None,
        actor=user,
        action="user.sign_in",
        target=user,
        changes={"method": method},
    )


def sign_in_failure_record(*, email: str) -> None:
    """Audit a wrong password for an account of an organisation (for an unknown address there
    is nobody's log to write it in; the throttle still counts it)."""
    membership = (
        Membership.objects.filter(user__email__iexact=email.strip())
        .select_related("organisation", "user")
        .first()
    )
    if membership is None:
        return
    audit_record(
        organisation=membership.organisation,
        actor=None,
        action="user.sign_in_failed",
        target=membership.user,
        changes={"method": "password"},
        actor_label="sign-in page",
    )


@transaction.atomic
def organisation_language_set(*, organisation: Organisation, language: str, actor: Any) -> None:
    """The language Tandem writes in to the organisation's people who chose none (invitations,
    rater emails), and the one every questionnaire of its cycles must have."""
    if language not in supported_languages():
        raise AccountError(gettext("Tandem does not speak that language."))
    old = organisation.language
    if old == language:
        return
    organisation.language = language
    organisation.save(update_fields=["language"])
    audit_record(
        organisation=organisation,
        actor=actor,
        action="organisation.language",
        target=organisation,
        changes={"language": (old, language)},
    )
