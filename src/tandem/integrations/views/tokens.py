"""The organisation admin's token pages: make one (its secret shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from tandem import access
from tandem.integrations.forms import PersonalTokenForm, TokenForm
from tandem.integrations.models import OrganisationToken
from tandem.integrations.scopes import TokenKind
from tandem.integrations.selectors import personal_tokens_of, token_for_organisation, tokens_of
from tandem.integrations.services import token_create, token_revoke
from tandem.people.models import Organisation


def token_words(token: OrganisationToken) -> str:
    """A token as a page names it, in the reader's language: "REST API token tnd_api_… (HR
    dashboard)". (``str(token)`` stays English for the audit log.)"""
    values = {"kind": TokenKind(token.kind).label, "visible": token.visible, "name": token.name}
    if token.name:
        return gettext("%(kind)s token %(visible)s (%(name)s)") % values
    return gettext("%(kind)s token %(visible)s") % values


def _revoked(request: HttpRequest, token: OrganisationToken) -> None:
    messages.success(
        request,
        gettext("Revoked %(token)s. Anything still using it is refused now.")
        % {"token": token_words(token)},
    )


def _already_revoked(request: HttpRequest, token: OrganisationToken) -> None:
    messages.info(
        request, gettext("%(token)s was already revoked.") % {"token": token_words(token)}
    )


def _organisation(request: HttpRequest) -> Organisation:
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.integrations.can_manage_tokens(
        request.user, organisation
    ):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = token_create(
            organisation=organisation,
            kind=form.cleaned_data["kind"],
            scopes=form.cleaned_data["scopes"],
            name=form.cleaned_data["name"],
            created_by=request.user,
        )
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": tokens_of(organisation=organisation),
        "scim_url": request.build_absolute_uri("/scim/v2/"),
    }
    response = render(request, "integrations/tokens.html", context)
    if created is not None:
        # The page holds a secret: no cache may keep it.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    organisation = _organisation(request)
    try:
        token = token_for_organisation(organisation=organisation, token_id=token_id)
    except OrganisationToken.DoesNotExist:
        raise Http404 from None
    if token_revoke(token=token, revoked_by=request.user):
        _revoked(request, token)
    else:
        _already_revoked(request, token)
    return redirect("integrations:tokens")


# --- personal tokens: the API as yourself ------------------------------------------------


def _member_organisation(request: HttpRequest) -> Organisation:
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.integrations.can_make_personal_tokens(
        request.user, organisation
    ):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def my_tokens(request: HttpRequest) -> HttpResponse:
    organisation = _member_organisation(request)
    form = PersonalTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = token_create(
            organisation=organisation,
            kind=TokenKind.PERSONAL,
            name=form.cleaned_data["name"],
            created_by=request.user,
            user=request.user,
        )
        form = PersonalTokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": personal_tokens_of(user=request.user),
        "api_url": request.build_absolute_uri("/api/v1/"),
    }
    response = render(request, "integrations/my_tokens.html", context)
    if created is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    _member_organisation(request)
    token = personal_tokens_of(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    if access.integrations.can_revoke_personal_token(request.user, token):
        token_revoke(token=token, revoked_by=request.user)
        _revoked(request, token)
    else:
        _already_revoked(request, token)
    return redirect("integrations:my_tokens")
