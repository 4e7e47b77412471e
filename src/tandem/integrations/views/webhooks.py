"""The organisation admin's webhook pages: register an endpoint (its signing secret shown
once), list them, read an endpoint's deliveries and what it answered, disable one."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.integrations.forms import WebhookForm
from tandem.integrations.models import WebhookEndpoint
from tandem.integrations.selectors import (
    recent_deliveries,
    webhook_for_organisation,
    webhooks_of,
)
from tandem.integrations.services import (
    WebhookError,
    webhook_create,
    webhook_disable,
    webhook_send_again,
)
from tandem.people.models import Organisation


def endpoint_words(endpoint: WebhookEndpoint) -> str:
    """An endpoint as a page names it, in the reader's language: "webhook HR system".
    (``str(endpoint)`` stays English for the audit log.)"""
    return gettext("webhook %(name)s") % {"name": endpoint.name or endpoint.url}


def _organisation(request: HttpRequest) -> Organisation:
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.integrations.can_manage_webhooks(
        request.user, organisation
    ):
        raise PermissionDenied
    return organisation


def _endpoint(request: HttpRequest, webhook_id: int) -> WebhookEndpoint:
    try:
        return webhook_for_organisation(organisation=_organisation(request), webhook_id=webhook_id)
    except WebhookEndpoint.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_create(
                organisation=organisation,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
        except WebhookError as error:
            form.add_error(None, str(error))
        else:
            form = WebhookForm()
    context = {"form": form, "created": created, "webhooks": webhooks_of(organisation=organisation)}
    response = render(request, "integrations/webhooks.html", context)
    if created is not None:
        response["Cache-Control"] = "no-store"  # the page holds a secret
    return response


@login_required
@require_GET
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    context = {"endpoint": endpoint, "deliveries": recent_deliveries(endpoint=endpoint)}
    return render(request, "integrations/webhook.html", context)


@login_required
@require_POST
def webhook_disable_view(request: HttpRequest, webhook_id: int) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    if webhook_disable(endpoint=endpoint, actor=request.user):
        messages.success(
            request,
            gettext("Disabled %(endpoint)s. Nothing more is sent to it.")
            % {"endpoint": endpoint_words(endpoint)},
        )
    else:
        messages.info(
            request,
            gettext("%(endpoint)s was already disabled.") % {"endpoint": endpoint_words(endpoint)},
        )
    return redirect("integrations:webhooks")


@login_required
@require_POST
def webhook_send_again_view(
    request: HttpRequest, webhook_id: int, delivery_id: uuid.UUID
) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    delivery = endpoint.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    if webhook_send_again(delivery=delivery, actor=request.user):
        messages.success(
            request,
            gettext("%(event)s %(delivery)s is queued to be sent again.")
            % {"event": delivery.event, "delivery": delivery.pk},
        )
    else:
        messages.info(request, gettext("Only a message that was given up on can be sent again."))
    return redirect("integrations:webhook", webhook_id=endpoint.pk)
