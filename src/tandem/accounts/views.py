from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from tandem import access
from tandem.accounts import throttle
from tandem.accounts.backends import MEMBER_BACKEND
from tandem.accounts.forms import (
    AcceptInvitationForm,
    AcceptInvitationWithoutPasswordForm,
    InviteForm,
    SignInForm,
)
from tandem.accounts.models import Invitation, Membership, Role, SingleSignOn
from tandem.accounts.services import (
    AccountError,
    invitation_accept,
    invitation_create,
    invitation_find,
    memberships_link_people,
    organisation_language_set,
    sign_in_failure_record,
    sign_in_record,
)
from tandem.accounts.sso.services import sso_only_in
from tandem.people.selectors import person_get
from tandem.web.language import language_name


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_find(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    sso_only = sso_only_in(invitation.organisation_id) is not None
    form_class = AcceptInvitationWithoutPasswordForm if sso_only else AcceptInvitationForm
    form = form_class(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=None if sso_only else form.cleaned_data["password1"],
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            if sso_only:
                messages.success(
                    request,
                    gettext(
                        "Your account is ready. %(organisation)s signs in through single "
                        "sign-on: continue with your work account."
                    )
                    % {"organisation": invitation.organisation.name},
                )
                return redirect("accounts:sso_start", organisation_id=invitation.organisation_id)
            login(request, user, backend=MEMBER_BACKEND)
            messages.success(
                request,
                gettext("Welcome to %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("web:home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation, "sso_only": sso_only},
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.can_invite(request.user, organisation):
        raise PermissionDenied
    allowed = [r for r in Role.values if access.can_grant_role(request.user, organisation, r)]
    form = InviteForm(request.POST or None, allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except AccountError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                gettext("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:members")
    context = {
        "form": form,
        "may_set_language": access.can_manage_organisation(request.user, organisation),
        "languages": settings.LANGUAGES,
        "organisation_language": organisation.language,
        "memberships": Membership.objects.filter(organisation=organisation)
        .select_related("user", "person")
        .order_by("user__email"),
        "invitations": Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True
        ).order_by("-created_at")[:50],
    }
    return render(request, "accounts/members.html", context)


@login_required
@require_POST
def organisation_language(request: HttpRequest) -> HttpResponse:
    """Admins choose the organisation's language (Members page)."""
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    try:
        organisation_language_set(
            organisation=organisation, language=request.POST.get("language", ""), actor=request.user
        )
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext(
                "Saved. Invitations and emails to people who chose no language of their own are "
                "now written in %(language)s."
            )
            % {"language": language_name(organisation.language)},
        )
    return redirect("accounts:members")


@login_required
@require_POST
def invite_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Invite someone from their person page, as an employee, to their work email."""
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.can_invite(request.user, organisation):
        raise PermissionDenied
    person = person_get(organisation=organisation, person_id=person_id)
    if person is None:
        raise Http404
    try:
        invitation_create(
            organisation=organisation,
            email=person.email,
            role=Role.EMPLOYEE,
            invited_by=request.user,
            person=person,
        )
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("Invitation sent to %(email)s.") % {"email": person.email}
        )
    return redirect("people:person", person_id=person.pk)


class ThrottledSignInView(auth_views.LoginView):
    """Django's sign-in, slowed after wrong passwords (see :mod:`tandem.accounts.throttle`)."""

    authentication_form = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        enabled = list(
            SingleSignOn.objects.filter(is_enabled=True).values_list("organisation_id", flat=True)[
                :2
            ]
        )
        if len(enabled) == 1:
            context["sso_url"] = reverse("accounts:sso_start", args=[enabled[0]])
        elif enabled:
            context["sso_url"] = reverse("accounts:sso_choose")
        return context

    def _email(self) -> str:
        return str(self.request.POST.get("username", ""))[:254]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.wait_before_attempt(request, self._email())
        if wait is not None:
            context = self.get_context_data(form=self.get_form(), wait=wait)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        throttle.record_failure(self.request, self._email())
        if not form.has_error(NON_FIELD_ERRORS, "sso_only"):  # audited as sso.password_refused
            sign_in_failure_record(email=self._email())
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        throttle.record_success(self.request, response, self._email())
        sign_in_record(user=form.get_user(), method="password")
        organisation = access.organisation_of(form.get_user())
        if organisation is not None and access.person_of(form.get_user()) is None:
            memberships_link_people(organisation=organisation)
        return response


class ResetAndClearView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link clears the account's failures."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        throttle.clear_account(form.user.email)
        return response
