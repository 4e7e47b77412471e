"""The action library: everyone reads it; the people team adds, corrects, retires and hides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tandem import access
from tandem.growth import selectors
from tandem.growth.forms import LibraryActionForm
from tandem.growth.models import LibraryAction
from tandem.growth.services import (
    GrowthError,
    library_action_create,
    library_action_hide,
    library_action_retire,
    library_action_show,
    library_action_update,
)
from tandem.people.models import Organisation

NOT_HIDEABLE = gettext_lazy(
    "Only Tandem's own actions can be hidden; retire your organisation's own instead."
)


def _status(form: LibraryActionForm | None) -> int:
    """A bound form that reaches the page again was refused."""
    return 400 if form is not None and form.is_bound else 200


@login_required
@require_http_methods(["GET", "POST"])
def library(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    can_manage = access.growth.can_manage_library(request.user, organisation)
    if not access.growth.can_use_growth(request.user, organisation) and not can_manage:
        raise PermissionDenied
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    names = selectors.scale_names(person=access.person_of(request.user))
    form = (
        LibraryActionForm(request.POST or None, scales=list(names.items())) if can_manage else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            created = library_action_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("'%(title)s' is in the library.") % {"title": created.title}
            )
            return redirect("growth:library")
    if can_manage:
        actions = selectors.library_all(organisation=organisation)
        hidden = selectors.library_hidden_ids(organisation=organisation)
    else:
        actions, hidden = selectors.library(organisation=organisation), set()
    rows: list[dict[str, Any]] = []
    not_offered: list[dict[str, Any]] = []
    for action in actions:
        row = {
            "action": action,
            "grows": ", ".join(names.get(s, s) for s in action.scale_ids),
            "hidden": action.pk in hidden,
            "change": access.growth.library_action_change(request.user, action),
            "can_hide": access.growth.can_hide_library_action(request.user, organisation, action),
        }
        retired_or_hidden = action.retired_at is not None or action.pk in hidden
        (not_offered if retired_or_hidden else rows).append(row)
    context = {"rows": rows, "not_offered": not_offered, "form": form, "can_manage": can_manage}
    return render(request, "growth/library.html", context, status=_status(form))


def _managed(request: HttpRequest, action_id: int) -> tuple[Organisation, LibraryAction]:
    """The people team's view of one action: 403 for anyone else, 404 outside the library
    their organisation sees."""
    organisation = access.organisation_required(request.user)
    if not access.growth.can_manage_library(request.user, organisation):
        raise PermissionDenied
    action = selectors.library_action_find(organisation=organisation, action_id=action_id)
    if action is None:
        raise Http404
    return organisation, action


def _back(action: LibraryAction) -> HttpResponse:
    return redirect(reverse("growth:library") + f"#action-{action.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def library_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    _, action = _managed(request, action_id)
    refused = access.growth.library_action_change(request.user, action).edit_refused
    if refused:
        messages.info(request, str(refused))
        return _back(action)
    names = selectors.scale_names(person=access.person_of(request.user))
    # Scales of another instrument stay ticked and keep their ids as labels.
    scales = [*names.items(), *((s, s) for s in action.scale_ids if s not in names)]
    form = LibraryActionForm(
        request.POST or None,
        scales=scales,
        initial={
            "title": action.title,
            "description": action.description,
            "scale_ids": action.scale_ids,
            "success_hint": action.success_hint,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            library_action_update(action=action, actor=request.user, **form.cleaned_data)
        except GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("Saved '%(title)s'.") % {"title": form.cleaned_data["title"]}
            )
            return _back(action)
    context = {"action": action, "form": form}
    return render(request, "growth/library_edit.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def library_retire(request: HttpRequest, action_id: int) -> HttpResponse:
    """Asks first; retires only on the confirming POST."""
    _, action = _managed(request, action_id)
    refused = access.growth.library_action_change(request.user, action).retire_refused
    if refused:
        messages.info(request, str(refused))
        return _back(action)
    if request.method == "POST":
        try:
            library_action_retire(action=action, actor=request.user)
        except GrowthError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request,
                gettext("'%(title)s' is retired: it is no longer offered to anyone.")
                % {"title": action.title},
            )
        return _back(action)
    return render(request, "growth/library_retire.html", {"action": action})


@login_required
@require_POST
def library_hide(request: HttpRequest, action_id: int) -> HttpResponse:
    organisation, action = _managed(request, action_id)
    if not access.growth.can_hide_library_action(request.user, organisation, action):
        messages.info(request, str(NOT_HIDEABLE))
        return _back(action)
    library_action_hide(organisation=organisation, action=action, actor=request.user)
    messages.success(
        request,
        gettext("'%(title)s' is hidden from your library. You can show it again below.")
        % {"title": action.shown_title},
    )
    return _back(action)


@login_required
@require_POST
def library_show(request: HttpRequest, action_id: int) -> HttpResponse:
    organisation, action = _managed(request, action_id)
    if not access.growth.can_hide_library_action(request.user, organisation, action):
        messages.info(request, str(NOT_HIDEABLE))
        return _back(action)
    library_action_show(organisation=organisation, action=action, actor=request.user)
    messages.success(
        request,
        gettext("'%(title)s' is offered in your library again.") % {"title": action.shown_title},
    )
    return _back(action)
