"""Single sign-on pages: the admin's set-up, and the sign-in round trip for both protocols.

The protocol modules (Authlib, pysaml2) are imported in the views that use them, so that
loading the URLs, which every process does at start, does not load them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tandem import access
from tandem.accounts.backends import MEMBER_BACKEND
from tandem.accounts.models import SingleSignOn, SsoProtocol, User
from tandem.accounts.sso.forms import SsoEmailForm, SsoSetupForm
from tandem.accounts.sso.identity import Identity, SsoProviderError, as_recorded
from tandem.accounts.sso.services import (
    SsoRefused,
    SsoSetup,
    SsoSetupError,
    break_glass_used,
    break_glass_user,
    sso_enabled,
    sso_for_email,
    sso_of,
    sso_refusal_record,
    sso_request_open,
    sso_request_take,
    sso_setup_save,
    sso_sign_in,
)
from tandem.people.models import Organisation

SESSION_KEY = "tandem_sso"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("web:home")


def _refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", {"message": message}, status=status)


def _signed_in(
    request: HttpRequest, sso: SingleSignOn, identity: Identity, next_url: str
) -> HttpResponse:
    try:
        user = sso_sign_in(sso=sso, identity=identity)
    except SsoRefused as refusal:
        return _refused(request, str(refusal))
    login(request, user, backend=MEMBER_BACKEND)
    return redirect(_safe_next(request, next_url))


# -- the round trip ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sso_choose(request: HttpRequest) -> HttpResponse:
    """ "Sign in with single sign-on": the work email says which organisation's provider."""
    form = SsoEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sso = sso_for_email(form.cleaned_data["email"])
        if sso is not None:
            url = reverse("accounts:sso_start", args=[sso.organisation_id])
            next_url = request.POST.get("next", "")
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
        form.add_error(
            "email",
            gettext(
                "No single sign-on is set up for this address. Sign in with your password, or "
                "ask your people team."
            ),
        )
    return render(
        request, "accounts/sso_choose.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_http_methods(["GET"])
def sso_start(request: HttpRequest, organisation_id: int) -> HttpResponse:
    from tandem.accounts.sso import oidc, saml

    sso = sso_enabled(organisation_id)
    if sso is None:
        raise Http404("No single sign-on is on for this organisation.")
    next_url = _safe_next(request, request.GET.get("next", ""))
    try:
        if sso.protocol == SsoProtocol.OIDC:
            request.session[SESSION_KEY] = {"organisation": sso.organisation_id, "next": next_url}
            return oidc.oidc_redirect(
                request, sso, request.build_absolute_uri(reverse("accounts:sso_oidc_callback"))
            )
        request_id, location = saml.saml_redirect(sso, _base_url(request))
    except SsoProviderError as error:
        return _refused(request, str(error), status=502)
    sso_request_open(organisation=sso.organisation, key=request_id, next_url=next_url)
    return redirect(location)


@require_http_methods(["GET"])
def oidc_callback(request: HttpRequest) -> HttpResponse:
    from tandem.accounts.sso import oidc

    started = request.session.get(SESSION_KEY) or {}
    sso = sso_enabled(int(started.get("organisation") or 0))
    if sso is None or sso.protocol != SsoProtocol.OIDC:
        return _refused(
            request,
            gettext(
                "This sign-in was not started here, or your browser did not keep its cookie. "
                "Start again."
            ),
            status=400,
        )
    try:
        identity = oidc.oidc_identity(request, sso)
    except SsoProviderError as error:
        sso_refusal_record(sso=sso, email="", reason=as_recorded(error))
        return _refused(request, str(error))
    finally:
        request.session.pop(SESSION_KEY, None)
    return _signed_in(request, sso, identity, started.get("next", ""))


@csrf_exempt  # the identity provider POSTs here; the SAML request id stands in for the token
@require_POST
def saml_acs(request: HttpRequest, organisation_id: int) -> HttpResponse:
    from tandem.accounts.sso import saml

    sso = sso_enabled(organisation_id)
    if sso is None or sso.protocol != SsoProtocol.SAML:
        raise Http404("No SAML sign-in is on for this organisation.")
    saml_response = request.POST.get("SAMLResponse", "")
    relay_state = request.POST.get("RelayState", "")
    if not saml_response or not relay_state:
        return _refused(
            request,
            gettext(
                "This answer is not one Tandem asked for (no request to answer). Start the "
                "sign-in from Tandem's sign-in page."
            ),
            status=400,
        )
    try:
        open_request = sso_request_take(organisation=sso.organisation, key=relay_state)
        identity = saml.saml_identity(sso, _base_url(request), saml_response, relay_state)
    except SsoRefused as refusal:
        sso_refusal_record(sso=sso, email="", reason=as_recorded(refusal))
        return _refused(request, str(refusal))
    except SsoProviderError as error:
        sso_refusal_record(sso=sso, email="", reason=as_recorded(error))
        return _refused(request, str(error))
    return _signed_in(request, sso, identity, open_request.next_url)


@require_http_methods(["GET"])
def saml_metadata(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Tandem's SP metadata for one organisation: public, as the identity provider fetches it."""
    from tandem.accounts.sso import saml

    if not Organisation.objects.filter(pk=organisation_id).exists():
        raise Http404("No such organisation.")
    text = saml.sp_metadata(_base_url(request), organisation_id)
    response = HttpResponse(text, content_type="application/samlmetadata+xml")
    if "download" in request.GET:
        response["Content-Disposition"] = 'attachment; filename="tandem-sp-metadata.xml"'
    return response


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time admin link made on the command line; a button, so link previews don't use it."""
    user: User | None = break_glass_user(token)
    if user is None:
        return _refused(
            request,
            gettext(
                "This break-glass link is wrong, was already used, or is older than 15 "
                "minutes. Make a new one on the server."
            ),
            status=410,
        )
    if request.method == "POST":
        login(request, user, backend=MEMBER_BACKEND)
        break_glass_used(user=user)
        messages.warning(
            request,
            gettext(
                "Signed in with a break-glass link. Fix single sign-on, or turn 'single "
                "sign-on only' off, before you sign out."
            ),
        )
        return redirect("accounts:sso_settings")
    return render(request, "accounts/sso_break_glass.html", {"account": user})


# -- the admin's set-up --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sso_settings(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.integrations.can_manage_sso(request.user, organisation):
        raise PermissionDenied
    sso = sso_of(organisation)
    form = SsoSetupForm(request.POST or None, request.FILES or None, sso=sso)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        setup = SsoSetup(
            protocol=data["protocol"],
            is_enabled=data["is_enabled"],
            sso_only=data["sso_only"],
            create_accounts=data["create_accounts"],
            email_domains=data["email_domains"],
            oidc_discovery_url=data["oidc_discovery_url"],
            oidc_client_id=data["oidc_client_id"],
            oidc_client_secret=data["oidc_client_secret"],
            saml_metadata_url=data["saml_metadata_url"],
            saml_metadata_xml=data["saml_metadata_file"],
        )
        try:
            sso_setup_save(organisation=organisation, setup=setup, actor=request.user)
        except SsoSetupError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, gettext("Single sign-on settings saved."))
            return redirect("accounts:sso_settings")
    base = _base_url(request)
    context = {
        "form": form,
        "sso": sso,
        "oidc_callback_url": base + reverse("accounts:sso_oidc_callback"),
        "saml_entity_id": base + reverse("accounts:sso_saml_metadata", args=[organisation.pk]),
        "saml_acs_url": base + reverse("accounts:sso_saml_acs", args=[organisation.pk]),
        "start_url": base + reverse("accounts:sso_start", args=[organisation.pk]),
    }
    return render(request, "accounts/sso_settings.html", context)
